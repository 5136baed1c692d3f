/**
 * The read-model plumbing of @workshare/eventsourcing (LogFollower, StreamViews) over a real
 * store: reads share passes, a view is folded once per event, a gap reloads the stream. The
 * durable read models are in durable-read-model.spec.ts.
 */
import { LogFollower, StreamViews, type EventStore, type RecordedEvent } from '@workshare/eventsourcing';
import { openEventStore } from '../src/index.js';

let store: EventStore;
beforeAll(async () => {
  store = await openEventStore('embedded:memory');
});
afterAll(async () => store?.close());

type Tally = { readonly count: number; readonly last: string };
const tallies = () =>
  new StreamViews<Tally>(store, {
    accepts: (event) => event.streamName.startsWith('tally-'),
    project: (known, event) => ({ count: (known?.count ?? 0) + 1, last: event.type }),
  });

describe('StreamViews', () => {
  it('folds each event once, skips one seen already, and reloads a stream on a gap', async () => {
    const views = tallies();
    const first = await store.append('tally-a', [
      { type: 'One', data: {} },
      { type: 'Two', data: {} },
    ]);
    for (const event of first.events) await views.apply(event as RecordedEvent);
    await views.apply(first.events[1] as RecordedEvent);
    expect(views.get('tally-a')).toMatchObject({ view: { count: 2, last: 'Two' }, version: 1 });

    const more = await store.append('tally-a', [
      { type: 'Three', data: {} },
      { type: 'Four', data: {} },
    ]);
    await views.apply(more.events[1] as RecordedEvent); // version 3 while 2 was never seen: a gap
    expect(views.get('tally-a')).toMatchObject({ view: { count: 4, last: 'Four' }, version: 3 });
  });

  it('ignores the events it does not accept', async () => {
    const views = tallies();
    const other = await store.append('other-a', [{ type: 'One', data: {} }]);
    await views.apply(other.events[0] as RecordedEvent);
    expect([...views.entries()]).toEqual([]);
  });
});

describe('LogFollower', () => {
  it('shares passes between reads, and answers within the staleness bound without one', async () => {
    let passes = 0;
    const follower = new LogFollower(
      async () => {
        passes++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
      { maxStalenessMs: 0 },
    );
    await Promise.all([follower.ensureFresh(), follower.ensureFresh(), follower.ensureFresh()]);
    expect(passes).toBeLessThanOrEqual(2);

    let lazyPasses = 0;
    const lazy = new LogFollower(async () => void lazyPasses++, { maxStalenessMs: 60_000 });
    await lazy.ensureFresh();
    await lazy.ensureFresh(); // within the bound: answered without a pass
    expect(lazyPasses).toBe(1);
    await lazy.catchUp();
    expect(lazyPasses).toBe(2);
  });

  it('refuses a negative staleness bound', () => {
    expect(() => new LogFollower(async () => undefined, { maxStalenessMs: -1 })).toThrow(RangeError);
  });
});
