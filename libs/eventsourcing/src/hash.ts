import { createHash } from 'node:crypto';
import { canonicalJson, type JsonObject } from './json.js';
import type { EventMetadata, RecordedEvent } from './envelope.js';

/** The hash a stream's first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

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
 * hash(n) = SHA-256("<hash(n-1)>:<version n>:<digest n>"). The store computes it when it knows
 * the stream's last hash (in the same transaction as the append); anyone can recompute it.
 */
export const chainHash = (previousHash: string, streamVersion: number, digest: string): string =>
  sha256Hex(`${previousHash}:${streamVersion}:${digest}`);

export type ChainBreak = { streamVersion: number; eventId: string; reason: string };

/**
 * Checks a stream's events (read forwards from version 0) against their hash chain. Returns
 * the first break, or undefined when every event is intact and in place.
 */
export const verifyChain = (events: Iterable<RecordedEvent>): ChainBreak | undefined => {
  let tail: ChainTail = CHAIN_START;
  for (const e of events) {
    const reason = chainLinkFault(tail, e);
    if (reason !== undefined) return { streamVersion: e.streamVersion, eventId: e.id, reason };
    tail = { version: e.streamVersion, hash: e.hash };
  }
  return undefined;
};

/** Where a stream's chain has got to: its last version and hash (version -1 and the genesis hash before its first event). */
export interface ChainTail {
  readonly version: number;
  readonly hash: string;
}

export const CHAIN_START: ChainTail = Object.freeze({ version: -1, hash: GENESIS_HASH });

/**
 * The one check of one link: why `event` does not follow `tail` in its stream's chain (a gap in
 * the versions, a previous hash that is not the tail's, content that does not match its hash),
 * or undefined when it does. verifyChain (one stream) and verifyLog (the whole log) both use it.
 */
export const chainLinkFault = (tail: ChainTail, event: RecordedEvent): string | undefined => {
  if (event.streamVersion !== tail.version + 1) return `expected version ${tail.version + 1}`;
  if (event.previousHash !== tail.hash) return 'previous hash does not match the event before';
  if (chainHash(tail.hash, event.streamVersion, contentDigest(event)) !== event.hash) {
    return 'content does not match its hash (changed after it was written)';
  }
  return undefined;
};
