/**
 * The close of one region's Tokyo month, on the stream `settlement-<regionId>.<YYYY-MM>`: one
 * MonthClosed, the whole MonthSettlement as JSON with the digest of the input it was computed
 * from. A closed month never changes: what later facts correct is settled as adjustments in the
 * next close (close.ts recomputes every earlier closed month and bills or pays the difference).
 * Pure: the command carries the snapshot of the facts (CloseInput), the caller and the time.
 *
 * Refused with a stable code, nothing stored:
 * - `settlement.forbidden`: only an operator or a coordinator of the region closes its month
 *   (the accountant reads the books, never writes them);
 * - `settlement.invalid_month`: not a month `YYYY-MM`;
 * - `settlement.month_closed`: the month is closed already (a closed month never changes);
 * - `settlement.month_not_over`: the Tokyo month has not ended at the command's time (its last
 *   day may still bring approved time and inspections);
 * - `settlement.region_not_configured`: no configuration says who issues and pays;
 * - months close in order, so that each close's adjustments see every earlier close:
 *   `settlement.previous_month_open` when the region has closed months and this is not the one
 *   after the latest (details name the month to close first), `settlement.before_first_close`
 *   for a month before the region's first close (its hourly work was never part of a close; the
 *   region's books start at its first close). A region's first close may be any month that is over.
 */
import {
  DomainError,
  ForbiddenError,
  managesRegion,
  ValidationError,
  type Actor,
  type Decider,
  type JsonObject,
} from '@workshare/eventsourcing';
import { tokyoMonth } from '@workshare/time';
import { closeMonth } from './close.js';
import { closeInputDigest, settlementFromJson, settlementToJson } from './codec.js';
import type { CloseInput, MonthSettlement } from './model.js';

export const SETTLEMENT_CATEGORY = 'settlement';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const isMonth = (value: string): boolean => MONTH.test(value);

/** The stream of a region's month: `settlement-fujisato.2026-11`. */
export const monthStream = (regionId: string, month: string): string => `${SETTLEMENT_CATEGORY}-${regionId}.${month}`;

/** `settlement-fujisato.2026-11` → { regionId: 'fujisato', month: '2026-11' }; undefined for another stream. */
export const monthOfStream = (streamName: string): { regionId: string; month: string } | undefined => {
  const m = /^settlement-(.+)\.(\d{4}-\d{2})$/.exec(streamName);
  return m === null ? undefined : { regionId: m[1]!, month: m[2]! };
};

/** The month after `YYYY-MM`. */
export const nextMonth = (month: string): string => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
};

/** The month before `YYYY-MM`. */
export const previousMonth = (month: string): string => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
};

/** When a Tokyo month ends: 00:00 Asia/Tokyo of the next month's first day. */
export const endOfTokyoMonth = (month: string): Date => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return tokyoMonth(year, m).to;
};

/** What a close is asked, besides the facts: everything its refusals depend on. */
export interface CloseRequest {
  readonly regionId: string;
  readonly month: string;
  /** The command's time: the documents' issue date, and the check that the month is over. */
  readonly at: Date;
  readonly by: Actor;
  /** Whether the region has a configuration. */
  readonly configured: boolean;
  /** The region's closed months, `YYYY-MM` (any order). */
  readonly closedMonths: readonly string[];
}

export interface CloseMonth extends CloseRequest {
  readonly type: 'CloseMonth';
  /** The snapshot of the facts the close reads (its config's region and month are this request's). */
  readonly input: CloseInput;
}

export type MonthCommand = CloseMonth;

/** The close as stored: the MonthSettlement as JSON (bigint → decimal string, Date → ISO), its input's digest, who closed. */
export type MonthClosed = {
  readonly type: 'MonthClosed';
  readonly data: JsonObject;
};

export type MonthEvent = MonthClosed;

export type MonthState =
  | { readonly status: 'open' }
  | {
      readonly status: 'closed';
      readonly settlement: MonthSettlement;
      /** SHA-256 of the canonical JSON of the close's input (closeInputDigest). */
      readonly inputDigest: string;
      readonly closedBy: string;
    };

export const MONTH_EVENT_TYPES: readonly MonthEvent['type'][] = ['MonthClosed'];

export const initialState = (): MonthState => ({ status: 'open' });

/**
 * Every refusal of a close, in the order the decider applies them: the application asks it
 * before it gathers the facts (a refused close costs no snapshot), and decide asks it again on
 * the stream as it is when the close is appended.
 */
export const checkClose = (request: CloseRequest, state: MonthState): void => {
  const { regionId, month, at, by } = request;
  if (!managesRegion(by, regionId))
    throw new ForbiddenError(
      'settlement.forbidden',
      `only an operator or a coordinator of ${regionId} closes its month`,
    );
  if (!isMonth(month))
    throw new ValidationError('settlement.invalid_month', `${JSON.stringify(month)} is not a month YYYY-MM`, {
      field: 'month',
    });
  if (state.status === 'closed')
    throw new DomainError(
      'settlement.month_closed',
      `${regionId} ${month} is closed: a closed month never changes`,
      'rule',
      {
        regionId,
        month,
      },
    );
  const end = endOfTokyoMonth(month);
  if (at.getTime() < end.getTime())
    throw new DomainError(
      'settlement.month_not_over',
      `${month} has not ended in Asia/Tokyo (it ends at ${end.toISOString()})`,
      'rule',
      { regionId, month, endsAt: end.toISOString() },
    );
  if (!request.configured)
    throw new DomainError('settlement.region_not_configured', `${regionId} has no settlement configuration`, 'rule', {
      regionId,
    });
  const closed = [...request.closedMonths].sort();
  const first = closed[0];
  const latest = closed[closed.length - 1];
  if (first === undefined || latest === undefined) return;
  if (month < first)
    throw new DomainError(
      'settlement.before_first_close',
      `${regionId}'s books start at its first close, ${first}: ${month} comes before it`,
      'rule',
      { regionId, month, firstClosedMonth: first },
    );
  const due = nextMonth(latest);
  if (month !== due)
    throw new DomainError(
      'settlement.previous_month_open',
      `${regionId}'s months close in order: ${due} closes before ${month}`,
      'rule',
      { regionId, month, closeFirst: due },
    );
};

export const decide = (command: MonthCommand, state: MonthState): MonthEvent[] => {
  checkClose(command, state);
  const { input } = command;
  if (input.config.regionId !== command.regionId || input.month !== command.month)
    throw new TypeError(
      `the close input is of ${input.config.regionId} ${input.month}, not ${command.regionId} ${command.month}`,
    );
  const settlement = closeMonth(input);
  return [
    {
      type: 'MonthClosed',
      data: { ...settlementToJson(settlement), inputDigest: closeInputDigest(input), closedBy: command.by.id },
    },
  ];
};

/** The MonthSettlement a MonthClosed holds (its JSON read back). */
export const settlementOfEvent = (event: MonthClosed): MonthSettlement => settlementFromJson(event.data);

export const evolve = (state: MonthState, event: MonthEvent): MonthState => {
  switch (event.type) {
    case 'MonthClosed':
      return {
        status: 'closed',
        settlement: settlementOfEvent(event),
        inputDigest: String(event.data.inputDigest),
        closedBy: String(event.data.closedBy),
      };
    default:
      return state;
  }
};

export const monthDecider: Decider<MonthCommand, MonthEvent, MonthState> = { decide, evolve, initialState };
