/**
 * Two replicas of team scheduling on one PostgreSQL database, each with its own store (its own
 * pool) and roster, scheduling planned jobs sent to both at once: jobs scheduled a second under
 * the regions' leases (the store's advisory locks, as the service runs), against the same two
 * replicas with leases that reach one process only (the replicas then double-book members: the
 * figure of what the leases cost, not a way to run). Every schedule of both runs is judged over
 * the union of the two replicas (checkSchedule): the leased run must break no rule.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import {
  contextOfEvent,
  InProcessLocks,
  uuidv7,
  type EventStore,
  type KeyedLocks,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { dropPostgresSchemas, openEventStore, uniqueSchemaName } from '@workshare/eventstore';
import type { IdentityFact, PlannedTasks } from '../src/application/integration-events.js';
import type { TeamSchedulingService } from '../src/application/team-scheduling-service.js';
import { PROCESS_MANAGER } from '../src/domain/job-schedule.js';
import type { WeeklyWindow } from '../src/domain/scheduler/model.js';
import { openTeamSchedulingService, type TeamSchedulingRuntime } from '../src/open-team-scheduling.js';
import { foldFromStore, unionViolations } from './union.js';

const DAY_MS = 86_400_000;
const everyDay = (start: string, end: string): WeeklyWindow[] =>
  (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({ day, start, end }));

export interface ReplicaRunOptions {
  readonly databaseUrl: string;
  /** Jobs planned (two tasks each), spread over the regions and the two replicas. */
  readonly jobs: number;
  readonly regions: number;
  readonly membersPerRegion: number;
}

export interface ReplicaRun {
  readonly jobsPerSecond: number;
  readonly ms: number;
  readonly assigned: number;
  /** Members holding two tasks at once, over the union of both replicas. */
  readonly doubleBookings: number;
  /** Every other hard rule broken over the union. */
  readonly otherViolations: number;
}

interface Replica {
  readonly store: EventStore;
  readonly runtime: TeamSchedulingRuntime;
  readonly service: TeamSchedulingService;
}

/** One run on a fresh schema: the same teams and jobs each time, the leases as `locks` makes them. */
export const runTwoReplicas = async (options: ReplicaRunOptions, locks: 'store' | 'process'): Promise<ReplicaRun> => {
  const schema = uniqueSchemaName('bench_ts', `replicas_${locks}`);
  const setup = await openEventStore(options.databaseUrl, { schema, maxConnections: 4 });
  const replicas: Replica[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const store = await openEventStore(options.databaseUrl, { schema, maxConnections: 4 });
      const own: KeyedLocks | undefined = locks === 'process' ? new InProcessLocks() : undefined;
      const runtime = await openTeamSchedulingService({ store, ...(own ? { locks: own } : {}) });
      replicas.push({ store, runtime, service: runtime.service });
    }
    const regions = Array.from({ length: options.regions }, (_, r) => `region${r}`);
    // The teams, through the identity process manager of replica 0 (as its consumer would).
    for (const regionId of regions) {
      for (let m = 0; m < options.membersPerRegion; m++) {
        const memberId = uuidv7();
        const fact: IdentityFact = {
          kind: 'registered',
          memberId,
          regionId,
          townId: `${regionId}/town${m % 2}`,
          contractType: 'contractor',
          skills: ['data entry'],
          availability: m % 2 === 0 ? everyDay('09:00', '11:00') : everyDay('19:00', '21:00'),
        };
        // The event the process manager reacts to (only its id and metadata are read here).
        const [event] = (await setup.append(`benchmember-${memberId}`, [{ type: 'BenchMember', data: { memberId } }]))
          .events;
        await replicas[0]!.service.recordIdentityFact(contextOfEvent(PROCESS_MANAGER, event as RecordedEvent), fact);
      }
    }
    const startedAt = Date.now();
    const plans: { event: RecordedEvent; planned: PlannedTasks }[] = [];
    for (let j = 0; j < options.jobs; j++) {
      const jobId = randomUUID();
      const planned: PlannedTasks = {
        jobId,
        businessId: randomUUID(),
        // Jobs j and j + 1 go to the two replicas, in the same region: they contend for its team.
        regionId: regions[Math.floor(j / 2) % regions.length]!,
        localOnlyTownId: null,
        round: 1,
        tasks: [0, 1].map((k) => ({
          taskId: randomUUID(),
          key: `step-${k + 1}`,
          title: `作業 ${k + 1}`,
          estimatedMinutes: k === 0 ? 45 : 30,
          skills: ['data entry'],
          dependsOn: [],
          deadline: startedAt + 21 * DAY_MS,
        })),
      };
      const [event] = (await setup.append(`benchplan-${jobId}`, [{ type: 'BenchPlan', data: { jobId } }])).events;
      plans.push({ event: event as RecordedEvent, planned });
    }
    // Both replicas at once, each its half of the jobs, all sent together (each replica's queue
    // takes them in turn; the leases decide between the replicas).
    const started = performance.now();
    await Promise.all(
      plans.map(({ event, planned }, j) =>
        replicas[j % 2]!.service.receivePlannedTasks(contextOfEvent(PROCESS_MANAGER, event), planned),
      ),
    );
    const ms = performance.now() - started;
    const teams = await foldFromStore(setup);
    const violations = unionViolations(teams, startedAt);
    const doubleBookings = violations.filter((v) => / and task .* overlap$/.test(v)).length;
    return {
      jobsPerSecond: (options.jobs * 1000) / ms,
      ms,
      assigned: teams.jobs.reduce(
        (sum, job) => sum + Object.values(job.tasks).filter((t) => t.status === 'assigned').length,
        0,
      ),
      doubleBookings,
      otherViolations: violations.length - doubleBookings,
    };
  } finally {
    for (const replica of replicas) {
      await replica.runtime.close();
      await replica.store.close();
    }
    await setup.close();
    await dropPostgresSchemas(options.databaseUrl, [schema]);
  }
};
