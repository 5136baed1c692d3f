/**
 * Where the audit's seals of the log are signed and kept: WORKSHARE_SEAL_KEY (the Ed25519 key,
 * PKCS#8 PEM or its path) and WORKSHARE_SEAL_LOG (the append-only file of seals), which the audit
 * service reads (services/audit/src/config.ts). Neither is ever in the database: a seal must be
 * what the store's writer can neither forge nor rewrite.
 *
 * - Embedded store in a folder (`npm start`'s default): a key generated once, the first time, as
 *   `<folder>/seal-key.pem` (mode 0600, beside identity's master key, outside the database's
 *   tables), and the seal log `<folder>/seals.jsonl` next to it; both kept across restarts.
 * - `embedded:memory`: a throw-away folder of its own, removed when the platform stops.
 * - Any other store (PostgreSQL, in one process or in the process mode): from the environment,
 *   both required; with NATS the audit also publishes each seal to NATS.
 * Given in the environment, they are used as they are, whatever the store.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSealKey, loadSealKey, SEAL_KEY_ENV } from '@workshare/eventstore';

export const SEAL_LOG_ENV = 'WORKSHARE_SEAL_LOG';
export const SEAL_KEY_FILE = 'seal-key.pem';
export const SEAL_LOG_FILE = 'seals.jsonl';

export interface SealFiles {
  /** The variables the audit reads. */
  readonly env: { readonly WORKSHARE_SEAL_KEY: string; readonly WORKSHARE_SEAL_LOG: string };
  /** The key's file, when it is one (not PEM text in the environment). */
  readonly keyPath: string | undefined;
  readonly logPath: string;
  /** Whether this start generated the key. */
  readonly generated: boolean;
  /** Removes what was made for this run only (the throw-away folder of `embedded:memory`). */
  cleanup(): void;
}

const given = (env: Readonly<Record<string, string | undefined>>, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/** A key file in `folder`, generated once (another process of the folder may have written it first). */
const keyIn = (folder: string): { path: string; generated: boolean } => {
  const path = join(folder, SEAL_KEY_FILE);
  if (existsSync(path)) return { path, generated: false };
  try {
    generateSealKey(path);
    return { path, generated: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { path, generated: false };
    throw error;
  }
};

const MISSING = `the audit seals the log with a key the database never holds: set ${SEAL_KEY_ENV} (an Ed25519 private key as PKCS#8 PEM, or its path: openssl genpkey -algorithm ed25519 -out seal-key.pem) and ${SEAL_LOG_ENV} (the append-only file its seals are kept in, e.g. ./seals.jsonl)`;

/** The seal key and log for a platform on `storeUrl` (module comment); a bad or missing one is refused, saying what to set. */
export const sealFilesFor = (storeUrl: string, env: Readonly<Record<string, string | undefined>>): SealFiles => {
  const key = given(env, SEAL_KEY_ENV);
  const log = given(env, SEAL_LOG_ENV);
  const folder =
    storeUrl.startsWith('embedded:') && storeUrl !== 'embedded:memory' ? resolve(storeUrl.slice(9)) : undefined;
  if (key !== undefined) {
    loadSealKey({ [SEAL_KEY_ENV]: key }); // refused now, with its reason, rather than by the audit later
    const logPath = log ?? (folder !== undefined ? join(folder, SEAL_LOG_FILE) : undefined);
    if (logPath === undefined) throw new Error(`${SEAL_LOG_ENV} is not set: ${MISSING}`);
    const keyPath = key.includes('-----BEGIN') ? undefined : resolve(key);
    return {
      env: { WORKSHARE_SEAL_KEY: keyPath ?? key, WORKSHARE_SEAL_LOG: resolve(logPath) },
      keyPath,
      logPath: resolve(logPath),
      generated: false,
      cleanup: () => undefined,
    };
  }
  if (storeUrl === 'embedded:memory') {
    const throwAway = mkdtempSync(join(tmpdir(), 'workshare-seals-'));
    const { path } = keyIn(throwAway);
    const logPath = log ?? join(throwAway, SEAL_LOG_FILE);
    return {
      env: { WORKSHARE_SEAL_KEY: path, WORKSHARE_SEAL_LOG: logPath },
      keyPath: path,
      logPath,
      generated: true,
      cleanup: () => rmSync(throwAway, { recursive: true, force: true }),
    };
  }
  if (folder === undefined) throw new Error(`${SEAL_KEY_ENV} is not set: ${MISSING}`);
  const { path, generated } = keyIn(folder);
  const logPath = log === undefined ? join(folder, SEAL_LOG_FILE) : resolve(log);
  return {
    env: { WORKSHARE_SEAL_KEY: path, WORKSHARE_SEAL_LOG: logPath },
    keyPath: path,
    logPath,
    generated,
    cleanup: () => undefined,
  };
};
