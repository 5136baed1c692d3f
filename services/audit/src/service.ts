/**
 * The audit service as one definition, for every way of running it: its own process
 * (main.ts: `runServiceProcess`), and the launcher's single-process and process modes.
 */
import { grpcProcessSettings, servedGrpc, type ServiceDefinition } from '@workshare/service-host';
import { startAuditGrpc } from './adapters/grpc/audit-grpc.js';
import { AUDIT_PROJECTIONS, auditReadModels, type AuditApplication } from './application/audit-service.js';
import { readServiceConfig, type ServiceConfig } from './config.js';
import { AUDIT_GRPC_PORT } from './contract.js';
import { AUDIT_QUERY_CATEGORY } from './domain/audit-query.js';
import { openAuditService } from './open-audit.js';

export const auditDefinition: ServiceDefinition<AuditApplication, ServiceConfig> = {
  name: 'audit',
  protocol: 'grpc',
  defaultPort: AUDIT_GRPC_PORT,
  streams: [AUDIT_QUERY_CATEGORY],
  readModels: AUDIT_PROJECTIONS.map((p) => p.definition.name),
  durableReadModels: (source, projections) => auditReadModels(source, projections),
  // The sealer and the background verification run inside the service; no bus consumer.
  consumerNames: [],
  usesStore: true,
  verifiesTokensWithIdentity: true,
  readConfig: readServiceConfig,
  settings: grpcProcessSettings,
  open: async ({ store, config, now, logger }) => {
    const runtime = await openAuditService({
      store: store!,
      identityAddress: config.identityAddress,
      projectionsUrl: config.projectionsUrl,
      sealKey: config.sealKey,
      sealLogPath: config.sealLogPath,
      natsUrl: config.natsUrl,
      sealIntervalMs: config.sealIntervalMs,
      verifyIntervalMs: config.verifyIntervalMs,
      now,
      onError: (error) =>
        logger.warn(
          { err: { message: error instanceof Error ? error.message : String(error) } },
          'audit background work failed',
        ),
    });
    if (config.sealKey === undefined)
      logger.warn('WORKSHARE_SEAL_KEY is not set: the log is not sealed; verification checks the hash chains only');
    return runtime;
  },
  serve: async ({ service, host, port, verifier, logger, drainDelayMs }) =>
    servedGrpc(
      await startAuditGrpc({
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
