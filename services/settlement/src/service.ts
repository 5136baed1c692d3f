/**
 * The settlement service as one definition, for every way of running it: its own process
 * (main.ts: `runServiceProcess`), and the launcher's single-process and process modes.
 */
import { grpcProcessSettings, servedGrpc, type ServiceDefinition } from '@workshare/service-host';
import { startSettlementGrpc } from './adapters/grpc/settlement-grpc.js';
import { Closes } from './application/closes.js';
import { SettlementJobs } from './application/jobs.js';
import { Members } from './application/members.js';
import type { SettlementService } from './application/settlement-service.js';
import { Timesheets } from './application/timesheets.js';
import { DEFAULT_GRPC_PORT, readServiceConfig, type ServiceConfig } from './config.js';
import { REGION_CATEGORY } from './domain/region.js';
import { PAYEE_CATEGORY } from './domain/payee.js';
import { SETTLEMENT_CATEGORY } from './domain/month.js';
import { openSettlementService } from './open-settlement.js';

export const settlementDefinition: ServiceDefinition<SettlementService, ServiceConfig> = {
  name: 'settlement',
  protocol: 'grpc',
  defaultPort: DEFAULT_GRPC_PORT,
  streams: [REGION_CATEGORY, PAYEE_CATEGORY, SETTLEMENT_CATEGORY],
  readModels: ['jobs', 'timesheets', 'members', 'closes'],
  durableReadModels: (source, projections) => [
    new SettlementJobs(source, projections),
    new Timesheets(source, projections),
    new Members(source, projections),
    new Closes(source, projections),
  ],
  // The close is asked for (CloseMonth); no process manager yet.
  consumerNames: [],
  usesStore: true,
  verifiesTokensWithIdentity: true,
  readConfig: readServiceConfig,
  settings: grpcProcessSettings,
  open: ({ store, config, now }) =>
    openSettlementService({
      store: store!,
      identityAddress: config.identityAddress,
      projectionsUrl: config.projectionsUrl,
      fontPath: config.fontPath,
      now,
    }),
  serve: async ({ service, host, port, verifier, logger, drainDelayMs }) =>
    servedGrpc(
      await startSettlementGrpc({
        service,
        host,
        port,
        verifier: verifier!,
        logger,
        drainDelayMs,
        readModels: service.readModels,
      }),
    ),
};
