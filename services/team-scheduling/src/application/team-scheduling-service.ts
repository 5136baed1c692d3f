import {
  CommandHandler,
  DomainError,
  ForbiddenError,
  isUuid,
  NotFoundError,
  ValidationError,
  commandKey,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { coordinates, isMember, SYSTEM_ACTOR, type Actor } from '../domain/actor.js';
import {
  crewDecider,
  crewStream,
  wishedMinutes,
  type CrewCommand,
  type CrewEvent,
  type CrewMember,
  type CrewState,
  type UnavailabilityDeclared,
} from '../domain/crew.js';
import {
  isJobSchedule,
  openTasksOf,
  scheduleDecider,
  scheduleStream,
  tasksOf,
  teamRegionsOf,
  type JobSchedule,
  type OverrideAssignment,
  type ScheduleCommand,
  type ScheduleEvent,
  type SchedulePlan,
  type ScheduleState,
  type Successor,
} from '../domain/job-schedule.js';
import { checkSchedule } from '../domain/scheduler/fairness.js';
import type { Schedule, SchedulingProblem } from '../domain/scheduler/model.js';
import { scheduleTasks } from '../domain/scheduler/scheduler.js';
import { mayReadJob, mayReadMember } from './access.js';
import { actorOf, type Caller, type RequestContext } from './caller.js';
import type { IdentityFact, PlannedTasks } from './integration-events.js';
import { jobProblem, overlaps, planOf, withinWindows } from './problems.js';
import { DECLARATION_KEY, Roster } from './roster.js';
import { SerialQueue } from './serial-queue.js';
import { taskViewOf, type JobScheduleView, type MemberLoad, type TaskHistoryEntry, type TaskView } from './views.js';

/** The scheduler core: its answer, and the check that it breaks no hard rule (violations as texts). */
export interface Scheduler {
  readonly scheduleTasks: (problem: SchedulingProblem) => Schedule;
  readonly checkSchedule: (problem: SchedulingProblem, schedule: Schedule) => string[];
}

export interface TeamSchedulingServiceOptions {
  readonly store: EventStore;
  /** Clock for notBefore, the rules and the events' occurred-at. */
  readonly now?: () => Date;
  /** How stale reads may be for other processes' writes (default 100 ms). */
  readonly readStalenessMs?: number;
  /** Default: the scheduler of src/domain/scheduler. */
  readonly scheduler?: Scheduler;
}

/** What caused a command of the process managers: an integration event. */
export interface EventCause {
  readonly eventId: string;
  readonly correlationId?: string;
  readonly traceparent?: string;
}

/** A scheduler answer that breaks a hard rule: a bug, never stored. */
export class ScheduleInvariantError extends Error {
  override readonly name = 'ScheduleInvariantError';
  readonly code = 'schedule.invariant_broken';
  constructor(readonly violations: readonly string[]) {
    super(`the scheduler broke a hard rule: ${violations.join('; ')}`);
  }
}

type ScheduleResult = {
  readonly state: ScheduleState;
  readonly events: readonly RecordedEvent[];
  readonly alreadyHandled: boolean;
};

const EMPTY_PLAN: SchedulePlan = { assignments: [], unassignable: [] };
const MAX_QUERY_SPAN_MS = 400 * 86_400_000;

const idOf = (value: string, code: string, field: string): string => {
  if (!isUuid(value))
    throw new ValidationError(code, `${JSON.stringify(String(value).slice(0, 64))} is not an id`, { field });
  return value;
};

const metadataOf = (
  actor: string,
  context: { readonly correlationId?: string; readonly causationId?: string; readonly traceparent?: string },
): EventMetadata => {
  const metadata: EventMetadata = { actor };
  if (context.correlationId) metadata.correlationId = context.correlationId;
  if (context.causationId) metadata.causationId = context.causationId;
  if (context.traceparent) metadata.traceparent = context.traceparent;
  return metadata;
};

const causeMetadata = (cause: EventCause, actor = SYSTEM_ACTOR.id): EventMetadata =>
  metadataOf(actor, {
    causationId: cause.eventId,
    correlationId: cause.correlationId ?? cause.eventId,
    ...(cause.traceparent ? { traceparent: cause.traceparent } : {}),
  });

const bySoonest = (a: TaskView, b: TaskView): number =>
  (a.span?.start.getTime() ?? Number.POSITIVE_INFINITY) - (b.span?.start.getTime() ?? Number.POSITIVE_INFINITY) ||
  (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0);

/**
 * The team scheduling service's application facade. Commands go through one queue (see
 * SerialQueue): each loads the job's (or member's) stream, asks the scheduler where needed over
 * the Roster's picture of the teams, checks the answer against the hard rules, lets the pure
 * decider decide with the scheduler's answer as data, and appends with the version it read. A
 * request id makes a command idempotent (a retry answers the first outcome). Queries read the
 * streams (a job's schedule, a task's history) or the Roster (a member's tasks).
 */
export class TeamSchedulingService {
  private readonly schedules: CommandHandler<ScheduleCommand, ScheduleEvent, ScheduleState>;
  private readonly crew: CommandHandler<CrewCommand, CrewEvent, CrewState>;
  private readonly roster: Roster;
  private readonly queue = new SerialQueue();
  private readonly now: () => Date;
  private readonly scheduler: Scheduler;

  constructor(private readonly options: TeamSchedulingServiceOptions) {
    this.schedules = new CommandHandler({ store: options.store, decider: scheduleDecider });
    this.crew = new CommandHandler({ store: options.store, decider: crewDecider });
    this.roster = new Roster(
      options.store,
      options.readStalenessMs !== undefined ? { maxStalenessMs: options.readStalenessMs } : {},
    );
    this.now = options.now ?? (() => new Date());
    this.scheduler = options.scheduler ?? { scheduleTasks, checkSchedule };
  }

  // ---- process managers -----------------------------------------------------------------------

  /** Identity's member events → her crew stream (idempotent by the identity event's id); a member forgotten hands off her tasks. */
  recordIdentityFact(fact: IdentityFact, cause: EventCause): Promise<void> {
    return this.queue.run(async () => {
      const stream = crewStream(fact.memberId);
      const command: CrewCommand =
        fact.kind === 'registered'
          ? {
              type: 'JoinTeam',
              memberId: fact.memberId,
              regionId: fact.regionId,
              townId: fact.townId,
              contractType: fact.contractType,
              skills: fact.skills,
              availability: fact.availability,
            }
          : fact.kind === 'availability'
            ? { type: 'ChangeAvailability', availability: fact.availability }
            : { type: 'LeaveTeam' };
      const result = await this.crew.handle(stream, command, {
        commandId: cause.eventId,
        metadata: causeMetadata(cause),
        now: this.now,
      });
      await this.roster.observe(result.events as readonly RecordedEvent[]);
      const left = result.events.find((e) => e.type === 'MemberLeftTeam');
      if (left !== undefined) {
        const at = this.now().getTime();
        await this.handOffAllOf({
          declarationId: left.id,
          memberId: fact.memberId,
          from: at,
          to: Number.MAX_SAFE_INTEGER,
          reason: 'member left the team',
          by: SYSTEM_ACTOR.id,
        });
      }
    });
  }

  /** TasksPlanned → the round's tasks received, then scheduled over the region's team (by `system:team-scheduling`). */
  receivePlannedTasks(planned: PlannedTasks, cause: EventCause): Promise<TaskView[]> {
    return this.queue.run(async () => {
      const stream = scheduleStream(planned.jobId);
      const received = await this.schedules.handle(
        stream,
        { type: 'ReceiveTasks', ...planned },
        { commandId: cause.eventId, metadata: causeMetadata(cause), now: this.now },
      );
      await this.roster.observe(received.events as readonly RecordedEvent[]);
      const result = await this.decideOnJob(
        planned.jobId,
        `${cause.eventId}:schedule`,
        causeMetadata(cause),
        (state) => ({
          type: 'ScheduleTasks',
          plan:
            isJobSchedule(state) && state.status === 'open'
              ? this.planFor(
                  state,
                  openTasksOf(state).map((t) => t.taskId),
                )
              : EMPTY_PLAN,
          reason: `tasks planned (round ${planned.round})`,
          by: SYSTEM_ACTOR,
        }),
      );
      return this.viewsOf(result.state);
    });
  }

  /** JobInspected → recorded on the job's schedule (a skill may be granted for accepted work). */
  recordInspection(jobId: string, accepted: boolean, reason: string, cause: EventCause): Promise<void> {
    return this.queue.run(async () => {
      const result = await this.schedules.handle(
        scheduleStream(jobId),
        { type: 'RecordInspection', accepted, reason },
        { commandId: cause.eventId, metadata: causeMetadata(cause), now: this.now },
      );
      await this.roster.observe(result.events as readonly RecordedEvent[]);
    });
  }

  /** JobCancelled → every assigned task released ('job cancelled'). */
  recordCancellation(jobId: string, reason: string, cause: EventCause): Promise<void> {
    return this.queue.run(async () => {
      const result = await this.schedules.handle(
        scheduleStream(jobId),
        { type: 'RecordCancellation', reason },
        { commandId: cause.eventId, metadata: causeMetadata(cause), now: this.now },
      );
      await this.roster.observe(result.events as readonly RecordedEvent[]);
    });
  }

  /**
   * UnavailabilityDeclared → the hand-offs of her tasks in the period, should the command that
   * declared it have stopped halfway (a crash). Each hand-off is idempotent (declaration id + task id).
   */
  completeUnavailability(event: RecordedEvent<UnavailabilityDeclared>): Promise<string[]> {
    return this.queue.run(async () => {
      await this.roster.ensureFresh();
      const d = event.data;
      return this.handOffAllOf({
        declarationId: event.id,
        memberId: d.memberId,
        from: Date.parse(d.from),
        to: Date.parse(d.to),
        reason: d.reason,
        by: d.by,
      });
    });
  }

  // ---- commands -------------------------------------------------------------------------------

  /** A coordinator of the job's region schedules its tasks not assigned yet. */
  scheduleJob(caller: Caller, jobId: string, request: RequestContext): Promise<TaskView[]> {
    const actor = actorOf(caller);
    const key = commandKey(actor.id, request.requestId);
    idOf(jobId, 'job.invalid_id', 'job_id');
    return this.queue.run(async () => {
      await this.roster.ensureFresh();
      const result = await this.decideOnJob(jobId, key, metadataOf(actor.id, request), (state) => ({
        type: 'ScheduleTasks',
        plan:
          isJobSchedule(state) && state.status === 'open' && coordinates(actor, state.regionId)
            ? this.planFor(
                state,
                openTasksOf(state).map((t) => t.taskId),
              )
            : EMPTY_PLAN,
        reason: 'scheduled by a coordinator',
        by: actor,
      }));
      return this.viewsOf(result.state);
    });
  }

  /** The holder cannot go on: her task is released and the best available teammate takes it, in one append. */
  handOffTask(
    caller: Caller,
    taskId: string,
    input: { readonly reason: string; readonly progressNote: string },
    request: RequestContext,
  ): Promise<TaskView> {
    const actor = actorOf(caller);
    const key = commandKey(actor.id, request.requestId);
    idOf(taskId, 'task.invalid_id', 'task_id');
    return this.queue.run(async () => {
      await this.roster.ensureFresh();
      const jobId = this.jobIdOfTask(taskId);
      const result = await this.decideOnJob(jobId, key, metadataOf(actor.id, request), (state) => ({
        type: 'HandOffTask',
        taskId,
        fromMemberId: actor.id,
        reason: input.reason,
        progressNote: input.progressNote,
        successor: this.successorFor(state, taskId, actor.id),
        by: actor,
      }));
      return this.taskView(result.state, taskId);
    });
  }

  /**
   * A member is unavailable for a period (the member herself or a coordinator of her region):
   * the declaration on her crew stream, then a hand-off of each task of hers planned in it
   * (only those). Answers those tasks as they stand now.
   */
  declareUnavailable(
    caller: Caller,
    memberId: string,
    input: { readonly from: Date; readonly to: Date; readonly reason: string },
    request: RequestContext,
  ): Promise<TaskView[]> {
    const actor = actorOf(caller);
    const key = commandKey(actor.id, request.requestId);
    idOf(memberId, 'crew.invalid_member_id', 'member_id');
    return this.queue.run(async () => {
      await this.roster.ensureFresh();
      const result = await this.crew.handle(
        crewStream(memberId),
        { type: 'DeclareUnavailable', from: input.from, to: input.to, reason: input.reason, by: actor, at: this.now() },
        { commandId: key, metadata: metadataOf(actor.id, request), now: this.now },
      );
      await this.roster.observe(result.events as readonly RecordedEvent[]);
      const declared = result.events.find(
        (e): e is RecordedEvent<UnavailabilityDeclared> => e.type === 'UnavailabilityDeclared',
      );
      if (declared === undefined) return [];
      const d = declared.data;
      const taskIds = await this.handOffAllOf({
        declarationId: declared.id,
        memberId: d.memberId,
        from: Date.parse(d.from),
        to: Date.parse(d.to),
        reason: d.reason,
        by: d.by,
      });
      return taskIds.map((taskId) => this.currentTaskView(taskId)).filter((v): v is TaskView => v !== undefined);
    });
  }

  /** A coordinator of the job's region gives a task to another member, qualified under every hard rule, at her earliest fitting span. */
  overrideAssignment(
    caller: Caller,
    taskId: string,
    input: { readonly memberId: string; readonly reason: string },
    request: RequestContext,
  ): Promise<TaskView> {
    const actor = actorOf(caller);
    const key = commandKey(actor.id, request.requestId);
    idOf(taskId, 'task.invalid_id', 'task_id');
    idOf(input.memberId, 'crew.invalid_member_id', 'member_id');
    return this.queue.run(async () => {
      await this.roster.ensureFresh();
      const jobId = this.jobIdOfTask(taskId);
      const result = await this.decideOnJob(jobId, key, metadataOf(actor.id, request), (state) => {
        const member = this.roster.member(input.memberId);
        if (member === undefined || member.status !== 'active')
          throw new NotFoundError('crew.member_not_found', 'no such member in any team');
        return {
          type: 'OverrideAssignment',
          taskId,
          toMemberId: member.memberId,
          toRegionId: member.regionId,
          placement: this.placementFor(state, taskId, member),
          reason: input.reason,
          by: actor,
        };
      });
      return this.taskView(result.state, taskId);
    });
  }

  /** A coordinator pairs a trainee of the region with the holder of a task (shadowing), when she is free then. */
  pairForTraining(
    caller: Caller,
    taskId: string,
    input: { readonly traineeMemberId: string; readonly reason: string },
    request: RequestContext,
  ): Promise<TaskView> {
    const actor = actorOf(caller);
    const key = commandKey(actor.id, request.requestId);
    idOf(taskId, 'task.invalid_id', 'task_id');
    idOf(input.traineeMemberId, 'crew.invalid_member_id', 'trainee_member_id');
    return this.queue.run(async () => {
      await this.roster.ensureFresh();
      const jobId = this.jobIdOfTask(taskId);
      const result = await this.decideOnJob(jobId, key, metadataOf(actor.id, request), (state) => {
        const trainee = this.roster.member(input.traineeMemberId);
        if (trainee === undefined || trainee.status !== 'active')
          throw new NotFoundError('crew.member_not_found', 'no such member in any team');
        const holder = isJobSchedule(state) ? state.tasks[taskId]?.holder : undefined;
        const busy = this.roster.busy().get(trainee.memberId) ?? [];
        const traineeFree =
          holder !== undefined &&
          withinWindows(trainee.windows, holder) &&
          !busy.some((span) => overlaps(span, holder)) &&
          !trainee.unavailability.some((u) => overlaps({ start: u.from, end: u.to }, holder));
        return {
          type: 'PairForTraining',
          taskId,
          traineeMemberId: trainee.memberId,
          traineeRegionId: trainee.regionId,
          traineeFree,
          reason: input.reason,
          by: actor,
        };
      });
      return this.taskView(result.state, taskId);
    });
  }

  /**
   * The home coordinator consents that a partner region's team works on a job that is not local
   * only: JobShared, then its unassignable tasks scheduled over both teams, in one append.
   */
  shareJob(
    caller: Caller,
    jobId: string,
    input: { readonly partnerRegionId: string; readonly reason: string },
    request: RequestContext,
  ): Promise<TaskView[]> {
    const actor = actorOf(caller);
    const key = commandKey(actor.id, request.requestId);
    idOf(jobId, 'job.invalid_id', 'job_id');
    return this.queue.run(async () => {
      await this.roster.ensureFresh();
      const partnerTeam = this.roster.team([input.partnerRegionId]);
      const result = await this.decideOnJob(jobId, key, metadataOf(actor.id, request), (state) => {
        let plan = EMPTY_PLAN;
        if (
          isJobSchedule(state) &&
          state.status === 'open' &&
          coordinates(actor, state.regionId) &&
          state.localOnlyTownId === null &&
          input.partnerRegionId !== state.regionId &&
          !state.partnerRegionIds.includes(input.partnerRegionId)
        ) {
          const shared: JobSchedule = {
            ...state,
            partnerRegionIds: [...state.partnerRegionIds, input.partnerRegionId],
          };
          plan = this.planFor(
            shared,
            tasksOf(state)
              .filter((t) => t.status === 'unassignable')
              .map((t) => t.taskId),
          );
        }
        return {
          type: 'ShareJob',
          partnerRegionId: input.partnerRegionId,
          partnerTeamSize: partnerTeam.length,
          plan,
          reason: input.reason,
          by: actor,
        };
      });
      return this.viewsOf(result.state);
    });
  }

  /** The member herself or a coordinator of her region sets the minutes a week she wishes to work. */
  setWishedHours(caller: Caller, memberId: string, minutesPerWeek: number, request: RequestContext): Promise<void> {
    const actor = actorOf(caller);
    const key = commandKey(actor.id, request.requestId);
    idOf(memberId, 'crew.invalid_member_id', 'member_id');
    return this.queue.run(async () => {
      const result = await this.crew.handle(
        crewStream(memberId),
        { type: 'SetWishedHours', minutesPerWeek, by: actor },
        { commandId: key, metadata: metadataOf(actor.id, request), now: this.now },
      );
      await this.roster.observe(result.events as readonly RecordedEvent[]);
    });
  }

  /** A coordinator of the member's region grants a skill for her work on a job whose inspection was accepted. */
  grantSkill(
    caller: Caller,
    memberId: string,
    input: { readonly skill: string; readonly jobId: string; readonly reason: string },
    request: RequestContext,
  ): Promise<void> {
    const actor = actorOf(caller);
    const key = commandKey(actor.id, request.requestId);
    idOf(memberId, 'crew.invalid_member_id', 'member_id');
    idOf(input.jobId, 'job.invalid_id', 'job_id');
    return this.queue.run(async () => {
      const { state } = await this.schedules.load(scheduleStream(input.jobId));
      const work = isJobSchedule(state)
        ? {
            jobId: state.jobId,
            inspectionAccepted: state.inspectionAccepted,
            tookPart: tasksOf(state).some((t) => t.participants.includes(memberId)),
          }
        : undefined;
      const result = await this.crew.handle(
        crewStream(memberId),
        { type: 'GrantSkill', skill: input.skill, jobId: input.jobId, reason: input.reason, work, by: actor },
        { commandId: key, metadata: metadataOf(actor.id, request), now: this.now },
      );
      await this.roster.observe(result.events as readonly RecordedEvent[]);
    });
  }

  // ---- queries --------------------------------------------------------------------------------

  /** The job's tasks with holders and spans, and each team member's planned minutes on it. */
  async getJobSchedule(caller: Caller, jobId: string): Promise<JobScheduleView> {
    const actor = actorOf(caller);
    const job = await this.readableJob(actor, idOf(jobId, 'job.invalid_id', 'job_id'));
    await this.roster.ensureFresh();
    const minutes = new Map<string, number>();
    for (const t of tasksOf(job))
      if (t.status === 'assigned' && t.holder)
        minutes.set(t.holder.memberId, (minutes.get(t.holder.memberId) ?? 0) + t.estimatedMinutes);
    const members = new Map<string, CrewMember | undefined>(
      this.roster.team(teamRegionsOf(job)).map((m) => [m.memberId, m]),
    );
    for (const memberId of minutes.keys())
      if (!members.has(memberId)) members.set(memberId, this.roster.member(memberId));
    const loads: MemberLoad[] = [...members].map(([memberId, member]) => ({
      memberId,
      assignedMinutes: minutes.get(memberId) ?? 0,
      wishedMinutesPerWeek: member !== undefined ? wishedMinutes(member) : 0,
    }));
    return {
      jobId: job.jobId,
      regionId: job.regionId,
      partnerRegionIds: [...job.partnerRegionIds],
      tasks: this.viewsOf(job),
      loads,
    };
  }

  /** A member's tasks (held or shadowed) whose span meets [from, to), soonest first: hers, and her coordinators'. */
  async getMemberSchedule(
    caller: Caller,
    memberId: string,
    period: { readonly from: Date; readonly to: Date },
  ): Promise<TaskView[]> {
    const actor = actorOf(caller);
    idOf(memberId, 'crew.invalid_member_id', 'member_id');
    const from = period.from.getTime();
    const to = period.to.getTime();
    if (!(from < to))
      throw new ValidationError('crew.invalid_period', 'the period ends after it starts', { field: 'to' });
    if (to - from > MAX_QUERY_SPAN_MS)
      throw new ValidationError('crew.invalid_period', 'a schedule is asked for at most 400 days at a time', {
        field: 'to',
      });
    await this.roster.ensureFresh();
    const member = this.roster.member(memberId);
    if (member === undefined) {
      if (actor.id !== memberId && !actor.roles.some((r) => r.kind === 'coordinator'))
        throw new ForbiddenError('crew.forbidden', 'you may not see this member’s schedule');
      throw new NotFoundError('crew.member_not_found', 'no such member in any team');
    }
    if (!mayReadMember(actor, member))
      throw new ForbiddenError(
        'crew.forbidden',
        `only the member herself or a coordinator of ${member.regionId} sees her schedule`,
      );
    return this.roster
      .tasksOfMember(memberId)
      .filter(({ task }) => task.holder !== undefined && overlaps(task.holder, { start: from, end: to }))
      .map(({ job, task }) => taskViewOf(job, task))
      .sort(bySoonest);
  }

  /** The caller's own tasks (held or shadowed), soonest first. */
  async listMyTasks(caller: Caller): Promise<TaskView[]> {
    const actor = actorOf(caller);
    if (!isMember(actor)) throw new ForbiddenError('schedule.forbidden', 'only members hold tasks');
    await this.roster.ensureFresh();
    return this.roster
      .tasksOfMember(actor.id)
      .map(({ job, task }) => taskViewOf(job, task))
      .sort(bySoonest);
  }

  /** Every assignment, release, hand-off, override and pairing of a task, oldest first, from the job's events. */
  async getTaskHistory(caller: Caller, taskId: string): Promise<TaskHistoryEntry[]> {
    const { events } = await this.readableTask(actorOf(caller), idOf(taskId, 'task.invalid_id', 'task_id'));
    return events.flatMap((event) => historyEntryOf(event, taskId) ?? []);
  }

  /** Who held a task at an instant, from the events' occurred-at (undefined when nobody did). */
  async getTaskHolder(caller: Caller, taskId: string, at: Date): Promise<string | undefined> {
    const { events } = await this.readableTask(actorOf(caller), idOf(taskId, 'task.invalid_id', 'task_id'));
    let holder: string | undefined;
    for (const event of events) {
      if (event.occurredAt.getTime() > at.getTime()) break;
      if (event.data.taskId !== taskId) continue;
      if (event.type === 'TaskAssigned') holder = String(event.data.memberId);
      else if (event.type === 'TaskHandedOff' || event.type === 'AssignmentOverridden')
        holder = String(event.data.toMemberId);
      else if (event.type === 'TaskReleased' || event.type === 'TaskUnassignable') holder = undefined;
    }
    return holder;
  }

  /** Brings the roster up to date with the whole log now (tests; a rebuilt roster starts here). */
  refreshRoster(): Promise<void> {
    return this.roster.catchUp();
  }

  // ---- internals ------------------------------------------------------------------------------

  /**
   * Loads the job's stream, answers a command id seen before with its first events, else
   * builds the command from the state read (the scheduler's answer inside) and appends with
   * that version: a plan made from a stale state is never stored.
   */
  private async decideOnJob(
    jobId: string,
    commandId: string,
    metadata: EventMetadata,
    build: (state: ScheduleState) => ScheduleCommand,
  ): Promise<ScheduleResult> {
    const stream = scheduleStream(jobId);
    const { state, version, events } = await this.schedules.load(stream);
    const earlier = events.filter((e) => e.metadata.commandId === commandId);
    if (earlier.length > 0) return { state, events: earlier as readonly RecordedEvent[], alreadyHandled: true };
    const command = build(state);
    const result = await this.schedules.handle(stream, command, {
      commandId,
      metadata,
      now: this.now,
      expectedVersion: version ?? 'no_stream',
    });
    await this.roster.observe(result.events as readonly RecordedEvent[]);
    return {
      state: result.state,
      events: result.events as readonly RecordedEvent[],
      alreadyHandled: result.alreadyHandled,
    };
  }

  /** Runs the scheduler and refuses (never stores) an answer that breaks a hard rule. */
  private solve(problem: SchedulingProblem): Schedule {
    const schedule = this.scheduler.scheduleTasks(problem);
    const violations = this.scheduler.checkSchedule(problem, schedule);
    if (violations.length > 0) throw new ScheduleInvariantError(violations);
    return schedule;
  }

  /** The plan of some tasks of the job over the members of its teams. */
  private planFor(job: JobSchedule, taskIds: readonly string[]): SchedulePlan {
    if (taskIds.length === 0) return EMPTY_PLAN;
    const problem = jobProblem({
      job,
      taskIds,
      members: this.roster.team(teamRegionsOf(job)),
      busy: this.roster.busy(new Set(taskIds)),
      now: this.now().getTime(),
    });
    return planOf(this.solve(problem), problem);
  }

  /** The best available teammate for a task she holds (she left out), or why there is none; undefined when the task is not hers. */
  private successorFor(state: ScheduleState, taskId: string, leaving: string): Successor | undefined {
    if (!isJobSchedule(state)) return undefined;
    const task = state.tasks[taskId];
    if (task?.status !== 'assigned' || task.holder?.memberId !== leaving) return undefined;
    const members = this.roster.team(teamRegionsOf(state)).filter((m) => m.memberId !== leaving);
    const problem = jobProblem({
      job: state,
      taskIds: [taskId],
      members,
      busy: this.roster.busy(new Set([taskId])),
      now: this.now().getTime(),
    });
    const plan = planOf(this.solve(problem), problem);
    const assignment = plan.assignments.find((a) => a.taskId === taskId);
    if (assignment !== undefined)
      return {
        kind: 'assigned',
        memberId: assignment.memberId,
        start: assignment.start,
        end: assignment.end,
        teamRegionId: assignment.teamRegionId,
      };
    return { kind: 'unassignable', reasons: plan.unassignable.find((u) => u.taskId === taskId)?.reasons ?? [] };
  }

  /** Her earliest fitting span for the task under every hard rule, or the rules she would break. */
  private placementFor(state: ScheduleState, taskId: string, member: CrewMember): OverrideAssignment['placement'] {
    if (!isJobSchedule(state) || state.tasks[taskId] === undefined) return { kind: 'does_not_fit', reasons: [] };
    if (member.windows.length === 0)
      return {
        kind: 'does_not_fit',
        reasons: [{ code: 'schedule.no_window', message: 'she has no availability window' }],
      };
    const problem = jobProblem({
      job: state,
      taskIds: [taskId],
      members: [member],
      busy: this.roster.busy(new Set([taskId])),
      now: this.now().getTime(),
    });
    const schedule = this.solve(problem);
    const assignment = schedule.assignments.find((a) => a.taskId === taskId && a.memberId === member.memberId);
    if (assignment !== undefined) return { kind: 'fits', start: assignment.start, end: assignment.end };
    const reasons = schedule.unassignable.find((u) => u.taskId === taskId)?.reasons ?? [];
    return { kind: 'does_not_fit', reasons: reasons.map((r) => ({ code: r.code, message: r.message })) };
  }

  /**
   * Hands off every task she holds whose span meets [from, to): one append per task on its
   * job's stream, idempotent by declaration id + task id, each successor chosen with the ones
   * before it already booked. Answers the tasks concerned (those released under this
   * declaration before, too). A task the job refuses to move (cancelled meanwhile) stays.
   */
  private async handOffAllOf(declaration: {
    readonly declarationId: string;
    readonly memberId: string;
    readonly from: number;
    readonly to: number;
    readonly reason: string;
    readonly by: string;
  }): Promise<string[]> {
    const period = { start: declaration.from, end: declaration.to };
    const affected = this.roster
      .tasksOfMember(declaration.memberId)
      .filter(({ task }) => task.holder?.memberId === declaration.memberId && overlaps(task.holder, period))
      .sort((a, b) => (a.task.holder?.start ?? 0) - (b.task.holder?.start ?? 0));
    const by: Actor = { id: declaration.by, roles: [] };
    const handled = new Set(this.roster.tasksReleasedFor(declaration.declarationId));
    for (const { job, task } of affected) {
      const metadata = {
        ...metadataOf(declaration.by, { causationId: declaration.declarationId }),
        [DECLARATION_KEY]: declaration.declarationId,
      };
      try {
        await this.decideOnJob(job.jobId, `${declaration.declarationId}:${task.taskId}`, metadata, (state) => ({
          type: 'HandOffTask',
          taskId: task.taskId,
          fromMemberId: declaration.memberId,
          reason: declaration.reason,
          progressNote: '',
          successor: this.successorFor(state, task.taskId, declaration.memberId),
          declarationId: declaration.declarationId,
          by,
        }));
        handled.add(task.taskId);
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind !== 'rule') throw error;
      }
    }
    return [...handled];
  }

  private jobIdOfTask(taskId: string): string {
    const jobId = this.roster.jobIdOfTask(taskId);
    if (jobId === undefined) throw new NotFoundError('task.not_found', 'no such task');
    return jobId;
  }

  private async readableJob(actor: Actor, jobId: string): Promise<JobSchedule> {
    const { state } = await this.schedules.load(scheduleStream(jobId));
    if (!isJobSchedule(state)) throw new NotFoundError('job.not_found', 'no schedule for this job');
    if (!mayReadJob(actor, state))
      throw new ForbiddenError('schedule.forbidden', 'you may not see this job’s schedule');
    return state;
  }

  /** The task's job events, for readers of the job and anyone who held or shadowed the task. */
  private async readableTask(
    actor: Actor,
    taskId: string,
  ): Promise<{ job: JobSchedule; events: readonly RecordedEvent[] }> {
    await this.roster.ensureFresh();
    const { state, events } = await this.schedules.load(scheduleStream(this.jobIdOfTask(taskId)));
    if (!isJobSchedule(state) || state.tasks[taskId] === undefined)
      throw new NotFoundError('task.not_found', 'no such task');
    if (!mayReadJob(actor, state) && !(state.tasks[taskId]?.participants.includes(actor.id) ?? false)) {
      throw new ForbiddenError('schedule.forbidden', 'you may not see this task’s history');
    }
    return { job: state, events: events as readonly RecordedEvent[] };
  }

  private viewsOf(state: ScheduleState): TaskView[] {
    return isJobSchedule(state) ? tasksOf(state).map((t) => taskViewOf(state, t)) : [];
  }

  private taskView(state: ScheduleState, taskId: string): TaskView {
    const task = isJobSchedule(state) ? state.tasks[taskId] : undefined;
    if (!isJobSchedule(state) || task === undefined) throw new NotFoundError('task.not_found', 'no such task');
    return taskViewOf(state, task);
  }

  private currentTaskView(taskId: string): TaskView | undefined {
    const jobId = this.roster.jobIdOfTask(taskId);
    const job = jobId === undefined ? undefined : this.roster.job(jobId);
    const task = job?.tasks[taskId];
    return job !== undefined && task !== undefined ? taskViewOf(job, task) : undefined;
  }
}

const spanOf = (data: { start?: unknown; end?: unknown }): { start: Date; end: Date } | undefined =>
  typeof data.start === 'string' && typeof data.end === 'string'
    ? { start: new Date(data.start), end: new Date(data.end) }
    : undefined;

/** One event of the job's stream as an entry of a task's history; undefined when it is not about the task. */
const historyEntryOf = (event: RecordedEvent, taskId: string): TaskHistoryEntry | undefined => {
  const d = event.data as Record<string, unknown>;
  if (d.taskId !== taskId) return undefined;
  const str = (value: unknown): string => (typeof value === 'string' ? value : '');
  const base = {
    actor: str(d.by),
    at: event.occurredAt,
    reason: str(d.reason),
    progressNote: str(d.progressNote),
    fromMemberId: '',
    reasons: [],
  };
  const span = spanOf(d);
  switch (event.type) {
    case 'TaskAssigned':
      return { ...base, kind: 'assigned', memberId: str(d.memberId), ...(span ? { span } : {}) };
    case 'TaskReleased':
      return { ...base, kind: 'released', memberId: str(d.memberId) };
    case 'TaskHandedOff':
      return {
        ...base,
        kind: 'handed_off',
        memberId: str(d.toMemberId),
        fromMemberId: str(d.fromMemberId),
        ...(span ? { span } : {}),
      };
    case 'AssignmentOverridden':
      return {
        ...base,
        kind: 'overridden',
        memberId: str(d.toMemberId),
        fromMemberId: str(d.fromMemberId),
        ...(span ? { span } : {}),
      };
    case 'TaskUnassignable': {
      const reasons = (Array.isArray(d.reasons) ? d.reasons : []).map((r) => ({
        code: str((r as { code?: unknown }).code),
        message: str((r as { message?: unknown }).message),
      }));
      return { ...base, kind: 'unassignable', memberId: '', reason: reasons.map((r) => r.code).join(', '), reasons };
    }
    case 'TraineePaired':
      return { ...base, kind: 'paired', memberId: str(d.traineeMemberId) };
    default:
      return undefined;
  }
};
