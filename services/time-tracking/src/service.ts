/**
 * The time tracking service as one definition, for every way of running it: its own process
 * (main.ts: `runServiceProcess`), and the launcher's single-process and process modes.
 *
 * It runs no bus consumers: what it reads of other services (team scheduling's holds of tasks,
 * identity's members' regions) it folds from their published events in the log, as durable
 * read models (task-holdings, member-regions), beside its own timesheets read model.
 */
import { grpcProcessSettings, servedGrpc, type ServiceDefinition } from '@workshare/service-host';
import { startTimeTrackingGrpc } from './adapters/grpc/time-tracking-grpc.js';
import { MemberRegions } from './application/member-regions.js';
import { TaskHoldings } from './application/task-holdings.js';
import type { TimeTrackingService } from './application/time-tracking-service.js';
import { Timesheets } from './application/timesheets.js';
import { DEFAULT_GRPC_PORT, readServiceConfig, type ServiceConfig } from './config.js';
import { openTimeTrackingService } from './open-time-tracking.js';

export const timeTrackingDefinition: ServiceDefinition<TimeTrackingService, ServiceConfig> = {
  name: 'time-tracking',
  protocol: 'grpc',
  defaultPort: DEFAULT_GRPC_PORT,
  streams: ['timesheet'],
  readModels: ['task-holdings', 'member-regions', 'timesheets'],
  durableReadModels: (source, projections) => [
    new TaskHoldings(source, projections),
    new MemberRegions(source, projections),
    new Timesheets(source, projections),
  ],
  consumerNames: [],
  usesStore: true,
  verifiesTokensWithIdentity: true,
  readConfig: readServiceConfig,
  settings: grpcProcessSettings,
  open: ({ store, config, now }) =>
    openTimeTrackingService({
      store: store!,
      projectionsUrl: config.projectionsUrl,
      // Members' reasons are sealed by identity, where the service finds it.
      identityAddress: config.identityAddress,
      now,
    }),
  serve: async ({ service, host, port, verifier, logger, drainDelayMs }) =>
    servedGrpc(
      await startTimeTrackingGrpc({
        service,
        host,
        port,
        verifier: verifier!,
        logger,
        drainDelayMs,
        readModels: service.readModels,
      }),
    ),
  consumers: () => [],
};
