/**
 * Relay replicas as real processes (the built dist/src/main.js, as a pod runs it) on one
 * PostgreSQL database and one NATS stream, for the failover tests and the benchmark.
 */
import { checkHealth } from '@workshare/grpc';
import { freePort, spawnServiceProcess, waitForService, type ServiceChild } from '@workshare/service-host';

export interface ReplicaSettings {
  /** services/relay, whose dist/src/main.js runs. */
  readonly packageRoot: string;
  readonly storeUrl: string;
  readonly natsUrl: string;
  readonly stream: string;
  readonly subjectPrefix: string;
  readonly leaseId: number;
  readonly leaseRetryMs: number;
  /** LOG_LEVEL of the replica (default info: the tests read its lease lines). */
  readonly logLevel?: string;
}

export interface LogLine {
  readonly msg?: string;
  readonly level?: string;
  readonly time?: string;
  readonly [field: string]: unknown;
}

export interface Replica {
  readonly label: string;
  readonly port: number;
  readonly address: string;
  readonly child: ServiceChild;
  /** Its JSON log lines so far. */
  logged(): LogLine[];
  /** Its log lines whose message matches. */
  linesMatching(pattern: RegExp): LogLine[];
  /** Resolves with the first line matching (fails if it exits first or time runs out). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<LogLine>;
  health(): Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly alive: boolean;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const parse = (line: string): LogLine | undefined => {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as LogLine) : undefined;
  } catch {
    return undefined;
  }
};

/** What a replica logs when it takes the lease and publishes. */
export const HOLDS_LEASE = /^relay holds the lease/;
/** What it logs when another replica holds the lease. */
export const STANDING_BY = /^relay standing by/;

/** Starts one replica on a free port and waits until its health answers SERVING. */
export const startReplica = async (label: string, settings: ReplicaSettings): Promise<Replica> => {
  const port = await freePort();
  const child = spawnServiceProcess(settings.packageRoot, {
    EVENTSTORE_URL: settings.storeUrl,
    NATS_URL: settings.natsUrl,
    NATS_STREAM: settings.stream,
    NATS_SUBJECT_PREFIX: settings.subjectPrefix,
    GRPC_PORT: String(port),
    GRPC_HOST: '127.0.0.1',
    RELAY_LEASE_ID: String(settings.leaseId),
    RELAY_LEASE_RETRY_MS: String(settings.leaseRetryMs),
    LOG_LEVEL: settings.logLevel ?? 'info',
    OTEL_SERVICE_NAME: `relay-${label}`,
  });
  const address = `127.0.0.1:${port}`;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = child.exited.then((e) => (exit = e));
  const logged = (): LogLine[] => child.lines.map(parse).filter((l): l is LogLine => l !== undefined);
  const linesMatching = (pattern: RegExp): LogLine[] => logged().filter((l) => pattern.test(l.msg ?? ''));
  const replica: Replica = {
    label,
    port,
    address,
    child,
    logged,
    linesMatching,
    waitForLine: async (pattern, timeoutMs = 30_000) => {
      await waitForService(
        `"${pattern.source}" from relay ${label}`,
        async () => linesMatching(pattern).length > 0,
        child,
        timeoutMs,
      );
      return linesMatching(pattern)[0]!;
    },
    health: () => checkHealth(address),
    exited,
    get alive() {
      return exit === undefined;
    },
    kill: async (signal) => {
      if (exit === undefined) child.process.kill(signal);
      return exited;
    },
  };
  try {
    await waitForService('health SERVING', async () => (await checkHealth(address)) === 'SERVING', child);
  } catch (error) {
    await replica.kill('SIGKILL');
    throw error;
  }
  return replica;
};

/** The time of a log line, in ms since the epoch. */
export const timeOf = (line: LogLine): number => {
  const ms = Date.parse(String(line.time));
  if (!Number.isFinite(ms)) throw new Error(`log line without a time: ${JSON.stringify(line)}`);
  return ms;
};
