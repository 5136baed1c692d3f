/**
 * Bare grpc-js calls of this service (status code and the `x-error-code` trailer exactly as
 * sent), bound to its contract: see wireCall in @workshare/grpc.
 */
import { wireCall, wireCallBytes, type RequestOf, type ResponseOf, type WireOutcome } from '@workshare/grpc';
import { taskDecompositionV1 } from '@workshare/proto';

type Definition = typeof taskDecompositionV1.TaskDecompositionServiceService;
export type MethodName = keyof Definition & string;
export type RequestOfMethod<K extends MethodName> = RequestOf<Definition[K]>;
type ResponseOfMethod<K extends MethodName> = ResponseOf<Definition[K]>;
export { refusal, type WireOutcome } from '@workshare/grpc';

/** One unary call with a bare client; a token, when given, as `authorization: Bearer`. */
export const wire = <K extends MethodName>(
  address: string,
  method: K,
  request: RequestOfMethod<K>,
  token?: string,
): Promise<WireOutcome<ResponseOfMethod<K>>> =>
  wireCall(
    taskDecompositionV1.TaskDecompositionServiceService,
    address,
    method,
    request,
    token === undefined ? {} : { token },
  );

/** Raw request bytes (fields of the wrong wire type, say), as a client of another contract might send. */
export const wireBytes = <K extends MethodName>(
  address: string,
  method: K,
  bytes: Buffer,
  token: string,
): Promise<WireOutcome<ResponseOfMethod<K>>> =>
  wireCallBytes(taskDecompositionV1.TaskDecompositionServiceService, address, method, bytes, { token });

/** An authorization header as given (another scheme, say). */
export const wireWithAuthorization = <K extends MethodName>(
  address: string,
  method: K,
  request: RequestOfMethod<K>,
  authorization: string,
): Promise<WireOutcome<ResponseOfMethod<K>>> =>
  wireCall(taskDecompositionV1.TaskDecompositionServiceService, address, method, request, { authorization });
