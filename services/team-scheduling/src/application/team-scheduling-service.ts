import type { CommandContext, DurableReadModel, RecordedEvent } from '@workshare/eventsourcing';
import type { UnavailabilityDeclared } from '../domain/crew.js';
import { HandOffs, type HandOffInput, type OverrideInput, type UnavailabilityInput } from './hand-offs.js';
import type { IdentityFact, PlannedTasks } from './integration-events.js';
import { JobScheduling, type JobOutcomeInput, type ShareJobInput } from './job-scheduling.js';
import { MemberSettings, type GrantSkillInput, type PairingInput, type WishedHoursInput } from './member-settings.js';
import { ScheduleReads, type MemberScheduleQuery, type TaskHolderQuery } from './schedule-reads.js';
import type { JobScheduleView, TaskHistoryEntry, TaskView } from './views.js';
import { Workbench, type TeamSchedulingServiceOptions } from './workbench.js';

export type { TeamSchedulingServiceOptions } from './workbench.js';
export type { HandOffInput, OverrideInput, UnavailabilityInput } from './hand-offs.js';
export type { JobOutcomeInput, ShareJobInput } from './job-scheduling.js';
export type { GrantSkillInput, PairingInput, WishedHoursInput } from './member-settings.js';
export type { MemberScheduleQuery, TaskHolderQuery } from './schedule-reads.js';

/**
 * The team scheduling service's application facade, one line per command: every method takes
 * the command's context (who acts, the request id, the token, the trace; for a process manager
 * contextOfEvent of the event it reacts to, as SYSTEM_ACTORS.processManager('team-scheduling'))
 * and its input. Nothing is decided here: each command carries the roster snapshot it needs and
 * goes through CommandHandler once (read once per attempt, decided by the decider, which asks
 * the scheduler, appended with the version read, idempotent by command id). The use cases:
 * JobScheduling, HandOffs, MemberSettings, ScheduleReads.
 */
export class TeamSchedulingService {
  private readonly bench: Workbench;
  private readonly jobs: JobScheduling;
  private readonly handOffs: HandOffs;
  private readonly members: MemberSettings;
  private readonly reads: ScheduleReads;

  constructor(options: TeamSchedulingServiceOptions) {
    this.bench = new Workbench(options);
    this.jobs = new JobScheduling(this.bench);
    this.handOffs = new HandOffs(this.bench);
    this.members = new MemberSettings(this.bench, this.handOffs);
    this.reads = new ScheduleReads(this.bench);
  }

  // ---- process managers (context: contextOfEvent) ------------------------------------------

  recordIdentityFact = (context: CommandContext, fact: IdentityFact): Promise<void> =>
    this.members.recordIdentityFact(context, fact);

  receivePlannedTasks = (context: CommandContext, planned: PlannedTasks): Promise<TaskView[]> =>
    this.jobs.receivePlannedTasks(context, planned);

  recordInspection = (context: CommandContext, input: JobOutcomeInput & { accepted: boolean }): Promise<void> =>
    this.jobs.recordInspection(context, input);

  recordCancellation = (context: CommandContext, input: JobOutcomeInput): Promise<void> =>
    this.jobs.recordCancellation(context, input);

  completeUnavailability = (context: CommandContext, event: RecordedEvent<UnavailabilityDeclared>): Promise<string[]> =>
    this.handOffs.completeUnavailability(context, event);

  // ---- commands -----------------------------------------------------------------------------

  scheduleJob = (context: CommandContext, jobId: string): Promise<TaskView[]> => this.jobs.scheduleJob(context, jobId);

  shareJob = (context: CommandContext, input: ShareJobInput): Promise<TaskView[]> => this.jobs.shareJob(context, input);

  handOffTask = (context: CommandContext, input: HandOffInput): Promise<TaskView> =>
    this.handOffs.handOffTask(context, input);

  declareUnavailable = (context: CommandContext, input: UnavailabilityInput): Promise<TaskView[]> =>
    this.handOffs.declareUnavailable(context, input);

  overrideAssignment = (context: CommandContext, input: OverrideInput): Promise<TaskView> =>
    this.handOffs.overrideAssignment(context, input);

  pairForTraining = (context: CommandContext, input: PairingInput): Promise<TaskView> =>
    this.members.pairForTraining(context, input);

  setWishedHours = (context: CommandContext, input: WishedHoursInput): Promise<void> =>
    this.members.setWishedHours(context, input);

  grantSkill = (context: CommandContext, input: GrantSkillInput): Promise<void> =>
    this.members.grantSkill(context, input);

  // ---- queries ------------------------------------------------------------------------------

  getJobSchedule = (context: CommandContext, jobId: string): Promise<JobScheduleView> =>
    this.reads.getJobSchedule(context, jobId);

  getMemberSchedule = (context: CommandContext, query: MemberScheduleQuery): Promise<TaskView[]> =>
    this.reads.getMemberSchedule(context, query);

  listMyTasks = (context: CommandContext): Promise<TaskView[]> => this.reads.listMyTasks(context);

  getTaskHistory = (context: CommandContext, taskId: string): Promise<TaskHistoryEntry[]> =>
    this.reads.getTaskHistory(context, taskId);

  getTaskHolder = (context: CommandContext, query: TaskHolderQuery): Promise<string | undefined> =>
    this.reads.getTaskHolder(context, query);

  /** Its durable read models (the roster), for the ops API. */
  get readModels(): readonly DurableReadModel[] {
    return [this.bench.roster];
  }

  /** Brings the roster up to date with the whole log now (tests; a rebuilt roster starts here). */
  refreshRoster = (): Promise<void> => this.bench.roster.catchUp();
}
