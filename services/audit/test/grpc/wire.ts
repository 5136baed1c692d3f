/**
 * Bare grpc-js calls of this service (status code and the `x-error-code` trailer exactly as
 * sent), bound to its contract: see wireCall in @workshare/grpc.
 */
import { wireCall, type RequestOf, type ResponseOf, type WireOutcome } from '@workshare/grpc';
import { auditV1 } from '@workshare/proto';

type Definition = typeof auditV1.AuditServiceService;
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
  wireCall(auditV1.AuditServiceService, address, method, request, token === undefined ? {} : { token });
