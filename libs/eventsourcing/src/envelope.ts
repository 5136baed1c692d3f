import type { JsonObject, JsonValue } from './json.js';

/**
 * Who and why: every stored event says who caused it and how it relates to others.
 * `correlationId` ties every event of one business flow together; `causationId` is the
 * id of the command or event that caused this one; `traceparent` is the W3C trace context.
 */
export interface EventMetadata {
  actor?: string;
  correlationId?: string;
  causationId?: string;
  /** Id of the command that produced the event; the command handler uses it for idempotency. */
  commandId?: string;
  traceparent?: string;
  [key: string]: JsonValue | undefined;
}

/** An event as a domain produces it: a fact in the past tense with its data. */
export interface DomainEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  readonly type: Type;
  readonly data: Data;
}

/** An event handed to the store. Missing fields are filled: id (UUIDv7), schema version 1, occurred-at now. */
export interface NewEvent<E extends DomainEvent = DomainEvent> {
  id?: string;
  type: E['type'];
  data: E['data'];
  schemaVersion?: number;
  metadata?: EventMetadata;
  occurredAt?: Date;
}

/**
 * A place in the global log. Two numbers, like KurrentDB's `$all` positions: the log is
 * ordered by `commit`, then by `prepare`. For PostgreSQL, `commit` is the writing
 * transaction's id and `prepare` the row's sequence number; a subscriber that resumes
 * after a position never misses an event committed later.
 */
export interface GlobalPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START: GlobalPosition = Object.freeze({ commit: 0n, prepare: 0n });

export const comparePositions = (a: GlobalPosition, b: GlobalPosition): number =>
  a.commit !== b.commit ? (a.commit < b.commit ? -1 : 1) : a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;

export const formatPosition = (p: GlobalPosition): string => `${p.commit}/${p.prepare}`;

export const parsePosition = (text: string): GlobalPosition => {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new TypeError(`not a log position: ${JSON.stringify(text)} (expected "<commit>/<prepare>")`);
  return { commit: BigInt(match[1] as string), prepare: BigInt(match[2] as string) };
};

/** A stored event: the envelope of DESIGN §2. */
export interface RecordedEvent<E extends DomainEvent = DomainEvent> {
  readonly id: string;
  readonly type: E['type'];
  readonly schemaVersion: number;
  readonly streamName: string;
  /** 0 for the first event of a stream. */
  readonly streamVersion: number;
  readonly position: GlobalPosition;
  readonly data: E['data'];
  readonly metadata: EventMetadata;
  readonly occurredAt: Date;
  readonly recordedAt: Date;
  /** Hex SHA-256 chaining this event to its predecessor in the stream (see hash.ts). */
  readonly hash: string;
  readonly previousHash: string;
}
