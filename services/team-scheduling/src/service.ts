/**
 * The team scheduling service as one definition, for every way of running it: its own process
 * (main.ts: `runServiceProcess`), and the launcher's single-process and process modes.
 */
import { grpcProcessSettings, servedGrpc, type ServiceDefinition } from '@workshare/service-host';
import { startTeamSchedulingGrpc } from './adapters/grpc/team-scheduling-grpc.js';
import {
  IDENTITY_CONSUMER,
  JOBS_CONSUMER,
  PLANS_CONSUMER,
  startTeamSchedulingConsumers,
  UNAVAILABILITY_CONSUMER,
} from './application/consumers.js';
import type { TeamSchedulingService } from './application/team-scheduling-service.js';
import { DEFAULT_GRPC_PORT, readServiceConfig, type ServiceConfig } from './config.js';
import { openTeamSchedulingService } from './open-team-scheduling.js';
import { Roster } from './application/roster.js';

export const teamSchedulingDefinition: ServiceDefinition<TeamSchedulingService, ServiceConfig> = {
  name: 'team-scheduling',
  protocol: 'grpc',
  defaultPort: DEFAULT_GRPC_PORT,
  streams: ['schedule', 'crew'],
  readModels: ['roster'],
  durableReadModels: (source, projections) => [new Roster(source, projections)],
  consumerNames: [IDENTITY_CONSUMER, PLANS_CONSUMER, JOBS_CONSUMER, UNAVAILABILITY_CONSUMER],
  usesStore: true,
  verifiesTokensWithIdentity: true,
  readConfig: readServiceConfig,
  settings: grpcProcessSettings,
  open: ({ store, config, now }) =>
    openTeamSchedulingService({
      store: store!,
      projectionsUrl: config.projectionsUrl,
      // Members' reasons and notes are sealed and opened by identity, where the service finds it.
      identityAddress: config.identityAddress,
      now,
    }),
  serve: async ({ service, host, port, verifier, logger, drainDelayMs }) =>
    servedGrpc(
      await startTeamSchedulingGrpc({
        service,
        host,
        port,
        verifier: verifier!,
        logger,
        drainDelayMs,
        readModels: service.readModels,
      }),
    ),
  consumers: ({ service, bus, logger }) => startTeamSchedulingConsumers({ service, bus, logger }),
};
