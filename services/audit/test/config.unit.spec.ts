import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSealKey } from '@workshare/eventstore';
import { ConfigError, DEFAULT_SEAL_INTERVAL_MS, DEFAULT_VERIFY_INTERVAL_MS, readServiceConfig } from '../src/config.js';

describe("the audit's configuration", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'audit-config-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('runs unsealed by default, on port 50064', () => {
    const config = readServiceConfig({});
    expect(config).toMatchObject({
      grpcPort: 50064,
      sealKey: undefined,
      sealLogPath: undefined,
      sealIntervalMs: DEFAULT_SEAL_INTERVAL_MS,
      verifyIntervalMs: DEFAULT_VERIFY_INTERVAL_MS,
    });
  });

  it('reads the seal key from a file and the seal log, and the intervals', () => {
    const keyPath = join(folder, 'key.pem');
    const key = generateSealKey(keyPath);
    const config = readServiceConfig({
      WORKSHARE_SEAL_KEY: keyPath,
      WORKSHARE_SEAL_LOG: join(folder, 'seals.jsonl'),
      AUDIT_SEAL_INTERVAL_MS: '5000',
      AUDIT_VERIFY_INTERVAL_MS: '0',
    });
    expect(config.sealKey?.keyId).toBe(key.keyId);
    expect(config).toMatchObject({
      sealLogPath: join(folder, 'seals.jsonl'),
      sealIntervalMs: 5000,
      verifyIntervalMs: 0,
    });
  });

  it('names every problem at once', () => {
    let error: unknown;
    try {
      readServiceConfig({ WORKSHARE_SEAL_KEY: 'not a key', AUDIT_SEAL_INTERVAL_MS: '10', GRPC_PORT: 'x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems.some((p) => p.includes('WORKSHARE_SEAL_KEY'))).toBe(true);
    expect(problems.some((p) => p.includes('AUDIT_SEAL_INTERVAL_MS'))).toBe(true);
    expect(problems.some((p) => p.includes('GRPC_PORT'))).toBe(true);
  });

  it('wants the seal log with a seal key', () => {
    const keyPath = join(folder, 'other.pem');
    generateSealKey(keyPath);
    expect(() => readServiceConfig({ WORKSHARE_SEAL_KEY: keyPath })).toThrow(/WORKSHARE_SEAL_LOG/);
  });
});
