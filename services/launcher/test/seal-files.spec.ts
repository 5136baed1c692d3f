/**
 * The audit's seal key and seal log as the launcher gives them: generated once in the embedded
 * store's folder (0600, outside the database's tables) and kept; a throw-away folder for
 * `embedded:memory`; from the environment for any other store, refused with what to set when
 * missing or not a key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSealKey } from '@workshare/eventstore';
import { sealFilesFor } from '../src/seal-files.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'workshare-seal-files-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('the seal key and log of the platform', () => {
  it('generates the key once in the embedded store’s folder (0600) and keeps it; the log next to it', () => {
    const data = join(folder, 'data');
    const first = sealFilesFor(`embedded:${data}`, {});
    expect(first).toMatchObject({
      keyPath: join(data, 'seal-key.pem'),
      logPath: join(data, 'seals.jsonl'),
      generated: true,
      env: { WORKSHARE_SEAL_KEY: join(data, 'seal-key.pem'), WORKSHARE_SEAL_LOG: join(data, 'seals.jsonl') },
    });
    expect(statSync(first.keyPath!).mode & 0o777).toBe(0o600);
    expect(loadSealKey({ WORKSHARE_SEAL_KEY: first.keyPath! }).keyId).toMatch(/\S/);
    const pem = readFileSync(first.keyPath!, 'utf8');
    const again = sealFilesFor(`embedded:${data}`, {});
    expect(again.generated).toBe(false);
    expect(readFileSync(again.keyPath!, 'utf8')).toBe(pem);
  });

  it('gives embedded:memory a throw-away folder, removed by cleanup', () => {
    const files = sealFilesFor('embedded:memory', {});
    expect(existsSync(files.keyPath!)).toBe(true);
    files.cleanup();
    expect(existsSync(files.keyPath!)).toBe(false);
  });

  it('takes the key and log from the environment, as a path or as PEM text', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const log = join(folder, 'seals.jsonl');
    expect(sealFilesFor('postgres://x@db/w', { WORKSHARE_SEAL_KEY: pem, WORKSHARE_SEAL_LOG: log })).toMatchObject({
      env: { WORKSHARE_SEAL_KEY: pem.trim(), WORKSHARE_SEAL_LOG: log },
      keyPath: undefined,
      generated: false,
    });
  });

  it('refuses another store without them, or a key that is none, saying what to set', () => {
    expect(() => sealFilesFor('postgres://x@db/w', {})).toThrow(
      /WORKSHARE_SEAL_KEY is not set: the audit seals the log with a key the database never holds/,
    );
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => sealFilesFor('postgres://x@db/w', { WORKSHARE_SEAL_KEY: pem })).toThrow(
      /WORKSHARE_SEAL_LOG is not set/,
    );
    expect(() =>
      sealFilesFor('postgres://x@db/w', { WORKSHARE_SEAL_KEY: 'not a key', WORKSHARE_SEAL_LOG: join(folder, 'l') }),
    ).toThrow(/WORKSHARE_SEAL_KEY/);
  });
});
