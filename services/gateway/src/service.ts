/**
 * The gateway (the HTTP edge) as one definition, for every way of running it: its own process
 * (main.ts: `runServiceProcess`), and the launcher's single-process and process modes. It opens
 * no event store: it talks to the services over gRPC only, and listens on NATS (NATS_URL) for
 * identity's access revocations, which its token cache forgets at once.
 */
import type { ServiceDefinition } from '@workshare/service-host';
import type { Clock } from '@workshare/time';
import { startGateway } from './app.js';
import { DEFAULT_PORT, readGatewayConfig, type GatewayConfig } from './config.js';

/** What the gateway opens: no state of its own, only its configuration and the platform's clock. */
export interface GatewayService {
  readonly config: GatewayConfig;
  readonly now: Clock;
}

export const gatewayDefinition: ServiceDefinition<GatewayService, GatewayConfig> = {
  name: 'gateway',
  protocol: 'http',
  defaultPort: DEFAULT_PORT,
  streams: [],
  readModels: [],
  consumerNames: [],
  usesStore: false,
  // Its token checks are the runner's verifier, whose cache hears identity's revocations on the bus.
  verifiesTokensWithIdentity: true,
  readConfig: readGatewayConfig,
  settings: (config) => ({
    host: config.host,
    port: config.port,
    logLevel: config.logLevel,
    shutdownGraceMs: config.shutdownGraceMs,
    drainDelayMs: 0,
    natsUrl: config.natsUrl,
    identityAddress: config.identityAddress,
  }),
  // Its "service" is its configuration and clock: the gateway holds no state of its own.
  open: async ({ config, now }) => ({ service: { config, now }, close: async () => undefined }),
  serve: async ({ service, config, host, port, logger, verifier }) => {
    const gateway = await startGateway({
      port,
      host,
      ...(verifier !== undefined ? { verifier } : {}),
      identityAddress: config.identityAddress,
      jobIntakeAddress: config.jobIntakeAddress,
      taskDecompositionAddress: config.taskDecompositionAddress,
      teamSchedulingAddress: config.teamSchedulingAddress,
      timeTrackingAddress: config.timeTrackingAddress,
      settlementAddress: config.settlementAddress,
      auditAddress: config.auditAddress,
      rateLimit: { max: config.rateLimitPerMinute, timeWindowMs: 60_000 },
      bodyLimitBytes: config.bodyLimitBytes,
      ...(config.publicUrl !== undefined ? { publicUrl: config.publicUrl } : {}),
      logger,
      now: service.now,
    });
    return {
      port: Number(new URL(gateway.url).port),
      address: gateway.url,
      description: ['HTTP API (docs at /docs, OpenAPI at /openapi.json)'],
      stop: async (graceMs) => {
        // Requests still running after the grace period are cut off.
        let forced = false;
        const cut = new Promise<void>((resolve) =>
          setTimeout(() => {
            forced = true;
            resolve();
          }, graceMs).unref(),
        );
        await Promise.race([gateway.close(), cut]);
        return { forced };
      },
    };
  },
};
