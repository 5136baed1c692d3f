import { performance } from 'node:perf_hooks';
import { compareToBaseline, createProgress, formatNumber, type BenchResult } from '@workshare/bench';
import type { GlobalPosition } from '@workshare/eventsourcing';
import type { BenchConfig } from './config.js';
import type { BenchDatabase } from './database.js';
import { EVENT_TYPE, eventData, eventMetadata } from './payload.js';

/** The category read, 1% of the log: one event in a hundred. */
const RARE = 'benchRare';
const PAGE = 1_000;
const ROUNDS = 3;

/** `total` events: rounds of 99 events to a stream of their own and 1 to one of ten `benchRare` streams. */
const loadMixedLog = async (db: BenchDatabase, total: number): Promise<number> => {
  const rounds = Math.ceil(total / 100);
  const concurrency = db.kind === 'postgres' ? 4 : 1;
  const progress = createProgress({ label: `  ${db.kind}: loading`, total: rounds * 100, unit: 'events' });
  let next = 0;
  const loader = async (): Promise<void> => {
    while (next < rounds) {
      const r = next++;
      const events = Array.from({ length: 99 }, (_, i) => {
        const seq = r * 100 + i;
        return { type: EVENT_TYPE, data: eventData(seq), metadata: eventMetadata(seq) };
      });
      await db.store.append(`benchMixed-${r}`, events, { expectedVersion: 'no_stream' });
      await db.store.append(`${RARE}-${r % 10}`, [
        { type: EVENT_TYPE, data: eventData(r * 100 + 99), metadata: eventMetadata(r * 100 + 99) },
      ]);
      progress.add(100);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loader));
  progress.finish();
  return rounds * 100;
};

/** Reads the log after START in pages of PAGE (only `categories`, when given): how many events, in how many ms. */
const readLog = async (db: BenchDatabase, categories?: string[]): Promise<{ events: number; ms: number }> => {
  const started = performance.now();
  let events = 0;
  let after: GlobalPosition | undefined;
  for (;;) {
    const page = await db.store.readAll({
      ...(after ? { after } : {}),
      limit: PAGE,
      ...(categories ? { categories } : {}),
    });
    events += page.length;
    if (page.length < PAGE) return { events, ms: performance.now() - started };
    after = page[page.length - 1]!.position;
  }
};

/**
 * readAll of one category that is 1% of the log, against an unfiltered readAll of the same log,
 * both in pages of 1,000 through the store, alternating, the fastest of three each. The figure is
 * the log's size over the time each takes (log events passed per second), so the ratio is how many
 * times faster the category read is. Leaves the store open.
 */
export const benchCategoryRead = async (db: BenchDatabase, config: BenchConfig): Promise<BenchResult> => {
  await db.reset();
  const total = await loadMixedLog(db, config.categoryEvents[db.kind]);
  await db.plain.query(`VACUUM (ANALYZE) ${db.schema}.events`);
  let all = Number.POSITIVE_INFINITY;
  let rare = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const whole = await readLog(db);
    if (whole.events !== total)
      throw new Error(`the unfiltered read got ${whole.events} events; the log holds ${total}`);
    all = Math.min(all, whole.ms);
    const category = await readLog(db, [RARE]);
    if (category.events !== total / 100)
      throw new Error(`the category read got ${category.events} events; the category holds ${total / 100}`);
    rare = Math.min(rare, category.ms);
  }
  console.log(
    `  readAll of ${formatNumber(total)} events, pages of ${formatNumber(PAGE)}\n    unfiltered: ${all.toFixed(0)} ms\n` +
      `    category ${RARE} (${formatNumber(total / 100)} events): ${rare.toFixed(1)} ms  → ${(all / rare).toFixed(1)}x`,
  );
  return compareToBaseline({
    name: `eventstore/${db.kind}: readAll of one category (1% of the log)`,
    value: (total * 1000) / rare,
    unit: 'log events/s',
    baseline: `unfiltered readAll of the same ${formatNumber(total)} events, pages of ${formatNumber(PAGE)}`,
    baselineValue: (total * 1000) / all,
    minRatio: 10,
  });
};
