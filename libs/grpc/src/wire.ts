/**
 * Bare grpc-js calls, to see exactly what goes over the wire (the status code and the
 * `x-error-code` trailer) without this library's client in between: for contract tests of
 * every service, and for health checks (readiness, the launcher, tests).
 */
import { credentials, makeGenericClientConstructor, Metadata, status, type ServiceDefinition } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { addressEntries, channelTargetOf } from './address.js';
import { ERROR_CODE_KEY } from './errors.js';
import type { RequestOf, ResponseOf, UnaryMethodName } from './service.js';

export type WireOutcome<T> =
  | { readonly ok: true; readonly response: T }
  | { readonly ok: false; readonly status: string; readonly errorCode: string | undefined; readonly message: string };

export interface WireOptions {
  /** Sent as `authorization: Bearer <token>`. */
  readonly token?: string;
  /** Sent as the `authorization` header exactly (another scheme, say); wins over `token`. */
  readonly authorization?: string;
  readonly deadlineMs?: number;
}

const statusName = (code: number): string => status[code] ?? `STATUS_${code}`;

const unary = <Req, Res>(
  address: string,
  path: string,
  serialize: (value: Req) => Buffer,
  deserialize: (bytes: Buffer) => Res,
  request: Req,
  options: WireOptions,
): Promise<WireOutcome<Res>> => {
  const Client = makeGenericClientConstructor({}, 'workshare.wire');
  const { target, channelOptions } = channelTargetOf(address);
  const client = new Client(target, credentials.createInsecure(), channelOptions);
  const metadata = new Metadata();
  const authorization = options.authorization ?? (options.token !== undefined ? `Bearer ${options.token}` : undefined);
  if (authorization !== undefined) metadata.set('authorization', authorization);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      serialize,
      deserialize,
      request,
      metadata,
      { deadline: Date.now() + (options.deadlineMs ?? 10_000) },
      (error, response) => {
        client.close();
        if (error) {
          const code = error.metadata?.get(ERROR_CODE_KEY)[0];
          resolve({
            ok: false,
            status: statusName(error.code),
            errorCode: typeof code === 'string' ? code : undefined,
            message: error.details,
          });
        } else {
          resolve({ ok: true, response: response as Res });
        }
      },
    );
  });
};

/** One unary call of `method` of a generated service definition, with a bare client. */
export const wireCall = <D extends ServiceDefinition, K extends UnaryMethodName<D> & keyof D>(
  definition: D,
  address: string,
  method: K,
  request: RequestOf<D[K]>,
  options: WireOptions = {},
): Promise<WireOutcome<ResponseOf<D[K]>>> => {
  const m = definition[method] as unknown as {
    path: string;
    requestSerialize: (value: RequestOf<D[K]>) => Buffer;
    responseDeserialize: (bytes: Buffer) => ResponseOf<D[K]>;
  };
  return unary(address, m.path, m.requestSerialize, m.responseDeserialize, request, options);
};

/** Raw request bytes (fields of the wrong wire type, say), as a client of another contract might send. */
export const wireCallBytes = <D extends ServiceDefinition, K extends UnaryMethodName<D> & keyof D>(
  definition: D,
  address: string,
  method: K,
  bytes: Buffer,
  options: WireOptions = {},
): Promise<WireOutcome<ResponseOf<D[K]>>> => {
  const m = definition[method] as unknown as { path: string; responseDeserialize: (bytes: Buffer) => ResponseOf<D[K]> };
  return unary(address, m.path, (b: Buffer) => b, m.responseDeserialize, bytes, options);
};

/** The failure's status and error code; an error when the call succeeded. */
export const refusal = async <T>(
  outcome: Promise<WireOutcome<T>>,
): Promise<{ status: string; errorCode: string | undefined }> => {
  const result = await outcome;
  if (result.ok) throw new Error(`expected the call to fail, it answered ${JSON.stringify(result.response)}`);
  return { status: result.status, errorCode: result.errorCode };
};

const HealthCheck = healthService.Check;

/**
 * grpc.health.v1.Health/Check of `serviceName` ('' for the whole server): `SERVING`,
 * `NOT_SERVING`, `SERVICE_UNKNOWN`..., or the call's status name (`UNAVAILABLE` before the server listens).
 * For a list of replicas (`a:1,b:2`) each is asked: `SERVING` when any one serves (calls go
 * round-robin to the replicas that are up), else what the first answered.
 */
export const checkHealth = async (address: string, serviceName = '', deadlineMs = 2_000): Promise<string> => {
  const entries = addressEntries(address);
  if (entries.length > 1) {
    channelTargetOf(address); // a malformed list is refused as a client would refuse it
    const answers = await Promise.all(entries.map((entry) => checkHealth(entry, serviceName, deadlineMs)));
    return answers.includes('SERVING') ? 'SERVING' : answers[0]!;
  }
  if (HealthCheck === undefined) throw new Error('grpc-health-check has no Check method');
  const outcome = await unary(
    address,
    '/grpc.health.v1.Health/Check',
    (request: { service: string }) => HealthCheck.requestSerialize(request),
    (bytes: Buffer) => HealthCheck.responseDeserialize(bytes) as { status: string },
    { service: serviceName },
    { deadlineMs },
  );
  return outcome.ok ? outcome.response.status : outcome.status;
};
