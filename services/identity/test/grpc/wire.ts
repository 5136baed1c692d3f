/**
 * Bare grpc-js calls, to see exactly what goes over the wire (status code and the
 * `x-error-code` trailer), without @workshare/grpc's client in between. @grpc/grpc-js and
 * grpc-health-check are the gRPC host's own dependencies (@workshare/grpc), used here by tests only.
 */
import { credentials, makeGenericClientConstructor, Metadata, status } from '@grpc/grpc-js';
import { identityV1 } from '@workshare/proto';
import { service as healthService } from 'grpc-health-check';

type Definition = typeof identityV1.IdentityServiceService;
export type MethodName = keyof Definition & string;
type RequestOfMethod<K extends MethodName> = Definition[K] extends { requestSerialize: (value: infer R) => Buffer } ? R : never;
type ResponseOfMethod<K extends MethodName> = Definition[K] extends { responseDeserialize: (bytes: Buffer) => infer R } ? R : never;

export type WireOutcome<T> =
  | { readonly ok: true; readonly response: T }
  | { readonly ok: false; readonly status: string; readonly errorCode: string | undefined; readonly message: string };

const statusName = (code: number): string => status[code] ?? `STATUS_${code}`;

/** One unary call of the identity service with a bare client; a token, when given, as `authorization: Bearer`. */
export const wire = <K extends MethodName>(address: string, method: K, request: RequestOfMethod<K>, token?: string): Promise<WireOutcome<ResponseOfMethod<K>>> => {
  const client = new identityV1.IdentityServiceClient(address, credentials.createInsecure());
  const definition = identityV1.IdentityServiceService[method];
  const metadata = new Metadata();
  if (token !== undefined) metadata.set('authorization', `Bearer ${token}`);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      definition.path,
      definition.requestSerialize as (value: RequestOfMethod<K>) => Buffer,
      definition.responseDeserialize as (bytes: Buffer) => ResponseOfMethod<K>,
      request,
      metadata,
      { deadline: Date.now() + 10_000 },
      (error, response) => {
        client.close();
        if (error) {
          const code = error.metadata.get('x-error-code')[0];
          resolve({ ok: false, status: statusName(error.code), errorCode: typeof code === 'string' ? code : undefined, message: error.details });
        } else {
          resolve({ ok: true, response: response as ResponseOfMethod<K> });
        }
      },
    );
  });
};

/** The failure's status and error code, or a test failure when the call succeeded. */
export const refusal = async <T>(outcome: Promise<WireOutcome<T>>): Promise<{ status: string; errorCode: string | undefined }> => {
  const result = await outcome;
  if (result.ok) throw new Error(`expected the call to fail, it answered ${JSON.stringify(result.response)}`);
  return { status: result.status, errorCode: result.errorCode };
};

const HealthClient = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');

/** grpc.health.v1.Health/Check: the status name, or the error's status name (e.g. UNAVAILABLE before the server listens). */
export const healthCheck = (address: string, serviceName = ''): Promise<string> => {
  const check = healthService.Check;
  if (check === undefined) throw new Error('grpc-health-check has no Check method');
  const client = new HealthClient(address, credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (request: { service: string }) => check.requestSerialize(request),
      (bytes: Buffer) => check.responseDeserialize(bytes) as { status: string },
      { service: serviceName },
      new Metadata(),
      { deadline: Date.now() + 2_000 },
      (error, response) => {
        client.close();
        resolve(error ? statusName(error.code) : (response?.status ?? 'UNKNOWN'));
      },
    );
  });
};
