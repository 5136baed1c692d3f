import { ValidationError } from '@workshare/eventsourcing';

/**
 * Request ids (idempotency keys) chosen by callers: a retried command with the same id is
 * answered with what the first one did, never applied twice. A request id is the caller's own:
 * what is stored (event metadata `commandId`) is `<caller id>:<request id>`, so two callers
 * choosing the same id never see each other's outcome.
 */
export const MAX_REQUEST_ID_LENGTH = 200;

const REQUEST_ID = new RegExp(`^[\\x21-\\x7e]{1,${MAX_REQUEST_ID_LENGTH}}$`);

export const commandKey = (callerId: string, requestId: string): string => {
  if (!REQUEST_ID.test(requestId)) {
    throw new ValidationError('request.invalid_request_id', `a request id is 1 to ${MAX_REQUEST_ID_LENGTH} printable ASCII characters without spaces (a UUID fits)`);
  }
  return `${callerId}:${requestId}`;
};
