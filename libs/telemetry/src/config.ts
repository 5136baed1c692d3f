import path from 'node:path';

/** Default Prometheus port of a process that is none of the services (the one-process launcher, a tool): the registered exporter port. */
export const DEFAULT_METRICS_PORT = 9464;

/**
 * Each service's own Prometheus port, when METRICS_PORT is unset: services side by side on one
 * machine (the launcher's process mode, a service started alone) never take each other's. A pod
 * sets METRICS_PORT (9464, its pod's own port).
 */
export const SERVICE_METRICS_PORTS: Readonly<Record<string, number>> = Object.freeze({
  identity: 9465,
  'job-intake': 9466,
  'task-decomposition': 9467,
  'team-scheduling': 9468,
  gateway: 9469,
  relay: 9470,
  'time-tracking': 9472,
  settlement: 9473,
  audit: 9474,
});

/** The port `/metrics` takes by default in a process of this service name. */
export const defaultMetricsPortOf = (serviceName: string): number =>
  Object.hasOwn(SERVICE_METRICS_PORTS, serviceName) ? SERVICE_METRICS_PORTS[serviceName]! : DEFAULT_METRICS_PORT;

/** Where `/metrics` listens unless METRICS_HOST says otherwise: loopback only. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';

/** Thrown when the environment or the options describe an impossible telemetry set-up. */
export class TelemetryConfigError extends Error {
  override readonly name = 'TelemetryConfigError';
}

export interface TelemetryConfigOptions {
  /** Overrides OTEL_SERVICE_NAME and the name derived from the entry script. */
  serviceName?: string;
  /**
   * Port of the Prometheus `/metrics` endpoint; `false` disables it. `0` here (unlike
   * METRICS_PORT=0, which disables) means "any free port" and is meant for tests.
   * Default: METRICS_PORT, else the service's own (SERVICE_METRICS_PORTS), else 9464.
   */
  metricsPort?: number | false;
  /** Interface the metrics endpoint listens on (default: METRICS_HOST, else 127.0.0.1, loopback only). */
  metricsHost?: string;
}

export interface TelemetryConfig {
  readonly serviceName: string;
  /** Where `/metrics` listens; undefined when disabled. */
  readonly metrics: { readonly port: number; readonly host: string } | undefined;
  /** OTLP (protobuf over HTTP) trace export; undefined unless OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  readonly traceExport: { readonly url: string } | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

const nonEmpty = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
};

/** Folders of a build layout that never name the service (services/x/dist/src/main.js). */
const LAYOUT_FOLDERS = new Set(['dist', 'src', 'build', 'lib', 'bin', 'out']);

/**
 * The service name an entry script implies: the folder after `services/`
 * (`services/identity/dist/src/main.js` → `identity`), else the nearest folder that is not
 * part of a build layout, else undefined.
 */
export function serviceNameFromEntry(entry: string | undefined): string | undefined {
  if (entry === undefined || entry === '') return undefined;
  const parts = entry.split(/[\\/]+/).filter((p) => p !== '');
  const servicesAt = parts.lastIndexOf('services');
  if (servicesAt >= 0 && servicesAt < parts.length - 2) return parts[servicesAt + 1];
  const folders = parts.slice(0, -1);
  for (let i = folders.length - 1; i >= 0; i--) {
    const folder = folders[i] as string;
    if (!LAYOUT_FOLDERS.has(folder) && folder !== '.' && folder !== '..') return folder;
  }
  return undefined;
}

function parsePort(raw: string, variable: string): number | false {
  if (!/^\d+$/.test(raw))
    throw new TelemetryConfigError(`${variable} must be a port number (0 disables), got ${JSON.stringify(raw)}`);
  const port = Number(raw);
  if (port === 0) return false;
  if (port > 65535) throw new TelemetryConfigError(`${variable} must be at most 65535, got ${port}`);
  return port;
}

function checkedPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TelemetryConfigError(`metricsPort must be an integer in 0..65535, got ${port}`);
  return port;
}

/**
 * The OTLP/HTTP traces URL the environment asks for: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as
 * is, or OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces` (the OTLP specification's rule). Export
 * happens only when OTEL_EXPORTER_OTLP_ENDPOINT is set: without it, no exporter, no network.
 */
export function otlpTracesUrl(env: Env): string | undefined {
  const endpoint = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (endpoint === undefined) return undefined;
  const url = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) ?? `${endpoint.replace(/\/+$/, '')}/v1/traces`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TelemetryConfigError(`OTEL_EXPORTER_OTLP_ENDPOINT is not a URL: ${JSON.stringify(endpoint)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TelemetryConfigError(
      `OTLP traces are exported over HTTP(S); ${JSON.stringify(url)} is not an http(s) URL`,
    );
  }
  return parsed.href;
}

/** Resolves what telemetry does in this process from options, then the environment. Pure. */
export function resolveTelemetryConfig(
  options: TelemetryConfigOptions = {},
  env: Env = process.env,
  argv: readonly string[] = process.argv,
): TelemetryConfig {
  const serviceName =
    nonEmpty(options.serviceName) ??
    nonEmpty(env.OTEL_SERVICE_NAME) ??
    serviceNameFromEntry(argv[1] === undefined ? undefined : path.resolve(argv[1])) ??
    'workshare';

  let port: number | false;
  if (options.metricsPort !== undefined)
    port = options.metricsPort === false ? false : checkedPort(options.metricsPort);
  else {
    const raw = nonEmpty(env.METRICS_PORT);
    port = raw === undefined ? defaultMetricsPortOf(serviceName) : parsePort(raw, 'METRICS_PORT');
  }
  const host = nonEmpty(options.metricsHost) ?? nonEmpty(env.METRICS_HOST) ?? DEFAULT_METRICS_HOST;

  const url = otlpTracesUrl(env);
  return {
    serviceName,
    metrics: port === false ? undefined : { port, host },
    traceExport: url === undefined ? undefined : { url },
  };
}
