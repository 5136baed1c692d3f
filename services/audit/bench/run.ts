/**
 * Audit benchmark: a cooperative's history of AUDIT_BENCH_EVENTS (5,000,000) events written into a
 * throw-away PostgreSQL database through the real store, then the audit's questions answered
 * through its application layer, each against the naive answer from a full scan of the same log
 * in the same run. What is measured and why: bench/README.md.
 *
 *   npm run build && npm run bench -w @workshare/audit       (at the root; `npm run bench` runs every bench)
 *   AUDIT_BENCH_EVENTS=200000 npm run bench -w @workshare/audit     (a quick run)
 *
 * 1. Load (load.ts, progress with events/s and ETA on stderr): identity for real (every region's
 *    members, coordinator, businesses and their users), settlement's configuration and payees;
 *    the generated weeks (history.ts) appended as their producers write them; every month
 *    closed through settlement's facade once its last week is approved.
 * 2. The naive scan (naive.ts): the whole log read through the store (readAll, pages of 10,000),
 *    every question folded from it in memory; its time is each figure's baseline.
 * 3. The audit over the same store (audit.ts): its projections rebuilt from zero (timed), then
 *    the service opened on them; "who held T at t" for AUDIT_BENCH_QUERIES random (T, t) and the
 *    reconciliation of the last region-month closed, through its facade as the accountant, each
 *    answer checked against the generator's truth and the naive scan's; peak RSS meanwhile.
 * 4. The store's verification figure is libs/eventstore/bench's: printed from bench-results.json.
 *
 * Knobs: AUDIT_BENCH_EVENTS (5,000,000), AUDIT_BENCH_MEMBERS (per region; default events / 2,500,
 * so 2,000 at the default size), AUDIT_BENCH_BUSINESSES (per region; members / 20),
 * AUDIT_BENCH_QUERIES (1,000), AUDIT_BENCH_SEED (1).
 */
import { performance } from 'node:perf_hooks';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  atLeast,
  below,
  findRepoRoot,
  formatNumber,
  parseResults,
  positiveWholeSetting,
  recordResults,
  RESULTS_FILE,
  seededRandom,
  startRssSampler,
  summarizeLatencies,
  toMB,
  type BenchResult,
} from '@workshare/bench';
import { actorOf, type CommandContext, type EventStore } from '@workshare/eventsourcing';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  openEventStore,
  openServiceProjections,
  postgresDriver,
  type SqlDriver,
} from '@workshare/eventstore';
import { castOf, startTestCooperative, type TestCooperative } from '@workshare/identity';
import { openSettlementService, type SettlementRuntime } from '@workshare/settlement';
import { DAY_MS } from '@workshare/time';
import { auditReadModels, openAuditService, type AuditRuntime } from '../src/index.js';
import { askWhoHeld, rebuildAll, reconcile } from './audit.js';
import { loadHistory, registerCooperative } from './load.js';
import { naiveScan, type WhoHeldQuestion } from './naive.js';

const EVENTS = positiveWholeSetting('AUDIT_BENCH_EVENTS', 5_000_000);
const MEMBERS = positiveWholeSetting('AUDIT_BENCH_MEMBERS', Math.max(20, Math.round(EVENTS / 2_500)));
const BUSINESSES = positiveWholeSetting('AUDIT_BENCH_BUSINESSES', Math.max(5, Math.round(MEMBERS / 20)));
const QUERIES = positiveWholeSetting('AUDIT_BENCH_QUERIES', 1_000);
const SEED = positiveWholeSetting('AUDIT_BENCH_SEED', 1);
/** The history begins on Wednesday 1 April 2026 (Tokyo). */
const FIRST_DAY_MS = Date.parse('2026-04-01T00:00:00+09:00');

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const database = `bench_audit_${process.pid}`;

const format = (n: number, decimals = 0): string => formatNumber(n, decimals);
const seconds = (ms: number): string => `${format(ms / 1000, 1)} s`;

/**
 * The store's verification figure, as libs/eventstore/bench recorded it (that bench measures
 * verification against the seals; this one does not run it twice): of 1,000,000 events when there
 * is one, else the largest it recorded.
 */
const verificationFigure = (): string | undefined => {
  const file = join(findRepoRoot(), RESULTS_FILE);
  if (!existsSync(file)) return undefined;
  const figures = parseResults(readFileSync(file, 'utf8')).filter(
    (r) => r.name.startsWith('eventstore/') && /verif/i.test(r.name),
  );
  const found = figures.find((r) => r.name.includes('1,000,000')) ?? figures[figures.length - 1];
  return found === undefined
    ? undefined
    : `${found.name}: ${format(found.value, 1)} ${found.unit} (baseline ${found.baseline}: ${found.baselineValue ?? '-'}; target ${found.target}; met ${found.met ? 'yes' : 'no'})`;
};

const main = async (): Promise<void> => {
  const started = performance.now();
  console.log(
    `audit bench: ${format(EVENTS)} events, 3 regions × ${format(MEMBERS)} members and ${format(BUSINESSES)} businesses, ${format(QUERIES)} who-held questions, seed ${SEED}`,
  );
  const url = await createPostgresDatabase(databaseUrl, database);
  let store: EventStore | undefined;
  let sql: SqlDriver | undefined;
  let coop: TestCooperative | undefined;
  let settlement: SettlementRuntime | undefined;
  let audit: AuditRuntime | undefined;
  try {
    store = await openEventStore(url);
    sql = postgresDriver({ connectionString: url, maxConnections: 2 });
    coop = await startTestCooperative({ store });
    const cast = await castOf(coop);
    let clock = new Date(FIRST_DAY_MS);
    settlement = await openSettlementService({ store, identityAddress: coop.identityAddress, now: () => clock });
    const operator = (): CommandContext => ({
      actor: actorOf(cast.callers.operator),
      token: cast.actors.operator.token,
      requestId: crypto.randomUUID(),
    });

    console.log('loading:');
    const registering = performance.now();
    const regions = await registerCooperative({
      seed: SEED,
      sizes: { membersPerRegion: MEMBERS, businessesPerRegion: BUSINESSES },
      coop,
      cast,
      settlement: settlement.service,
    });
    const registeredMs = performance.now() - registering;
    const loaded = await loadHistory({
      seed: SEED,
      total: EVENTS,
      regions,
      firstDayMs: FIRST_DAY_MS,
      store,
      sql,
      settlement: settlement.service,
      setClock: (at) => {
        clock = at;
      },
      operator,
      sample: QUERIES,
    });
    const writeMs = loaded.ms - loaded.closeMs;
    console.log(
      `loaded ${format(loaded.events)} events in ${seconds(registeredMs + loaded.ms)}: identity and settlement's set-up ${seconds(registeredMs)}; ` +
        `${format(loaded.produced)} producers' events in ${format(loaded.appends)} appends, ${seconds(writeMs)} (${format((loaded.produced * 1000) / writeMs)} events/s, ${format((loaded.appends * 1000) / writeMs)} appends/s); ` +
        `${loaded.closes.length} months closed by settlement (${format(loaded.closeEvents)} events) in ${seconds(loaded.closeMs)}; the log's last week ${loaded.lastWeek}`,
    );
    if (loaded.closes.length === 0) throw new Error('no month was closed: give the bench more events');
    // Settlement's part is done: its read models go before the audit's figures are taken.
    await settlement.close();
    settlement = undefined;
    const month = loaded.closes[loaded.closes.length - 1]!;

    // The questions: random tasks of the weeks written whole, random instants around their holding.
    const random = seededRandom((SEED * 31 + 7) >>> 0);
    const tasks = loaded.sampledTasks;
    const questions: (WhoHeldQuestion & { expected: string | null })[] = Array.from({ length: QUERIES }, (_, i) => {
      const task = tasks[i % tasks.length]!;
      const atMs = task.assignedMs - DAY_MS + Math.floor(random.next() * (task.endMs - task.assignedMs + 2 * DAY_MS));
      const holder = task.holders.find((h) => h.fromMs <= atMs && (h.toMs === null || atMs < h.toMs));
      return { taskId: task.taskId, atMs, expected: holder?.memberId ?? null };
    });

    console.log('naive scan:');
    const naive = await naiveScan({ store, questions, month, total: loaded.events });
    const wrong = questions.filter((q, i) => naive.holders[i] !== q.expected).length;
    if (wrong > 0) throw new Error(`the naive scan answers ${wrong} of ${QUERIES} who-held questions wrongly`);
    console.log(
      `  ${format(naive.events)} events in ${seconds(naive.ms)} (${format(naive.eventsPerSecond)} events/s); ` +
        `${month.regionId} ${month.month}: ${JSON.stringify(naive.reconciliation, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`,
    );

    // 3. The audit service over the same log (its query tables in the store's database, schema `audit`).
    console.log('audit:');
    const rssBefore = process.memoryUsage.rss();
    const sampler = startRssSampler();
    // The audit's projections (its query tables, schema `audit` of the store's database) rebuilt from
    // zero as the operator's rebuild does, before the service opens: it then finds them at the head.
    const projections = await openServiceProjections(store, 'audit');
    let rebuilt: Awaited<ReturnType<typeof rebuildAll>>;
    try {
      const models = auditReadModels(store, projections);
      rebuilt = await rebuildAll(models);
      for (const model of models) await model.flush();
    } finally {
      await projections.close();
    }
    sampler.peakBytes();
    const rebuildRate = (naive.events * 1000) / rebuilt.ms;
    console.log(
      `  rebuilt from zero: ${seconds(rebuilt.ms)}, ${format(rebuildRate)} log events/s (${rebuilt.models
        .map((m) => `${m.projection}: ${format(m.events)} events in ${seconds(m.ms)}`)
        .join('; ')})`,
    );
    const opening = performance.now();
    audit = await openAuditService({ store, identityAddress: coop.identityAddress, verifyIntervalMs: 0 });
    const { service } = audit;
    await service.refreshReadModels();
    console.log(`  the service opened and caught up in ${seconds(performance.now() - opening)}`);
    const accountant = (): CommandContext => ({
      actor: actorOf(cast.callers.accountant),
      token: cast.actors.accountant.token,
      requestId: crypto.randomUUID(),
    });
    const held = await askWhoHeld(service, accountant, questions);
    sampler.peakBytes();
    const naiveWhoHeld = summarizeLatencies(naive.whoHeldMs);
    console.log(
      `  who held T at t, ${format(QUERIES)} questions one at a time: p50 ${format(held.latency.p50, 2)} ms, p90 ${format(held.latency.p90, 2)} ms, p99 ${format(held.latency.p99, 2)} ms, max ${format(held.latency.max, 1)} ms; ${held.wrong} wrong` +
        (held.examples.length > 0 ? ` (${held.examples.join('; ')})` : '') +
        `; naive (scan until the task's events are all read): p50 ${seconds(naiveWhoHeld.p50)}, p99 ${seconds(naiveWhoHeld.p99)}`,
    );
    const reconciled = await reconcile(service, accountant, month);
    const peak = sampler.stop();
    const r = reconciled.result;
    const naiveMonth = naive.reconciliation!;
    const statements = r.documents.filter((d) => d.kind === 'statement').length;
    const reconciliationRight =
      r.closed && statements === naiveMonth.statements && r.differences.length === naiveMonth.differences;
    console.log(
      `  reconciliation of ${month.regionId} ${month.month}: first ${format(reconciled.firstMs, 1)} ms, median of 5 ${format(reconciled.medianMs, 1)} ms (${reconciled.samplesMs.map((m) => format(m, 1)).join(', ')}); ` +
        `${r.documents.length} documents (${statements} statements), ${r.differences.length} differences, invoiced ¥${format(r.totals.invoicedYen)}; ` +
        `naive: ${naiveMonth.statements} statements, ${naiveMonth.invoiceLines} invoice lines, ${format(naiveMonth.tracedEntries)} entries traced, ${naiveMonth.differences} differences, at ${seconds(naiveMonth.answeredAtMs)} into the scan` +
        (reconciliationRight ? '' : ' — THE AUDIT AND THE NAIVE ANSWER DISAGREE') +
        r.differences
          .slice(0, 3)
          .map((d) => `\n    difference ${d.documentId ?? '-'}: ¥${format(d.differenceYen)} ${d.explanation}`)
          .join(''),
    );
    console.log(`  peak RSS ${format(toMB(peak), 1)} MB (before opening the audit ${format(toMB(rssBefore), 1)} MB)`);

    const scale = `${format(EVENTS)} events`;
    const scan = `naive full scan of the same log through the store (readAll, pages of 10,000), folded in memory, same run`;
    const results: BenchResult[] = [
      {
        ...below({
          name: `audit: who held T at t, p99 of ${format(QUERIES)} random (T, t), ${scale} (application layer, query recorded, one at a time)`,
          value: held.latency.p99,
          unit: 'ms',
          baseline: `${scan}: p99 of the time to read each task's last schedule event`,
          baselineValue: naiveWhoHeld.p99,
          max: 20,
        }),
        ...(held.wrong > 0 ? { met: false } : {}),
      },
      {
        ...below({
          name: `audit: reconciliation of a closed region-month (${format(naiveMonth.statements)} members paid), ${scale} (median of 5)`,
          value: reconciled.medianMs,
          unit: 'ms',
          baseline: `${scan}: time to read the month's MonthClosed and trace its statements and hourly lines`,
          baselineValue: naiveMonth.answeredAtMs,
          max: 2_000,
        }),
        target: '< 2 s',
        ...(reconciliationRight ? {} : { met: false }),
      },
      atLeast({
        name: `audit: projections rebuilt from zero, ${scale} (all at once, log events per second)`,
        value: rebuildRate,
        unit: 'events/s',
        baseline: `${scan}: its rate`,
        baselineValue: naive.eventsPerSecond,
        min: 50_000,
      }),
      {
        ...below({
          name: `audit: peak RSS, ${scale} (rebuild from zero, who-held questions, reconciliation)`,
          value: toMB(peak),
          unit: 'MB',
          baseline: 'the same process before opening the audit service (loader and naive scan done)',
          baselineValue: toMB(rssBefore),
          max: 1_024,
        }),
        target: '< 1 GB',
      },
    ];
    recordResults(results);
    const verification = verificationFigure();
    console.log(
      verification === undefined
        ? "verification: not measured here (libs/eventstore/bench measures the store's verification against the seals; no figure of it in bench-results.json yet)"
        : `verification (libs/eventstore/bench's figure, not run twice): ${verification}`,
    );
    console.log(`total ${seconds(performance.now() - started)}`);
  } finally {
    await audit?.close().catch(() => undefined);
    await settlement?.close().catch(() => undefined);
    await coop?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await sql?.close().catch(() => undefined);
    await dropPostgresDatabase(databaseUrl, database);
  }
};

main().catch((error: unknown) => {
  console.error('audit bench failed:', error);
  process.exitCode = 1;
});
