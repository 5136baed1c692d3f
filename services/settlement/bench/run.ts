/**
 * Settlement benchmark: the close of one region's Tokyo month at Fujisato sized up — 2,000
 * members, 200 businesses, 1,000 jobs, 200,000 approved time entries in November 2026 — on
 * PostgreSQL, against one SQL aggregation of the same rows (the baseline, same run). What is
 * measured and why: bench/README.md.
 *
 *   npm run build && npm run bench -w @workshare/settlement     (at the root; `npm run bench` runs every bench)
 *
 * 1. Load (progress on stderr; load.ts): a database of its own beside DATABASE_URL (default
 *    postgres://postgres@127.0.0.1:5432/test; dropped at the end, also on failure); a real
 *    identity in process on the same store (the test cooperative) with the businesses and
 *    members registered; the region configured and the registered contractors' numbers recorded
 *    through settlement's facade; job intake's and time tracking's events appended as they write
 *    them; the same approved entries as rows of a plain table.
 * 2. The close, in a settlement service opened afresh (openSettlementService, read models empty):
 *    the read models caught up from zero (timed apart), closeMonth through the facade by the
 *    region's coordinator, then — when it closed — the accountant's downloads of the Zengin file
 *    and the 弥生 journal; peak RSS over all of it. Then the same close taken apart (parts.ts),
 *    each step timed, with the files written from its settlement: where the time goes. A close
 *    the store or the decider refuses for its size (eventstore.event_too_large,
 *    eventstore.too_many_events, settlement.close_too_large) is reported, met: false, not a
 *    failure of the run.
 * 3. The baselines: `SELECT job_id, member_id, sum(minutes) ... GROUP BY job_id, member_id` over
 *    the plain table, every row fetched, one warm-up then BENCH_SQL_ROUNDS (5), the median; for
 *    the catch-up, the same categories read page by page, nothing folded.
 *
 * The close is checked (every member's minutes on her statement are the rows', one invoice per
 * business billed, the Zengin file valid with one transfer per contractor paid and its trailer their
 * sum, every journal entry balanced; the facade's close and the parts' agree) and the run fails
 * when it is wrong; a missed target is reported (met: false), not failed.
 *
 * Knobs: BENCH_MEMBERS (2,000), BENCH_BUSINESSES (200), BENCH_JOBS (1,000), BENCH_ENTRIES
 * (200,000), BENCH_SEED (1), BENCH_SQL_ROUNDS (5).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  below,
  compareToBaseline,
  formatNumber,
  positiveWholeSetting,
  recordResults,
  startRssSampler,
  timeIt,
  toMB,
  type BenchResult,
} from '@workshare/bench';
import {
  actorOf,
  DomainError,
  type CommandContext,
  type EventStore,
  type GlobalPosition,
  type ReadModelSource,
} from '@workshare/eventsourcing';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  LIMITS,
  openEventStore,
  openProjectionStore,
  postgresDriver,
  type SqlDriver,
} from '@workshare/eventstore';
import { castOf, startTestCooperative, type TestCast, type TestCooperative } from '@workshare/identity';
import { IdentityGrpcLookup } from '../src/adapters/identity/identity-lookup.js';
import { settlementJsonText, type Download, type PdfRenderer } from '../src/application/downloads.js';
import { SettlementService, type SettlementSummary } from '../src/application/settlement-service.js';
import { JOURNAL_PARSERS } from '../src/domain/files/journals.js';
import { parseZenginFile } from '../src/domain/files/zengin.js';
import { openSettlementService, type SettlementRuntime } from '../src/open-settlement.js';
import { BASELINE_TABLE, loadRegion, type LoadedRegion } from './load.js';
import { closeByParts, type CloseParts } from './parts.js';
import { generateRegion, MONTH, REGION_ID } from './region.js';

const MEMBERS = positiveWholeSetting('BENCH_MEMBERS', 2_000);
const BUSINESSES = positiveWholeSetting('BENCH_BUSINESSES', 200);
const JOBS = positiveWholeSetting('BENCH_JOBS', 1_000);
const ENTRIES = positiveWholeSetting('BENCH_ENTRIES', 200_000);
const SEED = positiveWholeSetting('BENCH_SEED', 1);
const SQL_ROUNDS = positiveWholeSetting('BENCH_SQL_ROUNDS', 5);

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const database = `bench_settlement_${process.pid}`;
/** The close happens on 1 December 2026, 10:00 in Tokyo: November is over. */
const CLOSED_AT = new Date('2026-12-01T10:00:00+09:00');
/** The read models' categories, each read model's own read. */
const READ_MODEL_CATEGORIES: readonly (readonly string[])[] = [
  ['job'],
  ['timesheet'],
  ['member', 'payee'],
  ['settlement'],
];
/** The refusals of a close too large for the store (its events, their sizes). */
const SIZE_REFUSALS: readonly string[] = [
  'eventstore.event_too_large',
  'eventstore.too_many_events',
  'settlement.close_too_large',
];
/** grpc-js's default limit on a message received (a client's, unless raised): 4 MiB. */
const GRPC_DEFAULT_RECEIVE_BYTES = 4 * 1024 * 1024;

const format = (n: number, decimals = 0): string => formatNumber(n, decimals);
const seconds = (ms: number): string => `${format(ms / 1000, 2)} s`;

const median = (samples: readonly number[]): number =>
  [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] as number;

/** The PDFs are not part of the bench: the setup's facade never renders one. */
const noPdf: PdfRenderer = {
  invoice: () => Promise.reject(new Error('no PDF in the bench')),
  statement: () => Promise.reject(new Error('no PDF in the bench')),
};

/** One SQL aggregation of the approved rows: what a close needs at least (minutes by job and member). */
const aggregate = (sql: SqlDriver) =>
  sql.query<{ job_id: string; member_id: string; minutes: string; entries: string }>(
    `SELECT job_id, member_id, sum(minutes) AS minutes, count(*) AS entries
       FROM ${BASELINE_TABLE} GROUP BY job_id, member_id`,
  );

/** The read models' categories read page by page (pages of 1,000, as their passes), folding nothing. */
const readPlain = async (store: EventStore): Promise<number> => {
  const source = store as ReadModelSource;
  if (source.readPage === undefined) throw new Error('the store has no readPage');
  const readPage = source.readPage.bind(source);
  const counts = await Promise.all(
    READ_MODEL_CATEGORIES.map(async (categories) => {
      let after: GlobalPosition | undefined;
      let n = 0;
      for (;;) {
        const page = await readPage({ categories, limit: 1_000, ...(after !== undefined ? { after } : {}) });
        n += page.events.length;
        after = page.end;
        if (page.events.length < 1_000) return n;
      }
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
};

const countBy = (codes: readonly string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const code of [...codes].sort()) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
};

const check = (condition: boolean, what: string): void => {
  if (!condition) throw new Error(`the close is wrong: ${what}`);
};

/**
 * Generates the region and loads it. The configuration and payees go through a facade of their
 * own, whose read models live in another schema: the measured service starts with none. Answers
 * what was loaded and the fixed-price jobs not inspected yet (the generated time is dropped).
 */
const load = async (
  store: EventStore,
  sql: SqlDriver,
  coop: TestCooperative,
  cast: TestCast,
  url: string,
): Promise<{ loaded: LoadedRegion & { ms: number }; uninspected: Set<string> }> => {
  const plan = generateRegion(SEED, { members: MEMBERS, businesses: BUSINESSES, jobs: JOBS, entries: ENTRIES });
  const uninspected = new Set(
    plan.jobs.filter((j) => j.pricing.kind === 'fixed_price' && j.pricing.inspectedAt === null).map((j) => j.jobId),
  );
  console.log('loading:');
  const started = performance.now();
  const projections = await openProjectionStore({ schema: 'bench_setup', url });
  const identity = new IdentityGrpcLookup({ identityAddress: coop.identityAddress });
  try {
    const setup = new SettlementService({ store, projections, identity, pdf: noPdf });
    const loaded = await loadRegion({ plan, store, sql, coop, cast, settlement: setup });
    for (const model of setup.readModels) await model.flush();
    return { loaded: { ...loaded, ms: performance.now() - started }, uninspected };
  } finally {
    identity.close();
    await projections.close();
  }
};

const main = async (): Promise<void> => {
  const rssBeforeLoading = process.memoryUsage.rss();
  const started = performance.now();
  const scale = `${format(MEMBERS)} members, ${format(BUSINESSES)} businesses, ${format(ENTRIES)} approved entries`;
  console.log(`settlement bench: close ${REGION_ID} ${MONTH}, ${scale}, ${format(JOBS)} jobs, seed ${SEED}`);
  const url = await createPostgresDatabase(databaseUrl, database);
  let store: EventStore | undefined;
  let sql: SqlDriver | undefined;
  let coop: TestCooperative | undefined;
  let runtime: SettlementRuntime | undefined;
  try {
    store = await openEventStore(url);
    sql = postgresDriver({ connectionString: url, maxConnections: 2 });
    coop = await startTestCooperative({ store });
    const cast: TestCast = await castOf(coop);
    const { loaded, uninspected } = await load(store, sql, coop, cast, url);
    console.log(
      `loaded in ${seconds(loaded.ms)}: ${format(loaded.producedEvents)} job intake and time tracking events, ${format(loaded.baselineRows)} baseline rows`,
    );

    const as = (person: 'coordinator' | 'accountant'): CommandContext => ({
      actor: actorOf(cast.callers[person]),
      token: cast.actors[person].token,
      requestId: randomUUID(),
    });
    const ref = { regionId: REGION_ID, month: MONTH } as const;

    // The plain read of the same categories, once to warm up (the catch-up then reads a warm log too).
    await readPlain(store);

    // 2. The close, in a service opened afresh.
    console.log('closing:');
    const sampler = startRssSampler();
    runtime = await openSettlementService({ store, identityAddress: coop.identityAddress, now: () => CLOSED_AT });
    const { service } = runtime;
    const catchUp = await timeIt(() => service.refreshReadModels());
    sampler.peakBytes();
    console.log(`  read models caught up from zero: ${seconds(catchUp.ms)}`);

    // 2a. closeMonth through the facade (its read models now current, as a running service keeps them).
    let facade: { ms: number; summary: SettlementSummary | undefined; refusal: string | undefined };
    {
      const attempt = performance.now();
      try {
        const summary = await service.closeMonth(as('coordinator'), ref);
        facade = { ms: performance.now() - attempt, summary, refusal: undefined };
      } catch (error) {
        const ms = performance.now() - attempt;
        // A close refused for its size is a finding of this bench, not its failure.
        if (!(error instanceof DomainError && SIZE_REFUSALS.includes(error.code))) throw error;
        facade = { ms, summary: undefined, refusal: `${error.code}: ${error.message}` };
      }
    }
    sampler.peakBytes();
    console.log(
      facade.summary !== undefined
        ? `  closeMonth: ${seconds(facade.ms)}`
        : `  closeMonth REFUSED after ${seconds(facade.ms)}: ${facade.refusal}`,
    );
    let facadeFiles: { zengin: Download; journal: Download; ms: number } | undefined;
    if (facade.summary !== undefined) {
      const zengin = await timeIt(() => service.zenginFile(as('accountant'), ref));
      sampler.peakBytes();
      const journal = await timeIt(() => service.journal(as('accountant'), { ...ref, vendor: 'yayoi' }));
      facadeFiles = { zengin: zengin.result, journal: journal.result, ms: zengin.ms + journal.ms };
      console.log(`  Zengin file ${seconds(zengin.ms)}, 弥生 journal ${seconds(journal.ms)}`);
    }

    // The close's peak: the catch-up, closeMonth and (when it closed) the downloads; the parts below run after it.
    const peak = sampler.peakBytes();

    // 2b. The same close taken apart (parts.ts), each step timed: where the time goes, and what a
    //     close costs when the store refuses its event.
    const config = (await service.getRegionConfig(as('coordinator'), REGION_ID)).config;
    const identity = new IdentityGrpcLookup({ identityAddress: coop.identityAddress });
    let parts: CloseParts;
    try {
      parts = await closeByParts({
        service,
        store,
        identity,
        config,
        month: MONTH,
        closedAt: CLOSED_AT,
        closedBy: cast.callers.coordinator.subject,
        closerToken: cast.actors.coordinator.token,
        accountantToken: cast.actors.accountant.token,
      });
    } finally {
      identity.close();
    }
    const peakWithParts = sampler.stop();
    const partsMs = Object.values(parts.ms).reduce((a, b) => a + b, 0);
    console.log(
      `  taken apart: snapshot ${seconds(parts.ms.snapshot)}, compute ${seconds(parts.ms.compute)}, digest and the close's events ${seconds(parts.ms.eventData)}, Zengin file ${seconds(parts.ms.zengin)}, 弥生 journal ${seconds(parts.ms.journal)}`,
    );

    // 3. The baselines.
    const plain = await timeIt(() => readPlain(store!));
    const logEvents = plain.result;
    await aggregate(sql); // warm-up
    const sqlMs: number[] = [];
    let rows: Awaited<ReturnType<typeof aggregate>> = [];
    for (let round = 0; round < SQL_ROUNDS; round++) {
      const run = await timeIt(() => aggregate(sql!));
      sqlMs.push(run.ms);
      rows = run.result;
    }
    const sqlMedian = median(sqlMs);

    // The close is right, or the figures mean nothing.
    const { settlement } = parts;
    // Every member's minutes on her statement are what the rows hold; a member without one worked
    // only on fixed-price jobs not inspected yet (billed, and so paid, in a later month).
    const sqlMinutes = new Map<string, number>();
    for (const r of rows) sqlMinutes.set(r.member_id, (sqlMinutes.get(r.member_id) ?? 0) + Number(r.minutes));
    for (const s of settlement.statements)
      check(
        s.minutes === sqlMinutes.get(s.memberId),
        `member ${s.memberId}: ${s.minutes} minutes paid, the rows hold ${sqlMinutes.get(s.memberId)}`,
      );
    const stated = new Set(settlement.statements.map((s) => s.memberId));
    for (const r of rows)
      if (!stated.has(r.member_id))
        check(uninspected.has(r.job_id), `member ${r.member_id} has no statement, yet worked on job ${r.job_id}`);
    const billed = new Set(settlement.jobs.filter((j) => j.billedYen > 0n).map((j) => j.businessId));
    check(
      settlement.invoices.length === billed.size,
      `${settlement.invoices.length} invoices for ${billed.size} businesses billed`,
    );
    const filesOf = facadeFiles ?? parts;
    const transfers = parseZenginFile(filesOf.zengin.bytes); // validates it first
    const paid = settlement.statements.filter((s) => s.contractType === 'contractor' && s.payableYen > 0n);
    check(transfers.transfers.length === paid.length, 'one transfer per contractor paid');
    check(
      transfers.trailer.totalYen === paid.reduce((n, s) => n + s.payableYen, 0n),
      'the Zengin trailer is what the statements pay',
    );
    for (const entry of JOURNAL_PARSERS.yayoi(filesOf.journal.bytes)) {
      const side = (s: 'debit' | 'credit') =>
        entry.lines.filter((l) => l.side === s).reduce((n, l) => n + l.amountYen, 0n);
      check(side('debit') === side('credit'), 'every journal entry balances');
    }
    if (facade.summary !== undefined) {
      // The same events closed twice give the same close.
      check(facade.summary.inputDigest === parts.inputDigest, 'the facade and the parts read the same input');
      check(facade.summary.totals.payableYen === settlement.totals.payableYen, 'the facade and the parts pay the same');
    }
    const jsonBytes = Buffer.byteLength(settlementJsonText(settlement, parts.inputDigest));
    // The close's events: how many of each type, the largest of each, and in all.
    const eventsByType = new Map<string, { count: number; largest: number; bytes: number }>();
    parts.events.forEach((e, i) => {
      const known = eventsByType.get(e.type) ?? { count: 0, largest: 0, bytes: 0 };
      const bytes = parts.eventBytes[i]!;
      eventsByType.set(e.type, {
        count: known.count + 1,
        largest: Math.max(known.largest, bytes),
        bytes: known.bytes + bytes,
      });
    });
    const closeBytes = parts.eventBytes.reduce((a, b) => a + b, 0);
    const t = settlement.totals;

    console.log('');
    console.log(
      `close: ${settlement.invoices.length} invoices, ${format(settlement.statements.length)} statements, ${format(transfers.transfers.length)} transfers; billed ¥${format(Number(t.billedYen))} + tax ¥${format(Number(t.taxYen))}, payable ¥${format(Number(t.payableYen))}, top-ups ¥${format(Number(t.topUpYen))}; findings ${JSON.stringify(countBy(settlement.findings.map((f) => f.code)))}`,
    );
    console.log(
      `read models caught up from zero: ${seconds(catchUp.ms)}, ${format(logEvents)} events of their categories (${format((logEvents * 1000) / catchUp.ms)} events/s); plain read ${seconds(plain.ms)} (${format((logEvents * 1000) / plain.ms)} events/s)`,
    );
    console.log(
      `SQL aggregation: median ${format(sqlMedian, 1)} ms of ${SQL_ROUNDS} (${sqlMs.map((m) => format(m, 1)).join(', ')}), ${format(rows.length)} (job, member) rows`,
    );
    console.log(
      `peak RSS ${format(toMB(peak), 1)} MB over the catch-up and the close (${format(toMB(peakWithParts), 1)} MB with the close taken apart after it; at the start of the catch-up ${format(toMB(sampler.startBytes), 1)} MB, before loading ${format(toMB(rssBeforeLoading), 1)} MB)`,
    );
    console.log(
      `the close's events: ${format(parts.events.length)} in one append (the store's limit: ${format(LIMITS.eventsPerAppend)}), ${format(closeBytes)} bytes of data in all, the largest ${format(Math.max(...parts.eventBytes))} (the store's limit per event: ${format(LIMITS.eventBytes)}); settlement JSON (GetSettlement, Download SETTLEMENT_JSON) ${format(jsonBytes)} bytes (grpc-js's default receive limit: ${format(GRPC_DEFAULT_RECEIVE_BYTES)})`,
    );
    for (const [type, { count, largest, bytes }] of eventsByType)
      console.log(`  ${type}: ${format(count)}, ${format(bytes)} bytes (largest ${format(largest)})`);

    const aggregation = `one SQL aggregation (GROUP BY job, member) of the same ${format(ENTRIES)} rows in PostgreSQL, median of ${SQL_ROUNDS}, same run`;
    // The words: < 10 s (value in ms), < 1 GB (1,024 MB).
    const closed = below({
      name: `settlement: close a month, ${scale} (closeMonth through the facade: snapshot, compute, the close's events appended)`,
      value: facade.ms,
      unit: 'ms',
      baseline: aggregation,
      baselineValue: sqlMedian,
      max: 10_000,
    });
    const results: BenchResult[] = [
      // A refused close is no close, however fast it was refused.
      { ...closed, target: '< 10 s', met: facade.summary !== undefined && closed.met },
      {
        ...below({
          name: `settlement: a close's work taken apart, ${scale} (snapshot, compute, the close's events, Zengin file, 弥生 journal; no append)`,
          value: partsMs,
          unit: 'ms',
          baseline: aggregation,
          baselineValue: sqlMedian,
          max: 10_000,
        }),
        target: '< 10 s',
      },
      {
        ...below({
          name: `settlement: close a month, ${scale}, peak RSS (catch-up from zero, closeMonth, downloads)`,
          value: toMB(peak),
          unit: 'MB',
          baseline: 'the same process before loading',
          baselineValue: toMB(rssBeforeLoading),
          max: 1_024,
        }),
        target: '< 1 GB',
      },
      compareToBaseline({
        name: `settlement: read models caught up from zero, ${scale}`,
        value: (logEvents * 1000) / catchUp.ms,
        unit: 'events/s',
        baseline: `the same ${format(logEvents)} events read page by page (1,000), nothing folded, same run`,
        baselineValue: (logEvents * 1000) / plain.ms,
        minRatio: 0.5,
      }),
    ];
    recordResults(results);
    if (facade.refusal !== undefined) console.log(`\nthe facade could not close the month: ${facade.refusal}`);
    console.log(`total ${seconds(performance.now() - started)}`);
  } finally {
    await runtime?.close().catch(() => undefined);
    await coop?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await sql?.close().catch(() => undefined);
    await dropPostgresDatabase(databaseUrl, database);
  }
};

main().catch((error: unknown) => {
  console.error('settlement bench failed:', error);
  process.exitCode = 1;
});
