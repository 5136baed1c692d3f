/**
 * Two replicas of team scheduling on one PostgreSQL database and one NATS server, each with its
 * own store (its own connection pool), its own roster and its own bus connection, as two pods
 * run: decisions about members' time go under the regions' leases (Workbench.booking), so the
 * replicas never double-book a member whatever reaches which of them.
 *
 * 1. A race, replayed round after round: the same member's only free hour asked for by two jobs
 *    at the same instant, one on each replica. With the store's leases the second decision knows
 *    the first; with leases that reach one process only (what a store without leases of its own
 *    gives, KurrentDB), the replicas double-book her — the check below sees it, so it can fail.
 * 2. A seeded random run: plans delivered over NATS to whichever replica's consumer pulls them,
 *    and schedules, shares, hand-offs and unavailability sent to either replica at random, many
 *    at once; then `checkSchedule` over the union of every job's schedule (read from the store,
 *    not from either roster): no member holds two tasks at once, every span inside one of her
 *    windows and outside her unavailability, skills, towns, deadlines, the hand-off rule.
 */
import { randomUUID } from 'node:crypto';
import { openEventBus, type BusSubscription, type EventBus } from '@workshare/bus';
import {
  contextOfEvent,
  DomainError,
  InProcessLocks,
  type CommandContext,
  type EventStore,
  type KeyedLocks,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { createLogger } from '@workshare/telemetry';
import { deleteStreams, describeNeeding, uniqueName } from '../../../../libs/bus/test/support/nats.js';
import { foldFromStore, unionOf } from '../../bench/union.js';
import { startTeamSchedulingConsumers } from '../../src/application/consumers.js';
import { plannedTasksOf } from '../../src/application/integration-events.js';
import type { TeamSchedulingService } from '../../src/application/team-scheduling-service.js';
import { PROCESS_MANAGER } from '../../src/domain/job-schedule.js';
import { checkSchedule } from '../../src/domain/scheduler/fairness.js';
import type { WeeklyWindow } from '../../src/domain/scheduler/model.js';
import { openTeamSchedulingService, type TeamSchedulingRuntime } from '../../src/open-team-scheduling.js';
import type { PersonalTexts } from '../../src/application/personal-texts.js';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import { dropSchemas, uniqueSchema } from '../postgres.js';
import { DAY_MS, eventually, everyDay, planTasks, registerMember, type TaskSpec } from '../support.js';

const silent = createLogger('team-scheduling-replicas-test', { level: 'silent' });

interface Replica {
  readonly name: string;
  readonly store: EventStore;
  readonly runtime: TeamSchedulingRuntime;
  readonly service: TeamSchedulingService;
  bus?: EventBus;
  subscriptions: BusSubscription[];
}

/** A replica as a pod opens it: a store of its own (its own pool) on the shared schema, and its own roster. */
const openReplica = async (
  name: string,
  url: string,
  schema: string,
  locks?: (store: EventStore) => KeyedLocks,
  texts?: PersonalTexts,
): Promise<Replica> => {
  const store = await openEventStore(url, { schema, maxConnections: 4 });
  const runtime = await openTeamSchedulingService({
    store,
    ...(locks ? { locks: locks(store) } : {}),
    ...(texts ? { texts } : {}),
  });
  return { name, store, runtime, service: runtime.service, subscriptions: [] };
};

const closeReplica = async (replica: Replica | undefined): Promise<void> => {
  if (replica === undefined) return;
  await Promise.all(replica.subscriptions.map((s) => s.stop()));
  await replica.bus?.close();
  await replica.runtime.close();
  await replica.store.close();
};

const member = (memberId: string): CommandContext => ({
  actor: { id: memberId, roles: [{ kind: 'member' }] },
  requestId: randomUUID(),
});
const coordinator = (regionId: string): CommandContext => ({
  actor: { id: `coordinator-of-${regionId}`, roles: [{ kind: 'coordinator', regionId }] },
  requestId: randomUUID(),
});

/** mulberry32: the run's decisions follow from its seed (printed, and given back by TEAM_SCHEDULING_REPLICAS_SEED). */
const seeded = (seed: number) => {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
};

/** A refusal for good (a rule, a task not known yet, another writer first): the random run goes on. */
const refusedForGood = (error: unknown): boolean =>
  error instanceof DomainError && ['rule', 'not_found', 'conflict', 'forbidden'].includes(error.kind);

const needs = { DATABASE_URL: process.env.DATABASE_URL, NATS_URL: process.env.NATS_URL };

describeNeeding('team scheduling, two replicas', needs, (found) => {
  const url = found.DATABASE_URL;
  const schemas: string[] = [];
  afterAll(async () => {
    await dropSchemas(url, schemas);
  });

  describe('one member’s only free hour asked for by two jobs at once, one on each replica', () => {
    const ROUNDS = 8;
    /** Round after round: a member of a region of her own, free 09:00–10:00 every day; two one-hour tasks due within three days. */
    const race = async (a: Replica, b: Replica, setup: EventStore, round: number) => {
      const regionId = `race${round}${randomUUID().slice(0, 8)}`;
      const memberId = await registerMember(setup, {
        townId: `${regionId}/town`,
        skills: ['data entry'],
        availability: everyDay('09:00', '10:00'),
      });
      const [registered] = await setup.readStream(`member-${memberId}`);
      await a.service.recordIdentityFact(contextOfEvent(PROCESS_MANAGER, registered!), {
        kind: 'registered',
        memberId,
        regionId,
        townId: `${regionId}/town`,
        contractType: 'contractor',
        skills: ['data entry'],
        availability: everyDay('09:00', '10:00'),
      });
      // Three days: two whole free hours lie before it whatever the time of day the test runs
      // (two days from 09:30 in Tokyo leave one whole hour and a half one).
      const deadline = new Date(Date.now() + 3 * DAY_MS);
      const plans = await Promise.all(
        [0, 1].map(() => planTasks(setup, { regionId, tasks: [{ estimatedMinutes: 60, deadline }] })),
      );
      const events = await Promise.all(
        plans.map(async (p) => (await setup.readStream(`plan-${p.jobId}`))[0] as RecordedEvent),
      );
      const views = await Promise.all(
        [a, b].map((replica, i) =>
          replica.service.receivePlannedTasks(contextOfEvent(PROCESS_MANAGER, events[i]!), plannedTasksOf(events[i]!)!),
        ),
      );
      const spans = views
        .flat()
        .filter((t) => t.status === 'assigned' && t.span !== undefined)
        .map((t) => ({ start: t.span!.start.getTime(), end: t.span!.end.getTime() }));
      const doubleBooked = spans.length === 2 && spans[0]!.start < spans[1]!.end && spans[1]!.start < spans[0]!.end;
      const { members, jobs } = await foldFromStore(setup);
      const { problem, schedule } = unionOf(
        members.filter((m) => m.memberId === memberId),
        jobs.filter((j) => plans.some((p) => p.jobId === j.jobId)),
        0,
      );
      return { doubleBooked, assigned: spans.length, violations: checkSchedule(problem, schedule) };
    };

    it('the store’s leases: the second decision books her next free hour, never the same one', async () => {
      const schema = uniqueSchema('replicas_race');
      schemas.push(schema);
      const setup = await openEventStore(url, { schema, maxConnections: 2 });
      const a = await openReplica('a', url, schema);
      const b = await openReplica('b', url, schema);
      try {
        expect(a.store.locks?.reach).toBe('store');
        for (let round = 0; round < ROUNDS; round++) {
          const outcome = await race(a, b, setup, round);
          expect(outcome).toEqual({ doubleBooked: false, assigned: 2, violations: [] });
        }
      } finally {
        await closeReplica(a);
        await closeReplica(b);
        await setup.close();
      }
    });

    it('leases that reach one process only: the replicas double-book her (what the check is there to catch)', async () => {
      const schema = uniqueSchema('replicas_control');
      schemas.push(schema);
      const setup = await openEventStore(url, { schema, maxConnections: 2 });
      const a = await openReplica('a', url, schema, () => new InProcessLocks());
      const b = await openReplica('b', url, schema, () => new InProcessLocks());
      try {
        const outcomes = [];
        for (let round = 0; round < ROUNDS * 2; round++) {
          const outcome = await race(a, b, setup, round);
          outcomes.push(outcome);
          if (outcome.doubleBooked) break;
        }
        const caught = outcomes.find((o) => o.doubleBooked);
        expect(caught).toBeDefined();
        expect(caught!.violations.some((v) => /overlap/.test(v))).toBe(true);
      } finally {
        await closeReplica(a);
        await closeReplica(b);
        await setup.close();
      }
    });
  });

  describe('a seeded random run over NATS and both facades', () => {
    const seed = Number(process.env.TEAM_SCHEDULING_REPLICAS_SEED) || Math.floor(Math.random() * 2 ** 31);
    const schema = uniqueSchema('replicas_random');
    const stream = uniqueName('TS_REPLICAS');
    const prefix = uniqueName('tsreplicas');
    let setup: EventStore;
    /** A real identity on the same store: the members' reasons are sealed with their keys. */
    let coop: TestCooperative;
    const replicas: Replica[] = [];

    beforeAll(async () => {
      schemas.push(schema);
      setup = await openEventStore(url, { schema, maxConnections: 4 });
      coop = await startTestCooperative({ store: setup });
      for (const name of ['a', 'b']) {
        const replica = await openReplica(name, url, schema, undefined, coop.texts);
        // One relay publishes the store's log (replica a's); both consume, sharing the durable consumers.
        replica.bus = openEventBus({
          store: replica.store,
          natsUrl: found.NATS_URL,
          relay: name === 'a' ? { pollIntervalMs: 10 } : false,
          log: silent,
          nats: { stream, subjectPrefix: prefix, name: `team-scheduling-${name}` },
        });
        replica.subscriptions = startTeamSchedulingConsumers({ service: replica.service, bus: replica.bus });
        replicas.push(replica);
      }
      await Promise.all(replicas.flatMap((r) => r.subscriptions.map((s) => s.ready)));
    }, 60_000);

    afterAll(async () => {
      for (const replica of replicas) await closeReplica(replica);
      await coop?.close();
      await setup?.close();
      await deleteStreams(found.NATS_URL, [stream, `KV_${stream}_ledger`]);
    });

    it('no member double-booked, every window and rule kept, over the union of both replicas’ decisions', async () => {
      const random = seeded(seed);
      const startedAt = Date.now();
      const said = `seed ${seed} (TEAM_SCHEDULING_REPLICAS_SEED=${seed} replays it)`;

      // Two regions; short windows, so that the jobs want more than the teams can give.
      const team: { memberId: string; regionId: string; townId: string; skills: string[] }[] = [];
      const specs: { townId: string; skills: string[]; availability: WeeklyWindow[] }[] = [
        { townId: 'fujisato/kasuge', skills: ['data entry'], availability: everyDay('09:00', '11:00') },
        { townId: 'fujisato/kasuge', skills: ['data entry', 'proofreading'], availability: everyDay('10:00', '12:00') },
        { townId: 'fujisato/fujikoto', skills: ['data entry'], availability: everyDay('20:00', '22:00') },
        { townId: 'fujisato/fujikoto', skills: ['proofreading'], availability: everyDay('13:00', '15:00') },
        {
          townId: 'setagaya/sangenjaya',
          skills: ['data entry', 'translation'],
          availability: everyDay('09:00', '12:00'),
        },
        { townId: 'setagaya/sangenjaya', skills: ['data entry'], availability: everyDay('19:00', '21:00') },
        {
          townId: 'setagaya/shimokitazawa',
          skills: ['proofreading', 'data entry'],
          availability: everyDay('14:00', '16:00'),
        },
      ];
      for (const spec of specs) {
        const memberId = await registerMember(coop, spec);
        team.push({ memberId, regionId: spec.townId.split('/')[0]!, townId: spec.townId, skills: spec.skills });
      }
      await eventually(
        'both teams, through either replica',
        async () => {
          // The test cooperative's own members (identity's) are in the teams too.
          const { members } = await foldFromStore(setup);
          return team.every((m) => members.some((c) => c.memberId === m.memberId)) ? true : undefined;
        },
        30_000,
      );

      const jobIds: string[] = [];
      const outcomes = { planned: 0, scheduled: 0, shared: 0, handedOff: 0, unavailable: 0, refused: 0 };
      const anyReplica = () => random.pick(replicas);

      const planJob = async () => {
        const regionId = random.pick(['fujisato', 'fujisato', 'setagaya']);
        const towns = team.filter((m) => m.regionId === regionId).map((m) => m.townId);
        const tasks: TaskSpec[] = Array.from({ length: random.int(1, 3) }, (_, i) => ({
          estimatedMinutes: random.pick([30, 45, 60, 90]),
          skills: [random.pick(['data entry', 'data entry', 'proofreading'])],
          deadline: new Date(startedAt + random.int(2, 5) * DAY_MS),
          ...(i > 0 && random.next() < 0.3 ? { after: [i - 1] } : {}),
        }));
        const local = random.next() < 0.15 ? random.pick(towns) : null;
        const planned = await planTasks(setup, { regionId, localOnlyTownId: local, tasks });
        jobIds.push(planned.jobId);
        outcomes.planned++;
      };

      /** A job as some replica's roster shows it now (perhaps not yet: then nothing). */
      const someJob = async (replica: Replica) => {
        if (jobIds.length === 0) return undefined;
        try {
          return await replica.service.getJobSchedule(
            { actor: { id: 'operator', roles: [{ kind: 'operator' }] } },
            random.pick(jobIds),
          );
        } catch (error) {
          if (refusedForGood(error)) return undefined;
          throw error;
        }
      };

      const command = async () => {
        const replica = anyReplica();
        const roll = random.next();
        const view = await someJob(replica);
        if (view === undefined) return;
        const assigned = view.tasks.filter((t) => t.status === 'assigned' && t.memberId !== undefined);
        if (roll < 0.45 && assigned.length > 0) {
          const task = random.pick(assigned);
          await replica.service.handOffTask(member(task.memberId!), {
            taskId: task.taskId,
            reason: 'a sick child',
            progressNote: '',
          });
          outcomes.handedOff++;
        } else if (roll < 0.6) {
          const who = random.pick(team);
          const from = new Date(startedAt + random.int(1, 72) * 3_600_000);
          await replica.service.declareUnavailable(member(who.memberId), {
            memberId: who.memberId,
            from,
            to: new Date(from.getTime() + random.int(2, 24) * 3_600_000),
            reason: 'away',
          });
          outcomes.unavailable++;
        } else if (roll < 0.8) {
          await replica.service.shareJob(coordinator(view.regionId), {
            jobId: view.jobId,
            partnerRegionId: view.regionId === 'fujisato' ? 'setagaya' : 'fujisato',
            reason: 'not enough hours at home',
          });
          outcomes.shared++;
        } else {
          await replica.service.scheduleJob(coordinator(view.regionId), view.jobId);
          outcomes.scheduled++;
        }
      };

      const attempt = async (step: () => Promise<void>) => {
        try {
          await step();
        } catch (error) {
          if (!refusedForGood(error)) throw error;
          outcomes.refused++;
        }
      };

      // Rounds of commands sent at once, half planned over NATS, half straight to either facade.
      const ROUNDS = 25;
      for (let round = 0; round < ROUNDS; round++) {
        const batch: Promise<void>[] = [];
        for (let i = 0; i < 8; i++) batch.push(attempt(random.next() < 0.45 ? planJob : command));
        await Promise.all(batch);
      }

      // Every plan scheduled by one replica or the other, every declaration carried through.
      const settled = await eventually(
        `every plan scheduled (${said})`,
        async () => {
          const state = await foldFromStore(setup);
          const known = new Set(state.jobs.map((j) => j.jobId));
          if (!jobIds.every((id) => known.has(id))) return undefined;
          const { problem, schedule } = unionOf(state.members, state.jobs, startedAt);
          // A declaration's hand-offs may still be on their way (the unavailability consumer).
          const violations = checkSchedule(problem, schedule);
          return violations.some((v) => /unavailable/.test(v)) ? undefined : { state, problem, schedule, violations };
        },
        60_000,
      ).catch(async () => {
        const state = await foldFromStore(setup);
        const { problem, schedule } = unionOf(state.members, state.jobs, startedAt);
        return { state, problem, schedule, violations: checkSchedule(problem, schedule) };
      });

      console.log(
        `two replicas, ${said}: ${JSON.stringify(outcomes)}; ${settled.schedule.assignments.length} tasks assigned, ` +
          `${settled.schedule.unassignable.length} unassignable, ${settled.state.jobs.length} jobs`,
      );
      const known = new Set(settled.state.jobs.map((j) => j.jobId));
      expect({ seed, unscheduled: jobIds.filter((id) => !known.has(id)) }).toEqual({ seed, unscheduled: [] });
      expect({ seed, violations: settled.violations }).toEqual({ seed, violations: [] });
      // The run means something: both teams booked, and tasks moved hands.
      expect(settled.schedule.assignments.length).toBeGreaterThanOrEqual(15);
      expect(outcomes.handedOff).toBeGreaterThan(0);
    }, 240_000);
  });
});
