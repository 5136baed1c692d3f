/**
 * The embedded store runs PostgreSQL in WebAssembly on the process's own thread. Long work on
 * it (a catch-up over a long log, a full read, a run of appends) must let the event loop turn
 * between queries, or a service on the embedded default answers no HTTP or gRPC call until it is
 * done. Measured as a ratio: ticks of a 10 ms timer per second during the work, against the same
 * timer on a free event loop in the same run.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '../src/open.js';

const TICK_MS = 10;

/** Timer ticks per second while `work` runs. */
const tickRate = async (work: () => Promise<unknown>): Promise<{ perSecond: number; ms: number }> => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, TICK_MS);
  const began = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - began;
  return { perSecond: (ticks * 1000) / ms, ms };
};

const freeRate = () => tickRate(() => new Promise((resolve) => setTimeout(resolve, 300)));

describe('embedded store: long work lets the event loop run', () => {
  let store: EventStore;
  const EVENTS = 30_000;

  beforeAll(async () => {
    store = await openEventStore('embedded:memory');
    for (let i = 0; i < EVENTS / 500; i++) {
      await store.append(
        `task-${i % 40}`,
        Array.from({ length: 500 }, (_, k) => ({
          type: 'Worked',
          data: { i, k, note: 'a progress note of some length' },
        })),
      );
    }
  });
  afterAll(async () => {
    await store.close();
  });

  it('a catch-up of 30,000 events: timers keep firing (at least 0.35 of their free rate; none fired before) and an HTTP server keeps answering', async () => {
    const free = await freeRate();
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
    const busy = await tickRate(async () => {
      const subscription = store.subscribe({ subscriptionId: 'yield-catch-up', handle: () => void handled++ });
      await subscription.caughtUp();
      await subscription.stop();
    });
    working = false;
    await client;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(handled).toBe(EVENTS);
    console.log(
      `catch-up of ${EVENTS} events in ${Math.round(busy.ms)} ms: ${busy.perSecond.toFixed(0)} ticks/s against ${free.perSecond.toFixed(0)} free; ${answered} HTTP answers`,
    );
    expect(busy.perSecond / free.perSecond).toBeGreaterThanOrEqual(0.35);
    expect(answered).toBeGreaterThan(busy.ms / 100);
  });

  it('a full read (streamAll) and a run of single appends: timers keep firing', async () => {
    const free = await freeRate();
    let read = 0;
    const reading = await tickRate(async () => {
      for await (const _ of store.streamAll({ pageSize: 500 })) read++;
    });
    expect(read).toBe(EVENTS);
    const appending = await tickRate(async () => {
      for (let i = 0; i < 1500; i++) await store.append('task-appends', [{ type: 'Worked', data: { i } }]);
    });
    console.log(
      `streamAll: ${reading.perSecond.toFixed(0)} ticks/s, appends: ${appending.perSecond.toFixed(0)} ticks/s, free: ${free.perSecond.toFixed(0)}`,
    );
    expect(reading.perSecond / free.perSecond).toBeGreaterThanOrEqual(0.35);
    expect(appending.perSecond / free.perSecond).toBeGreaterThanOrEqual(0.35);
  });
});
