/**
 * The embedded store runs PostgreSQL in WebAssembly on the process's own thread. Long work on
 * it (a catch-up over a long log, a full read, a run of appends) must let the event loop turn
 * between queries, or a service on the embedded default answers no HTTP or gRPC call until it is
 * done. Checked by counting: turns of the event loop (a chain of setImmediate) and HTTP answers
 * during the work, against the pages it reads (none turned before `breathe`). How many timer
 * ticks per second are left is a benchmark figure (bench/responsiveness.ts), not a test.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '../src/open.js';

/** Turns of the event loop while `work` runs: each turn that reaches the check phase counts one. */
const loopTurns = async (work: () => Promise<unknown>): Promise<number> => {
  let turns = 0;
  let running = true;
  const spin = (): void => {
    if (!running) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  const before = turns;
  try {
    await work();
  } finally {
    running = false;
  }
  return turns - before;
};

describe('embedded store: long work lets the event loop run', () => {
  let store: EventStore;
  const EVENTS = 30_000;
  const PAGE = 500;
  const PAGES = EVENTS / PAGE;

  beforeAll(async () => {
    store = await openEventStore('embedded:memory');
    for (let i = 0; i < PAGES; i++) {
      await store.append(
        `task-${i % 40}`,
        Array.from({ length: PAGE }, (_, k) => ({
          type: 'Worked',
          data: { i, k, note: 'a progress note of some length' },
        })),
      );
    }
  });
  afterAll(async () => {
    await store.close();
  });

  it('a catch-up of 30,000 events: the loop turns between its pages and an HTTP server keeps answering', async () => {
    const server: Server = createServer((_, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    let answered = 0;
    let working = true;
    const client = (async () => {
      while (working) {
        await new Promise<void>((resolve, reject) =>
          request({ host: '127.0.0.1', port, path: '/' }, (res) => {
            res.resume();
            res.on('end', () => {
              answered++;
              resolve();
            });
          })
            .on('error', reject)
            .end(),
        );
      }
    })();
    let handled = 0;
    let answeredWhileWorking = 0;
    const turns = await loopTurns(async () => {
      const subscription = store.subscribe({ subscriptionId: 'yield-catch-up', handle: () => void handled++ });
      await subscription.caughtUp();
      answeredWhileWorking = answered;
      await subscription.stop();
    });
    working = false;
    await client;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(handled).toBe(EVENTS);
    // A page of 500 events is well over the 5 ms after which the store gives the loop a turn.
    expect(turns).toBeGreaterThanOrEqual(PAGES / 2);
    expect(answeredWhileWorking).toBeGreaterThanOrEqual(PAGES / 4);
  });

  it('a full read (streamAll) and a run of single appends: the loop turns between queries', async () => {
    let read = 0;
    const reading = await loopTurns(async () => {
      for await (const _ of store.streamAll({ pageSize: PAGE })) read++;
    });
    expect(read).toBe(EVENTS);
    expect(reading).toBeGreaterThanOrEqual(PAGES / 2);
    const APPENDS = 1500;
    const appending = await loopTurns(async () => {
      for (let i = 0; i < APPENDS; i++) await store.append('task-appends', [{ type: 'Worked', data: { i } }]);
    });
    // Each append is a few queries of well under 5 ms: the loop turns every few appends.
    expect(appending).toBeGreaterThanOrEqual(APPENDS / 20);
  });
});
