/**
 * One trace follows a command from the gRPC call, through the store append and the bus, to the
 * consumer that handles the event it produced (DESIGN §2, observability). Spans are caught by
 * an in-memory exporter; the platform is wired as the launcher wires it, in one process.
 */
import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { openEventBus, type EventBus } from '@workshare/bus';
import type { EventStore, RecordedEvent } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { createClient } from '@workshare/grpc';
import { InMemoryKeyVault, openIdentityService, startIdentityGrpc, type IdentityRuntime } from '@workshare/identity';
import { identityV1 } from '@workshare/proto';
import { startTestTelemetry, withSpan, type TestTelemetry } from '@workshare/telemetry';

describe('one trace from a gRPC command to the bus consumer', () => {
  let telemetry: TestTelemetry;
  let store: EventStore;
  let bus: EventBus;
  let identity: IdentityRuntime;
  let server: Awaited<ReturnType<typeof startIdentityGrpc>>;

  beforeAll(async () => {
    telemetry = await startTestTelemetry();
    store = await openEventStore('embedded:memory');
    bus = openEventBus({ store, natsUrl: undefined });
    identity = await openIdentityService({
      store,
      storeUrl: 'embedded:memory',
      keyVault: new InMemoryKeyVault(),
      scryptCost: { N: 1024, r: 8, p: 1 },
      env: {},
    });
    server = await startIdentityGrpc({ service: identity.service, port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.shutdown(1_000);
    await bus?.close();
    await identity?.close();
    await store?.close();
    await telemetry?.shutdown();
  });

  it('links the client call, the server call, the append and the handler', async () => {
    await identity.service.bootstrapOperator({
      name: 'Operator',
      email: 'operator@trace.example',
      password: 'a long password 1',
    });
    const anonymous = createClient(identityV1.IdentityServiceClient, `127.0.0.1:${server.port}`);
    const { accessToken } = await anonymous.login({ email: 'operator@trace.example', password: 'a long password 1' });
    anonymous.close();
    const client = createClient(identityV1.IdentityServiceClient, `127.0.0.1:${server.port}`, { token: accessToken });

    // The handler may run before the call returns: it notes what it saw, with its trace.
    const seen: { event: RecordedEvent; traceId: string | undefined }[] = [];
    bus.subscribe({
      consumer: 'trace-test',
      filter: { types: ['UserRegistered'] },
      handle: (event) => void seen.push({ event, traceId: trace.getActiveSpan()?.spanContext().traceId }),
    });
    const { traceId, userId } = await withSpan('test.register-user', {}, async (span) => {
      const response = await client.registerUser({
        requestId: randomUUID(),
        name: 'Accountant',
        email: 'accountant@trace.example',
        password: 'another long password',
      });
      return { traceId: span.spanContext().traceId, userId: response.userId };
    });
    client.close();
    let handled: { event: RecordedEvent; traceId: string | undefined } | undefined;
    for (let tries = 0; !handled && tries < 400; tries++) {
      handled = seen.find((h) => h.event.data.userId === userId);
      if (!handled) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(handled).toBeDefined();
    const { event, traceId: handlerTraceId } = handled!;

    expect(handlerTraceId).toBe(traceId);
    expect(event.metadata.traceparent).toContain(traceId);
    const spans = telemetry.trace(traceId);
    const kinds = spans.map((s) => s.name);
    expect(kinds).toEqual(expect.arrayContaining(['test.register-user', 'eventstore.append']));
    expect(kinds.some((name) => /RegisterUser/.test(name))).toBe(true); // the rpc spans
    const root = spans.find((s) => s.name === 'test.register-user')!;
    expect(spans.every((s) => s.spanContext().traceId === root.spanContext().traceId)).toBe(true);
  }, 60_000);
});
