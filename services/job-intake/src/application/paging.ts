import { isUuid, ValidationError } from '@workshare/eventsourcing';
import type { JobView } from './job-view.js';

/** ListJobs answers this many jobs a page unless asked for fewer, and never more than MAX_PAGE_SIZE. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Where a page ends: the last job's submission time and id (jobs are listed newest first). */
export interface PageCursor {
  readonly at: number;
  readonly id: string;
}

/** The page size asked for (0 or none: the default), at most MAX_PAGE_SIZE. */
export const pageSizeOf = (pageSize: number | undefined): number => {
  const size = pageSize === undefined || pageSize === 0 ? DEFAULT_PAGE_SIZE : pageSize;
  if (!Number.isSafeInteger(size) || size < 0)
    throw new ValidationError('request.invalid_page_size', 'the page size is a whole number ≥ 0', {
      field: 'page_size',
    });
  return Math.min(size, MAX_PAGE_SIZE);
};

export const sortKey = (view: JobView): PageCursor => ({ at: view.submittedAt.getTime(), id: view.jobId });

/** Newest first; jobs submitted at the same moment in a fixed order (by id, descending). */
export const newestFirst = (a: PageCursor, b: PageCursor): number =>
  a.at !== b.at ? b.at - a.at : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/** The opaque token of the page after `view`. */
export const encodeCursor = (view: JobView): string =>
  Buffer.from(JSON.stringify(sortKey(view)), 'utf8').toString('base64url');

/** A page token this service gave, or `request.invalid_page_token`. */
export const decodeCursor = (token: string): PageCursor => {
  const bad = () =>
    new ValidationError('request.invalid_page_token', 'the page token is not one this service gave', {
      field: 'page_token',
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof parsed !== 'object' || parsed === null) throw bad();
  const { at, id } = parsed as { at?: unknown; id?: unknown };
  if (typeof at !== 'number' || !Number.isSafeInteger(at) || !isUuid(id)) throw bad();
  return { at, id };
};
