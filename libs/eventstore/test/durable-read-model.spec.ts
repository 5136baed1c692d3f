/**
 * Durable read models (DurableReadModel of @workshare/eventsourcing over SqlProjectionStore) on
 * the embedded store: state and checkpoint move together, a restart reads only what came after
 * the checkpoint, only the read model's categories are read, a crash between the state write
 * and the checkpoint loses and doubles nothing, a rebuild from zero is idempotent and reports
 * its progress, a new code version rebuilds, and replicas of one projection stay consistent.
 */
import {
  DurableReadModel,
  type EventStore,
  type ProjectionStore,
  type RebuildProgress,
  type ReadAllOptions,
  type ReadModelSource,
  type RecordedEvent,
  type Documents,
  type StreamViews,
} from '@workshare/eventsourcing';
import { embeddedDriver, SqlEventStore, SqlProjectionStore, type SqlDriver } from '../src/index.js';

type Tally = { readonly count: number; readonly types: readonly string[]; readonly firstAt: Date };

class Tallies extends DurableReadModel {
  readonly tallies: StreamViews<Tally>;
  readonly byType = this.documents<{ seen: number }>('by-type');
  restoredTimes = 0;

  constructor(
    source: ReadModelSource,
    projections: ProjectionStore,
    version = 1,
    pageSize = 1_000,
    options: { checkpointIntervalMs?: number; now?: () => number } = {},
  ) {
    super(
      source,
      projections,
      { name: 'tallies', version, categories: ['tally'] },
      { maxStalenessMs: 0, pageSize, ...options },
    );
    this.tallies = this.streamViews<Tally>('tallies', {
      accepts: (event) => event.streamName.startsWith('tally-'),
      project: (known, event) => ({
        count: (known?.count ?? 0) + 1,
        types: [...(known?.types ?? []), event.type],
        firstAt: known?.firstAt ?? event.occurredAt,
      }),
    });
  }

  protected override async apply(event: RecordedEvent): Promise<void> {
    const before = this.tallies.get(event.streamName)?.version ?? -1;
    await this.tallies.apply(event);
    if ((this.tallies.get(event.streamName)?.version ?? -1) > before)
      this.byType.set(event.type, { seen: (this.byType.get(event.type)?.seen ?? 0) + 1 });
  }

  protected override restored(): void {
    this.restoredTimes++;
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [stream, { view }] of this.tallies.entries()) out[stream] = view.count;
    return out;
  }
}

/** The last event type of each stream, as a document set at the event's stream version. */
class Latest extends DurableReadModel {
  readonly latest: Documents<{ type: string }> = this.documents<{ type: string }>('latest');

  constructor(source: ReadModelSource, projections: ProjectionStore) {
    super(source, projections, { name: 'latest', version: 1, categories: ['tally'] }, { maxStalenessMs: 0 });
  }

  protected override apply(event: RecordedEvent): Promise<void> {
    this.latest.set(event.streamName, { type: event.type }, event.streamVersion);
    return Promise.resolve();
  }
}

/** The store, counting the events each read of the log hands over, and the categories asked for. */
const counting = (store: EventStore) => {
  const seen = { events: 0, categories: new Set<string>() };
  const source: ReadModelSource = {
    readAll: (options) => store.readAll(options),
    readStream: (stream, options) => store.readStream(stream, options),
    headPosition: () => store.headPosition(),
    readPage: async (options: ReadAllOptions) => {
      for (const category of options.categories ?? ['*']) seen.categories.add(category);
      const page = await (store as SqlEventStore).readPage(options);
      seen.events += page.events.length;
      return page;
    },
  };
  return { source, seen };
};

let driver: SqlDriver;
let store: SqlEventStore;
let schemaCount = 0;
const projectionsOn = (db: SqlDriver = driver) => SqlProjectionStore.open(db, `rm_${++schemaCount}`, false);

beforeAll(async () => {
  driver = embeddedDriver('memory');
  store = await SqlEventStore.open(driver);
});
afterAll(async () => store?.close());

const appendTally = (stream: string, ...types: string[]) =>
  store.append(
    stream,
    types.map((type) => ({ type, data: {} })),
  );

describe('a durable read model', () => {
  it('keeps its state with its checkpoint: restarted, it reads only what came after the checkpoint', async () => {
    const projections = await projectionsOn();
    await appendTally('tally-r1', 'One', 'Two');
    await appendTally('other-r1', 'Noise', 'Noise', 'Noise');
    await appendTally('tally-r2', 'One');
    const first = new Tallies(store, projections);
    await first.ensureFresh();
    expect(first.counts()).toMatchObject({ 'tally-r1': 2, 'tally-r2': 1 });

    const { source, seen } = counting(store);
    const restarted = new Tallies(source, projections);
    await restarted.ensureFresh();
    expect(restarted.counts()).toEqual(first.counts());
    expect(seen.events).toBe(0);
    expect(restarted.restoredTimes).toBe(1);

    await appendTally('tally-r1', 'Three');
    await appendTally('other-r1', 'Noise');
    await restarted.ensureFresh();
    expect(seen.events).toBe(1);
    expect([...seen.categories]).toEqual(['tally']);
    expect(restarted.tallies.get('tally-r1')).toMatchObject({ view: { count: 3, types: ['One', 'Two', 'Three'] } });
    expect(restarted.tallies.get('tally-r1')?.view.firstAt).toBeInstanceOf(Date);
    expect(restarted.status()).toMatchObject({ projection: 'tallies', generation: 1, rebuilding: false });
  });

  it('loses and doubles nothing when it crashes between writing its state and moving its checkpoint', async () => {
    let failCheckpoint = false;
    const faulty: SqlDriver = {
      ...driver,
      transaction: (work) =>
        driver.transaction((query) =>
          work(async (sql, params, name) => {
            const result = await query(sql, params, name);
            if (failCheckpoint && /UPDATE \S+\.projection_checkpoints/.test(sql))
              throw new Error('the process died after writing the documents');
            return result as never;
          }),
        ),
    };
    const projections = await projectionsOn(faulty);
    await appendTally('tally-c1', 'One', 'Two');
    const model = new Tallies(store, projections);
    await model.ensureFresh();

    await appendTally('tally-c1', 'CrashThree');
    await appendTally('tally-c2', 'One');
    failCheckpoint = true;
    await expect(model.catchUp()).rejects.toThrow('the process died');
    failCheckpoint = false;

    // What the crashed process wrote was rolled back with its checkpoint: a new one folds the
    // two events once, the write-through of the one that crashed before is not doubled either.
    const restarted = new Tallies(store, projections);
    await restarted.ensureFresh();
    expect(restarted.counts()).toMatchObject({ 'tally-c1': 3, 'tally-c2': 1 });
    expect(restarted.byType.get('CrashThree')?.seen).toBe(1);

    // The crashed one resumes too, and commits what it had left dirty.
    await model.catchUp();
    const again = new Tallies(store, projections);
    await again.ensureFresh();
    expect(again.counts()).toMatchObject({ 'tally-c1': 3, 'tally-c2': 1 });
  });

  it('does not double what it wrote through when the pass brings the same events back', async () => {
    const projections = await projectionsOn();
    const model = new Tallies(store, projections);
    await model.ensureFresh();
    const appended = await appendTally('tally-w1', 'One', 'Two');
    await model.observe(appended.events);
    await model.ensureFresh();
    expect(model.counts()['tally-w1']).toBe(2);
    expect(model.byType.get('Two')?.seen).toBeGreaterThanOrEqual(1);
    const restarted = new Tallies(store, projections);
    await restarted.ensureFresh();
    expect(restarted.counts()['tally-w1']).toBe(2);
  });

  it('commits what it wrote through when flushed before its process stops', async () => {
    const projections = await projectionsOn();
    const model = new Tallies(store, projections);
    await model.ensureFresh();
    await model.observe((await appendTally('tally-f1', 'One', 'Two')).events);
    await model.flush();
    const { source, seen } = counting(store);
    const restarted = new Tallies(source, projections);
    await restarted.ensureFresh();
    expect(restarted.counts()['tally-f1']).toBe(2);
    expect(seen.events).toBe(0);
  });

  it('commits a checkpoint that only passed other categories at most once an interval, documents at once, all on flush', async () => {
    const projections = await projectionsOn();
    let clock = 0;
    const model = new Tallies(store, projections, 1, 1_000, { checkpointIntervalMs: 1_000, now: () => clock });
    await appendTally('tally-i1', 'One');
    await model.ensureFresh(); // a document changed: committed
    const stored = async () => (await projections.checkpoints()).get('tallies')?.position;
    const first = await stored();
    expect(first).toBeDefined();
    await appendTally('other-i1', 'Noise');
    clock = 10;
    await model.ensureFresh(); // only other categories since: not yet
    expect(await stored()).toEqual(first);
    clock = 2_000;
    await model.ensureFresh(); // the interval has gone by
    const second = await stored();
    expect(second!.commit > first!.commit || second!.prepare > first!.prepare).toBe(true);
    await appendTally('other-i1', 'Noise');
    clock = 2_010;
    await model.ensureFresh();
    expect(await stored()).toEqual(second);
    await model.flush(); // before the process stops: everything
    expect(await stored()).not.toEqual(second);
  });

  it('rebuilds from zero on demand, idempotently, reporting its progress, while reads wait for it', async () => {
    const projections = await projectionsOn();
    for (let i = 0; i < 30; i++) await appendTally(`tally-b${i % 7}`, `T${i}`);
    const model = new Tallies(store, projections, 1, 8);
    await model.ensureFresh();
    const before = model.counts();

    const reports: RebuildProgress[] = [];
    const rebuilt = model.rebuild((p) => reports.push(p));
    const read = model.ensureFresh().then(() => model.status().rebuilding);
    const last = await rebuilt;
    expect(await read).toBe(false);
    expect(last).toMatchObject({ projection: 'tallies', done: true, fraction: 1 });
    expect(last.events).toBeGreaterThanOrEqual(30);
    expect(reports.length).toBeGreaterThan(3);
    for (let i = 1; i < reports.length; i++)
      expect(reports[i]!.fraction).toBeGreaterThanOrEqual(reports[i - 1]!.fraction);
    expect(model.counts()).toEqual(before);
    expect(model.status().generation).toBe(2);

    await model.rebuild();
    expect(model.counts()).toEqual(before);
    const restarted = new Tallies(store, projections);
    await restarted.ensureFresh();
    expect(restarted.counts()).toEqual(before);
    expect(restarted.status().generation).toBe(3);
  });

  it('a replica of an older generation reloads the rebuilt state instead of writing over it', async () => {
    const projections = await projectionsOn();
    await appendTally('tally-g1', 'One');
    const a = new Tallies(store, projections);
    const b = new Tallies(store, projections);
    await a.ensureFresh();
    await b.ensureFresh();
    await a.rebuild();
    await appendTally('tally-g1', 'Two');
    await b.ensureFresh(); // its commit is stale: it reloads generation 2 and folds on from there
    expect(b.status().generation).toBe(2);
    expect(b.counts()['tally-g1']).toBe(2);
    await a.ensureFresh();
    expect(a.counts()['tally-g1']).toBe(2);
  });

  it('stores a document with the version it was set at: a replica behind never writes an older one over it', async () => {
    const projections = await projectionsOn();
    const [one] = (await appendTally('tally-d1', 'One')).events;
    const behind = new Latest(store, projections);
    await behind.ensureFresh();
    await appendTally('tally-d1', 'Two');
    const ahead = new Latest(store, projections);
    await ahead.ensureFresh();
    expect(ahead.latest.get('tally-d1')).toEqual({ type: 'Two' });
    expect(ahead.latest.version('tally-d1')).toBe(1);
    // The replica behind writes One (version 0) again: the stored Two (version 1) stays.
    await behind.observe([one!]);
    await behind.flush();
    const restarted = new Latest(store, projections);
    await restarted.ready();
    expect(restarted.latest.get('tally-d1')).toEqual({ type: 'Two' });
    expect(restarted.latest.version('tally-d1')).toBe(1);
    expect(restarted.latest.version('tally-none')).toBeUndefined();
  });

  it('rebuilds from zero when its code version changes', async () => {
    const projections = await projectionsOn();
    await appendTally('tally-v1', 'One', 'Two');
    const v1 = new Tallies(store, projections, 1);
    await v1.ensureFresh();
    const { source, seen } = counting(store);
    const v2 = new Tallies(source, projections, 2);
    await v2.ensureFresh();
    expect(v2.counts()['tally-v1']).toBe(2);
    expect(seen.events).toBeGreaterThanOrEqual(2);
    expect(v2.status()).toMatchObject({ codeVersion: 2, generation: 2 });
  });
});
