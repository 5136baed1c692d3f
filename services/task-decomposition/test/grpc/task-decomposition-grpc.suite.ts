/**
 * The task decomposition service over real gRPC on a loopback socket, callers verified by a real
 * identity service (the test cooperative, real tokens): every RPC, authorisation, and the bad
 * input of every RPC answering its status and `x-error-code` with nothing stored. Run on the
 * embedded store (task-decomposition-grpc.spec.ts) and on PostgreSQL (*.int.spec.ts).
 */
import { randomUUID } from 'node:crypto';
import type { CommandContext, DomainError, EventStore, GlobalPosition } from '@workshare/eventsourcing';
import {
  createClient,
  IdentityTokenVerifierClient,
  jsonLogger,
  type GrpcServer,
  type ServiceClient,
} from '@workshare/grpc';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import { taskDecompositionV1 } from '@workshare/proto';
import { startTaskDecompositionGrpc } from '../../src/adapters/grpc/task-decomposition-grpc.js';
import { PROCESS_MANAGER_ACTOR } from '../../src/application/process-manager.js';
import { TaskDecompositionService } from '../../src/application/task-decomposition-service.js';
import { planStream, taskIdFor, type AcceptedJob } from '../../src/domain/plan.js';
import { refusal, wire, wireBytes, wireWithAuthorization, type WireOutcome } from './wire.js';

export interface GrpcTestEnv {
  readonly store: EventStore;
  close(): Promise<void>;
}

const { PlanStatus } = taskDecompositionV1;
const JOB_DEADLINE = new Date('2026-09-30T09:00:00.000Z');
const DUE = new Date('2026-09-20T09:00:00.000Z');

const draft = (
  key: string,
  estimatedMinutes: number,
  dependsOn: string[] = [],
  deadline = DUE,
): taskDecompositionV1.TaskDraft => ({
  key,
  title: `Enter records (${key})`,
  estimatedMinutes,
  skills: ['data entry'],
  dependsOn,
  deadline,
});
/** 240 minutes: two batches, then a check due at the job's deadline. */
const validDrafts = (): taskDecompositionV1.TaskDraft[] => [
  draft('a', 100),
  draft('b', 100),
  draft('check', 40, ['a', 'b'], JOB_DEADLINE),
];
/** The process manager's context, reacting to some job intake event. */
const fromJobEvent = (): CommandContext => ({ actor: PROCESS_MANAGER_ACTOR, causationId: randomUUID() });

export const describeTaskDecompositionGrpc = (label: string, setup: () => Promise<GrpcTestEnv>): void => {
  describe(`task decomposition over gRPC (${label})`, () => {
    let env: GrpcTestEnv;
    let coop: TestCooperative;
    let service: TaskDecompositionService;
    let verifier: IdentityTokenVerifierClient;
    let server: GrpcServer;
    let address: string;
    let client: ServiceClient<typeof taskDecompositionV1.TaskDecompositionServiceService>;

    /** A job accepted in fujisato (by the cooperative's business), planned by the process manager's command. */
    const acceptedJob = async (overrides: Partial<AcceptedJob> = {}): Promise<string> => {
      const jobId = randomUUID();
      await service.proposePlan(fromJobEvent(), {
        jobId,
        businessId: coop.businesses.fujisato,
        regionId: 'fujisato',
        localOnlyTownId: null,
        workCategory: 'data_entry',
        title: '会員名簿の入力',
        skills: [],
        estimatedMinutes: 240,
        deadline: JOB_DEADLINE.toISOString(),
        acceptedAt: '2026-09-01T00:00:00.000Z',
        ...overrides,
      });
      return jobId;
    };

    type Snapshot = { head: GlobalPosition; events: number };
    const snapshot = async (): Promise<Snapshot> => ({
      head: await env.store.headPosition(),
      events: (await env.store.readAll({ limit: 10_000 })).length,
    });
    const refusedWithNothingStored = async (
      call: () => Promise<WireOutcome<unknown>>,
      status: string,
      errorCode: string,
    ): Promise<void> => {
      const before = await snapshot();
      expect(await refusal(call())).toEqual({ status, errorCode });
      expect(await snapshot()).toEqual(before);
    };

    beforeAll(async () => {
      env = await setup();
      coop = await startTestCooperative({ store: env.store });
      service = new TaskDecompositionService({ store: env.store });
      verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
      server = await startTaskDecompositionGrpc({
        service,
        port: 0,
        host: '127.0.0.1',
        verifier,
        logger: jsonLogger('error'),
      });
      address = server.address;
      client = createClient(taskDecompositionV1.TaskDecompositionServiceClient, address, { deadlineMs: 20_000 });
    });
    afterAll(async () => {
      client?.close();
      await server?.shutdown(1_000);
      verifier?.close();
      await coop?.close();
      await env?.close();
    });

    describe('every RPC', () => {
      it('GetPlan: the proposed plan, for the coordinator of its region, its business, the accountant and operators', async () => {
        const jobId = await acceptedJob({ localOnlyTownId: 'fujisato/kasuge' });
        const { plan } = await client.getPlan({ jobId }, { token: coop.coordinator.token });
        expect(plan).toMatchObject({
          jobId,
          regionId: 'fujisato',
          localOnlyTownId: 'fujisato/kasuge',
          status: PlanStatus.PLAN_STATUS_PROPOSED,
          round: 1,
          jobEstimatedMinutes: 240,
          jobDeadline: JOB_DEADLINE,
          maxTaskMinutes: 120,
          reworkReason: '',
          version: '0',
        });
        expect(plan!.tasks.map((t) => [t.taskId, t.key, t.estimatedMinutes, t.dependsOn, t.round])).toEqual([
          ['', 'entry-1', 108, [], 1],
          ['', 'entry-2', 108, [], 1],
          ['', 'check-1', 24, ['entry-1', 'entry-2'], 1],
        ]);
        for (const reader of [coop.business, coop.accountant, coop.operator]) {
          await expect(client.getPlan({ jobId }, { token: reader.token })).resolves.toEqual({ plan });
        }
      });

      it('RevisePlan then ConfirmPlan: the coordinator edits, confirms, and TasksPlanned is stored with derived task ids', async () => {
        const jobId = await acceptedJob();
        const { plan: revisedPlan } = await client.revisePlan(
          { requestId: randomUUID(), jobId, tasks: validDrafts(), expectedVersion: '0' },
          { token: coop.coordinator.token },
        );
        expect(revisedPlan).toMatchObject({ status: PlanStatus.PLAN_STATUS_PROPOSED, version: '1' });
        expect(revisedPlan!.tasks.map((t) => t.key)).toEqual(['a', 'b', 'check']);

        const requestId = randomUUID();
        const { plan } = await client.confirmPlan(
          { requestId, jobId, expectedVersion: '1' },
          { token: coop.coordinator.token },
        );
        const ids = ['a', 'b', 'check'].map((k) => taskIdFor(jobId, 1, k));
        expect(plan).toMatchObject({ status: PlanStatus.PLAN_STATUS_CONFIRMED, round: 1, version: '2' });
        expect(plan!.tasks.map((t) => [t.taskId, t.key, t.dependsOn, t.deadline])).toEqual([
          [ids[0], 'a', [], DUE],
          [ids[1], 'b', [], DUE],
          [ids[2], 'check', ['a', 'b'], JOB_DEADLINE],
        ]);
        const events = await env.store.readStream(planStream(jobId));
        expect(events.map((e) => e.type)).toEqual(['PlanProposed', 'PlanRevised', 'TasksPlanned']);
        expect(events[2]!.data).toMatchObject({
          jobId,
          businessId: coop.businesses.fujisato,
          regionId: 'fujisato',
          round: 1,
          plannedBy: coop.coordinator.id,
        });
        expect((events[2]!.data.tasks as { dependsOn: string[] }[])[2]!.dependsOn).toEqual([ids[0], ids[1]]);
        expect(events[2]!.metadata).toMatchObject({
          actor: coop.coordinator.id,
          commandId: `${coop.coordinator.id}:${requestId}`,
        });

        // A retried confirmation (the answer was lost) is answered again, not applied twice.
        const before = await snapshot();
        await expect(
          client.confirmPlan({ requestId, jobId, expectedVersion: '1' }, { token: coop.coordinator.token }),
        ).resolves.toEqual({ plan });
        expect(await snapshot()).toEqual(before);
      });

      it('a rework round: the remaining work revised and confirmed as round 2, after round 1', async () => {
        const jobId = await acceptedJob();
        await client.confirmPlan(
          { requestId: randomUUID(), jobId, expectedVersion: '-1' },
          { token: coop.coordinator.token },
        );
        await service.requestRework(fromJobEvent(), { jobId, reason: 'records 12-20 are missing' });
        const { plan: reopened } = await client.getPlan({ jobId }, { token: coop.business.token });
        expect(reopened).toMatchObject({
          status: PlanStatus.PLAN_STATUS_REWORK_NEEDED,
          round: 2,
          reworkReason: 'records 12-20 are missing',
          version: '2',
        });
        await refusedWithNothingStored(
          () =>
            wire(
              address,
              'confirmPlan',
              { requestId: randomUUID(), jobId, expectedVersion: '2' },
              coop.coordinator.token,
            ),
          'FAILED_PRECONDITION',
          'plan.no_tasks',
        );
        await client.revisePlan(
          { requestId: randomUUID(), jobId, tasks: [draft('fix', 45)], expectedVersion: '2' },
          { token: coop.coordinator.token },
        );
        const { plan } = await client.confirmPlan(
          { requestId: randomUUID(), jobId, expectedVersion: '3' },
          { token: coop.coordinator.token },
        );
        expect(plan).toMatchObject({ status: PlanStatus.PLAN_STATUS_CONFIRMED, round: 2, reworkReason: '' });
        expect(plan!.tasks.map((t) => [t.key, t.round])).toEqual([
          ['entry-1', 1],
          ['entry-2', 1],
          ['check-1', 1],
          ['fix', 2],
        ]);
        expect(plan!.tasks[3]!.taskId).toBe(taskIdFor(jobId, 2, 'fix'));
      });

      it('an invalid plan is refused with every violation in x-error-details, nothing stored', async () => {
        const jobId = await acceptedJob();
        const tasks = validDrafts();
        tasks[0] = { ...tasks[0]!, estimatedMinutes: 150, skills: [] };
        tasks[1] = { ...tasks[1]!, dependsOn: ['check'] };
        const before = await snapshot();
        const error = (await client
          .revisePlan(
            { requestId: randomUUID(), jobId, tasks, expectedVersion: '0' },
            { token: coop.coordinator.token },
          )
          .catch((e: unknown) => e)) as DomainError;
        expect(error).toMatchObject({ code: 'plan.invalid', kind: 'invalid' });
        expect((error.details.violations as { code: string; key?: string }[]).map((v) => [v.code, v.key])).toEqual([
          ['plan.task_too_long', 'a'],
          ['plan.skills_missing', 'a'],
          ['plan.deadline_before_predecessor', 'b'],
          ['plan.cycle', 'b'],
          ['plan.estimates_mismatch', undefined],
        ]);
        expect(await snapshot()).toEqual(before);
      });
    });

    describe('authorisation', () => {
      let jobId: string;
      beforeAll(async () => {
        jobId = await acceptedJob();
      });

      it("only a coordinator of the job's region revises and confirms; others are PERMISSION_DENIED, nothing stored", async () => {
        for (const someone of [
          coop.setagayaCoordinator,
          coop.business,
          coop.otherBusiness,
          coop.accountant,
          coop.operator,
          coop.member,
        ]) {
          await refusedWithNothingStored(
            () =>
              wire(
                address,
                'revisePlan',
                { requestId: randomUUID(), jobId, tasks: validDrafts(), expectedVersion: '0' },
                someone.token,
              ),
            'PERMISSION_DENIED',
            'plan.forbidden',
          );
          await refusedWithNothingStored(
            () => wire(address, 'confirmPlan', { requestId: randomUUID(), jobId, expectedVersion: '0' }, someone.token),
            'PERMISSION_DENIED',
            'plan.forbidden',
          );
        }
      });

      it("another region's coordinator, another business and a member do not read the plan", async () => {
        for (const someone of [coop.setagayaCoordinator, coop.otherBusiness, coop.setagayaBusiness, coop.member]) {
          expect(await refusal(wire(address, 'getPlan', { jobId }, someone.token))).toEqual({
            status: 'PERMISSION_DENIED',
            errorCode: 'plan.forbidden',
          });
        }
      });

      it('no token, another scheme, a forged or expired token: UNAUTHENTICATED, nothing stored', async () => {
        const request = { requestId: randomUUID(), jobId, expectedVersion: '0' };
        await refusedWithNothingStored(
          () => wire(address, 'confirmPlan', request),
          'UNAUTHENTICATED',
          'auth.token_missing',
        );
        await refusedWithNothingStored(
          () => wireWithAuthorization(address, 'confirmPlan', request, `Basic ${coop.coordinator.token}`),
          'UNAUTHENTICATED',
          'auth.malformed_authorization',
        );
        const [header, payload, signature] = coop.setagayaCoordinator.token.split('.') as [string, string, string];
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
        const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, regions: ['fujisato'] })).toString('base64url')}.${signature}`;
        await refusedWithNothingStored(
          () => wire(address, 'confirmPlan', request, forged),
          'UNAUTHENTICATED',
          'auth.invalid_token',
        );
        await refusedWithNothingStored(
          () => wire(address, 'getPlan', { jobId }, `${coop.coordinator.token.slice(0, -4)}AAAA`),
          'UNAUTHENTICATED',
          'auth.invalid_token',
        );
        await refusedWithNothingStored(
          () => wire(address, 'getPlan', { jobId }, 'not-a-token'),
          'UNAUTHENTICATED',
          'auth.invalid_token',
        );
        await refusedWithNothingStored(
          () => wire(address, 'confirmPlan', request, coop.expiredToken),
          'UNAUTHENTICATED',
          'auth.token_expired',
        );
      });
    });

    describe('bad input: the right status and code, nothing stored', () => {
      let jobId: string;
      beforeAll(async () => {
        jobId = await acceptedJob();
      });
      const token = () => coop.coordinator.token;
      const revise = (overrides: Partial<taskDecompositionV1.RevisePlanRequest>) => () =>
        wire(
          address,
          'revisePlan',
          { requestId: randomUUID(), jobId, tasks: validDrafts(), expectedVersion: '0', ...overrides },
          token(),
        );
      const confirm = (overrides: Partial<taskDecompositionV1.ConfirmPlanRequest>) => () =>
        wire(address, 'confirmPlan', { requestId: randomUUID(), jobId, expectedVersion: '0', ...overrides }, token());

      it('GetPlan', async () => {
        await refusedWithNothingStored(
          () => wire(address, 'getPlan', { jobId: '' }, token()),
          'INVALID_ARGUMENT',
          'request.missing_field',
        );
        await refusedWithNothingStored(
          () => wire(address, 'getPlan', { jobId: 'job-42' }, token()),
          'INVALID_ARGUMENT',
          'plan.invalid_job_id',
        );
        await refusedWithNothingStored(
          () => wire(address, 'getPlan', { jobId: randomUUID() }, token()),
          'NOT_FOUND',
          'plan.not_found',
        );
        // job_id sent as a number (wire type varint): not read as a job id at all.
        await refusedWithNothingStored(
          () => wireBytes(address, 'getPlan', Buffer.from([0x08, 0x2a]), token()),
          'INVALID_ARGUMENT',
          'request.missing_field',
        );
      });

      it('RevisePlan', async () => {
        const cases: [() => Promise<WireOutcome<unknown>>, string, string][] = [
          [revise({ requestId: '' }), 'INVALID_ARGUMENT', 'request.missing_field'],
          [revise({ requestId: 'has a space' }), 'INVALID_ARGUMENT', 'request.invalid_request_id'],
          [revise({ requestId: 'x'.repeat(201) }), 'INVALID_ARGUMENT', 'request.invalid_request_id'],
          [revise({ jobId: '' }), 'INVALID_ARGUMENT', 'request.missing_field'],
          [revise({ jobId: 'not-a-uuid' }), 'INVALID_ARGUMENT', 'plan.invalid_job_id'],
          [revise({ jobId: randomUUID() }), 'NOT_FOUND', 'plan.not_found'],
          [revise({ jobId: randomUUID(), expectedVersion: '-1' }), 'NOT_FOUND', 'plan.not_found'],
          [revise({ tasks: [] }), 'INVALID_ARGUMENT', 'plan.invalid'],
          [
            revise({ tasks: [{ ...draft('a', 240), deadline: undefined }] }),
            'INVALID_ARGUMENT',
            'request.missing_field',
          ],
          [revise({ tasks: [{ ...draft('a', 120), key: '' }, draft('b', 120)] }), 'INVALID_ARGUMENT', 'plan.invalid'],
          [revise({ tasks: [{ ...draft('a', 120), title: '' }, draft('b', 120)] }), 'INVALID_ARGUMENT', 'plan.invalid'],
          [
            revise({ tasks: [draft('a', 120), draft('b', 120, [], new Date('2026-10-01T00:00:00Z'))] }),
            'INVALID_ARGUMENT',
            'plan.invalid',
          ],
          [revise({ tasks: [draft('a', -240)] }), 'INVALID_ARGUMENT', 'plan.invalid'],
          [revise({ expectedVersion: '-2' }), 'INVALID_ARGUMENT', 'request.invalid_expected_version'],
          [revise({ expectedVersion: '7' }), 'ABORTED', 'eventstore.wrong_expected_version'],
        ];
        for (const [call, status, code] of cases) await refusedWithNothingStored(call, status, code);
        // estimated_minutes sent as text (wire type length-delimited) inside a task: read as 0 minutes.
        const task = Buffer.concat([
          Buffer.from([0x0a, 0x01]),
          Buffer.from('a'),
          Buffer.from([0x12, 0x01]),
          Buffer.from('A'),
          Buffer.from([0x1a, 0x03]),
          Buffer.from('240'),
        ]);
        const bytes = Buffer.concat([
          Buffer.from([0x0a, 0x24]),
          Buffer.from(randomUUID()),
          Buffer.from([0x12, 0x24]),
          Buffer.from(jobId),
          Buffer.from([0x1a, task.length]),
          task,
        ]);
        await refusedWithNothingStored(
          () => wireBytes(address, 'revisePlan', bytes, token()),
          'INVALID_ARGUMENT',
          'request.missing_field',
        );
      });

      it('ConfirmPlan', async () => {
        await refusedWithNothingStored(confirm({ requestId: '' }), 'INVALID_ARGUMENT', 'request.missing_field');
        await refusedWithNothingStored(confirm({ jobId: '' }), 'INVALID_ARGUMENT', 'request.missing_field');
        await refusedWithNothingStored(confirm({ jobId: 'x' }), 'INVALID_ARGUMENT', 'plan.invalid_job_id');
        await refusedWithNothingStored(confirm({ jobId: randomUUID() }), 'NOT_FOUND', 'plan.not_found');
        await refusedWithNothingStored(
          confirm({ expectedVersion: '-5' }),
          'INVALID_ARGUMENT',
          'request.invalid_expected_version',
        );
        await refusedWithNothingStored(
          confirm({ expectedVersion: '3' }),
          'ABORTED',
          'eventstore.wrong_expected_version',
        );

        const confirmedJob = await acceptedJob();
        await client.confirmPlan(
          { requestId: randomUUID(), jobId: confirmedJob, expectedVersion: '0' },
          { token: token() },
        );
        await refusedWithNothingStored(
          confirm({ jobId: confirmedJob, expectedVersion: '1' }),
          'FAILED_PRECONDITION',
          'plan.not_open',
        );
        await refusedWithNothingStored(
          revise({ jobId: confirmedJob, expectedVersion: '1' }),
          'FAILED_PRECONDITION',
          'plan.not_open',
        );

        const cancelledJob = await acceptedJob();
        await service.cancelPlan(fromJobEvent(), { jobId: cancelledJob, reason: 'the business withdrew' });
        await refusedWithNothingStored(
          confirm({ jobId: cancelledJob, expectedVersion: '1' }),
          'FAILED_PRECONDITION',
          'plan.cancelled',
        );
        await refusedWithNothingStored(
          revise({ jobId: cancelledJob, expectedVersion: '1' }),
          'FAILED_PRECONDITION',
          'plan.cancelled',
        );
        const { plan: closed } = await client.getPlan({ jobId: cancelledJob }, { token: token() });
        expect(closed).toMatchObject({
          status: taskDecompositionV1.PlanStatus.PLAN_STATUS_CANCELLED,
          cancelReason: 'the business withdrew',
        });
      });
    });
  });
};
