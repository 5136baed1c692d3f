import { ValidationError } from '@workshare/eventsourcing';

/**
 * Checks of a request's fields at the gRPC edge, shared by every service: proto3 decodes an
 * absent string as '', so "required" has to be checked by hand.
 */
export const missingField = (field: string): ValidationError =>
  new ValidationError('request.missing_field', `${field} is required`, { field });

/** A required string field, or `request.missing_field`. */
export const requiredText = (value: string | undefined, field: string): string => {
  if (typeof value !== 'string' || value.trim() === '') throw missingField(field);
  return value;
};

/** The request id of a command (its idempotency key): required; its form is checked with the command key. */
export const requestIdOf = (request: { readonly requestId: string }): string =>
  requiredText(request.requestId, 'request_id');
