/**
 * The facade on the embedded store, against a real identity (the test cooperative): the whole
 * life of a job, idempotent retries, who may see what, the listing's filters and pages, and
 * the process manager on the embedded bus.
 */
import { randomUUID } from 'node:crypto';
import { openEventBus, type BusSubscription, type EventBus } from '@workshare/bus';
import { actorOf, contextOfEvent, type CommandContext, type EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import type { SubmitJobInput } from '../../src/application/job-intake-service.js';
import {
  PROCESS_MANAGER_ACTOR,
  startJobIntakeConsumers,
  TASKS_PLANNED_CONSUMER,
} from '../../src/application/consumers.js';
import { openJobIntakeService, type JobIntakeRuntime } from '../../src/open-job-intake.js';
import { castOf, daysFromNow, type Cast, type Person } from '../cooperative.js';

let store: EventStore;
let coop: TestCooperative;
let runtime: JobIntakeRuntime;
let cast: Cast;

beforeAll(async () => {
  store = await openEventStore('embedded:memory');
  coop = await startTestCooperative({ store });
  runtime = await openJobIntakeService({ store, identityAddress: coop.identityAddress });
  cast = await castOf(coop);
});
afterAll(async () => {
  await runtime?.close();
  await coop?.close();
  await store?.close();
});

const service = () => runtime.service;
/** A query of `person`: her verified caller as the actor. */
const as = (person: Person): CommandContext => ({ actor: actorOf(cast.callers[person]) });
/** A command of `person`: her actor, a new request id (or the one given) and her token. */
const by = (person: Person, requestId?: string): CommandContext => ({
  ...as(person),
  ...cast.request(person, requestId),
});

const jobInput = (overrides: Partial<SubmitJobInput> = {}): SubmitJobInput => ({
  businessId: coop.businesses.fujisato,
  title: '観光パンフレットの英訳',
  description: 'A4 両面 4 ページ',
  workCategory: 'translation',
  pricing: { kind: 'fixed_price' },
  amountYen: 80_000n,
  deadline: daysFromNow(40),
  regionId: 'fujisato',
  localOnlyTownId: null,
  skills: ['translation', 'english'],
  ...overrides,
});

const submitAs = async (person: Person, overrides: Partial<SubmitJobInput> = {}): Promise<string> =>
  (await service().submitJob(by(person), jobInput(overrides))).jobId;

/** A fujisato job brought to `accepted`. */
const acceptedJob = async (): Promise<string> => {
  const jobId = await submitAs('business');
  await service().quoteJob(by('coordinator'), {
    jobId,
    amountYen: 75_000n,
    estimatedMinutes: 600,
    deliveryDate: daysFromNow(30),
    note: '',
  });
  await service().acceptQuote(by('business'), jobId);
  return jobId;
};

describe('the life of a job', () => {
  it('goes from submission to closing, with a rejected inspection and rework on the way', async () => {
    const s = service();
    const jobId = await submitAs('business', { localOnlyTownId: 'fujisato/fujikoto' });
    expect((await s.getJob(as('business'), jobId)).status).toBe('submitted');

    const deliveryDate = daysFromNow(30);
    await s.quoteJob(by('coordinator'), {
      jobId,
      amountYen: 75_000n,
      estimatedMinutes: 600,
      deliveryDate,
      note: '英訳 2 名で担当',
    });
    const terms = await s.acceptQuote(by('business'), jobId);
    expect(terms).toMatchObject({ feeYen: 75_000n, deliveryDate, acceptedBy: cast.callers.business.subject });
    expect(terms.paymentDate.getTime() - deliveryDate.getTime()).toBeLessThanOrEqual(60 * 86_400_000);

    await s.startJob(by('coordinator'), jobId);
    await s.deliverJob(by('coordinator'), { jobId, note: '初稿' });
    await s.inspectJob(by('business'), { jobId, accepted: false, reason: '固有名詞の表記揺れ' });
    expect((await s.getJob(as('business'), jobId)).status).toBe('in_progress');
    await s.deliverJob(by('coordinator'), { jobId, note: '修正版' });
    await s.inspectJob(by('business'), { jobId, accepted: true, reason: '' });
    await s.closeJob(by('coordinator'), jobId);

    const view = await s.getJob(as('accountant'), jobId);
    expect(view).toMatchObject({
      status: 'closed',
      localOnlyTownId: 'fujisato/fujikoto',
      quote: { amountYen: 75_000n, estimatedMinutes: 600, note: '英訳 2 名で担当' },
      terms: { feeYen: 75_000n },
      version: 8,
    });
    expect(view.inspections.map((i) => [i.accepted, i.reason])).toEqual([
      [false, '固有名詞の表記揺れ'],
      [true, ''],
    ]);
    expect(view.inspections[0]!.inspectedAt).toBeInstanceOf(Date);
    expect(view.acceptedAt!.getTime()).toBeGreaterThanOrEqual(view.quotedAt!.getTime());
    expect(view.updatedAt.getTime()).toBeGreaterThanOrEqual(view.submittedAt.getTime());

    const events = await store.readStream(`job-${jobId}`);
    expect(events.map((e) => e.type)).toEqual([
      'JobSubmitted',
      'JobQuoted',
      'JobAccepted',
      'JobStarted',
      'JobDelivered',
      'JobInspected',
      'JobDelivered',
      'JobInspected',
      'JobClosed',
    ]);
    expect(events[2]!.data).toMatchObject({
      jobId,
      regionId: 'fujisato',
      localOnlyTownId: 'fujisato/fujikoto',
      workCategory: 'translation',
      estimatedMinutes: 600,
      feeYen: '75000',
    });
    expect(events.every((e) => typeof e.metadata.actor === 'string' && typeof e.metadata.commandId === 'string')).toBe(
      true,
    );
  });

  it('is declined, or cancelled, with the reason kept', async () => {
    const s = service();
    const declinedJob = await submitAs('business');
    await s.quoteJob(by('coordinator'), {
      jobId: declinedJob,
      amountYen: 90_000n,
      estimatedMinutes: 600,
      deliveryDate: daysFromNow(20),
      note: '',
    });
    await s.declineQuote(by('business'), { jobId: declinedJob, reason: '予算超過' });
    expect(await s.getJob(as('business'), declinedJob)).toMatchObject({ status: 'declined', reason: '予算超過' });

    const cancelledJob = await acceptedJob();
    await expect(s.cancelJob(by('business'), { jobId: cancelledJob, reason: '不要になった' })).rejects.toMatchObject({
      code: 'job.forbidden',
    });
    await s.cancelJob(by('coordinator'), { jobId: cancelledJob, reason: '担い手が見つからない' });
    expect(await s.getJob(as('business'), cancelledJob)).toMatchObject({
      status: 'cancelled',
      reason: '担い手が見つからない',
    });
  });

  it('refuses a business identity does not know, storing nothing', async () => {
    const head = await store.headPosition();
    await expect(service().submitJob(by('operator'), jobInput({ businessId: randomUUID() }))).rejects.toMatchObject({
      code: 'business.not_found',
      kind: 'not_found',
    });
    expect(await store.headPosition()).toEqual(head);
  });
});

describe('retries (request ids)', () => {
  it('a SubmitJob retried with the same request id answers the same job and stores it once', async () => {
    const request = by('business');
    const first = await service().submitJob(request, jobInput());
    const again = await service().submitJob(request, jobInput());
    expect(again).toEqual(first);
    expect(await store.readStream(`job-${first.jobId}`)).toHaveLength(1);
  });

  it('the same request id of two callers makes two jobs (request ids are the caller’s own)', async () => {
    const requestId = randomUUID();
    const mine = await service().submitJob(by('business', requestId), jobInput());
    const theirs = await service().submitJob(by('coordinator', requestId), jobInput());
    expect(mine.jobId).not.toBe(theirs.jobId);
  });

  it('a retried AcceptQuote answers the same terms; a retried QuoteJob quotes once', async () => {
    const jobId = await submitAs('business');
    const quote = by('coordinator');
    const input = { jobId, amountYen: 70_000n, estimatedMinutes: 500, deliveryDate: daysFromNow(25), note: '' };
    await service().quoteJob(quote, input);
    await service().quoteJob(quote, input);
    const accept = by('business');
    const terms = await service().acceptQuote(accept, jobId);
    expect(await service().acceptQuote(accept, jobId)).toEqual(terms);
    expect((await store.readStream(`job-${jobId}`)).map((e) => e.type)).toEqual([
      'JobSubmitted',
      'JobQuoted',
      'JobAccepted',
    ]);
  });

  it('refuses a request id that is not 1–200 printable characters', async () => {
    await expect(service().submitJob(by('business', 'has space'), jobInput())).rejects.toMatchObject({
      code: 'request.invalid_request_id',
    });
    await expect(service().submitJob(by('business', 'x'.repeat(201)), jobInput())).rejects.toMatchObject({
      code: 'request.invalid_request_id',
    });
  });
});

describe('who sees a job', () => {
  let jobId: string;
  beforeAll(async () => {
    jobId = await submitAs('business');
  });

  it.each<Person>(['business', 'coordinator', 'accountant', 'operator'])('%s sees it', async (person) => {
    expect((await service().getJob(as(person), jobId)).jobId).toBe(jobId);
  });

  it.each<Person>(['otherBusiness', 'setagayaCoordinator', 'setagayaBusiness', 'member'])(
    '%s may not',
    async (person) => {
      await expect(service().getJob(as(person), jobId)).rejects.toMatchObject({
        code: 'job.forbidden',
        kind: 'forbidden',
      });
    },
  );

  it('an unknown job is not found; a malformed id is refused', async () => {
    await expect(service().getJob(as('operator'), randomUUID())).rejects.toMatchObject({
      code: 'job.not_found',
      kind: 'not_found',
    });
    await expect(service().getJob(as('operator'), 'job-1')).rejects.toMatchObject({
      code: 'job.invalid_id',
      kind: 'invalid',
    });
  });
});

describe('listing jobs', () => {
  let fujisatoJobs: string[];
  let otherJob: string;
  let setagayaJob: string;
  beforeAll(async () => {
    fujisatoJobs = [];
    for (let i = 0; i < 5; i++) fujisatoJobs.push(await submitAs('business', { title: `一覧 ${i}` }));
    otherJob = await submitAs('otherBusiness', { businessId: coop.businesses.fujisatoOther });
    setagayaJob = await submitAs('setagayaBusiness', { businessId: coop.businesses.setagaya, regionId: 'setagaya' });
  });

  const idsOf = async (person: Person, query: Parameters<ReturnType<typeof service>['listJobs']>[1] = {}) =>
    (await service().listJobs(as(person), { pageSize: 200, ...query })).jobs.map((j) => j.jobId);

  it('a business sees its own jobs only; a coordinator her region’s; accountant and operator all', async () => {
    const business = await idsOf('business');
    expect(business).toEqual(expect.arrayContaining(fujisatoJobs));
    expect(business).not.toContain(otherJob);
    expect(business).not.toContain(setagayaJob);

    const coordinator = await idsOf('coordinator');
    expect(coordinator).toEqual(expect.arrayContaining([...fujisatoJobs, otherJob]));
    expect(coordinator).not.toContain(setagayaJob);

    expect(await idsOf('setagayaCoordinator')).toEqual([setagayaJob]);
    expect(await idsOf('member')).toEqual([]);
    for (const person of ['accountant', 'operator'] as const)
      expect(await idsOf(person)).toEqual(expect.arrayContaining([...fujisatoJobs, otherJob, setagayaJob]));
  });

  it('filters by region, business and status, within what the caller may see', async () => {
    expect(await idsOf('operator', { regionId: 'setagaya' })).toEqual([setagayaJob]);
    expect(await idsOf('operator', { businessId: coop.businesses.fujisatoOther })).toEqual([otherJob]);
    expect(await idsOf('setagayaCoordinator', { regionId: 'fujisato' })).toEqual([]);
    const quotedOnes = await idsOf('accountant', { status: 'quoted' });
    expect(quotedOnes).not.toContain(fujisatoJobs[0]);
    await service().quoteJob(by('coordinator'), {
      jobId: fujisatoJobs[0]!,
      amountYen: 1_000n,
      estimatedMinutes: 60,
      deliveryDate: daysFromNow(10),
      note: '',
    });
    expect(await idsOf('accountant', { status: 'quoted' })).toContain(fujisatoJobs[0]);
  });

  it('answers newest first, a page at a time, with an opaque token to the next page', async () => {
    const all = (await service().listJobs(as('business'), { pageSize: 200 })).jobs;
    const times = all.map((j) => j.submittedAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const pages: string[][] = [];
    let pageToken: string | undefined;
    do {
      const page = await service().listJobs(as('business'), { pageSize: 2, ...(pageToken ? { pageToken } : {}) });
      pages.push(page.jobs.map((j) => j.jobId));
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    expect(pages.flat()).toEqual(all.map((j) => j.jobId));
    expect(pages.every((p) => p.length <= 2)).toBe(true);
  });

  it('refuses a page token it did not give, and a negative page size', async () => {
    await expect(service().listJobs(as('business'), { pageToken: 'bm90LWEtdG9rZW4' })).rejects.toMatchObject({
      code: 'request.invalid_page_token',
      kind: 'invalid',
    });
    await expect(service().listJobs(as('business'), { pageSize: -1 })).rejects.toMatchObject({
      code: 'request.invalid_page_size',
    });
  });

  it('sees the writes of another process of this service (the board catches up from the log)', async () => {
    const other = await openJobIntakeService({ store, identityAddress: coop.identityAddress, readStalenessMs: 0 });
    try {
      const jobId = await submitAs('business', { title: '別プロセスから見える' });
      expect((await other.service.listJobs(as('business'), { pageSize: 200 })).jobs.map((j) => j.jobId)).toContain(
        jobId,
      );
    } finally {
      await other.close();
    }
  });
});

describe('the process manager (TasksPlanned → StartJob)', () => {
  let bus: EventBus;
  let subscriptions: BusSubscription[];
  beforeAll(() => {
    bus = openEventBus({ store, natsUrl: undefined });
    subscriptions = startJobIntakeConsumers({ service: service(), bus });
  });
  afterAll(async () => {
    await Promise.all(subscriptions.map((s) => s.stop()));
    await bus.close();
  });

  const tasksPlanned = async (jobId: string, round: number) => {
    const [event] = (
      await store.append(`plan-${jobId}`, [
        {
          type: 'TasksPlanned',
          data: {
            jobId,
            businessId: coop.businesses.fujisato,
            regionId: 'fujisato',
            localOnlyTownId: null,
            workCategory: 'translation',
            round,
            tasks: [
              {
                taskId: randomUUID(),
                key: 'translate',
                title: '翻訳',
                estimatedMinutes: 60,
                skills: ['translation'],
                dependsOn: [],
                deadline: daysFromNow(14).toISOString(),
              },
            ],
            plannedBy: cast.callers.coordinator.subject,
          },
        },
      ])
    ).events;
    return event!;
  };

  const eventually = async (check: () => Promise<boolean>): Promise<void> => {
    const until = Date.now() + 15_000;
    while (!(await check())) {
      if (Date.now() > until) throw new Error('timed out waiting');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('starts the job when its tasks are planned (round 1), as the system, caused by the event', async () => {
    const jobId = await acceptedJob();
    const planned = await tasksPlanned(jobId, 1);
    await eventually(async () => (await service().getJob(as('business'), jobId)).status === 'in_progress');
    const events = await store.readStream(`job-${jobId}`);
    const startedEvent = events.find((e) => e.type === 'JobStarted')!;
    expect(startedEvent.data).toEqual({ jobId, startedBy: 'system:job-intake' });
    expect(startedEvent.metadata).toMatchObject({
      actor: 'system:job-intake',
      commandId: planned.id,
      causationId: planned.id,
    });
  });

  it('is idempotent: the same event handled again starts nothing more', async () => {
    const jobId = await acceptedJob();
    const planned = await tasksPlanned(jobId, 1);
    await eventually(async () => (await service().getJob(as('business'), jobId)).status === 'in_progress');
    expect(await service().startPlannedJob(contextOfEvent(PROCESS_MANAGER_ACTOR, planned), jobId)).toBe(
      'already_handled',
    );
    expect((await store.readStream(`job-${jobId}`)).filter((e) => e.type === 'JobStarted')).toHaveLength(1);
  });

  it('leaves a job its coordinator started already, and ignores a rework round, without dead letters', async () => {
    const jobId = await acceptedJob();
    await service().startJob(by('coordinator'), jobId);
    await tasksPlanned(jobId, 1);
    await tasksPlanned(jobId, 2);
    const marker = await acceptedJob();
    await tasksPlanned(marker, 1);
    // The consumer handles events in log order: once the marker job started, the others were handled.
    await eventually(async () => (await service().getJob(as('business'), marker)).status === 'in_progress');
    expect((await store.readStream(`job-${jobId}`)).filter((e) => e.type === 'JobStarted')).toHaveLength(1);
    expect(await bus.deadLetters(TASKS_PLANNED_CONSUMER)).toEqual([]);
    expect(await service().startPlannedJob({ actor: PROCESS_MANAGER_ACTOR, causationId: randomUUID() }, jobId)).toBe(
      'not_startable',
    );
  });
});
