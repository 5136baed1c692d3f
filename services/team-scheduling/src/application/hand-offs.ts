import { DomainError, isMember, type CommandContext, type RecordedEvent } from '@workshare/eventsourcing';
import { active, crewDecider, crewStream, herselfOrCoordinator, type UnavailabilityDeclared } from '../domain/crew.js';
import { overlaps } from '../domain/team.js';
import { boundedText, LIMITS, type PersonalText } from '../domain/text.js';
import { sealHers } from './personal-texts.js';
import { DECLARATION_KEY } from './roster.js';
import { taskViewIn, taskViewOf, type TaskView } from './views.js';
import { idOf, personsCommandId, type Workbench } from './workbench.js';

export interface HandOffInput {
  readonly taskId: string;
  readonly reason: string;
  readonly progressNote: string;
}

export interface UnavailabilityInput {
  readonly memberId: string;
  readonly from: Date;
  readonly to: Date;
  readonly reason: string;
}

export interface OverrideInput {
  readonly taskId: string;
  readonly memberId: string;
  readonly reason: string;
}

/** A period in which her tasks are handed off: an unavailability, or from her departure on. */
export interface Departure {
  /** The event it follows (UnavailabilityDeclared, MemberLeftTeam): each hand-off is known by it and the task. */
  readonly declarationId: string;
  readonly memberId: string;
  readonly from: number;
  readonly to: number;
  /** Sealed for her when a person wrote it (a declaration); the platform's words in clear (a departure). */
  readonly reason: PersonalText;
}

/**
 * Changes of hands: a holder who cannot go on hands her task off, a declared unavailability (or
 * a departure) hands off her tasks in the period, a coordinator overrides an assignment. Each
 * hand-off is one command on the job's stream with the roster snapshot of its teams: the
 * decider asks the scheduler for the successor, never one who gave the task up. Each is a
 * booking (Workbench.booking) under the lease of the regions whose members it may give time to.
 */
export class HandOffs {
  constructor(private readonly bench: Workbench) {}

  /**
   * The holder cannot go on: her task is released and the best available teammate takes it, in
   * one append. Her reason and progress note are checked, then sealed with her key (identity)
   * before the decision: the events hold them sealed.
   */
  async handOffTask(context: CommandContext, input: HandOffInput): Promise<TaskView> {
    const { bench } = this;
    const commandId = personsCommandId(context);
    const { taskId } = input;
    idOf(taskId, 'task.invalid_id', 'task_id');
    // Only a member holds tasks: anyone else is refused before anything is sealed for her.
    if (!isMember(context.actor))
      throw new DomainError('task.not_held', 'only the member holding a task hands it off', 'rule');
    const [reason, progressNote] = await sealHers(bench.options.texts, context, context.actor.id, [
      boundedText(input.reason, 'reason', 'task.invalid_reason', 1, LIMITS.reasonLength),
      boundedText(input.progressNote, 'progress_note', 'task.invalid_progress_note', 0, LIMITS.progressNoteLength),
    ]);
    return bench.booking(
      () => bench.regionsOfTask(taskId),
      async () => {
        const jobId = bench.jobIdOfTask(taskId);
        const command = {
          type: 'HandOffTask',
          taskId,
          fromMemberId: context.actor.id,
          reason: reason!,
          progressNote: progressNote!,
          team: bench.teamFor(jobId),
          by: context.actor,
        } as const;
        return taskViewIn((await bench.onJob(context, jobId, command, commandId)).state, taskId);
      },
    );
  }

  /**
   * A member is unavailable for a period (the member herself or a coordinator of her region):
   * the declaration on her crew stream, then a hand-off of each task of hers planned in it
   * (only those), the declarer acting. Answers those tasks as they stand now. The reason is
   * checked, then sealed with her key (identity) before anything holds it.
   */
  async declareUnavailable(context: CommandContext, input: UnavailabilityInput): Promise<TaskView[]> {
    const { bench } = this;
    const commandId = personsCommandId(context);
    const { memberId, from, to } = input;
    idOf(memberId, 'crew.invalid_member_id', 'member_id');
    // Who may declare it is checked before anything is sealed for her (the decider checks again on her stream).
    await bench.roster.ensureFresh();
    herselfOrCoordinator(
      active(bench.roster.member(memberId) ?? crewDecider.initialState()),
      context.actor,
      'declare her unavailable',
    );
    const [reason] = await sealHers(bench.options.texts, context, memberId, [
      boundedText(input.reason, 'reason', 'crew.invalid_reason', 1, LIMITS.reasonLength),
    ]);
    return bench.booking(
      () => bench.regionsOfMember(memberId),
      async () => {
        const command = {
          type: 'DeclareUnavailable',
          from,
          to,
          reason: reason!,
          by: context.actor,
          at: bench.now(),
        } as const;
        const result = await bench.onMember(context, crewStream(memberId), command, commandId);
        const declared = result.events.find(
          (e): e is RecordedEvent<UnavailabilityDeclared> => e.type === 'UnavailabilityDeclared',
        );
        if (declared === undefined) return [];
        const taskIds = await this.handOffAllOf({ ...context, causationId: declared.id }, departureOf(declared));
        return taskIds.map((taskId) => this.currentTaskView(taskId)).filter((v): v is TaskView => v !== undefined);
      },
    );
  }

  /**
   * UnavailabilityDeclared (the process manager): the hand-offs of her tasks in the period,
   * should the command that declared it have stopped halfway (a crash). Each hand-off is
   * idempotent (declaration id + task id): those done already are not done again.
   */
  completeUnavailability(context: CommandContext, event: RecordedEvent<UnavailabilityDeclared>): Promise<string[]> {
    return this.bench.booking(
      () => this.bench.regionsOfMember(event.data.memberId),
      () => this.handOffAllOf(context, departureOf(event)),
    );
  }

  /** A coordinator of the job's region gives a task to another member (even one who gave it up), at her earliest fitting span. */
  overrideAssignment(context: CommandContext, { taskId, memberId, reason }: OverrideInput): Promise<TaskView> {
    const { bench } = this;
    const commandId = personsCommandId(context);
    idOf(taskId, 'task.invalid_id', 'task_id');
    idOf(memberId, 'crew.invalid_member_id', 'member_id');
    const regions = () => [...bench.regionsOfTask(taskId), ...bench.regionsOfMember(memberId)];
    return bench.booking(regions, async () => {
      const jobId = bench.jobIdOfTask(taskId);
      const command = {
        type: 'OverrideAssignment',
        taskId,
        toMemberId: memberId,
        team: bench.memberFor(jobId, memberId),
        reason,
        by: context.actor,
      } as const;
      return taskViewIn((await bench.onJob(context, jobId, command, commandId)).state, taskId);
    });
  }

  /**
   * Hands off every task she holds whose span meets [from, to): one command per task on its
   * job's stream, idempotent by declaration id + task id, each successor chosen with the ones
   * before it already booked. Answers the tasks concerned (those released under this
   * declaration before, too). A task the job refuses to move (cancelled meanwhile) stays.
   * Runs inside its caller's booking (Workbench.booking over regionsOfMember: her region and
   * those of every job she holds a task on).
   */
  async handOffAllOf(context: CommandContext, departure: Departure): Promise<string[]> {
    const { bench } = this;
    const period = { start: departure.from, end: departure.to };
    const affected = bench.roster
      .tasksOfMember(departure.memberId)
      .filter(({ task }) => task.holder?.memberId === departure.memberId && overlaps(task.holder, period))
      .sort((a, b) => (a.task.holder?.start ?? 0) - (b.task.holder?.start ?? 0));
    const handled = new Set(bench.roster.tasksReleasedFor(departure.declarationId));
    for (const { job, task } of affected) {
      const command = {
        type: 'HandOffTask',
        taskId: task.taskId,
        fromMemberId: departure.memberId,
        reason: departure.reason,
        progressNote: '',
        team: bench.teamFor(job.jobId),
        declarationId: departure.declarationId,
        by: context.actor,
      } as const;
      try {
        await bench.onJob(context, job.jobId, command, `${departure.declarationId}:${task.taskId}`, {
          [DECLARATION_KEY]: departure.declarationId,
        });
        handled.add(task.taskId);
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind !== 'rule') throw error;
      }
    }
    return [...handled];
  }

  private currentTaskView(taskId: string): TaskView | undefined {
    const jobId = this.bench.roster.jobIdOfTask(taskId);
    const job = jobId === undefined ? undefined : this.bench.roster.job(jobId);
    const task = job?.tasks[taskId];
    return job !== undefined && task !== undefined ? taskViewOf(job, task) : undefined;
  }
}

const departureOf = (event: RecordedEvent<UnavailabilityDeclared>): Departure => ({
  declarationId: event.id,
  memberId: event.data.memberId,
  from: Date.parse(event.data.from),
  to: Date.parse(event.data.to),
  reason: event.data.reason,
});
