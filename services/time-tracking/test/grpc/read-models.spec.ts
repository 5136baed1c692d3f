/**
 * The ops API of the service's durable read models (workshare.ops.v1.ReadModelsService, beside
 * time tracking's own API on its gRPC port): an operator lists task-holdings, member-regions and
 * timesheets with their categories, and rebuilds one from zero; what the service answers is
 * the same after the rebuild; nobody else may.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { createClient, IdentityTokenVerifierClient, refusal, wireCall, type GrpcServer } from '@workshare/grpc';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import { opsV1, timeTrackingV1 } from '@workshare/proto';
import { startTimeTrackingGrpc } from '../../src/adapters/grpc/time-tracking-grpc.js';
import { openTimeTrackingService, type TimeTrackingRuntime } from '../../src/open-time-tracking.js';
import { testClock, tokyo } from '../cooperative.js';
import { scheduleOf } from '../schedule.js';

describe('the read models API of time tracking', () => {
  let store: EventStore;
  let coop: TestCooperative;
  let runtime: TimeTrackingRuntime;
  let server: GrpcServer;
  let verifier: IdentityTokenVerifierClient;
  let task: string;
  const clock = testClock('2026-04-08T12:00');

  beforeAll(async () => {
    store = await openEventStore('embedded:memory');
    coop = await startTestCooperative({ store });
    const job = scheduleOf(store);
    [task] = job.taskIds as [string];
    await job.received(tokyo('2026-04-06T08:00'));
    await job.assigned(task, coop.member.id, tokyo('2026-04-06T09:00'));
    runtime = await openTimeTrackingService({ store, now: clock.now, readStalenessMs: 0, texts: coop.texts });
    verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
    server = await startTimeTrackingGrpc({
      service: runtime.service,
      port: 0,
      host: '127.0.0.1',
      verifier,
      readModels: runtime.service.readModels,
    });
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

  it('lists its three read models with the categories each reads', async () => {
    const answer = await ops('listReadModels', {}, coop.operator.token);
    if (!answer.ok) throw new Error(`ListReadModels failed: ${answer.status}`);
    const models = (answer.response as opsV1.ListReadModelsResponse).readModels;
    expect(models.map((m) => [m.name, m.categories])).toEqual([
      ['task-holdings', ['schedule']],
      ['member-regions', ['member']],
      ['timesheets', ['timesheet']],
    ]);
  });

  it('rebuilds the task holdings from zero: a span on the task is still hers', async () => {
    const answer = await ops('rebuildReadModel', { name: 'task-holdings' }, coop.operator.token);
    expect(answer.ok).toBe(true);
    const client = createClient(timeTrackingV1.TimeTrackingServiceClient, server.address, { deadlineMs: 20_000 });
    try {
      const { entry } = await client.recordSpan(
        { requestId: randomUUID(), taskId: task, start: tokyo('2026-04-06T10:00'), end: tokyo('2026-04-06T11:00') },
        { token: coop.member.token },
      );
      expect(entry?.minutes).toBe(60);
    } finally {
      client.close();
    }
  });

  it('is for operators only', async () => {
    expect(await refusal(ops('listReadModels', {}, coop.coordinator.token))).toMatchObject({
      status: 'PERMISSION_DENIED',
    });
  });
});
