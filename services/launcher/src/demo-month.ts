/**
 * The demo's month of work: the past Tokyo month of Fujisato, recorded through the services'
 * public gRPC APIs as its people would have done it, each step at its own simulated time (the
 * platform runs on a SimulatedClock that this workflow moves on, never back). It ends with every
 * member's weeks of the month approved, and the month left open: closing it is the one call a
 * user makes (CloseMonth, or the gateway's `POST /v1/regions/fujisato/settlements/<month>/close`).
 *
 *  1. The operator configures Fujisato's settlement: the cooperative entity (一般社団法人ふじさと
 *     協働センター, its corporate number with a valid check digit), its address in 藤里町, its bank
 *     account and Zengin requester code, a 15% margin, pay day the month's last day (31: with the
 *     two-month reading of フリーランス法 §4, the default, no payment of a month-end close is late).
 *     The accountant records one contractor's own invoice registration number.
 *  2. On the month's first weekday 白神ウッドワークス orders catalogue copy (writing, 請負, a fixed
 *     price; 源泉徴収 applies to its contractors) and 粕毛ふるさと観光 the entry of its visitor survey
 *     (data entry, 準委任, by the hour, local to Kasuge, whose data-entry members are パート
 *     employees: no withholding, the minimum wage checked). The coordinator quotes both, each
 *     business accepts, the plans are proposed, cut by the coordinator to the windows her members
 *     have, and confirmed; team scheduling assigns every task.
 *  3. The same day one writer hands a draft section off (her mother is in hospital): team
 *     scheduling gives it to the other writer.
 *  4. Through the month each member records the spans she worked on the tasks she held, as
 *     scheduled (a few finish a little early), and marks each task done as she finishes it.
 *  5. Each Monday morning the coordinator approves the past week of every member who worked
 *     in it; the week that runs into the next month is approved once it is over.
 *  6. When the last section is edited the coordinator delivers the copy, and 白神ウッドワークス
 *     inspects and accepts it two days later: billed in this month at its fee. The survey is
 *     delivered and accepted too; it is billed by its approved minutes.
 *
 * Every command carries a fixed request id. The workflow runs once per store, under the
 * launcher's demo guard (demo-seed.ts), on a platform of its own started on the simulated clock
 * (demo-history.ts).
 */
import { corporateRegistrationNumber } from '@workshare/eventsourcing';
import { createClient, type ServiceClient } from '@workshare/grpc';
import {
  identityV1,
  jobIntakeV1,
  moneyFromYen,
  settlementV1,
  taskDecompositionV1,
  teamSchedulingV1,
  timeTrackingV1,
} from '@workshare/proto';
import { addTokyoDays, tokyoDate, tokyoMonthOf, tokyoWeekOf, type SimulatedClock } from '@workshare/time';
import { cutToWindow } from './demo-jobs.js';

const { WorkCategory, PricingKind } = jobIntakeV1;
const { AssignmentStatus } = teamSchedulingV1;
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The region of the demo cooperative. */
export const DEMO_REGION = 'fujisato';

/** Who issues Fujisato's invoices and pays its members (invented: the registration number is on the 9901 registry office no office has). */
export const DEMO_SETTLEMENT = {
  issuerName: '一般社団法人ふじさと協働センター',
  corporateNumberBase: '990101000100',
  address: '秋田県山本郡藤里町藤琴 デモ番地100',
  bankCode: '9999',
  bankNameKana: 'デモギンコウ',
  branchCode: '001',
  branchNameKana: 'フジサト',
  accountNumber: '0000100',
  zenginRequesterCode: '0000012345',
  requesterNameKana: 'フジサトキョウドウセンター',
  marginBasisPoints: 1_500,
  /** The last day of the month after the close (31 is clamped to it). */
  payDay: 31,
  officePrefecture: 'akita',
} as const;

/** The contractor's own qualified-invoice registration number (invented, on the same registry office). */
export const DEMO_PAYEE_REGISTRATION_NUMBER = corporateRegistrationNumber('990199000001');

/** The fixed-price writing job: ¥90,000 for 900 minutes of work. */
const COPY = { feeYen: 90_000, estimatedMinutes: 900 } as const;
/** The hourly data-entry job: ¥1,200 an hour, 2,400 minutes estimated. */
const SURVEY = { hourlyRateYen: 1_200, estimatedMinutes: 2_400, windowMinutes: 40 } as const;

export interface DemoMonthPeriod {
  /** `YYYY-MM`, Asia/Tokyo. */
  readonly month: string;
  readonly year: number;
  readonly monthNumber: number;
  /** 00:00 Asia/Tokyo of its first day, and of the next month's. */
  readonly from: Date;
  readonly to: Date;
  /** Where the simulated clock starts: four days before the month, 10:00 in Tokyo (the cooperative's accounts are registered then). */
  readonly start: Date;
}

/** The Tokyo month before the one `reference` falls in: the demo's month. */
export const demoMonthOf = (reference: Date): DemoMonthPeriod => {
  const current = tokyoMonthOf(reference);
  const previous = tokyoMonthOf(new Date(current.from.getTime() - 1));
  return {
    month: `${previous.year}-${String(previous.month).padStart(2, '0')}`,
    year: previous.year,
    monthNumber: previous.month,
    from: previous.from,
    to: previous.to,
    start: new Date(addTokyoDays(previous.from, -4).getTime() + 10 * HOUR_MS),
  };
};

export interface DemoMonthAccounts {
  readonly password: string;
  readonly operatorEmail: string;
  readonly coordinatorEmail: string;
  readonly accountantEmail: string;
  /** The demo businesses' users and ids, in seed order (白神ウッドワークス, 藤琴川まいたけ, 粕毛ふるさと観光). */
  readonly businessUserEmails: readonly string[];
  readonly businessIds: readonly string[];
  /** Every demo member's email. */
  readonly memberEmails: readonly string[];
}

export interface DemoMonthOptions extends DemoMonthAccounts {
  readonly identityAddress: string;
  readonly jobIntakeAddress: string;
  readonly taskDecompositionAddress: string;
  readonly teamSchedulingAddress: string;
  readonly timeTrackingAddress: string;
  readonly settlementAddress: string;
  /** The platform's clock, at `period.start` or before; moved on by the workflow. */
  readonly clock: SimulatedClock;
  readonly period: DemoMonthPeriod;
  /** The real now: every step is before it (a week is approved only once it is over by then). */
  readonly until: Date;
  /** How long to wait for what the bus brings (a plan, a schedule; default 15 s). */
  readonly timeoutMs?: number;
}

export interface DemoMonthJob {
  readonly jobId: string;
  /** The business it bills. */
  readonly businessId: string;
  readonly title: string;
  readonly pricing: 'fixed_price' | 'hourly';
  readonly status: string;
}

export interface DemoMonthMember {
  readonly email: string;
  readonly memberId: string;
  readonly contractType: 'contractor' | 'employee';
  /** Her approved minutes in the month. */
  readonly minutes: number;
}

/** What the month holds, as printed. */
export interface DemoMonth {
  readonly regionId: string;
  /** `YYYY-MM`. */
  readonly month: string;
  readonly jobs: readonly DemoMonthJob[];
  readonly members: readonly DemoMonthMember[];
  readonly handOff?: { readonly taskId: string; readonly fromEmail: string; readonly toEmail: string };
  /** The contractor whose own registration number the accountant recorded. */
  readonly registeredPayeeEmail?: string;
  /** Approved minutes of the month, every member. */
  readonly approvedMinutes: number;
  /** The weeks approved (their Mondays). */
  readonly weeks: readonly string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Tokyo wall-clock time on a Tokyo day (`YYYY-MM-DD`, `HH:MM`). */
const tokyo = (day: string, time: string): Date => new Date(`${day}T${time}:00+09:00`);

/** The Tokyo day `days` after the one `instant` falls on. */
const tokyoDayAfter = (instant: Date, days: number): string => tokyoDate(addTokyoDays(instant, days));

/** That Tokyo day, or the Monday after when it is a Saturday or a Sunday. */
const weekdayFrom = (day: string): string => {
  const weekday = tokyo(day, '12:00').getUTCDay(); // 12:00 in Tokyo is the same day in UTC
  return weekday === 6
    ? tokyoDayAfter(tokyo(day, '12:00'), 2)
    : weekday === 0
      ? tokyoDayAfter(tokyo(day, '12:00'), 1)
      : day;
};

/**
 * A person signed in on the simulated clock: her access token while it is valid there (15
 * minutes), refreshed from her session (7 days) when it is not, a new login after that.
 */
class Person {
  private access: { token: string; until: number } | undefined;
  private refresh: { token: string; until: number } | undefined;
  subject = '';

  constructor(
    private readonly identity: ServiceClient<typeof identityV1.IdentityServiceService>,
    readonly email: string,
    private readonly password: string,
    private readonly clock: SimulatedClock,
  ) {}

  async token(): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.access !== undefined && this.access.until - MINUTE_MS > now) return this.access.token;
    const answer =
      this.refresh !== undefined && this.refresh.until - MINUTE_MS > now
        ? await this.identity.refresh({ refreshToken: this.refresh.token })
        : await this.identity.login({ email: this.email, password: this.password }).catch((error: unknown) => {
            throw Object.assign(error as Error, { message: `${(error as Error).message} (${this.email})` });
          });
    this.access = { token: answer.accessToken, until: answer.expiresAt?.getTime() ?? now };
    this.refresh = { token: answer.refreshToken, until: answer.refreshExpiresAt?.getTime() ?? now };
    this.subject = answer.caller?.subject ?? this.subject;
    return answer.accessToken;
  }

  /** Per-call settings with her token. */
  async as(): Promise<{ token: string }> {
    return { token: await this.token() };
  }
}

/** Polls `read` until it answers something, for what the bus brings; `what` names it in the error. */
const eventually = async <T>(what: string, timeoutMs: number, read: () => Promise<T | undefined>): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answer = await read().catch((error: unknown) => {
      if (Date.now() > until) throw error;
      return undefined;
    });
    if (answer !== undefined) return answer;
    if (Date.now() > until) throw new Error(`the demo month: ${what} did not come within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
};

/** One thing somebody does at an instant. */
interface Step {
  readonly at: Date;
  /** Orders steps of one instant. */
  readonly order: number;
  run(): Promise<void>;
}

export const seedDemoMonth = async (options: DemoMonthOptions): Promise<DemoMonth> => {
  const { clock, period, until } = options;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const identity = createClient(identityV1.IdentityServiceClient, options.identityAddress);
  const jobs = createClient(jobIntakeV1.JobIntakeServiceClient, options.jobIntakeAddress);
  const plans = createClient(taskDecompositionV1.TaskDecompositionServiceClient, options.taskDecompositionAddress);
  const schedules = createClient(teamSchedulingV1.TeamSchedulingServiceClient, options.teamSchedulingAddress);
  const time = createClient(timeTrackingV1.TimeTrackingServiceClient, options.timeTrackingAddress);
  const settlement = createClient(settlementV1.SettlementServiceClient, options.settlementAddress);
  const person = (email: string) => new Person(identity, email, options.password, clock);
  /** Moves the clock on to `at` (never back: a step planned earlier than now happens now). */
  const moveTo = (at: Date) => clock.set(new Date(Math.max(at.getTime(), clock.now().getTime())));

  try {
    const operator = person(options.operatorEmail);
    const coordinator = person(options.coordinatorEmail);
    const accountant = person(options.accountantEmail);
    const [woodworksUser, , kankoUser] = options.businessUserEmails.map(person);
    const [woodworksId, , kankoId] = options.businessIds;
    if (!woodworksUser || !kankoUser || !woodworksId || !kankoId)
      throw new Error('the demo month needs the first and third demo businesses and their users');
    const members = new Map<string, Person>();
    for (const email of options.memberEmails) {
      const member = person(email);
      await member.token();
      members.set(member.subject, member);
    }
    const emailOf = (memberId: string) => members.get(memberId)?.email ?? memberId;

    // 1. The region's settlement, by the operator; a contractor's own registration number, by the accountant.
    moveTo(new Date(period.start.getTime() + 30 * MINUTE_MS));
    const { members: roster } = await identity.listMembers({ region: DEMO_REGION }, await operator.as());
    const contractTypes = new Map(
      roster.map((m) => [
        m.member?.memberId ?? '',
        m.member?.contractType === identityV1.ContractType.CONTRACT_TYPE_EMPLOYEE ? 'employee' : 'contractor',
      ]),
    );
    const writers = roster
      .map((m) => m.member)
      .filter((m) => m !== undefined && m.skills.includes('writing') && contractTypes.get(m.memberId) === 'contractor');
    await settlement.configureRegion(
      {
        requestId: 'demo-month-settlement-config',
        config: {
          regionId: DEMO_REGION,
          issuerName: DEMO_SETTLEMENT.issuerName,
          registrationNumber: corporateRegistrationNumber(DEMO_SETTLEMENT.corporateNumberBase),
          address: DEMO_SETTLEMENT.address,
          payerAccount: {
            bankCode: DEMO_SETTLEMENT.bankCode,
            bankNameKana: DEMO_SETTLEMENT.bankNameKana,
            branchCode: DEMO_SETTLEMENT.branchCode,
            branchNameKana: DEMO_SETTLEMENT.branchNameKana,
            type: settlementV1.BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY,
            number: DEMO_SETTLEMENT.accountNumber,
          },
          zenginRequesterCode: DEMO_SETTLEMENT.zenginRequesterCode,
          requesterNameKana: DEMO_SETTLEMENT.requesterNameKana,
          marginBasisPoints: DEMO_SETTLEMENT.marginBasisPoints,
          payDay: DEMO_SETTLEMENT.payDay,
          invoiceRounding: settlementV1.RoundingRule.ROUNDING_RULE_FLOOR,
          payTimingReading: settlementV1.PayTimingReading.PAY_TIMING_READING_TWO_MONTHS,
          officePrefecture: DEMO_SETTLEMENT.officePrefecture,
        },
      },
      await operator.as(),
    );
    // The writer of Kasuge (the last registered) has her own registration number; the other has none.
    const registered = writers.at(-1);
    if (registered !== undefined)
      await settlement.registerPayee(
        {
          requestId: 'demo-month-payee',
          memberId: registered.memberId,
          invoiceRegistrationNumber: DEMO_PAYEE_REGISTRATION_NUMBER,
        },
        await accountant.as(),
      );

    // Team scheduling learns the members from identity's events over the bus.
    for (const memberId of members.keys())
      await eventually(`team scheduling's crew ${memberId}`, timeoutMs, async () =>
        schedules
          .getMemberSchedule({ memberId, from: period.from, to: period.to }, await coordinator.as())
          .then(() => true),
      );

    // 2. The month's first weekday: two jobs ordered, quoted, accepted, planned and scheduled.
    const firstWeekday = weekdayFrom(tokyoDate(period.from));
    // Work may run to the month's end when the week crossing into the next month is over by
    // `until` (its approval then is before the real now); otherwise it stops before that week.
    const lastWeek = tokyoWeekOf(new Date(period.to.getTime() - 1));
    const approvalOf = (weekEnd: Date): Date | undefined => {
      const at = new Date(Math.min(weekEnd.getTime() + 9 * HOUR_MS, until.getTime() - 5 * MINUTE_MS));
      return at.getTime() >= weekEnd.getTime() ? at : undefined;
    };
    const workUntil =
      lastWeek.to.getTime() <= period.to.getTime() || approvalOf(lastWeek.to) !== undefined ? period.to : lastWeek.from;
    const copyDeadline = tokyo(tokyoDayAfter(period.from, 19), '18:00');
    const surveyDeadline = new Date(workUntil.getTime() - 6 * HOUR_MS); // 18:00 of the last working day

    moveTo(tokyo(firstWeekday, '09:00'));
    const copy = await jobs.submitJob(
      {
        requestId: 'demo-month-copy',
        businessId: woodworksId,
        title: '木工製品カタログの紹介文 (catalogue copy)',
        description: '新しい製品カタログに載せる 24 点の紹介文と、工房の紹介ページを書く。',
        workCategory: WorkCategory.WORK_CATEGORY_WRITING,
        pricing: { kind: PricingKind.PRICING_KIND_FIXED_PRICE },
        amount: moneyFromYen(COPY.feeYen),
        deadline: copyDeadline,
        regionId: DEMO_REGION,
        localOnlyTownId: '',
        skills: ['writing'],
      },
      await woodworksUser.as(),
    );
    const survey = await jobs.submitJob(
      {
        requestId: 'demo-month-survey',
        businessId: kankoId,
        title: '観光アンケートの入力 (visitor survey data entry)',
        description:
          '粕毛を訪れた方のアンケート用紙 (手書き) を表計算シートに入力する。地名が多いため粕毛在住の方に限る。',
        workCategory: WorkCategory.WORK_CATEGORY_DATA_ENTRY,
        pricing: { kind: PricingKind.PRICING_KIND_HOURLY, hourlyRate: moneyFromYen(SURVEY.hourlyRateYen) },
        amount: moneyFromYen((SURVEY.hourlyRateYen * SURVEY.estimatedMinutes) / 60),
        deadline: surveyDeadline,
        regionId: DEMO_REGION,
        localOnlyTownId: `${DEMO_REGION}/kasuge`,
        skills: ['data entry'],
      },
      await kankoUser.as(),
    );
    moveTo(tokyo(firstWeekday, '09:15'));
    await jobs.quoteJob(
      {
        requestId: 'demo-month-copy-quote',
        jobId: copy.jobId,
        amount: moneyFromYen(COPY.feeYen),
        estimatedMinutes: COPY.estimatedMinutes,
        deliveryDate: copyDeadline,
        note: '構成案、24 点の本文、最後に全体の推敲をします。',
      },
      await coordinator.as(),
    );
    await jobs.quoteJob(
      {
        requestId: 'demo-month-survey-quote',
        jobId: survey.jobId,
        amount: moneyFromYen((SURVEY.hourlyRateYen * SURVEY.estimatedMinutes) / 60),
        estimatedMinutes: SURVEY.estimatedMinutes,
        deliveryDate: surveyDeadline,
        note: '時間単価 1,200 円、入力した時間で毎月ご請求します。',
      },
      await coordinator.as(),
    );
    moveTo(tokyo(firstWeekday, '09:30'));
    await jobs.acceptQuote({ requestId: 'demo-month-copy-accept', jobId: copy.jobId }, await woodworksUser.as());
    await jobs.acceptQuote({ requestId: 'demo-month-survey-accept', jobId: survey.jobId }, await kankoUser.as());

    // JobAccepted reaches task decomposition over the bus; the coordinator cuts the survey's tasks
    // to the 40-minute windows of Kasuge's data-entry members and confirms both plans.
    moveTo(tokyo(firstWeekday, '09:45'));
    for (const [jobId, key, window] of [
      [copy.jobId, 'copy', undefined],
      [survey.jobId, 'survey', SURVEY.windowMinutes],
    ] as const) {
      const plan = await eventually(`the plan of ${key}`, timeoutMs, async () =>
        plans.getPlan({ jobId }, await coordinator.as()).then((answer) => answer.plan),
      );
      if (plan.status !== taskDecompositionV1.PlanStatus.PLAN_STATUS_PROPOSED) continue;
      const revised =
        window === undefined
          ? plan
          : ((
              await plans.revisePlan(
                {
                  requestId: `demo-month-${key}-revise`,
                  jobId,
                  tasks: cutToWindow(plan.tasks, window),
                  expectedVersion: plan.version,
                },
                await coordinator.as(),
              )
            ).plan ?? plan);
      await plans.confirmPlan(
        { requestId: `demo-month-${key}-plan`, jobId, expectedVersion: revised.version },
        await coordinator.as(),
      );
    }
    const scheduled = async (jobId: string) =>
      eventually(`the schedule of ${jobId}`, timeoutMs, async () => {
        const { tasks } = await schedules.getJobSchedule({ jobId }, await coordinator.as());
        return tasks.length > 0 && tasks.every((t) => t.status !== AssignmentStatus.ASSIGNMENT_STATUS_WAITING)
          ? tasks
          : undefined;
      });
    await scheduled(copy.jobId);
    await scheduled(survey.jobId);

    // 4-6. The month as it went, step by step in time: a queue of what people do, each at its instant.
    const queue: Step[] = [];
    const holderOf = new Map<string, string>();
    const openTasks = new Map<string, Set<string>>([
      [copy.jobId, new Set()],
      [survey.jobId, new Set()],
    ]);
    const weeks = new Map<string, Set<string>>();
    let worked = 0;
    /** A member's work on a task she holds: the span at its end, then the task marked done. */
    const planWork = (task: teamSchedulingV1.ScheduledTask): void => {
      const start = task.span?.start;
      const planned = task.span?.end;
      const worker = members.get(task.memberId);
      if (start === undefined || planned === undefined || worker === undefined) return;
      if (planned.getTime() > workUntil.getTime()) return;
      holderOf.set(task.taskId, task.memberId);
      openTasks.get(task.jobId)?.add(task.taskId);
      // Most finish in the time planned; every fifth a little early.
      const end = new Date(planned.getTime() - (worked++ % 5 === 4 ? 5 * MINUTE_MS : 0));
      const week = tokyoWeekOf(start);
      const weekStart = tokyoDate(week.from);
      if (!weeks.has(weekStart)) {
        weeks.set(weekStart, new Set());
        const at = approvalOf(week.to);
        if (at !== undefined) queue.push({ at, order: 1, run: () => approve(weekStart) });
      }
      weeks.get(weekStart)!.add(task.memberId);
      queue.push({
        at: end,
        order: 0,
        run: async () => {
          if (holderOf.get(task.taskId) !== task.memberId) return; // handed off meanwhile
          await time.recordSpan(
            { requestId: `demo-month-span-${task.taskId}`, taskId: task.taskId, start, end },
            await worker.as(),
          );
          await time.markTaskDone(
            { requestId: `demo-month-done-${task.taskId}`, taskId: task.taskId },
            await worker.as(),
          );
          const open = openTasks.get(task.jobId)!;
          open.delete(task.taskId);
          if (open.size === 0) planDelivery(task.jobId, end);
        },
      });
    };
    const approved: string[] = [];
    const approve = async (weekStart: string): Promise<void> => {
      for (const memberId of [...(weeks.get(weekStart) ?? [])].sort())
        await time.approveWeek(
          { requestId: `demo-month-approve-${weekStart}-${memberId}`, memberId, weekStart },
          await coordinator.as(),
        );
      approved.push(weekStart);
    };
    /**
     * Delivered the next weekday morning after the last task; the copy inspected (accepted) two
     * days later (a weekday), the survey that afternoon: in the month, or not at all.
     */
    const planDelivery = (jobId: string, lastEnd: Date): void => {
      const [key, business, inspectAfterDays] =
        jobId === copy.jobId ? ['copy', woodworksUser, 2] : ['survey', kankoUser, 0];
      const delivered = tokyo(weekdayFrom(tokyoDayAfter(lastEnd, 1)), '10:00');
      const inspected = tokyo(weekdayFrom(tokyoDayAfter(delivered, inspectAfterDays)), '15:00');
      if (inspected.getTime() >= Math.min(period.to.getTime(), until.getTime())) return;
      queue.push({
        at: delivered,
        order: 2,
        run: async () => {
          await jobs.deliverJob(
            { requestId: `demo-month-${key}-deliver`, jobId, note: '納品します。ご確認ください。' },
            await coordinator.as(),
          );
        },
      });
      queue.push({
        at: inspected,
        order: 3,
        run: async () => {
          await jobs.inspectJob(
            { requestId: `demo-month-${key}-inspect`, jobId, accepted: true, reason: '' },
            await business.as(),
          );
        },
      });
    };
    const assigned = (tasks: readonly teamSchedulingV1.ScheduledTask[]) =>
      tasks
        .filter((t) => t.status === AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED && t.span?.start !== undefined)
        .sort((a, b) => a.span!.start!.getTime() - b.span!.start!.getTime() || a.taskId.localeCompare(b.taskId));
    const copyTasks = assigned(await scheduled(copy.jobId));
    for (const task of [...copyTasks, ...assigned(await scheduled(survey.jobId))]) planWork(task);

    // 3. Two days before the copy's last task (the edit, on which no other waits), its holder
    // hands it off (her mother is in hospital): team scheduling gives it to the other writer.
    let handOff: DemoMonth['handOff'];
    const edit = copyTasks.at(-1);
    const editor = edit ? members.get(edit.memberId) : undefined;
    if (edit?.span?.start !== undefined && editor !== undefined) {
      const at = tokyo(tokyoDayAfter(edit.span.start, -2), '12:00');
      queue.push({
        at,
        order: 0,
        run: async () => {
          const { task } = await schedules.handOffTask(
            {
              requestId: 'demo-month-hand-off',
              taskId: edit.taskId,
              reason: '母が入院したため (her mother is in hospital)',
              progressNote: '推敲の方針を共有フォルダのメモに残しました (notes on the edit left in the shared folder)',
            },
            await editor.as(),
          );
          holderOf.delete(edit.taskId);
          if (task === undefined || task.status !== AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED) return;
          handOff = { taskId: edit.taskId, fromEmail: editor.email, toEmail: emailOf(task.memberId) };
          planWork(task);
        },
      });
    }

    for (;;) {
      queue.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
      const step = queue.shift();
      if (step === undefined || step.at.getTime() >= until.getTime()) break;
      moveTo(step.at);
      await step.run();
    }

    // What the month holds now, as time tracking answers it.
    const { members: minutes, totalMinutes } = await time.listApprovedTime(
      { regionId: DEMO_REGION, month: period.month },
      await coordinator.as(),
    );
    const statusOf = async (jobId: string, pricing: DemoMonthJob['pricing']): Promise<DemoMonthJob> => {
      const { job } = await jobs.getJob({ jobId }, await coordinator.as());
      return {
        jobId,
        businessId: job?.businessId ?? '',
        title: job?.title ?? '',
        pricing,
        status: jobIntakeV1
          .jobStatusToJSON(job?.status ?? jobIntakeV1.JobStatus.JOB_STATUS_UNSPECIFIED)
          .replace('JOB_STATUS_', '')
          .toLowerCase(),
      };
    };
    return {
      regionId: DEMO_REGION,
      month: period.month,
      jobs: [await statusOf(copy.jobId, 'fixed_price'), await statusOf(survey.jobId, 'hourly')],
      members: minutes.map((m) => ({
        email: emailOf(m.memberId),
        memberId: m.memberId,
        contractType: (contractTypes.get(m.memberId) ?? 'contractor') as DemoMonthMember['contractType'],
        minutes: m.minutes,
      })),
      ...(handOff ? { handOff } : {}),
      ...(registered ? { registeredPayeeEmail: emailOf(registered.memberId) } : {}),
      approvedMinutes: totalMinutes,
      weeks: approved.sort(),
    };
  } finally {
    for (const client of [identity, jobs, plans, schedules, time, settlement]) client.close();
  }
};

export interface DemoMonthBanner {
  readonly month: DemoMonth;
  /** The gateway's base URL. */
  readonly gatewayUrl: string;
  /** Settlement's gRPC address. */
  readonly settlementAddress: string;
  readonly coordinatorEmail: string;
  readonly accountantEmail: string;
  readonly password: string;
}

const login = (gatewayUrl: string, variable: string, email: string, password: string): string =>
  `    ${variable}=$(curl -s ${gatewayUrl}/v1/auth/login -H 'content-type: application/json' -d '${JSON.stringify({ email, password })}' | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).accessToken')`;

/**
 * What the launcher prints of the demo's month: its jobs, hand-off and approved time, then the
 * one call that closes it (the gateway's, or settlement's gRPC CloseMonth) and the downloads of
 * its files by the accountant.
 */
export const demoMonthLines = (banner: DemoMonthBanner): string[] => {
  const { month, gatewayUrl } = banner;
  const base = `${gatewayUrl}/v1/regions/${month.regionId}/settlements/${month.month}`;
  const download = (path: string) => `    curl -s -OJ -H "authorization: Bearer $ACCOUNTANT" ${base}/${path}`;
  const billed = [...new Set(month.jobs.map((j) => j.businessId).filter((id) => id !== ''))];
  const statement = month.members.find((m) => m.email === month.registeredPayeeEmail) ?? month.members[0];
  return [
    '',
    `The demo's past month, ${month.month} in Fujisato, recorded at its own times: approved, not closed.`,
    ...month.jobs.map(
      (j) =>
        `  ${j.jobId}  ${j.status.padEnd(12)} ${j.title} (${j.pricing === 'hourly' ? 'hourly, 準委任' : 'fixed price, 請負'})`,
    ),
    ...(month.handOff
      ? [
          `  hand-off: ${month.handOff.fromEmail} (her mother in hospital) → ${month.handOff.toEmail}, task ${month.handOff.taskId}`,
        ]
      : []),
    `  approved: ${month.approvedMinutes.toLocaleString('en')} minutes in the weeks of ${month.weeks.join(', ')}`,
    ...month.members.map(
      (m) =>
        `    ${m.email.padEnd(42)} ${m.contractType.padEnd(10)} ${String(m.minutes).padStart(5)} min${m.email === month.registeredPayeeEmail ? '  (her own registration number recorded)' : ''}`,
    ),
    '  Close it, one call (the coordinator or an operator):',
    login(gatewayUrl, 'TOKEN', banner.coordinatorEmail, banner.password),
    `    curl -s -X POST ${base}/close -H "authorization: Bearer $TOKEN"`,
    `    (or gRPC: grpcurl -plaintext -H "authorization: Bearer $TOKEN" -d '${JSON.stringify({ requestId: `close-${month.month}`, regionId: month.regionId, month: month.month })}' ${banner.settlementAddress} workshare.settlement.v1.SettlementService/CloseMonth)`,
    '  Then its files (the accountant):',
    login(gatewayUrl, 'ACCOUNTANT', banner.accountantEmail, banner.password),
    download('zengin.txt'),
    download('journals/freee.csv'),
    download('journals/money_forward.csv'),
    download('journals/yayoi.csv'),
    download('payroll.csv'),
    download('settlement.json'),
    ...billed.map((businessId) => download(`invoices/${businessId}.pdf`)),
    ...(statement ? [download(`statements/${statement.memberId}.pdf`)] : []),
  ];
};
