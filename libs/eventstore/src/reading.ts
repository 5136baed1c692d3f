import {
  breathe,
  ValidationError,
  type EventStore,
  type GlobalPosition,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@workshare/eventsourcing';

export const assertLimit = (limit: unknown, max: number): number => {
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > max) {
    throw new ValidationError(
      'eventstore.invalid_read',
      `limit ${String(limit)} is not a whole number between 1 and ${max}`,
    );
  }
  return limit;
};

export const assertPosition = (position: unknown): GlobalPosition => {
  const p = position as Partial<GlobalPosition> | null;
  if (
    typeof p !== 'object' ||
    p === null ||
    typeof p.commit !== 'bigint' ||
    typeof p.prepare !== 'bigint' ||
    p.commit < 0n ||
    p.prepare < 0n
  ) {
    throw new ValidationError(
      'eventstore.invalid_position',
      'a log position is {commit: bigint, prepare: bigint}, both ≥ 0',
    );
  }
  return p as GlobalPosition;
};

/** A page of the global log, and where the next read of the same kind goes on from. */
export interface LogPage {
  readonly events: RecordedEvent[];
  /**
   * The last event's position when the page is full, or when the read is not filtered (`after`
   * for an empty page). A filtered page that is not full reached the end of what that read could
   * see: then the last position of any category below it, past which no event of the page's
   * categories can appear (on PostgreSQL, under the same horizon as the page).
   */
  readonly end: GlobalPosition;
}

/** A store that tells where a page ends (both adapters): what catch-up subscriptions read through. */
export interface PagedLog {
  readPage(options: ReadAllOptions): Promise<LogPage>;
}

/** The log after a position (all of it, or `limit` events), one page at a time: memory stays flat however long the log. */
export async function* readAllPages(
  store: Pick<EventStore, 'readAll'>,
  options: ReadAllOptions & { pageSize?: number },
): AsyncGenerator<RecordedEvent> {
  const pageSize = assertLimit(options.pageSize ?? 1000, 10_000);
  let left = options.limit === undefined ? Infinity : assertLimit(options.limit, Number.MAX_SAFE_INTEGER);
  let after = options.after;
  const categories = options.categories === undefined ? {} : { categories: options.categories };
  while (left > 0) {
    const wanted = Math.min(pageSize, left);
    const page = await store.readAll({ ...(after ? { after } : {}), limit: wanted, ...categories });
    for (const event of page) yield event;
    await breathe();
    left -= page.length;
    if (page.length < wanted) return;
    after = page[page.length - 1]!.position;
  }
}

/** readStream's options checked, for every adapter: direction, first version, limit. */
export const assertReadStreamOptions = (
  options: ReadStreamOptions,
): { backwards: boolean; from: number | undefined; limit: number | undefined } => {
  const backwards = options.direction === 'backwards';
  if (options.direction !== undefined && options.direction !== 'forwards' && !backwards) {
    throw new ValidationError('eventstore.invalid_read', `direction must be 'forwards' or 'backwards'`);
  }
  const from = options.fromVersion;
  if (from !== undefined && (!Number.isSafeInteger(from) || from < 0)) {
    throw new ValidationError('eventstore.invalid_read', `fromVersion ${String(from)} is not a version number ≥ 0`);
  }
  const limit = options.limit === undefined ? undefined : assertLimit(options.limit, Number.MAX_SAFE_INTEGER);
  return { backwards, from, limit };
};
