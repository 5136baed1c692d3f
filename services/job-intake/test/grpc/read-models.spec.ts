/**
 * The ops API of a service's durable read models (workshare.ops.v1.ReadModelsService, beside
 * job intake's own API on its gRPC port): an operator lists the job board's checkpoint and
 * documents and rebuilds it from zero, watching its progress; nobody else may; what the service
 * serves is the same after the rebuild.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { createClient, IdentityTokenVerifierClient, refusal, wireCall, type GrpcServer } from '@workshare/grpc';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import { jobIntakeV1, moneyFromYen, opsV1 } from '@workshare/proto';
import { startJobIntakeGrpc } from '../../src/adapters/grpc/job-intake-grpc.js';
import { openJobIntakeService, type JobIntakeRuntime } from '../../src/open-job-intake.js';
import { daysFromNow } from '../cooperative.js';

describe('the read models API of job intake', () => {
  let store: EventStore;
  let coop: TestCooperative;
  let runtime: JobIntakeRuntime;
  let server: GrpcServer;
  let verifier: IdentityTokenVerifierClient;

  beforeAll(async () => {
    store = await openEventStore('embedded:memory');
    coop = await startTestCooperative({ store });
    runtime = await openJobIntakeService({ store, identityAddress: coop.identityAddress });
    verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
    server = await startJobIntakeGrpc({
      service: runtime.service,
      port: 0,
      host: '127.0.0.1',
      verifier,
      readModels: runtime.service.readModels,
    });
    const jobs = createClient(jobIntakeV1.JobIntakeServiceClient, server.address, { deadlineMs: 20_000 });
    for (let i = 0; i < 3; i++)
      await jobs.submitJob(
        {
          requestId: randomUUID(),
          businessId: coop.businesses.fujisato,
          title: `記事 ${i}`,
          description: '白神山地の紹介記事',
          workCategory: jobIntakeV1.WorkCategory.WORK_CATEGORY_WRITING,
          pricing: { kind: jobIntakeV1.PricingKind.PRICING_KIND_FIXED_PRICE },
          amount: moneyFromYen(60_000),
          deadline: daysFromNow(45),
          regionId: 'fujisato',
          localOnlyTownId: '',
          skills: ['writing'],
        },
        { token: coop.business.token },
      );
    await jobs.listJobs(
      { page: { pageSize: 10, pageToken: '' }, regionId: '', businessId: '', status: 0 },
      { token: coop.operator.token },
    );
    jobs.close();
  });
  afterAll(async () => {
    await server?.shutdown(1_000);
    verifier?.close();
    await runtime?.close();
    await coop?.close();
    await store?.close();
  });

  const ops = <K extends 'listReadModels' | 'rebuildReadModel'>(
    method: K,
    request: K extends 'listReadModels' ? opsV1.ListReadModelsRequest : opsV1.RebuildReadModelRequest,
    token: string,
  ) => wireCall(opsV1.ReadModelsServiceService, server.address, method, request as never, { token });

  const board = async () => {
    const answer = await ops('listReadModels', {}, coop.operator.token);
    if (!answer.ok) throw new Error(`ListReadModels failed: ${answer.status}`);
    return (answer.response as opsV1.ListReadModelsResponse).readModels.find((m) => m.name === 'job-board')!;
  };

  it('lists the job board with its categories, checkpoint and documents', async () => {
    const model = await board();
    expect(model).toMatchObject({ codeVersion: 1, generation: 1, categories: ['job'], rebuild: undefined });
    expect(model.checkpoint).toMatch(/^\d+\/\d+$/);
    expect(Number(model.documents.jobs)).toBe(3);
  });

  it('rebuilds it from zero for an operator, and holds the same documents after', async () => {
    const started = await ops('rebuildReadModel', { name: 'job-board' }, coop.operator.token);
    expect(started.ok && (started.response as opsV1.RebuildReadModelResponse).readModel?.name).toBe('job-board');
    let model = await board();
    for (let i = 0; i < 100 && (model.rebuild !== undefined || model.generation < 2); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      model = await board();
    }
    expect(model).toMatchObject({ generation: 2, rebuild: undefined });
    expect(Number(model.documents.jobs)).toBe(3);
  });

  it('refuses everyone but an operator, and a read model it does not have', async () => {
    for (const person of ['member', 'coordinator', 'business', 'accountant'] as const) {
      expect(await refusal(ops('listReadModels', {}, coop[person].token))).toMatchObject({
        status: 'PERMISSION_DENIED',
        errorCode: 'read_models.forbidden',
      });
      expect(await refusal(ops('rebuildReadModel', { name: 'job-board' }, coop[person].token))).toMatchObject({
        status: 'PERMISSION_DENIED',
      });
    }
    expect(await refusal(ops('listReadModels', {}, 'not-a-token'))).toMatchObject({ status: 'UNAUTHENTICATED' });
    expect(await refusal(ops('rebuildReadModel', { name: 'roster' }, coop.operator.token))).toMatchObject({
      status: 'NOT_FOUND',
      errorCode: 'read_models.not_found',
    });
  });
});
