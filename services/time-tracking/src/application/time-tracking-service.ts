import {
  CommandHandler,
  commandKey,
  DomainError,
  ForbiddenError,
  isUuid,
  preview,
  ValidationError,
  type CommandContext,
  type DurableReadModel,
  type EventStore,
  type HandleResult,
  type ProjectionStore,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { systemClock, type Clock } from '@workshare/time';
import {
  checkReason,
  entryOf,
  requireSelfOrCoordinator,
  timesheetDecider,
  timesheetStream,
  type TimesheetCommand,
  type Timesheet,
  type TimesheetEvent,
  type WeekReopened,
} from '../domain/timesheet.js';
import { TIMESHEET_UPCASTER } from '../domain/schema-versions.js';
import { weekNamed, weekStartOf } from '../domain/tokyo-days.js';
import type { PersonalTexts } from '@workshare/identity/texts';
import { mayViewRegionTime, mayViewSheet } from './access.js';
import { entryIdForCommand } from './command-ids.js';
import { MemberRegions } from './member-regions.js';
import { TaskHoldings } from './task-holdings.js';
import { Timesheets } from './timesheets.js';
import {
  approvedTimeIn,
  entryView,
  monthNamed,
  weekView,
  type ApprovedTimeView,
  type EntryView,
  type WeekView,
} from './week-view.js';

export interface TimeTrackingServiceOptions {
  readonly store: EventStore;
  /** Where the read models (task holdings, member regions, timesheets) keep their state: time tracking's schema. */
  readonly projections: ProjectionStore;
  /**
   * Where a member's reasons are sealed with her key before any event holds them (identity's
   * texts port: IdentityTextsClient over gRPC, identityServiceTexts in process).
   */
  readonly texts: PersonalTexts;
  /** The platform's clock (default systemClock): the rules (spans not in the future, weeks over) and the events' occurred-at. */
  readonly now?: Clock;
  /** How stale the read models may be for other processes' writes (default 100 ms). */
  readonly readStalenessMs?: number;
}

export interface StartWorkInput {
  readonly taskId: string;
}

export interface RecordSpanInput {
  readonly taskId: string;
  readonly start: Date;
  readonly end: Date;
}

export interface CorrectEntryInput {
  readonly memberId: string;
  readonly entryId: string;
  readonly start: Date;
  readonly end: Date;
  readonly reason: string;
}

export interface DeleteEntryInput {
  readonly memberId: string;
  readonly entryId: string;
  readonly reason: string;
}

export interface ApproveWeekInput {
  readonly memberId: string;
  /** The week's Monday, `YYYY-MM-DD` (Asia/Tokyo). */
  readonly weekStart: string;
}

export interface GetWeekQuery {
  /** Whose week (default: the caller's own). */
  readonly memberId?: string;
  /** The week's Monday, `YYYY-MM-DD` (Asia/Tokyo); default: the week of now. */
  readonly weekStart?: string;
}

export interface ApprovedTimeQuery {
  readonly regionId: string;
  /** A Tokyo month, `YYYY-MM`. */
  readonly month: string;
}

/** What an approval did: how many entries it approved, or nothing (the week was approved and unchanged). */
export interface ApprovalOutcome {
  readonly weekStart: string;
  readonly approvedEntries: number;
  readonly alreadyApproved: boolean;
}

type SheetResult = HandleResult<TimesheetEvent, Timesheet>;

/** An id given by a caller: a UUID, or a ValidationError with this code. */
const idOf = (value: string, code: string, field: string): string => {
  if (!isUuid(value)) throw new ValidationError(code, `${preview(value)} is not an id`, { field });
  return value;
};
const memberIdOf = (value: string): string => idOf(value, 'time.invalid_member_id', 'member_id');
const taskIdOf = (value: string): string => idOf(value, 'time.invalid_task_id', 'task_id');
const entryIdOf = (value: string): string => idOf(value, 'time.invalid_entry_id', 'entry_id');

/** A person's command is known on its stream by `<caller id>:<request id>` (commandKey). */
const personsCommandId = (context: CommandContext): string => commandKey(context.actor.id, context.requestId ?? '');

const eventOf = <T extends TimesheetEvent['type']>(
  result: SheetResult,
  type: T,
): RecordedEvent<Extract<TimesheetEvent, { type: T }>> | undefined =>
  result.events.find((e) => e.type === type) as RecordedEvent<Extract<TimesheetEvent, { type: T }>> | undefined;

const reopenedWeeks = (result: SheetResult): string[] =>
  result.events.flatMap((e) => {
    const event = e as RecordedEvent<TimesheetEvent>;
    return event.type === 'WeekReopened' ? [(event.data as WeekReopened['data']).weekStart] : [];
  });

const recordedEntryOf = (result: SheetResult): EntryView | undefined => {
  const recorded = eventOf(result, 'TimeEntryRecorded');
  if (recorded === undefined) return undefined;
  const d = recorded.data;
  return entryView({
    entryId: d.entryId,
    taskId: d.taskId,
    jobId: d.jobId,
    regionId: d.regionId,
    start: new Date(d.start),
    end: new Date(d.end),
    minutes: d.minutes,
    source: d.source,
  });
};

/**
 * Time tracking's application facade, one line per command: every method takes the command's
 * context (who acts, the request id, the token, the trace) and its input. Nothing is decided
 * here: the timesheet decider does it, on the member's stream (read once per attempt by
 * CommandHandler, appended with its expected version), from the actor's roles and what the read
 * models say (team scheduling's record of her holds of the task, identity's record of her
 * region). A request id makes a command idempotent: a retry answers the first outcome. The
 * member a command of her own is about is the caller herself (a member records only her time).
 */
export class TimeTrackingService {
  private readonly sheets: CommandHandler<TimesheetCommand, TimesheetEvent, Timesheet>;
  private readonly holdings: TaskHoldings;
  private readonly regions: MemberRegions;
  private readonly timesheets: Timesheets;
  private readonly now: Clock;
  private readonly texts: PersonalTexts;

  /** Its durable read models, for the ops API. */
  get readModels(): readonly DurableReadModel[] {
    return [this.holdings, this.regions, this.timesheets];
  }

  constructor(options: TimeTrackingServiceOptions) {
    this.sheets = new CommandHandler({ store: options.store, decider: timesheetDecider, upcast: TIMESHEET_UPCASTER });
    this.texts = options.texts;
    const readOptions = options.readStalenessMs !== undefined ? { maxStalenessMs: options.readStalenessMs } : {};
    this.holdings = new TaskHoldings(options.store, options.projections, readOptions);
    this.regions = new MemberRegions(options.store, options.projections, readOptions);
    this.timesheets = new Timesheets(options.store, options.projections, readOptions);
    this.now = options.now ?? systemClock;
  }

  /** A member starts her timer on a task she holds now. Answers the timer's start (the command's minute, rounded up). */
  async startWork(context: CommandContext, { taskId }: StartWorkInput): Promise<{ start: Date }> {
    const memberId = context.actor.id;
    const task = taskIdOf(taskId);
    await this.holdings.ensureFresh();
    const holding = this.holdings.holding(memberId, task);
    const at = this.now();
    const result = await this.run(context, memberId, () => ({
      type: 'StartWork',
      memberId,
      taskId: task,
      holding,
      by: context.actor,
      at,
    }));
    const started = eventOf(result, 'TimerStarted');
    if (started === undefined) throw new DomainError('time.no_timer', 'this request started no timer');
    return { start: new Date(started.data.start) };
  }

  /** A member stops her timer: the entry it records, or none when it ran less than a whole minute. */
  async stopWork(context: CommandContext): Promise<{ entry?: EntryView }> {
    const memberId = context.actor.id;
    const key = personsCommandId(context);
    await this.holdings.ensureFresh();
    const at = this.now();
    const result = await this.run(
      context,
      memberId,
      (sheet) => ({
        type: 'StopWork',
        memberId,
        entryId: entryIdForCommand(key),
        holding: sheet.timer === undefined ? undefined : this.holdings.holding(memberId, sheet.timer.taskId),
        by: context.actor,
        at,
      }),
      key,
    );
    const entry = recordedEntryOf(result);
    return entry === undefined ? {} : { entry };
  }

  /** A member discards her running timer: nothing is recorded. */
  async discardTimer(context: CommandContext): Promise<void> {
    const memberId = context.actor.id;
    await this.run(context, memberId, () => ({ type: 'DiscardTimer', memberId, by: context.actor }));
  }

  /** A member records a span afterwards, on a task she held for the whole span. */
  async recordSpan(context: CommandContext, input: RecordSpanInput): Promise<{ entry: EntryView }> {
    const memberId = context.actor.id;
    const taskId = taskIdOf(input.taskId);
    const key = personsCommandId(context);
    await this.holdings.ensureFresh();
    const holding = this.holdings.holding(memberId, taskId);
    const at = this.now();
    const result = await this.run(
      context,
      memberId,
      () => ({
        type: 'RecordSpan',
        memberId,
        entryId: entryIdForCommand(key),
        taskId,
        start: input.start,
        end: input.end,
        holding,
        by: context.actor,
        at,
      }),
      key,
    );
    const entry = recordedEntryOf(result);
    if (entry === undefined) throw new DomainError('time.entry_not_found', 'this request recorded no entry');
    return { entry };
  }

  /** The member, or a coordinator of her region, corrects an entry with a reason (an approved week it touches is reopened). */
  async correctEntry(context: CommandContext, input: CorrectEntryInput): Promise<{ reopenedWeeks: string[] }> {
    const memberId = memberIdOf(input.memberId);
    const entryId = entryIdOf(input.entryId);
    await Promise.all([this.holdings.ensureFresh(), this.regions.ensureFresh()]);
    const memberRegionId = this.regions.regionOf(memberId);
    const reason = await this.sealedReason(context, memberId, memberRegionId, input.reason, 'correct her time');
    const at = this.now();
    const result = await this.run(context, memberId, (sheet) => {
      const entry = entryOf(sheet, entryId);
      return {
        type: 'CorrectEntry',
        memberId,
        entryId,
        start: input.start,
        end: input.end,
        reason,
        holding: entry === undefined ? undefined : this.holdings.holding(memberId, entry.taskId),
        memberRegionId,
        by: context.actor,
        at,
      };
    });
    return { reopenedWeeks: reopenedWeeks(result) };
  }

  /** The member, or a coordinator of her region, deletes an entry with a reason (an approved week it was in is reopened). */
  async deleteEntry(context: CommandContext, input: DeleteEntryInput): Promise<{ reopenedWeeks: string[] }> {
    const memberId = memberIdOf(input.memberId);
    const entryId = entryIdOf(input.entryId);
    await this.regions.ensureFresh();
    const memberRegionId = this.regions.regionOf(memberId);
    const reason = await this.sealedReason(context, memberId, memberRegionId, input.reason, 'delete her time');
    const result = await this.run(context, memberId, () => ({
      type: 'DeleteEntry',
      memberId,
      entryId,
      reason,
      memberRegionId,
      by: context.actor,
    }));
    return { reopenedWeeks: reopenedWeeks(result) };
  }

  /**
   * A reason for a change of her time, checked and sealed with her key (identity) before any
   * event holds it; who may change her time is checked first, so nothing is sealed for
   * anyone else.
   */
  private async sealedReason(
    context: CommandContext,
    memberId: string,
    memberRegionId: string | undefined,
    reason: string,
    what: string,
  ) {
    requireSelfOrCoordinator(context.actor, memberId, memberRegionId, what);
    const [sealed] = await this.texts.seal(context, memberId, [checkReason(reason)]);
    return sealed!;
  }

  /** A member marks a task she holds done: that instant is when the cooperative received her work (answered). */
  async markTaskDone(context: CommandContext, { taskId }: StartWorkInput): Promise<{ at: Date }> {
    const memberId = context.actor.id;
    const task = taskIdOf(taskId);
    await this.holdings.ensureFresh();
    const holding = this.holdings.holding(memberId, task);
    const at = this.now();
    const result = await this.run(context, memberId, () => ({
      type: 'MarkTaskDone',
      memberId,
      taskId: task,
      holding,
      by: context.actor,
      at,
    }));
    const done = eventOf(result, 'TaskMarkedDone');
    if (done === undefined) throw new DomainError('time.already_done', 'this request marked nothing done');
    return { at: new Date(done.data.at) };
  }

  /** A coordinator of her region approves a member's week once it is over. */
  async approveWeek(context: CommandContext, input: ApproveWeekInput): Promise<ApprovalOutcome> {
    const memberId = memberIdOf(input.memberId);
    await this.regions.ensureFresh();
    const memberRegionId = this.regions.regionOf(memberId);
    const at = this.now();
    const result = await this.run(context, memberId, () => ({
      type: 'ApproveWeek',
      memberId,
      weekStart: input.weekStart,
      memberRegionId,
      by: context.actor,
      at,
    }));
    const approved = eventOf(result, 'WeekApproved');
    return {
      weekStart: input.weekStart,
      approvedEntries: approved?.data.entries.length ?? 0,
      alreadyApproved: approved === undefined,
    };
  }

  /**
   * A member's Tokyo week (entries in Tokyo time, minutes per Tokyo day, approval): for she
   * herself, a coordinator of her region, the accountant and operators.
   */
  async getWeek(context: CommandContext, query: GetWeekQuery = {}): Promise<WeekView> {
    const memberId = query.memberId === undefined ? context.actor.id : memberIdOf(query.memberId);
    const weekStart = query.weekStart ?? weekStartOf(this.now());
    const week = weekNamed(weekStart);
    if (week === undefined)
      throw new ValidationError('time.invalid_week', 'a week is named by its Monday (Asia/Tokyo), YYYY-MM-DD', {
        field: 'week_start',
      });
    if (memberId !== context.actor.id) await this.regions.ensureFresh();
    if (!mayViewSheet(context.actor, memberId, this.regions.regionOf(memberId)))
      throw new ForbiddenError('time.forbidden', 'you may not see this timesheet');
    await this.timesheets.ensureFresh();
    return weekView(memberId, this.timesheets.sheet(memberId), { weekStart, ...week });
  }

  /** The approved time of a region's jobs in a Tokyo month: operators, the accountant, a coordinator of the region. */
  async listApprovedTime(context: CommandContext, query: ApprovedTimeQuery): Promise<ApprovedTimeView> {
    const regionId = typeof query.regionId === 'string' ? query.regionId.trim() : '';
    if (regionId === '')
      throw new ValidationError('request.missing_field', 'region_id is required', { field: 'region_id' });
    const range = monthNamed(query.month);
    if (range === undefined)
      throw new ValidationError('time.invalid_month', 'a month is YYYY-MM (Asia/Tokyo)', { field: 'month' });
    if (!mayViewRegionTime(context.actor, regionId))
      throw new ForbiddenError('time.forbidden', 'you may not see this region’s time');
    await this.timesheets.ensureFresh();
    return approvedTimeIn(this.timesheets.all(), regionId, query.month, range);
  }

  /** Brings every read model up to date with the whole log now (tests; a rebuilt model starts here). */
  async refreshReadModels(): Promise<void> {
    await Promise.all(this.readModels.map((m) => m.catchUp()));
  }

  // ---- internals ----------------------------------------------------------------------------

  /**
   * A command on the member's sheet, built from its current state (a Decision: the state is read
   * once per attempt), known by the person's request id unless told otherwise; its events are
   * handed to the timesheets read model at once.
   */
  private async run(
    context: CommandContext,
    memberId: string,
    command: (sheet: Timesheet) => TimesheetCommand,
    commandId: string = personsCommandId(context),
  ): Promise<SheetResult> {
    const stream = timesheetStream(memberIdOf(memberId));
    const result = await this.sheets.handle(stream, (sheet) => timesheetDecider.decide(command(sheet), sheet), {
      context,
      commandId,
      now: this.now,
    });
    await this.timesheets.observe(result.events);
    return result;
  }
}
