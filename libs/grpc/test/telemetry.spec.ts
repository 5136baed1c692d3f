import { Metadata } from '@grpc/grpc-js';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { identityV1 } from '@workshare/proto';
import { createClient, startGrpcServer, TRACER_NAME, type GrpcServer, type ServiceClient } from '../src/index.js';
import { bearer, capturingLogger, rawGetMember } from './support/clients.js';
import { installRecordingTelemetry, type FinishedSpan } from './support/otel.js';
import { newProbe, testIdentityService, testVerifier, type IdentityDefinition } from './support/test-service.js';

// Spans and trace propagation, with what an OpenTelemetry SDK would install (test/support/otel.ts).

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

let server: GrpcServer;
let self: ServiceClient<IdentityDefinition>;
const clients: ServiceClient<IdentityDefinition>[] = [];

const startServer = async (): Promise<void> => {
  server = await startGrpcServer({
    name: 'identity-test',
    port: 0,
    host: '127.0.0.1',
    services: [testIdentityService(newProbe(), () => self)],
    verifier: testVerifier(),
    logger: capturingLogger(),
  });
  self = client(undefined);
};

const client = (token: string | undefined): ServiceClient<IdentityDefinition> => {
  const c = createClient(identityV1.IdentityServiceClient, server.address, { token });
  clients.push(c);
  return c;
};

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.shutdown(100);
});

const byKind = (spans: FinishedSpan[], kind: SpanKind): FinishedSpan[] => spans.filter((s) => s.kind === kind);
const waitForSpans = async (spans: FinishedSpan[], count: number): Promise<void> => {
  const until = Date.now() + 2_000;
  while (spans.length < count && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('with an OpenTelemetry SDK in the process', () => {
  let telemetry: ReturnType<typeof installRecordingTelemetry>;
  beforeEach(async () => {
    telemetry = installRecordingTelemetry();
    await startServer();
  });
  afterEach(() => telemetry.uninstall());

  it('makes a server span per call, child of the client span, with the rpc attributes', async () => {
    const root = trace.getTracer('test').startSpan('root');
    await context.with(trace.setSpan(context.active(), root), () =>
      client('token-hanako').getMember({ memberId: 'm-1' }),
    );
    root.end();
    await waitForSpans(telemetry.spans, 3);

    const [clientSpan] = byKind(telemetry.spans, SpanKind.CLIENT);
    const [serverSpan] = byKind(telemetry.spans, SpanKind.SERVER);
    expect(serverSpan).toMatchObject({
      name: 'workshare.identity.v1.IdentityService/GetMember',
      traceId: root.spanContext().traceId,
      parentSpanId: clientSpan?.spanId,
      attributes: {
        'rpc.system': 'grpc',
        'rpc.service': 'workshare.identity.v1.IdentityService',
        'rpc.method': 'GetMember',
        'rpc.grpc.status_code': 0,
      },
    });
    expect(clientSpan).toMatchObject({
      traceId: root.spanContext().traceId,
      parentSpanId: root.spanContext().spanId,
      attributes: { 'rpc.method': 'GetMember' },
    });
    expect(TRACER_NAME).toBe('workshare-grpc');
  });

  it('continues the trace of an incoming traceparent', async () => {
    const metadata = bearer('token-hanako');
    metadata.set('traceparent', TRACEPARENT);
    await rawGetMember(server.address, 'm-1', metadata);
    await waitForSpans(telemetry.spans, 1);
    expect(byKind(telemetry.spans, SpanKind.SERVER)[0]).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentSpanId: 'b7ad6b7169203331',
    });
  });

  it('carries one trace through a handler that calls another service', async () => {
    const metadata = bearer('token-hanako');
    metadata.set('traceparent', TRACEPARENT);
    const outcome = await rawGetMember(server.address, 'downstream:whoami', metadata);
    expect(outcome.ok).toBe(true);
    await waitForSpans(telemetry.spans, 3);

    const [inner, outer] = byKind(telemetry.spans, SpanKind.SERVER);
    const [downstreamCall] = byKind(telemetry.spans, SpanKind.CLIENT);
    expect(new Set(telemetry.spans.map((s) => s.traceId))).toEqual(new Set(['0af7651916cd43dd8448eb211c80319c']));
    expect(outer?.parentSpanId).toBe('b7ad6b7169203331');
    expect(downstreamCall?.parentSpanId).toBe(outer?.spanId);
    expect(inner?.parentSpanId).toBe(downstreamCall?.spanId);
    // What the inner handler received as traceparent names the downstream client span.
    const whoami = outcome.ok ? outcome.response.member?.town : '';
    expect(whoami).toBe(`00-0af7651916cd43dd8448eb211c80319c-${downstreamCall?.spanId}-01`);
  });

  it('marks a server span as failed for INTERNAL, not for a DomainError, and records the error code', async () => {
    await rawGetMember(server.address, 'crash', bearer('token-hanako'));
    await rawGetMember(server.address, 'throw:not_found', bearer('token-hanako'));
    await waitForSpans(telemetry.spans, 2);
    const [crash, notFound] = byKind(telemetry.spans, SpanKind.SERVER);
    expect(crash?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'INTERNAL' });
    expect(crash?.attributes['rpc.grpc.status_code']).toBe(13);
    expect(crash?.exceptions).toHaveLength(1);
    expect(notFound?.status).toBeUndefined();
    expect(notFound?.attributes).toMatchObject({ 'rpc.grpc.status_code': 5, 'workshare.error.code': 'test.not_found' });
  });
});

describe('without an OpenTelemetry SDK', () => {
  beforeEach(startServer);

  it('still passes the incoming traceparent on to the services a handler calls', async () => {
    const metadata = new Metadata();
    metadata.set('authorization', 'Bearer token-hanako');
    metadata.set('traceparent', TRACEPARENT);
    const outcome = await rawGetMember(server.address, 'downstream:whoami', metadata);
    expect(outcome.ok ? outcome.response.member?.town : outcome.error.details).toBe(TRACEPARENT);
  });

  it('sends no traceparent of its own when there is none', async () => {
    const { member } = await client('token-hanako').getMember({ memberId: 'whoami' });
    expect(member?.town).toBe('');
  });
});
