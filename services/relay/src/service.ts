/**
 * The relay as one definition, run as its own process (main.ts: `runServiceProcess`) by a pod
 * (two replicas) or by the launcher's process mode (two processes). It is a worker: it takes no
 * calls and serves only grpc.health.v1 on its port. The one-process mode has no relay: its
 * in-process bus reads the store directly.
 */
import { grpcProcessSettings, serveWorkerHealth, type ServiceDefinition } from '@workshare/service-host';
import { DEFAULT_GRPC_PORT, readRelayConfig, type RelayConfig } from './config.js';
import { RelayWorker } from './relay-worker.js';

export const relayDefinition: ServiceDefinition<RelayWorker, RelayConfig> = {
  name: 'relay',
  protocol: 'worker',
  defaultPort: DEFAULT_GRPC_PORT,
  streams: [],
  readModels: [],
  consumerNames: [],
  usesStore: true,
  verifiesTokensWithIdentity: false,
  readConfig: readRelayConfig,
  settings: grpcProcessSettings,
  // The platform's clock (`now` of the open context) is not the relay's: it decides nothing and
  // records no event, and its lease, its retries and its health are infrastructure, on the real time.
  open: async ({ store, config, logger }) => {
    if (store === undefined) throw new Error('the relay needs the event store');
    const worker = new RelayWorker({
      store,
      natsUrl: config.natsUrl,
      lease: { connectionString: config.storeUrl, id: config.leaseId, retryMs: config.leaseRetryMs },
      log: logger,
    });
    return { service: worker, close: () => worker.stop() };
  },
  serve: ({ service, host, port, logger, drainDelayMs }) =>
    serveWorkerHealth({ name: 'relay', host, port, logger, drainDelayMs, health: service }),
};
