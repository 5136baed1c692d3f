#!/usr/bin/env node
/**
 * The task decomposition service as its own process, as a pod runs it:
 *
 *   node --import @workshare/telemetry/register services/task-decomposition/dist/src/main.js
 *
 * Configuration from the environment (see config.ts and the README; TASK_MAX_MINUTES is its
 * own). Serves TaskDecompositionService over gRPC and runs its process manager on the bus
 * (JobAccepted → a proposed plan; a rejected inspection → a rework round; JobCancelled → the
 * plan closed); the process itself (store, bus, identity's token checks, graceful stop) is
 * @workshare/service-host's.
 */
import { runServiceProcess } from '@workshare/service-host';
import { startTaskDecompositionGrpc } from './adapters/grpc/task-decomposition-grpc.js';
import { startTaskDecompositionConsumers } from './application/process-manager.js';
import { readServiceConfig } from './config.js';
import { openTaskDecompositionService } from './open-task-decomposition.js';

void runServiceProcess({
  name: 'task-decomposition',
  readConfig: readServiceConfig,
  open: ({ store, config }) => openTaskDecompositionService({ store, maxTaskMinutes: config.maxTaskMinutes }),
  serve: (options) => startTaskDecompositionGrpc(options),
  consumers: ({ service, bus, logger }) => startTaskDecompositionConsumers({ service, bus, logger }),
});
