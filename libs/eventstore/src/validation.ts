import {
  checkedCanonicalJson,
  isUuid,
  sha256Hex,
  uuidv7,
  ValidationError,
  type EventMetadata,
  type ExpectedVersion,
  canonicalJson,
  EventContentConflictError,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
} from '@workshare/eventsourcing';

/** Limits every adapter enforces, documented in the README. */
export const LIMITS = Object.freeze({
  /** Stream names: `<category>-<id>`, at most this many characters. */
  streamNameLength: 200,
  /** Event types: a name such as `TaskHandedOff`, at most this many characters. */
  eventTypeLength: 128,
  /** One event's content (data + metadata + envelope, as canonical JSON, UTF-8), in bytes. */
  eventBytes: 1024 * 1024,
  /** Events in one append. */
  eventsPerAppend: 1000,
  /** Categories in one read or subscription (`categories`). */
  categoriesPerRead: 50,
});

// The id part may hold anything printable but spaces; control characters are refused.
// eslint-disable-next-line no-control-regex
const STREAM_NAME = /^[A-Za-z][A-Za-z0-9_]*-[^\s\u0000-\u001f\u007f]+$/;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.]*$/;
/** The category part of a stream name (STREAM_NAME up to its first dash). */
const CATEGORY = /^[A-Za-z][A-Za-z0-9_]*$/;

/** `<category>-<id>`: a letter-led category, a dash, then an id without spaces or control characters. */
export const assertStreamName = (stream: unknown): string => {
  if (typeof stream !== 'string' || stream.length === 0) {
    throw new ValidationError(
      'eventstore.invalid_stream_name',
      'a stream name is required (a non-empty string such as "task-42")',
    );
  }
  if (stream.length > LIMITS.streamNameLength) {
    throw new ValidationError(
      'eventstore.invalid_stream_name',
      `stream name longer than ${LIMITS.streamNameLength} characters`,
      { stream: stream.slice(0, 40) },
    );
  }
  if (!STREAM_NAME.test(stream)) {
    throw new ValidationError(
      'eventstore.invalid_stream_name',
      `stream name ${JSON.stringify(stream)} is not <category>-<id> (a letter-led category, a dash, an id without spaces)`,
      { stream },
    );
  }
  return stream;
};

const describeValue = (value: unknown): string =>
  typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : typeof value;

/**
 * The `categories` of a read or subscription: undefined (no filter), or 1 to
 * `LIMITS.categoriesPerRead` categories, each what a stream name may hold before its first dash.
 * Answers them without repeats.
 */
export const assertCategories = (categories: unknown): readonly string[] | undefined => {
  if (categories === undefined) return undefined;
  const invalid = (message: string, details: Record<string, unknown> = {}) =>
    new ValidationError('eventstore.invalid_categories', message, details);
  if (!Array.isArray(categories)) throw invalid('categories is a list of stream categories, such as ["job", "member"]');
  if (categories.length === 0) throw invalid('categories, when given, names at least one category');
  if (categories.length > LIMITS.categoriesPerRead)
    throw invalid(`at most ${LIMITS.categoriesPerRead} categories in one read, got ${categories.length}`);
  categories.forEach((category: unknown, index) => {
    if (typeof category !== 'string' || category.length > LIMITS.streamNameLength - 2 || !CATEGORY.test(category)) {
      throw invalid(
        `category #${index} (${describeValue(category)}) is not a stream category: a letter-led name of letters, digits and _, as a stream name holds before its first "-"`,
        { index },
      );
    }
  });
  return [...new Set(categories as string[])];
};

export const assertExpectedVersion = (expected: unknown): ExpectedVersion => {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return expected;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return expected;
  throw new ValidationError(
    'eventstore.invalid_expected_version',
    `expected version ${JSON.stringify(expected) ?? String(expected)} is not 'any', 'no_stream', 'stream_exists' or a version number ≥ 0`,
  );
};

const invalidEvent = (index: number, message: string, details: Record<string, unknown> = {}) =>
  new ValidationError('eventstore.invalid_event', `event #${index}: ${message}`, { index, ...details });

/** An event checked and completed, ready for any adapter: its digest is what the hash chain links. */
export interface PreparedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  data: JsonObject;
  metadata: EventMetadata;
  occurredAt: Date;
  /** Whether the caller gave occurred-at (else it is the instant of this append). */
  occurredAtGiven: boolean;
  /** Canonical JSON of data and metadata, as sent to the store (no second serialisation). */
  dataJson: string;
  metadataJson: string;
  digest: string;
}

const cleanMetadata = (index: number, metadata: unknown): EventMetadata => {
  if (metadata === undefined) return {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw invalidEvent(index, 'metadata must be a plain object');
  }
  // Optional fields left undefined (a missing causation id, say) are dropped, not refused.
  const clean: EventMetadata = {};
  for (const [key, value] of Object.entries(metadata))
    if (value !== undefined) clean[key] = value as EventMetadata[string];
  return clean;
};

const canonical = (index: number, value: unknown, path: string): string => {
  try {
    return checkedCanonicalJson(value, path);
  } catch (error) {
    throw invalidEvent(index, (error as Error).message);
  }
};

/**
 * Checks a batch before anything is sent to a store, so that bad input is refused whole with a
 * clear error and nothing is stored; fills in ids, schema versions and occurred-at.
 */
export const prepareEvents = (stream: string, events: unknown): PreparedEvent[] => {
  if (!Array.isArray(events) || events.length === 0) {
    throw new ValidationError('eventstore.invalid_event', 'append needs a non-empty array of events');
  }
  if (events.length > LIMITS.eventsPerAppend) {
    throw new ValidationError(
      'eventstore.too_many_events',
      `at most ${LIMITS.eventsPerAppend} events in one append, got ${events.length}`,
    );
  }
  const ids = new Set<string>();
  const streamJson = JSON.stringify(stream);
  return events.map((raw: unknown, index): PreparedEvent => {
    if (typeof raw !== 'object' || raw === null) throw invalidEvent(index, 'not an object');
    const e = raw as Partial<NewEvent> & Record<string, unknown>;
    const given = e.id ?? uuidv7();
    if (!isUuid(given)) throw invalidEvent(index, `id ${JSON.stringify(given)} is not a UUID`);
    const id = given.toLowerCase();
    if (ids.has(id)) throw invalidEvent(index, `id ${id} appears twice in the batch`);
    ids.add(id);
    if (typeof e.type !== 'string' || e.type.length > LIMITS.eventTypeLength || !EVENT_TYPE.test(e.type)) {
      throw invalidEvent(index, `type ${JSON.stringify(e.type)} is not an event name such as "TaskHandedOff"`);
    }
    const schemaVersion = e.schemaVersion ?? 1;
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > 2 ** 31 - 1) {
      throw invalidEvent(index, `schemaVersion ${JSON.stringify(schemaVersion)} is not a positive integer`);
    }
    if (typeof e.data !== 'object' || e.data === null || Array.isArray(e.data)) {
      throw invalidEvent(index, 'data must be a plain JSON object');
    }
    const dataJson = canonical(index, e.data, 'data');
    const metadata = cleanMetadata(index, e.metadata);
    const metadataJson = canonical(index, metadata, 'metadata');
    const occurredAt = e.occurredAt ?? new Date();
    if (!(occurredAt instanceof Date) || Number.isNaN(occurredAt.getTime()))
      throw invalidEvent(index, 'occurredAt is not a valid Date');
    // canonicalContent() of hash.ts, assembled from the parts already serialised (keys in sorted order).
    const content =
      `{"data":${dataJson},"id":"${id}","metadata":${metadataJson},"occurredAt":"${occurredAt.toISOString()}",` +
      `"schemaVersion":${schemaVersion},"stream":${streamJson},"type":${JSON.stringify(e.type)}}`;
    const bytes = Buffer.byteLength(content, 'utf8');
    if (bytes > LIMITS.eventBytes) {
      throw new ValidationError(
        'eventstore.event_too_large',
        `event #${index} is ${bytes} bytes; the limit is ${LIMITS.eventBytes}`,
        { index, bytes },
      );
    }
    return {
      id,
      type: e.type,
      schemaVersion,
      data: e.data as JsonObject,
      metadata,
      occurredAt,
      occurredAtGiven: e.occurredAt !== undefined,
      dataJson,
      metadataJson,
      digest: sha256Hex(content),
    };
  });
};

/**
 * A retried append is answered with what was stored only when it carries the same events: for
 * each, the same type, schema version, data and metadata (as canonical JSON), and the same
 * occurred-at when the caller gave one (left out, it is the instant of each try). Anything else
 * is refused with EventContentConflictError: the new content is never dropped silently.
 */
export const assertSameContent = (prepared: readonly PreparedEvent[], stored: readonly RecordedEvent[]): void => {
  prepared.forEach((e, i) => {
    const s = stored[i]!;
    const differs: string[] = [];
    if (s.type !== e.type) differs.push('type');
    if (s.schemaVersion !== e.schemaVersion) differs.push('schemaVersion');
    if (canonicalJson(s.data) !== e.dataJson) differs.push('data');
    if (canonicalJson(s.metadata as JsonObject) !== e.metadataJson) differs.push('metadata');
    if (e.occurredAtGiven && s.occurredAt.getTime() !== e.occurredAt.getTime()) differs.push('occurredAt');
    if (differs.length > 0) throw new EventContentConflictError(e.id, differs);
  });
};
