import { MAX_REQUEST_ID_LENGTH, ValidationError } from '@workshare/eventsourcing';
import type { FieldLimit } from './request-checks.js';

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

/**
 * The host's limit of a command's `request_id` (declare it under `requestId` in a service's
 * limits): at most MAX_REQUEST_ID_LENGTH characters, refused as `request.invalid_request_id`
 * like any request id that is not one (commandKey of @workshare/eventsourcing).
 */
export const REQUEST_ID_LIMIT: FieldLimit = Object.freeze({
  maxLength: MAX_REQUEST_ID_LENGTH,
  code: 'request.invalid_request_id',
});
