import { nameBasedUuid } from '@workshare/eventsourcing';

/** Request ids (idempotency keys) chosen by callers, keyed by caller: see commandKey in @workshare/eventsourcing. */
export { commandKey, MAX_REQUEST_ID_LENGTH } from '@workshare/eventsourcing';

/**
 * The id of the entry a RecordSpan or StopWork request records, derived from its command key, so
 * that a retry names the same entry (and finds its first outcome on the stream).
 */
export const entryIdForCommand = (key: string): string => nameBasedUuid(`workshare-time-tracking/entry/${key}`);
