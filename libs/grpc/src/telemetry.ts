import { InterceptingCall, Metadata, status, type Interceptor } from '@grpc/grpc-js';
import {
  context as otelContext,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { statusName } from './errors.js';

/**
 * Spans through @opentelemetry/api only: the process's SDK (libs/telemetry, started with
 * --import) decides where they go and which propagator reads and writes `traceparent`.
 * Without an SDK these are no-ops.
 */
export const TRACER_NAME = 'workshare-grpc';
export const TRACEPARENT_KEY = 'traceparent';

const tracer = () => trace.getTracer(TRACER_NAME);

export const metadataGetter: TextMapGetter<Metadata> = {
  keys: (metadata) => Object.keys(metadata.getMap()),
  get: (metadata, key) => {
    const values = metadata.get(key).filter((v): v is string => typeof v === 'string');
    return values.length <= 1 ? values[0] : values;
  },
};

export const metadataSetter: TextMapSetter<Metadata> = {
  set: (metadata, key, value) => metadata.set(key, value),
};

/** `/workshare.identity.v1.IdentityService/GetMember` → service and method. */
export const splitMethodPath = (path: string): { service: string; method: string } => {
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  return match ? { service: match[1] as string, method: match[2] as string } : { service: 'unknown', method: path };
};

const rpcAttributes = (path: string) => {
  const { service, method } = splitMethodPath(path);
  return {
    name: `${service}/${method}`,
    attributes: { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method },
  };
};

// OpenTelemetry semantic conventions: the codes that are the server's failure, not the caller's.
const SERVER_ERROR_CODES: ReadonlySet<status> = new Set([
  status.UNKNOWN,
  status.DEADLINE_EXCEEDED,
  status.UNIMPLEMENTED,
  status.INTERNAL,
  status.UNAVAILABLE,
  status.DATA_LOSS,
]);

/** A SERVER span for an incoming call, child of the `traceparent` in its metadata, and the context holding it. */
export const startServerSpan = (path: string, metadata: Metadata): { span: Span; context: Context } => {
  const parent = propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
  const { name, attributes } = rpcAttributes(path);
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
};

export const endServerSpan = (span: Span, code: status, errorCode?: string): void => {
  span.setAttribute('rpc.grpc.status_code', code);
  if (errorCode !== undefined) span.setAttribute('workshare.error.code', errorCode);
  if (SERVER_ERROR_CODES.has(code)) span.setStatus({ code: SpanStatusCode.ERROR, message: statusName(code) });
  span.end();
};

export interface ClientTelemetryOptions {
  /** The context whose span is the parent (default: the active context). */
  context?: Context;
  /**
   * A `traceparent` to pass on as is when the propagator wrote none (no OpenTelemetry SDK in
   * the process): the trace id still travels from caller to callee.
   */
  traceparent?: string;
}

/**
 * A client interceptor: a CLIENT span per call, whose context is injected into the outgoing
 * metadata (`traceparent`), ended with the call's status.
 */
export const telemetryClientInterceptor =
  (options: ClientTelemetryOptions = {}): Interceptor =>
  (callOptions, nextCall) => {
    const parent = options.context ?? otelContext.active();
    const { name, attributes } = rpcAttributes(callOptions.method_definition.path);
    const span = tracer().startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
    return new InterceptingCall(nextCall(callOptions), {
      start: (metadata, _listener, next) => {
        propagation.inject(trace.setSpan(parent, span), metadata, metadataSetter);
        if (options.traceparent !== undefined && metadata.get(TRACEPARENT_KEY).length === 0)
          metadata.set(TRACEPARENT_KEY, options.traceparent);
        next(metadata, {
          onReceiveStatus: (received, nextStatus) => {
            span.setAttribute('rpc.grpc.status_code', received.code);
            if (received.code !== status.OK)
              span.setStatus({ code: SpanStatusCode.ERROR, message: statusName(received.code) });
            span.end();
            nextStatus(received);
          },
        });
      },
    });
  };
