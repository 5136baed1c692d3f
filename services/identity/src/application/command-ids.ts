import { createHash } from 'node:crypto';
import { ValidationError } from '@workshare/eventsourcing';

/**
 * Request ids (idempotency keys) chosen by callers: a retried command with the same id is
 * answered with what the first one did, never applied twice.
 *
 * A request id is the caller's own: two callers choosing the same id never see each other's
 * outcome, because what is stored (event metadata `commandId`) is `<caller id>:<request id>`.
 */
export const MAX_REQUEST_ID_LENGTH = 128;

const REQUEST_ID = new RegExp(`^[\\x21-\\x7e]{1,${MAX_REQUEST_ID_LENGTH}}$`);

/** The command key stored with the events of a request: `<caller id>:<request id>`. */
export const commandKey = (callerId: string, requestId: string): string => {
  if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) {
    throw new ValidationError(
      'request.invalid_request_id',
      `a request id is 1 to ${MAX_REQUEST_ID_LENGTH} printable ASCII characters without spaces (a UUID fits)`,
    );
  }
  return `${callerId}:${requestId}`;
};

/**
 * The id of what a command creates (a member, a user, a business), derived from its command
 * key, so that a retry names the same stream as the first attempt and finds its outcome there.
 * A UUID of version 8 (RFC 9562: custom) made of SHA-256(`<kind>/<command key>`).
 */
export const idForCommand = (kind: string, key: string): string => {
  const bytes = createHash('sha256').update(`workshare-identity/${kind}/${key}`, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
