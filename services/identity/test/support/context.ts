import type { CommandContext } from '@workshare/eventsourcing';
import { actorOfSubject, type TokenSubject } from '../../src/application/ports.js';

/** What a request carries besides who makes it: its id (a retry sends the same) and its trace. */
export interface RequestOptions {
  readonly requestId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly traceparent?: string;
}

/** The context of a command or query by `caller` (whom a verified token speaks for), as the gRPC adapter makes it. */
export const as = (caller: TokenSubject, request: RequestOptions = {}): CommandContext => ({
  actor: actorOfSubject(caller),
  ...request,
});
