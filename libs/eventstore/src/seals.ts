/**
 * Seals of the global log: signed statements, kept outside the database, that commit to every
 * event up to a position (README, "Tamper evidence"). A seal holds the running log hash (a chain
 * over the global log, `logLink`), the number of events it covers, the last event of every
 * stream that changed since the previous seal, and the digest of the previous seal; it is signed
 * with an Ed25519 key the database never holds.
 */
import {
  constants as fsConstants,
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { canonicalJson, GENESIS_HASH, sha256Hex, type JsonObject } from '@workshare/eventsourcing';

/** Why a seal was made. */
export const SEAL_REASONS = ['interval', 'month-close', 'manual'] as const;
export type SealReason = (typeof SEAL_REASONS)[number];

/** The last event of a stream as a seal saw it. */
export interface SealTip {
  readonly stream: string;
  readonly version: number;
  readonly hash: string;
  /** Its global position (formatPosition). */
  readonly position: string;
  readonly id: string;
}

/** What a seal says, before it is signed. */
export interface SealBody {
  /** 1 for the first seal of a log, then one more each time. */
  readonly sequence: number;
  /** The last event covered (formatPosition). */
  readonly position: string;
  /** How many events the log holds up to and including `position`. */
  readonly events: number;
  /** The log hash after that event (logLink over every event from the first). */
  readonly logHash: string;
  /** sealDigest of the previous seal (GENESIS_HASH for the first). */
  readonly previous: string;
  /** The last event of each stream that has events after the previous seal, by stream name. */
  readonly tips: readonly SealTip[];
  /** When it was made (ISO 8601, UTC). */
  readonly sealedAt: string;
  readonly reason: SealReason;
  /** sealKeyId of the public key that verifies it. */
  readonly keyId: string;
}

export interface Seal extends SealBody {
  /** Ed25519 signature of the canonical JSON of the body, base64. */
  readonly signature: string;
}

/** The log hash before the first event. */
export const LOG_START = GENESIS_HASH;

/** The fields of an event that the log chain links (the hash covers the rest: README, "What is hashed"). */
export interface LogLinkFields {
  readonly commit: string;
  readonly prepare: string;
  readonly stream: string;
  readonly version: number;
  readonly id: string;
  readonly recordedAtMs: number;
  readonly previousHash: string;
  readonly hash: string;
}

/**
 * L(n) = SHA-256("<L(n-1)>|<commit>/<prepare>|<stream as JSON>|<version>|<event id>|<recorded-at ms>|<previous hash>|<hash>"):
 * the event's place in the log, its stream and version, its recorded-at, and its stream hash,
 * which covers its content. Any change of a covered event, one more or one fewer, or two in
 * another order, changes every L after it.
 */
export const logLink = (previous: string, e: LogLinkFields): string =>
  sha256Hex(
    `${previous}|${e.commit}/${e.prepare}|${JSON.stringify(e.stream)}|${e.version}|${e.id}|${e.recordedAtMs}|${e.previousHash}|${e.hash}`,
  );

/** The canonical JSON a seal's signature covers. */
export const sealBodyJson = (seal: SealBody): string => {
  const body: JsonObject = {
    sequence: seal.sequence,
    position: seal.position,
    events: seal.events,
    logHash: seal.logHash,
    previous: seal.previous,
    tips: seal.tips.map((t) => ({
      stream: t.stream,
      version: t.version,
      hash: t.hash,
      position: t.position,
      id: t.id,
    })),
    sealedAt: seal.sealedAt,
    reason: seal.reason,
    keyId: seal.keyId,
  };
  return canonicalJson(body);
};

/** SHA-256 of a seal's canonical JSON, signature included: what the next seal's `previous` holds. */
export const sealDigest = (seal: Seal): string =>
  sha256Hex(canonicalJson({ body: sealBodyJson(seal), signature: seal.signature }));

/** A seal key: the private key signs; the public key (SPKI PEM) is all verification needs. */
export interface SealKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicKeyPem: string;
  readonly keyId: string;
}

/** The id of a public key: the first 16 hex digits of SHA-256 of its DER (SPKI) form. */
export const sealKeyId = (publicKey: KeyObject): string =>
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);

const assertEd25519 = (key: KeyObject, what: string): KeyObject => {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new TypeError(`${what} is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; seals use Ed25519`);
  return key;
};

/** PEM text as given, or the content of the file it names. */
const pemText = (pemOrPath: string, what: string): string => {
  const text = pemOrPath.trim();
  if (text.startsWith('-----BEGIN')) return text;
  if (!existsSync(text)) throw new TypeError(`${what}: neither PEM text nor a readable file (${JSON.stringify(text)})`);
  return readFileSync(text, 'utf8');
};

const sealKeyOf = (privateKey: KeyObject): SealKey => {
  assertEd25519(privateKey, 'the seal key');
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: sealKeyId(publicKey),
  };
};

/** The env variable holding the seal key: PKCS#8 PEM text, or the path of a PEM file. */
export const SEAL_KEY_ENV = 'WORKSHARE_SEAL_KEY';

/**
 * The seal key from WORKSHARE_SEAL_KEY (PKCS#8 PEM, or a path to a PEM file). Throws a clear
 * error when it is missing or not an Ed25519 private key. It must never be stored in the database.
 */
export const loadSealKey = (env: Record<string, string | undefined> = process.env): SealKey => {
  const value = env[SEAL_KEY_ENV];
  if (value === undefined || value.trim() === '')
    throw new TypeError(`${SEAL_KEY_ENV} is not set: give a PKCS#8 PEM Ed25519 private key, or the path of one`);
  let key: KeyObject;
  try {
    key = createPrivateKey(pemText(value, SEAL_KEY_ENV));
  } catch (error) {
    throw new TypeError(`${SEAL_KEY_ENV} holds no private key: ${(error as Error).message}`);
  }
  return sealKeyOf(key);
};

/**
 * A new Ed25519 seal key, written as a PKCS#8 PEM file readable by its owner only (0600); the
 * file must not exist yet. For the demo and tests: production keys are made and kept by whoever
 * runs the platform, away from the database.
 */
export const generateSealKey = (path: string): SealKey => {
  const { privateKey } = generateKeyPairSync('ed25519');
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  try {
    writeSync(fd, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(path, 0o600);
  return sealKeyOf(privateKey);
};

/**
 * The public key that verifies seals, from SPKI PEM text or a file of it (a private key's PEM
 * gives its public key too).
 */
export const sealPublicKey = (pemOrPath: string | KeyObject): KeyObject => {
  if (typeof pemOrPath !== 'string') {
    const key = pemOrPath.type === 'private' ? createPublicKey(pemOrPath) : pemOrPath;
    return assertEd25519(key, 'the seal public key');
  }
  const text = pemText(pemOrPath, 'the seal public key');
  try {
    return assertEd25519(createPublicKey(text), 'the seal public key');
  } catch (error) {
    if (error instanceof TypeError && /seals use Ed25519/.test(error.message)) throw error;
    throw new TypeError(`no public key in the PEM given: ${(error as Error).message}`);
  }
};

/** Signs a seal body. */
export const signSeal = (body: Omit<SealBody, 'keyId'>, key: SealKey): Seal => {
  const full: SealBody = { ...body, keyId: key.keyId };
  const signature = sign(null, Buffer.from(sealBodyJson(full), 'utf8'), key.privateKey).toString('base64');
  return { ...full, signature };
};

const HEX64 = /^[0-9a-f]{64}$/;
const POSITION = /^\d+\/\d+$/;

/** Why `value` is not a well-formed seal, or undefined when it is. */
export const sealShapeProblem = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const s = value as Record<string, unknown>;
  if (!Number.isSafeInteger(s.sequence) || (s.sequence as number) < 1) return 'sequence is not a whole number ≥ 1';
  if (typeof s.position !== 'string' || !POSITION.test(s.position)) return 'position is not <commit>/<prepare>';
  if (!Number.isSafeInteger(s.events) || (s.events as number) < 1) return 'events is not a whole number ≥ 1';
  if (typeof s.logHash !== 'string' || !HEX64.test(s.logHash)) return 'logHash is not a hex SHA-256';
  if (typeof s.previous !== 'string' || !HEX64.test(s.previous)) return 'previous is not a hex SHA-256';
  if (!Array.isArray(s.tips)) return 'tips is not a list';
  for (const [i, t] of (s.tips as unknown[]).entries()) {
    const tip = t as Record<string, unknown> | null;
    if (
      typeof tip !== 'object' ||
      tip === null ||
      typeof tip.stream !== 'string' ||
      !Number.isSafeInteger(tip.version) ||
      typeof tip.hash !== 'string' ||
      typeof tip.position !== 'string' ||
      !POSITION.test(tip.position) ||
      typeof tip.id !== 'string'
    )
      return `tip #${i} is not {stream, version, hash, position, id}`;
  }
  if (typeof s.sealedAt !== 'string' || Number.isNaN(Date.parse(s.sealedAt))) return 'sealedAt is not an instant';
  if (!SEAL_REASONS.includes(s.reason as SealReason)) return `reason is not one of ${SEAL_REASONS.join(', ')}`;
  if (typeof s.keyId !== 'string') return 'keyId is not a string';
  if (typeof s.signature !== 'string') return 'signature is not a string';
  return undefined;
};

/** Whether the seal's signature is that of the key `publicKey` over its body. */
export const sealSignatureValid = (seal: Seal, publicKey: KeyObject): boolean => {
  if (seal.keyId !== sealKeyId(publicKey)) return false;
  try {
    return verify(null, Buffer.from(sealBodyJson(seal), 'utf8'), publicKey, Buffer.from(seal.signature, 'base64'));
  } catch {
    return false;
  }
};

/** A break in a list of seals (kept apart from the log's breaks: nothing about events). */
export interface SealProblem {
  /** Index in the list given. */
  readonly index: number;
  readonly sequence?: number;
  readonly reason: string;
}

/**
 * Checks a list of seals as kept (oldest first): each well formed, signed by `publicKey`, one
 * sequence after the one before, chained to it by its digest, and further along the log. Answers
 * every problem, and the seals that may be trusted (well formed and signed).
 */
export const checkSeals = (
  seals: readonly unknown[],
  publicKey: KeyObject,
): { trusted: Seal[]; problems: SealProblem[] } => {
  const trusted: Seal[] = [];
  const problems: SealProblem[] = [];
  let before: Seal | undefined;
  seals.forEach((value, index) => {
    const shape = sealShapeProblem(value);
    if (shape !== undefined) {
      problems.push({ index, reason: `not a seal: ${shape}` });
      return;
    }
    const seal = value as Seal;
    const at = { index, sequence: seal.sequence };
    if (!sealSignatureValid(seal, publicKey)) {
      problems.push({
        ...at,
        reason:
          seal.keyId === sealKeyId(publicKey)
            ? 'signature does not match its content (the seal was changed, or forged without the key)'
            : `signed by another key (${seal.keyId}, expected ${sealKeyId(publicKey)})`,
      });
      return;
    }
    const expectedSequence = index === 0 ? 1 : (before?.sequence ?? index) + 1;
    if (seal.sequence !== expectedSequence)
      problems.push({ ...at, reason: `sequence ${seal.sequence} where ${expectedSequence} was expected` });
    const expectedPrevious =
      before === undefined ? (seal.sequence === 1 ? GENESIS_HASH : undefined) : sealDigest(before);
    if (expectedPrevious !== undefined && seal.previous !== expectedPrevious)
      problems.push({
        ...at,
        reason: 'does not chain to the seal before it (a seal was removed, changed or inserted)',
      });
    if (before !== undefined && !(seal.events > before.events))
      problems.push({ ...at, reason: `covers ${seal.events} events, not more than seal #${before.sequence}` });
    trusted.push(seal);
    before = seal;
  });
  return { trusted, problems };
};

/** Where seals are kept, outside the store's database: a file, a NATS stream (@workshare/bus). */
export interface SealSink {
  /** For logs and errors: `file:<path>`, `nats:<stream>`. */
  readonly name: string;
  /** Keeps one more seal, after the last one kept; durable when it resolves. */
  append(seal: Seal): Promise<void>;
  /** Every seal kept, oldest first, as kept (check them with checkSeals). */
  readAll(): Promise<unknown[]>;
  close?(): Promise<void>;
}

/**
 * The last seal a sink keeps, after checking every seal in it (shape, signature, sequence, chain):
 * a sealer never extends a list it cannot trust. Throws SealLogBrokenError naming the problems.
 */
export const lastTrustedSeal = async (sink: SealSink, publicKey: KeyObject): Promise<Seal | undefined> => {
  const { trusted, problems } = checkSeals(await sink.readAll(), publicKey);
  if (problems.length > 0) throw new SealLogBrokenError(sink.name, problems);
  return trusted[trusted.length - 1];
};

export class SealLogBrokenError extends Error {
  override readonly name = 'SealLogBrokenError';
  constructor(
    readonly sink: string,
    readonly problems: readonly SealProblem[],
  ) {
    super(
      `the seals in ${sink} do not check: ${problems
        .slice(0, 5)
        .map((p) => `#${p.sequence ?? `line ${p.index + 1}`}: ${p.reason}`)
        .join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
    );
  }
}

/**
 * Seals as JSON lines in a file opened for appending only (O_APPEND: every write lands at the
 * end, whatever else has the file open), synced to disk after each seal. Reading back parses every
 * line; a line that is not JSON is kept as its text, so that verification reports it.
 */
export class FileSealLog implements SealSink {
  readonly name: string;

  constructor(readonly path: string) {
    this.name = `file:${path}`;
  }

  async append(seal: Seal): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT, 0o644);
    try {
      writeSync(fd, `${JSON.stringify(seal)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  async readAll(): Promise<unknown[]> {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line): unknown => {
        try {
          return JSON.parse(line) as unknown;
        } catch {
          return line;
        }
      });
  }
}
