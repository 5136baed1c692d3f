import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProjectionStore } from '../src/index.js';
import { projectionStoreContract } from './projections.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'workshare-projections-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

projectionStoreContract('embedded', () => openProjectionStore({ schema: 'contract', url: `embedded:${dir}` }));
