/**
 * One error family with stable codes. The kind decides how an adapter reports it
 * (DESIGN §2): invalid → INVALID_ARGUMENT/400, rule → FAILED_PRECONDITION/409-422,
 * conflict → ABORTED/409, not_found → NOT_FOUND/404, forbidden → PERMISSION_DENIED/403,
 * unauthenticated → UNAUTHENTICATED/401, exhausted (too many attempts: come back later, details
 * `retryAfterSeconds`) → RESOURCE_EXHAUSTED/429.
 */
export type ErrorKind = 'invalid' | 'rule' | 'conflict' | 'not_found' | 'forbidden' | 'unauthenticated' | 'exhausted';

export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  constructor(
    /** Stable, dotted code such as `task.not_assigned`; clients may rely on it. */
    readonly code: string,
    message: string,
    readonly kind: ErrorKind = 'rule',
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** Bad input: nothing was stored. */
export class ValidationError extends DomainError {
  override readonly name: string = 'ValidationError';
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, 'invalid', details);
  }
}

export class NotFoundError extends DomainError {
  override readonly name: string = 'NotFoundError';
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, 'not_found', details);
  }
}

export class ForbiddenError extends DomainError {
  override readonly name: string = 'ForbiddenError';
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, 'forbidden', details);
  }
}

/** The stream moved on since it was read: reload and decide again. */
export class WrongExpectedVersionError extends DomainError {
  override readonly name: string = 'WrongExpectedVersionError';
  constructor(
    readonly stream: string,
    readonly expected: string,
    /** The stream's version when the append was refused; undefined when it has no events. */
    readonly actual: number | undefined,
  ) {
    super(
      'eventstore.wrong_expected_version',
      `stream ${stream}: expected ${expected}, but it is ${actual === undefined ? 'empty' : `at version ${actual}`}`,
      'conflict',
      { stream, expected, actual: actual ?? null },
    );
  }
}

/** An event id is already stored, but not as part of this very append. */
export class EventIdConflictError extends DomainError {
  override readonly name: string = 'EventIdConflictError';
  constructor(
    readonly eventId: string,
    reason: string,
  ) {
    super('eventstore.event_id_conflict', `event ${eventId}: ${reason}`, 'conflict', { eventId });
  }
}

/**
 * An append carries an event id that is already stored, at the same place (a retry), but with
 * other content: a retry must resend the very same events, so this is refused rather than
 * answered with what was stored (which would drop the new content silently).
 */
export class EventContentConflictError extends DomainError {
  override readonly name: string = 'EventContentConflictError';
  constructor(
    readonly eventId: string,
    /** What differs from the stored event: `type`, `schemaVersion`, `data`, `metadata`, `occurredAt`. */
    readonly differs: readonly string[],
  ) {
    super(
      'eventstore.event_content_conflict',
      `event ${eventId} is already stored with other content (${differs.join(', ')}); a retry must send the same event`,
      'conflict',
      { eventId, differs: [...differs] },
    );
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
