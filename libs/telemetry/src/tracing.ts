import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';
import { core } from '@opentelemetry/sdk-node';

/** Name of the tracer (instrumentation scope) of every span made by these helpers. */
export const TRACER_NAME = 'workshare';

// traceparent is W3C by definition, whatever propagator the process registered; using the
// propagator directly also works before (or without) the SDK being started.
const w3c = new core.W3CTraceContextPropagator();

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

const definedOnly = (attributes: Attributes): Attributes => {
  const result: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) result[key] = value;
  return result;
};

/** Marks a span as failed: error status with the message, the exception event, and `error.type` (a DomainError's code). */
export function recordError(span: Span, error: unknown): void {
  if (error instanceof Error) {
    span.recordException(error);
    const code = (error as { code?: unknown }).code;
    span.setAttribute('error.type', typeof code === 'string' ? code : error.name);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else {
    span.recordException(String(error));
    span.setAttribute('error.type', typeof error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
  }
}

/**
 * Runs `fn` inside a new active span (a child of the current one) and ends it when `fn`
 * returns or its promise settles. A throw or rejection marks the span as an error and is
 * passed on unchanged.
 */
export function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => T, options: SpanOptions = {}): T {
  const tracer = trace.getTracer(TRACER_NAME);
  const spanOptions: SpanOptions = { ...options, attributes: definedOnly({ ...options.attributes, ...attributes }) };
  return tracer.startActiveSpan(name, spanOptions, (span) => {
    let result: T;
    try {
      result = fn(span);
    } catch (error) {
      recordError(span, error);
      span.end();
      throw error;
    }
    if (!isPromiseLike(result)) {
      span.end();
      return result;
    }
    return Promise.resolve(result).then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        recordError(span, error);
        span.end();
        throw error;
      },
    ) as T;
  });
}

/**
 * The W3C `traceparent` of the active span (or of `ctx`), for event metadata, NATS headers
 * and gRPC metadata; undefined when there is no valid span (telemetry off, no span open).
 */
export function injectTraceparent(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return carrier.traceparent;
}

/**
 * `base` (default: the active context) with the remote span of `traceparent` as parent. An
 * absent or malformed traceparent leaves `base` unchanged.
 */
export function extractContext(traceparent: string | undefined, base: Context = context.active()): Context {
  if (traceparent === undefined || traceparent === '') return base;
  return w3c.extract(base, { traceparent }, defaultTextMapGetter);
}

/**
 * Runs `fn` in the context a `traceparent` carries, so that spans it opens continue that
 * trace (a consumer handling an event, a bus message, a relayed append). Without a usable
 * traceparent, `fn` runs in the current context.
 */
export function withExtractedContext<T>(traceparent: string | undefined, fn: () => T): T {
  return context.with(extractContext(traceparent), fn);
}

/** Trace and span ids of the active span, when there is a valid one. */
export function currentTraceIds(
  ctx: Context = context.active(),
): { traceId: string; spanId: string; traceFlags: number } | undefined {
  const spanContext = trace.getSpanContext(ctx);
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId, traceFlags: spanContext.traceFlags };
}
