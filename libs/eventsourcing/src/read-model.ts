import { performance } from 'node:perf_hooks';
import { breathe } from './breathing.js';
import { comparePositions, type GlobalPosition, type RecordedEvent } from './envelope.js';
import {
  storedJson,
  type ProjectionCheckpoint,
  type ProjectionDocument,
  type ProjectionStore,
} from './projection-store.js';
import { ReadModelRebuilds } from './rebuilds.js';
import type { EventStore, ReadAllOptions } from './store.js';

/**
 * Read models (projections) of a service: durable, folded from the events of the categories
 * they read, their state kept in a ProjectionStore (tables of the service's own schema) and
 * written in the same transaction as their checkpoint, so a restart reads only what came after
 * the checkpoint. Applying an event twice changes nothing (documents carry their stream's
 * version). They learn of changes two ways:
 * - **write-through**: the service hands them the events it has just appended, so what this
 *   process wrote is read back at once;
 * - **catch-up**: passes over their categories from the checkpoint, shared by the reads waiting
 *   for them, for what other processes (other pods) wrote; each page read is committed.
 * They can be rebuilt from zero on demand (`rebuild`), and are when their code's version changes.
 */

export interface LogFollowerOptions {
  /**
   * How old what a read sees may be, at most, for writes made by other processes: a read waits
   * for a pass when the last one began longer ago than this (default 100 ms; 0: every read waits
   * for a pass that began after it).
   */
  readonly maxStalenessMs?: number;
  /** The clock the bound is measured with, in milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

export const DEFAULT_MAX_STALENESS_MS = 100;

/**
 * Runs passes for a read model: `ensureFresh()` before a read resolves once a pass that began at
 * most `maxStalenessMs` ago has completed. Once half the bound has gone by, a read also starts a
 * pass in the background, so that under steady load reads seldom wait at all. Passes never
 * overlap; calls made while one runs share the next.
 */
export class LogFollower {
  private readonly maxStalenessMs: number;
  /** When the last completed pass began (on `now`). */
  private freshAsOf = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | undefined;
  private runningSince = Number.NEGATIVE_INFINITY;
  private queued: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly pass: () => Promise<void>,
    options: LogFollowerOptions = {},
  ) {
    this.maxStalenessMs = options.maxStalenessMs ?? DEFAULT_MAX_STALENESS_MS;
    this.now = options.now ?? (() => performance.now());
    if (!(this.maxStalenessMs >= 0)) throw new RangeError(`maxStalenessMs ${this.maxStalenessMs} is not a duration`);
  }

  ensureFresh(): Promise<void> {
    const now = this.now();
    const age = now - this.freshAsOf;
    if (age <= this.maxStalenessMs) {
      if (age > this.maxStalenessMs / 2 && this.running === undefined) this.catchUp().catch(() => undefined);
      return Promise.resolve();
    }
    if (this.running !== undefined && this.runningSince >= now - this.maxStalenessMs) return this.running;
    return this.catchUp();
  }

  /** A pass that begins after this call; calls made while a pass runs share the next one. */
  catchUp(): Promise<void> {
    if (this.running === undefined) {
      const began = this.now();
      this.runningSince = began;
      this.running = this.pass()
        .then(() => {
          this.freshAsOf = Math.max(this.freshAsOf, began);
        })
        .finally(() => {
          this.running = undefined;
        });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.catchUp();
      });
    return this.queued;
  }
}

/** What a durable read model is: its name (unique in its service), its code's version and the categories it reads. */
export interface ProjectionDefinition {
  /** `directory`, `job-board`, ...: its checkpoint's and documents' name in the service's schema. */
  readonly name: string;
  /**
   * The version of its folding code: raise it when what it derives from the events changes, and
   * a service started with the new code rebuilds it from zero (the stored state says which
   * version wrote it).
   */
  readonly version: number;
  /** The stream categories it reads (see `categoryOf`). */
  readonly categories: readonly string[];
}

/** What a read model reads: the store, with readPage when it has one (both SQL adapters and KurrentDB do). */
export type ReadModelSource = Pick<EventStore, 'readAll' | 'readStream' | 'headPosition'> & {
  readPage?(options: ReadAllOptions): Promise<{ readonly events: RecordedEvent[]; readonly end: GlobalPosition }>;
};

export interface DurableReadModelOptions extends LogFollowerOptions {
  /** Events read per page of a pass, each page one commit (default 1,000). */
  readonly pageSize?: number;
  /**
   * A pass that changed no document but moved the checkpoint past other categories' events
   * commits it at most this often, in ms (default 1,000): a quiet read model does not write on
   * every pass while other services are busy. A restart reads those events' index again, no more.
   */
  readonly checkpointIntervalMs?: number;
}

/** How far a rebuild from zero has come. */
export interface RebuildProgress {
  readonly projection: string;
  /** Events of its categories applied so far. */
  readonly events: number;
  /** Where it is in the log, and where the log ended when the rebuild began. */
  readonly position: GlobalPosition | undefined;
  readonly head: GlobalPosition;
  /** From 0 to 1 (by global position: an estimate when other categories are interleaved). */
  readonly fraction: number;
  readonly done: boolean;
}

/** A read model's state, for operators (status, CLI, health). */
export interface ReadModelStatus {
  readonly projection: string;
  readonly codeVersion: number;
  readonly generation: number;
  readonly position: GlobalPosition | undefined;
  readonly rebuilding: boolean;
  /** While a rebuild runs: how far it has come, and when it began. */
  readonly rebuild: (RebuildProgress & { readonly startedAt: Date }) | undefined;
  /** Documents held, by collection. */
  readonly documents: Record<string, number>;
}

/** A collection of a read model: documents by key, kept in memory and persisted on commit. */
interface Collection {
  readonly name: string;
  clear(): void;
  restore(document: ProjectionDocument): void;
  stored(key: string): ProjectionDocument | undefined;
  readonly size: number;
}

/** A read model's checkpoint as text, for logs and operators: `none` before the first event. */
export const describeCheckpoint = (position: GlobalPosition | undefined): string =>
  position === undefined ? 'none' : `${position.commit}/${position.prepare}`;

/**
 * A durable read model: its collections (`streamViews`, `documents`) are loaded from the
 * ProjectionStore before the first read, then every pass reads its categories after the
 * checkpoint, applies each event (`apply`) and commits the documents it changed with the new
 * checkpoint, in one transaction. A crash anywhere loses and doubles nothing: the documents and
 * the checkpoint move together, and a document already at a stream's version skips it. Several
 * processes (replicas) may keep the same projection: each commits what it folded, documents
 * never go back in version and the checkpoint never moves back.
 */
export abstract class DurableReadModel {
  private readonly follower: LogFollower;
  private readonly collections = new Map<string, Collection>();
  private readonly dirty = new Map<string, Set<string>>();
  private readonly pageSize: number;
  private readonly checkpointIntervalMs: number;
  private readonly now: () => number;
  private committedWhen = Number.NEGATIVE_INFINITY;
  private forceCommit = false;
  private loaded = false;
  private after: GlobalPosition | undefined;
  private committedAt: GlobalPosition | undefined;
  private generation = 0;
  private loading: Promise<void> | undefined;
  private readonly rebuilds: ReadModelRebuilds;

  constructor(
    protected readonly source: ReadModelSource,
    private readonly projections: ProjectionStore,
    readonly definition: ProjectionDefinition,
    options: DurableReadModelOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 1_000;
    this.checkpointIntervalMs = options.checkpointIntervalMs ?? 1_000;
    this.now = options.now ?? (() => performance.now());
    this.follower = new LogFollower(() => this.pass(), options);
    this.rebuilds = new ReadModelRebuilds(
      definition.name,
      () => this.ready(),
      () => this.follower.catchUp(),
    );
  }

  /** Folds one event of its categories into the read model. */
  protected abstract apply(event: RecordedEvent): Promise<void>;

  /** Called once the stored documents are loaded (to derive indexes kept only in memory). */
  protected restored(): void {}

  /** A collection of one view per stream (see StreamViews), kept under `name`. */
  protected streamViews<V>(name: string, options: StreamViewsOptions<V>): StreamViews<V> {
    return this.register(new StreamViews<V>(this.source, options, name));
  }

  /** A collection of documents by key (each with the version it is set at, 0 unless given), kept under `name`. */
  protected documents<T>(name: string): Documents<T> {
    return this.register(new Documents<T>(name));
  }

  private register<C extends Collection & { onChange(listener: (key: string) => void): void }>(collection: C): C {
    const { name } = collection;
    if (this.collections.has(name)) throw new Error(`read model ${this.definition.name} has two collections ${name}`);
    collection.onChange((key) => this.touch(name, key));
    this.collections.set(name, collection);
    return collection;
  }

  private touch(collection: string, key: string): void {
    let keys = this.dirty.get(collection);
    if (keys === undefined) this.dirty.set(collection, (keys = new Set()));
    keys.add(key);
  }

  /** Loads the stored state once (rebuilding from zero when another version of the code wrote it). */
  ready(): Promise<void> {
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const { name, version } = this.definition;
    let { checkpoint, documents } = await this.projections.load(name, version);
    if (checkpoint.codeVersion !== version) {
      checkpoint = await this.projections.reset(name, version);
      documents = [];
    }
    this.restoreFrom(checkpoint, documents);
    this.loaded = true;
  }

  private restoreFrom(checkpoint: ProjectionCheckpoint, documents: readonly ProjectionDocument[]): void {
    for (const collection of this.collections.values()) collection.clear();
    this.dirty.clear();
    for (const document of documents) this.collections.get(document.collection)?.restore(document);
    this.after = checkpoint.position;
    this.committedAt = checkpoint.position;
    this.generation = checkpoint.generation;
    this.restored();
  }

  /**
   * Resolves once the read model holds everything logged up to `maxStalenessMs` ago (or later):
   * at once when the last pass is recent enough, else with a pass begun within the bound.
   */
  async ensureFresh(): Promise<void> {
    if (this.loaded && this.rebuilds.done === undefined) return this.follower.ensureFresh(); // the hot path
    await this.ready();
    if (this.rebuilds.done !== undefined) await this.rebuilds.done;
    return this.follower.ensureFresh();
  }

  /** A pass that begins after this call; calls made while a pass runs share the next one. */
  async catchUp(): Promise<void> {
    await this.ready();
    return this.follower.catchUp();
  }

  /**
   * Before the process stops: one last pass, committing what write-through applied since the
   * last commit (nothing is lost without it: a restart reads it again from the checkpoint).
   */
  async flush(): Promise<void> {
    if (this.loading === undefined) return;
    await this.loading;
    this.forceCommit = true;
    try {
      await this.follower.catchUp();
    } finally {
      this.forceCommit = false;
    }
  }

  /** Write-through: events this process has just appended (in stream order); committed with the next pass. */
  async observe(events: readonly RecordedEvent[]): Promise<void> {
    await this.ready();
    for (const event of events) await this.apply(event);
  }

  /**
   * Rebuilds the read model from zero: empties its stored state (a new generation: other
   * replicas' commits of the old one are refused and they reload), folds its categories from the
   * beginning, committing page by page, and reports progress. Reads wait until it is done.
   * Idempotent: a second rebuild ends in the same state; one running is shared. A crash midway
   * resumes from the last page committed at the next start.
   */
  rebuild(report: (progress: RebuildProgress) => void = () => undefined): Promise<RebuildProgress> {
    return this.rebuilds.rebuild(report);
  }

  status(): ReadModelStatus {
    const documents: Record<string, number> = {};
    for (const [name, collection] of this.collections) documents[name] = collection.size;
    return {
      projection: this.definition.name,
      codeVersion: this.definition.version,
      generation: this.generation,
      position: this.committedAt,
      rebuilding: this.rebuilds.done !== undefined,
      rebuild: this.rebuilds.progress,
      documents,
    };
  }

  private async pass(): Promise<void> {
    const rebuild = this.rebuilds.pass();
    let head = this.after ?? { commit: 0n, prepare: 0n };
    if (rebuild !== undefined) {
      head = await this.source.headPosition();
      const checkpoint = await this.projections.reset(this.definition.name, this.definition.version);
      this.restoreFrom(checkpoint, []);
    }
    const progress = (done: boolean): void => rebuild?.report(this.after, head, done);
    progress(false);
    for (;;) {
      const options: ReadAllOptions = {
        ...(this.after !== undefined ? { after: this.after } : {}),
        limit: this.pageSize,
        categories: this.definition.categories,
      };
      let events: RecordedEvent[];
      let end: GlobalPosition | undefined;
      if (this.source.readPage !== undefined) ({ events, end } = await this.source.readPage(options));
      else {
        events = await this.source.readAll(options);
        end = events[events.length - 1]?.position ?? this.after;
      }
      for (const event of events) {
        await this.apply(event);
        await breathe();
      }
      if (end !== undefined && (this.after === undefined || comparePositions(end, this.after) > 0)) this.after = end;
      if (rebuild !== undefined) rebuild.events += events.length;
      if (!(await this.commit())) return this.pass();
      progress(false);
      if (events.length < this.pageSize) break;
    }
    progress(true);
  }

  /** Commits what changed since the last commit; false when the generation moved on (the state was reloaded). */
  private async commit(): Promise<boolean> {
    const movedOn =
      this.after !== undefined &&
      (this.committedAt === undefined || comparePositions(this.after, this.committedAt) > 0);
    const checkpointDue = this.forceCommit || this.now() - this.committedWhen >= this.checkpointIntervalMs;
    if (this.dirty.size === 0 && (!movedOn || !checkpointDue)) return true;
    const taken = new Map(this.dirty);
    this.dirty.clear();
    const documents: ProjectionDocument[] = [];
    for (const [name, keys] of taken) {
      const collection = this.collections.get(name);
      for (const key of keys) {
        const document = collection?.stored(key);
        if (document !== undefined) documents.push(document);
      }
    }
    const position = this.after;
    let outcome: 'committed' | 'stale';
    try {
      outcome = await this.projections.commit(this.definition.name, {
        generation: this.generation,
        ...(position !== undefined ? { position } : {}),
        documents,
      });
    } catch (error) {
      for (const [name, keys] of taken) for (const key of keys) this.touch(name, key);
      throw error;
    }
    if (outcome === 'stale') {
      const { checkpoint, documents: stored } = await this.projections.load(
        this.definition.name,
        this.definition.version,
      );
      this.restoreFrom(checkpoint, stored);
      return false;
    }
    this.committedAt = position;
    this.committedWhen = this.now();
    return true;
  }
}

/**
 * Documents by key, in memory, each change told to the read model that persists them. A document
 * is stored with the version it was set at (0 unless given): a commit never replaces a stored
 * document with one of a lower version, so a document folded from one stream's events can carry
 * that stream's version and replicas never write an older one over it. Unversioned (0), the last
 * written wins.
 */
export class Documents<T> {
  private readonly values = new Map<string, T>();
  /** Versions other than 0 (most documents of most read models have none). */
  private readonly versions = new Map<string, number>();
  private changed: (key: string) => void = () => undefined;

  constructor(readonly name: string) {}

  onChange(listener: (key: string) => void): void {
    this.changed = listener;
  }

  get(key: string): T | undefined {
    return this.values.get(key);
  }

  /** The version a document was set (or restored) at; undefined when there is none. */
  version(key: string): number | undefined {
    return this.values.has(key) ? (this.versions.get(key) ?? 0) : undefined;
  }

  set(key: string, value: T, version = 0): void {
    this.values.set(key, value);
    if (version === 0) this.versions.delete(key);
    else this.versions.set(key, version);
    this.changed(key);
  }

  entries(): IterableIterator<[string, T]> {
    return this.values.entries();
  }

  get size(): number {
    return this.values.size;
  }

  clear(): void {
    this.values.clear();
    this.versions.clear();
  }

  restore(document: ProjectionDocument): void {
    this.values.set(document.key, storedJson.decode<T>(document.doc));
    if (document.version === 0) this.versions.delete(document.key);
    else this.versions.set(document.key, document.version);
  }

  stored(key: string): ProjectionDocument | undefined {
    const value = this.values.get(key);
    return value === undefined
      ? undefined
      : { collection: this.name, key, version: this.versions.get(key) ?? 0, doc: storedJson.encode(value) };
  }
}

/** A stream as a read model knows it: its view and the stream version it is folded to. */
export interface StreamView<V> {
  readonly view: V;
  readonly version: number;
  /** When the stream's first event occurred. */
  readonly since: Date;
}

export interface StreamViewsOptions<V> {
  /** Whether the event belongs to this read model (its stream category and type). */
  accepts(event: RecordedEvent): boolean;
  /** The view after one more event (`known` undefined before the first); undefined: no view yet. */
  project(known: V | undefined, event: RecordedEvent): V | undefined;
}

/**
 * One view per stream, folded event by event. An event is applied only when it is the next
 * version of its stream; one already seen is skipped (write-through, then the log); one further
 * ahead (a gap: another process wrote in between) makes it reload that stream from the store.
 * In a DurableReadModel each view is one stored document (its version the stream's).
 */
export class StreamViews<V> {
  private readonly views = new Map<string, StreamView<V>>();
  private changed: (key: string) => void = () => undefined;

  constructor(
    private readonly store: Pick<EventStore, 'readStream'>,
    private readonly options: StreamViewsOptions<V>,
    readonly name = 'streams',
  ) {}

  onChange(listener: (key: string) => void): void {
    this.changed = listener;
  }

  async apply(event: RecordedEvent): Promise<void> {
    if (!this.options.accepts(event)) return;
    const known = this.views.get(event.streamName);
    const expected = known === undefined ? 0 : known.version + 1;
    if (event.streamVersion < expected) return;
    if (event.streamVersion > expected) return this.reload(event.streamName);
    const view = this.options.project(known?.view, event);
    if (view !== undefined)
      this.put(event.streamName, { view, version: event.streamVersion, since: known?.since ?? event.occurredAt });
  }

  /** Reads one stream from the store and replaces what is known of it (never with an older version). */
  async reload(streamName: string): Promise<void> {
    const events = (await this.store.readStream(streamName)).filter((e) => this.options.accepts(e));
    const first = events[0];
    const last = events[events.length - 1];
    if (first === undefined || last === undefined) return;
    const current = this.views.get(streamName);
    if (current !== undefined && current.version >= last.streamVersion) return;
    let view: V | undefined;
    for (const event of events) view = this.options.project(view, event);
    if (view !== undefined) this.put(streamName, { view, version: last.streamVersion, since: first.occurredAt });
  }

  private put(streamName: string, entry: StreamView<V>): void {
    this.views.set(streamName, entry);
    this.changed(streamName);
  }

  get(streamName: string): StreamView<V> | undefined {
    return this.views.get(streamName);
  }

  /** Every stream known, with its name. */
  entries(): IterableIterator<[string, StreamView<V>]> {
    return this.views.entries();
  }

  get size(): number {
    return this.views.size;
  }

  clear(): void {
    this.views.clear();
  }

  restore(document: ProjectionDocument): void {
    const { view, since } = storedJson.decode<{ view: V; since: Date }>(document.doc);
    const current = this.views.get(document.key);
    if (current === undefined || current.version < document.version)
      this.views.set(document.key, { view, version: document.version, since });
  }

  stored(key: string): ProjectionDocument | undefined {
    const entry = this.views.get(key);
    return entry === undefined
      ? undefined
      : {
          collection: this.name,
          key,
          version: entry.version,
          doc: storedJson.encode({ view: entry.view, since: entry.since }),
        };
  }
}
