/**
 * The snapshot a close reads (CloseInput), gathered when its command arrives: the region's
 * configuration (its office's prefecture as identity says it now), the region's jobs, approved
 * time up to the month's last Tokyo day, receipts, the members who worked or delivered, the
 * businesses (from identity, asked with the caller's token), the minimum-wage table, and every
 * earlier close of the region (read from their streams). The read models are caught up first by
 * a pass begun after the command arrived: every event logged before it is in the snapshot.
 */
import { DomainError, fold, type EventStore, type RecordedEvent } from '@workshare/eventsourcing';
import { tokyoDate } from '@workshare/time';
import { endOfTokyoMonth, monthDecider, monthStream, type MonthState } from '../domain/month.js';
import type { CloseInput, MemberFacts, MonthSettlement, RegionSettlementConfig } from '../domain/model.js';
import { MINIMUM_WAGES } from '../domain/tables.js';
import { CLOSE_ERRORS } from '../domain/close.js';
import type { Closes } from './closes.js';
import type { SettlementJobs } from './jobs.js';
import type { Members } from './members.js';
import type { IdentityLookup } from './ports.js';
import type { Timesheets } from './timesheets.js';

export interface SnapshotSources {
  readonly store: Pick<EventStore, 'readStream'>;
  readonly jobs: SettlementJobs;
  readonly timesheets: Timesheets;
  readonly members: Members;
  readonly closes: Closes;
  readonly identity: IdentityLookup;
}

/** The last Tokyo day of a month, `YYYY-MM-DD`. */
export const lastDayOfMonth = (month: string): string => tokyoDate(new Date(endOfTokyoMonth(month).getTime() - 1));

/** A month stream folded (its MonthClosed decoded): open, or closed with its settlement. */
export const monthStateOf = (events: readonly RecordedEvent[]): MonthState =>
  fold(monthDecider, events as unknown as Parameters<typeof monthDecider.evolve>[1][]);

/**
 * Facts the time names that settlement has not heard of yet (their events not published or not
 * read yet): the close is refused with the close's own codes (CLOSE_ERRORS), nothing is stored.
 */
const unheardOf = (code: string, what: string, ids: readonly string[]): DomainError =>
  new DomainError(
    code,
    `${ids.length} ${what} named by approved time, receipts or earlier closes are not known to settlement yet: the close waits for their events`,
    'rule',
    { [what === 'jobs' ? 'jobIds' : 'memberIds']: ids.slice(0, 20) },
  );

/** The region's earlier closes, oldest first, as stored. */
export const previousCloses = async (
  sources: Pick<SnapshotSources, 'store' | 'closes'>,
  regionId: string,
  month: string,
): Promise<MonthSettlement[]> => {
  const months = sources.closes.closedMonths(regionId).filter((m) => m < month);
  const settlements: MonthSettlement[] = [];
  for (const m of months) {
    const state = monthStateOf(await sources.store.readStream(monthStream(regionId, m)));
    if (state.status === 'closed') settlements.push(state.settlement);
  }
  return settlements;
};

export const gatherCloseInput = async (
  sources: SnapshotSources,
  request: {
    readonly config: RegionSettlementConfig;
    readonly month: string;
    readonly closedAt: Date;
    readonly token: string | undefined;
  },
): Promise<CloseInput> => {
  const { config, month, closedAt, token } = request;
  const regionId = config.regionId;
  await Promise.all([sources.jobs.catchUp(), sources.timesheets.catchUp(), sources.members.catchUp()]);
  const officePrefecture = await sources.identity.officePrefecture(regionId);
  if (officePrefecture === undefined)
    throw new DomainError('settlement.unknown_region', `identity serves no region ${regionId}`, 'rule', { regionId });

  const jobs = sources.jobs.ofRegion(regionId);
  const jobIds = new Set(jobs.map((j) => j.jobId));
  const approved = sources.timesheets.approvedDays(regionId, lastDayOfMonth(month));
  const receipts = sources.timesheets.receipts(regionId);
  const unknownJobs = [...new Set([...approved, ...receipts].map((r) => r.jobId))].filter((id) => !jobIds.has(id));
  if (unknownJobs.length > 0) throw unheardOf(CLOSE_ERRORS.jobUnknown, 'jobs', unknownJobs.sort());

  const previous = await previousCloses(sources, regionId, month);
  // Every member the close may pay: this month's and every earlier close's (a correction may take back what she was paid).
  const memberIds = [
    ...new Set([
      ...approved.map((d) => d.memberId),
      ...receipts.map((r) => r.memberId),
      ...previous.flatMap((close) => close.statements.map((s) => s.memberId)),
    ]),
  ].sort();
  const members: MemberFacts[] = [];
  const unknownMembers: string[] = [];
  for (const memberId of memberIds) {
    const facts = sources.members.facts(memberId);
    if (facts === undefined) unknownMembers.push(memberId);
    else members.push(facts);
  }
  if (unknownMembers.length > 0) throw unheardOf(CLOSE_ERRORS.memberUnknown, 'members', unknownMembers);

  const businesses = await sources.identity.businesses(
    jobs.map((j) => j.businessId),
    token,
  );
  return {
    config: { ...config, officePrefecture },
    month,
    closedAt,
    jobs,
    approved,
    receipts,
    members,
    businesses,
    minimumWages: MINIMUM_WAGES,
    previous,
  };
};
