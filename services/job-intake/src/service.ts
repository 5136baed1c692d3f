/**
 * The job intake service as one definition, for every way of running it: its own process
 * (main.ts: `runServiceProcess`), and the launcher's single-process and process modes.
 */
import { grpcProcessSettings, servedGrpc, type ServiceDefinition } from '@workshare/service-host';
import { startJobIntakeGrpc } from './adapters/grpc/job-intake-grpc.js';
import { startJobIntakeConsumers, TASKS_PLANNED_CONSUMER } from './application/consumers.js';
import type { JobIntakeService } from './application/job-intake-service.js';
import { DEFAULT_GRPC_PORT, readServiceConfig, type ServiceConfig } from './config.js';
import { openJobIntakeService } from './open-job-intake.js';
import { JobBoard } from './application/job-board.js';

export const jobIntakeDefinition: ServiceDefinition<JobIntakeService, ServiceConfig> = {
  name: 'job-intake',
  protocol: 'grpc',
  defaultPort: DEFAULT_GRPC_PORT,
  streams: ['job'],
  readModels: ['job-board'],
  durableReadModels: (source, projections) => [new JobBoard(source, projections)],
  consumerNames: [TASKS_PLANNED_CONSUMER],
  usesStore: true,
  verifiesTokensWithIdentity: true,
  readConfig: readServiceConfig,
  settings: grpcProcessSettings,
  open: ({ store, config, now }) =>
    openJobIntakeService({
      store: store!,
      identityAddress: config.identityAddress,
      projectionsUrl: config.projectionsUrl,
      now,
    }),
  serve: async ({ service, host, port, verifier, logger, drainDelayMs }) =>
    servedGrpc(
      await startJobIntakeGrpc({
        service,
        host,
        port,
        verifier: verifier!,
        logger,
        drainDelayMs,
        readModels: service.readModels,
      }),
    ),
  consumers: ({ service, bus }) => startJobIntakeConsumers({ service, bus }),
};
