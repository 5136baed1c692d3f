/** Request ids (idempotency keys) chosen by callers, keyed by caller: see commandKey in @workshare/eventsourcing. */
export { commandKey, MAX_REQUEST_ID_LENGTH } from '@workshare/eventsourcing';
