/**
 * The close of one region's Tokyo month, on the stream `settlement-<regionId>.<YYYY-MM>`: the
 * MonthSettlement in parts, appended together in one append (a close is one decision), then
 * MonthClosed last, the summary with the digest of the input it was computed from:
 * - `InvoicesIssued`, `StatementsIssued`, `JobsSettled`, `JournalRecorded`: the settlement's
 *   invoices, payment statements, job settlements and journal entries, in order, each event a
 *   run of them packed up to CLOSE_LIMITS.partBytes of JSON (measured, item by item);
 * - `MonthClosed`: regionId, month, closedAt, config, payDay, totals, findings, each invoice's
 *   number, business and amount due, each statement's number, member and payable (the published
 *   MonthClosed v1), `parts` (how many part events and items came before it: a reader knows the
 *   close is whole), inputDigest, closedBy.
 * A closed month never changes: what later facts correct is settled as adjustments in the next
 * close (close.ts recomputes every earlier closed month and bills or pays the difference).
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
 *   region's books start at its first close). A region's first close may be any month that is over;
 * - once computed, `settlement.close_too_large` when its events would not fit one append
 *   (CLOSE_LIMITS: more events than one append takes, or one event over the size of an event).
 */
import {
  DomainError,
  ForbiddenError,
  managesRegion,
  ValidationError,
  type Actor,
  type Decider,
  type JsonObject,
  type JsonValue,
} from '@workshare/eventsourcing';
import { tokyoMonth } from '@workshare/time';
import { closeMonth } from './close.js';
import {
  closeInputDigest,
  CodecError,
  settlementFromJson,
  settlementFromParts,
  settlementToJson,
  SETTLEMENT_LISTS,
  SETTLEMENT_SUMMARY_FIELDS,
  type SettlementList,
} from './codec.js';
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

/**
 * The parts of a close, each a run of one of the settlement's lists (its JSON, settlementToJson's):
 * `{ invoices: [...] }`, `{ statements: [...] }`, `{ jobs: [...] }`, `{ journal: [...] }`.
 */
export type InvoicesIssued = { readonly type: 'InvoicesIssued'; readonly data: JsonObject };
export type StatementsIssued = { readonly type: 'StatementsIssued'; readonly data: JsonObject };
export type JobsSettled = { readonly type: 'JobsSettled'; readonly data: JsonObject };
export type JournalRecorded = { readonly type: 'JournalRecorded'; readonly data: JsonObject };

/**
 * The close's last event: the settlement's other fields (regionId, month, closedAt, config,
 * payDay, totals, findings), the summaries of its invoices and statements, `parts` (the counts of
 * what came before it), its input's digest, who closed. Published (MonthClosed v1) as a summary.
 */
export type MonthClosed = { readonly type: 'MonthClosed'; readonly data: JsonObject };

export type MonthPartEvent = InvoicesIssued | StatementsIssued | JobsSettled | JournalRecorded;
export type MonthEvent = MonthPartEvent | MonthClosed;

/** Each list of the settlement and the event type of its parts, in the order a close appends them. */
export const MONTH_PARTS: readonly { readonly type: MonthPartEvent['type']; readonly list: SettlementList }[] = [
  { type: 'InvoicesIssued', list: 'invoices' },
  { type: 'StatementsIssued', list: 'statements' },
  { type: 'JobsSettled', list: 'jobs' },
  { type: 'JournalRecorded', list: 'journal' },
];

/** What MonthClosed counts of the parts before it: the part events, and the items of each list. */
export type MonthParts = { readonly events: number } & Readonly<Record<SettlementList, number>>;

/**
 * How a close is cut into events (what one append of the event store takes: LIMITS of
 * @workshare/eventstore, 1,000 events of at most 1 MiB each, data, metadata and envelope).
 */
export interface CloseLimits {
  /** The events one close appends at most (the store's eventsPerAppend). */
  readonly events: number;
  /** A part event's data is packed up to this many bytes of JSON (UTF-8), item by item. */
  readonly partBytes: number;
  /** The most any one event's data may be (an item alone over partBytes, MonthClosed). */
  readonly eventBytes: number;
}

/** 1,000 events; parts of 256 KiB; any event's data at most 1 MiB less 64 KiB (its metadata and envelope). */
export const CLOSE_LIMITS: CloseLimits = Object.freeze({
  events: 1_000,
  partBytes: 256 * 1024,
  eventBytes: 1024 * 1024 - 64 * 1024,
});

export type MonthState =
  | { readonly status: 'open' }
  /** Folding a close: its parts so far (never the state of a whole stream: MonthClosed comes in the same append). */
  | {
      readonly status: 'closing';
      readonly events: number;
      readonly lists: Readonly<Record<SettlementList, readonly JsonValue[]>>;
    }
  | {
      readonly status: 'closed';
      readonly settlement: MonthSettlement;
      /** SHA-256 of the canonical JSON of the close's input (closeInputDigest). */
      readonly inputDigest: string;
      readonly closedBy: string;
    };

export const MONTH_EVENT_TYPES: readonly MonthEvent['type'][] = [...MONTH_PARTS.map((p) => p.type), 'MonthClosed'];

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
  if (state.status !== 'open')
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

const utf8Bytes = (value: JsonValue): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** Items in order, packed into runs whose JSON (`[a,b,…]`) stays within `budget` bytes; an item over it goes alone. */
const packBySize = (items: readonly JsonValue[], budget: number): { items: JsonValue[]; bytes: number }[] => {
  const runs: { items: JsonValue[]; bytes: number }[] = [];
  let run: JsonValue[] = [];
  let bytes = 2; // the brackets
  for (const item of items) {
    const size = utf8Bytes(item);
    if (run.length > 0 && bytes + 1 + size > budget) {
      runs.push({ items: run, bytes });
      run = [];
      bytes = 2;
    }
    bytes += (run.length > 0 ? 1 : 0) + size; // a comma before every item but the first
    run.push(item);
  }
  if (run.length > 0) runs.push({ items: run, bytes });
  return runs;
};

const tooLarge = (settlement: MonthSettlement, why: string, details: Record<string, unknown>): DomainError =>
  new DomainError(
    'settlement.close_too_large',
    `${settlement.regionId} ${settlement.month}: the close does not fit one append of the event store (${why})`,
    'rule',
    { regionId: settlement.regionId, month: settlement.month, ...details },
  );

const field = (value: JsonValue, name: string): JsonValue => (value as JsonObject)[name]!;

/**
 * A close's events, in the order they are appended (one append): its parts (MONTH_PARTS, each list
 * packed by size) and MonthClosed last. Refused with `settlement.close_too_large` when they would
 * be more than `limits.events`, or one of them over `limits.eventBytes` (an invoice or statement
 * alone over it, or the summary).
 */
export const closeEvents = (
  settlement: MonthSettlement,
  close: { readonly inputDigest: string; readonly closedBy: string },
  limits: CloseLimits = CLOSE_LIMITS,
): MonthEvent[] => {
  const json = settlementToJson(settlement);
  const events: MonthEvent[] = [];
  for (const { type, list } of MONTH_PARTS)
    for (const run of packBySize(json[list] as JsonValue[], limits.partBytes)) {
      if (run.bytes > limits.eventBytes)
        throw tooLarge(settlement, `one of its ${list} is ${run.bytes} bytes of JSON`, {
          list,
          bytes: run.bytes,
          limit: limits.eventBytes,
        });
      events.push({ type, data: { [list]: run.items } });
    }
  const parts: MonthParts = {
    events: events.length,
    invoices: settlement.invoices.length,
    statements: settlement.statements.length,
    jobs: settlement.jobs.length,
    journal: settlement.journal.length,
  };
  const data: JsonObject = {
    // regionId, month, closedAt, config, payDay, totals, findings
    ...Object.fromEntries(SETTLEMENT_SUMMARY_FIELDS.map((f) => [f, json[f]!])),
    invoices: (json.invoices as JsonValue[]).map((i) => ({
      invoiceNumber: field(i, 'invoiceNumber'),
      recipient: { businessId: field(field(i, 'recipient'), 'businessId') },
      amountDueYen: field(i, 'amountDueYen'),
    })),
    statements: (json.statements as JsonValue[]).map((s) => ({
      statementNumber: field(s, 'statementNumber'),
      memberId: field(s, 'memberId'),
      payableYen: field(s, 'payableYen'),
    })),
    parts,
    inputDigest: close.inputDigest,
    closedBy: close.closedBy,
  };
  const bytes = utf8Bytes(data);
  if (bytes > limits.eventBytes)
    throw tooLarge(settlement, `its MonthClosed is ${bytes} bytes of JSON`, { bytes, limit: limits.eventBytes });
  events.push({ type: 'MonthClosed', data });
  if (events.length > limits.events)
    throw tooLarge(settlement, `${events.length} events`, { events: events.length, limit: limits.events });
  return events;
};

export const decide = (command: MonthCommand, state: MonthState): MonthEvent[] => {
  checkClose(command, state);
  const { input } = command;
  if (input.config.regionId !== command.regionId || input.month !== command.month)
    throw new TypeError(
      `the close input is of ${input.config.regionId} ${input.month}, not ${command.regionId} ${command.month}`,
    );
  return closeEvents(closeMonth(input), { inputDigest: closeInputDigest(input), closedBy: command.by.id });
};

type Folded = Pick<Extract<MonthState, { status: 'closing' }>, 'events' | 'lists'>;

const NO_PARTS: Folded = { events: 0, lists: { invoices: [], statements: [], jobs: [], journal: [] } };

/** MonthClosed after its parts: the settlement joined again, once it is known to be whole. */
const joined = ({ events, lists }: Folded, event: MonthClosed): MonthSettlement => {
  const { data } = event;
  const parts = data.parts as Record<string, JsonValue> | undefined;
  const counted = (name: string): number => {
    const n = parts?.[name];
    if (typeof n !== 'number') throw new CodecError(`MonthClosed.parts.${name}`, 'missing');
    return n;
  };
  if (counted('events') !== events)
    throw new CodecError(
      'MonthClosed.parts.events',
      `${events} part events came before it, it counts ${counted('events')}`,
    );
  for (const list of SETTLEMENT_LISTS)
    if (counted(list) !== lists[list].length)
      throw new CodecError(
        `MonthClosed.parts.${list}`,
        `the parts hold ${lists[list].length} ${list}, it counts ${counted(list)}`,
      );
  const settlement = settlementFromParts(data, lists);
  const same = (list: 'invoices' | 'statements', number: 'invoiceNumber' | 'statementNumber'): void => {
    const summary = data[list];
    const numbers = Array.isArray(summary) ? summary.map((s) => field(s, number)) : [];
    settlement[list].forEach((document, i) => {
      const documentNumber = (document as unknown as Record<string, unknown>)[number];
      if (numbers[i] !== documentNumber)
        throw new CodecError(
          `MonthClosed.${list}[${i}].${number}`,
          `${JSON.stringify(numbers[i])} is not the part's ${String(documentNumber)}`,
        );
    });
    if (numbers.length !== settlement[list].length)
      throw new CodecError(
        `MonthClosed.${list}`,
        `${numbers.length} summarised, the parts hold ${settlement[list].length}`,
      );
  };
  same('invoices', 'invoiceNumber');
  same('statements', 'statementNumber');
  return settlement;
};

/**
 * The settlement a month's events hold: its parts joined under its MonthClosed (settlementFromParts),
 * or a MonthClosed of the first layout, which held the whole settlement itself (no `parts`). A
 * close that is not whole (counts or numbers that differ from its parts) is a CodecError: what was
 * stored is read back as it was, or not at all.
 */
export const evolve = (state: MonthState, event: MonthEvent): MonthState => {
  if (state.status === 'closed')
    throw new CodecError(`${event.type}`, 'comes after the MonthClosed of its month: a closed month never changes');
  if (event.type === 'MonthClosed') {
    const settlement =
      state.status === 'open' && event.data.parts === undefined
        ? settlementFromJson(event.data) // the first layout
        : joined(state.status === 'closing' ? state : NO_PARTS, event);
    return {
      status: 'closed',
      settlement,
      inputDigest: String(event.data.inputDigest),
      closedBy: String(event.data.closedBy),
    };
  }
  const part = MONTH_PARTS.find((p) => p.type === event.type);
  if (part === undefined) return state;
  const run = event.data[part.list];
  if (!Array.isArray(run)) throw new CodecError(`${event.type}.${part.list}`, 'expected a list');
  const known = state.status === 'closing' ? state : NO_PARTS;
  return {
    status: 'closing',
    events: known.events + 1,
    lists: { ...known.lists, [part.list]: [...known.lists[part.list], ...run] },
  };
};

export const monthDecider: Decider<MonthCommand, MonthEvent, MonthState> = { decide, evolve, initialState };
