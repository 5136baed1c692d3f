import { createHash } from 'node:crypto';
import { ValidationError } from './errors.js';

/**
 * Request ids (idempotency keys) chosen by callers: a retried command with the same id is
 * answered with what the first one did, never applied twice. A request id is the caller's own:
 * what is stored (event metadata `commandId`) is `<caller id>:<request id>`, so two callers
 * choosing the same id never see each other's outcome.
 */
export const MAX_REQUEST_ID_LENGTH = 200;

const REQUEST_ID = new RegExp(`^[\\x21-\\x7e]{1,${MAX_REQUEST_ID_LENGTH}}$`);

/** The command key stored with the events of a request: `<caller id>:<request id>`. */
export const commandKey = (callerId: string, requestId: string): string => {
  if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) {
    throw new ValidationError(
      'request.invalid_request_id',
      `a request id is 1 to ${MAX_REQUEST_ID_LENGTH} printable ASCII characters without spaces (a UUID fits)`,
      {
        field: 'request_id',
      },
    );
  }
  return `${callerId}:${requestId}`;
};

/**
 * A UUID derived from a name (RFC 9562 version 8, the first 16 bytes of its SHA-256): the same
 * name always gives the same id, so a retried command or a replay creates the same thing. Names
 * carry their own namespace (`workshare-task/<job>/<round>/<key>`); the derivation never
 * changes, since ids already stored depend on it.
 */
export const nameBasedUuid = (name: string): string => {
  const bytes = createHash('sha256').update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
