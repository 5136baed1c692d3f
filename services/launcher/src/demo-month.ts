/**
 * A demo month of work: a past Tokyo month of Fujisato, recorded through the services' public
 * gRPC APIs as its people would have done it, each step at its own simulated time (the platform
 * runs on a SimulatedClock that this workflow moves on, never back). It ends with every member's
 * weeks of the month approved; the month is then closed by the coordinator (the demo's earlier
 * month, `close`), or left open: closing it is the one call a user makes (CloseMonth, or the
 * gateway's `POST /v1/regions/fujisato/settlements/<month>/close`). The demo's history records two
 * (demo-history.ts): the month before last, closed, and the last, open.
 *
 *  1. (The first month only, `configure`.) The operator configures Fujisato's settlement: the cooperative entity (一般社団法人ふじさと
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
 *     With `newcomer`, the coordinator registers a new data-entry member of Kasuge at the month's
 *     start, who works on the survey and, later in the month, hands one of her tasks off (her
 *     child has a fever): team scheduling gives it to another member of Kasuge.
 *  3. Two days before the copy's last task one writer hands it off (her mother is in hospital):
 *     team scheduling gives it to the other writer.
 *  4. Through the month each member records the spans she worked on the tasks she held, as
 *     scheduled (a few finish a little early), and marks each task done as she finishes it. One
 *     member corrects a span that evening (she had entered the end of her work wrong): the
 *     correction, with its reason, is an event of her timesheet, before and after.
 *  5. Each Monday morning the coordinator approves the past week of every member who worked
 *     in it; the week that runs into the next month is approved once it is over.
 *  6. When the last section is edited the coordinator delivers the copy, and 白神ウッドワークス
 *     inspects and accepts it two days later: billed in this month at its fee. The survey is
 *     delivered and accepted too; it is billed by its approved minutes.
 *  7. With `close`, half an hour after the last approval (at 09:30 of the next month's first
 *     weekday at the earliest) the coordinator closes the month
 *     (CloseMonth: its invoices, statements, transfers and journals, a seal of the log at the
 *     close). Then the newcomer, who is leaving the cooperative, asks to be forgotten: an
 *     operator forgets her (ForgetMember), and her name and her free texts show redacted from then
 *     on, in the closed month's history too.
 *
 * Every command carries a fixed request id (prefixed by the month's `key`). The workflow runs once per store, under the
 * launcher's demo guard (demo-seed.ts), on a platform of its own started on the simulated clock
 * (demo-history.ts).
 */
import { corporateRegistrationNumber, DomainError } from '@workshare/eventsourcing';
import { createClient, type ServiceClient } from '@workshare/grpc';
import {
  commonV1,
  identityV1,
  jobIntakeV1,
  moneyFromYen,
  settlementV1,
  taskDecompositionV1,
  teamSchedulingV1,
  timeTrackingV1,
  yenFromMoney,
} from '@workshare/proto';
import { addTokyoDays, tokyoDate, tokyoMonthOf, tokyoWeekOf, type SimulatedClock } from '@workshare/time';
import { cutToWindow } from './demo-jobs.js';

const { WorkCategory, PricingKind } = jobIntakeV1;
const { AssignmentStatus } = teamSchedulingV1;
const { DayOfWeek } = commonV1;
const WEEKDAYS = [
  DayOfWeek.DAY_OF_WEEK_MONDAY,
  DayOfWeek.DAY_OF_WEEK_TUESDAY,
  DayOfWeek.DAY_OF_WEEK_WEDNESDAY,
  DayOfWeek.DAY_OF_WEEK_THURSDAY,
  DayOfWeek.DAY_OF_WEEK_FRIDAY,
] as const;
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

/** A month's two jobs: a fixed-price writing job of 白神ウッドワークス, an hourly data-entry job of 粕毛ふるさと観光. */
export interface DemoMonthWork {
  readonly copy: {
    readonly title: string;
    readonly description: string;
    readonly feeYen: number;
    readonly estimatedMinutes: number;
  };
  readonly survey: {
    readonly title: string;
    readonly description: string;
    readonly hourlyRateYen: number;
    readonly estimatedMinutes: number;
  };
}

/** The last month's work: ¥90,000 for 900 minutes of writing; ¥1,200 an hour for 2,400 minutes of data entry. */
export const DEMO_MONTH_WORK: DemoMonthWork = {
  copy: {
    title: '木工製品カタログの紹介文 (catalogue copy)',
    description: '新しい製品カタログに載せる 24 点の紹介文と、工房の紹介ページを書く。',
    feeYen: 90_000,
    estimatedMinutes: 900,
  },
  survey: {
    title: '観光アンケートの入力 (visitor survey data entry)',
    description: '粕毛を訪れた方のアンケート用紙 (手書き) を表計算シートに入力する。地名が多いため粕毛在住の方に限る。',
    hourlyRateYen: 1_200,
    estimatedMinutes: 2_400,
  },
};

/** The month before's work, smaller: ¥60,000 for 600 minutes of writing; ¥1,200 an hour for 1,200 minutes of data entry. */
export const DEMO_EARLIER_MONTH_WORK: DemoMonthWork = {
  copy: {
    title: '工房見学ツアーの案内文 (workshop tour leaflet copy)',
    description: '工房見学ツアーの案内リーフレットの本文 (行程、見どころ、申込方法) を書く。',
    feeYen: 60_000,
    estimatedMinutes: 600,
  },
  survey: {
    title: '宿泊者アンケートの入力 (guest survey data entry)',
    description: '粕毛の宿に泊まった方のアンケート用紙を表計算シートに入力する。粕毛在住の方に限る。',
    hourlyRateYen: 1_200,
    estimatedMinutes: 1_200,
  },
};

/** The survey's tasks are cut to the 40-minute windows of Kasuge's data-entry members. */
const SURVEY_WINDOW_MINUTES = 40;

/** The member who joins in the earlier month, hands a task off, and is forgotten after its close. */
export const DEMO_NEWCOMER = {
  name: '長谷川 葵',
  kana: 'ハセガワ アオイ',
  email: 'aoi.hasegawa@fujisato.example',
  town: 'kasuge',
  address: '秋田県山本郡藤里町粕毛 デモ番地13',
  bankAccountNumber: '1000013',
  /** Weekdays 19:00-20:00 in Tokyo. */
  window: { start: '19:00', end: '20:00' },
  handOffReason: '子どもが熱を出したため (her child has a fever)',
  handOffNote: '入力済みの用紙に付箋を付けました (sticky notes on the sheets already entered)',
  forgetReason: 'left the cooperative and asked to be forgotten',
} as const;

/** The reason of the demo's one correction of a span each month. */
export const DEMO_CORRECTION_REASON = '終了時刻の入力違い (the end of the work was entered wrong)';

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

/**
 * The demo's two months, the Tokyo months before the one `reference` falls in: the month before
 * last, which the demo closes, and the last, which it leaves open for the user to close.
 */
export const demoMonthsOf = (reference: Date): { readonly closed: DemoMonthPeriod; readonly open: DemoMonthPeriod } => {
  const open = demoMonthOf(reference);
  return { closed: demoMonthOf(open.from), open };
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
  /** Prefix of every request id (default `demo-month`): one per month recorded on a store. */
  readonly key?: string;
  /** The operator configures the region's settlement and the accountant records a payee's number (default true): in the first month. */
  readonly configure?: boolean;
  /** The month's two jobs (default DEMO_MONTH_WORK). */
  readonly work?: DemoMonthWork;
  /** A member registered at the month's start who hands a task off, forgotten after the close (DEMO_NEWCOMER). */
  readonly newcomer?: boolean;
  /** The coordinator closes the month once its last week is approved; then the newcomer is forgotten. */
  readonly close?: boolean;
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
  /** The span corrected (with DEMO_CORRECTION_REASON): whose, which entry, when, before and after. */
  readonly correction?: {
    readonly email: string;
    readonly memberId: string;
    readonly entryId: string;
    readonly at: string;
    readonly before: { readonly start: string; readonly end: string };
    readonly after: { readonly start: string; readonly end: string };
  };
  /** The newcomer: her task handed off (with DEMO_NEWCOMER.handOffReason), and when she was forgotten (after the close). */
  readonly newcomer?: {
    readonly memberId: string;
    readonly email: string;
    readonly handOff?: {
      readonly taskId: string;
      readonly jobId: string;
      readonly at: string;
      readonly toEmail: string;
    };
    readonly forgottenAt?: string;
  };
  /** The close, when this run closed the month. */
  readonly closed?: {
    readonly closedAt: string;
    readonly billedYen: number;
    readonly taxYen: number;
    readonly payableYen: number;
    readonly invoiceCount: number;
    readonly statementCount: number;
  };
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

/**
 * Runs `call` again while time tracking answers that she does not hold the task yet: its record
 * of who holds what follows team scheduling's published events (a durable read model catching
 * up in real time, while the simulated clock may have moved on in an instant, as after a
 * hand-off). A refused call stores nothing, so asking again is safe.
 */
const onceHeld = async <T>(what: string, timeoutMs: number, call: () => Promise<T>): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'time.task_not_held' || Date.now() > until) {
        if (error instanceof Error) error.message = `${error.message} (the demo month: ${what})`;
        throw error;
      }
    }
    await sleep(100);
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
  const prefix = options.key ?? 'demo-month';
  const work = options.work ?? DEMO_MONTH_WORK;
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
    let newcomer: Person | undefined;
    if (options.newcomer === true) {
      // A new member of Kasuge, registered by the coordinator: she works on the survey this month.
      const { memberId } = await identity.registerMember(
        {
          requestId: `${prefix}-newcomer`,
          region: DEMO_REGION,
          town: DEMO_NEWCOMER.town,
          officePrefecture: '',
          contractType: identityV1.ContractType.CONTRACT_TYPE_EMPLOYEE,
          skills: ['data entry'],
          availability: WEEKDAYS.map((dayOfWeek) => ({ dayOfWeek, ...DEMO_NEWCOMER.window })),
          personalData: {
            name: DEMO_NEWCOMER.name,
            address: DEMO_NEWCOMER.address,
            email: DEMO_NEWCOMER.email,
            bankAccount: {
              bankCode: '9999',
              branchCode: '002',
              accountType: identityV1.BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY,
              accountNumber: DEMO_NEWCOMER.bankAccountNumber,
              holderNameKana: DEMO_NEWCOMER.kana,
            },
          },
          password: options.password,
        },
        await coordinator.as(),
      );
      newcomer = person(DEMO_NEWCOMER.email);
      await newcomer.token();
      members.set(memberId, newcomer);
    }
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
    if (options.configure !== false)
      await settlement.configureRegion(
        {
          requestId: `${prefix}-settlement-config`,
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
    if (registered !== undefined && options.configure !== false)
      await settlement.registerPayee(
        {
          requestId: `${prefix}-payee`,
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
        requestId: `${prefix}-copy`,
        businessId: woodworksId,
        title: work.copy.title,
        description: work.copy.description,
        workCategory: WorkCategory.WORK_CATEGORY_WRITING,
        pricing: { kind: PricingKind.PRICING_KIND_FIXED_PRICE },
        amount: moneyFromYen(work.copy.feeYen),
        deadline: copyDeadline,
        regionId: DEMO_REGION,
        localOnlyTownId: '',
        skills: ['writing'],
      },
      await woodworksUser.as(),
    );
    const survey = await jobs.submitJob(
      {
        requestId: `${prefix}-survey`,
        businessId: kankoId,
        title: work.survey.title,
        description: work.survey.description,
        workCategory: WorkCategory.WORK_CATEGORY_DATA_ENTRY,
        pricing: { kind: PricingKind.PRICING_KIND_HOURLY, hourlyRate: moneyFromYen(work.survey.hourlyRateYen) },
        amount: moneyFromYen((work.survey.hourlyRateYen * work.survey.estimatedMinutes) / 60),
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
        requestId: `${prefix}-copy-quote`,
        jobId: copy.jobId,
        amount: moneyFromYen(work.copy.feeYen),
        estimatedMinutes: work.copy.estimatedMinutes,
        deliveryDate: copyDeadline,
        note: '構成案、本文、最後に全体の推敲をします。',
      },
      await coordinator.as(),
    );
    await jobs.quoteJob(
      {
        requestId: `${prefix}-survey-quote`,
        jobId: survey.jobId,
        amount: moneyFromYen((work.survey.hourlyRateYen * work.survey.estimatedMinutes) / 60),
        estimatedMinutes: work.survey.estimatedMinutes,
        deliveryDate: surveyDeadline,
        note: '時間単価 1,200 円、入力した時間で毎月ご請求します。',
      },
      await coordinator.as(),
    );
    moveTo(tokyo(firstWeekday, '09:30'));
    await jobs.acceptQuote({ requestId: `${prefix}-copy-accept`, jobId: copy.jobId }, await woodworksUser.as());
    await jobs.acceptQuote({ requestId: `${prefix}-survey-accept`, jobId: survey.jobId }, await kankoUser.as());

    // JobAccepted reaches task decomposition over the bus; the coordinator cuts the survey's tasks
    // to the 40-minute windows of Kasuge's data-entry members and confirms both plans.
    moveTo(tokyo(firstWeekday, '09:45'));
    for (const [jobId, key, window] of [
      [copy.jobId, 'copy', undefined],
      [survey.jobId, 'survey', SURVEY_WINDOW_MINUTES],
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
                  requestId: `${prefix}-${key}-revise`,
                  jobId,
                  tasks: cutToWindow(plan.tasks, window),
                  expectedVersion: plan.version,
                },
                await coordinator.as(),
              )
            ).plan ?? plan);
      await plans.confirmPlan(
        { requestId: `${prefix}-${key}-plan`, jobId, expectedVersion: revised.version },
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
    /** The task whose span is corrected that evening, and what the correction did. */
    const corrected: { taskId?: string } = {};
    let correction: DemoMonth['correction'];
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
      queue.push({
        at: end,
        order: 0,
        run: async () => {
          if (holderOf.get(task.taskId) !== task.memberId) return; // handed off meanwhile
          const { entry } = await onceHeld(`${worker.email}'s span of ${task.taskId}`, timeoutMs, async () =>
            time.recordSpan(
              { requestId: `${prefix}-span-${task.taskId}`, taskId: task.taskId, start, end },
              await worker.as(),
            ),
          );
          weeks.get(weekStart)!.add(task.memberId); // her time in the week, for its approval
          if (task.taskId === corrected.taskId && entry !== undefined)
            queue.push({
              at: new Date(end.getTime() + 3 * HOUR_MS),
              order: 0,
              run: async () => {
                // That evening she sees she entered the end wrong: ten minutes earlier.
                const corrected = new Date(end.getTime() - 10 * MINUTE_MS);
                await onceHeld(`${worker.email}'s correction`, timeoutMs, async () =>
                  time.correctEntry(
                    {
                      requestId: `${prefix}-correction`,
                      memberId: task.memberId,
                      entryId: entry.entryId,
                      start,
                      end: corrected,
                      reason: DEMO_CORRECTION_REASON,
                    },
                    await worker.as(),
                  ),
                );
                correction = {
                  email: worker.email,
                  memberId: task.memberId,
                  entryId: entry.entryId,
                  at: clock.now().toISOString(),
                  before: { start: start.toISOString(), end: end.toISOString() },
                  after: { start: start.toISOString(), end: corrected.toISOString() },
                };
              },
            });
          await time.markTaskDone(
            { requestId: `${prefix}-done-${task.taskId}`, taskId: task.taskId },
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
          { requestId: `${prefix}-approve-${weekStart}-${memberId}`, memberId, weekStart },
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
            { requestId: `${prefix}-${key}-deliver`, jobId, note: '納品します。ご確認ください。' },
            await coordinator.as(),
          );
        },
      });
      queue.push({
        at: inspected,
        order: 3,
        run: async () => {
          await jobs.inspectJob(
            { requestId: `${prefix}-${key}-inspect`, jobId, accepted: true, reason: '' },
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
    const surveyTasks = assigned(await scheduled(survey.jobId));
    const newcomerId = newcomer?.subject;
    // The third survey task of a member of the team (not the newcomer's) is the one corrected.
    corrected.taskId = surveyTasks.filter((t) => t.memberId !== newcomerId)[2]?.taskId;
    for (const task of [...copyTasks, ...surveyTasks]) planWork(task);

    // 2b. Halfway through her tasks, the day before one, the newcomer hands it off (her child has
    // a fever): team scheduling gives it to another member of Kasuge.
    let newcomerHandOff: NonNullable<DemoMonth['newcomer']>['handOff'];
    if (newcomer !== undefined) {
      const hers = surveyTasks.filter((t) => t.memberId === newcomerId);
      const given = hers[Math.floor(hers.length / 2)];
      if (given?.span?.start === undefined)
        throw new Error('the demo month: team scheduling gave the newcomer no task of the survey');
      const by = newcomer;
      queue.push({
        at: tokyo(tokyoDayAfter(given.span.start, -1), '12:00'),
        order: 0,
        run: async () => {
          const { task } = await schedules.handOffTask(
            {
              requestId: `${prefix}-newcomer-hand-off`,
              taskId: given.taskId,
              reason: DEMO_NEWCOMER.handOffReason,
              progressNote: DEMO_NEWCOMER.handOffNote,
            },
            await by.as(),
          );
          holderOf.delete(given.taskId);
          if (task === undefined || task.status !== AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED) return;
          newcomerHandOff = {
            taskId: given.taskId,
            jobId: given.jobId,
            at: clock.now().toISOString(),
            toEmail: emailOf(task.memberId),
          };
          planWork(task);
        },
      });
    }

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
              requestId: `${prefix}-hand-off`,
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

    // 7. The close, half an hour after the last step; then the newcomer is forgotten.
    let closed: DemoMonth['closed'];
    let forgottenAt: string | undefined;
    // Half an hour after the last step, and not before 09:30 of the next month's first weekday.
    const closeAt = new Date(
      Math.max(clock.now().getTime() + 30 * MINUTE_MS, tokyo(weekdayFrom(tokyoDate(period.to)), '09:30').getTime()),
    );
    if (options.close === true && closeAt.getTime() < until.getTime()) {
      moveTo(closeAt);
      const { summary } = await settlement.closeMonth(
        { requestId: `${prefix}-close`, regionId: DEMO_REGION, month: period.month },
        await coordinator.as(),
      );
      closed = {
        closedAt: (summary?.closedAt ?? clock.now()).toISOString(),
        billedYen: Number(yenFromMoney(summary?.billed)),
        taxYen: Number(yenFromMoney(summary?.tax)),
        payableYen: Number(yenFromMoney(summary?.payable)),
        invoiceCount: summary?.invoiceCount ?? 0,
        statementCount: summary?.statementCount ?? 0,
      };
      const forgetAt = new Date(clock.now().getTime() + 30 * MINUTE_MS);
      if (newcomerId !== undefined && forgetAt.getTime() < until.getTime()) {
        moveTo(forgetAt);
        await identity.forgetMember(
          { requestId: `${prefix}-forget`, memberId: newcomerId, reason: DEMO_NEWCOMER.forgetReason },
          await operator.as(),
        );
        forgottenAt = clock.now().toISOString();
      }
    }
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
      ...(correction ? { correction } : {}),
      ...(newcomerId !== undefined
        ? {
            newcomer: {
              memberId: newcomerId,
              email: DEMO_NEWCOMER.email,
              ...(newcomerHandOff ? { handOff: newcomerHandOff } : {}),
              ...(forgottenAt ? { forgottenAt } : {}),
            },
          }
        : {}),
      ...(closed ? { closed } : {}),
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

/** A Tokyo wall-clock reading of an ISO instant, `YYYY-MM-DD HH:MM`. */
const tokyoReading = (iso: string): string =>
  new Date(Date.parse(iso) + 9 * HOUR_MS).toISOString().slice(0, 16).replace('T', ' ');

/**
 * What the launcher prints of the demo's closed month (the month before last): its close, its
 * newcomer's hand-off and forgetting, its correction; never a member line of the open month's
 * shape (`    <email>  contractor|employee  <n> min`).
 */
export const demoClosedMonthLines = (month: DemoMonth): string[] => [
  '',
  month.closed
    ? `The demo's closed month, ${month.month} in Fujisato, closed ${tokyoReading(month.closed.closedAt)} (Tokyo) by the coordinator: ${month.closed.invoiceCount} invoices, ${month.closed.statementCount} statements, billed ¥${month.closed.billedYen.toLocaleString('en')} + tax ¥${month.closed.taxYen.toLocaleString('en')}, payable ¥${month.closed.payableYen.toLocaleString('en')}.`
    : `The demo's earlier month, ${month.month} in Fujisato: recorded, not closed.`,
  ...month.jobs.map((j) => `  ${j.jobId}  ${j.status.padEnd(12)} ${j.title}`),
  ...(month.newcomer?.handOff
    ? [
        `  hand-off: ${month.newcomer.email} (her child has a fever) → ${month.newcomer.handOff.toEmail}, task ${month.newcomer.handOff.taskId}`,
      ]
    : []),
  ...(month.newcomer?.forgottenAt
    ? [
        `  ${month.newcomer.email} left and was forgotten ${tokyoReading(month.newcomer.forgottenAt)} (Tokyo): her name and reasons show redacted`,
      ]
    : []),
  ...(month.correction
    ? [
        `  correction: ${month.correction.email} corrected a span (${tokyoReading(month.correction.before.end)} → ${tokyoReading(month.correction.after.end).slice(11)}), entry ${month.correction.entryId}`,
      ]
    : []),
];
