import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTelemetry, type Telemetry, type TelemetryOptions } from './sdk.js';

export interface TestTelemetry {
  readonly telemetry: Telemetry;
  readonly exporter: InMemorySpanExporter;
  /** Every span ended so far, in the order they ended. */
  spans(): ReadableSpan[];
  /** The ended spans of one trace (a trace id, or a traceparent string). */
  trace(traceIdOrTraceparent: string): ReadableSpan[];
  /** Forgets the spans ended so far. */
  reset(): void;
  shutdown(): Promise<void>;
}

/**
 * Telemetry for in-process tests: the real SDK with every span kept in memory as soon as it
 * ends (SimpleSpanProcessor + InMemorySpanExporter), no /metrics, no auto-instrumentation
 * (jest's module loader is not hooked). Options override these defaults.
 */
export async function startTestTelemetry(options: TelemetryOptions = {}): Promise<TestTelemetry> {
  const exporter = new InMemorySpanExporter();
  const telemetry = await startTelemetry({
    serviceName: 'test',
    metricsPort: false,
    instrumentations: false,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    ...options,
  });
  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  return {
    telemetry,
    exporter,
    spans,
    trace: (id) => {
      const traceId = id.includes('-') ? (id.split('-')[1] ?? '') : id;
      return spans().filter((span) => span.spanContext().traceId === traceId);
    },
    reset: () => exporter.reset(),
    shutdown: () => telemetry.shutdown(),
  };
}
