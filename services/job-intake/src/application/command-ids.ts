import { nameBasedUuid } from '@workshare/eventsourcing';

/** Request ids (idempotency keys) chosen by callers, keyed by caller: see commandKey in @workshare/eventsourcing. */
export { commandKey, MAX_REQUEST_ID_LENGTH } from '@workshare/eventsourcing';

/**
 * The id of the job a SubmitJob request creates, derived from its command key, so that a retry
 * names the same stream and finds its first outcome there.
 */
export const jobIdForCommand = (key: string): string => nameBasedUuid(`workshare-job-intake/job/${key}`);
