import { createHash } from 'node:crypto';
import { ValidationError } from '@workshare/eventsourcing';

/**
 * Request ids (idempotency keys) chosen by callers. What is stored (event metadata
 * `commandId`) is `<caller id>:<request id>`, so two callers choosing the same id never see
 * each other's outcome.
 */
export const MAX_REQUEST_ID_LENGTH = 200;

const REQUEST_ID = new RegExp(`^[\\x21-\\x7e]{1,${MAX_REQUEST_ID_LENGTH}}$`);

export const commandKey = (callerId: string, requestId: string): string => {
  if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) {
    throw new ValidationError('request.invalid_request_id', `a request id is 1 to ${MAX_REQUEST_ID_LENGTH} printable ASCII characters without spaces (a UUID fits)`, {
      field: 'request_id',
    });
  }
  return `${callerId}:${requestId}`;
};

/**
 * The id of the job a SubmitJob request creates, derived from its command key, so that a retry
 * names the same stream and finds its first outcome there. A UUID of version 8 (RFC 9562:
 * custom) made of SHA-256(`workshare-job-intake/job/<command key>`).
 */
export const jobIdForCommand = (key: string): string => {
  const bytes = createHash('sha256').update(`workshare-job-intake/job/${key}`, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
