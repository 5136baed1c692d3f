/**
 * Who is calling (`Caller`, as a verified token says) and the domain's actor for it
 * (`actorOf`): the shared model of @workshare/eventsourcing.
 */
export { actorOf, type Caller } from '@workshare/eventsourcing';

/** What a command carries besides its input: its request id (idempotency), the caller's token (for identity) and its trace. */
export interface RequestContext {
  /** The caller's id for this request: a retry with the same id is answered with the first outcome. */
  readonly requestId: string;
  /** The caller's bearer token, passed on to identity (GetBusiness). */
  readonly token?: string;
  readonly traceparent?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}
