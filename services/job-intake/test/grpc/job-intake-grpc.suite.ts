/**
 * The job intake service over real gRPC on a loopback socket, with a real identity (the test
 * cooperative) verifying real tokens: every RPC, who may do what, and the bad input of every
 * command (status, `x-error-code`, and nothing stored). Run on the embedded store
 * (job-intake-grpc.spec.ts) and on PostgreSQL (job-intake-grpc.int.spec.ts).
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@workshare/eventsourcing';
import {
  createClient,
  IdentityTokenVerifierClient,
  jsonLogger,
  type GrpcServer,
  type ServiceClient,
} from '@workshare/grpc';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import { jobIntakeV1, moneyFromYen } from '@workshare/proto';
import { startJobIntakeGrpc } from '../../src/adapters/grpc/job-intake-grpc.js';
import { openJobIntakeService, type JobIntakeRuntime } from '../../src/open-job-intake.js';
import { daysFromNow, DAY_MS, type Person } from '../cooperative.js';
import { refusal, wire, type MethodName, type RequestOfMethod } from './wire.js';

export interface GrpcTestEnv {
  readonly store: EventStore;
  close(): Promise<void>;
}

const { WorkCategory, PricingKind, JobStatus } = jobIntakeV1;

export const describeJobIntakeGrpc = (label: string, setup: () => Promise<GrpcTestEnv>): void => {
  describe(`job intake over gRPC (${label})`, () => {
    let env: GrpcTestEnv;
    let coop: TestCooperative;
    let runtime: JobIntakeRuntime;
    let server: GrpcServer;
    let verifier: IdentityTokenVerifierClient;
    let client: ServiceClient<typeof jobIntakeV1.JobIntakeServiceService>;
    const logLines: string[] = [];

    const token = (person: Person): string => coop[person].token;
    const call = (person: Person) => ({ token: token(person) });

    const submitRequest = (overrides: Partial<jobIntakeV1.SubmitJobRequest> = {}): jobIntakeV1.SubmitJobRequest => ({
      requestId: randomUUID(),
      businessId: coop.businesses.fujisato,
      title: '藤里町 観光サイトの記事執筆',
      description: '白神山地の紹介記事 3 本',
      workCategory: WorkCategory.WORK_CATEGORY_WRITING,
      pricing: { kind: PricingKind.PRICING_KIND_FIXED_PRICE },
      amount: moneyFromYen(60_000),
      deadline: daysFromNow(45),
      regionId: 'fujisato',
      localOnlyTownId: '',
      skills: ['writing'],
      ...overrides,
    });
    const quoteRequest = (
      jobId: string,
      overrides: Partial<jobIntakeV1.QuoteJobRequest> = {},
    ): jobIntakeV1.QuoteJobRequest => ({
      requestId: randomUUID(),
      jobId,
      amount: moneyFromYen(55_000),
      estimatedMinutes: 480,
      deliveryDate: daysFromNow(30),
      note: '',
      ...overrides,
    });

    const submit = async (overrides: Partial<jobIntakeV1.SubmitJobRequest> = {}, person: Person = 'business') =>
      (await client.submitJob(submitRequest(overrides), call(person))).jobId;
    const quote = (jobId: string) => client.quoteJob(quoteRequest(jobId), call('coordinator'));
    const accept = (jobId: string) => client.acceptQuote({ requestId: randomUUID(), jobId }, call('business'));
    const start = (jobId: string) => client.startJob({ requestId: randomUUID(), jobId }, call('coordinator'));
    const deliver = (jobId: string) =>
      client.deliverJob({ requestId: randomUUID(), jobId, note: '' }, call('coordinator'));
    const inspectOk = (jobId: string) =>
      client.inspectJob({ requestId: randomUUID(), jobId, accepted: true, reason: '' }, call('business'));
    const statusOf = async (jobId: string) => (await client.getJob({ jobId }, call('operator'))).job!.status;

    beforeAll(async () => {
      env = await setup();
      coop = await startTestCooperative({ store: env.store });
      runtime = await openJobIntakeService({ store: env.store, identityAddress: coop.identityAddress });
      verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
      server = await startJobIntakeGrpc({
        service: runtime.service,
        port: 0,
        host: '127.0.0.1',
        verifier,
        logger: jsonLogger('debug', {}, (line) => void logLines.push(line)),
      });
      client = createClient(jobIntakeV1.JobIntakeServiceClient, server.address, { deadlineMs: 20_000 });
    });
    afterAll(async () => {
      client?.close();
      await server?.shutdown(1_000);
      verifier?.close();
      await runtime?.close();
      await coop?.close();
      await env?.close();
    });

    describe('every RPC', () => {
      it('carries a job through its whole life, rework included, and answers it as the contract says', async () => {
        const deadline = daysFromNow(45);
        const { jobId } = await client.submitJob(
          submitRequest({
            pricing: { kind: PricingKind.PRICING_KIND_HOURLY, hourlyRate: moneyFromYen(1_800) },
            localOnlyTownId: 'fujisato/kasuge',
            deadline,
            skills: ['writing', 'photography'],
          }),
          call('business'),
        );
        const deliveryDate = daysFromNow(30);
        await client.quoteJob(quoteRequest(jobId, { deliveryDate, note: '取材 1 回を含む' }), call('coordinator'));
        const { terms } = await client.acceptQuote({ requestId: randomUUID(), jobId }, call('business'));
        expect(terms).toMatchObject({
          fee: { yen: '55000' },
          deliveryDate,
          inspectionDate: new Date(deliveryDate.getTime() + 10 * DAY_MS),
        });
        expect(terms!.paymentDate!.getTime()).toBeGreaterThanOrEqual(deliveryDate.getTime());
        expect(terms!.paymentDate!.getTime() - deliveryDate.getTime()).toBeLessThanOrEqual(60 * DAY_MS);
        expect(terms!.acceptedAt).toBeInstanceOf(Date);

        await start(jobId);
        await deliver(jobId);
        await client.inspectJob(
          { requestId: randomUUID(), jobId, accepted: false, reason: '写真の差し替えが必要' },
          call('business'),
        );
        expect(await statusOf(jobId)).toBe(JobStatus.JOB_STATUS_IN_PROGRESS);
        await deliver(jobId);
        await inspectOk(jobId);
        await client.closeJob({ requestId: randomUUID(), jobId }, call('coordinator'));

        const { job } = await client.getJob({ jobId }, call('business'));
        expect(job).toMatchObject({
          jobId,
          businessId: coop.businesses.fujisato,
          title: '藤里町 観光サイトの記事執筆',
          workCategory: WorkCategory.WORK_CATEGORY_WRITING,
          pricing: { kind: PricingKind.PRICING_KIND_HOURLY, hourlyRate: { yen: '1800' } },
          amount: { yen: '60000' },
          deadline,
          regionId: 'fujisato',
          localOnlyTownId: 'fujisato/kasuge',
          skills: ['writing', 'photography'],
          status: JobStatus.JOB_STATUS_CLOSED,
          quote: {
            amount: { yen: '55000' },
            estimatedMinutes: 480,
            deliveryDate,
            note: '取材 1 回を含む',
            quotedBy: coop.coordinator.id,
          },
          terms: { fee: { yen: '55000' }, deliveryDate, paymentDate: terms!.paymentDate },
          reason: '',
          version: '8',
        });
        expect(job!.inspections.map((i) => [i.accepted, i.reason, i.inspectedBy])).toEqual([
          [false, '写真の差し替えが必要', coop.business.id],
          [true, '', coop.business.id],
        ]);
        expect(job!.submittedAt).toBeInstanceOf(Date);
        expect(job!.updatedAt!.getTime()).toBeGreaterThanOrEqual(job!.submittedAt!.getTime());
      });

      it('declines a quote and cancels jobs, keeping the reason', async () => {
        const declined = await submit();
        await quote(declined);
        await client.declineQuote(
          { requestId: randomUUID(), jobId: declined, reason: '今回は見送り' },
          call('business'),
        );
        expect((await client.getJob({ jobId: declined }, call('coordinator'))).job).toMatchObject({
          status: JobStatus.JOB_STATUS_DECLINED,
          reason: '今回は見送り',
        });

        const cancelled = await submit();
        await client.cancelJob({ requestId: randomUUID(), jobId: cancelled, reason: '社内で対応' }, call('business'));
        expect((await client.getJob({ jobId: cancelled }, call('business'))).job).toMatchObject({
          status: JobStatus.JOB_STATUS_CANCELLED,
          reason: '社内で対応',
        });
      });

      it('lists the jobs the caller may see, newest first, filtered and paged', async () => {
        const mine = [await submit(), await submit(), await submit()];
        const setagaya = await submit(
          { businessId: coop.businesses.setagaya, regionId: 'setagaya' },
          'setagayaBusiness',
        );

        const first = await client.listJobs(
          {
            page: { pageSize: 2, pageToken: '' },
            regionId: '',
            businessId: '',
            status: JobStatus.JOB_STATUS_UNSPECIFIED,
          },
          call('business'),
        );
        expect(first.jobs.map((j) => j.jobId)).toEqual([mine[2], mine[1]]);
        expect(first.page!.nextPageToken).not.toBe('');
        const second = await client.listJobs(
          { page: { pageSize: 1, pageToken: first.page!.nextPageToken }, regionId: '', businessId: '', status: 0 },
          call('business'),
        );
        expect(second.jobs.map((j) => j.jobId)).toEqual([mine[0]]);

        const forSetagaya = await client.listJobs(
          { regionId: '', businessId: '', status: 0 },
          call('setagayaCoordinator'),
        );
        expect(forSetagaya.jobs.map((j) => j.jobId)).toEqual([setagaya]);
        expect(forSetagaya.page!.nextPageToken).toBe('');

        const submittedInSetagaya = await client.listJobs(
          { regionId: 'setagaya', businessId: '', status: JobStatus.JOB_STATUS_SUBMITTED },
          call('accountant'),
        );
        expect(submittedInSetagaya.jobs.map((j) => j.jobId)).toEqual([setagaya]);
        const ofOther = await client.listJobs(
          { regionId: '', businessId: coop.businesses.fujisatoOther, status: 0 },
          call('operator'),
        );
        expect(ofOther.jobs).toEqual([]);
      });

      it('answers a retried request (same request id) with its first outcome', async () => {
        const request = submitRequest();
        const first = await client.submitJob(request, call('business'));
        expect(await client.submitJob(request, call('business'))).toEqual(first);
        expect(await env.store.readStream(`job-${first.jobId}`)).toHaveLength(1);
      });

      it('logs ids, never the job’s texts', () => {
        const lines = logLines.join('\n');
        expect(lines).toContain('job submitted');
        expect(lines).not.toContain('白神山地の紹介記事');
      });
    });

    describe('authorisation', () => {
      let jobId: string;
      beforeAll(async () => {
        jobId = await submit();
        await quote(jobId);
      });

      it('refuses a coordinator of another region, on every kind of call (PERMISSION_DENIED)', async () => {
        const setagaya = token('setagayaCoordinator');
        expect(await refusal(wire(server.address, 'getJob', { jobId }, setagaya))).toEqual({
          status: 'PERMISSION_DENIED',
          errorCode: 'job.forbidden',
        });
        expect(await refusal(wire(server.address, 'quoteJob', quoteRequest(jobId), setagaya))).toEqual({
          status: 'PERMISSION_DENIED',
          errorCode: 'job.forbidden',
        });
        expect(
          await refusal(wire(server.address, 'cancelJob', { requestId: randomUUID(), jobId, reason: 'x' }, setagaya)),
        ).toEqual({ status: 'PERMISSION_DENIED', errorCode: 'job.forbidden' });
        expect(await refusal(wire(server.address, 'submitJob', submitRequest(), setagaya))).toEqual({
          status: 'PERMISSION_DENIED',
          errorCode: 'job.forbidden',
        });
      });

      it('refuses another business (PERMISSION_DENIED), and a business acting as coordinator', async () => {
        const other = token('otherBusiness');
        expect(await refusal(wire(server.address, 'getJob', { jobId }, other))).toEqual({
          status: 'PERMISSION_DENIED',
          errorCode: 'job.forbidden',
        });
        expect(await refusal(wire(server.address, 'acceptQuote', { requestId: randomUUID(), jobId }, other))).toEqual({
          status: 'PERMISSION_DENIED',
          errorCode: 'job.forbidden',
        });
        expect(await refusal(wire(server.address, 'submitJob', submitRequest(), other))).toEqual({
          status: 'PERMISSION_DENIED',
          errorCode: 'job.forbidden',
        });
        expect(await refusal(wire(server.address, 'quoteJob', quoteRequest(jobId), token('business')))).toEqual({
          status: 'PERMISSION_DENIED',
          errorCode: 'job.forbidden',
        });
        expect(await refusal(wire(server.address, 'getJob', { jobId }, token('member')))).toEqual({
          status: 'PERMISSION_DENIED',
          errorCode: 'job.forbidden',
        });
      });

      it('refuses calls without a token, or with a forged one (UNAUTHENTICATED)', async () => {
        expect(await refusal(wire(server.address, 'listJobs', { regionId: '', businessId: '', status: 0 }))).toEqual({
          status: 'UNAUTHENTICATED',
          errorCode: 'auth.token_missing',
        });
        const [header, payload] = token('business').split('.');
        const forged = await refusal(wire(server.address, 'submitJob', submitRequest(), `${header}.${payload}.AAAA`));
        expect(forged).toEqual({ status: 'UNAUTHENTICATED', errorCode: 'auth.invalid_token' });
      });
    });

    describe('bad input: the right status and code, and nothing stored', () => {
      const jobs: Partial<
        Record<'submitted' | 'quoted' | 'accepted' | 'inProgress' | 'delivered' | 'inspected', string>
      > = {};
      const job = (status: keyof typeof jobs): string => jobs[status]!;
      beforeAll(async () => {
        jobs.submitted = await submit();
        jobs.quoted = await submit();
        await quote(jobs.quoted);
        jobs.accepted = await submit();
        await quote(jobs.accepted);
        await accept(jobs.accepted);
        jobs.inProgress = await submit();
        await quote(jobs.inProgress);
        await accept(jobs.inProgress);
        await start(jobs.inProgress);
        jobs.delivered = await submit();
        await quote(jobs.delivered);
        await accept(jobs.delivered);
        await start(jobs.delivered);
        await deliver(jobs.delivered);
        jobs.inspected = await submit();
        await quote(jobs.inspected);
        await accept(jobs.inspected);
        await start(jobs.inspected);
        await deliver(jobs.inspected);
        await inspectOk(jobs.inspected);
      });

      type Case = readonly [
        label: string,
        method: MethodName,
        request: () => RequestOfMethod<MethodName>,
        person: Person | undefined,
        status: string,
        code: string,
      ];
      const c = <K extends MethodName>(
        label: string,
        method: K,
        request: () => RequestOfMethod<K>,
        person: Person | undefined,
        status: string,
        code: string,
      ): Case => [label, method, request as () => RequestOfMethod<MethodName>, person, status, code] as const;
      const INVALID = 'INVALID_ARGUMENT';
      const unknownJob = randomUUID();

      const cases: readonly Case[] = [
        // SubmitJob
        c(
          'SubmitJob without a request id',
          'submitJob',
          () => submitRequest({ requestId: '' }),
          'business',
          INVALID,
          'request.missing_field',
        ),
        c(
          'SubmitJob with a request id holding spaces',
          'submitJob',
          () => submitRequest({ requestId: 'my request' }),
          'business',
          INVALID,
          'request.invalid_request_id',
        ),
        c(
          'SubmitJob with a request id of 201 characters',
          'submitJob',
          () => submitRequest({ requestId: 'r'.repeat(201) }),
          'business',
          INVALID,
          'request.invalid_request_id',
        ),
        c(
          'SubmitJob without a business',
          'submitJob',
          () => submitRequest({ businessId: '' }),
          'business',
          INVALID,
          'request.missing_field',
        ),
        c(
          'SubmitJob with a business id that is no id',
          'submitJob',
          () => submitRequest({ businessId: 'shirakami' }),
          'business',
          INVALID,
          'job.invalid_business_id',
        ),
        c(
          'SubmitJob for a business identity does not know',
          'submitJob',
          () => submitRequest({ businessId: randomUUID() }),
          'operator',
          'NOT_FOUND',
          'business.not_found',
        ),
        c(
          'SubmitJob without a title',
          'submitJob',
          () => submitRequest({ title: ' ' }),
          'business',
          INVALID,
          'job.invalid_title',
        ),
        c(
          'SubmitJob with a title of 201 characters',
          'submitJob',
          () => submitRequest({ title: 't'.repeat(201) }),
          'business',
          INVALID,
          'job.invalid_title',
        ),
        c(
          'SubmitJob with the work category unspecified',
          'submitJob',
          () => submitRequest({ workCategory: WorkCategory.WORK_CATEGORY_UNSPECIFIED }),
          'business',
          INVALID,
          'job.invalid_work_category',
        ),
        c(
          'SubmitJob with a work category the contract does not know',
          'submitJob',
          () => submitRequest({ workCategory: 42 as jobIntakeV1.WorkCategory }),
          'business',
          INVALID,
          'job.invalid_work_category',
        ),
        c(
          'SubmitJob without pricing',
          'submitJob',
          () => submitRequest({ pricing: undefined }),
          'business',
          INVALID,
          'request.missing_field',
        ),
        c(
          'SubmitJob with the pricing kind unspecified',
          'submitJob',
          () => submitRequest({ pricing: { kind: PricingKind.PRICING_KIND_UNSPECIFIED } }),
          'business',
          INVALID,
          'job.invalid_pricing',
        ),
        c(
          'SubmitJob hourly without a rate',
          'submitJob',
          () => submitRequest({ pricing: { kind: PricingKind.PRICING_KIND_HOURLY } }),
          'business',
          INVALID,
          'request.missing_field',
        ),
        c(
          'SubmitJob hourly at ¥0 an hour',
          'submitJob',
          () => submitRequest({ pricing: { kind: PricingKind.PRICING_KIND_HOURLY, hourlyRate: moneyFromYen(0) } }),
          'business',
          INVALID,
          'job.invalid_amount',
        ),
        c(
          'SubmitJob at a fixed price with an hourly rate',
          'submitJob',
          () =>
            submitRequest({ pricing: { kind: PricingKind.PRICING_KIND_FIXED_PRICE, hourlyRate: moneyFromYen(1_000) } }),
          'business',
          INVALID,
          'job.invalid_pricing',
        ),
        c(
          'SubmitJob without an amount',
          'submitJob',
          () => submitRequest({ amount: undefined }),
          'business',
          INVALID,
          'request.missing_field',
        ),
        c(
          'SubmitJob with a negative amount',
          'submitJob',
          () => submitRequest({ amount: moneyFromYen(-100) }),
          'business',
          INVALID,
          'job.invalid_amount',
        ),
        c(
          'SubmitJob with an amount of ¥0',
          'submitJob',
          () => submitRequest({ amount: moneyFromYen(0) }),
          'business',
          INVALID,
          'job.invalid_amount',
        ),
        c(
          'SubmitJob above ¥1,000,000,000,000',
          'submitJob',
          () => submitRequest({ amount: moneyFromYen(1_000_000_000_001n) }),
          'business',
          INVALID,
          'job.invalid_amount',
        ),
        c(
          'SubmitJob without a deadline',
          'submitJob',
          () => submitRequest({ deadline: undefined }),
          'business',
          INVALID,
          'request.missing_field',
        ),
        c(
          'SubmitJob with a deadline in the past',
          'submitJob',
          () => submitRequest({ deadline: daysFromNow(-1) }),
          'business',
          INVALID,
          'job.invalid_deadline',
        ),
        c(
          'SubmitJob without a region',
          'submitJob',
          () => submitRequest({ regionId: '' }),
          'business',
          INVALID,
          'request.missing_field',
        ),
        c(
          'SubmitJob in a region not served',
          'submitJob',
          () => submitRequest({ regionId: 'atlantis' }),
          'operator',
          INVALID,
          'job.unknown_region',
        ),
        c(
          'SubmitJob in another region than the business’s',
          'submitJob',
          () => submitRequest({ regionId: 'setagaya' }),
          'business',
          INVALID,
          'job.region_mismatch',
        ),
        c(
          'SubmitJob local to a town of another region',
          'submitJob',
          () => submitRequest({ localOnlyTownId: 'setagaya/sangenjaya' }),
          'business',
          INVALID,
          'job.unknown_town',
        ),
        c(
          'SubmitJob without skills',
          'submitJob',
          () => submitRequest({ skills: [] }),
          'business',
          INVALID,
          'job.invalid_skills',
        ),
        c(
          'SubmitJob with a skill twice',
          'submitJob',
          () => submitRequest({ skills: ['writing', 'writing'] }),
          'business',
          INVALID,
          'job.invalid_skills',
        ),
        c(
          'SubmitJob without a token',
          'submitJob',
          () => submitRequest(),
          undefined,
          'UNAUTHENTICATED',
          'auth.token_missing',
        ),
        c('SubmitJob by a member', 'submitJob', () => submitRequest(), 'member', 'PERMISSION_DENIED', 'job.forbidden'),
        // QuoteJob
        c(
          'QuoteJob without a request id',
          'quoteJob',
          () => quoteRequest(job('submitted'), { requestId: '' }),
          'coordinator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'QuoteJob without a job id',
          'quoteJob',
          () => quoteRequest(''),
          'coordinator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'QuoteJob with a job id that is no id',
          'quoteJob',
          () => quoteRequest('job-42'),
          'coordinator',
          INVALID,
          'job.invalid_id',
        ),
        c(
          'QuoteJob of an unknown job',
          'quoteJob',
          () => quoteRequest(unknownJob),
          'coordinator',
          'NOT_FOUND',
          'job.not_found',
        ),
        c(
          'QuoteJob without an amount',
          'quoteJob',
          () => quoteRequest(job('submitted'), { amount: undefined }),
          'coordinator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'QuoteJob with a negative amount',
          'quoteJob',
          () => quoteRequest(job('submitted'), { amount: moneyFromYen(-1) }),
          'coordinator',
          INVALID,
          'job.invalid_amount',
        ),
        c(
          'QuoteJob with an estimate of 0 minutes',
          'quoteJob',
          () => quoteRequest(job('submitted'), { estimatedMinutes: 0 }),
          'coordinator',
          INVALID,
          'job.invalid_estimated_minutes',
        ),
        c(
          'QuoteJob with a negative estimate',
          'quoteJob',
          () => quoteRequest(job('submitted'), { estimatedMinutes: -30 }),
          'coordinator',
          INVALID,
          'job.invalid_estimated_minutes',
        ),
        c(
          'QuoteJob without a delivery date',
          'quoteJob',
          () => quoteRequest(job('submitted'), { deliveryDate: undefined }),
          'coordinator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'QuoteJob delivering after the deadline',
          'quoteJob',
          () => quoteRequest(job('submitted'), { deliveryDate: daysFromNow(60) }),
          'coordinator',
          INVALID,
          'job.delivery_after_deadline',
        ),
        c(
          'QuoteJob delivering in the past',
          'quoteJob',
          () => quoteRequest(job('submitted'), { deliveryDate: daysFromNow(-2) }),
          'coordinator',
          INVALID,
          'job.invalid_delivery_date',
        ),
        c(
          'QuoteJob of an accepted job',
          'quoteJob',
          () => quoteRequest(job('accepted')),
          'coordinator',
          'FAILED_PRECONDITION',
          'job.not_quotable',
        ),
        c(
          'QuoteJob by the setagaya coordinator',
          'quoteJob',
          () => quoteRequest(job('submitted')),
          'setagayaCoordinator',
          'PERMISSION_DENIED',
          'job.forbidden',
        ),
        // AcceptQuote
        c(
          'AcceptQuote without a request id',
          'acceptQuote',
          () => ({ requestId: '', jobId: job('quoted') }),
          'business',
          INVALID,
          'request.missing_field',
        ),
        c(
          'AcceptQuote of an unknown job',
          'acceptQuote',
          () => ({ requestId: randomUUID(), jobId: unknownJob }),
          'business',
          'NOT_FOUND',
          'job.not_found',
        ),
        c(
          'AcceptQuote of a job not quoted',
          'acceptQuote',
          () => ({ requestId: randomUUID(), jobId: job('submitted') }),
          'business',
          'FAILED_PRECONDITION',
          'job.not_acceptable',
        ),
        c(
          'AcceptQuote by another business',
          'acceptQuote',
          () => ({ requestId: randomUUID(), jobId: job('quoted') }),
          'otherBusiness',
          'PERMISSION_DENIED',
          'job.forbidden',
        ),
        c(
          'AcceptQuote by the coordinator',
          'acceptQuote',
          () => ({ requestId: randomUUID(), jobId: job('quoted') }),
          'coordinator',
          'PERMISSION_DENIED',
          'job.forbidden',
        ),
        // DeclineQuote
        c(
          'DeclineQuote without a reason',
          'declineQuote',
          () => ({ requestId: randomUUID(), jobId: job('quoted'), reason: '' }),
          'business',
          INVALID,
          'job.invalid_reason',
        ),
        c(
          'DeclineQuote with a reason of 1,001 characters',
          'declineQuote',
          () => ({ requestId: randomUUID(), jobId: job('quoted'), reason: 'r'.repeat(1_001) }),
          'business',
          INVALID,
          'job.invalid_reason',
        ),
        c(
          'DeclineQuote of a job not quoted',
          'declineQuote',
          () => ({ requestId: randomUUID(), jobId: job('accepted'), reason: 'no' }),
          'business',
          'FAILED_PRECONDITION',
          'job.not_declinable',
        ),
        c(
          'DeclineQuote by another business',
          'declineQuote',
          () => ({ requestId: randomUUID(), jobId: job('quoted'), reason: 'no' }),
          'otherBusiness',
          'PERMISSION_DENIED',
          'job.forbidden',
        ),
        // StartJob
        c(
          'StartJob without a job id',
          'startJob',
          () => ({ requestId: randomUUID(), jobId: '' }),
          'coordinator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'StartJob of a job not accepted',
          'startJob',
          () => ({ requestId: randomUUID(), jobId: job('quoted') }),
          'coordinator',
          'FAILED_PRECONDITION',
          'job.not_startable',
        ),
        c(
          'StartJob by the business',
          'startJob',
          () => ({ requestId: randomUUID(), jobId: job('accepted') }),
          'business',
          'PERMISSION_DENIED',
          'job.forbidden',
        ),
        // DeliverJob
        c(
          'DeliverJob of a job not in progress',
          'deliverJob',
          () => ({ requestId: randomUUID(), jobId: job('accepted'), note: '' }),
          'coordinator',
          'FAILED_PRECONDITION',
          'job.not_deliverable',
        ),
        c(
          'DeliverJob with a note of 2,001 characters',
          'deliverJob',
          () => ({ requestId: randomUUID(), jobId: job('inProgress'), note: 'n'.repeat(2_001) }),
          'coordinator',
          INVALID,
          'job.invalid_note',
        ),
        c(
          'DeliverJob by the setagaya coordinator',
          'deliverJob',
          () => ({ requestId: randomUUID(), jobId: job('inProgress'), note: '' }),
          'setagayaCoordinator',
          'PERMISSION_DENIED',
          'job.forbidden',
        ),
        // InspectJob
        c(
          'InspectJob rejecting without a reason',
          'inspectJob',
          () => ({ requestId: randomUUID(), jobId: job('delivered'), accepted: false, reason: '' }),
          'business',
          INVALID,
          'job.invalid_reason',
        ),
        c(
          'InspectJob accepting with a reason',
          'inspectJob',
          () => ({ requestId: randomUUID(), jobId: job('delivered'), accepted: true, reason: 'ok' }),
          'business',
          INVALID,
          'job.unexpected_reason',
        ),
        c(
          'InspectJob of a job not delivered',
          'inspectJob',
          () => ({ requestId: randomUUID(), jobId: job('inProgress'), accepted: true, reason: '' }),
          'business',
          'FAILED_PRECONDITION',
          'job.not_inspectable',
        ),
        c(
          'InspectJob by the coordinator',
          'inspectJob',
          () => ({ requestId: randomUUID(), jobId: job('delivered'), accepted: true, reason: '' }),
          'coordinator',
          'PERMISSION_DENIED',
          'job.forbidden',
        ),
        // CloseJob
        c(
          'CloseJob of a job not inspected',
          'closeJob',
          () => ({ requestId: randomUUID(), jobId: job('delivered') }),
          'coordinator',
          'FAILED_PRECONDITION',
          'job.not_closable',
        ),
        c(
          'CloseJob by the business',
          'closeJob',
          () => ({ requestId: randomUUID(), jobId: job('inspected') }),
          'business',
          'PERMISSION_DENIED',
          'job.forbidden',
        ),
        c(
          'CloseJob without a request id',
          'closeJob',
          () => ({ requestId: '', jobId: job('inspected') }),
          'coordinator',
          INVALID,
          'request.missing_field',
        ),
        // CancelJob
        c(
          'CancelJob without a reason',
          'cancelJob',
          () => ({ requestId: randomUUID(), jobId: job('submitted'), reason: '  ' }),
          'business',
          INVALID,
          'job.invalid_reason',
        ),
        c(
          'CancelJob of a job in progress',
          'cancelJob',
          () => ({ requestId: randomUUID(), jobId: job('inProgress'), reason: 'late' }),
          'coordinator',
          'FAILED_PRECONDITION',
          'job.not_cancellable',
        ),
        c(
          'CancelJob of an accepted job by its business',
          'cancelJob',
          () => ({ requestId: randomUUID(), jobId: job('accepted'), reason: 'late' }),
          'business',
          'PERMISSION_DENIED',
          'job.forbidden',
        ),
        c(
          'CancelJob of an unknown job',
          'cancelJob',
          () => ({ requestId: randomUUID(), jobId: unknownJob, reason: 'x' }),
          'coordinator',
          'NOT_FOUND',
          'job.not_found',
        ),
        // Queries (they store nothing anyway; their refusals are part of the contract)
        c('GetJob without a job id', 'getJob', () => ({ jobId: '' }), 'operator', INVALID, 'request.missing_field'),
        c(
          'GetJob with a job id that is no id',
          'getJob',
          () => ({ jobId: 'nope' }),
          'operator',
          INVALID,
          'job.invalid_id',
        ),
        c(
          'GetJob of an unknown job',
          'getJob',
          () => ({ jobId: unknownJob }),
          'operator',
          'NOT_FOUND',
          'job.not_found',
        ),
        c(
          'ListJobs with a page token it never gave',
          'listJobs',
          () => ({ page: { pageSize: 0, pageToken: 'forged' }, regionId: '', businessId: '', status: 0 }),
          'operator',
          INVALID,
          'request.invalid_page_token',
        ),
        c(
          'ListJobs with a status the contract does not know',
          'listJobs',
          () => ({ regionId: '', businessId: '', status: 99 as jobIntakeV1.JobStatus }),
          'operator',
          INVALID,
          'job.invalid_status',
        ),
        c(
          'ListJobs with a negative page size',
          'listJobs',
          () => ({ page: { pageSize: -5, pageToken: '' }, regionId: '', businessId: '', status: 0 }),
          'operator',
          INVALID,
          'request.invalid_page_size',
        ),
      ];

      it.each(cases)('%s', async (_, method, request, person, status, code) => {
        const head = await env.store.headPosition();
        expect(
          await refusal(wire(server.address, method, request(), person === undefined ? undefined : token(person))),
        ).toEqual({ status, errorCode: code });
        expect(await env.store.headPosition()).toEqual(head);
      });

      it('the fixtures are still where they were (no refused call moved them)', async () => {
        expect(await statusOf(job('submitted'))).toBe(JobStatus.JOB_STATUS_SUBMITTED);
        expect(await statusOf(job('quoted'))).toBe(JobStatus.JOB_STATUS_QUOTED);
        expect(await statusOf(job('accepted'))).toBe(JobStatus.JOB_STATUS_ACCEPTED);
        expect(await statusOf(job('inProgress'))).toBe(JobStatus.JOB_STATUS_IN_PROGRESS);
        expect(await statusOf(job('delivered'))).toBe(JobStatus.JOB_STATUS_DELIVERED);
        expect(await statusOf(job('inspected'))).toBe(JobStatus.JOB_STATUS_INSPECTED);
      });
    });
  });
};
