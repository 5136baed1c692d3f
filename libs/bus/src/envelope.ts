import {
  formatPosition,
  parsePosition,
  type EventMetadata,
  type JsonObject,
  type RecordedEvent,
} from '@workshare/eventsourcing';

/**
 * The wire form of an integration event: the store's envelope as JSON, positions as strings
 * (`"<commit>/<prepare>"`: bigints do not survive JSON), dates as ISO-8601 UTC.
 */
export interface WireEnvelope {
  id: string;
  type: string;
  schemaVersion: number;
  streamName: string;
  streamVersion: number;
  position: string;
  data: unknown;
  metadata: unknown;
  occurredAt: string;
  recordedAt: string;
  hash: string;
  previousHash: string;
}

export const toWire = (event: RecordedEvent): WireEnvelope => ({
  id: event.id,
  type: event.type,
  schemaVersion: event.schemaVersion,
  streamName: event.streamName,
  streamVersion: event.streamVersion,
  position: formatPosition(event.position),
  data: event.data,
  metadata: event.metadata,
  occurredAt: event.occurredAt.toISOString(),
  recordedAt: event.recordedAt.toISOString(),
  hash: event.hash,
  previousHash: event.previousHash,
});

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const encodeEnvelope = (event: RecordedEvent): Uint8Array => encoder.encode(JSON.stringify(toWire(event)));

const field = <T>(o: Record<string, unknown>, key: string, check: (v: unknown) => v is T, what: string): T => {
  const value = o[key];
  if (!check(value)) throw new TypeError(`envelope field ${key} is not ${what}`);
  return value;
};
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isDateText = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** Checks and rebuilds a RecordedEvent from its parsed wire form; throws a TypeError naming the bad field. */
export const fromWire = (value: unknown): RecordedEvent => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError('envelope is not a JSON object');
  const o = value as Record<string, unknown>;
  // Parsed JSON holds nothing but JSON values: checking the shape is enough.
  const data = o.data;
  const metadata = o.metadata;
  if (!isObject(data)) throw new TypeError('envelope field data is not a JSON object');
  if (!isObject(metadata)) throw new TypeError('envelope field metadata is not a JSON object');
  return {
    id: field(o, 'id', isString, 'a string'),
    type: field(o, 'type', isString, 'a string'),
    schemaVersion: field(o, 'schemaVersion', isInteger, 'a whole number'),
    streamName: field(o, 'streamName', isString, 'a string'),
    streamVersion: field(o, 'streamVersion', isInteger, 'a whole number'),
    position: parsePosition(field(o, 'position', isString, 'a position string')),
    data,
    metadata: metadata as EventMetadata,
    occurredAt: new Date(field(o, 'occurredAt', isDateText, 'an ISO date')),
    recordedAt: new Date(field(o, 'recordedAt', isDateText, 'an ISO date')),
    hash: field(o, 'hash', isString, 'a string'),
    previousHash: field(o, 'previousHash', isString, 'a string'),
  };
};

export const decodeEnvelope = (bytes: Uint8Array): RecordedEvent =>
  fromWire(JSON.parse(decoder.decode(bytes)) as unknown);
