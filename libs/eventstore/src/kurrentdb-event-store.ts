import type {
  AllStreamResolvedEvent,
  AppendResult as KdbAppendResult,
  EventData,
  Filter,
  KurrentDBClient,
  Position,
  ReadAllOptions as KdbReadAllOptions,
  ReadStreamOptions as KdbReadStreamOptions,
  ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import {
  categoryOf,
  chainHash,
  comparePositions,
  EventIdConflictError,
  GENESIS_HASH,
  START,
  ValidationError,
  WrongExpectedVersionError,
  type AppendOptions,
  type AppendResult,
  type DomainEvent,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type GlobalPosition,
  type JsonObject,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type Subscription,
  type SubscriptionOptions,
} from '@workshare/eventsourcing';
import { LocalSubscriptions } from './catch-up-subscription.js';
import {
  assertLimit,
  assertPosition,
  assertReadStreamOptions,
  readAllPages,
  type LogPage,
  type PagedLog,
} from './reading.js';
import {
  assertCategories,
  assertExpectedVersion,
  assertSameContent,
  assertStreamName,
  prepareEvents,
  type PreparedEvent,
} from './validation.js';

/** The client library, loaded on first connect: the embedded and PostgreSQL stores never pay for gRPC and the native bridge. */
type Kdb = typeof import('@kurrent/kurrentdb-client');

/**
 * Where checkpoints live: one stream per durable subscription, `_workshare_checkpoint-<id>`,
 * each checkpoint an event, the stream capped with `$maxCount: 1` so that the server may
 * scavenge the old ones. Why events in a stream:
 * - it is the one durable, strongly consistent key/value place KurrentDB offers; reading the
 *   stream backwards, one event, gives the latest checkpoint whatever the cap;
 * - the name starts with `_`, so it can never be a stream of the domain (those are
 *   `<letter-led category>-<id>`, see assertStreamName) and readAll leaves it out with the same
 *   stream-name filter that leaves out system streams;
 * - unlike a `$`-prefixed name it is not a system stream, so a plain (non-admin) user allowed to
 *   write the domain's streams may write it too.
 * Server-side persistent subscriptions were not used: they track progress per consumer group
 * with their own delivery semantics (parking, retries, no strict log order with several
 * consumers), while the contract asks for the same in-order, at-least-once catch-up as every
 * other adapter, which CatchUpSubscription already provides over readAll + checkpoints.
 */
const CHECKPOINT_STREAM_PREFIX = '_workshare_checkpoint-';
const CHECKPOINT_EVENT_TYPE = 'WorkshareCheckpoint';

/**
 * The streams readAll shows: exactly those this adapter may write (assertStreamName), i.e. no
 * system streams (`$...`), no metadata streams (`$$...`) and no checkpoint streams (`_...`).
 * Applied on the server (a stream-name regex filter on `$all`) and again on the client.
 */
const LOG_STREAM_REGEX = '^[A-Za-z][A-Za-z0-9_]*-';
const LOG_STREAM = new RegExp(LOG_STREAM_REGEX);
const LOG_FILTER: Filter = { filterOn: 'streamName', regex: LOG_STREAM_REGEX, checkpointInterval: 1 };

/** The schemes the adapter accepts; the client itself wants `kurrentdb://` (it warns on `esdb://`). */
const URL_SCHEME = /^(kurrentdb|kurrent|esdb|kdb)(\+discover)?:\/\//i;

/**
 * What KurrentDB does not hold natively goes into the event's metadata JSON:
 * `workshare` carries the envelope (schema version, occurred-at, hash chain), `metadata` the
 * caller's metadata exactly as given. `$correlationId` / `$causationId` repeat the ids under the
 * names KurrentDB's own projections (`$by_correlation_id`) understand; they are not read back.
 */
type StoredMetadata = {
  workshare: {
    /** Layout version of this object. */
    v: 1;
    schemaVersion: number;
    /** ISO-8601 UTC, to the millisecond. */
    occurredAt: string;
    previousHash: string;
    hash: string;
  };
  metadata: EventMetadata;
  $correlationId?: string;
  $causationId?: string;
};

/** The fields of a KurrentDB event this adapter looks at (JSON and binary events alike). */
interface StoredEvent {
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  created: Date;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

export interface KurrentDbEventStoreOptions {
  /**
   * How many of a stream's last events an append looks through for the ids it is about to write
   * (default 100, at least the batch size). A retried batch found there is answered
   * idempotently; an id found there in another batch is refused. See `append`.
   */
  idempotencyWindow?: number;
  /** Attempts of an `any`/`stream_exists` append that keeps losing races to other writers (default 10). */
  maxAppendAttempts?: number;
}

type Attempt = { done: AppendResult } | { raced: number | undefined };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads our envelope back from an event's metadata; events written by other tools get neutral values. */
const readEnvelope = (metadata: unknown) => {
  const stored = isPlainObject(metadata) ? metadata : {};
  const envelope = isPlainObject(stored.workshare) ? stored.workshare : {};
  const user = isPlainObject(stored.metadata) ? (stored.metadata as EventMetadata) : {};
  return {
    schemaVersion: typeof envelope.schemaVersion === 'number' ? envelope.schemaVersion : 1,
    occurredAt: typeof envelope.occurredAt === 'string' ? new Date(envelope.occurredAt) : undefined,
    hash: typeof envelope.hash === 'string' ? envelope.hash : '',
    previousHash: typeof envelope.previousHash === 'string' ? envelope.previousHash : '',
    metadata: user,
  };
};

const toPosition = (p: Position): GlobalPosition => ({ commit: p.commit, prepare: p.prepare });

const toRecorded = (e: StoredEvent): RecordedEvent => {
  const envelope = readEnvelope(e.metadata);
  return {
    id: e.id.toLowerCase(),
    type: e.type,
    schemaVersion: envelope.schemaVersion,
    streamName: e.streamId,
    streamVersion: Number(e.revision),
    // Events read from a stream carry their $all position on KurrentDB ≥ 22.6.
    position: e.position ? toPosition(e.position) : START,
    data: isPlainObject(e.data) ? (e.data as JsonObject) : {},
    metadata: envelope.metadata,
    occurredAt: envelope.occurredAt ?? e.created,
    recordedAt: e.created,
    hash: envelope.hash,
    previousHash: envelope.previousHash,
  };
};

/** Events of the domain's log: a stream this adapter may write, and not a system event type. */
const inLog = (e: StoredEvent): boolean => LOG_STREAM.test(e.streamId) && !e.type.startsWith('$');

/**
 * The event store over KurrentDB (`kurrentdb://`, `esdb://` or `kdb://` URLs).
 *
 * - A stream is a KurrentDB stream of the same name; event id, type and JSON data are stored
 *   natively, the rest of the envelope in the metadata (see StoredMetadata).
 * - Global positions are KurrentDB's `$all` positions: `{commit, prepare}` = the event's commit
 *   and prepare positions in the transaction log, compared commit first like the server does.
 *   The server makes `$all` visible as a growing prefix of the log (a read never sees an event
 *   while an earlier one is still uncommitted), so a reader resuming after a position misses
 *   nothing.
 * - Appends compute the hash chain on the client: read the stream's last event, chain to its
 *   hash, append with that exact revision; a concurrent writer makes the server refuse the
 *   append, and it is worked out again (see `append`).
 */
export class KurrentDbEventStore implements EventStore, PagedLog {
  readonly kind = 'kurrentdb';
  private readonly subscriptions = new LocalSubscriptions();
  /** Checkpoint streams whose `$maxCount` this process has already set. */
  private readonly cappedCheckpointStreams = new Set<string>();
  private readonly idempotencyWindow: number;
  private readonly maxAppendAttempts: number;
  private closed = false;

  private constructor(
    private readonly kdb: Kdb,
    private readonly client: KurrentDBClient,
    options: KurrentDbEventStoreOptions,
  ) {
    this.idempotencyWindow = assertLimit(options.idempotencyWindow ?? 100, 100_000);
    this.maxAppendAttempts = assertLimit(options.maxAppendAttempts ?? 10, 1000);
  }

  /**
   * Connects to KurrentDB. `url` is a KurrentDB connection string whose scheme may be
   * `kurrentdb`, `esdb`, `kdb` or `kurrent` (each optionally `+discover`), e.g.
   * `kurrentdb://admin:changeit@localhost:2113?tls=false`. Checks the server answers (a one-event
   * read of `$all`) before returning, like the SQL store fails fast when the database is away.
   */
  static async connect(url: string, options: KurrentDbEventStoreOptions = {}): Promise<KurrentDbEventStore> {
    const match = typeof url === 'string' ? URL_SCHEME.exec(url) : null;
    if (!match) {
      throw new ValidationError(
        'eventstore.invalid_url',
        'a KurrentDB URL starts with kurrentdb://, esdb:// or kdb://',
      );
    }
    const connectionString = `kurrentdb${(match[2] ?? '').toLowerCase()}://${url.slice(match[0].length)}`;
    const kdb: Kdb = await import('@kurrent/kurrentdb-client');
    let client: KurrentDBClient;
    try {
      client = kdb.KurrentDBClient.connectionString(connectionString);
    } catch (error) {
      // The parser's message quotes part of the string, which may be a password: keep only what it expected.
      const expected = (error as { expected?: unknown }).expected;
      throw new ValidationError(
        'eventstore.invalid_url',
        `not a valid KurrentDB connection string${typeof expected === 'string' ? ` (expected ${expected})` : ''}`,
      );
    }
    const store = new KurrentDbEventStore(kdb, client, options);
    try {
      await store.headPosition();
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw error;
    }
    return store;
  }

  /**
   * Appends all of `events` or none, with the same validation and errors as the SQL store.
   *
   * 1. Read the stream's last events, backwards: the newest gives the current version and the
   *    hash to chain to; the others (up to `idempotencyWindow`) are where a retried batch would be.
   * 2. Idempotency: an id of the batch found there (or, with an exact expected version or
   *    `no_stream`, right after that version, as KurrentDB itself checks) means either the very
   *    same batch is stored at consecutive versions (answered with the stored events,
   *    `idempotent: true`, whatever the expected version; with other content, refused with
   *    EventContentConflictError) or an id belongs to another append (EventIdConflictError). The same batch is also recognised when the server itself
   *    deduplicates it (its answer then points at the original revisions).
   * 3. Check the expected version against the version read (WrongExpectedVersionError, with the
   *    actual version, undefined for a stream with no events).
   * 4. Chain the hashes and append with `streamState` = the exact revision read (`no_stream` for a
   *    new stream). If another writer got in between, the server refuses; the whole append is
   *    worked out again: for an exact version or `no_stream` that ends in the caller's
   *    WrongExpectedVersionError (or idempotency, when the other writer was a retry of this
   *    batch); for `any` / `stream_exists` it is retried up to `maxAppendAttempts` times.
   * 5. Read the new events back, so the answer is exactly what readStream returns.
   *
   * What KurrentDB cannot tell cheaply (it keeps no index by event id) is left undetected: an id
   * stored in another stream, or in this stream further back than the window.
   */
  async append<E extends DomainEvent>(
    stream: string,
    events: readonly NewEvent<E>[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    assertStreamName(stream);
    const expected = assertExpectedVersion(options.expectedVersion ?? 'any');
    const prepared = prepareEvents(stream, events);
    this.assertOpen();
    let actual: number | undefined;
    for (let attempt = 1; attempt <= this.maxAppendAttempts; attempt++) {
      const outcome = await this.tryAppend(stream, expected, prepared);
      if ('done' in outcome) {
        if (!outcome.done.idempotent) this.subscriptions.appended();
        return outcome.done;
      }
      actual = outcome.raced;
      await sleep(Math.random() * Math.min(2 ** attempt, 50));
    }
    throw new WrongExpectedVersionError(stream, String(expected), actual);
  }

  private async tryAppend(stream: string, expected: ExpectedVersion, prepared: PreparedEvent[]): Promise<Attempt> {
    const ids = prepared.map((e) => e.id);
    const count = ids.length;
    const batchIds = new Set(ids);
    const isOurs = (e: StoredEvent) => batchIds.has(e.id.toLowerCase());

    const tail = await this.readRaw(stream, {
      direction: 'backwards',
      fromRevision: 'end',
      maxCount: Math.max(count, this.idempotencyWindow),
      requiresLeader: true,
    });
    const last = tail[0];
    const current = last === undefined ? undefined : Number(last.revision);

    let found = tail.find(isOurs);
    const base = expected === 'no_stream' ? -1 : typeof expected === 'number' ? expected : undefined;
    if (!found && base !== undefined && current !== undefined && current > base) {
      const after = await this.readRaw(stream, {
        direction: 'forwards',
        fromRevision: BigInt(base + 1),
        maxCount: count,
        requiresLeader: true,
      });
      found = after.find(isOurs);
    }
    if (found) return { done: await this.storedBatch(stream, prepared, found) };

    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && current === undefined) ||
      (expected === 'stream_exists' && current !== undefined) ||
      expected === current;
    if (!ok) throw new WrongExpectedVersionError(stream, String(expected), current);

    const first = current === undefined ? 0 : current + 1;
    let previousHash = last === undefined ? GENESIS_HASH : readEnvelope(last.metadata).hash;
    const proposed: EventData[] = prepared.map((e, i) => {
      // Hash scheme 1: the server sets the recorded-at (`created`) after the hash is made, so it
      // stays outside it here; the seals (seals.ts) cover it, as they do every stored field.
      const hash = chainHash(previousHash, first + i, e.digest);
      const metadata: StoredMetadata = {
        workshare: { v: 1, schemaVersion: e.schemaVersion, occurredAt: e.occurredAt.toISOString(), previousHash, hash },
        metadata: e.metadata,
        ...(typeof e.metadata.correlationId === 'string' ? { $correlationId: e.metadata.correlationId } : {}),
        ...(typeof e.metadata.causationId === 'string' ? { $causationId: e.metadata.causationId } : {}),
      };
      previousHash = hash;
      return this.kdb.jsonEvent({ id: e.id, type: e.type, data: e.data, metadata });
    });

    let result: KdbAppendResult;
    try {
      result = await this.client.appendToStream(stream, proposed, {
        streamState: current === undefined ? 'no_stream' : BigInt(current),
      });
    } catch (error) {
      if (error instanceof this.kdb.WrongExpectedVersionError) {
        return {
          raced:
            typeof error.actualState === 'bigint' && error.actualState >= 0n ? Number(error.actualState) : undefined,
        };
      }
      if (error instanceof this.kdb.MaxAppendSizeExceededError) {
        throw new ValidationError(
          'eventstore.append_too_large',
          `the batch is larger than the server's maximum append size (${error.maxAppendSize} bytes); append fewer events at a time`,
          { maxAppendSize: error.maxAppendSize },
        );
      }
      throw error;
    }
    if (!result.success) {
      // Only with throwOnAppendFailure=false in the connection string: a refused expected revision.
      return { raced: result.nextExpectedRevision >= 0n ? Number(result.nextExpectedRevision) : undefined };
    }

    const lastRevision = result.nextExpectedRevision;
    if (lastRevision !== BigInt(first + count - 1)) {
      // The server recognised the batch (the same ids right after the revision we sent, which
      // another writer, a retry of this very append, stored in between) and wrote nothing.
      const original = await this.readRaw(stream, {
        direction: 'forwards',
        fromRevision: lastRevision - BigInt(count - 1),
        maxCount: count,
        requiresLeader: true,
      });
      const hit = original.find(isOurs);
      if (!hit)
        throw new Error(
          `KurrentDB answered revision ${lastRevision} for an append to ${stream}, but the events are not there`,
        );
      return { done: await this.storedBatch(stream, prepared, hit) };
    }
    const written = await this.readRaw(stream, {
      direction: 'forwards',
      fromRevision: BigInt(first),
      maxCount: count,
      requiresLeader: true,
    });
    if (written.length !== count || written.some((e, i) => e.id.toLowerCase() !== ids[i])) {
      throw new Error(`events appended to ${stream} at version ${first} could not be read back`);
    }
    const recorded = written.map(toRecorded);
    const tip = recorded[recorded.length - 1]!;
    return {
      done: { nextExpectedVersion: tip.streamVersion, position: tip.position, events: recorded, idempotent: false },
    };
  }

  /** An id of the batch is stored at `found`: the same batch, answered as stored, or a conflict (of ids, or of content). */
  private async storedBatch(stream: string, prepared: PreparedEvent[], found: StoredEvent): Promise<AppendResult> {
    const ids = prepared.map((e) => e.id);
    const foundId = found.id.toLowerCase();
    const start = Number(found.revision) - ids.indexOf(foundId);
    const stored =
      start < 0
        ? []
        : await this.readRaw(stream, {
            direction: 'forwards',
            fromRevision: BigInt(start),
            maxCount: ids.length,
            requiresLeader: true,
          });
    if (stored.length !== ids.length || stored.some((e, i) => e.id.toLowerCase() !== ids[i])) {
      throw new EventIdConflictError(
        foundId,
        `already stored in ${stream} at version ${found.revision}, as part of another append`,
      );
    }
    const recorded = stored.map(toRecorded);
    assertSameContent(prepared, recorded);
    const tip = recorded[recorded.length - 1]!;
    return { nextExpectedVersion: tip.streamVersion, position: tip.position, events: recorded, idempotent: true };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamName(stream);
    const { backwards, from, limit } = assertReadStreamOptions(options);
    this.assertOpen();
    const events = await this.readRaw(stream, {
      direction: backwards ? 'backwards' : 'forwards',
      fromRevision: from === undefined ? (backwards ? 'end' : 'start') : BigInt(from),
      ...(limit === undefined ? {} : { maxCount: limit }),
    });
    // A stream of this adapter holds no system events; one written by other means is skipped.
    return events.filter((e) => !e.type.startsWith('$')).map(toRecorded);
  }

  async streamVersion(stream: string): Promise<number | undefined> {
    assertStreamName(stream);
    this.assertOpen();
    const [last] = await this.readRaw(stream, { direction: 'backwards', fromRevision: 'end', maxCount: 1 });
    return last === undefined ? undefined : Number(last.revision);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return (await this.readPage(options)).events;
  }

  /**
   * readAll, and where the next read goes on from (LogPage.end): what subscriptions read.
   * Categories are a server-side stream-name prefix filter on `$all` (`<category>-` each; the
   * events are checked again here). A filtered read that comes back short has read `$all` to its
   * end: it ends at the head of the log read just before it (every event up to that head was
   * there for the filtered read to see). The client's `$all` reads do not pass on the filter's
   * checkpoints (only subscribeToAll has checkpointReached), hence the head read.
   */
  async readPage(options: ReadAllOptions = {}): Promise<LogPage> {
    const after = assertPosition(options.after ?? START);
    const limit = assertLimit(options.limit ?? 1000, 10_000);
    const categories = assertCategories(options.categories);
    this.assertOpen();
    const head = categories === undefined ? undefined : await this.headPosition();
    const wanted = categories === undefined ? undefined : new Set(categories);
    const filter =
      categories === undefined
        ? LOG_FILTER
        : this.kdb.streamNameFilter({ prefixes: categories.map((c) => `${c}-`), checkpointInterval: 1 });
    const events: RecordedEvent[] = [];
    for await (const e of this.scanLog('forwards', after, limit, filter)) {
      if (wanted !== undefined && !wanted.has(categoryOf(e.streamId))) continue;
      events.push(toRecorded(e));
      if (events.length === limit) break;
    }
    let end = events[events.length - 1]?.position ?? after;
    if (head !== undefined && events.length < limit && comparePositions(head, end) > 0) end = head;
    return { events, end };
  }

  streamAll(options: ReadAllOptions & { pageSize?: number } = {}): AsyncIterable<RecordedEvent> {
    return readAllPages(this, options);
  }

  async headPosition(): Promise<GlobalPosition> {
    this.assertOpen();
    for await (const e of this.scanLog('backwards', undefined, 32)) return e.position ? toPosition(e.position) : START;
    return START;
  }

  subscribe(options: SubscriptionOptions): Subscription {
    this.assertOpen();
    return this.subscriptions.start(this, options);
  }

  async readCheckpoint(subscriptionId: string): Promise<GlobalPosition | undefined> {
    const stream = checkpointStream(subscriptionId);
    this.assertOpen();
    const [last] = await this.readRaw(stream, {
      direction: 'backwards',
      fromRevision: 'end',
      maxCount: 1,
      requiresLeader: true,
    });
    if (last === undefined) return undefined;
    const data = isPlainObject(last.data) ? last.data : {};
    if (
      typeof data.commit !== 'string' ||
      typeof data.prepare !== 'string' ||
      !/^\d+$/.test(data.commit) ||
      !/^\d+$/.test(data.prepare)
    ) {
      throw new Error(`checkpoint of subscription ${subscriptionId} (stream ${stream}) is unreadable`);
    }
    return { commit: BigInt(data.commit), prepare: BigInt(data.prepare) };
  }

  async storeCheckpoint(subscriptionId: string, position: GlobalPosition): Promise<void> {
    const stream = checkpointStream(subscriptionId);
    assertPosition(position);
    this.assertOpen();
    await this.client.appendToStream(
      stream,
      this.kdb.jsonEvent({
        type: CHECKPOINT_EVENT_TYPE,
        data: { commit: position.commit.toString(), prepare: position.prepare.toString() },
      }),
      { streamState: 'any' },
    );
    if (!this.cappedCheckpointStreams.has(stream)) {
      this.cappedCheckpointStreams.add(stream);
      // Only the latest checkpoint matters: let the server scavenge the others. Setting it once
      // per process is enough (it is stream metadata, kept by the server). Should this user not
      // be allowed to write stream metadata, checkpoints still work, they just pile up.
      await this.client.setStreamMetadata(stream, { maxCount: 1 }).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Subscriptions first: a stopping subscription saves its checkpoint, which needs the client.
    await this.subscriptions.stopAll();
    this.closed = true;
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the KurrentDB event store is closed');
  }

  /** A stream's events as stored (links not resolved); a stream that does not exist reads as empty. */
  private async readRaw(stream: string, options: KdbReadStreamOptions): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, { resolveLinkTos: false, ...options })) {
        const e = storedEvent(resolved);
        if (e) out.push(e);
      }
    } catch (error) {
      if (error instanceof this.kdb.StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  /**
   * The domain's events in `$all` (those of `filter`'s streams), strictly after (forwards) or
   * before (backwards) `from`, page by page. A page is read whole before its events are handed
   * out, so no server read stays open while the caller works. KurrentDB reads `$all` from a
   * position inclusively: each page asks for one event more and drops what is not strictly past
   * the boundary.
   */
  private async *scanLog(
    direction: 'forwards' | 'backwards',
    from: GlobalPosition | undefined,
    pageSize: number,
    filter: Filter = LOG_FILTER,
  ): AsyncGenerator<StoredEvent> {
    const forwards = direction === 'forwards';
    let boundary = from && (from.commit > 0n || from.prepare > 0n) ? from : undefined;
    for (;;) {
      const want = pageSize + 1;
      const options: KdbReadAllOptions = {
        direction,
        fromPosition: boundary ? { commit: boundary.commit, prepare: boundary.prepare } : forwards ? 'start' : 'end',
        maxCount: want,
        resolveLinkTos: false,
        filter,
      };
      const page: AllStreamResolvedEvent[] = [];
      for await (const resolved of this.client.readAll(options)) page.push(resolved);
      let lastPosition: GlobalPosition | undefined;
      const visible: StoredEvent[] = [];
      for (const resolved of page) {
        const e = resolved.event;
        if (!e?.position) continue;
        const position = toPosition(e.position);
        lastPosition = position;
        if (boundary) {
          const order = comparePositions(position, boundary);
          if (forwards ? order <= 0 : order >= 0) continue;
        }
        const stored = storedEvent(resolved);
        if (stored && inLog(stored)) visible.push(stored);
      }
      for (const e of visible) yield e;
      if (page.length < want || lastPosition === undefined) return;
      boundary = lastPosition;
    }
  }
}

const storedEvent = (resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent | undefined => {
  const e = resolved.event;
  if (!e) return undefined;
  return {
    streamId: e.streamId,
    id: e.id,
    type: e.type,
    revision: e.revision,
    created: e.created,
    data: e.data,
    metadata: e.metadata,
    ...(e.position
      ? { position: e.position }
      : resolved.commitPosition !== undefined
        ? { position: { commit: resolved.commitPosition, prepare: resolved.commitPosition } }
        : {}),
  };
};

const checkpointStream = (subscriptionId: unknown): string => {
  if (typeof subscriptionId !== 'string' || subscriptionId.length === 0 || subscriptionId.length > 200) {
    throw new ValidationError(
      'eventstore.invalid_subscription_id',
      'a subscription id is a non-empty string of at most 200 characters',
    );
  }
  return `${CHECKPOINT_STREAM_PREFIX}${subscriptionId}`;
};
