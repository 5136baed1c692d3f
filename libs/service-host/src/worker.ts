import { startGrpcServer } from '@workshare/grpc';
import type { Served, ServiceLogger } from './definition.js';

/** How a worker (a definition of protocol `worker`) is, as its health endpoint tells it. */
export interface WorkerHealth {
  /** True while the worker can do its work (standing by counts); false once it stopped for good. */
  readonly serving: boolean;
  /** Told whenever `serving` changes; returns what stops the telling. */
  onChange(listener: (serving: boolean) => void): () => void;
}

export interface WorkerHealthOptions {
  /** The worker's name, for logs. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly logger: ServiceLogger;
  /** On stop, how long health answers NOT_SERVING before the server stops taking calls. */
  readonly drainDelayMs: number;
  readonly health: WorkerHealth;
}

/** The name the health endpoint is described by in the start-up log line. */
export const HEALTH_SERVICE = 'grpc.health.v1.Health';

/**
 * A worker's one endpoint: grpc.health.v1 on its port (no other service, no reflection, so no
 * caller needs a token), whose status for the server as a whole (`''`, what Kubernetes' native
 * gRPC probes ask) follows the worker's health: SERVING while it can do its work, NOT_SERVING
 * once it has stopped for good, and from the moment it is asked to stop.
 */
export const serveWorkerHealth = async (options: WorkerHealthOptions): Promise<Served> => {
  const server = await startGrpcServer({
    name: options.name,
    host: options.host,
    port: options.port,
    services: [],
    logger: options.logger,
    drainDelayMs: options.drainDelayMs,
  });
  let stopping = false;
  const apply = (serving: boolean): void => {
    if (!stopping) server.setServingStatus('', serving ? 'SERVING' : 'NOT_SERVING');
  };
  apply(options.health.serving);
  const unlisten = options.health.onChange(apply);
  return {
    port: server.port,
    address: server.address,
    description: [HEALTH_SERVICE],
    stop: (graceMs) => {
      stopping = true;
      unlisten();
      return server.shutdown(graceMs);
    },
  };
};
