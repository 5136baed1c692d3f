#!/usr/bin/env node
/**
 * The job intake service as its own process, as a pod runs it:
 *
 *   node --import @workshare/telemetry/register services/job-intake/dist/src/main.js
 *
 * Configuration from the environment (see config.ts and the README). Serves JobIntakeService
 * over gRPC and runs its process manager on the bus (TasksPlanned → StartJob); the process
 * itself (store, bus, identity's token checks, graceful stop) is @workshare/service-host's.
 */
import { runServiceProcess } from '@workshare/service-host';
import { startJobIntakeGrpc } from './adapters/grpc/job-intake-grpc.js';
import { startJobIntakeConsumers } from './application/consumers.js';
import { readServiceConfig } from './config.js';
import { openJobIntakeService } from './open-job-intake.js';

void runServiceProcess({
  name: 'job-intake',
  readConfig: readServiceConfig,
  open: ({ store, config }) => openJobIntakeService({ store, identityAddress: config.identityAddress }),
  serve: (options) => startJobIntakeGrpc(options),
  consumers: ({ service, bus }) => startJobIntakeConsumers({ service, bus }),
});
