import type { Actor } from './actor.js';
import type { EventMetadata, RecordedEvent } from './envelope.js';

/**
 * What every use case of every service takes besides its input: who acts, and what the command
 * carries for tracing and safe retries. Every facade method is `(context, input)`.
 */
export interface CommandContext {
  readonly actor: Actor;
  /**
   * The caller's id for this request (an Idempotency-Key): a retry with the same id is answered
   * with the first outcome. Use cases that write turn it into their command id.
   */
  readonly requestId?: string;
  /** The conversation this command belongs to (an HTTP request id, the first event's id). */
  readonly correlationId?: string;
  /** The message that caused it (for a process manager: the event it reacts to). */
  readonly causationId?: string;
  /** The W3C trace context of the call. */
  readonly traceparent?: string;
  /** The caller's bearer token, passed on to the services this command calls (never stored). */
  readonly token?: string;
}

/** The one mapping from a command's context to the metadata of the events it produces. */
export const eventMetadataOf = (context: CommandContext, commandId?: string): EventMetadata => {
  const metadata: EventMetadata = { actor: context.actor.id };
  if (context.correlationId !== undefined) metadata.correlationId = context.correlationId;
  if (context.causationId !== undefined) metadata.causationId = context.causationId;
  if (context.traceparent !== undefined) metadata.traceparent = context.traceparent;
  if (commandId !== undefined) metadata.commandId = commandId;
  return metadata;
};

/**
 * The context of a command a process manager sends in reaction to `event`: caused by it, in
 * its conversation, on its trace, acting as `actor` (a SYSTEM_ACTORS.processManager).
 */
export const contextOfEvent = (actor: Actor, event: RecordedEvent): CommandContext => ({
  actor,
  causationId: event.id,
  correlationId: typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : event.id,
  ...(typeof event.metadata.traceparent === 'string' ? { traceparent: event.metadata.traceparent } : {}),
});
