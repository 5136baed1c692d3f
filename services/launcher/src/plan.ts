/**
 * Which services the platform runs, where each listens, and how each starts as its own process.
 * A new service is one line here (and its manifest and Tilt resource in deploy/).
 */
export interface ServiceSpec {
  readonly name: string;
  /** Default gRPC port (DESIGN conventions: identity 50051, job-intake 50052, ...). */
  readonly port: number;
  /** Entry point, from the repository root, for running it as its own process. */
  readonly entry: string;
}

export interface ServicePlan extends ServiceSpec {
  readonly metricsPort: number;
}

export const SERVICES: readonly ServiceSpec[] = [{ name: 'identity', port: 50051, entry: 'services/identity/dist/src/main.js' }];

/** Metrics ports of separate processes: 9464 is the launcher's own, services count up from 9465. */
const METRICS_BASE = 9465;

const envName = (service: string): string => `${service.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_PORT`;

/**
 * Ports from the defaults, overridden by `<SERVICE>_PORT` (e.g. IDENTITY_PORT=0 for any free
 * port in the one-process mode). Bad values are refused with the variable's name.
 */
export const planServices = (services: readonly ServiceSpec[], env: Readonly<Record<string, string | undefined>>): ServicePlan[] =>
  services.map((spec, index) => {
    const variable = envName(spec.name);
    const raw = env[variable];
    let port = spec.port;
    if (raw !== undefined && raw !== '') {
      port = Number(raw);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${variable}=${raw} is not a port number (0-65535)`);
    }
    return { ...spec, port, metricsPort: METRICS_BASE + index };
  });
