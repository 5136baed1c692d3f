import { Server, ServerCredentials, type ServerOptions } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import type { OperatedReadModel } from '@workshare/eventsourcing';
import type { TokenVerifier } from './caller.js';
import { readModelsGrpcService } from './read-models.js';
import { jsonLogger, type Logger } from './logger.js';
import { hostImplementation, serviceNameOf, type ServiceRegistration } from './service.js';

export interface GrpcServerOptions {
  /** The service's name for logs, e.g. `identity`. */
  name: string;
  /** The port to listen on; 0 takes any free port (see the handle's `port`). */
  port: number;
  /** The address to bind: `127.0.0.1` (default: loopback only) or `0.0.0.0` (every interface, as a pod is configured). */
  host?: string;
  services: readonly ServiceRegistration[];
  /** Checks bearer tokens; needed unless every method of every service is public. */
  verifier?: TokenVerifier;
  /** Default: JSON lines on stderr, warnings and errors only. */
  logger?: Logger;
  /**
   * Serialized google.protobuf.FileDescriptorProtos of the services and their imports
   * (`fileDescriptorProtos` of @workshare/proto) for server reflection; none, no reflection.
   */
  descriptors?: readonly Uint8Array[];
  /**
   * On shutdown, how long health answers NOT_SERVING before the server stops taking calls,
   * so that load balancers and readiness probes notice first (default 0).
   */
  drainDelayMs?: number;
  /** Default: insecure. */
  credentials?: ServerCredentials;
  serverOptions?: ServerOptions;
}

export interface ShutdownOutcome {
  /** Calls still running after the grace period were cut off. */
  forced: boolean;
}

export interface GrpcServer {
  readonly name: string;
  /** The port bound (the one asked for, or the one the system chose for 0). */
  readonly port: number;
  /** `host:port` to connect to. */
  readonly address: string;
  /** Fully qualified names of the hosted services, e.g. `workshare.identity.v1.IdentityService`. */
  readonly serviceNames: readonly string[];
  /** Sets a service's health (`''`: the server as a whole). */
  setServingStatus(service: string, status: ServingStatus): void;
  /**
   * Marks every service NOT_SERVING, waits `drainDelayMs`, stops taking calls and lets those in
   * flight finish; after `graceMs` (default 10,000) cuts off whatever still runs. Idempotent.
   */
  shutdown(graceMs?: number): Promise<ShutdownOutcome>;
}

export const DEFAULT_GRACE_MS = 10_000;

type ReflectionPackage = ConstructorParameters<typeof ReflectionService>[0];

/** The descriptors as @grpc/reflection reads them: it only looks at `fileDescriptorProtos`. */
const reflectionPackage = (descriptors: readonly Uint8Array[]): ReflectionPackage => ({
  'workshare.descriptors': {
    format: 'Protocol Buffer 3 DescriptorProto',
    type: {},
    fileDescriptorProtos: descriptors.map((bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
  },
});

const bindAddress = (host: string, port: number): string => `${host.includes(':') ? `[${host}]` : host}:${port}`;

const bind = (server: Server, address: string, credentials: ServerCredentials): Promise<number> =>
  new Promise((resolve, reject) =>
    server.bindAsync(address, credentials, (error, port) => (error ? reject(error) : resolve(port))),
  );

/**
 * Starts a grpc-js server hosting `services` (unary async handlers, see `defineService`),
 * with grpc.health.v1 (a status per service and `''` for the whole server) and, given
 * descriptors, server reflection. Every call is traced, its bearer token verified (except on
 * public methods) and its errors mapped to status codes (DESIGN §2).
 */
export const startGrpcServer = async (options: GrpcServerOptions): Promise<GrpcServer> => {
  const logger = options.logger ?? jsonLogger('warn', { service: options.name });
  const host = options.host ?? '127.0.0.1';
  const drainDelayMs = options.drainDelayMs ?? 0;

  const everyMethodPublic = options.services.every((s) =>
    Object.keys(s.definition).every((m) => s.publicMethods?.includes(m)),
  );
  if (options.verifier === undefined && !everyMethodPublic) {
    throw new Error(`${options.name}: a token verifier is needed, since not every method is public`);
  }

  const server = new Server(options.serverOptions);
  const serviceNames: string[] = [];
  for (const registration of options.services) {
    const name = serviceNameOf(registration.definition);
    if (serviceNames.includes(name)) throw new Error(`${options.name}: ${name} is registered twice`);
    serviceNames.push(name);
    server.addService(
      registration.definition,
      hostImplementation(registration, { verifier: options.verifier, logger }),
    );
  }

  const health = new HealthImplementation(
    Object.fromEntries(['', ...serviceNames].map((name) => [name, 'NOT_SERVING' as const])),
  );
  health.addToServer(server);

  if (options.descriptors !== undefined && options.descriptors.length > 0) {
    new ReflectionService(reflectionPackage(options.descriptors), { services: serviceNames }).addToServer(server);
  } else {
    logger.info({ service: options.name }, 'no descriptors given: server reflection is off');
  }

  const address = bindAddress(host, options.port);
  let port: number;
  try {
    port = await bind(server, address, options.credentials ?? ServerCredentials.createInsecure());
  } catch (error) {
    server.forceShutdown();
    throw new Error(
      `${options.name}: cannot listen on ${address}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  for (const name of ['', ...serviceNames]) health.setStatus(name, 'SERVING');
  logger.info({ service: options.name, host, port, services: serviceNames }, 'gRPC server listening');

  let shuttingDown: Promise<ShutdownOutcome> | undefined;
  const shutdown = async (graceMs: number): Promise<ShutdownOutcome> => {
    for (const name of ['', ...serviceNames]) health.setStatus(name, 'NOT_SERVING');
    logger.info({ service: options.name, drainDelayMs, graceMs }, 'gRPC server shutting down');
    if (drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
    const drained = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const forced = await Promise.race([
      drained.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (forced) {
      logger.warn({ service: options.name, graceMs }, 'calls still running after the grace period were cut off');
      server.forceShutdown();
    }
    return { forced };
  };

  return {
    name: options.name,
    port,
    address: `${host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host}:${port}`,
    serviceNames,
    setServingStatus: (service, status) => health.setStatus(service, status),
    shutdown: (graceMs = DEFAULT_GRACE_MS) => (shuttingDown ??= shutdown(graceMs)),
  };
};

/** What starting one service's gRPC server takes: the service, where to listen, and how to check callers. */
export interface ServiceGrpcOptions<Service> {
  readonly service: Service;
  /** 0 takes any free port (see the answer's `port`). */
  readonly port: number;
  /** `127.0.0.1` (default: loopback only) or `0.0.0.0` (every interface: a pod, GRPC_HOST=0.0.0.0). */
  readonly host?: string;
  /** Checks bearer tokens: IdentityTokenVerifierClient (asks identity's VerifyToken). */
  readonly verifier: TokenVerifier;
  /** Default: the host's own JSON lines on stderr, warnings and up. */
  readonly logger?: Logger;
  /** On shutdown, how long health answers NOT_SERVING before calls stop being taken (default 0). */
  readonly drainDelayMs?: number;
  /** The service's durable read models: served by workshare.ops.v1.ReadModelsService beside its API. */
  readonly readModels?: readonly OperatedReadModel[];
}

/**
 * Starts one service's gRPC server: its RPCs (`register` makes them from the service),
 * grpc.health.v1 and server reflection (from `descriptors`).
 */
export const startServiceGrpc = <Service>(
  name: string,
  register: (service: Service) => ServiceRegistration,
  descriptors: readonly Uint8Array[],
  options: ServiceGrpcOptions<Service>,
): Promise<GrpcServer> =>
  startGrpcServer({
    name,
    port: options.port,
    host: options.host ?? '127.0.0.1',
    services: [
      register(options.service),
      ...(options.readModels !== undefined && options.readModels.length > 0
        ? [readModelsGrpcService(options.readModels)]
        : []),
    ],
    verifier: options.verifier,
    descriptors,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.drainDelayMs !== undefined ? { drainDelayMs: options.drainDelayMs } : {}),
  });
