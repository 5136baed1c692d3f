/**
 * The identity service as one definition, for every way of running it: its own process
 * (main.ts: `runServiceProcess`), and the launcher's single-process and process modes. Identity
 * checks its callers' tokens itself (it signs them), and hears on the bus which sessions other
 * pods ended.
 */
import { grpcProcessSettings, servedGrpc, type ServiceDefinition } from '@workshare/service-host';
import { startIdentityGrpc } from './adapters/grpc/identity-grpc.js';
import type { IdentityService } from './application/identity-service.js';
import { DEFAULT_GRPC_PORT, readServiceConfig, type ServiceConfig } from './config.js';
import { openIdentityService } from './open-identity.js';
import { IdentityDirectory } from './application/directory.js';

export const identityDefinition: ServiceDefinition<IdentityService, ServiceConfig> = {
  name: 'identity',
  protocol: 'grpc',
  defaultPort: DEFAULT_GRPC_PORT,
  streams: ['member', 'user', 'business', 'accountEmail', 'businessNumber', 'identityBootstrap', 'session'],
  readModels: ['directory'],
  durableReadModels: (source, projections) => [new IdentityDirectory(source, projections)],
  consumerNames: [],
  usesStore: true,
  verifiesTokensWithIdentity: false,
  readConfig: readServiceConfig,
  settings: grpcProcessSettings,
  open: ({ store, config, env, now }) =>
    openIdentityService({
      env,
      store: store!,
      storeUrl: config.storeUrl,
      readStalenessMs: config.readStalenessMs,
      now,
    }),
  serve: async ({ service, host, port, logger, drainDelayMs }) =>
    servedGrpc(await startIdentityGrpc({ service, host, port, logger, drainDelayMs, readModels: service.readModels })),
  // Its own token checks know which sessions have ended: another pod's logouts come over the bus.
  accessRevocations: (service) => ({
    revoke: (revocation) => service.sessionsEnded(revocation.sessions ?? []),
    revokeAll: () => service.forgetSessionsGoingOn(),
  }),
};
