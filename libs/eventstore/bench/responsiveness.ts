/**
 * How responsive a process on the embedded store stays while the store does long work: ticks per
 * second of a 10 ms timer during a catch-up over 30,000 events and during a full read, against
 * the same timer on a free event loop in the same run (PGlite runs each query on this thread;
 * without `breathe` between queries the timer does not fire at all until the work is done).
 */
import { compareToBaseline, type BenchResult } from '@workshare/bench';
import { openEventStore } from '../src/open.js';

const TICK_MS = 10;
const EVENTS = 30_000;
const MIN_RATIO = 0.35;

const tickRate = async (work: () => Promise<unknown>): Promise<number> => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, TICK_MS);
  const began = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return (ticks * 1000) / (performance.now() - began);
};

export const benchEmbeddedResponsiveness = async (): Promise<BenchResult[]> => {
  const store = await openEventStore('embedded:memory');
  try {
    for (let i = 0; i < EVENTS / 500; i++) {
      await store.append(
        `task-${i % 40}`,
        Array.from({ length: 500 }, (_, k) => ({
          type: 'Worked',
          data: { i, k, note: 'a progress note of some length' },
        })),
      );
    }
    const free = await tickRate(() => new Promise((resolve) => setTimeout(resolve, 1000)));
    const catchUp = await tickRate(async () => {
      const subscription = store.subscribe({ subscriptionId: 'bench-catch-up', handle: () => undefined });
      await subscription.caughtUp();
      await subscription.stop();
    });
    const read = await tickRate(async () => {
      for await (const _ of store.streamAll({ pageSize: 500 })) void _;
    });
    const figure = (name: string, value: number): BenchResult =>
      compareToBaseline({
        name,
        value,
        unit: 'ticks/s',
        baseline: 'a 10 ms timer on a free event loop',
        baselineValue: free,
        minRatio: MIN_RATIO,
      });
    const results = [
      figure('embedded: timer ticks during a catch-up of 30,000 events', catchUp),
      figure('embedded: timer ticks during a full read (streamAll) of 30,000 events', read),
    ];
    for (const r of results)
      console.log(`  ${r.name}: ${r.value} ticks/s, ${r.ratio}x a free loop (${r.baselineValue})`);
    return results;
  } finally {
    await store.close();
  }
};
