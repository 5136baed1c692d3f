/**
 * The demo's work: three jobs from Fujisato's businesses, brought in through the services'
 * public gRPC APIs as the people would, with the demo accounts' tokens.
 *  1. 白神ウッドワークス submits a catalogue data-entry job itself; the coordinator quotes it,
 *     the business accepts it, the plan is proposed from the template and the coordinator
 *     confirms it (TasksPlanned: the job is in progress).
 *  2. The coordinator takes down a transcription job for 藤琴川まいたけ, local only: in Fujikoto,
 *     by people of Fujikoto. Submitted, waiting for a quote.
 *  3. The coordinator takes down a translation job for 粕毛ふるさと観光. Submitted.
 * Every command carries a fixed request id, so a second run answers the first outcome.
 */
import { createClient } from '@workshare/grpc';
import { identityV1, jobIntakeV1, moneyFromYen, taskDecompositionV1 } from '@workshare/proto';

export interface DemoJobsOptions {
  readonly identityAddress: string;
  readonly jobIntakeAddress: string;
  readonly taskDecompositionAddress: string;
  readonly password: string;
  readonly coordinatorEmail: string;
  readonly businessUserEmail: string;
  /** The demo businesses, in seed order (the business user acts for the first). */
  readonly businessIds: readonly string[];
  readonly now?: () => Date;
  /** How long to wait for the plan that JobAccepted brings (default 15 s). */
  readonly planTimeoutMs?: number;
}

export interface DemoJob {
  readonly jobId: string;
  readonly title: string;
  readonly status: string;
}

const DAY_MS = 86_400_000;
const { WorkCategory, PricingKind } = jobIntakeV1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const seedDemoJobs = async (options: DemoJobsOptions): Promise<DemoJob[]> => {
  const now = options.now ?? (() => new Date());
  const days = (n: number) => new Date(now().getTime() + n * DAY_MS);
  const identity = createClient(identityV1.IdentityServiceClient, options.identityAddress);
  const tokenOf = async (email: string) => (await identity.login({ email, password: options.password })).accessToken;
  const coordinatorToken = await tokenOf(options.coordinatorEmail);
  const businessToken = await tokenOf(options.businessUserEmail);
  identity.close();

  const asCoordinator = createClient(jobIntakeV1.JobIntakeServiceClient, options.jobIntakeAddress, { token: coordinatorToken });
  const asBusiness = createClient(jobIntakeV1.JobIntakeServiceClient, options.jobIntakeAddress, { token: businessToken });
  const plans = createClient(taskDecompositionV1.TaskDecompositionServiceClient, options.taskDecompositionAddress, { token: coordinatorToken });
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
      await plans.confirmPlan({ requestId: 'demo-job-catalogue-plan', jobId: catalogue.jobId, expectedVersion: plan.version });
    }

    const transcription = await asCoordinator.submitJob({
      requestId: 'demo-job-oral-history',
      businessId: maitake,
      title: 'まいたけ農家の聞き書き 文字起こし (oral-history transcription)',
      description: '藤琴の生産者 6 名への聞き取り録音 (計 5 時間) を文字に起こす。地元の言葉が多いため藤琴在住の方に限る。',
      workCategory: WorkCategory.WORK_CATEGORY_TRANSCRIPTION,
      pricing: { kind: PricingKind.PRICING_KIND_HOURLY, hourlyRate: moneyFromYen(1_200) },
      amount: moneyFromYen(36_000),
      deadline: days(21),
      regionId: 'fujisato',
      localOnlyTownId: 'fujisato/fujikoto',
      skills: ['transcription'],
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
      return { jobId, title: job?.title ?? '', status: jobIntakeV1.jobStatusToJSON(job?.status ?? jobIntakeV1.JobStatus.JOB_STATUS_UNSPECIFIED).replace('JOB_STATUS_', '').toLowerCase() };
    };
    return [await statusOf(catalogue.jobId), await statusOf(transcription.jobId), await statusOf(leaflet.jobId)];
  } finally {
    asCoordinator.close();
    asBusiness.close();
    plans.close();
  }
};
