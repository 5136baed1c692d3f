import {
  credentials as grpcCredentials,
  Metadata,
  type CallOptions,
  type ChannelCredentials,
  type Client,
  type ClientOptions as GrpcClientOptions,
  type MethodDefinition,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import { retryDelayMs } from '@workshare/eventsourcing';
import type { Context } from '@opentelemetry/api';
import { channelTargetOf } from './address.js';
import { AUTHORIZATION_KEY } from './caller.js';
import { fromServiceError, UnavailableError, type RpcError } from './errors.js';
import type { RequestOf, ResponseOf, UnaryMethodName } from './service.js';
import { telemetryClientInterceptor } from './telemetry.js';

/** Per-call settings; a handler passes `ctx.downstream` to forward its caller's token, deadline and trace. */
export interface CallSettings {
  /** Bearer token for this call (instead of the client's). */
  token?: string | undefined;
  /** An absolute deadline: the call gets the earlier of this and `deadlineMs` from now. */
  deadline?: Date | undefined;
  /** This call's time budget in ms (instead of the client's `deadlineMs`). */
  deadlineMs?: number | undefined;
  /** The OpenTelemetry context of the caller's span (default: the active context). */
  context?: Context | undefined;
  /** A `traceparent` to pass on when no OpenTelemetry propagator wrote one. */
  traceparent?: string | undefined;
  /** More metadata to send. */
  metadata?: Metadata | undefined;
  /** Cancels the call (and any retry still to come). */
  signal?: AbortSignal | undefined;
}

export interface BackoffOptions {
  /** The first retry waits about this long (default 100 ms). */
  initialMs?: number;
  /** No retry waits longer (default 2,000 ms). */
  maxMs?: number;
  /** Each retry waits this many times longer than the one before (default 2). */
  multiplier?: number;
}

export interface RetryEvent {
  /** The full method path. */
  method: string;
  /** Which retry this is (1 for the first). */
  retry: number;
  /** How long the client waits before it. */
  delayMs: number;
  /** What the failed attempt answered. */
  error: RpcError;
}

export interface CreateClientOptions {
  /** Every call's deadline, from the moment it is made, retries included (default 5,000 ms). */
  deadlineMs?: number;
  /** How many times a call answered UNAVAILABLE is tried again (default 4); no other status is retried. */
  retries?: number;
  backoff?: BackoffOptions;
  /** The bearer token sent with every call, or a function giving it (a refreshed token, say). */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  /** Default: insecure (loopback, or inside the cluster's network). */
  credentials?: ChannelCredentials;
  channelOptions?: Partial<GrpcClientOptions>;
  /** Told of each retry, before the wait (for logs and tests). */
  onRetry?: (event: RetryEvent) => void;
}

/** A generated grpc-js client constructor, e.g. ts-proto's `IdentityServiceClient`. */
export interface ClientConstructor<D> {
  new (address: string, credentials: ChannelCredentials, options?: Partial<GrpcClientOptions>): Client;
  readonly service: D;
}

/**
 * A client whose unary methods return promises. A failed call rejects with the DomainError the
 * server threw (same code, kind and details) or an RpcError (DeadlineExceededError,
 * UnavailableError...).
 */
export type ServiceClient<D> = {
  readonly [K in UnaryMethodName<D>]: (request: RequestOf<D[K]>, settings?: CallSettings) => Promise<ResponseOf<D[K]>>;
} & {
  /** The underlying grpc-js client (channel state, waitForReady). */
  readonly grpcClient: Client;
  close(): void;
};

export const DEFAULT_DEADLINE_MS = 5_000;
export const DEFAULT_RETRIES = 4;

// grpc-js waits 1 s before reconnecting a failed channel by default; our own backoff decides the pace.
const CHANNEL_DEFAULTS: Partial<GrpcClientOptions> = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 2_000,
};

const abortReason = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new Error('the call was aborted');

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * A promise client for a generated service. Every call gets a deadline (`deadlineMs`, 5 s by
 * default), the bearer token, and the trace context; UNAVAILABLE is retried with exponential
 * backoff and jitter (`retries`, 4 by default) within that deadline. Commands stay safe to
 * retry because they carry the caller's request id. `address` is one `host:port`, or the
 * replicas of the service as a comma-separated list of IP `host:port` (`channelTargetOf`): calls
 * go round-robin to the replicas whose connection is up, and a retry goes to the next one.
 */
export const createClient = <D extends ServiceDefinition>(
  ctor: ClientConstructor<D>,
  address: string,
  options: CreateClientOptions = {},
): ServiceClient<D> => {
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const initialMs = options.backoff?.initialMs ?? 100;
  const maxMs = options.backoff?.maxMs ?? 2_000;
  const multiplier = options.backoff?.multiplier ?? 2;
  if (!(deadlineMs > 0)) throw new RangeError(`deadlineMs ${deadlineMs} is not positive`);
  if (!Number.isSafeInteger(retries) || retries < 0)
    throw new RangeError(`retries ${retries} is not a whole number >= 0`);

  const { target, channelOptions } = channelTargetOf(address);
  const client = new ctor(target, options.credentials ?? grpcCredentials.createInsecure(), {
    ...CHANNEL_DEFAULTS,
    ...channelOptions,
    ...options.channelOptions,
  });

  // "Equal jitter": half the exponential delay for sure, half at random, so that clients
  // failing together do not come back together (the one retry delay of @workshare/eventsourcing).
  const backoffDelay = (retry: number): number =>
    retryDelayMs(
      { attempts: retries + 1, baseDelayMs: initialMs, maxDelayMs: maxMs, factor: multiplier, jitter: 'equal' },
      retry + 1,
    );

  const tokenFor = async (settings: CallSettings): Promise<string | undefined> => {
    if (settings.token !== undefined) return settings.token;
    return typeof options.token === 'function' ? options.token() : options.token;
  };

  const attempt = (
    method: MethodDefinition<unknown, unknown>,
    request: unknown,
    metadata: Metadata,
    deadline: number,
    settings: CallSettings,
  ): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const { signal } = settings;
      if (signal?.aborted) return reject(abortReason(signal));
      const callOptions: CallOptions = {
        deadline: new Date(deadline),
        interceptors: [telemetryClientInterceptor({ context: settings.context, traceparent: settings.traceparent })],
      };
      const onAbort = (): void => call.cancel();
      const call = client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        metadata,
        callOptions,
        (error, response) => {
          signal?.removeEventListener('abort', onAbort);
          if (error) reject(fromServiceError(error, method.path));
          else resolve(response);
        },
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  const invoke = async (
    method: MethodDefinition<unknown, unknown>,
    request: unknown,
    settings: CallSettings = {},
  ): Promise<unknown> => {
    const budget = settings.deadlineMs ?? deadlineMs;
    const deadline = Math.min(settings.deadline?.getTime() ?? Number.POSITIVE_INFINITY, Date.now() + budget);
    const token = await tokenFor(settings);
    for (let retry = 0; ; retry++) {
      const metadata = settings.metadata?.clone() ?? new Metadata();
      if (token) metadata.set(AUTHORIZATION_KEY, `Bearer ${token}`);
      try {
        return await attempt(method, request, metadata, deadline, settings);
      } catch (error) {
        if (!(error instanceof UnavailableError) || retry >= retries || settings.signal?.aborted) throw error;
        const delayMs = backoffDelay(retry);
        if (Date.now() + delayMs >= deadline) throw error;
        options.onRetry?.({ method: method.path, retry: retry + 1, delayMs, error });
        await sleep(delayMs, settings.signal);
      }
    }
  };

  const methods: Record<string, (request: unknown, settings?: CallSettings) => Promise<unknown>> = {};
  for (const [name, method] of Object.entries(ctor.service)) {
    if (method.requestStream || method.responseStream) continue;
    methods[name] = (request, settings) => invoke(method, request, settings);
  }
  const promiseClient = Object.assign(methods, { grpcClient: client, close: () => client.close() });
  // The methods were made from the definition's own unary methods, one per name.
  return promiseClient as unknown as ServiceClient<D>;
};
