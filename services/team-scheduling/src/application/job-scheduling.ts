import type { CommandContext } from '@workshare/eventsourcing';
import type { PlannedTasks } from './integration-events.js';
import { viewsOf, type TaskView } from './views.js';
import { causingEventId, idOf, personsCommandId, type Workbench } from './workbench.js';

/** Job intake's outcome of a job: an inspection (accepted or not) or a cancellation, and why. */
export interface JobOutcomeInput {
  readonly jobId: string;
  readonly reason: string;
}

export interface ShareJobInput {
  readonly jobId: string;
  readonly partnerRegionId: string;
  readonly reason: string;
}

/**
 * Scheduling a job: its tasks received from task decomposition and scheduled at once, again by
 * a coordinator, shared with a partner region's team; job intake's inspections and
 * cancellations recorded. Each is one command on the job's stream with the roster snapshot of
 * its teams: the decider asks the scheduler. A schedule is a booking (Workbench.booking) under
 * the lease of every region whose team may work on the job.
 */
export class JobScheduling {
  constructor(private readonly bench: Workbench) {}

  /** TasksPlanned (the process manager): the round's tasks received and scheduled over the region's team, in one append. */
  receivePlannedTasks(context: CommandContext, planned: PlannedTasks): Promise<TaskView[]> {
    const { bench } = this;
    const regions = () => [planned.regionId, ...bench.regionsOfJob(planned.jobId)];
    return bench.booking(regions, async () => {
      const team = bench.teamFor(planned.jobId, [planned.regionId]);
      const command = { type: 'ReceiveTasks', ...planned, schedule: { team, by: context.actor } } as const;
      return viewsOf((await bench.onJob(context, planned.jobId, command, causingEventId(context))).state);
    });
  }

  /** A coordinator of the job's region schedules its tasks not assigned yet. */
  scheduleJob(context: CommandContext, jobId: string): Promise<TaskView[]> {
    const { bench } = this;
    const commandId = personsCommandId(context);
    idOf(jobId, 'job.invalid_id', 'job_id');
    return bench.booking(
      () => bench.regionsOfJob(jobId),
      async () => {
        const command = {
          type: 'ScheduleTasks',
          team: bench.teamFor(jobId),
          reason: 'scheduled by a coordinator',
          by: context.actor,
        } as const;
        return viewsOf((await bench.onJob(context, jobId, command, commandId)).state);
      },
    );
  }

  /**
   * The home coordinator consents that a partner region's team works on a job that is not local
   * only: JobShared, then its unassignable tasks scheduled over both teams, in one append.
   */
  shareJob(context: CommandContext, { jobId, partnerRegionId, reason }: ShareJobInput): Promise<TaskView[]> {
    const { bench } = this;
    const commandId = personsCommandId(context);
    idOf(jobId, 'job.invalid_id', 'job_id');
    return bench.booking(
      () => [...bench.regionsOfJob(jobId), partnerRegionId],
      async () => {
        const team = bench.teamFor(jobId, [partnerRegionId]);
        const command = { type: 'ShareJob', partnerRegionId, team, reason, by: context.actor } as const;
        return viewsOf((await bench.onJob(context, jobId, command, commandId)).state);
      },
    );
  }

  // An inspection or a cancellation books nobody (a cancellation only frees time): the job's
  // own stream version keeps it consistent, no lease is needed.

  /** JobInspected (the process manager): recorded on the job's schedule (a skill may be granted for accepted work). */
  async recordInspection(
    context: CommandContext,
    input: JobOutcomeInput & { readonly accepted: boolean },
  ): Promise<void> {
    const command = { type: 'RecordInspection', accepted: input.accepted, reason: input.reason } as const;
    await this.bench.queue.run(() => this.bench.onJob(context, input.jobId, command, causingEventId(context)));
  }

  /** JobCancelled (the process manager): every assigned task released ('job cancelled'). */
  async recordCancellation(context: CommandContext, input: JobOutcomeInput): Promise<void> {
    const command = { type: 'RecordCancellation', reason: input.reason } as const;
    await this.bench.queue.run(() => this.bench.onJob(context, input.jobId, command, causingEventId(context)));
  }
}
