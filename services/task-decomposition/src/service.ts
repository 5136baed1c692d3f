/**
 * The task decomposition service as one definition, for every way of running it: its own
 * process (main.ts: `runServiceProcess`), and the launcher's single-process and process modes.
 */
import { grpcProcessSettings, servedGrpc, type ServiceDefinition } from '@workshare/service-host';
import { startTaskDecompositionGrpc } from './adapters/grpc/task-decomposition-grpc.js';
import { JOBS_CONSUMER, startTaskDecompositionConsumers } from './application/process-manager.js';
import type { TaskDecompositionService } from './application/task-decomposition-service.js';
import { DEFAULT_GRPC_PORT, readServiceConfig, type ServiceConfig } from './config.js';
import { openTaskDecompositionService } from './open-task-decomposition.js';

export const taskDecompositionDefinition: ServiceDefinition<TaskDecompositionService, ServiceConfig> = {
  name: 'task-decomposition',
  protocol: 'grpc',
  defaultPort: DEFAULT_GRPC_PORT,
  streams: ['plan'],
  readModels: [],
  consumerNames: [JOBS_CONSUMER],
  usesStore: true,
  verifiesTokensWithIdentity: true,
  readConfig: readServiceConfig,
  settings: grpcProcessSettings,
  open: ({ store, config, now }) =>
    openTaskDecompositionService({ store: store!, maxTaskMinutes: config.maxTaskMinutes, now }),
  serve: async ({ service, host, port, verifier, logger, drainDelayMs }) =>
    servedGrpc(await startTaskDecompositionGrpc({ service, host, port, verifier: verifier!, logger, drainDelayMs })),
  consumers: ({ service, bus, logger }) => startTaskDecompositionConsumers({ service, bus, logger }),
};
