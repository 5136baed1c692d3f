import {
  status,
  type Metadata,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { context as otelContext, isSpanContextValid, trace, type Context } from '@opentelemetry/api';
import { bearerToken, unauthenticated, type Caller, type TokenVerifier } from './caller.js';
import type { CallSettings } from './client.js';
import { toServerError } from './errors.js';
import { checkRequest, ID_MAX_LENGTH, type FieldLimit, type RequestLimits } from './request-checks.js';
import { errorFields, type Logger } from './logger.js';
import { endServerSpan, splitMethodPath, startServerSpan, TRACEPARENT_KEY } from './telemetry.js';

/** The method names of a service definition that are unary (neither side streams). */
export type UnaryMethodName<D> = {
  [K in keyof D]: D[K] extends { requestStream: false; responseStream: false } ? K : never;
}[keyof D] &
  string;
export type RequestOf<M> = M extends { requestSerialize: (value: infer Request) => Buffer } ? Request : never;
export type ResponseOf<M> = M extends { responseDeserialize: (bytes: Buffer) => infer Response } ? Response : never;

/** What a handler knows about the call it answers. */
export interface CallContext {
  /** The full method path, e.g. `/workshare.identity.v1.IdentityService/GetMember`. */
  readonly method: string;
  /** The verified caller; undefined only on a public method called without a token. */
  readonly caller: Caller | undefined;
  /** The bearer token the caller presented (to pass on to the services this call calls). */
  readonly token: string | undefined;
  /** When the caller stops waiting; undefined when it set no deadline. */
  readonly deadline: Date | undefined;
  /** Aborted when the caller cancels or the deadline passes. */
  readonly signal: AbortSignal;
  /** The incoming W3C `traceparent`, as received. */
  readonly traceparent: string | undefined;
  /** The OpenTelemetry context holding this call's server span. */
  readonly otelContext: Context;
  readonly metadata: Metadata;
  /** Where the call comes from, as grpc-js says (`ipv4:127.0.0.1:51234`, `ipv6:[::1]:51234`, `unix:...`). */
  readonly peer: string;
  /** The host's logger with the method (and trace id) bound. */
  readonly logger: Logger;
  /**
   * Settings for the calls this handler makes to other services: the caller's token, this
   * call's deadline and its trace context (`client.getMember(request, ctx.downstream)`).
   */
  readonly downstream: CallSettings;
}

/** The context of a method that is not public: the caller is always known. */
export interface AuthenticatedCallContext extends CallContext {
  readonly caller: Caller;
  readonly token: string;
}

/** A handler as an async function; a thrown DomainError becomes the status of its kind (DESIGN §2). */
export type UnaryHandler<Request, Response, Ctx extends CallContext = AuthenticatedCallContext> = (
  request: Request,
  ctx: Ctx,
) => Promise<Response>;

/** Handlers for every unary method of a definition; those named in `Public` may be called without a token. */
export type AsyncService<D, Public extends string = never> = {
  [K in UnaryMethodName<D>]: UnaryHandler<
    RequestOf<D[K]>,
    ResponseOf<D[K]>,
    K extends Public ? CallContext : AuthenticatedCallContext
  >;
};

/** A service as startGrpcServer hosts it; build one with `defineService` to have it type-checked. */
export interface ServiceRegistration {
  readonly definition: ServiceDefinition;
  readonly implementation: { readonly [method: string]: UnaryHandler<never, unknown> };
  /** Methods callable without a token (Login, say). Every other method needs a verified caller. */
  readonly publicMethods?: readonly string[];
  /** The length limits of the requests' string fields (checkRequest runs before every handler). */
  readonly limits?: RequestLimits;
}

/**
 * A service to host, type-checked against its generated definition:
 *
 *   defineService(identityV1.IdentityServiceService, { login: async (req, ctx) => ..., ... },
 *     { publicMethods: ['login', 'listRegions'] })
 */
export const defineService = <D extends ServiceDefinition, const Public extends UnaryMethodName<D> = never>(
  definition: D,
  implementation: AsyncService<D, Public>,
  options: {
    publicMethods?: readonly Public[];
    /** Length limits of string fields, per method and field path; every other string is an id (ID_MAX_LENGTH). */
    limits?: {
      defaultMaxLength?: number;
      fields?: { [K in UnaryMethodName<D>]?: { readonly [path: string]: FieldLimit } };
    };
  } = {},
): ServiceRegistration => ({
  definition,
  implementation,
  publicMethods: options.publicMethods ?? [],
  ...(options.limits ? { limits: options.limits as RequestLimits } : {}),
});

/** The fully qualified name of the service a definition describes, from its methods' paths. */
export const serviceNameOf = (definition: ServiceDefinition): string => {
  const names = new Set(Object.values(definition).map((method) => splitMethodPath(method.path).service));
  const [name, ...others] = [...names];
  if (name === undefined || others.length > 0)
    throw new Error(`a service definition must describe one service, not ${names.size}`);
  return name;
};

export interface HostOptions {
  verifier: TokenVerifier | undefined;
  logger: Logger;
}

const deadlineOf = (call: ServerUnaryCall<unknown, unknown>): Date | undefined => {
  const deadline = call.getDeadline();
  if (deadline instanceof Date) return deadline;
  return Number.isFinite(deadline) ? new Date(deadline) : undefined;
};

/**
 * The grpc-js implementation of a registration: each call gets a server span, its bearer token
 * verified (or refused), its handler run in the span's context, and its outcome mapped to a
 * status (DESIGN §2). Only unary methods are supported; a method without a handler answers
 * UNIMPLEMENTED.
 */
export const hostImplementation = (
  registration: ServiceRegistration,
  host: HostOptions,
): UntypedServiceImplementation => {
  const publicMethods = new Set(registration.publicMethods ?? []);
  const implementation: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(registration.definition)) {
    if (method.requestStream || method.responseStream)
      throw new Error(`${method.path}: streaming methods are not supported by @workshare/grpc`);
    const handler = registration.implementation[name];
    if (handler === undefined) {
      // grpc-js answers UNIMPLEMENTED for it (defineService does not let this happen).
      host.logger.warn({ rpc: method.path }, 'no handler: the method answers UNIMPLEMENTED');
      continue;
    }
    const isPublic = publicMethods.has(name);
    const path = method.path;
    const fieldLimits = registration.limits?.fields?.[name];
    const defaultMax = registration.limits?.defaultMaxLength ?? ID_MAX_LENGTH;
    const methodLogger = host.logger.child({ rpc: path });

    const serve = async (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>): Promise<void> => {
      const { span, context } = startServerSpan(path, call.metadata);
      try {
        const token = bearerToken(call.metadata);
        let caller: Caller | undefined;
        if (token === undefined) {
          if (!isPublic) throw unauthenticated('auth.token_missing', `${path} needs a bearer token`);
        } else if (host.verifier !== undefined) {
          const verifier = host.verifier;
          caller = await otelContext.with(context, () => verifier.verify(token));
        } else if (!isPublic) {
          throw unauthenticated('auth.no_verifier', `${path} cannot verify tokens: the server has no token verifier`);
        }
        // Before the handler sees it: lengths first (a refusal of a 1 MB field comes back at once), text, timestamps.
        checkRequest(call.request, fieldLimits, defaultMax);
        const response = await otelContext.with(context, () =>
          handler(call.request as never, callContext(call, path, caller, token, context, methodLogger)),
        );
        if (response === undefined || response === null) throw new Error(`${path}: the handler answered nothing`);
        callback(null, response);
        endServerSpan(span, call.cancelled ? cancelledStatus(call) : status.OK);
      } catch (error) {
        const mapped = toServerError(error);
        if (mapped.unexpected) {
          const traceId = traceIdOf(context, call.metadata.get(TRACEPARENT_KEY)[0]);
          const requestId = requestIdOf(call.metadata);
          methodLogger.error(
            { ...errorFields(error), ...(traceId ? { traceId } : {}), ...(requestId ? { requestId } : {}) },
            'handler failed',
          );
          if (error instanceof Error) span.recordException(error);
        }
        callback(mapped.response);
        endServerSpan(
          span,
          call.cancelled ? cancelledStatus(call) : (mapped.response.code ?? status.UNKNOWN),
          mapped.errorCode,
        );
      }
    };
    implementation[name] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) =>
      void serve(call, callback);
  }
  return implementation;
};

/** This call's trace id: its span's, or (without a tracing SDK) the incoming traceparent's. */
const traceIdOf = (context: Context, traceparent: unknown): string | undefined => {
  const spanContext = trace.getSpanContext(context);
  if (spanContext !== undefined && isSpanContextValid(spanContext)) return spanContext.traceId;
  return typeof traceparent === 'string' ? /^[0-9a-f]{2}-([0-9a-f]{32})-/.exec(traceparent)?.[1] : undefined;
};

/**
 * The address of the client a call is made for, sent by the gateway (the edge, which knows the
 * client's address): for limits counted per address (sign-in attempts). Only the gateway and the
 * services reach the gRPC ports (loopback by default, a NetworkPolicy in a cluster).
 */
export const CLIENT_ADDRESS_KEY = 'x-client-address';

/** The host of a grpc-js peer (`ipv4:10.0.0.7:51234` → `10.0.0.7`, `ipv6:[::1]:5` → `::1`). */
export const peerHost = (peer: string): string => {
  const address = peer.replace(/^(ipv4|ipv6|unix|unix-abstract):/, '');
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (v6) return v6[1]!;
  const v4 = /^([^:]+):\d+$/.exec(address);
  return v4 ? v4[1]! : address;
};

/**
 * Whom a call is made for, for limits per address: the peer's host, and the client's address
 * the peer sent (`x-client-address`, printable, at most 64 characters) after it when it sent one
 * (`10.0.0.7 for 203.0.113.9`), so that one peer's clients are counted apart and no peer can
 * count against another's.
 */
export const clientAddressOf = (ctx: Pick<CallContext, 'peer' | 'metadata'>): string => {
  const host = peerHost(ctx.peer);
  const sent = ctx.metadata.get(CLIENT_ADDRESS_KEY)[0];
  return typeof sent === 'string' && /^[\x21-\x7e]{1,64}$/.test(sent) ? `${host} for ${sent}` : host;
};

/** The caller's request id (`x-request-id`, which the gateway sends), for log lines; a short printable value only. */
export const REQUEST_ID_KEY = 'x-request-id';
const requestIdOf = (metadata: Metadata): string | undefined => {
  const value = metadata.get(REQUEST_ID_KEY)[0];
  return typeof value === 'string' && /^[\x21-\x7e]{1,128}$/.test(value) ? value : undefined;
};

const cancelledStatus = (call: ServerUnaryCall<unknown, unknown>): status => {
  const deadline = deadlineOf(call);
  return deadline !== undefined && deadline.getTime() <= Date.now() ? status.DEADLINE_EXCEEDED : status.CANCELLED;
};

/** The handler's context; the logger and the abort signal are made only when asked for (they cost on every call). */
const callContext = (
  call: ServerUnaryCall<unknown, unknown>,
  method: string,
  caller: Caller | undefined,
  token: string | undefined,
  context: Context,
  methodLogger: Logger,
): AuthenticatedCallContext => {
  const deadline = deadlineOf(call);
  const incoming = call.metadata.get(TRACEPARENT_KEY)[0];
  const traceparent = typeof incoming === 'string' ? incoming : undefined;
  let signal: AbortSignal | undefined;
  let logger: Logger | undefined;
  return {
    method,
    // A non-public method never runs without a verified caller (see serve).
    caller: caller as Caller,
    token: token as string,
    deadline,
    traceparent,
    otelContext: context,
    metadata: call.metadata,
    get peer() {
      return call.getPeer();
    },
    get signal() {
      if (signal === undefined) {
        const controller = new AbortController();
        signal = controller.signal;
        if (call.cancelled) controller.abort(new Error(`${method} was cancelled`));
        else call.once('cancelled', () => controller.abort(new Error(`${method} was cancelled`)));
      }
      return signal;
    },
    get logger() {
      if (logger === undefined) {
        const traceId = traceIdOf(context, traceparent);
        const requestId = requestIdOf(call.metadata);
        const bindings = {
          ...(traceId !== undefined ? { traceId } : {}),
          ...(requestId !== undefined ? { requestId } : {}),
        };
        logger = Object.keys(bindings).length === 0 ? methodLogger : methodLogger.child(bindings);
      }
      return logger;
    },
    downstream: { token, deadline, context, traceparent },
  };
};
