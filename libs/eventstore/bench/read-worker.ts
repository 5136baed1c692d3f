/**
 * Reads the whole global log once in a fresh process, so that its peak RSS is what reading the
 * log costs (not what loading it left behind), then reports over IPC. Started by read.ts.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import type { GlobalPosition } from '@workshare/eventsourcing';
import { startRssSampler } from '@workshare/bench';
import { openStore } from './database.js';
import { parseReadJob, SMALL_PAGE_EVENTS, SMALL_PAGE_SIZE, type ReadJob, type ReadReport } from './read-job.js';

interface PlainRow {
  id: string | number | bigint;
  data: unknown;
}

/** Keyset paging over the plain copy: the same rows and columns the store's read returns. */
const plainPageSql = (schema: string): string =>
  `SELECT id, event_id, stream_name, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at, prev_hash, hash
     FROM ${schema}.plain_log WHERE id > $1 ORDER BY id LIMIT $2`;

/** The whole log with `read(pageSize, limit)`, then its first SMALL_PAGE_EVENTS in small pages. */
const timedRead = async (
  read: (pageSize: number, limit: number) => Promise<number>,
  pageSize: number,
): Promise<ReadReport> => {
  const sampler = startRssSampler({ intervalMs: 20 });
  const started = performance.now();
  const events = await read(pageSize, Number.MAX_SAFE_INTEGER);
  const ms = performance.now() - started;
  const peakRssBytes = sampler.stop();
  const smallStarted = performance.now();
  const smallPageEvents = await read(SMALL_PAGE_SIZE, SMALL_PAGE_EVENTS);
  return {
    events,
    ms,
    peakRssBytes,
    startRssBytes: sampler.startBytes,
    smallPageEvents,
    smallPageMs: performance.now() - smallStarted,
  };
};

const readThroughStore = async (job: ReadJob): Promise<ReadReport> => {
  const store = await openStore(job.kind, job.location, job.schema);
  try {
    return await timedRead(async (pageSize, limit) => {
      let events = 0;
      if (limit === Number.MAX_SAFE_INTEGER) {
        for await (const event of store.streamAll({ pageSize })) if (event.data !== null) events++;
        return events;
      }
      // Small pages with readAll, as a subscription polls.
      let after: GlobalPosition | undefined;
      for (;;) {
        const page = await store.readAll({ ...(after ? { after } : {}), limit: Math.min(pageSize, limit - events) });
        for (const event of page) if (event.data !== null) events++;
        if (page.length === 0 || events >= limit) return events;
        after = page[page.length - 1]!.position;
      }
    }, job.pageSize);
  } finally {
    await store.close();
  }
};

const readPlain = async (
  job: ReadJob,
  query: (sql: string, params: unknown[]) => Promise<PlainRow[]>,
): Promise<ReadReport> =>
  timedRead(async (pageSize, limit) => {
    const sql = plainPageSql(job.schema);
    let events = 0;
    let after: PlainRow['id'] = 0;
    for (;;) {
      const wanted = Math.min(pageSize, limit - events);
      const rows = await query(sql, [after, wanted]);
      for (const row of rows) if (row.data !== null) events++;
      const last = rows[rows.length - 1];
      if (!last || rows.length < wanted || events >= limit) return events;
      after = last.id;
    }
  }, job.pageSize);

const readThroughPlainSql = async (job: ReadJob): Promise<ReadReport> => {
  if (job.kind === 'postgres') {
    const client = new pg.Client({ connectionString: job.location, application_name: 'workshare-bench-plain' });
    await client.connect();
    try {
      return await readPlain(job, async (sql, params) => (await client.query<PlainRow>(sql, params)).rows);
    } finally {
      await client.end();
    }
  }
  const db = await PGlite.create(job.location);
  try {
    return await readPlain(job, async (sql, params) => (await db.query<PlainRow>(sql, params)).rows);
  } finally {
    await db.close();
  }
};

const main = async (): Promise<void> => {
  const job = parseReadJob(process.argv[2]);
  const report = job.side === 'store' ? await readThroughStore(job) : await readThroughPlainSql(job);
  if (report.events !== job.expected)
    throw new Error(`${job.side} read ${report.events} events; the log holds ${job.expected}`);
  const send = process.send?.bind(process);
  if (!send) {
    console.log(JSON.stringify(report));
    return;
  }
  await new Promise<void>((resolve, reject) =>
    send(report, undefined, undefined, (error: Error | null) => (error ? reject(error) : resolve())),
  );
  process.disconnect();
};

main().catch((error: unknown) => {
  console.error('read worker failed:', error);
  process.exitCode = 1;
  process.disconnect?.();
});
