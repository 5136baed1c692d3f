import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore } from '../src/open.js';
import { eventStoreContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'workshare-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

eventStoreContract('embedded', () => openEventStore(`embedded:${dir}`));
