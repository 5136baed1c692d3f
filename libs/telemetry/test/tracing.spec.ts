import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  currentTraceIds,
  injectTraceparent,
  startTelemetry,
  withExtractedContext,
  withSpan,
  type Telemetry,
} from '../src/index.js';

const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;

beforeAll(async () => {
  telemetry = await startTelemetry({
    serviceName: 'tracing-test',
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    metricsPort: false,
    instrumentations: false,
  });
});
afterAll(() => telemetry.shutdown());
beforeEach(() => exporter.reset());

const finished = (name: string): ReadableSpan => {
  const spans = exporter.getFinishedSpans().filter((s) => s.name === name);
  expect(spans).toHaveLength(1);
  return spans[0] as ReadableSpan;
};

class DomainErrorLike extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

describe('withSpan', () => {
  it('records a span with its attributes, kind and service, and returns what fn returns', () => {
    const result = withSpan(
      'identity.RegisterMember',
      { 'member.id': 'm-1', 'command.attempt': 2, skipped: undefined },
      () => 42,
      { kind: SpanKind.SERVER },
    );
    expect(result).toBe(42);
    const span = finished('identity.RegisterMember');
    expect(span.attributes).toEqual({ 'member.id': 'm-1', 'command.attempt': 2 });
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.ended).toBe(true);
    expect(span.resource.attributes['service.name']).toBe('tracing-test');
    expect(span.instrumentationScope.name).toBe('workshare');
  });

  it('ends an async span when its promise settles, and makes it the parent of spans opened inside', async () => {
    let innerSeenBeforeEnd = false;
    const value = await withSpan('outer', {}, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await withSpan('inner', {}, async () => undefined);
      innerSeenBeforeEnd = exporter.getFinishedSpans().some((s) => s.name === 'outer');
      return 'done';
    });
    expect(value).toBe('done');
    expect(innerSeenBeforeEnd).toBe(false);
    const outer = finished('outer');
    const inner = finished('inner');
    expect(inner.spanContext().traceId).toBe(outer.spanContext().traceId);
    expect(inner.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
  });

  it('marks the span as an error when fn throws, and rethrows the same error', () => {
    const error = new DomainErrorLike('task.not_held', 'hanako does not hold task t1');
    expect(() =>
      withSpan('team-scheduling.HandOffTask', { 'task.id': 't1' }, () => {
        throw error;
      }),
    ).toThrow(error);
    const span = finished('team-scheduling.HandOffTask');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'hanako does not hold task t1' });
    expect(span.attributes['error.type']).toBe('task.not_held');
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    expect(span.events[0]?.attributes?.['exception.message']).toBe('hanako does not hold task t1');
  });

  it('marks the span as an error when the promise rejects', async () => {
    await expect(withSpan('append', {}, async () => Promise.reject(new TypeError('boom')))).rejects.toThrow('boom');
    const span = finished('append');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('TypeError');
  });
});

describe('traceparent across a process boundary', () => {
  it('continues the trace: span A → traceparent in event metadata → span B is a child of A', async () => {
    // Step 1 ("the command side"): span A stamps the event it appends.
    const stored = await withSpan('A: append TaskHandedOff', {}, async () => {
      const metadata = { actor: 'member-hanako', correlationId: 'c-1', traceparent: injectTraceparent() };
      return JSON.stringify({ type: 'TaskHandedOff', data: { taskId: 't1' }, metadata });
    });

    // Step 2 ("the consumer"), with nothing shared but the stored bytes, from a root context.
    const event = JSON.parse(stored) as { metadata: { traceparent?: string } };
    expect(event.metadata.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await context.with(ROOT_CONTEXT, () =>
      withExtractedContext(event.metadata.traceparent, () =>
        withSpan('B: handle TaskHandedOff', {}, async () => undefined, { kind: SpanKind.CONSUMER }),
      ),
    );

    const a = finished('A: append TaskHandedOff');
    const b = finished('B: handle TaskHandedOff');
    expect(b.spanContext().traceId).toBe(a.spanContext().traceId);
    expect(b.parentSpanContext?.spanId).toBe(a.spanContext().spanId);
    expect(b.parentSpanContext?.isRemote).toBe(true);
    expect(event.metadata.traceparent).toBe(`00-${a.spanContext().traceId}-${a.spanContext().spanId}-01`);
  });

  it('without the extraction, the consumer span starts a trace of its own (the control)', async () => {
    const traceparent = withSpan('A2', {}, () => injectTraceparent());
    await context.with(ROOT_CONTEXT, () => withSpan('B2', {}, async () => undefined));
    expect(traceparent).toBeDefined();
    expect(finished('B2').spanContext().traceId).not.toBe(finished('A2').spanContext().traceId);
    expect(finished('B2').parentSpanContext).toBeUndefined();
  });

  it('runs fn in the current context when the traceparent is missing or malformed', () => {
    withSpan('current', {}, () => {
      const here = currentTraceIds();
      expect(withExtractedContext(undefined, () => currentTraceIds())).toEqual(here);
      expect(withExtractedContext('00-not-a-traceparent', () => currentTraceIds())).toEqual(here);
      expect(
        withExtractedContext('00-00000000000000000000000000000000-0000000000000000-01', () => currentTraceIds()),
      ).toEqual(here);
    });
  });

  it('gives no traceparent outside any span', () => {
    expect(context.with(ROOT_CONTEXT, () => injectTraceparent())).toBeUndefined();
    expect(context.with(ROOT_CONTEXT, () => currentTraceIds())).toBeUndefined();
  });

  it('serves one running instance per process: a second start answers the first', async () => {
    const again = await startTelemetry({ serviceName: 'other', spanProcessors: [] });
    expect(again).toBe(telemetry);
    expect(trace.getTracerProvider()).toBeDefined();
  });
});
