import { createServer } from 'node:net';
import { trace } from '@opentelemetry/api';
import { core } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { activeTelemetry, flushTelemetry, shutdownTelemetry, startTelemetry, withSpan } from '../src/index.js';

const quiet = { metricsHost: '127.0.0.1', instrumentations: false } as const;

afterEach(() => shutdownTelemetry());

/** Keeps what it was given after shutdown too (InMemorySpanExporter forgets on shutdown). */
class CollectingExporter implements SpanExporter {
  readonly names: string[] = [];
  export(spans: ReadableSpan[], done: (result: { code: core.ExportResultCode }) => void): void {
    this.names.push(...spans.map((s) => s.name));
    done({ code: core.ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
}

describe('telemetry lifecycle', () => {
  it('is a no-op to stop or flush when nothing runs', async () => {
    expect(activeTelemetry()).toBeUndefined();
    await expect(shutdownTelemetry()).resolves.toBeUndefined();
    await expect(flushTelemetry()).resolves.toBeUndefined();
  });

  it('batches spans to a given exporter and exports them on flush, then on shutdown', async () => {
    const exporter = new CollectingExporter();
    await startTelemetry({ ...quiet, metricsPort: false, traceExporter: exporter });
    withSpan('first', {}, () => undefined);
    expect(exporter.names).toEqual([]); // still in the batch
    await flushTelemetry();
    expect(exporter.names).toEqual(['first']);
    withSpan('second', {}, () => undefined);
    await shutdownTelemetry();
    expect(exporter.names).toEqual(['first', 'second']);
    expect(activeTelemetry()).toBeUndefined();
  });

  it('closes /metrics and unregisters on shutdown, and can start again afresh', async () => {
    const first = new InMemorySpanExporter();
    const telemetry = await startTelemetry({ ...quiet, metricsPort: 0, traceExporter: first });
    const url = telemetry.metrics?.url as string;
    expect((await fetch(url)).status).toBe(200);
    await telemetry.shutdown();
    await expect(fetch(url)).rejects.toThrow();
    expect(withSpan('after shutdown', {}, (span) => span.isRecording())).toBe(false);

    const second = new InMemorySpanExporter();
    await startTelemetry({ ...quiet, metricsPort: false, traceExporter: second });
    withSpan('after restart', {}, () => undefined);
    await flushTelemetry();
    expect(second.getFinishedSpans().map((s) => s.name)).toEqual(['after restart']);
    expect(first.getFinishedSpans().map((s) => s.name)).not.toContain('after restart');
  });

  it('refuses to start when the metrics port is taken, and leaves nothing registered', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as { port: number }).port;
    try {
      await expect(startTelemetry({ ...quiet, metricsPort: port, spanProcessors: [] })).rejects.toThrow(
        `telemetry: /metrics cannot listen on 127.0.0.1:${port}`,
      );
      expect(activeTelemetry()).toBeUndefined();
      expect(withSpan('not traced', {}, (span) => span.isRecording())).toBe(false);
      expect(trace.getActiveSpan()).toBeUndefined();
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
