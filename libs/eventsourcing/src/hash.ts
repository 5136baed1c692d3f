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
  let previous = GENESIS_HASH;
  let expectedVersion = 0;
  for (const e of events) {
    const where = { streamVersion: e.streamVersion, eventId: e.id };
    if (e.streamVersion !== expectedVersion) return { ...where, reason: `expected version ${expectedVersion}` };
    if (e.previousHash !== previous) return { ...where, reason: 'previous hash does not match the event before' };
    if (chainHash(previous, e.streamVersion, contentDigest(e)) !== e.hash) {
      return { ...where, reason: 'content does not match its hash (changed after it was written)' };
    }
    previous = e.hash;
    expectedVersion++;
  }
  return undefined;
};
