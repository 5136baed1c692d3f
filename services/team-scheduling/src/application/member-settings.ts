import type { CommandContext } from '@workshare/eventsourcing';
import { crewStream, type CrewCommand } from '../domain/crew.js';
import { isJobSchedule, scheduleStream, tasksOf } from '../domain/job-schedule.js';
import type { HandOffs } from './hand-offs.js';
import type { IdentityFact } from './integration-events.js';
import { taskViewIn, type TaskView } from './views.js';
import { causingEventId, idOf, personsCommandId, type Workbench } from './workbench.js';

export interface WishedHoursInput {
  readonly memberId: string;
  readonly minutesPerWeek: number;
}

export interface GrantSkillInput {
  readonly memberId: string;
  readonly skill: string;
  /** The inspected job whose work shows the skill. */
  readonly jobId: string;
  readonly reason: string;
}

export interface PairingInput {
  readonly taskId: string;
  readonly traineeMemberId: string;
  readonly reason: string;
}

const commandOf = (fact: IdentityFact): CrewCommand => {
  switch (fact.kind) {
    case 'registered':
      return {
        type: 'JoinTeam',
        memberId: fact.memberId,
        regionId: fact.regionId,
        townId: fact.townId,
        contractType: fact.contractType,
        skills: fact.skills,
        availability: fact.availability,
      };
    case 'availability':
      return { type: 'ChangeAvailability', availability: fact.availability };
    case 'forgotten':
      return { type: 'LeaveTeam' };
  }
};

/**
 * The team and its members' settings: identity's members joining, changing and leaving teams
 * (a member who leaves hands off her tasks), the hours a member wishes to work, skills granted
 * after inspected work, trainees paired with a task's holder.
 */
export class MemberSettings {
  constructor(
    private readonly bench: Workbench,
    private readonly handOffs: HandOffs,
  ) {}

  /**
   * Identity's member events (the process manager) → her crew stream, idempotent by the
   * identity event's id; a member forgotten hands off her tasks from now on. A member who joins
   * a team, or whose windows change, may be the one a waiting task needed: the open jobs of her
   * region with tasks not assigned are scheduled again (each idempotent by the identity event and
   * the job; a task that still fits nobody keeps its reasons, and nothing is appended for it).
   */
  recordIdentityFact(context: CommandContext, fact: IdentityFact): Promise<void> {
    const { bench } = this;
    const regionOf = (): string | undefined =>
      fact.kind === 'registered' ? fact.regionId : bench.roster.member(fact.memberId)?.regionId;
    const waitingJobs = () => {
      const region = fact.kind === 'forgotten' ? undefined : regionOf();
      return region === undefined ? [] : bench.roster.jobsWaitingIn(region);
    };
    // Her windows bound every later booking and her departure hands off her tasks: a booking,
    // over her region and those of every job she holds a task on or may now take one of.
    const regions = () => [
      ...(fact.kind === 'registered' ? [fact.regionId] : []),
      ...bench.regionsOfMember(fact.memberId),
      ...waitingJobs().flatMap((job) => bench.regionsOfJob(job.jobId)),
    ];
    return bench.booking(regions, async () => {
      const causedBy = causingEventId(context);
      const result = await bench.onMember(context, crewStream(fact.memberId), commandOf(fact), causedBy);
      if (fact.kind !== 'forgotten') {
        const reason = fact.kind === 'registered' ? 'a member joined the team' : "a member's windows changed";
        for (const job of waitingJobs()) {
          const command = { type: 'ScheduleTasks', team: bench.teamFor(job.jobId), reason, by: context.actor } as const;
          await bench.onJob(context, job.jobId, command, `${causedBy}/schedule/${job.jobId}`);
        }
      }
      const left = result.events.find((e) => e.type === 'MemberLeftTeam');
      if (left === undefined) return;
      await this.handOffs.handOffAllOf(context, {
        declarationId: left.id,
        memberId: fact.memberId,
        from: bench.now().getTime(),
        to: Number.MAX_SAFE_INTEGER,
        reason: 'member left the team',
      });
    });
  }

  /**
   * The member herself or a coordinator of her region sets the minutes a week she wishes to work
   * (fairness only: it books nobody and moves no task, so it needs no lease; a skill grant neither).
   */
  async setWishedHours(context: CommandContext, { memberId, minutesPerWeek }: WishedHoursInput): Promise<void> {
    const commandId = personsCommandId(context);
    idOf(memberId, 'crew.invalid_member_id', 'member_id');
    const command = { type: 'SetWishedHours', minutesPerWeek, by: context.actor } as const;
    await this.bench.queue.run(() => this.bench.onMember(context, crewStream(memberId), command, commandId));
  }

  /**
   * A coordinator of the member's region grants a skill for her work on a job whose inspection
   * was accepted: the job's schedule is the evidence the command carries.
   */
  async grantSkill(context: CommandContext, { memberId, skill, jobId, reason }: GrantSkillInput): Promise<void> {
    const { bench } = this;
    const commandId = personsCommandId(context);
    idOf(memberId, 'crew.invalid_member_id', 'member_id');
    idOf(jobId, 'job.invalid_id', 'job_id');
    await bench.queue.run(async () => {
      const { state } = await bench.schedules.load(scheduleStream(jobId));
      const work = isJobSchedule(state)
        ? {
            jobId: state.jobId,
            inspectionAccepted: state.inspectionAccepted,
            tookPart: tasksOf(state).some((t) => t.participants.includes(memberId)),
          }
        : undefined;
      const command = { type: 'GrantSkill', skill, jobId, reason, work, by: context.actor } as const;
      return bench.onMember(context, crewStream(memberId), command, commandId);
    });
  }

  /** A coordinator pairs a trainee of the region with the holder of a task (shadowing), when she is free then. */
  pairForTraining(context: CommandContext, { taskId, traineeMemberId, reason }: PairingInput): Promise<TaskView> {
    const { bench } = this;
    const commandId = personsCommandId(context);
    idOf(taskId, 'task.invalid_id', 'task_id');
    idOf(traineeMemberId, 'crew.invalid_member_id', 'trainee_member_id');
    const regions = () => [...bench.regionsOfTask(taskId), ...bench.regionsOfMember(traineeMemberId)];
    return bench.booking(regions, async () => {
      const jobId = bench.jobIdOfTask(taskId);
      const command = {
        type: 'PairForTraining',
        taskId,
        traineeMemberId,
        team: bench.memberFor(jobId, traineeMemberId),
        reason,
        by: context.actor,
      } as const;
      return taskViewIn((await bench.onJob(context, jobId, command, commandId)).state, taskId);
    });
  }
}
