/**
 * Search of the books (電子帳簿保存法: 取引年月日, 取引金額 and 取引先, combined): every invoice,
 * payment statement, transfer and journal line of every close, one row each in the query table
 * `search_records` (projection `search`, folded from the close's part events), indexed by date,
 * amount and counterparty.
 *
 * - Date: an invoice's issue date, a statement's (the close's Tokyo day), a transfer's pay day, a
 *   journal line's entry date; a range `from`–`to` (instants) takes each Tokyo day it overlaps.
 * - Amount: an invoice's amount due, a statement's and a transfer's payable, a journal line's
 *   amount (tax included); `minYen` ≤ amount ≤ `maxYen`.
 * - Counterparty: a business by its name as the invoice names it (partial, case-insensitive); a
 *   member (statements, transfers, contractors' and employees' journal lines) by her name as
 *   identity gives it to the asker (`PersonNames`: never stored here): a forgotten member's name
 *   is redacted, so it matches nothing and shows as （削除済み）; a member also matches her own id.
 * - Combined with AND; a coordinator's scope keeps her regions; ordered by date, kind, document id
 *   (stable), at most `limit` records.
 */
import type { ProjectedEvent, TableProjection, TableRows } from '@workshare/eventsourcing';
import { monthClose } from '@workshare/settlement';
import { tokyoDate } from '@workshare/time';
import type { PersonalText, SearchRecord } from '../contract.js';
import { journalLineId } from '../domain/reconciliation.js';
import { REDACTED_TEXT, WITHHELD_TEXT } from '../domain/tables.js';
import type { AuditQueryDeps, AuditScope, ParsedSearch, PersonNames } from './ports.js';

export const SEARCH_PROJECTION_NAME = 'search';

export const searchProjection: TableProjection = {
  definition: { name: SEARCH_PROJECTION_NAME, version: 1, categories: ['settlement'] },
  tables: [
    {
      name: 'search_records',
      columns: [
        { name: 'kind', type: 'text' },
        { name: 'document_id', type: 'text' },
        { name: 'region_id', type: 'text' },
        { name: 'month', type: 'text' },
        { name: 'date', type: 'text' },
        { name: 'amount_yen', type: 'bigint' },
        { name: 'counterparty_kind', type: 'text' },
        { name: 'counterparty_id', type: 'text' },
        { name: 'counterparty_name', type: 'text', nullable: true },
        { name: 'stream', type: 'text' },
        { name: 'commit_pos', type: 'bigint' },
        { name: 'prepare_pos', type: 'bigint' },
      ],
      key: ['kind', 'document_id'],
      indexes: [
        { name: 'search_records_date', on: '(date, kind, document_id)' },
        { name: 'search_records_amount', on: '(amount_yen)' },
        { name: 'search_records_counterparty', on: '(counterparty_kind, counterparty_id)' },
      ],
    },
  ],
  project: (page) => projectSearch(page),
};

const yenOf = (value: unknown): bigint => (typeof value === 'string' && /^-?\d+$/.test(value) ? BigInt(value) : 0n);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

type Item = Record<string, unknown>;
const items = (data: unknown, list: string): Item[] => {
  const value = (data as Record<string, unknown> | null)?.[list];
  return Array.isArray(value) ? (value as Item[]) : [];
};

/** One page of the log → the search's rows (pure): the documents of each close's part events. */
export const projectSearch = (page: readonly ProjectedEvent[]): TableRows => {
  const rows: unknown[][] = [];
  for (const event of page) {
    const ref = monthClose.monthOfStream(event.streamName);
    if (ref === undefined) continue;
    const { regionId, month } = ref;
    const base = (
      kind: SearchRecord['kind'],
      id: string,
      date: string,
      amount: bigint,
      cpKind: 'business' | 'member',
      cpId: string,
      cpName: string | null,
    ) =>
      rows.push([
        kind,
        id,
        regionId,
        month,
        date,
        amount,
        cpKind,
        cpId,
        cpName,
        event.streamName,
        event.position.commit,
        event.position.prepare,
      ]);
    const closeDay = tokyoDate(event.occurredAt);
    switch (event.type) {
      case 'InvoicesIssued':
        for (const i of items(event.data, 'invoices')) {
          const recipient = (i.recipient ?? {}) as Item;
          base(
            'invoice',
            str(i.invoiceNumber),
            str(i.issueDate) || closeDay,
            yenOf(i.amountDueYen),
            'business',
            str(recipient.businessId),
            str(recipient.name),
          );
        }
        break;
      case 'StatementsIssued':
        for (const s of items(event.data, 'statements')) {
          const payable = yenOf(s.payableYen);
          base('statement', str(s.statementNumber), closeDay, payable, 'member', str(s.memberId), null);
          if (s.contractType === 'contractor' && payable > 0n) {
            const payDay = str(((s.payTiming ?? {}) as Item).payDay);
            base(
              'transfer',
              `${str(s.statementNumber)}/振込`,
              payDay || closeDay,
              payable,
              'member',
              str(s.memberId),
              null,
            );
          }
        }
        break;
      case 'JournalRecorded':
        for (const e of items(event.data, 'journal')) {
          const lines = Array.isArray(e.lines) ? (e.lines as Item[]) : [];
          const sale = e.kind === 'sale' || e.kind === 'sale_return';
          lines.forEach((line, index) =>
            base(
              'journal',
              journalLineId(regionId, month, Number(e.number), index),
              str(e.date) || closeDay,
              yenOf(line.amountYen),
              sale ? 'business' : 'member',
              sale ? '' : str(e.counterparty),
              sale ? str(e.counterparty) : null,
            ),
          );
        }
        break;
      default:
        break;
    }
  }
  return new Map([['search_records', rows]]);
};

interface SearchRow {
  kind: SearchRecord['kind'];
  document_id: string;
  region_id: string;
  month: string;
  date: string;
  amount_yen: string | number;
  counterparty_kind: 'business' | 'member';
  counterparty_id: string;
  counterparty_name: string | null;
  stream: string;
  commit_pos: string | number;
  prepare_pos: string | number;
}

/** The fragment as LIKE matches it literally (`%`, `_` and `\` escaped). */
const likeFragment = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const matches = (name: PersonalText | undefined, fragment: string): boolean =>
  name?.kind === 'text' && name.text.toLowerCase().includes(fragment.toLowerCase());

const shown = (name: PersonalText | undefined, id: string): string =>
  name === undefined ? id : name.kind === 'text' ? name.text : name.kind === 'redacted' ? REDACTED_TEXT : WITHHELD_TEXT;

export interface SearchDeps extends AuditQueryDeps {
  /** Members' names as identity gives them to the asker; without it a member is found by her id only and shown by it. */
  readonly names?: PersonNames;
}

export class Searches {
  constructor(private readonly deps: SearchDeps) {}

  /** The records matching every criterion given (see the module's comment). */
  async search(
    q: ParsedSearch,
    scope: AuditScope,
    asker: { readonly token?: string | undefined } = {},
  ): Promise<{ readonly records: SearchRecord[] }> {
    const t = this.deps.tables(SEARCH_PROJECTION_NAME);
    await t.ensureFresh();
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (q.from !== undefined) where.push(`date >= ${param(tokyoDate(q.from))}`);
    // A Tokyo day overlaps [from, to) when it begins before `to`: up to the day of the last millisecond before it.
    if (q.to !== undefined) where.push(`date <= ${param(tokyoDate(new Date(q.to.getTime() - 1)))}`);
    if (q.minYen !== undefined) where.push(`amount_yen >= ${param(q.minYen)}::bigint`);
    if (q.maxYen !== undefined) where.push(`amount_yen <= ${param(q.maxYen)}::bigint`);
    if (scope.kind === 'regions') where.push(`region_id = ANY(${param([...scope.regionIds])}::text[])`);
    const fragment = q.counterparty?.trim();
    let names = new Map<string, PersonalText>();
    if (fragment !== undefined && fragment !== '') {
      // Members whose name (as the asker may read it) holds the fragment, among those the other criteria leave.
      let memberIds: string[] = [];
      if (this.deps.names !== undefined) {
        const candidates = await t.query<{ counterparty_id: string }>(
          `SELECT DISTINCT counterparty_id FROM ${t.table('search_records')} WHERE counterparty_kind = 'member'${where.length > 0 ? ` AND ${where.join(' AND ')}` : ''}`,
          params,
        );
        names = await this.deps.names.names(
          candidates.map((c) => c.counterparty_id),
          asker,
        );
        memberIds = candidates.map((c) => c.counterparty_id).filter((id) => matches(names.get(id), fragment));
      }
      where.push(
        `((counterparty_kind = 'business' AND counterparty_name ILIKE ${param(likeFragment(fragment))}) OR (counterparty_kind = 'member' AND (counterparty_id = ANY(${param(memberIds)}::text[]) OR counterparty_id = ${param(fragment)})))`,
      );
    }
    const rows = await t.query<SearchRow>(
      `SELECT kind, document_id, region_id, month, date, amount_yen::text AS amount_yen, counterparty_kind, counterparty_id,
              counterparty_name, stream, commit_pos::text AS commit_pos, prepare_pos::text AS prepare_pos
       FROM ${t.table('search_records')}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}
       ORDER BY date, kind, document_id LIMIT ${param(q.limit)}::integer`,
      params,
    );
    const unnamed = [
      ...new Set(
        rows
          .filter((r) => r.counterparty_kind === 'member' && !names.has(r.counterparty_id))
          .map((r) => r.counterparty_id),
      ),
    ];
    if (unnamed.length > 0 && this.deps.names !== undefined)
      for (const [id, name] of await this.deps.names.names(unnamed, asker)) names.set(id, name);
    return {
      records: rows.map((r) => ({
        date: r.date,
        kind: r.kind,
        documentId: r.document_id,
        regionId: r.region_id,
        month: r.month,
        counterparty:
          r.counterparty_kind === 'business'
            ? (r.counterparty_name ?? r.counterparty_id)
            : shown(names.get(r.counterparty_id), r.counterparty_id),
        amountYen: Number(r.amount_yen),
        stream: r.stream,
        position: `${r.commit_pos}/${r.prepare_pos}`,
      })),
    };
  }
}
