import { hash } from 'node:crypto';
import { canonicalJson, type JsonObject } from './json.js';
import type { EventMetadata, RecordedEvent } from './envelope.js';

/** The hash a stream's first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/** Hex SHA-256 of the UTF-8 of `text` (one-shot: about twice as fast as createHash for short texts). */
export const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

export interface DigestInput {
  id: string;
  streamName: string;
  type: string;
  schemaVersion: number;
  occurredAt: Date;
  data: JsonObject;
  metadata: EventMetadata;
}

/** What an event says (not where it landed), as canonical JSON: key order and whitespace do not matter. */
export const canonicalContent = (e: DigestInput): string =>
  canonicalJson({
    id: e.id,
    stream: e.streamName,
    type: e.type,
    schemaVersion: e.schemaVersion,
    occurredAt: e.occurredAt.toISOString(),
    data: e.data,
    metadata: e.metadata as JsonObject,
  });

/** SHA-256 of the canonical content. Computed by the writer before the append. */
export const contentDigest = (e: DigestInput): string => sha256Hex(canonicalContent(e));

/**
 * How an event's hash was computed. Scheme 2 (every store since migration 5 of the SQL store, and
 * the in-memory one): hash(n) = SHA-256("<hash(n-1)>:<version n>:<digest n>:<recorded-at n in ms
 * since the epoch>"), so the instant the store recorded the event is covered too. Scheme 1 (rows
 * written before, and the KurrentDB adapter, whose server sets the recorded-at after the hash is
 * made): hash(n) = SHA-256("<hash(n-1)>:<version n>:<digest n>"), recorded-at outside. Within a
 * stream the scheme may only go from 1 to 2: a scheme-1 event after a scheme-2 one is a fault.
 */
export type HashScheme = 1 | 2;

/**
 * hash(n) of scheme 2 when `recordedAt` is given, of scheme 1 without (see HashScheme). The store
 * computes it when it knows the stream's last hash (in the same transaction as the append);
 * anyone can recompute it.
 */
export const chainHash = (
  previousHash: string,
  streamVersion: number,
  digest: string,
  recordedAt?: Date | number,
): string =>
  recordedAt === undefined
    ? sha256Hex(`${previousHash}:${streamVersion}:${digest}`)
    : sha256Hex(
        `${previousHash}:${streamVersion}:${digest}:${typeof recordedAt === 'number' ? recordedAt : recordedAt.getTime()}`,
      );

/**
 * The scheme under which `event`'s stored hash is its content chained to `previousHash`, or
 * undefined when it is under neither (content, version, recorded-at or hash changed).
 * `newestOnly` refuses scheme 1 (a stream whose chain has reached scheme 2).
 */
export const hashSchemeOf = (
  previousHash: string,
  event: RecordedEvent,
  newestOnly = false,
): HashScheme | undefined => {
  const digest = contentDigest(event);
  if (chainHash(previousHash, event.streamVersion, digest, event.recordedAt) === event.hash) return 2;
  if (!newestOnly && chainHash(previousHash, event.streamVersion, digest) === event.hash) return 1;
  return undefined;
};

export type ChainBreak = { streamVersion: number; eventId: string; reason: string };

/**
 * Checks a stream's events (read forwards from version 0) against their hash chain. Returns
 * the first break, or undefined when every event is intact and in place.
 */
export const verifyChain = (events: Iterable<RecordedEvent>): ChainBreak | undefined => {
  let tail: ChainTail = CHAIN_START;
  for (const e of events) {
    const link = chainLink(tail, e);
    if (link.fault !== undefined) return { streamVersion: e.streamVersion, eventId: e.id, reason: link.fault };
    tail = link.tail;
  }
  return undefined;
};

/**
 * Where a stream's chain has got to: its last version and hash (version -1 and the genesis hash
 * before its first event), and the hash scheme of that event when known (once 2, the stream's
 * next events must be of scheme 2 too).
 */
export interface ChainTail {
  readonly version: number;
  readonly hash: string;
  readonly scheme?: HashScheme;
}

export const CHAIN_START: ChainTail = Object.freeze({ version: -1, hash: GENESIS_HASH });

/** Why a scheme-1 hash after a scheme-2 one is refused. */
export const DOWNGRADE_FAULT = 'hash of scheme 1 (recorded-at not covered) after an event of scheme 2 in its stream';

/**
 * The one check of one link: why `event` does not follow `tail` in its stream's chain (a gap in
 * the versions, a previous hash that is not the tail's, content that does not match its hash, a
 * scheme going back from 2 to 1), or no fault and the stream's tail after it.
 */
export const chainLink = (tail: ChainTail, event: RecordedEvent): { fault?: string; tail: ChainTail } => {
  if (event.streamVersion !== tail.version + 1) return { fault: `expected version ${tail.version + 1}`, tail };
  if (event.previousHash !== tail.hash) return { fault: 'previous hash does not match the event before', tail };
  const scheme = hashSchemeOf(tail.hash, event);
  if (scheme === undefined) return { fault: 'content does not match its hash (changed after it was written)', tail };
  if (scheme === 1 && tail.scheme === 2) return { fault: DOWNGRADE_FAULT, tail };
  return { tail: { version: event.streamVersion, hash: event.hash, scheme } };
};

/**
 * chainLink's fault alone, or undefined when `event` follows `tail`. verifyChain (one stream),
 * verifyLog (the whole log) and the bus relay use the same check.
 */
export const chainLinkFault = (tail: ChainTail, event: RecordedEvent): string | undefined =>
  chainLink(tail, event).fault;
