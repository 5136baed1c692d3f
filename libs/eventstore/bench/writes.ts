import { randomUUID } from 'node:crypto';
import {
  combineThroughput,
  compareToBaseline,
  formatNumber,
  measureThroughput,
  type BenchResult,
  type ThroughputResult,
} from '@workshare/bench';
import { uuidv7, type ExpectedVersion, type NewEvent } from '@workshare/eventsourcing';
import type { BenchConfig } from './config.js';
import type { BenchDatabase } from './database.js';
import { EVENT_TYPE, eventData, eventMetadata } from './payload.js';

type Operation = (worker: number, iteration: number) => Promise<number | void>;

const describe = (r: ThroughputResult): string =>
  `${formatNumber(r.unitsPerSecond)} events/s (${formatNumber(r.operations)} appends, p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms)`;

/**
 * Measures the plain-SQL baseline and the store on the same database at the same concurrency:
 * a warm-up for each, then `rounds` alternating measured rounds (baseline, store, baseline, …)
 * so that drift (table growth, checkpoints, autovacuum) falls on both sides alike.
 */
const compare = async (
  config: BenchConfig,
  label: string,
  concurrency: number,
  plain: Operation,
  store: Operation,
): Promise<{ plain: ThroughputResult; store: ThroughputResult }> => {
  const roundMs = config.measureMs / config.rounds;
  await measureThroughput({ concurrency, operation: plain, durationMs: config.warmupMs });
  await measureThroughput({ concurrency, operation: store, durationMs: config.warmupMs });
  const plainRuns: ThroughputResult[] = [];
  const storeRuns: ThroughputResult[] = [];
  for (let round = 0; round < config.rounds; round++) {
    plainRuns.push(await measureThroughput({ concurrency, operation: plain, durationMs: roundMs }));
    storeRuns.push(await measureThroughput({ concurrency, operation: store, durationMs: roundMs }));
  }
  const result = { plain: combineThroughput(plainRuns), store: combineThroughput(storeRuns) };
  console.log(
    `  ${label}\n    plain: ${describe(result.plain)}\n    store: ${describe(result.store)}  → ${(result.store.unitsPerSecond / result.plain.unitsPerSecond).toFixed(2)}x`,
  );
  return result;
};

/** A writer's own stream and the version it last wrote (`no_stream` before its first append). */
interface Writer {
  stream: string;
  expected: ExpectedVersion;
  plainVersion: number;
}

const writers = (count: number, prefix: string): Writer[] =>
  Array.from({ length: count }, (_, w) => ({ stream: `${prefix}-${w}`, expected: 'no_stream', plainVersion: 0 }));

let seq = 0;

const newEvent = (): NewEvent => {
  const n = seq++;
  return { type: EVENT_TYPE, data: eventData(n), metadata: eventMetadata(n) };
};

/** Single-event appends, each writer to its own stream with expectedVersion = its last version, against one-row INSERTs. */
export const benchSingleAppends = async (
  db: BenchDatabase,
  config: BenchConfig,
  concurrency: number,
): Promise<BenchResult> => {
  const run = randomUUID().slice(0, 8);
  const storeWriters = writers(concurrency, `benchOne${concurrency}-${run}`);
  const plainWriters = writers(concurrency, `plainOne${concurrency}-${run}`);
  const s = db.schema;
  const { plain, store } = await compare(
    config,
    `append 1 event, ${concurrency} writer${concurrency > 1 ? 's' : ''}`,
    concurrency,
    async (w) => {
      const writer = plainWriters[w]!;
      const e = newEvent();
      await db.plain.query(
        `INSERT INTO ${s}.plain_events (event_id, stream, version, type, data, metadata, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [uuidv7(), writer.stream, writer.plainVersion++, e.type, e.data, e.metadata, new Date()],
      );
    },
    async (w) => {
      const writer = storeWriters[w]!;
      const result = await db.store.append(writer.stream, [newEvent()], { expectedVersion: writer.expected });
      writer.expected = result.nextExpectedVersion;
    },
  );
  return compareToBaseline({
    name: `eventstore/${db.kind}: append 1 event, ${concurrency} writer${concurrency > 1 ? 's' : ''}`,
    value: store.unitsPerSecond,
    unit: 'events/s',
    baseline: `plain 1-row INSERT, ${concurrency} writer${concurrency > 1 ? 's' : ''}`,
    baselineValue: plain.unitsPerSecond,
    minRatio: 0.6,
  });
};

const COLUMNS_PER_ROW = 7;

/** `($1, $2, …, $7), ($8, …)`: the VALUES list of a multi-row INSERT. */
const valuesList = (rows: number): string =>
  Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: COLUMNS_PER_ROW }, (_, c) => `$${r * COLUMNS_PER_ROW + c + 1}`).join(', ')})`,
  ).join(', ');

/** 100-event appends by one writer, against one multi-row INSERT of the same 100 rows. */
export const benchBatchAppends = async (
  db: BenchDatabase,
  config: BenchConfig,
  batchSize = 100,
): Promise<BenchResult> => {
  const run = randomUUID().slice(0, 8);
  const storeWriter = writers(1, `benchBatch-${run}`)[0]!;
  const plainWriter = writers(1, `plainBatch-${run}`)[0]!;
  const sql = `INSERT INTO ${db.schema}.plain_events (event_id, stream, version, type, data, metadata, occurred_at) VALUES ${valuesList(batchSize)}`;
  const { plain, store } = await compare(
    config,
    `append ${batchSize}-event batches, 1 writer`,
    1,
    async () => {
      const params: unknown[] = [];
      const now = new Date();
      for (let i = 0; i < batchSize; i++) {
        const e = newEvent();
        params.push(uuidv7(), plainWriter.stream, plainWriter.plainVersion++, e.type, e.data, e.metadata, now);
      }
      await db.plain.query(sql, params);
      return batchSize;
    },
    async () => {
      const events = Array.from({ length: batchSize }, newEvent);
      const result = await db.store.append(storeWriter.stream, events, { expectedVersion: storeWriter.expected });
      storeWriter.expected = result.nextExpectedVersion;
      return batchSize;
    },
  );
  return compareToBaseline({
    name: `eventstore/${db.kind}: append ${batchSize}-event batch, 1 writer`,
    value: store.unitsPerSecond,
    unit: 'events/s',
    baseline: `plain ${batchSize}-row INSERT (one statement), 1 writer`,
    baselineValue: plain.unitsPerSecond,
    minRatio: 0.7,
  });
};
