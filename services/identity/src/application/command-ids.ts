import { nameBasedUuid } from '@workshare/eventsourcing';

/**
 * Request ids (idempotency keys) chosen by callers, keyed by caller: see commandKey in
 * @workshare/eventsourcing.
 */
export { commandKey, MAX_REQUEST_ID_LENGTH } from '@workshare/eventsourcing';

/**
 * The id of what a command creates (a member, a user, a business), derived from its command
 * key: a retry of the same request finds the same stream.
 */
export const idForCommand = (kind: string, key: string): string => nameBasedUuid(`workshare-identity/${kind}/${key}`);
