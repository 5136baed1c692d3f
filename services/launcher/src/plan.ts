/**
 * Which services the platform runs, where each listens, and how each starts as its own process.
 * Each service's definition (its service.ts) says what it is; a new service is one line in
 * DEFINITIONS (and its manifest and Tilt resource in deploy/).
 */
import { gatewayDefinition } from '@workshare/gateway';
import { identityDefinition } from '@workshare/identity';
import { jobIntakeDefinition } from '@workshare/job-intake';
import { addressVariable, portVariable, type ServiceDefinition } from '@workshare/service-host';
import { taskDecompositionDefinition } from '@workshare/task-decomposition';
import { teamSchedulingDefinition } from '@workshare/team-scheduling';

export interface ServiceSpec {
  readonly name: string;
  /** Default port (DESIGN conventions: identity 50051, job-intake 50052, ..., gateway HTTP 8080). */
  readonly port: number;
  /** Entry point, from the repository root, for running it as its own process. */
  readonly entry: string;
  /** `grpc` (default): a gRPC service that others reach at `<NAME>_ADDRESS`; `http`: the edge. */
  readonly protocol?: 'grpc' | 'http';
}

export interface ServicePlan extends ServiceSpec {
  readonly metricsPort: number;
}

/** Every service of the platform, in start order: identity first (the others verify tokens with it), the edge last. */
export const DEFINITIONS: readonly ServiceDefinition<unknown, unknown>[] = [
  identityDefinition,
  jobIntakeDefinition,
  taskDecompositionDefinition,
  teamSchedulingDefinition,
  gatewayDefinition,
];

/** What the launcher plans for each: from its definition. */
export const SERVICES: readonly ServiceSpec[] = DEFINITIONS.map((d) => ({
  name: d.name,
  port: d.defaultPort,
  entry: `services/${d.name}/dist/src/main.js`,
  protocol: d.protocol,
}));

/** Metrics ports of separate processes: 9464 is the launcher's own, services count up from 9465. */
const METRICS_BASE = 9465;

export { addressVariable };

/**
 * Ports from the defaults, overridden by `<SERVICE>_PORT` (e.g. IDENTITY_PORT=0 for any free
 * port in the one-process mode). Bad values are refused with the variable's name.
 */
export const planServices = (
  services: readonly ServiceSpec[],
  env: Readonly<Record<string, string | undefined>>,
): ServicePlan[] =>
  services.map((spec, index) => {
    const variable = portVariable(spec.name);
    const raw = env[variable];
    let port = spec.port;
    if (raw !== undefined && raw !== '') {
      port = Number(raw);
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw new Error(`${variable}=${raw} is not a port number (0-65535)`);
    }
    return { ...spec, port, metricsPort: METRICS_BASE + index };
  });

/**
 * The environment of one service run as its own process: its own ports, where every gRPC
 * service listens, and who relays the shared store's log to NATS (the first service only: a
 * second relay over the same store would only publish deduplicated repeats).
 */
export const processEnvironment = (plan: ServicePlan, plans: readonly ServicePlan[]): Record<string, string> => {
  const grpcServices = plans.filter((p) => (p.protocol ?? 'grpc') === 'grpc');
  const env: Record<string, string> = {
    METRICS_PORT: String(plan.metricsPort),
    OTEL_SERVICE_NAME: plan.name,
    EVENTS_RELAY: plan === plans[0] ? 'on' : 'off',
  };
  if ((plan.protocol ?? 'grpc') === 'grpc') env.GRPC_PORT = String(plan.port);
  else env.PORT = String(plan.port);
  for (const other of grpcServices) env[addressVariable(other.name)] = `127.0.0.1:${other.port}`;
  return env;
};
