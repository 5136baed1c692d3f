#!/usr/bin/env node
/**
 * The gateway as its own process, as a pod runs it:
 *
 *   node --import @workshare/telemetry/register services/gateway/dist/src/main.js
 *
 * Configuration from the environment (see config.ts and the README): the port, the services'
 * gRPC addresses, the rate and body limits, the log level. It opens no event store: it talks to
 * the services over gRPC only. On SIGTERM or SIGINT it stops taking connections, lets requests
 * in flight finish (up to SHUTDOWN_GRACE_MS), closes its gRPC clients and exits.
 */
import { createLogger, shutdownTelemetry } from '@workshare/telemetry';
import { startGateway, type RunningGateway } from './app.js';
import { ConfigError, readGatewayConfig, type GatewayConfig } from './config.js';

const fail = (message: string): never => {
  process.stderr.write(`gateway could not start: ${message}\n`);
  process.exit(1);
};

const readConfig = (): GatewayConfig => {
  try {
    return readGatewayConfig(process.env);
  } catch (error) {
    return fail(error instanceof ConfigError ? error.message : String(error));
  }
};

const main = async (): Promise<void> => {
  const config = readConfig();
  const log = createLogger('gateway', { level: config.logLevel });

  let gateway: RunningGateway;
  try {
    gateway = await startGateway({
      port: config.port,
      host: config.host,
      identityAddress: config.identityAddress,
      jobIntakeAddress: config.jobIntakeAddress,
      taskDecompositionAddress: config.taskDecompositionAddress,
      teamSchedulingAddress: config.teamSchedulingAddress,
      rateLimit: { max: config.rateLimitPerMinute, timeWindowMs: 60_000 },
      bodyLimitBytes: config.bodyLimitBytes,
      logger: log,
    });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  log.info(
    {
      url: gateway.url,
      identity: config.identityAddress,
      jobIntake: config.jobIntakeAddress,
      taskDecomposition: config.taskDecompositionAddress,
      teamScheduling: config.teamSchedulingAddress,
    },
    'gateway listening (docs at /docs, OpenAPI at /openapi.json)',
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal while stopping: exiting at once');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, graceMs: config.shutdownGraceMs }, 'gateway stopping: finishing requests in flight');
    void (async () => {
      let code = 0;
      // Requests still running after the grace period are cut off by exiting.
      const deadline = setTimeout(() => {
        log.warn({ graceMs: config.shutdownGraceMs }, 'requests still running after the grace period were cut off');
        process.exit(1);
      }, config.shutdownGraceMs);
      deadline.unref();
      try {
        await gateway.close();
        log.info({}, 'gateway stopped');
      } catch (error) {
        code = 1;
        log.error(
          {
            err: {
              type: error instanceof Error ? error.name : typeof error,
              message: error instanceof Error ? error.message : String(error),
            },
          },
          'gateway did not stop cleanly',
        );
      }
      await shutdownTelemetry().catch(() => undefined);
      process.exit(code);
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};

void main();
