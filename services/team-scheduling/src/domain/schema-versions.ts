import { createUpcaster } from '@workshare/eventsourcing';

/**
 * The schema versions of team scheduling's events. Version 2 of TaskReleased, TaskHandedOff and
 * UnavailabilityDeclared holds a member's reason and progress note as PersonalText: sealed for
 * her with her key by identity (`{sealedFor, sealed}`), or a string in clear (the platform's own
 * words). Version 1 held them as strings: they read as version 2 unchanged (a string in clear),
 * and stay as written (the log is never rewritten).
 */
export const SCHEDULE_UPCASTER = createUpcaster({
  TaskReleased: { 1: (data) => data },
  TaskHandedOff: { 1: (data) => data },
  UnavailabilityDeclared: { 1: (data) => data },
});
