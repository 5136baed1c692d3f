import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { core, NodeSDK, type NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  NoopSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { resolveTelemetryConfig, type TelemetryConfig, type TelemetryConfigOptions } from './config.js';

type InstrumentationList = NonNullable<NodeSDKConfiguration['instrumentations']>;
type Instrumentation = Extract<InstrumentationList[number], { disable(): void }>;

export interface TelemetryOptions extends TelemetryConfigOptions {
  /**
   * Span processors to use instead of the environment's exporter (tests pass
   * `[new SimpleSpanProcessor(new InMemorySpanExporter())]`).
   */
  spanProcessors?: SpanProcessor[];
  /** An exporter to use instead of the environment's, behind a batch span processor. */
  traceExporter?: SpanExporter;
  /**
   * Auto-instrumentations: `true` (default) for http, pg, pino and the other
   * defaults, without fs, dns and net; `false` for none (tests); or an explicit list.
   */
  instrumentations?: boolean | InstrumentationList;
  /** Environment to read (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface Telemetry {
  readonly config: TelemetryConfig;
  readonly serviceName: string;
  /** The bound metrics address (the real port when 0 was asked); undefined when disabled. */
  readonly metrics: { readonly host: string; readonly port: number; readonly url: string } | undefined;
  /** Exports every ended span now (a no-op without an exporter). */
  flush(): Promise<void>;
  /** Flushes spans, closes `/metrics`, unregisters the SDK. Idempotent. */
  shutdown(options?: { timeoutMs?: number }): Promise<void>;
}

/**
 * Processors for the resolved configuration: the override when given, else a batch
 * processor with the OTLP/proto exporter when the environment asks for export, else a
 * processor that drops spans. Spans are recorded either way, so logs carry trace ids and
 * `traceparent` flows through events even where nothing is exported.
 */
export function createSpanProcessors(
  config: TelemetryConfig,
  overrides: Pick<TelemetryOptions, 'spanProcessors' | 'traceExporter'> = {},
): SpanProcessor[] {
  if (overrides.spanProcessors !== undefined) return overrides.spanProcessors;
  if (overrides.traceExporter !== undefined) return [new BatchSpanProcessor(overrides.traceExporter)];
  if (config.traceExport !== undefined)
    return [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.traceExport.url }))];
  return [new NoopSpanProcessor()];
}

async function autoInstrumentations(): Promise<InstrumentationList> {
  const { getNodeAutoInstrumentations } = await import('@opentelemetry/auto-instrumentations-node');
  return getNodeAutoInstrumentations({
    '@opentelemetry/instrumentation-http': {
      enabled: true,
      // Prometheus scrapes every few seconds; a span per scrape is noise.
      ignoreIncomingRequestHook: (request) => request.url === '/metrics',
    },
    // The gRPC host's own interceptors (libs/grpc) make the rpc spans and carry traceparent:
    // a second set from the generic instrumentation would double every call.
    '@opentelemetry/instrumentation-grpc': { enabled: false },
    '@opentelemetry/instrumentation-pg': { enabled: true },
    // Trace ids go into the JSON lines on stdout; logs are not sent through the OTel logs pipeline.
    '@opentelemetry/instrumentation-pino': { enabled: true, disableLogSending: true },
    // A span per file read, DNS lookup and socket is noise around the spans that matter.
    '@opentelemetry/instrumentation-fs': { enabled: false },
    '@opentelemetry/instrumentation-dns': { enabled: false },
    '@opentelemetry/instrumentation-net': { enabled: false },
  });
}

const displayHost = (host: string | undefined): string =>
  host === undefined || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

function serveMetrics(exporter: PrometheusExporter, port: number, host: string | undefined): Promise<Server> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const pathname = (request.url ?? '/').split('?')[0];
    if (pathname === '/metrics' && (request.method === 'GET' || request.method === 'HEAD'))
      exporter.getMetricsRequestHandler(request, response);
    else {
      response.statusCode = 404;
      response.end();
    }
  });
  server.on('connection', (socket) => socket.unref());
  return new Promise((resolve, reject) => {
    server.once('error', (error: Error) =>
      reject(
        new Error(`telemetry: /metrics cannot listen on ${host ?? '*'}:${port}: ${error.message}`, { cause: error }),
      ),
    );
    server.listen({ port, host }, () => {
      // The endpoint alone must not keep a process alive (a one-shot command run with --import).
      server.unref();
      resolve(server);
    });
  });
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

function withTimeout(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

// Shared through globalThis so that two copies of this module (a bundler, a second path)
// still start telemetry once per process.
const ACTIVE = Symbol.for('workshare.telemetry.active');
type Holder = { [ACTIVE]?: Promise<Telemetry> };
const holder = globalThis as Holder;

async function start(options: TelemetryOptions): Promise<Telemetry> {
  const config = resolveTelemetryConfig(options, options.env ?? process.env);
  const spanProcessors = createSpanProcessors(config, options);
  const instrumentations: InstrumentationList =
    options.instrumentations === false
      ? []
      : options.instrumentations === true || options.instrumentations === undefined
        ? await autoInstrumentations()
        : options.instrumentations;

  // Detected here rather than by the SDK so that its asynchronous part has settled before the
  // first span ends: span processors would otherwise hold spans back until it does.
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector, processDetector, hostDetector] }))
    .merge(resourceFromAttributes({ 'service.namespace': 'workshare' }));
  await resource.waitForAsyncAttributes?.();

  const prometheus = config.metrics === undefined ? undefined : new PrometheusExporter({ preventServerStart: true });
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    resource,
    autoDetectResources: false,
    spanProcessors,
    metricReaders: prometheus === undefined ? [] : [prometheus],
    // An empty list keeps the SDK from defaulting to an OTLP log exporter (network).
    logRecordProcessors: [],
    textMapPropagator: new core.CompositePropagator({
      propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
    }),
    instrumentations,
  });
  sdk.start();

  let server: Server | undefined;
  if (config.metrics !== undefined && prometheus !== undefined) {
    try {
      server = await serveMetrics(prometheus, config.metrics.port, config.metrics.host);
    } catch (error) {
      await stopSdk(sdk, instrumentations);
      throw error;
    }
  }
  const address = server?.address() as AddressInfo | null | undefined;
  const bound =
    address && config.metrics !== undefined
      ? {
          host: displayHost(config.metrics.host),
          port: address.port,
          url: `http://${displayHost(config.metrics.host)}:${address.port}/metrics`,
        }
      : undefined;

  let stopping: Promise<void> | undefined;
  const telemetry: Telemetry = {
    config,
    serviceName: config.serviceName,
    metrics: bound,
    flush: async () => {
      await Promise.all(spanProcessors.map((p) => p.forceFlush()));
    },
    shutdown: ({ timeoutMs = 5_000 } = {}) => {
      stopping ??= (async () => {
        if (server !== undefined) await closeServer(server);
        await stopSdk(sdk, instrumentations);
      })();
      // Bounded: an unreachable collector must not hold a terminating pod.
      return withTimeout(stopping, timeoutMs).finally(() => {
        if (holder[ACTIVE] === current) delete holder[ACTIVE];
      });
    },
  };
  const current = Promise.resolve(telemetry);
  holder[ACTIVE] = current;
  return telemetry;
}

async function stopSdk(sdk: NodeSDK, instrumentations: InstrumentationList): Promise<void> {
  try {
    await sdk.shutdown();
  } finally {
    for (const instrumentation of instrumentations.flat() as Instrumentation[]) instrumentation.disable();
    // Unregister the globals so that a later start (tests, a restarted launcher) registers afresh.
    trace.disable();
    metrics.disable();
    propagation.disable();
    context.disable();
  }
}

/**
 * Starts OpenTelemetry for this process: the NodeSDK with auto-instrumentations, W3C trace
 * context, OTLP trace export when OTEL_EXPORTER_OTLP_ENDPOINT is set, and a Prometheus
 * `/metrics` endpoint. Once per process: a second call answers the running instance and
 * ignores its options (the one-process launcher and `--import` registration may both call it).
 */
export function startTelemetry(options: TelemetryOptions = {}): Promise<Telemetry> {
  const running = holder[ACTIVE];
  if (running !== undefined) return running;
  const starting = start(options);
  holder[ACTIVE] = starting;
  starting.catch(() => {
    if (holder[ACTIVE] === starting) delete holder[ACTIVE];
  });
  return starting;
}

/** The running instance, if telemetry was started in this process. */
export function activeTelemetry(): Promise<Telemetry> | undefined {
  return holder[ACTIVE];
}

/**
 * Flushes spans and stops telemetry; a no-op when it is not running. Apps await it at the
 * end of their own shutdown (after draining gRPC calls and consumers), then exit.
 */
export async function shutdownTelemetry(options?: { timeoutMs?: number }): Promise<void> {
  const running = holder[ACTIVE];
  if (running === undefined) return;
  const telemetry = await running.catch(() => undefined);
  await telemetry?.shutdown(options);
}

/** Exports every ended span now, without stopping anything. */
export async function flushTelemetry(): Promise<void> {
  const running = holder[ACTIVE];
  if (running === undefined) return;
  const telemetry = await running.catch(() => undefined);
  await telemetry?.flush();
}
