/**
 * The longest each text field of each RPC may be, from the domain's LIMITS, with the domain's
 * code: the gRPC host refuses a longer value (and NUL or invalid UTF-8 in any string) before the
 * handler runs, lengths in characters as sent. Every other string field is an id, at most
 * ID_MAX_LENGTH (128) characters. Pure data: the HTTP edge imports it from
 * `@workshare/time-tracking/contract` to refuse the same text with the same codes.
 */
import { MAX_REQUEST_ID_LENGTH } from '@workshare/eventsourcing';
import { LIMITS } from '../../domain/timesheet.js';

/** A command's request id (REQUEST_ID_LIMIT of @workshare/grpc, which a test holds it to). */
const REQUEST_ID = Object.freeze({ maxLength: MAX_REQUEST_ID_LENGTH, code: 'request.invalid_request_id' });
const REASON = Object.freeze({ maxLength: LIMITS.reasonLength, code: 'time.invalid_reason' });

export const TIME_TRACKING_REQUEST_LIMITS = Object.freeze({
  fields: Object.freeze({
    startWork: { requestId: REQUEST_ID },
    stopWork: { requestId: REQUEST_ID },
    discardTimer: { requestId: REQUEST_ID },
    recordSpan: { requestId: REQUEST_ID },
    correctEntry: { requestId: REQUEST_ID, reason: REASON },
    deleteEntry: { requestId: REQUEST_ID, reason: REASON },
    markTaskDone: { requestId: REQUEST_ID },
    approveWeek: { requestId: REQUEST_ID },
  }),
} as const);
