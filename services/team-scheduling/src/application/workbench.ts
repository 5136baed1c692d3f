import {
  CommandHandler,
  commandKey,
  InProcessLocks,
  isUuid,
  NotFoundError,
  preview,
  ValidationError,
  type CommandContext,
  type Decision,
  type EventMetadata,
  type EventStore,
  type ProjectionStore,
  type HandleResult,
  type KeyedLocks,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { systemClock, type Clock } from '@workshare/time';
import { crewDecider, type CrewCommand, type CrewEvent, type CrewState } from '../domain/crew.js';
import {
  scheduleDeciderWith,
  scheduleStream,
  teamRegionsOf,
  type ScheduleCommand,
  type ScheduleEvent,
  type ScheduleState,
} from '../domain/job-schedule.js';
import { SCHEDULE_UPCASTER } from '../domain/schema-versions.js';
import { DEFAULT_SCHEDULER, type Scheduler, type TeamSnapshot } from '../domain/team.js';
import type { PersonalTexts } from './personal-texts.js';
import { Roster } from './roster.js';
import { SerialQueue } from './serial-queue.js';

export interface TeamSchedulingServiceOptions {
  readonly store: EventStore;
  /** Where the Roster (a durable read model) keeps its state and checkpoint: team scheduling's schema. */
  readonly projections: ProjectionStore;
  /**
   * Where a member's free texts are sealed with her key and opened for readers (identity's
   * texts: IdentityTextsClient over gRPC, identityServiceTexts in process).
   */
  readonly texts: PersonalTexts;
  /** The platform's clock (default systemClock): notBefore, the rules and the events' occurred-at. */
  readonly now?: Clock;
  /** How stale reads may be for other processes' writes (default 100 ms). */
  readonly readStalenessMs?: number;
  /** Default: the scheduler of src/domain/scheduler (DEFAULT_SCHEDULER). */
  readonly scheduler?: Scheduler;
  /**
   * The leases of the regions' teams (see Workbench.booking). Default: the store's own
   * (`store.locks`: PostgreSQL's reach every replica), else leases within this process (KurrentDB:
   * one replica only).
   */
  readonly locks?: KeyedLocks;
}

/** The lease key of a region's team: every decision about its members' time holds it. */
export const regionLeaseKey = (regionId: string): string => `team-scheduling/region/${regionId}`;

export type ScheduleResult = HandleResult<ScheduleEvent, ScheduleState>;
export type CrewResult = HandleResult<CrewEvent, CrewState>;

/** An id given by a caller: a UUID, or a ValidationError with this code. */
export const idOf = (value: string, code: string, field: string): string => {
  if (!isUuid(value)) throw new ValidationError(code, `${preview(value)} is not an id`, { field });
  return value;
};

/** A person's command is known on its stream by `<caller id>:<request id>` (commandKey). */
export const personsCommandId = (context: CommandContext): string =>
  commandKey(context.actor.id, context.requestId ?? '');

/** A process manager's command is known by the event it reacts to: a redelivered event is done once. */
export const causingEventId = (context: CommandContext): string => {
  if (context.causationId === undefined)
    throw new TypeError("a process manager's command needs the event it reacts to (contextOfEvent)");
  return context.causationId;
};

/**
 * What every use case of team scheduling shares: the two streams' command handlers (each
 * command read once per attempt, decided by its decider, appended with the version read,
 * idempotent by command id), the Roster it reads the teams from, the one queue every write of
 * the process goes through (see SerialQueue), the regions' leases that keep decisions about
 * members' time apart across replicas (`booking`), and the clock.
 */
export class Workbench {
  readonly schedules: CommandHandler<ScheduleCommand, ScheduleEvent, ScheduleState>;
  readonly crew: CommandHandler<CrewCommand, CrewEvent, CrewState>;
  readonly roster: Roster;
  readonly queue = new SerialQueue();
  readonly locks: KeyedLocks;
  readonly now: Clock;

  constructor(readonly options: TeamSchedulingServiceOptions) {
    this.now = options.now ?? systemClock;
    this.schedules = new CommandHandler({
      store: options.store,
      decider: scheduleDeciderWith(options.scheduler ?? DEFAULT_SCHEDULER),
      upcast: SCHEDULE_UPCASTER,
      now: this.now,
    });
    this.crew = new CommandHandler({
      store: options.store,
      decider: crewDecider,
      upcast: SCHEDULE_UPCASTER,
      now: this.now,
    });
    this.roster = new Roster(
      options.store,
      options.projections,
      options.readStalenessMs !== undefined ? { maxStalenessMs: options.readStalenessMs } : {},
    );
    this.locks = options.locks ?? options.store.locks ?? new InProcessLocks();
  }

  /**
   * A decision about members' time (who is busy when, over every job), in the process's queue
   * and under the lease of every region whose team it may book: `regionsOf` answers them from
   * the roster. An append checks its own stream's version only, so two replicas deciding from
   * the same stale roster could both book one member; under the lease they take turns, and the
   * roster is brought up to date by a pass begun after the lease was granted (every decision
   * taken under it before is known: staleness 0). Should the regions have grown meanwhile (the
   * job shared by another replica, the task first known now), the lease is let go and taken
   * again over all of them, in one fixed order (no two decisions wait for each other in a circle).
   */
  booking<T>(regionsOf: () => Iterable<string>, decide: () => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      await this.roster.ensureFresh();
      let regions = new Set(regionsOf());
      for (;;) {
        const held = regions;
        const outcome = await this.locks.withLocks([...held].sort().map(regionLeaseKey), async () => {
          await this.roster.catchUp();
          const needed = [...regionsOf()];
          if (needed.every((r) => held.has(r))) return { decided: true as const, value: await decide() };
          return { decided: false as const, needed };
        });
        if (outcome.decided) return outcome.value;
        regions = new Set([...held, ...outcome.needed]);
      }
    });
  }

  /** The regions whose teams may work on a job (none when the roster does not know it). */
  regionsOfJob(jobId: string | undefined): string[] {
    const job = jobId === undefined ? undefined : this.roster.job(jobId);
    return job === undefined ? [] : teamRegionsOf(job);
  }

  /** The regions of a task's job (none when the roster does not know the task). */
  regionsOfTask(taskId: string): string[] {
    return this.regionsOfJob(this.roster.jobIdOfTask(taskId));
  }

  /** A member's region and those of every job she holds or shadows a task on (her hand-offs book them). */
  regionsOfMember(memberId: string): string[] {
    const member = this.roster.member(memberId);
    const regions = new Set(member === undefined ? [] : [member.regionId]);
    for (const { job } of this.roster.tasksOfMember(memberId)) for (const r of teamRegionsOf(job)) regions.add(r);
    return [...regions];
  }

  /**
   * The roster snapshot a decision on the job takes: the active members of the teams working on
   * it (as the roster knows the job) and of `alsoRegions`, their spans on other jobs, and now.
   */
  teamFor(jobId: string, alsoRegions: readonly string[] = []): TeamSnapshot {
    const job = this.roster.job(jobId);
    const regions = [...new Set([...(job ? teamRegionsOf(job) : []), ...alsoRegions])];
    return {
      members: this.roster.team(regions),
      busyElsewhere: this.roster.busyOutside(jobId),
      now: this.now().getTime(),
    };
  }

  /** The snapshot of one member (none when she is in no team), for an override or a pairing on the job. */
  memberFor(jobId: string, memberId: string): TeamSnapshot {
    const member = this.roster.member(memberId);
    return {
      members: member !== undefined && member.status === 'active' ? [member] : [],
      busyElsewhere: this.roster.busyOutside(jobId),
      now: this.now().getTime(),
    };
  }

  /** A command (or a decision on the state) on a job's schedule, its events seen by the roster at once. */
  async onJob(
    context: CommandContext,
    jobId: string,
    command: ScheduleCommand | Decision<ScheduleEvent, ScheduleState>,
    commandId: string,
    metadata?: EventMetadata,
  ): Promise<ScheduleResult> {
    const result = await this.schedules.handle(scheduleStream(jobId), command, {
      context,
      commandId,
      now: this.now,
      ...(metadata !== undefined ? { metadata } : {}),
    });
    await this.roster.observe(result.events as readonly RecordedEvent[]);
    return result;
  }

  /** A command on a member's crew stream, its events seen by the roster at once. */
  async onMember(
    context: CommandContext,
    stream: string,
    command: CrewCommand,
    commandId: string,
  ): Promise<CrewResult> {
    const result = await this.crew.handle(stream, command, { context, commandId, now: this.now });
    await this.roster.observe(result.events as readonly RecordedEvent[]);
    return result;
  }

  /** The job a task belongs to, or `task.not_found`. */
  jobIdOfTask(taskId: string): string {
    const jobId = this.roster.jobIdOfTask(taskId);
    if (jobId === undefined) throw new NotFoundError('task.not_found', 'no such task');
    return jobId;
  }
}
