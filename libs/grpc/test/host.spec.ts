import { Metadata, status } from '@grpc/grpc-js';
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '@workshare/eventsourcing';
import { fileDescriptorProtos } from '@workshare/proto';
import {
  createClient,
  DeadlineExceededError,
  ERROR_CODE_KEY,
  ERROR_DETAILS_KEY,
  RpcError,
  startGrpcServer,
  statusOfKind,
  UnavailableError,
  type GrpcServer,
  type GrpcServerOptions,
  type RetryEvent,
  type ServiceClient,
} from '../src/index.js';
import {
  bearer,
  capturingLogger,
  freePort,
  healthCheck,
  rawGetMember,
  reflectionFilesForSymbol,
  reflectionListServices,
  type LogLine,
} from './support/clients.js';
import {
  KINDS,
  newProbe,
  testIdentityService,
  testVerifier,
  type IdentityDefinition,
  type Probe,
} from './support/test-service.js';
import { identityV1 } from '@workshare/proto';

// The host over real loopback sockets: grpc-js server and clients, the identity contract, a
// test implementation of it (test/support/test-service.ts).

const SERVICE = 'workshare.identity.v1.IdentityService';

const servers: GrpcServer[] = [];
const clients: { close(): void }[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((s) => s.shutdown(100)));
});

interface Started {
  server: GrpcServer;
  probe: Probe;
  logs: LogLine[];
  verified: string[];
}

const start = async (
  options: Partial<GrpcServerOptions> = {},
  downstream?: () => ServiceClient<IdentityDefinition>,
): Promise<Started> => {
  const probe = newProbe();
  const logs: LogLine[] = [];
  const verified: string[] = [];
  const server = await startGrpcServer({
    name: 'identity-test',
    port: 0,
    host: '127.0.0.1',
    services: [testIdentityService(probe, downstream)],
    verifier: testVerifier(verified),
    logger: capturingLogger(logs),
    descriptors: fileDescriptorProtos,
    ...options,
  });
  servers.push(server);
  return { server, probe, logs, verified };
};

const clientOf = (
  address: string,
  options: Parameters<typeof createClient>[2] = {},
): ServiceClient<IdentityDefinition> => {
  const client = createClient(identityV1.IdentityServiceClient, address, { token: 'token-hanako', ...options });
  clients.push(client);
  return client;
};

const failureOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
};

describe('health (grpc.health.v1)', () => {
  it('answers SERVING for the server and each service, NOT_FOUND for a service it does not host', async () => {
    const { server } = await start();
    expect(await healthCheck(server.address, '')).toBe('SERVING');
    expect(await healthCheck(server.address, SERVICE)).toBe('SERVING');
    expect(await healthCheck(server.address, 'workshare.nothing.v1.NothingService')).toEqual({
      code: status.NOT_FOUND,
    });
  });

  it('answers the status a service sets for itself', async () => {
    const { server } = await start();
    server.setServingStatus(SERVICE, 'NOT_SERVING');
    expect(await healthCheck(server.address, SERVICE)).toBe('NOT_SERVING');
    expect(await healthCheck(server.address, '')).toBe('SERVING');
  });

  it('answers NOT_SERVING as soon as shutdown begins, before the server stops taking calls', async () => {
    const { server } = await start({ drainDelayMs: 400 });
    expect(await healthCheck(server.address, SERVICE)).toBe('SERVING');
    const stopping = server.shutdown(1_000);
    expect(await healthCheck(server.address, SERVICE)).toBe('NOT_SERVING');
    expect(await healthCheck(server.address, '')).toBe('NOT_SERVING');
    expect(await stopping).toEqual({ forced: false });
    expect(await healthCheck(server.address, '')).toEqual({ code: status.UNAVAILABLE });
  });
});

describe('server reflection', () => {
  it('lists the hosted service and serves its file with the files it imports', async () => {
    const { server } = await start();
    expect(await reflectionListServices(server.address)).toEqual([SERVICE]);
    const files = await reflectionFilesForSymbol(server.address, `${SERVICE}.GetMember`);
    expect(files).toEqual(
      expect.arrayContaining([
        'workshare/identity/v1/identity.proto',
        'workshare/common/v1/common.proto',
        'google/protobuf/timestamp.proto',
      ]),
    );
  });

  it('is off without descriptors', async () => {
    const { server } = await start({ descriptors: [] });
    await expect(reflectionListServices(server.address)).rejects.toMatchObject({ code: status.UNIMPLEMENTED });
  });
});

describe('DomainError ↔ status mapping (DESIGN §2)', () => {
  const expectedStatus: Record<string, status> = {
    invalid: status.INVALID_ARGUMENT,
    rule: status.FAILED_PRECONDITION,
    conflict: status.ABORTED,
    not_found: status.NOT_FOUND,
    forbidden: status.PERMISSION_DENIED,
    unauthenticated: status.UNAUTHENTICATED,
    exhausted: status.RESOURCE_EXHAUSTED,
  };

  it.each(KINDS)(
    'a thrown %s error goes on the wire as its status, with x-error-code and x-error-details',
    async (kind) => {
      const { server } = await start();
      const outcome = await rawGetMember(server.address, `throw:${kind}`, bearer('token-hanako'));
      if (outcome.ok) throw new Error('the call succeeded');
      expect(outcome.error.code).toBe(expectedStatus[kind]);
      expect(statusOfKind(kind)).toBe(expectedStatus[kind]);
      expect(outcome.error.details).toBe(`a ${kind} error for 藤里`);
      expect(outcome.error.metadata.get(ERROR_CODE_KEY)).toEqual([`test.${kind}`]);
      const details = outcome.error.metadata.get(ERROR_DETAILS_KEY)[0];
      expect(typeof details).toBe('string');
      expect(details as string).toMatch(/^[\x20-\x7e]+$/);
      expect(JSON.parse(details as string)).toEqual({ memberId: `throw:${kind}`, town: '藤琴', limit: 7 });
    },
  );

  it.each(KINDS)('the client turns a %s status with x-error-code back into the same DomainError', async (kind) => {
    const { server, probe } = await start();
    const error = await failureOf(clientOf(server.address).getMember({ memberId: `throw:${kind}` }));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: `test.${kind}`,
      kind,
      message: `a ${kind} error for 藤里`,
      details: { memberId: `throw:${kind}`, town: '藤琴', limit: 7 },
    });
    if (kind === 'invalid') expect(error).toBeInstanceOf(ValidationError);
    if (kind === 'not_found') expect(error).toBeInstanceOf(NotFoundError);
    if (kind === 'forbidden') expect(error).toBeInstanceOf(ForbiddenError);
    expect(probe.calls.getMember).toBe(1);
  });

  it("logs an unknown error's cause with the caller's request id and the trace id", async () => {
    const { server, logs } = await start();
    const metadata = bearer('token-hanako');
    metadata.set('x-request-id', 'req-7f3a');
    metadata.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    await rawGetMember(server.address, 'crash', metadata);
    const line = logs.find((l) => l.message === 'handler failed');
    expect(line?.fields).toMatchObject({
      requestId: 'req-7f3a',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      err: { type: 'Error', message: expect.stringContaining('secret') },
    });
  });

  it('answers an unknown error as INTERNAL without its message, and logs it', async () => {
    const { server, logs } = await start();
    const outcome = await rawGetMember(server.address, 'crash', bearer('token-hanako'));
    if (outcome.ok) throw new Error('the call succeeded');
    expect(outcome.error.code).toBe(status.INTERNAL);
    expect(outcome.error.details).toBe('internal error');
    expect(outcome.error.metadata.get(ERROR_CODE_KEY)).toEqual([]);
    expect(JSON.stringify(outcome.error)).not.toContain('secret');
    expect(JSON.stringify(outcome.error.metadata.getMap())).not.toContain('藤里');

    const error = await failureOf(clientOf(server.address).getMember({ memberId: 'crash' }));
    expect(error).toBeInstanceOf(RpcError);
    expect(error).not.toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      status: status.INTERNAL,
      statusName: 'INTERNAL',
      method: '/workshare.identity.v1.IdentityService/GetMember',
    });
    expect((error as Error).message).not.toContain('secret');

    const logged = logs.filter((l) => l.level === 'error');
    expect(logged).toHaveLength(2);
    expect(JSON.stringify(logged[0]?.fields)).toContain('secret');
  });
});

describe('authentication', () => {
  it('refuses a call without a token as UNAUTHENTICATED, before the handler runs', async () => {
    const { server, probe } = await start();
    const raw = await rawGetMember(server.address, 'm-1');
    expect(raw.ok ? 'ok' : raw.error.code).toBe(status.UNAUTHENTICATED);
    const error = await failureOf(clientOf(server.address, { token: undefined }).getMember({ memberId: 'm-1' }));
    expect(error).toMatchObject({ code: 'auth.token_missing', kind: 'unauthenticated' });
    expect(probe.calls.getMember).toBeUndefined();
  });

  it('refuses an invalid token and a malformed authorization header', async () => {
    const { server, probe, verified } = await start();
    const invalid = await failureOf(clientOf(server.address, { token: 'token-forged' }).getMember({ memberId: 'm-1' }));
    expect(invalid).toMatchObject({ code: 'auth.token_invalid', kind: 'unauthenticated' });
    expect(verified).toEqual(['token-forged']);

    const metadata = new Metadata();
    metadata.set('authorization', 'Basic aGFuYWtvOnNlY3JldA==');
    const malformed = await rawGetMember(server.address, 'm-1', metadata);
    if (malformed.ok) throw new Error('the call succeeded');
    expect(malformed.error.code).toBe(status.UNAUTHENTICATED);
    expect(malformed.error.metadata.get(ERROR_CODE_KEY)).toEqual(['auth.malformed_authorization']);
    expect(probe.calls.getMember).toBeUndefined();
  });

  it('gives the handler the verified caller', async () => {
    const { server } = await start();
    const { member } = await clientOf(server.address, { token: 'token-yuki' }).getMember({ memberId: 'whoami' });
    expect(member?.memberId).toBe('yuki');
    expect(member?.skills).toEqual(['coordinator@fujisato', 'member']);
  });

  it('lets a public method be called without a token, and still verifies a token given to it', async () => {
    const { server, probe } = await start();
    const anonymous = await clientOf(server.address, { token: undefined }).listRegions({});
    expect(anonymous.regions[0]?.name).toBe('anonymous');
    const known = await clientOf(server.address, { token: 'token-hanako' }).listRegions({});
    expect(known.regions[0]?.name).toBe('hanako');
    await expect(clientOf(server.address, { token: 'token-forged' }).listRegions({})).rejects.toMatchObject({
      code: 'auth.token_invalid',
    });
    expect(probe.calls.listRegions).toBe(2);
  });

  it('says which address it cannot listen on', async () => {
    const { server } = await start();
    await expect(start({ port: server.port })).rejects.toThrow(
      `identity-test: cannot listen on 127.0.0.1:${server.port}`,
    );
  });

  it('will not start without a verifier when some method needs a caller', async () => {
    await expect(start({ verifier: undefined })).rejects.toThrow(/token verifier is needed/);
  });
});

describe('deadlines', () => {
  it('sets a deadline on every call (5 s by default) that the handler sees', async () => {
    const { server } = await start();
    const before = Date.now();
    const { member } = await clientOf(server.address).getMember({ memberId: 'whoami' });
    const deadline = member?.registeredAt?.getTime() ?? 0;
    expect(deadline).toBeGreaterThanOrEqual(before + 4_000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 5_000);
  });

  it('surfaces an exceeded deadline as DeadlineExceededError, and aborts the handler signal', async () => {
    const { server, probe } = await start();
    const error = await failureOf(clientOf(server.address, { deadlineMs: 200 }).getMember({ memberId: 'slow:3000' }));
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ status: status.DEADLINE_EXCEEDED, statusName: 'DEADLINE_EXCEEDED' });
    await waitUntil(() => probe.aborted.length === 1);
    expect(probe.aborted).toEqual(['slow:3000']);
    expect(probe.completed).toEqual([]);
  });

  it('passes the caller, token and deadline on to the services a handler calls (ctx.downstream)', async () => {
    const downstream: { client?: ServiceClient<IdentityDefinition> } = {};
    const { server, probe } = await start({}, () => downstream.client as ServiceClient<IdentityDefinition>);
    downstream.client = clientOf(server.address, { token: undefined, deadlineMs: 60_000 });
    const { member } = await clientOf(server.address, { token: 'token-yuki', deadlineMs: 3_000 }).getMember({
      memberId: 'downstream:whoami',
    });
    expect(member?.memberId).toBe('yuki');
    const [outer, inner] = probe.contexts;
    expect(inner?.token).toBe('token-yuki');
    // The inner call keeps the outer call's deadline (give or take the hop, sent as a
    // remaining duration), not the downstream client's 60 s.
    expect(Math.abs((inner?.deadline?.getTime() ?? 0) - (outer?.deadline?.getTime() ?? 0))).toBeLessThan(1_000);
  });
});

describe('client retries', () => {
  it('retries UNAVAILABLE until a server started late answers', async () => {
    const port = await freePort();
    const retries: RetryEvent[] = [];
    const client = clientOf(`127.0.0.1:${port}`, {
      retries: 30,
      onRetry: (e) => retries.push(e),
      backoff: { initialMs: 100, maxMs: 400 },
    });
    const answer = client.getMember({ memberId: 'm-late' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await start({ port });
    const { member } = await answer;
    expect(member?.memberId).toBe('m-late');
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries.every((r) => r.error instanceof UnavailableError)).toBe(true);
  });

  it('gives up with UnavailableError after the retries allowed, backing off exponentially', async () => {
    const port = await freePort();
    const retries: RetryEvent[] = [];
    const error = await failureOf(
      clientOf(`127.0.0.1:${port}`, {
        retries: 3,
        onRetry: (e) => retries.push(e),
        backoff: { initialMs: 40, maxMs: 1_000 },
      }).getMember({ memberId: 'm-1' }),
    );
    expect(error).toBeInstanceOf(UnavailableError);
    expect(retries.map((r) => r.retry)).toEqual([1, 2, 3]);
    // Equal jitter: each wait lies between half and all of 40, 80, 160 ms.
    retries.forEach((r, i) => {
      const ceiling = 40 * 2 ** i;
      expect(r.delayMs).toBeGreaterThanOrEqual(ceiling / 2);
      expect(r.delayMs).toBeLessThanOrEqual(ceiling);
    });
  });

  it('does not retry any other status', async () => {
    const { server, probe } = await start();
    const retries: RetryEvent[] = [];
    const client = clientOf(server.address, { onRetry: (e) => retries.push(e) });
    await expect(client.getMember({ memberId: 'throw:conflict' })).rejects.toMatchObject({ kind: 'conflict' });
    await expect(client.getMember({ memberId: 'crash' })).rejects.toMatchObject({ status: status.INTERNAL });
    await expect(client.getMember({ memberId: 'slow:2000' }, { deadlineMs: 100 })).rejects.toBeInstanceOf(
      DeadlineExceededError,
    );
    expect(probe.calls.getMember).toBe(3);
    expect(retries).toEqual([]);
  });
});

describe('graceful shutdown', () => {
  it('lets a call in flight finish, then takes no new calls', async () => {
    const { server, probe } = await start();
    const client = clientOf(server.address, { retries: 0 });
    const inFlight = client.getMember({ memberId: 'slow:500' });
    await waitUntil(() => probe.calls.getMember === 1);
    const stopping = server.shutdown(5_000);
    const { member } = await inFlight;
    expect(member?.memberId).toBe('slow:500');
    expect(await stopping).toEqual({ forced: false });
    expect(probe.completed).toEqual(['slow:500']);
    await expect(client.getMember({ memberId: 'm-1' })).rejects.toBeInstanceOf(UnavailableError);
  });

  it('cuts off a call still running after the grace period', async () => {
    const { server, probe, logs } = await start();
    const inFlight = failureOf(clientOf(server.address, { retries: 0 }).getMember({ memberId: 'slow:10000' }));
    await waitUntil(() => probe.calls.getMember === 1);
    expect(await server.shutdown(200)).toEqual({ forced: true });
    expect(await inFlight).toBeInstanceOf(RpcError);
    expect(logs.some((l) => l.level === 'warn' && /cut off/.test(l.message ?? ''))).toBe(true);
  });
});

const waitUntil = async (condition: () => boolean, timeoutMs = 5_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
