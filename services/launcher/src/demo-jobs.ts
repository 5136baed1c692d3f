/**
 * The demo's work: three jobs from Fujisato's businesses, brought in through the services'
 * public gRPC APIs as the people would, with the demo accounts' tokens.
 *  1. 白神ウッドワークス submits a catalogue data-entry job itself; the coordinator quotes it,
 *     the business accepts it, the plan is proposed from the template and the coordinator
 *     confirms it (TasksPlanned: the job is in progress).
 *  2. 藤琴川まいたけ submits a transcription job, local only (in Fujikoto, by people of
 *     Fujikoto); the coordinator quotes it: it waits for the business to accept the quote.
 *  3. The coordinator takes down a translation job for 粕毛ふるさと観光 (on the telephone, say).
 *     Submitted, waiting for a quote.
 * Every command carries a fixed request id, so a second run answers the first outcome.
 */
import { createClient } from '@workshare/grpc';
import { identityV1, jobIntakeV1, moneyFromYen, taskDecompositionV1, teamSchedulingV1 } from '@workshare/proto';
import { systemClock, type Clock } from '@workshare/time';

export interface DemoJobsOptions {
  readonly identityAddress: string;
  readonly jobIntakeAddress: string;
  readonly taskDecompositionAddress: string;
  readonly teamSchedulingAddress: string;
  readonly password: string;
  /** The demo members' emails: one of them hands off a task of the planned job. */
  readonly memberEmails: readonly string[];
  readonly coordinatorEmail: string;
  /** The demo businesses' users, in the businesses' order. */
  readonly businessUserEmails: readonly string[];
  /** The demo businesses, in seed order. */
  readonly businessIds: readonly string[];
  /** The platform's clock, which the jobs' dates are counted from (default systemClock). */
  readonly now?: Clock;
  /** How long to wait for the plan that JobAccepted brings (default 15 s). */
  readonly planTimeoutMs?: number;
}

export interface DemoJob {
  readonly jobId: string;
  readonly title: string;
  readonly status: string;
}

/** The demo's hand-off: who gave which task to whom. */
export interface DemoHandOff {
  readonly taskId: string;
  readonly fromEmail: string;
  readonly toEmail: string;
}

export interface DemoWork {
  readonly jobs: readonly DemoJob[];
  /** Absent when no task of the planned job was assigned (the team's windows did not allow it). */
  readonly handOff?: DemoHandOff;
}

const DAY_MS = 86_400_000;
/**
 * The demo seeder's budget per call (retries of UNAVAILABLE included). Every command carries a
 * fixed request id, so a retried one is answered once. Right after the demo's month is recorded
 * the embedded store is busy with the new read models catching up (one PGlite database for the
 * whole platform), and a call can wait more than the clients' default 5 s: a CI run saw
 * ConfirmPlan time out after 13 s.
 */
const SEED_DEADLINE_MS = 60_000;
/** gRPC's NOT_FOUND status code. */
const GRPC_NOT_FOUND = 5;
const { WorkCategory, PricingKind } = jobIntakeV1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The window most demo members have: a lunch break of 40 minutes. */
const DEMO_WINDOW_MINUTES = 40;

/**
 * A plan's tasks cut into parts of at most `minutes` each (same skills, deadline and
 * dependencies; a task that depended on a cut task depends on all its parts): what a
 * coordinator does so that the work fits her team's short windows.
 */
export const cutToWindow = (
  tasks: readonly taskDecompositionV1.Task[],
  minutes: number,
): taskDecompositionV1.TaskDraft[] => {
  const partsOf = new Map<string, string[]>();
  const drafts: taskDecompositionV1.TaskDraft[] = [];
  for (const task of tasks) {
    const count = Math.ceil(task.estimatedMinutes / minutes);
    const keys = count === 1 ? [task.key] : Array.from({ length: count }, (_, i) => `${task.key}-${i + 1}`);
    partsOf.set(task.key, keys);
    keys.forEach((key, i) => {
      const share = Math.floor(task.estimatedMinutes / count) + (i < task.estimatedMinutes % count ? 1 : 0);
      drafts.push({
        key,
        title: count === 1 ? task.title : `${task.title} (${i + 1}/${count})`,
        estimatedMinutes: share,
        skills: task.skills,
        dependsOn: task.dependsOn,
        deadline: task.deadline,
      });
    });
  }
  return drafts.map((draft) => ({ ...draft, dependsOn: draft.dependsOn.flatMap((key) => partsOf.get(key) ?? [key]) }));
};

export const seedDemoJobs = async (options: DemoJobsOptions): Promise<DemoWork> => {
  const now = options.now ?? systemClock;
  const days = (n: number) => new Date(now().getTime() + n * DAY_MS);
  const identity = createClient(identityV1.IdentityServiceClient, options.identityAddress, {
    deadlineMs: SEED_DEADLINE_MS,
  });
  const signIn = async (email: string) => identity.login({ email, password: options.password });
  const coordinatorToken = (await signIn(options.coordinatorEmail)).accessToken;
  const [woodworksUser, maitakeUser] = options.businessUserEmails;
  if (!woodworksUser || !maitakeUser) throw new Error('the demo jobs need the users of the first two demo businesses');
  const businessToken = (await signIn(woodworksUser)).accessToken;
  const maitakeToken = (await signIn(maitakeUser)).accessToken;
  const members = new Map<string, { email: string; token: string }>();
  for (const email of options.memberEmails) {
    const login = await signIn(email);
    if (login.caller) members.set(login.caller.subject, { email, token: login.accessToken });
  }
  identity.close();

  const asCoordinator = createClient(jobIntakeV1.JobIntakeServiceClient, options.jobIntakeAddress, {
    token: coordinatorToken,
    deadlineMs: SEED_DEADLINE_MS,
  });
  const asBusiness = createClient(jobIntakeV1.JobIntakeServiceClient, options.jobIntakeAddress, {
    token: businessToken,
    deadlineMs: SEED_DEADLINE_MS,
  });
  const asMaitake = createClient(jobIntakeV1.JobIntakeServiceClient, options.jobIntakeAddress, {
    token: maitakeToken,
    deadlineMs: SEED_DEADLINE_MS,
  });
  const plans = createClient(taskDecompositionV1.TaskDecompositionServiceClient, options.taskDecompositionAddress, {
    token: coordinatorToken,
    deadlineMs: SEED_DEADLINE_MS,
  });
  const schedules = createClient(teamSchedulingV1.TeamSchedulingServiceClient, options.teamSchedulingAddress, {
    token: coordinatorToken,
    deadlineMs: SEED_DEADLINE_MS,
  });
  try {
    const [woodworks, maitake, tourism] = options.businessIds;
    if (!woodworks || !maitake || !tourism) throw new Error('the demo jobs need the three demo businesses');

    const catalogue = await asBusiness.submitJob({
      requestId: 'demo-job-catalogue',
      businessId: woodworks,
      title: '製品カタログのデータ入力 (product catalogue data entry)',
      description: '木工製品 1,200 点の品名・寸法・価格を表計算シートに入力する。',
      workCategory: WorkCategory.WORK_CATEGORY_DATA_ENTRY,
      pricing: { kind: PricingKind.PRICING_KIND_FIXED_PRICE },
      amount: moneyFromYen(60_000),
      deadline: days(30),
      regionId: 'fujisato',
      localOnlyTownId: '',
      skills: ['data entry'],
    });
    await asCoordinator.quoteJob({
      requestId: 'demo-job-catalogue-quote',
      jobId: catalogue.jobId,
      amount: moneyFromYen(60_000),
      estimatedMinutes: 900,
      deliveryDate: days(25),
      note: '1,200 点を 8 つの作業に分け、最後に突き合わせ確認をします。',
    });
    await asBusiness.acceptQuote({ requestId: 'demo-job-catalogue-accept', jobId: catalogue.jobId });

    // JobAccepted reaches task decomposition over the bus; its plan appears shortly after.
    const deadline = Date.now() + (options.planTimeoutMs ?? 15_000);
    let plan: taskDecompositionV1.Plan | undefined;
    while (plan === undefined) {
      plan = await plans.getPlan({ jobId: catalogue.jobId }).then(
        (answer) => answer.plan,
        (error: unknown) => {
          if ((error as { code?: string }).code !== 'plan.not_found' || Date.now() > deadline) throw error;
          return undefined;
        },
      );
      if (plan === undefined) await sleep(100);
    }
    if (plan.status === taskDecompositionV1.PlanStatus.PLAN_STATUS_PROPOSED) {
      // The coordinator cuts the template's tasks to the 40-minute windows most members have.
      const revised = await plans.revisePlan({
        requestId: 'demo-job-catalogue-revise',
        jobId: catalogue.jobId,
        tasks: cutToWindow(plan.tasks, DEMO_WINDOW_MINUTES),
        expectedVersion: plan.version,
      });
      await plans.confirmPlan({
        requestId: 'demo-job-catalogue-plan',
        jobId: catalogue.jobId,
        expectedVersion: revised.plan?.version ?? plan.version,
      });
    }

    const transcription = await asMaitake.submitJob({
      requestId: 'demo-job-oral-history',
      businessId: maitake,
      title: 'まいたけ農家の聞き書き 文字起こし (oral-history transcription)',
      description:
        '藤琴の生産者 6 名への聞き取り録音 (計 5 時間) を文字に起こす。地元の言葉が多いため藤琴在住の方に限る。',
      workCategory: WorkCategory.WORK_CATEGORY_TRANSCRIPTION,
      pricing: { kind: PricingKind.PRICING_KIND_HOURLY, hourlyRate: moneyFromYen(1_200) },
      amount: moneyFromYen(36_000),
      deadline: days(21),
      regionId: 'fujisato',
      localOnlyTownId: 'fujisato/fujikoto',
      skills: ['transcription'],
    });
    await asCoordinator.quoteJob({
      requestId: 'demo-job-oral-history-quote',
      jobId: transcription.jobId,
      amount: moneyFromYen(36_000),
      estimatedMinutes: 1_800,
      deliveryDate: days(18),
      note: '録音 5 時間を 40 分ずつに分け、藤琴の 3 名で起こします。',
    });
    const leaflet = await asCoordinator.submitJob({
      requestId: 'demo-job-leaflet',
      businessId: tourism,
      title: '観光リーフレットの英訳 (tourism leaflet translation)',
      description: '粕毛の観光リーフレット (A4 両面) を英語に翻訳する。',
      workCategory: WorkCategory.WORK_CATEGORY_TRANSLATION,
      pricing: { kind: PricingKind.PRICING_KIND_FIXED_PRICE },
      amount: moneyFromYen(45_000),
      deadline: days(28),
      regionId: 'fujisato',
      localOnlyTownId: '',
      skills: ['translation'],
    });

    const statusOf = async (jobId: string) => {
      const { job } = await asCoordinator.getJob({ jobId });
      return {
        jobId,
        title: job?.title ?? '',
        status: jobIntakeV1
          .jobStatusToJSON(job?.status ?? jobIntakeV1.JobStatus.JOB_STATUS_UNSPECIFIED)
          .replace('JOB_STATUS_', '')
          .toLowerCase(),
      };
    };
    const handOff = await demoHandOff(
      schedules,
      catalogue.jobId,
      members,
      options.planTimeoutMs ?? 15_000,
      options.teamSchedulingAddress,
    );
    return {
      jobs: [await statusOf(catalogue.jobId), await statusOf(transcription.jobId), await statusOf(leaflet.jobId)],
      ...(handOff ? { handOff } : {}),
    };
  } finally {
    asCoordinator.close();
    asBusiness.close();
    asMaitake.close();
    plans.close();
    schedules.close();
  }
};

/**
 * TasksPlanned reaches team scheduling over the bus and the job's tasks are assigned; then one
 * member's child falls ill and she hands her first task off to a teammate.
 */
const demoHandOff = async (
  schedules: ReturnType<typeof createClient<typeof teamSchedulingV1.TeamSchedulingServiceService>>,
  jobId: string,
  members: ReadonlyMap<string, { email: string; token: string }>,
  timeoutMs: number,
  address: string,
): Promise<DemoHandOff | undefined> => {
  const until = Date.now() + timeoutMs;
  let assigned: teamSchedulingV1.ScheduledTask | undefined;
  for (;;) {
    // Until TasksPlanned has reached team scheduling over the bus, it knows no schedule of the
    // job (NOT_FOUND): that is "not yet", like a schedule still waiting.
    const tasks = await schedules.getJobSchedule({ jobId }).then(
      (answer) => answer.tasks,
      (error: unknown) => {
        if ((error as { code?: unknown }).code === GRPC_NOT_FOUND && Date.now() <= until) return [];
        throw error;
      },
    );
    assigned = tasks.find(
      (t) => t.status === teamSchedulingV1.AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED && members.has(t.memberId),
    );
    if (
      assigned !== undefined ||
      (tasks.length > 0 && tasks.every((t) => t.status !== teamSchedulingV1.AssignmentStatus.ASSIGNMENT_STATUS_WAITING))
    )
      break;
    if (Date.now() > until) break;
    await sleep(100);
  }
  if (assigned === undefined) return undefined;
  const holder = members.get(assigned.memberId)!;
  const asHolder = createClient(teamSchedulingV1.TeamSchedulingServiceClient, address, { token: holder.token });
  try {
    const { task } = await asHolder.handOffTask({
      requestId: 'demo-hand-off',
      taskId: assigned.taskId,
      reason: '子どもが熱を出したため (sick child)',
      progressNote: '最初の 10 件まで入力済み (the first 10 records are in)',
    });
    const to = task ? members.get(task.memberId) : undefined;
    return to ? { taskId: assigned.taskId, fromEmail: holder.email, toEmail: to.email } : undefined;
  } finally {
    asHolder.close();
  }
};
