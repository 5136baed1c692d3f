import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  Server,
  ServerCredentials,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import type { ThroughputResult } from '@workshare/bench';
import type { RequestOf, ResponseOf, UnaryMethodName } from './service.js';

// Benchmark helpers for unary round trips: libs/grpc/bench/run.ts measures the host stack with
// them, and a service's own bench (identity's GetMember) compares itself with the same
// empty-handler baseline. Only benchmarks call these; @workshare/bench is loaded when they do.

export interface BenchUnaryOptions {
  /** Calls in flight at once, each worker awaiting its call before the next (default 32). */
  concurrency?: number;
  /** Measure for this long (default 5,000 ms). */
  durationMs?: number;
  /** Call (and discard) for this long first (default 1,000 ms). */
  warmupMs?: number;
}

/**
 * A call and its baseline measured in alternating rounds (baseline, subject, baseline, ...), so
 * that drift on a busy machine falls on both alike; each side's rounds combined.
 */
export const compareUnary = async (
  baseline: () => Promise<unknown>,
  subject: () => Promise<unknown>,
  options: BenchUnaryOptions & { rounds: number },
): Promise<{ baseline: ThroughputResult; subject: ThroughputResult; describe: (r: ThroughputResult) => string }> => {
  const { combineThroughput } = await import('@workshare/bench');
  const round = {
    concurrency: options.concurrency ?? 32,
    durationMs: (options.durationMs ?? 5_000) / options.rounds,
    warmupMs: (options.warmupMs ?? 1_000) / options.rounds,
  };
  const baselines: ThroughputResult[] = [];
  const subjects: ThroughputResult[] = [];
  for (let i = 0; i < options.rounds; i++) {
    baselines.push(await benchUnary(baseline, round));
    subjects.push(await benchUnary(subject, round));
  }
  const describe = (r: ThroughputResult): string =>
    `${Math.round(r.operationsPerSecond).toLocaleString('en-US')} calls/s, p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms`;
  return { baseline: combineThroughput(baselines), subject: combineThroughput(subjects), describe };
};

/** Requests per second (and latency percentiles) of `call` at a fixed concurrency. */
export const benchUnary = async (
  call: () => Promise<unknown>,
  options: BenchUnaryOptions = {},
): Promise<ThroughputResult> => {
  const { measureThroughput } = await import('@workshare/bench');
  return measureThroughput({
    concurrency: options.concurrency ?? 32,
    durationMs: options.durationMs ?? 5_000,
    warmupMs: options.warmupMs ?? 1_000,
    operation: async () => {
      await call();
    },
  });
};

export interface UnaryBaseline<Request, Response> {
  /** One call through a bare grpc-js client, without deadline, metadata or interceptors. */
  call(request: Request): Promise<Response>;
  readonly address: string;
  close(): void;
}

/**
 * The baseline of a unary method: a bare grpc-js server on loopback whose handler answers
 * `response` at once (no auth, telemetry or error mapping), and a bare grpc-js client. What a
 * host-stack figure is divided by.
 */
export const startEmptyHandlerBaseline = async <D extends ServiceDefinition, K extends UnaryMethodName<D>>(
  definition: D,
  method: K,
  response: ResponseOf<D[K]>,
): Promise<UnaryBaseline<RequestOf<D[K]>, ResponseOf<D[K]>>> => {
  const server = new Server();
  server.addService(definition, {
    [method]: (_call: unknown, callback: (error: null, value: ResponseOf<D[K]>) => void) => callback(null, response),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const address = `127.0.0.1:${port}`;
  const Client = makeGenericClientConstructor(definition, 'baseline');
  const client = new Client(address, credentials.createInsecure());
  const { path, requestSerialize, responseDeserialize } = definition[method] as D[K];
  return {
    address,
    call: (request) =>
      new Promise((resolve, reject) =>
        client.makeUnaryRequest(
          path,
          requestSerialize,
          responseDeserialize,
          request,
          new Metadata(),
          {},
          (error, value) => (error ? reject(error) : resolve(value as ResponseOf<D[K]>)),
        ),
      ),
    close: () => {
      client.close();
      server.forceShutdown();
    },
  };
};
