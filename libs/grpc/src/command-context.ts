import { actorOf, type CommandContext } from '@workshare/eventsourcing';
import type { AuthenticatedCallContext } from './service.js';

/**
 * The use case's context of a call (`(context, input)` of every facade): who acts (the verified
 * caller as the deciders' actor), the command's request id when it has one, the caller's token
 * (passed on to the services the use case asks) and the call's trace.
 */
export const commandContextOf = (ctx: AuthenticatedCallContext, requestId?: string): CommandContext => ({
  actor: actorOf(ctx.caller),
  token: ctx.token,
  ...(requestId !== undefined ? { requestId } : {}),
  ...(ctx.traceparent !== undefined ? { traceparent: ctx.traceparent } : {}),
});
