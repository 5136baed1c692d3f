/**
 * A job's schedule (stream `schedule-<jobId>`): the tasks task decomposition planned for it,
 * who holds each and for which span, and every change of hands with its actor and reason:
 * assignment, release, hand-off, override, trainee pairing, sharing with another region's team.
 * Pure: a command carries what the decision needs from outside the stream (the roster
 * snapshot of the teams: members' windows, skills, towns, wished minutes, unavailability and
 * spans on other jobs; the caller's roles; the time), and `decide` asks the pure scheduler
 * itself, checking its answer against the hard rules (src/domain/team.ts) before any event.
 *
 * Hand-off rule: a member who released a task because she could not go on (a hand-off, an
 * unavailability, a departure) is never the automatic choice for it again (a hand-off's
 * successor, a schedule, a share); a coordinator's override may still give it to her.
 *
 * A task is `waiting` (planned, not scheduled, or released), `assigned` (a member holds it for
 * a span) or `unassignable` (nobody could take it; reasons kept).
 */
import {
  coordinates,
  DomainError,
  ForbiddenError,
  isSystem,
  NotFoundError,
  SYSTEM_ACTORS,
  ValidationError,
  type Actor,
  type Decider,
} from '@workshare/eventsourcing';
import {
  DEFAULT_SCHEDULER,
  membersOf,
  placementFor,
  planTasks,
  successorFor,
  traineeFree,
  type Scheduler,
  type TeamSnapshot,
} from './team.js';
import type { CrewMember } from './crew.js';
import { boundedText, LIMITS, personalText, type PersonalText } from './text.js';

/** This service's process managers (TasksPlanned, job intake's outcomes, departures, unavailability). */
export const PROCESS_MANAGER: Actor = SYSTEM_ACTORS.processManager('team-scheduling');

export const scheduleStream = (jobId: string): string => `schedule-${jobId}`;

// ---- events ---------------------------------------------------------------------------------

/** A task as TasksPlanned gives it; times ISO-8601 UTC. */
export type PlannedTaskData = {
  taskId: string;
  key: string;
  title: string;
  estimatedMinutes: number;
  skills: string[];
  dependsOn: string[];
  deadline: string;
};
export type ReasonData = { code: string; message: string };

export type TasksReceived = {
  readonly type: 'TasksReceived';
  readonly data: {
    jobId: string;
    businessId: string;
    regionId: string;
    localOnlyTownId: string | null;
    round: number;
    tasks: PlannedTaskData[];
  };
};
export type TaskAssigned = {
  readonly type: 'TaskAssigned';
  readonly data: {
    taskId: string;
    memberId: string;
    start: string;
    end: string;
    teamRegionId: string;
    by: string;
    reason: string;
  };
};
export type TaskUnassignable = {
  readonly type: 'TaskUnassignable';
  readonly data: { taskId: string; reasons: ReasonData[]; by: string };
};
/** Schema version 2: the reason and progress note of a member's hand-off are sealed for her (PersonalText). */
export type TaskReleased = {
  readonly type: 'TaskReleased';
  readonly data: { taskId: string; memberId: string; reason: PersonalText; progressNote: PersonalText; by: string };
};
export type TaskHandedOff = {
  readonly type: 'TaskHandedOff';
  readonly data: {
    taskId: string;
    fromMemberId: string;
    toMemberId: string;
    start: string;
    end: string;
    teamRegionId: string;
    /** Schema version 2: sealed for `fromMemberId` when she wrote them (PersonalText). */
    reason: PersonalText;
    progressNote: PersonalText;
    by: string;
  };
};
export type AssignmentOverridden = {
  readonly type: 'AssignmentOverridden';
  readonly data: {
    taskId: string;
    fromMemberId: string | null;
    toMemberId: string;
    start: string;
    end: string;
    teamRegionId: string;
    reason: string;
    by: string;
  };
};
export type TraineePaired = {
  readonly type: 'TraineePaired';
  readonly data: { taskId: string; traineeMemberId: string; reason: string; by: string };
};
export type JobShared = {
  readonly type: 'JobShared';
  readonly data: { jobId: string; partnerRegionId: string; reason: string; by: string };
};
export type JobInspectionRecorded = {
  readonly type: 'JobInspectionRecorded';
  readonly data: { jobId: string; accepted: boolean; reason: string };
};
export type JobCancelledRecorded = {
  readonly type: 'JobCancelledRecorded';
  readonly data: { jobId: string; reason: string };
};

export type ScheduleEvent =
  | TasksReceived
  | TaskAssigned
  | TaskUnassignable
  | TaskReleased
  | TaskHandedOff
  | AssignmentOverridden
  | TraineePaired
  | JobShared
  | JobInspectionRecorded
  | JobCancelledRecorded;

export const SCHEDULE_EVENT_TYPES: readonly ScheduleEvent['type'][] = [
  'TasksReceived',
  'TaskAssigned',
  'TaskUnassignable',
  'TaskReleased',
  'TaskHandedOff',
  'AssignmentOverridden',
  'TraineePaired',
  'JobShared',
  'JobInspectionRecorded',
  'JobCancelledRecorded',
];

// ---- commands -------------------------------------------------------------------------------

export interface PlannedTask {
  readonly taskId: string;
  readonly key: string;
  readonly title: string;
  readonly estimatedMinutes: number;
  readonly skills: readonly string[];
  readonly dependsOn: readonly string[];
  /** Epoch ms. */
  readonly deadline: number;
}

/** A member's planned span on a task (epoch ms) and the region of her team. */
export interface Placement {
  readonly memberId: string;
  readonly start: number;
  readonly end: number;
  readonly teamRegionId: string;
}

export interface Reason {
  readonly code: string;
  readonly message: string;
}

/** The scheduler's answer for some tasks of the job, checked against the hard rules. */
export interface SchedulePlan {
  readonly assignments: readonly (Placement & { readonly taskId: string })[];
  readonly unassignable: readonly { readonly taskId: string; readonly reasons: readonly Reason[] }[];
}

/** TasksPlanned (a round of the job's plan) reached the team. */
export interface ReceiveTasks {
  readonly type: 'ReceiveTasks';
  readonly jobId: string;
  readonly businessId: string;
  readonly regionId: string;
  readonly localOnlyTownId: string | null;
  readonly round: number;
  readonly tasks: readonly PlannedTask[];
  /**
   * When given, the job's open tasks are scheduled at once over its teams by `by` (the process
   * manager), in the same append as the tasks received.
   */
  readonly schedule?: { readonly team: TeamSnapshot; readonly by: Actor };
}
/** The job's waiting and unassignable tasks scheduled over its teams. */
export interface ScheduleTasks {
  readonly type: 'ScheduleTasks';
  readonly team: TeamSnapshot;
  readonly reason: string;
  readonly by: Actor;
}
export interface HandOffTask {
  readonly type: 'HandOffTask';
  readonly taskId: string;
  /** The holder who cannot go on. */
  readonly fromMemberId: string;
  /** Hers: sealed for her by the application (a text in clear is the platform's own words). */
  readonly reason: PersonalText;
  readonly progressNote: PersonalText;
  /** The teams, for the successor (never a member who gave the task up). */
  readonly team: TeamSnapshot;
  /** Set when the hand-off follows her declared unavailability or departure (its event id): the declarer acts for her. */
  readonly declarationId?: string;
  readonly by: Actor;
}
export interface OverrideAssignment {
  readonly type: 'OverrideAssignment';
  readonly taskId: string;
  readonly toMemberId: string;
  /** Her, when she is an active member of some team (and her spans on other jobs). */
  readonly team: TeamSnapshot;
  readonly reason: string;
  readonly by: Actor;
}
export interface PairForTraining {
  readonly type: 'PairForTraining';
  readonly taskId: string;
  readonly traineeMemberId: string;
  /** The trainee, when she is an active member of some team (and her spans on other jobs). */
  readonly team: TeamSnapshot;
  readonly reason: string;
  readonly by: Actor;
}
export interface ShareJob {
  readonly type: 'ShareJob';
  readonly partnerRegionId: string;
  /** The job's teams and the partner region's. */
  readonly team: TeamSnapshot;
  readonly reason: string;
  readonly by: Actor;
}
export interface RecordInspection {
  readonly type: 'RecordInspection';
  readonly accepted: boolean;
  readonly reason: string;
}
export interface RecordCancellation {
  readonly type: 'RecordCancellation';
  readonly reason: string;
}

export type ScheduleCommand =
  | ReceiveTasks
  | ScheduleTasks
  | HandOffTask
  | OverrideAssignment
  | PairForTraining
  | ShareJob
  | RecordInspection
  | RecordCancellation;

// ---- state ----------------------------------------------------------------------------------

/** Where a task stands: planned or released (`waiting`), held by a member for a span, or nobody could take it. */
export const TASK_STATUSES = ['waiting', 'assigned', 'unassignable'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** The kinds of fact a task's history tells, one per event about the task (see the README). */
export const HISTORY_KINDS = ['assigned', 'released', 'handed_off', 'overridden', 'unassignable', 'paired'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

export interface ScheduledTaskState extends PlannedTask {
  readonly round: number;
  readonly status: TaskStatus;
  /** The holder and her span, when assigned. */
  readonly holder: Placement | undefined;
  readonly reasons: readonly Reason[];
  readonly traineeMemberId: string | undefined;
  /** Everyone who held the task or shadowed its holder, in order. */
  readonly participants: readonly string[];
  /** The members who released it because they could not go on, in order (see the hand-off rule). */
  readonly gaveUpBy: readonly string[];
}

export interface JobSchedule {
  readonly status: 'open' | 'cancelled';
  readonly jobId: string;
  readonly businessId: string;
  readonly regionId: string;
  readonly localOnlyTownId: string | null;
  readonly round: number;
  readonly tasks: Readonly<Record<string, ScheduledTaskState>>;
  /** Task ids in the order they were planned. */
  readonly taskIds: readonly string[];
  readonly partnerRegionIds: readonly string[];
  /** Some inspection of the job's work was accepted. */
  readonly inspectionAccepted: boolean;
}

export type ScheduleState = { readonly status: 'none' } | JobSchedule;

export const isJobSchedule = (state: ScheduleState): state is JobSchedule => state.status !== 'none';

/** The regions whose teams work on the job: its own, then its partners'. */
export const teamRegionsOf = (job: JobSchedule): string[] => [job.regionId, ...job.partnerRegionIds];

/** Tasks in plan order. */
export const tasksOf = (job: JobSchedule): ScheduledTaskState[] =>
  job.taskIds.map((id) => job.tasks[id]).filter((t): t is ScheduledTaskState => t !== undefined);

/** Tasks the scheduler may still place: waiting or unassignable. */
export const openTasksOf = (job: JobSchedule): ScheduledTaskState[] =>
  tasksOf(job).filter((t) => t.status !== 'assigned');

// ---- decide ---------------------------------------------------------------------------------

const existing = (state: ScheduleState): JobSchedule => {
  if (!isJobSchedule(state))
    throw new NotFoundError('job.not_found', 'no schedule for this job: its tasks were never planned');
  return state;
};

const open = (job: JobSchedule): JobSchedule => {
  if (job.status === 'cancelled')
    throw new DomainError('schedule.job_cancelled', `job ${job.jobId} was cancelled`, 'rule');
  return job;
};

const taskOf = (job: JobSchedule, taskId: string): ScheduledTaskState => {
  const task = job.tasks[taskId];
  if (task === undefined) throw new NotFoundError('task.not_found', 'no such task');
  return task;
};

/** The snapshot's member of this id, active in some team, or `crew.member_not_found`. */
const activeMember = (team: TeamSnapshot, memberId: string): CrewMember => {
  const member = team.members.find((m) => m.memberId === memberId);
  if (member === undefined || member.status !== 'active')
    throw new NotFoundError('crew.member_not_found', 'no such member in any team');
  return member;
};

const requireCoordinator = (job: JobSchedule, by: Actor, what: string): void => {
  if (!coordinates(by, job.regionId))
    throw new ForbiddenError('schedule.forbidden', `only a coordinator of ${job.regionId} may ${what}`);
};

const iso = (ms: number): string => new Date(ms).toISOString();
const reasonsData = (reasons: readonly Reason[]): ReasonData[] =>
  reasons.map((r) => ({ code: r.code, message: r.message }));
const sameReasons = (a: readonly Reason[], b: readonly Reason[]): boolean =>
  a.length === b.length && a.every((r, i) => r.code === b[i]?.code && r.message === b[i]?.message);

/** Events for a plan of the scheduler: the tasks it places, and those still unplaceable (when their reasons changed). */
const planEvents = (job: JobSchedule, plan: SchedulePlan, reason: string, by: Actor): ScheduleEvent[] => {
  const events: ScheduleEvent[] = [];
  for (const a of plan.assignments) {
    const task = taskOf(job, a.taskId);
    // The plan was made from a state that has moved on: decide again from a fresh one.
    if (task.status === 'assigned')
      throw new DomainError('schedule.stale_plan', `task ${task.taskId} is assigned already`, 'conflict');
    events.push({
      type: 'TaskAssigned',
      data: {
        taskId: a.taskId,
        memberId: a.memberId,
        start: iso(a.start),
        end: iso(a.end),
        teamRegionId: a.teamRegionId,
        by: by.id,
        reason,
      },
    });
  }
  for (const u of plan.unassignable) {
    const task = taskOf(job, u.taskId);
    if (task.status === 'assigned')
      throw new DomainError('schedule.stale_plan', `task ${task.taskId} is assigned already`, 'conflict');
    if (task.status === 'unassignable' && sameReasons(task.reasons, u.reasons)) continue;
    events.push({ type: 'TaskUnassignable', data: { taskId: u.taskId, reasons: reasonsData(u.reasons), by: by.id } });
  }
  return events;
};

/** The job's waiting and unassignable tasks planned over its teams. */
const planOpenTasks = (scheduler: Scheduler, job: JobSchedule, team: TeamSnapshot): SchedulePlan =>
  planTasks(
    scheduler,
    job,
    openTasksOf(job).map((t) => t.taskId),
    team,
    teamRegionsOf(job),
  );

const receive = (command: ReceiveTasks, state: ScheduleState, scheduler: Scheduler): ScheduleEvent[] => {
  const received = receiveEvents(command, state);
  if (command.schedule === undefined) return received;
  const job = received.reduce(evolve, state);
  if (!isJobSchedule(job) || job.status !== 'open') return received;
  const plan = planOpenTasks(scheduler, job, command.schedule.team);
  return [...received, ...planEvents(job, plan, `tasks planned (round ${command.round})`, command.schedule.by)];
};

const receiveEvents = (command: ReceiveTasks, state: ScheduleState): ScheduleEvent[] => {
  // A round already received (a redelivery) or a cancelled job: nothing new.
  if (isJobSchedule(state) && (command.round <= state.round || state.status === 'cancelled')) return [];
  return [
    {
      type: 'TasksReceived',
      data: {
        jobId: command.jobId,
        businessId: command.businessId,
        regionId: command.regionId,
        localOnlyTownId: command.localOnlyTownId,
        round: command.round,
        tasks: command.tasks.map((t) => ({
          taskId: t.taskId,
          key: t.key,
          title: t.title,
          estimatedMinutes: t.estimatedMinutes,
          skills: [...t.skills],
          dependsOn: [...t.dependsOn],
          deadline: iso(t.deadline),
        })),
      },
    },
  ];
};

const schedule = (command: ScheduleTasks, job: JobSchedule, scheduler: Scheduler): ScheduleEvent[] => {
  if (!isSystem(command.by)) requireCoordinator(job, command.by, 'schedule');
  open(job);
  return planEvents(job, planOpenTasks(scheduler, job, command.team), command.reason, command.by);
};

const handOff = (command: HandOffTask, job: JobSchedule, scheduler: Scheduler): ScheduleEvent[] => {
  const task = taskOf(job, command.taskId);
  open(job);
  if (task.status !== 'assigned' || task.holder === undefined)
    throw new DomainError('task.not_assigned', `task ${task.taskId} is not assigned to anyone`, 'rule');
  if (task.holder.memberId !== command.fromMemberId)
    throw new DomainError('task.not_held', `task ${task.taskId} is not held by ${command.fromMemberId}`, 'rule');
  // Only the holder hands off her own task; a declared unavailability acts for her.
  if (command.declarationId === undefined && command.by.id !== command.fromMemberId)
    throw new DomainError('task.not_held', 'only the member holding a task hands it off', 'rule');
  const reason = personalText(
    command.reason,
    command.fromMemberId,
    'reason',
    'task.invalid_reason',
    1,
    LIMITS.reasonLength,
  );
  const progressNote = personalText(
    command.progressNote,
    command.fromMemberId,
    'progress_note',
    'task.invalid_progress_note',
    0,
    LIMITS.progressNoteLength,
  );
  const by = command.by.id;
  const released: ScheduleEvent = {
    type: 'TaskReleased',
    data: { taskId: task.taskId, memberId: command.fromMemberId, reason, progressNote, by },
  };
  // Chosen on the job as it stands once she released it: she, and everyone who gave it up before, is left out.
  const afterRelease = evolve(job, released) as JobSchedule;
  const successor = successorFor(
    scheduler,
    afterRelease,
    task.taskId,
    command.fromMemberId,
    command.team,
    teamRegionsOf(job),
  );
  if (successor.kind === 'assigned' && afterRelease.tasks[task.taskId]?.gaveUpBy.includes(successor.memberId))
    throw new Error(`task ${task.taskId} handed off to a member who gave it up`);
  if (successor.kind === 'unassignable')
    return [
      released,
      { type: 'TaskUnassignable', data: { taskId: task.taskId, reasons: reasonsData(successor.reasons), by } },
    ];
  return [
    released,
    {
      type: 'TaskHandedOff',
      data: {
        taskId: task.taskId,
        fromMemberId: command.fromMemberId,
        toMemberId: successor.memberId,
        start: iso(successor.start),
        end: iso(successor.end),
        teamRegionId: successor.teamRegionId,
        reason,
        progressNote,
        by,
      },
    },
  ];
};

const override = (command: OverrideAssignment, job: JobSchedule, scheduler: Scheduler): ScheduleEvent[] => {
  requireCoordinator(job, command.by, 'override an assignment of');
  const task = taskOf(job, command.taskId);
  open(job);
  const reason = boundedText(command.reason, 'reason', 'schedule.invalid_reason', 1, LIMITS.reasonLength);
  const member = activeMember(command.team, command.toMemberId);
  if (task.holder?.memberId === command.toMemberId)
    throw new DomainError(
      'schedule.same_member',
      `task ${task.taskId} is held by ${command.toMemberId} already`,
      'rule',
    );
  if (!teamRegionsOf(job).includes(member.regionId)) {
    throw new DomainError(
      'schedule.not_qualified',
      `member ${command.toMemberId} is not in a team working on this job`,
      'rule',
      {
        reasons: [{ code: 'schedule.not_in_team', message: `her team (${member.regionId}) does not work on this job` }],
      },
    );
  }
  const placement = placementFor(scheduler, job, task.taskId, member, command.team);
  if (placement.kind === 'does_not_fit') {
    throw new DomainError(
      'schedule.not_qualified',
      `member ${command.toMemberId} cannot take task ${task.taskId} without breaking a hard rule`,
      'rule',
      {
        reasons: reasonsData(placement.reasons),
      },
    );
  }
  return [
    {
      type: 'AssignmentOverridden',
      data: {
        taskId: task.taskId,
        fromMemberId: task.holder?.memberId ?? null,
        toMemberId: command.toMemberId,
        start: iso(placement.start),
        end: iso(placement.end),
        teamRegionId: member.regionId,
        reason,
        by: command.by.id,
      },
    },
  ];
};

const pair = (command: PairForTraining, job: JobSchedule): ScheduleEvent[] => {
  requireCoordinator(job, command.by, 'pair a trainee on');
  const task = taskOf(job, command.taskId);
  open(job);
  const reason = boundedText(command.reason, 'reason', 'schedule.invalid_reason', 1, LIMITS.reasonLength);
  const trainee = activeMember(command.team, command.traineeMemberId);
  if (task.status !== 'assigned' || task.holder === undefined)
    throw new DomainError('task.not_assigned', `task ${task.taskId} has no holder to shadow`, 'rule');
  if (task.holder.memberId === command.traineeMemberId)
    throw new DomainError('schedule.trainee_is_holder', 'the holder cannot shadow herself', 'rule');
  if (trainee.regionId !== job.regionId)
    throw new DomainError('schedule.trainee_not_in_team', `the trainee is not a member of ${job.regionId}`, 'rule');
  if (task.traineeMemberId !== undefined)
    throw new DomainError('task.already_paired', `task ${task.taskId} has a trainee already`, 'rule');
  if (!traineeFree(job, trainee, command.team, task.holder))
    throw new DomainError('schedule.trainee_not_free', 'the trainee is not free during the holder’s span', 'rule');
  return [
    {
      type: 'TraineePaired',
      data: { taskId: task.taskId, traineeMemberId: command.traineeMemberId, reason, by: command.by.id },
    },
  ];
};

const share = (command: ShareJob, job: JobSchedule, scheduler: Scheduler): ScheduleEvent[] => {
  requireCoordinator(job, command.by, 'share');
  open(job);
  const reason = boundedText(command.reason, 'reason', 'schedule.invalid_reason', 1, LIMITS.reasonLength);
  if (command.partnerRegionId === job.regionId)
    throw new ValidationError('schedule.invalid_partner', 'a job is shared with another region’s team', {
      field: 'partner_region_id',
    });
  // その町で、その町の人が: a local-only job stays with its town.
  if (job.localOnlyTownId !== null)
    throw new DomainError('schedule.local_only_cannot_share', `the job is local to ${job.localOnlyTownId}`, 'rule');
  if (job.partnerRegionIds.includes(command.partnerRegionId))
    throw new DomainError(
      'schedule.already_shared',
      `the job is shared with ${command.partnerRegionId} already`,
      'rule',
    );
  const unassignable = tasksOf(job).filter((t) => t.status === 'unassignable');
  if (unassignable.length === 0)
    throw new DomainError('schedule.sharing_not_needed', 'every task has found a member of the home team', 'rule');
  if (membersOf(command.team, [command.partnerRegionId]).length < 1)
    throw new DomainError(
      'schedule.partner_has_no_team',
      `${command.partnerRegionId} has no team to share with`,
      'rule',
    );
  const shared: ScheduleEvent = {
    type: 'JobShared',
    data: { jobId: job.jobId, partnerRegionId: command.partnerRegionId, reason, by: command.by.id },
  };
  const withPartner = evolve(job, shared) as JobSchedule;
  const plan = planTasks(
    scheduler,
    withPartner,
    unassignable.map((t) => t.taskId),
    command.team,
    teamRegionsOf(withPartner),
  );
  return [shared, ...planEvents(withPartner, plan, `shared with ${command.partnerRegionId}: ${reason}`, command.by)];
};

const cancel = (command: RecordCancellation, state: ScheduleState): ScheduleEvent[] => {
  if (!isJobSchedule(state) || state.status === 'cancelled') return [];
  const by = PROCESS_MANAGER.id;
  return [
    { type: 'JobCancelledRecorded', data: { jobId: state.jobId, reason: command.reason } },
    ...tasksOf(state)
      .filter((t) => t.status === 'assigned' && t.holder !== undefined)
      .map((t): ScheduleEvent => ({
        type: 'TaskReleased',
        data: { taskId: t.taskId, memberId: t.holder?.memberId ?? '', reason: 'job cancelled', progressNote: '', by },
      })),
  ];
};

/** The decisions, with the scheduler they ask (DEFAULT_SCHEDULER but in tests of a broken one). */
export const decideWith =
  (scheduler: Scheduler) =>
  (command: ScheduleCommand, state: ScheduleState): ScheduleEvent[] => {
    switch (command.type) {
      case 'ReceiveTasks':
        return receive(command, state, scheduler);
      case 'RecordInspection':
        return isJobSchedule(state)
          ? [
              {
                type: 'JobInspectionRecorded',
                data: { jobId: state.jobId, accepted: command.accepted, reason: command.reason },
              },
            ]
          : [];
      case 'RecordCancellation':
        return cancel(command, state);
      case 'ScheduleTasks':
        return schedule(command, existing(state), scheduler);
      case 'HandOffTask':
        return handOff(command, existing(state), scheduler);
      case 'OverrideAssignment':
        return override(command, existing(state), scheduler);
      case 'PairForTraining':
        return pair(command, existing(state));
      case 'ShareJob':
        return share(command, existing(state), scheduler);
    }
  };

export const decide = decideWith(DEFAULT_SCHEDULER);

// ---- evolve ---------------------------------------------------------------------------------

const withTask = (
  job: JobSchedule,
  taskId: string,
  change: (task: ScheduledTaskState) => ScheduledTaskState,
): JobSchedule => {
  const task = job.tasks[taskId];
  return task === undefined ? job : { ...job, tasks: { ...job.tasks, [taskId]: change(task) } };
};

const holding = (task: ScheduledTaskState, placement: Placement): ScheduledTaskState => ({
  ...task,
  status: 'assigned',
  holder: placement,
  reasons: [],
  // A trainee shadows a holder at a span: a new holder or span ends the pairing.
  traineeMemberId: undefined,
  participants: task.participants.includes(placement.memberId)
    ? task.participants
    : [...task.participants, placement.memberId],
});

export const evolve = (state: ScheduleState, event: ScheduleEvent): ScheduleState => {
  if (event.type === 'TasksReceived') {
    const d = event.data;
    const base: JobSchedule = isJobSchedule(state)
      ? state
      : {
          status: 'open',
          jobId: d.jobId,
          businessId: d.businessId,
          regionId: d.regionId,
          localOnlyTownId: d.localOnlyTownId,
          round: 0,
          tasks: {},
          taskIds: [],
          partnerRegionIds: [],
          inspectionAccepted: false,
        };
    const tasks: Record<string, ScheduledTaskState> = { ...base.tasks };
    const taskIds = [...base.taskIds];
    for (const t of d.tasks) {
      if (tasks[t.taskId] === undefined) taskIds.push(t.taskId);
      tasks[t.taskId] = {
        taskId: t.taskId,
        key: t.key,
        title: t.title,
        estimatedMinutes: t.estimatedMinutes,
        skills: [...t.skills],
        dependsOn: [...t.dependsOn],
        deadline: Date.parse(t.deadline),
        round: d.round,
        status: 'waiting',
        holder: undefined,
        reasons: [],
        traineeMemberId: undefined,
        participants: [],
        gaveUpBy: tasks[t.taskId]?.gaveUpBy ?? [],
      };
    }
    return { ...base, round: Math.max(base.round, d.round), tasks, taskIds };
  }
  if (!isJobSchedule(state)) return state;
  switch (event.type) {
    case 'TaskAssigned': {
      const d = event.data;
      return withTask(state, d.taskId, (t) =>
        holding(t, {
          memberId: d.memberId,
          start: Date.parse(d.start),
          end: Date.parse(d.end),
          teamRegionId: d.teamRegionId,
        }),
      );
    }
    case 'TaskHandedOff':
    case 'AssignmentOverridden': {
      const d = event.data;
      return withTask(state, d.taskId, (t) =>
        holding(t, {
          memberId: d.toMemberId,
          start: Date.parse(d.start),
          end: Date.parse(d.end),
          teamRegionId: d.teamRegionId,
        }),
      );
    }
    case 'TaskUnassignable':
      return withTask(state, event.data.taskId, (t) => ({
        ...t,
        status: 'unassignable',
        holder: undefined,
        traineeMemberId: undefined,
        reasons: event.data.reasons.map((r) => ({ ...r })),
      }));
    case 'TaskReleased': {
      // Released while the job is open: she could not go on (a cancellation's releases follow JobCancelledRecorded).
      const gaveUp = state.status === 'open' ? event.data.memberId : undefined;
      return withTask(state, event.data.taskId, (t) => ({
        ...t,
        status: 'waiting',
        holder: undefined,
        traineeMemberId: undefined,
        reasons: [],
        gaveUpBy: gaveUp === undefined || t.gaveUpBy.includes(gaveUp) ? t.gaveUpBy : [...t.gaveUpBy, gaveUp],
      }));
    }
    case 'TraineePaired': {
      const trainee = event.data.traineeMemberId;
      return withTask(state, event.data.taskId, (t) => ({
        ...t,
        traineeMemberId: trainee,
        participants: t.participants.includes(trainee) ? t.participants : [...t.participants, trainee],
      }));
    }
    case 'JobShared':
      return state.partnerRegionIds.includes(event.data.partnerRegionId)
        ? state
        : { ...state, partnerRegionIds: [...state.partnerRegionIds, event.data.partnerRegionId] };
    case 'JobInspectionRecorded':
      return { ...state, inspectionAccepted: state.inspectionAccepted || event.data.accepted };
    case 'JobCancelledRecorded':
      return { ...state, status: 'cancelled' };
  }
};

export const initialState = (): ScheduleState => ({ status: 'none' });

/** The job's schedule decider, asking `scheduler` (a broken one, in the tests of ScheduleInvariantError). */
export const scheduleDeciderWith = (scheduler: Scheduler): Decider<ScheduleCommand, ScheduleEvent, ScheduleState> => ({
  decide: decideWith(scheduler),
  evolve,
  initialState,
});

export const scheduleDecider: Decider<ScheduleCommand, ScheduleEvent, ScheduleState> = { decide, evolve, initialState };
