/**
 * Bare grpc-js calls, to see exactly what goes over the wire (status code and the
 * `x-error-code` trailer), without @workshare/grpc's client in between.
 */
import { credentials, Metadata, status } from '@grpc/grpc-js';
import { taskDecompositionV1 } from '@workshare/proto';

type Definition = typeof taskDecompositionV1.TaskDecompositionServiceService;
export type MethodName = keyof Definition & string;
type RequestOfMethod<K extends MethodName> = Definition[K] extends { requestSerialize: (value: infer R) => Buffer } ? R : never;
type ResponseOfMethod<K extends MethodName> = Definition[K] extends { responseDeserialize: (bytes: Buffer) => infer R } ? R : never;

export type WireOutcome<T> =
  | { readonly ok: true; readonly response: T }
  | { readonly ok: false; readonly status: string; readonly errorCode: string | undefined; readonly message: string };

const statusName = (code: number): string => status[code] ?? `STATUS_${code}`;

const call = <Req, Res>(address: string, method: MethodName, serialize: (value: Req) => Buffer, request: Req, authorization?: string): Promise<WireOutcome<Res>> => {
  const client = new taskDecompositionV1.TaskDecompositionServiceClient(address, credentials.createInsecure());
  const definition = taskDecompositionV1.TaskDecompositionServiceService[method];
  const metadata = new Metadata();
  if (authorization !== undefined) metadata.set('authorization', authorization);
  return new Promise((resolve) => {
    client.makeUnaryRequest(path(definition), serialize, definition.responseDeserialize as (bytes: Buffer) => Res, request, metadata, { deadline: Date.now() + 10_000 }, (error, response) => {
      client.close();
      if (error) {
        const code = error.metadata.get('x-error-code')[0];
        resolve({ ok: false, status: statusName(error.code), errorCode: typeof code === 'string' ? code : undefined, message: error.details });
      } else {
        resolve({ ok: true, response: response as Res });
      }
    });
  });
};

const path = (definition: { path: string }): string => definition.path;

/** One unary call with a bare client; a token, when given, as `authorization: Bearer`. */
export const wire = <K extends MethodName>(address: string, method: K, request: RequestOfMethod<K>, token?: string): Promise<WireOutcome<ResponseOfMethod<K>>> =>
  call(address, method, taskDecompositionV1.TaskDecompositionServiceService[method].requestSerialize as (value: RequestOfMethod<K>) => Buffer, request, token === undefined ? undefined : `Bearer ${token}`);

/** Raw request bytes (fields of the wrong wire type, say), as a client of another contract might send. */
export const wireBytes = <K extends MethodName>(address: string, method: K, bytes: Buffer, token: string): Promise<WireOutcome<ResponseOfMethod<K>>> =>
  call(address, method, (b: Buffer) => b, bytes, `Bearer ${token}`);

/** An authorization header as given (another scheme, say). */
export const wireWithAuthorization = <K extends MethodName>(address: string, method: K, request: RequestOfMethod<K>, authorization: string): Promise<WireOutcome<ResponseOfMethod<K>>> =>
  call(address, method, taskDecompositionV1.TaskDecompositionServiceService[method].requestSerialize as (value: RequestOfMethod<K>) => Buffer, request, authorization);

/** The failure's status and error code, or a test failure when the call succeeded. */
export const refusal = async <T>(outcome: Promise<WireOutcome<T>>): Promise<{ status: string; errorCode: string | undefined }> => {
  const result = await outcome;
  if (result.ok) throw new Error(`expected the call to fail, it answered ${JSON.stringify(result.response)}`);
  return { status: result.status, errorCode: result.errorCode };
};
