/**
 * The longest each string field of each RPC may be, from the domain's LIMITS, with the domain's
 * code: the gRPC host refuses a longer value (and NUL or invalid UTF-8 in any string) before the
 * handler runs, lengths in characters as sent. Every other string field is an id, at most
 * ID_MAX_LENGTH (128) characters. Pure data: the HTTP edge imports it from
 * `@workshare/team-scheduling/contract` to refuse the same text with the same codes.
 */
import { MAX_REQUEST_ID_LENGTH } from '@workshare/eventsourcing';
import { LIMITS } from '../../domain/text.js';

/** A command's request id (REQUEST_ID_LIMIT of @workshare/grpc, which a test holds it to). */
const REQUEST_ID = Object.freeze({ maxLength: MAX_REQUEST_ID_LENGTH, code: 'request.invalid_request_id' });
const reason = (code: string) => Object.freeze({ maxLength: LIMITS.reasonLength, code });
const SCHEDULE_REASON = reason('schedule.invalid_reason');
const CREW_REASON = reason('crew.invalid_reason');

export const TEAM_SCHEDULING_REQUEST_LIMITS = Object.freeze({
  fields: Object.freeze({
    scheduleJob: { requestId: REQUEST_ID },
    handOffTask: {
      requestId: REQUEST_ID,
      reason: reason('task.invalid_reason'),
      progressNote: Object.freeze({ maxLength: LIMITS.progressNoteLength, code: 'task.invalid_progress_note' }),
    },
    declareUnavailable: { requestId: REQUEST_ID, reason: CREW_REASON },
    overrideAssignment: { requestId: REQUEST_ID, reason: SCHEDULE_REASON },
    setWishedHours: { requestId: REQUEST_ID },
    grantSkill: {
      requestId: REQUEST_ID,
      skill: Object.freeze({ maxLength: LIMITS.skillLength, code: 'crew.invalid_skill' }),
      reason: CREW_REASON,
    },
    pairForTraining: { requestId: REQUEST_ID, reason: SCHEDULE_REASON },
    shareJob: { requestId: REQUEST_ID, reason: SCHEDULE_REASON },
  }),
} as const);
