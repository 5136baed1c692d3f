import { openAuditService, startAuditGrpc, type AuditRuntime } from '@workshare/audit';
import { EmbeddedEventBus, type BusSubscription } from '@workshare/bus';
import type { EventStore, GlobalPosition } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { IdentityTokenVerifierClient, jsonLogger, type GrpcServer } from '@workshare/grpc';
import { listenForAccessRevocations } from '@workshare/service-host';
import { startTestCooperative, type TestActor, type TestCooperative } from '@workshare/identity';
import { openSettlementService, startSettlementGrpc, type SettlementRuntime } from '@workshare/settlement';
import { createLogger } from '@workshare/telemetry';
import { openTimeTrackingService, startTimeTrackingGrpc, type TimeTrackingRuntime } from '@workshare/time-tracking';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildGateway, type GatewayOptions } from '../../src/index.js';
import { startDoubles, type Doubles } from './doubles.js';

/**
 * A gateway in front of a real identity (real logins and tokens, verified over gRPC), the three
 * recording doubles, and the real time tracking, settlement and audit services in process (over
 * gRPC, on the cooperative's store: identity's members are the ones they read, and the tests
 * append the other producers' published events there; the audit reads the whole log). One per
 * test file: PGlite takes seconds to boot.
 */
export interface Harness {
  readonly coop: TestCooperative;
  readonly doubles: Doubles;
  /** The store identity, time tracking and settlement share. */
  readonly store: EventStore;
  /** The real time tracking, settlement and audit services behind the gateway. */
  readonly services: RealServices;
  /**
   * Time tracking's and settlement's clock (the platform's): `at`, or the real time when
   * undefined (the default). Identity signs and checks tokens on the real time.
   */
  setNow(at: Date | undefined): void;
  readonly app: FastifyInstance;
  /** The options the gateway was built with (to build another one in front of the same services). */
  readonly options: GatewayOptions;
  call(
    method: string,
    url: string,
    init?: { as?: TestActor | string; body?: unknown; payload?: string; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  /** Submits a job as `as` (default the fujisato business) through the gateway; its id. */
  submitJob(overrides?: Record<string, unknown>, as?: TestActor): Promise<string>;
  close(): Promise<void>;
}

/** A valid job submission for the fujisato business. */
export const jobBody = (coop: TestCooperative, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  businessId: coop.businesses.fujisato,
  title: 'Enter 1,200 survey forms',
  description: 'Paper forms from the autumn survey, to a spreadsheet.',
  workCategory: 'data_entry',
  pricing: { kind: 'fixed_price' },
  amountYen: 120_000,
  deadline: new Date(Date.now() + 30 * 24 * 3600_000).toISOString(),
  regionId: 'fujisato',
  localOnlyTownId: 'fujisato/fujikoto',
  skills: ['data entry'],
  ...overrides,
});

export interface RealServices {
  readonly timeTracking: TimeTrackingRuntime;
  readonly settlement: SettlementRuntime;
  readonly timeTrackingServer: GrpcServer;
  readonly settlementServer: GrpcServer;
  readonly audit: AuditRuntime;
  readonly auditServer: GrpcServer;
  close(): Promise<void>;
}

/** Time tracking, settlement and audit on `store`, each behind its own gRPC server on loopback, on the clock given. */
const startRealServices = async (
  store: EventStore,
  identityAddress: string,
  now: () => Date,
): Promise<RealServices> => {
  const verifier = new IdentityTokenVerifierClient({ identityAddress });
  const logger = jsonLogger('error');
  const closers: (() => Promise<unknown>)[] = [async () => verifier.close()];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    // Members' reasons are sealed by the cooperative's identity.
    const timeTracking = await openTimeTrackingService({ store, identityAddress, now, readStalenessMs: 0 });
    closers.push(() => timeTracking.close());
    const timeTrackingServer = await startTimeTrackingGrpc({
      service: timeTracking.service,
      port: 0,
      host: '127.0.0.1',
      verifier,
      logger,
    });
    closers.push(() => timeTrackingServer.shutdown(1_000));
    const settlement = await openSettlementService({ store, identityAddress, now, readStalenessMs: 0 });
    closers.push(() => settlement.close());
    const settlementServer = await startSettlementGrpc({
      service: settlement.service,
      port: 0,
      host: '127.0.0.1',
      verifier,
      logger,
    });
    closers.push(() => settlementServer.shutdown(1_000));
    // No background verification: each test asks for what it reads.
    const audit = await openAuditService({ store, identityAddress, now, readStalenessMs: 0, verifyIntervalMs: 0 });
    closers.push(() => audit.close());
    const auditServer = await startAuditGrpc({ service: audit.service, port: 0, host: '127.0.0.1', verifier, logger });
    closers.push(() => auditServer.shutdown(1_000));
    return { timeTracking, settlement, timeTrackingServer, settlementServer, audit, auditServer, close };
  } catch (error) {
    await close();
    throw error;
  }
};

/** The head of the store's log: unchanged when a refused request stored nothing. */
export const headOf = (store: EventStore): Promise<GlobalPosition> => store.headPosition();

/**
 * `revocations`: the gateway's token checks hear identity's access revocations, as a process's do
 * (service-host's listener on a bus of its own over the cooperative's store: the embedded bus).
 */
export const startHarness = async (
  overrides: Partial<GatewayOptions> = {},
  extra: { readonly revocations?: boolean } = {},
): Promise<Harness> => {
  const store = await openEventStore('embedded:memory');
  const coop = await startTestCooperative({ store });
  const doubles = await startDoubles(coop.identityAddress);
  let simulated: Date | undefined;
  const services = await startRealServices(store, coop.identityAddress, () => simulated ?? new Date()).catch(
    async (error: unknown) => {
      await doubles.close();
      await coop.close();
      await store.close();
      throw error;
    },
  );
  let revocations:
    { bus: EmbeddedEventBus; listener: BusSubscription; verifier: IdentityTokenVerifierClient } | undefined;
  if (extra.revocations === true) {
    const verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
    const bus = new EmbeddedEventBus({ store, pollIntervalMs: 20, log: createLogger('bus', { level: 'silent' }) });
    const listener = listenForAccessRevocations({
      bus,
      listeners: [verifier],
      logger: createLogger('gateway-test', { level: 'silent' }),
    });
    await listener.ready;
    revocations = { bus, listener, verifier };
  }
  const options: GatewayOptions = {
    identityAddress: coop.identityAddress,
    jobIntakeAddress: doubles.jobIntakeServer.address,
    taskDecompositionAddress: doubles.taskDecompositionServer.address,
    teamSchedulingAddress: doubles.teamSchedulingServer.address,
    timeTrackingAddress: services.timeTrackingServer.address,
    settlementAddress: services.settlementServer.address,
    auditAddress: services.auditServer.address,
    logger: createLogger('gateway-test', { level: 'silent' }),
    ...(revocations !== undefined ? { verifier: revocations.verifier } : {}),
    ...overrides,
  };
  const release = async () => {
    await revocations?.listener.stop();
    await revocations?.bus.close();
    revocations?.verifier.close();
  };
  let app: FastifyInstance;
  try {
    app = await buildGateway(options);
  } catch (error) {
    await release();
    await services.close();
    await doubles.close();
    await coop.close();
    await store.close();
    throw error;
  }
  const call: Harness['call'] = (method, url, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.as !== undefined)
      headers.authorization = `Bearer ${typeof init.as === 'string' ? init.as : init.as.token}`;
    if (init.body !== undefined || init.payload !== undefined) headers['content-type'] ??= 'application/json';
    return app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(init.payload !== undefined
        ? { payload: init.payload }
        : init.body !== undefined
          ? { payload: JSON.stringify(init.body) }
          : {}),
    });
  };
  return {
    coop,
    doubles,
    store,
    services,
    setNow: (at) => {
      simulated = at;
    },
    app,
    options,
    call,
    submitJob: async (jobOverrides = {}, as = coop.business) => {
      const response = await call('POST', '/v1/jobs', { as, body: jobBody(coop, jobOverrides) });
      if (response.statusCode !== 201)
        throw new Error(`submitting a job answered ${response.statusCode}: ${response.body}`);
      return (response.json() as { jobId: string }).jobId;
    },
    close: async () => {
      await app.close();
      await release();
      await services.close();
      await doubles.close();
      await coop.close();
      await store.close();
    },
  };
};

/** Asserts a problem+json answer with the status and code given; the problem. */
export const expectProblem = (
  response: LightMyRequestResponse,
  status: number,
  code: string,
): Record<string, unknown> => {
  const problem = response.json() as Record<string, unknown>;
  expect({ status: response.statusCode, code: problem.code }).toEqual({ status, code });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(problem).toMatchObject({
    type: `urn:workshare:problem:${code}`,
    status,
    code,
    requestId: response.headers['x-request-id'],
  });
  expect(typeof problem.title).toBe('string');
  expect(typeof problem.detail).toBe('string');
  return problem;
};
