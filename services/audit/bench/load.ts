/**
 * Loads the generated history (history.ts) into a PostgreSQL event store through the store
 * itself (SqlEventStore.append: the stored positions and hashes are the store's own), as its
 * producers write it:
 *
 * - identity, for real (the test cooperative of @workshare/identity, in process, on the same
 *   store): every region's coordinator (a member granted the role), its members (RegisterMember:
 *   personal data sealed with a key of her own, bank account), its businesses (RegisterBusiness)
 *   and a user acting for each (RegisterUser, the business role);
 * - settlement, through its facade: each region's configuration, the registered contractors' own
 *   numbers (RegisterPayee), and every month closed (CloseMonth on the Tuesday after its last
 *   week is approved: the real close, its events appended by settlement);
 * - job intake's, task decomposition's, team scheduling's and time tracking's events as the
 *   generator makes them (their published events checked against their catalogues first, as
 *   settlement's bench does), one append per stream and phase of a week (many events per append,
 *   LOADERS appends at a time): the fastest way the store offers to write its own hashes.
 *
 * Stops at `total` events in the log (identity's and settlement's included): the last append is
 * cut to fit; the last week is then the log's present (its month open).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createProgress, randomDigits, seededRandom, JAPANESE_GIVEN_NAMES, JAPANESE_SURNAMES } from '@workshare/bench';
import {
  JOB_INTAKE_PUBLISHED_EVENTS,
  parsePublished,
  TASK_DECOMPOSITION_PUBLISHED_EVENTS,
  TEAM_SCHEDULING_PUBLISHED_EVENTS,
  TIME_TRACKING_PUBLISHED_EVENTS,
  type Catalogue,
} from '@workshare/contracts';
import {
  actorOf,
  corporateRegistrationNumber,
  uuidv7,
  type CommandContext,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import type { SqlDriver } from '@workshare/eventstore';
import { REGIONS, type TestCast, type TestCooperative } from '@workshare/identity';
import type { SettlementService } from '@workshare/settlement';
import { generateHistory, type Batch, type RegionCast, type TaskFacts } from './history.js';

/** Appends (or commands) at once while loading. */
const LOADERS = 6;
const PASSWORD = 'bench password, long enough';

const forEachLimited = async (
  count: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
};

const CATALOGUES: Readonly<Record<string, Catalogue>> = {
  job: JOB_INTAKE_PUBLISHED_EVENTS,
  plan: TASK_DECOMPOSITION_PUBLISHED_EVENTS,
  schedule: TEAM_SCHEDULING_PUBLISHED_EVENTS,
  timesheet: TIME_TRACKING_PUBLISHED_EVENTS,
};

/** Types each producer publishes (the others are its internal events, not in its catalogue). */
const publishedTypes = (catalogue: Catalogue): Set<string> =>
  new Set(catalogue.map((c) => `${c.type}@${c.schemaVersion}`));
const PUBLISHED: Readonly<Record<string, Set<string>>> = Object.fromEntries(
  Object.entries(CATALOGUES).map(([category, catalogue]) => [category, publishedTypes(catalogue)]),
);

/** A published event its producer could not publish stops the bench (the check of test/producers.ts). */
export const checkPublished = (batch: Batch): void => {
  const category = batch.stream.slice(0, batch.stream.indexOf('-'));
  const catalogue = CATALOGUES[category];
  if (catalogue === undefined) throw new Error(`the generator wrote a stream of no producer: ${batch.stream}`);
  for (const e of batch.events) {
    if (!PUBLISHED[category]!.has(`${e.type}@${e.schemaVersion ?? 1}`)) continue;
    const probe: RecordedEvent = {
      id: uuidv7(),
      type: e.type,
      schemaVersion: e.schemaVersion ?? 1,
      streamName: batch.stream,
      streamVersion: 0,
      position: { commit: 0n, prepare: 0n },
      data: e.data,
      metadata: {},
      occurredAt: e.occurredAt ?? new Date(),
      recordedAt: e.occurredAt ?? new Date(),
      hash: '',
      previousHash: '',
    };
    const parsed = parsePublished(catalogue, probe);
    if (!parsed.ok) throw new Error(`a bench event its producer could not publish: ${parsed.error.message}`);
  }
};

export interface Sizes {
  readonly membersPerRegion: number;
  readonly businessesPerRegion: number;
}

/** The settlement configuration of a region (its issuer's number has a valid check digit). */
const configOf = (regionId: string, index: number, prefecture: string) => ({
  regionId,
  issuerName: `${REGIONS[index]!.nameJa.replace(/^.*[県都]/, '')}ワークシェア協同組合`,
  registrationNumber: corporateRegistrationNumber(`71234567890${index}`),
  address: `${REGIONS[index]!.nameJa}1-${index + 1}`,
  payerAccount: {
    bankCode: '0117',
    bankNameKana: 'アキタ',
    branchCode: String(120 + index),
    branchNameKana: 'ホンテン',
    type: 'ordinary' as const,
    number: `123456${index}`,
  },
  zenginRequesterCode: `12345678${index}`,
  requesterNameKana: 'ワークシェアキョウドウクミアイ',
  marginBasisPoints: 1500,
  payDay: 25,
  invoiceRounding: 'floor' as const,
  payTimingReading: 'two_months' as const,
  officePrefecture: prefecture,
});

/** Each region's cast registered in identity for real, and its settlement configured. */
export const registerCooperative = async (options: {
  readonly seed: number;
  readonly sizes: Sizes;
  readonly coop: TestCooperative;
  readonly cast: TestCast;
  readonly settlement: SettlementService;
}): Promise<RegionCast[]> => {
  const { coop, cast, sizes, settlement } = options;
  const random = seededRandom(options.seed);
  const as = (person: 'operator' | 'accountant'): CommandContext => ({
    actor: actorOf(cast.callers[person]),
    token: cast.actors[person].token,
    requestId: randomUUID(),
  });
  const tag = randomUUID().slice(0, 8);
  const casts: RegionCast[] = [];
  for (const [r, region] of REGIONS.entries()) {
    const towns = region.towns.map((t) => t.id);
    const plans = Array.from({ length: sizes.membersPerRegion + 1 }, () => {
      const [surname, surnameKana] = random.pick(JAPANESE_SURNAMES);
      const [given, givenKana] = random.pick(JAPANESE_GIVEN_NAMES);
      const roll = random.next();
      return {
        name: `${surname} ${given}`,
        holder: `${surnameKana} ${givenKana}`,
        townId: random.pick(towns),
        kind: roll < 0.4 ? 'registered' : roll < 0.8 ? 'unregistered' : 'employee',
        branch: randomDigits(random, 3),
        number: randomDigits(random, 7),
        registration: `T9${randomDigits(random, 12)}`,
      } as const;
    });
    const memberIds = new Array<string>(plans.length);
    let progress = createProgress({ label: `  identity: ${region.id} members`, total: plans.length, unit: 'members' });
    await forEachLimited(plans.length, 4, async (i) => {
      const p = plans[i]!;
      const { memberId } = await coop.service.registerMember(as('operator'), {
        name: p.name,
        address: `${region.nameJa} ${p.townId.split('/')[1]} ${i + 1}`,
        email: `bench.${region.id}.${i}.${tag}@members.example`,
        password: PASSWORD,
        bankAccount: { bankCode: '0117', branchCode: p.branch, type: 'ordinary', number: p.number, holder: p.holder },
        townId: p.townId,
        // The first of the region is its coordinator.
        contractType: i > 0 && p.kind === 'employee' ? 'employee' : 'contractor',
        skills: ['data entry', 'transcription', 'writing'],
        availability: [{ day: 'mon', start: '09:00', end: '22:00' }],
      });
      memberIds[i] = memberId;
      progress.add(1);
    });
    progress.finish();
    const coordinatorId = memberIds[0]!;
    await coop.service.grantRole(as('operator'), {
      accountId: coordinatorId,
      role: { kind: 'coordinator', regionId: region.id },
      reason: 'the region’s coordinator',
    });
    const businessIds = new Array<string>(sizes.businessesPerRegion);
    const businessUserIds = new Array<string>(sizes.businessesPerRegion);
    progress = createProgress({
      label: `  identity: ${region.id} businesses`,
      total: sizes.businessesPerRegion,
      unit: 'businesses',
    });
    await forEachLimited(sizes.businessesPerRegion, 4, async (i) => {
      const { businessId } = await coop.service.registerBusiness(as('operator'), {
        name: `${region.name} 事業所 ${i + 1}`,
        registrationNumber: corporateRegistrationNumber(`8${r}${String(i + 1).padStart(10, '0')}`),
        regionId: region.id,
        address: `${region.nameJa} ${i + 1}`,
      });
      const { userId } = await coop.service.registerUser(as('operator'), {
        name: `${region.name} 事業所 ${i + 1} 担当`,
        email: `bench.${region.id}.business.${i}.${tag}@business.example`,
        password: PASSWORD,
      });
      await coop.service.grantRole(as('operator'), {
        accountId: userId,
        role: { kind: 'business', businessId },
        reason: 'acts for the business',
      });
      businessIds[i] = businessId;
      businessUserIds[i] = userId;
      progress.add(1);
    });
    progress.finish();

    await settlement.configureRegion(as('operator'), configOf(region.id, r, region.office.prefecture));
    const registered = plans.map((p, i) => ({ p, i })).filter(({ p, i }) => i > 0 && p.kind === 'registered');
    progress = createProgress({ label: `  settlement: ${region.id} payees`, total: registered.length, unit: 'payees' });
    await forEachLimited(registered.length, 4, async (k) => {
      const { p, i } = registered[k]!;
      await settlement.registerPayee(as('accountant'), {
        memberId: memberIds[i]!,
        invoiceRegistrationNumber: p.registration,
      });
      progress.add(1);
    });
    progress.finish();
    casts.push({
      regionId: region.id,
      coordinatorId,
      memberIds: memberIds.slice(1),
      businessIds,
      businessUserIds,
    });
  }
  return casts;
};

export interface LoadedHistory {
  /** Events in the log at the end (identity's and settlement's included). */
  readonly events: number;
  /** Events the bench appended as the producers (job intake, plans, schedules, timesheets). */
  readonly produced: number;
  readonly appends: number;
  /** Events written by settlement's closes. */
  readonly closeEvents: number;
  readonly closes: readonly { readonly regionId: string; readonly month: string; readonly ms: number }[];
  /** Tasks of the weeks written whole (their holders), for the who-held questions. */
  readonly sampledTasks: readonly TaskFacts[];
  readonly ms: number;
  /** ms spent in settlement's closes (read models caught up and CloseMonth). */
  readonly closeMs: number;
  readonly lastWeek: string;
}

const countEvents = async (sql: SqlDriver): Promise<number> => {
  const [row] = await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM eventstore.events`);
  return Number(row!.n);
};

/** Writes the history until the log holds `total` events; progress (events/s, ETA) on stderr. */
export const loadHistory = async (options: {
  readonly seed: number;
  readonly total: number;
  readonly regions: readonly RegionCast[];
  readonly firstDayMs: number;
  readonly store: EventStore;
  readonly sql: SqlDriver;
  readonly settlement: SettlementService;
  /** Sets the clock settlement's facade reads. */
  readonly setClock: (at: Date) => void;
  readonly operator: () => CommandContext;
  /** How many tasks to keep for the questions (a uniform sample of the weeks written whole). */
  readonly sample: number;
}): Promise<LoadedHistory> => {
  const started = performance.now();
  const { store, sql, settlement } = options;
  let inLog = await countEvents(sql);
  const progress = createProgress({
    label: '  history',
    total: options.total,
    unit: 'events',
    initial: inLog,
    eta: true,
  });
  let produced = 0;
  let appends = 0;
  let closeEvents = 0;
  let closeMs = 0;
  const closes: { regionId: string; month: string; ms: number }[] = [];
  const sampleRandom = seededRandom((options.seed ^ 0x5eed) >>> 0);
  const sampled: TaskFacts[] = [];
  let seen = 0;
  let lastWeek = '';
  const history = generateHistory({ seed: options.seed, regions: options.regions, firstDayMs: options.firstDayMs });
  let full = false;
  while (!full) {
    const step = history.next();
    if (step.done === true) break;
    const week = step.value;
    lastWeek = week.weekStart;
    for (const [phase, batches] of week.phases.entries()) {
      if (full) break;
      await forEachLimited(batches.length, LOADERS, async (i) => {
        const batch = batches[i]!;
        const room = options.total - inLog;
        if (room <= 0) {
          full = true;
          return;
        }
        checkPublished(batch);
        const events: NewEvent[] = batch.events.length > room ? batch.events.slice(0, room) : batch.events;
        inLog += events.length;
        await store.append(batch.stream, events);
        produced += events.length;
        appends++;
        progress.add(events.length);
      });
      if (phase === 0 && !full) {
        for (const close of week.closes) {
          const before = performance.now();
          options.setClock(new Date(close.atMs));
          await settlement.refreshReadModels();
          await settlement.closeMonth(options.operator(), { regionId: close.regionId, month: close.month });
          const ms = performance.now() - before;
          closes.push({ regionId: close.regionId, month: close.month, ms });
          closeMs += ms;
        }
        if (week.closes.length > 0) {
          const counted = await countEvents(sql);
          closeEvents += counted - inLog;
          progress.add(counted - inLog);
          inLog = counted;
          process.stderr.write(
            `  closed ${week.closes.map((c) => `${c.regionId} ${c.month}`).join(', ')} (${closes
              .slice(-week.closes.length)
              .map((c) => `${(c.ms / 1000).toFixed(1)} s`)
              .join(', ')})\n`,
          );
        }
      }
    }
    if (full) break;
    // Reservoir sampling over the tasks of the weeks written whole.
    for (const task of week.tasks) {
      seen++;
      if (sampled.length < options.sample) sampled.push(task);
      else {
        const j = sampleRandom.int(0, seen - 1);
        if (j < options.sample) sampled[j] = task;
      }
    }
  }
  progress.finish();
  return {
    events: await countEvents(sql),
    produced,
    appends,
    closeEvents,
    closes,
    sampledTasks: sampled,
    ms: performance.now() - started,
    closeMs,
    lastWeek,
  };
};
