/**
 * Which services the platform runs, where each listens, and how each starts as its own process.
 * Each service's definition (its service.ts) says what it is; a new service is one line in
 * DEFINITIONS (and its manifest and Tilt resource in deploy/). The relay, which publishes the
 * shared store's log to NATS, is no service of the one-process mode: the process mode runs it
 * beside the services, in RELAY_REPLICAS processes. The process mode with NATS runs team
 * scheduling in TEAM_SCHEDULING_REPLICAS processes (default 2), which its callers reach as a list
 * of addresses, one per replica, balanced round-robin.
 */
import { auditDefinition } from '@workshare/audit';
import { gatewayDefinition } from '@workshare/gateway';
import { identityDefinition } from '@workshare/identity';
import { jobIntakeDefinition } from '@workshare/job-intake';
import { relayDefinition } from '@workshare/relay';
import { addressVariable, envNameOf, portVariable, type ServiceDefinition } from '@workshare/service-host';
import { settlementDefinition } from '@workshare/settlement';
import { defaultMetricsPortOf } from '@workshare/telemetry';
import { taskDecompositionDefinition } from '@workshare/task-decomposition';
import { teamSchedulingDefinition } from '@workshare/team-scheduling';
import { timeTrackingDefinition } from '@workshare/time-tracking';

export interface ServiceSpec {
  readonly name: string;
  /** Default port (DESIGN conventions: identity 50051, job-intake 50052, ..., time tracking 50062, settlement 50063, audit 50064, gateway HTTP 8080). */
  readonly port: number;
  /** Entry point, from the repository root, for running it as its own process. */
  readonly entry: string;
  /**
   * `grpc` (default): a gRPC service that others reach at `<NAME>_ADDRESS`; `http`: the edge;
   * `worker`: a process nobody calls, serving only gRPC health (the relay).
   */
  readonly protocol?: 'grpc' | 'http' | 'worker';
}

export interface ServicePlan extends ServiceSpec {
  readonly metricsPort: number;
  /** Which of a worker's processes this is (1, 2, ...); undefined for a service, which runs once. */
  readonly replica?: number;
}

/**
 * Every service of the platform, in start order: identity first (the others verify tokens with
 * it; settlement reads regions, businesses and members' bank accounts from it; the audit members'
 * names and sealed texts), the audit after the services whose history it reads (it folds the
 * whole log and seals it), the edge last (it calls every other).
 */
export const DEFINITIONS: readonly ServiceDefinition<unknown, unknown>[] = [
  identityDefinition,
  jobIntakeDefinition,
  taskDecompositionDefinition,
  teamSchedulingDefinition,
  timeTrackingDefinition,
  settlementDefinition,
  auditDefinition,
  gatewayDefinition,
];

/** What the launcher plans for each: from its definition. */
export const SERVICES: readonly ServiceSpec[] = DEFINITIONS.map((d) => ({
  name: d.name,
  port: d.defaultPort,
  entry: `services/${d.name}/dist/src/main.js`,
  protocol: d.protocol,
}));

/**
 * A process's metrics port: `<SERVICE>_METRICS_PORT` when set, else the service's own default
 * (SERVICE_METRICS_PORTS of @workshare/telemetry: identity 9465, job intake 9466, task
 * decomposition 9467, team scheduling 9468, the gateway 9469, the relay 9470 (and 9471 for its
 * second process), time tracking 9472, settlement 9473, audit 9474; 9464 is the launcher's own,
 * in the one-process mode). A bad value is refused with the variable's name.
 */
export const metricsPortOf = (name: string, env: Readonly<Record<string, string | undefined>>): number => {
  const variable = `${envNameOf(name)}_METRICS_PORT`;
  const raw = env[variable];
  if (raw === undefined || raw === '') return defaultMetricsPortOf(name);
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`${variable}=${raw} is not a port number (1-65535)`);
  return port;
};

export { addressVariable };

/** The relay, run by the process mode with NATS: it publishes the shared store's log to JetStream. */
export const RELAY: ServiceSpec = {
  name: relayDefinition.name,
  port: relayDefinition.defaultPort,
  entry: `services/${relayDefinition.name}/dist/src/main.js`,
  protocol: relayDefinition.protocol,
};

/** Relay processes of the process mode: one publishes (it holds the lease), the other stands by. */
export const RELAY_REPLICAS = 2;

/** The service the process mode runs in replicas. */
export const TEAM_SCHEDULING = teamSchedulingDefinition.name;

/** Team scheduling's processes in the process mode with NATS unless TEAM_SCHEDULING_REPLICAS says otherwise. */
export const DEFAULT_TEAM_SCHEDULING_REPLICAS = 2;

/** The most TEAM_SCHEDULING_REPLICAS may ask for (each replica takes the next gRPC port). */
export const MAX_TEAM_SCHEDULING_REPLICAS = 8;

/**
 * How many team scheduling processes run: TEAM_SCHEDULING_REPLICAS, by default 2 in the process
 * mode with NATS (`processes`, `nats`) and 1 otherwise. Replicas are safe there: every decision
 * about members' time holds its regions' leases, PostgreSQL advisory locks, and the replicas share
 * each of the service's durable JetStream consumers (every event is handled by one of them). More
 * than one is refused, saying why, in the one-process mode (one process opens the embedded store)
 * and without NATS (each process's consumers would read the store for themselves, so every
 * replica would handle every event). A bad value is refused with the variable's name.
 */
export const teamSchedulingReplicas = (
  env: Readonly<Record<string, string | undefined>>,
  mode: 'one-process' | 'processes',
  nats: boolean,
): number => {
  const variable = `${envNameOf(TEAM_SCHEDULING)}_REPLICAS`;
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === '') return mode === 'processes' && nats ? DEFAULT_TEAM_SCHEDULING_REPLICAS : 1;
  const replicas = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(replicas >= 1 && replicas <= MAX_TEAM_SCHEDULING_REPLICAS))
    throw new Error(`${variable}=${raw} is not a number of processes (1-${MAX_TEAM_SCHEDULING_REPLICAS})`);
  if (replicas > 1 && mode === 'one-process')
    throw new Error(
      `${variable}=${raw}: the one-process mode runs one of each service (only one process can open the embedded store); set EVENTSTORE_URL=postgres://... and NATS_URL to run replicas, each its own process`,
    );
  if (replicas > 1 && !nats)
    throw new Error(
      `${variable}=${raw} needs NATS_URL: without NATS each process's consumers read the store for themselves, so every replica would handle every event (on NATS the replicas share each durable consumer)`,
    );
  return replicas;
};

/** The name a process goes by in the launcher's lines and logs: `identity`, `relay-1`, ... */
export const processName = (plan: ServicePlan): string =>
  plan.replica === undefined ? plan.name : `${plan.name}-${plan.replica}`;

/**
 * Ports from the defaults, overridden by `<SERVICE>_PORT` (e.g. IDENTITY_PORT=0 for any free
 * port in the one-process mode). Bad values are refused with the variable's name.
 */
export const planServices = (
  services: readonly ServiceSpec[],
  env: Readonly<Record<string, string | undefined>>,
): ServicePlan[] =>
  services.map((spec) => {
    const variable = portVariable(spec.name);
    const raw = env[variable];
    let port = spec.port;
    if (raw !== undefined && raw !== '') {
      port = Number(raw);
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw new Error(`${variable}=${raw} is not a port number (0-65535)`);
    }
    return { ...spec, port, metricsPort: metricsPortOf(spec.name, env) };
  });

/**
 * The relay's processes, after the services (`services`: their plans, whose ports and metrics
 * ports the relay's must not take): RELAY_PORT (default 50060) for the first, the next port for
 * each other (50061; time tracking's 50062, settlement's 50063 and the audit's 50064 come after them); 0 (any free
 * port) is allowed, since nobody calls the relay. Metrics: RELAY_METRICS_PORT (default the
 * relay's own, 9470) and the next ports. A bad value, or a port a service takes, is refused with
 * the variable's name.
 */
export const planRelays = (
  services: readonly ServicePlan[],
  env: Readonly<Record<string, string | undefined>>,
  replicas = RELAY_REPLICAS,
): ServicePlan[] => {
  const [relay] = planServices([RELAY], env);
  if (relay === undefined) return [];
  const variable = portVariable(RELAY.name);
  if (relay.port !== 0 && relay.port + replicas - 1 > 65_535)
    throw new Error(`${variable}=${relay.port} leaves no port for ${replicas} relay processes`);
  const last = relay.port + replicas - 1;
  const clash = relay.port === 0 ? undefined : services.find((s) => s.port >= relay.port && s.port <= last);
  if (clash !== undefined)
    throw new Error(
      `${variable}=${relay.port} gives the relay's ${replicas} processes ports ${relay.port}-${last}, and ${clash.port} is ${clash.name}'s: set ${variable}`,
    );
  const metricsBase = metricsPortOf(RELAY.name, env);
  const taken = services.find((s) => s.metricsPort >= metricsBase && s.metricsPort < metricsBase + replicas);
  if (taken !== undefined || metricsBase + replicas - 1 > 65_535)
    throw new Error(
      `the relay's metrics ports ${metricsBase}-${metricsBase + replicas - 1} ${taken ? `take ${taken.name}'s (${taken.metricsPort})` : 'go past 65535'}: set RELAY_METRICS_PORT`,
    );
  return Array.from({ length: replicas }, (_, i) => ({
    ...RELAY,
    port: relay.port === 0 ? 0 : relay.port + i,
    // Each replica the next port after the relay's own.
    metricsPort: metricsBase + i,
    replica: i + 1,
  }));
};

/**
 * The plans with the process of service `name` made `replicas` processes (`team-scheduling-1`,
 * `team-scheduling-2`, ...), where it stood in the start order (`plans`: every process planned,
 * the relay's included). The first keeps the service's ports; each other takes the next gRPC
 * port (`<SERVICE>_PORT` + 1, ...: 50055 to 50059 before the relay's 50060 and 50061) and, for
 * metrics, the next port above every metrics port planned (team scheduling's second 9475 by
 * default, after the relay's 9470 and 9471, time tracking's 9472, settlement's 9473 and the
 * audit's 9474). A gRPC
 * port another process takes (more than 6 replicas on the default ports reach the relay's), or
 * one past 65535, is refused, naming the variable.
 */
export const planReplicas = (plans: readonly ServicePlan[], name: string, replicas: number): ServicePlan[] => {
  const index = plans.findIndex((p) => p.name === name);
  const plan = plans[index];
  if (plan === undefined) throw new Error(`no plan for ${name}`);
  if (replicas <= 1) return [...plans];
  const variable = portVariable(name);
  const last = plan.port + replicas - 1;
  if (plan.port === 0)
    throw new Error(`${variable}=0: ${name}'s ${replicas} processes need known ports, which their callers are given`);
  if (last > 65_535) throw new Error(`${variable}=${plan.port} leaves no port for ${replicas} ${name} processes`);
  for (let port = plan.port + 1; port <= last; port++) {
    const taken = plans.find((p) => p !== plan && p.port === port);
    if (taken !== undefined)
      throw new Error(
        `${variable}=${plan.port} gives ${name}'s ${replicas} processes ports ${plan.port}-${last}, and ${port} is ${processName(taken)}'s: set ${variable}`,
      );
  }
  const metricsAbove = Math.max(...plans.map((p) => p.metricsPort));
  if (metricsAbove + replicas - 1 > 65_535)
    throw new Error(`${name}'s ${replicas} processes find no metrics ports above ${metricsAbove}`);
  const copies = Array.from({ length: replicas }, (_, i) => ({
    ...plan,
    port: plan.port + i,
    metricsPort: i === 0 ? plan.metricsPort : metricsAbove + i,
    replica: i + 1,
  }));
  return [...plans.slice(0, index), ...copies, ...plans.slice(index + 1)];
};

/**
 * The environment of one service (or relay process) run as its own process: its own ports, and
 * where every gRPC service listens: `<SERVICE>_ADDRESS`, a comma-separated list of its
 * replicas' addresses for a service run in replicas (its callers balance calls round-robin over
 * them). No service relays the store's log to NATS: the relay does.
 */
export const processEnvironment = (plan: ServicePlan, plans: readonly ServicePlan[]): Record<string, string> => {
  const grpcServices = plans.filter((p) => (p.protocol ?? 'grpc') === 'grpc');
  const env: Record<string, string> = {
    METRICS_PORT: String(plan.metricsPort),
    OTEL_SERVICE_NAME: plan.name,
  };
  if ((plan.protocol ?? 'grpc') === 'http') env.PORT = String(plan.port);
  else env.GRPC_PORT = String(plan.port);
  for (const other of grpcServices) {
    const variable = addressVariable(other.name);
    const address = `127.0.0.1:${other.port}`;
    env[variable] = env[variable] === undefined ? address : `${env[variable]},${address}`;
  }
  return env;
};

/** Where the process mode's callers reach service `name`: its address, or its replicas' as a comma-separated list. */
export const addressOf = (plans: readonly ServicePlan[], name: string): string =>
  plans
    .filter((p) => p.name === name)
    .map((p) => `127.0.0.1:${p.port}`)
    .join(',');
