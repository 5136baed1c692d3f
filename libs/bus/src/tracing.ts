import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** The W3C trace context as a remote parent, or the root context when the header is absent or malformed. */
export const contextFromTraceparent = (traceparent: string | undefined): Context => {
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim()) : null;
  if (!match || match[1] === 'ff' || /^0+$/.test(match[2]!) || /^0+$/.test(match[3]!)) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: match[2]!,
    spanId: match[3]!,
    traceFlags: parseInt(match[4]!, 16) & 1,
    isRemote: true,
  });
};

const tracer = () => trace.getTracer('@workshare/bus');

/**
 * Runs a handler inside a CONSUMER span whose parent is the event's trace context, so work the
 * handler does (a command, an append) joins the trace that recorded the event. Without an
 * OpenTelemetry SDK registered this is a no-op wrapper.
 */
export const inConsumerSpan = async <T>(
  name: string,
  traceparent: string | undefined,
  attributes: Record<string, string | number>,
  work: () => Promise<T>,
): Promise<T> =>
  tracer().startActiveSpan(
    name,
    { kind: SpanKind.CONSUMER, attributes },
    contextFromTraceparent(traceparent),
    async (span) => {
      try {
        const result = await work();
        span.setStatus({ code: SpanStatusCode.OK });
        return result;
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
