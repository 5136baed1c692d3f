import { createUpcaster } from '@workshare/eventsourcing';

/**
 * The schema versions of time tracking's events. Version 2 of TimeEntryCorrected and
 * TimeEntryDeleted holds the reason as PersonalText: sealed for the member with her key by
 * identity (`{sealedFor, sealed}`). Version 1 held it as a string: it reads as version 2
 * unchanged (a reason in clear), and stays as written (the log is never rewritten).
 */
export const TIMESHEET_UPCASTER = createUpcaster({
  TimeEntryCorrected: { 1: (data) => data },
  TimeEntryDeleted: { 1: (data) => data },
});
