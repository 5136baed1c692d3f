import type { Decider, DomainEvent, RecordedEvent, Upcaster } from '@workshare/eventsourcing';
import { accountDecider, businessDecider } from '@workshare/identity';
import { jobDecider, jobUpcaster } from '@workshare/job-intake';
import { monthClose, payee, regionSettlement } from '@workshare/settlement';
import { planDecider } from '@workshare/task-decomposition';
import { crewDecider, scheduleDecider } from '@workshare/team-scheduling';
import { timesheetDecider } from '@workshare/time-tracking';
import { auditQueryDecider, AUDIT_QUERY_CATEGORY } from './audit-query.js';
import { splitStream } from './log-facts.js';

/**
 * A stream's state as of a past instant: its events recorded up to then, folded with the owning
 * service's own pure evolve (each service's package exports its decider), so the state is the
 * one that service itself would have decided from. A stream of a category no service here folds
 * (reservations, sessions) is folded generically: every event's data merged over the last
 * (`genericFold`), with the type and time of the last event.
 */

type AnyDecider = Pick<Decider<unknown, DomainEvent, unknown>, 'evolve' | 'initialState'>;

const as = <C, E extends DomainEvent, S>(decider: Decider<C, E, S>): AnyDecider => decider as unknown as AnyDecider;

/** The decider of each stream category, and its upcaster where it has one. */
export const FOLDERS: Readonly<Record<string, { readonly decider: AnyDecider; readonly upcast?: Upcaster }>> = {
  member: { decider: as(accountDecider) },
  user: { decider: as(accountDecider) },
  business: { decider: as(businessDecider) },
  job: { decider: as(jobDecider), upcast: jobUpcaster },
  plan: { decider: as(planDecider) },
  schedule: { decider: as(scheduleDecider) },
  crew: { decider: as(crewDecider) },
  timesheet: { decider: as(timesheetDecider) },
  settlement: { decider: as(monthClose.monthDecider) },
  payee: { decider: as(payee.payeeDecider) },
  region_settlement: { decider: as(regionSettlement.regionDecider) },
  [AUDIT_QUERY_CATEGORY]: { decider: as(auditQueryDecider) },
};

/** The fold of a stream no service here owns: the data of each event merged over the state before. */
export const genericFold = (
  events: readonly Pick<RecordedEvent, 'type' | 'data' | 'occurredAt'>[],
): Record<string, unknown> => {
  let state: Record<string, unknown> = {};
  for (const event of events)
    state = {
      ...state,
      ...(event.data as Record<string, unknown>),
      lastEvent: event.type,
      lastEventAt: event.occurredAt.toISOString(),
    };
  return state;
};

/** The events of a stream recorded at or before `at` (the store's recorded_at: when the log learnt of them). */
export const recordedBy = <E extends Pick<RecordedEvent, 'recordedAt'>>(events: readonly E[], at: Date): E[] =>
  events.filter((event) => event.recordedAt.getTime() <= at.getTime());

/** The state of a stream after these events, by its owner's evolve (or the generic fold), and how it was folded. */
export const replayState = (
  streamName: string,
  events: readonly RecordedEvent[],
): { readonly state: unknown; readonly folder: string } => {
  const { category } = splitStream(streamName);
  const folder = FOLDERS[category];
  if (folder === undefined) return { state: genericFold(events), folder: 'generic' };
  let state = folder.decider.initialState();
  for (const event of events) {
    const upcast = folder.upcast ? folder.upcast(event) : event;
    state = folder.decider.evolve(state, upcast as unknown as DomainEvent);
  }
  return { state, folder: category };
};

/** Whether a value is a sealed personal text as events keep it ({ sealedFor, sealed }). */
const isSealed = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { sealedFor?: unknown }).sealedFor === 'string' &&
  typeof (value as { sealed?: unknown }).sealed === 'string';

/**
 * A state as JSON a person reads: dates as ISO text, amounts (bigint) as decimal text, Maps as
 * objects, Sets as lists; sealed personal data (`personalData`, a sealed text) shown as withheld.
 */
export const plainJson = (value: unknown, depth = 0): unknown => {
  if (depth > 64) return '…';
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return { kind: 'withheld' };
  if (isSealed(value)) return { kind: 'withheld' };
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plainJson(v, depth + 1)]));
  if (value instanceof Set) return [...value].map((v) => plainJson(v, depth + 1));
  if (Array.isArray(value)) return value.map((v) => plainJson(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>))
      out[key] = key === 'personalData' || key === 'passwordHash' ? { kind: 'withheld' } : plainJson(v, depth + 1);
    return out;
  }
  return value;
};
