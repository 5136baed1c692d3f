/**
 * Bare grpc-js calls of the job intake service, to see exactly what goes over the wire (status
 * code and the `x-error-code` trailer), without @workshare/grpc's client in between.
 */
import { credentials, Metadata, status } from '@grpc/grpc-js';
import { jobIntakeV1 } from '@workshare/proto';

type Definition = typeof jobIntakeV1.JobIntakeServiceService;
export type MethodName = keyof Definition & string;
export type RequestOfMethod<K extends MethodName> = Definition[K] extends { requestSerialize: (value: infer R) => Buffer } ? R : never;
type ResponseOfMethod<K extends MethodName> = Definition[K] extends { responseDeserialize: (bytes: Buffer) => infer R } ? R : never;

export type WireOutcome<T> =
  | { readonly ok: true; readonly response: T }
  | { readonly ok: false; readonly status: string; readonly errorCode: string | undefined; readonly message: string };

const statusName = (code: number): string => status[code] ?? `STATUS_${code}`;

/** One unary call with a bare client; a token, when given, as `authorization: Bearer`. */
export const wire = <K extends MethodName>(address: string, method: K, request: RequestOfMethod<K>, token?: string): Promise<WireOutcome<ResponseOfMethod<K>>> => {
  const client = new jobIntakeV1.JobIntakeServiceClient(address, credentials.createInsecure());
  const definition = jobIntakeV1.JobIntakeServiceService[method];
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
