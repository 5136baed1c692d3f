/**
 * A token identity issued, whose time has passed, is refused by job intake as UNAUTHENTICATED
 * with identity's own code: job intake asks identity (VerifyToken) and trusts its answer.
 * Identity runs here with a clock the test moves, so the same real token is first good, then
 * expired.
 */
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { IdentityTokenVerifierClient, type GrpcServer } from '@workshare/grpc';
import { InMemoryKeyVault, openIdentityService, startIdentityGrpc, type IdentityRuntime } from '@workshare/identity';
import { startJobIntakeGrpc } from '../../src/adapters/grpc/job-intake-grpc.js';
import { openJobIntakeService, type JobIntakeRuntime } from '../../src/open-job-intake.js';
import { refusal, wire } from './wire.js';

let store: EventStore;
let identity: IdentityRuntime;
let identityServer: GrpcServer;
let jobIntake: JobIntakeRuntime;
let server: GrpcServer;
let verifier: IdentityTokenVerifierClient;
let clock = new Date();

beforeAll(async () => {
  store = await openEventStore('embedded:memory');
  identity = await openIdentityService({
    env: {},
    store,
    storeUrl: 'embedded:memory',
    keyVault: new InMemoryKeyVault(),
    scryptCost: { N: 1024, r: 8, p: 1 },
    tokenTtlSeconds: 60,
    now: () => clock,
  });
  identityServer = await startIdentityGrpc({ service: identity.service, port: 0, host: '127.0.0.1' });
  jobIntake = await openJobIntakeService({ store, identityAddress: identityServer.address });
  // No remembering of verified tokens: every call asks identity.
  verifier = new IdentityTokenVerifierClient({ identityAddress: identityServer.address, cacheTtlMs: 0 });
  server = await startJobIntakeGrpc({ service: jobIntake.service, port: 0, host: '127.0.0.1', verifier });
});
afterAll(async () => {
  await server?.shutdown(1_000);
  verifier?.close();
  await jobIntake?.close();
  await identityServer?.shutdown(1_000);
  await identity?.close();
  await store?.close();
});

it('answers with a fresh token, and refuses the same token once it has expired', async () => {
  await identity.service.bootstrapOperator({
    name: 'Test Operator',
    email: 'operator@expiry.example',
    password: 'expiry-test-password',
  });
  const { token } = await identity.service.login('operator@expiry.example', 'expiry-test-password');
  const request = { regionId: '', businessId: '', status: 0 };
  const fresh = await wire(server.address, 'listJobs', request, token);
  expect(fresh.ok).toBe(true);

  clock = new Date(clock.getTime() + 61_000);
  expect(await refusal(wire(server.address, 'listJobs', request, token))).toEqual({
    status: 'UNAUTHENTICATED',
    errorCode: 'auth.token_expired',
  });
});
