/**
 * The OpenAPI document, as the gateway serves it, passes `redocly lint` with the recommended
 * rules: no errors (warnings are printed, not failed).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '@workshare/telemetry';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../../src/index.js';

const run = promisify(execFile);
const REDOCLY = path.join(__dirname, '..', '..', '..', '..', 'node_modules', '.bin', 'redocly');

let app: FastifyInstance;
let folder: string;

beforeAll(async () => {
  // Nothing is called: the document needs no upstream.
  app = await buildGateway({
    identityAddress: '127.0.0.1:1',
    jobIntakeAddress: '127.0.0.1:1',
    taskDecompositionAddress: '127.0.0.1:1',
    teamSchedulingAddress: '127.0.0.1:1',
    timeTrackingAddress: '127.0.0.1:1',
    settlementAddress: '127.0.0.1:1',
    auditAddress: '127.0.0.1:1',
    logger: createLogger('gateway-test', { level: 'silent' }),
  });
  folder = await mkdtemp(path.join(tmpdir(), 'gateway-openapi-'));
});
afterAll(async () => {
  await app?.close();
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

it('redocly lint (recommended rules) finds no error in /openapi.json', async () => {
  const response = await app.inject({ method: 'GET', url: '/openapi.json' });
  expect(response.statusCode).toBe(200);
  const file = path.join(folder, 'openapi.json');
  await writeFile(file, response.body);
  await writeFile(path.join(folder, 'redocly.yaml'), 'extends:\n  - recommended\n');
  const { stdout } = await run(REDOCLY, ['lint', file, '--format', 'json'], {
    cwd: folder,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' },
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr }));
  const report = JSON.parse(stdout) as {
    totals: { errors: number; warnings: number };
    problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
  };
  const errors = report.problems
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`);
  expect(errors).toEqual([]);
  expect(report.totals.errors).toBe(0);
}, 120_000);
