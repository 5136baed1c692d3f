#!/usr/bin/env node
/**
 * The team scheduling service as its own process, as a pod runs it (one replica: scheduling
 * commands are serialised within the process, see the README):
 *
 *   node --import @workshare/telemetry/register services/team-scheduling/dist/src/main.js
 *
 * Configuration from the environment (see config.ts and the README). Serves
 * TeamSchedulingService over gRPC and runs its process managers on the bus (identity's members,
 * TasksPlanned, job inspections and cancellations, declared unavailability); the process
 * itself (store, bus, identity's token checks, graceful stop) is @workshare/service-host's.
 */
import { runServiceProcess } from '@workshare/service-host';
import { startTeamSchedulingGrpc } from './adapters/grpc/team-scheduling-grpc.js';
import { startTeamSchedulingConsumers } from './application/consumers.js';
import { readServiceConfig } from './config.js';
import { openTeamSchedulingService } from './open-team-scheduling.js';

void runServiceProcess({
  name: 'team-scheduling',
  readConfig: readServiceConfig,
  open: ({ store }) => openTeamSchedulingService({ store }),
  serve: (options) => startTeamSchedulingGrpc(options),
  consumers: ({ service, bus, logger }) => startTeamSchedulingConsumers({ service, bus, logger }),
});
