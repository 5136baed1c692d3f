import { openEventStore } from '../src/open.js';
import { verifyLog } from '../src/verify.js';
import type { EventStore, RecordedEvent } from '@workshare/eventsourcing';

describe('verifying the whole log', () => {
  let store: EventStore;
  beforeAll(async () => {
    store = await openEventStore('embedded:memory');
    await store.append('task-1', [
      { type: 'A', data: { n: 1 } },
      { type: 'B', data: { n: 2 } },
    ]);
    await store.append('task-2', [{ type: 'A', data: { n: 3 } }]);
    await store.append('task-1', [{ type: 'C', data: { n: 4 } }]);
  });
  afterAll(() => store.close());

  it('finds an intact log intact, reporting progress', async () => {
    const progress: number[] = [];
    const result = await verifyLog(store, { every: 2, onProgress: (n) => progress.push(n) });
    expect(result).toEqual({
      events: 4,
      streams: 2,
      breaks: [],
      intact: true,
      from: '0/0',
      last: expect.stringMatching(/^\d+\/\d+$/),
      seals: { given: 0, checked: 0 },
      unsealed: { events: 4 },
    });
    expect(progress).toEqual([2, 4]);
  });

  it('names the event whose content was changed after it was written', async () => {
    const tampered: Pick<EventStore, 'streamAll'> = {
      streamAll: () =>
        (async function* () {
          for await (const e of store.streamAll())
            yield (e.streamVersion === 1 && e.streamName === 'task-1' ? { ...e, data: { n: 20 } } : e) as RecordedEvent;
        })(),
    };
    const result = await verifyLog(tampered);
    expect(result.breaks).toEqual([
      expect.objectContaining({
        kind: 'changed',
        streamName: 'task-1',
        streamVersion: 1,
        reason: expect.stringContaining('changed'),
      }),
    ]);
  });
});
