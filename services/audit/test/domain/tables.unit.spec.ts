import fc from 'fast-check';
import { decodeShiftJis, decodeUtf8, encodeCsv, parseCsv, shiftJisUnencodable } from '@workshare/files';
import type { AuditQueryKind, AuditResults, HandOffRecord, HistoryEntry, PersonalText } from '../../src/contract.js';
import {
  exportFileName,
  personalText,
  REDACTED_TEXT,
  tokyoMinute,
  toAuditTable,
  WITHHELD_TEXT,
} from '../../src/domain/tables.js';

const text = (t: string): PersonalText => ({ kind: 'text', text: t });
const AT = '2026-11-04T00:30:00.000Z';

const entry: HistoryEntry = {
  position: '120/120',
  stream: 'task-0190b000-0000-7000-8000-000000000001',
  version: 3,
  type: 'TaskHandedOff',
  occurredAt: AT,
  occurredAtTokyo: '2026-11-04 09:30',
  recordedAt: AT,
  actor: { id: 'm-sato', name: text('佐藤 花子'), role: 'member' },
  reason: { kind: 'redacted' },
  summary: 'タスクを引き継ぎ: 佐藤 → 鈴木',
  data: { reason: { kind: 'withheld' }, toMemberId: 'm-suzuki' },
};
const handOff: HandOffRecord = {
  at: AT,
  atTokyo: '2026-11-04 09:30',
  regionId: 'fujisato',
  jobId: 'j-1',
  taskId: 't-1',
  fromMemberId: 'm-sato',
  toMemberId: 'm-suzuki',
  by: 'm-sato',
  reason: text('子どもの発熱'),
  progressNote: { kind: 'withheld' },
  position: '120/120',
};
const holding = {
  memberId: 'm-sato',
  memberName: { kind: 'redacted' } as const,
  from: AT,
  to: null,
  position: '100/100',
};

const RESULTS: { readonly [K in AuditQueryKind]: AuditResults[K] } = {
  history: { entries: [entry], next: null },
  whoHeld: { taskId: 't-1', jobId: 'j-1', at: AT, holder: holding },
  jobTimeline: {
    jobId: 'j-1',
    title: 'カタログ入力',
    regionId: 'fujisato',
    tasks: [{ taskId: 't-1', title: '1/3', spans: [holding], handOffs: [handOff] }],
  },
  handOffs: { handOffs: [handOff] },
  reconciliation: {
    regionId: 'fujisato',
    month: '2026-11',
    closed: true,
    closedAt: AT,
    documents: [
      {
        kind: 'invoice',
        id: 'INV-fujisato-202611-001',
        counterparty: '株式会社あきた商事',
        amountYen: 1_234_567,
        tracedYen: 1_234_560,
        differenceYen: 7,
        sources: [
          {
            jobId: 'j-1',
            taskId: 't-1',
            memberId: null,
            entryIds: ['e-1', 'e-2'],
            minutes: 95,
            amountYen: 1_234_560,
            note: '準委任',
          },
        ],
      },
      {
        kind: 'journal',
        id: 'JNL-fujisato-202611-0001-1',
        counterparty: '幽霊',
        amountYen: 10,
        tracedYen: 0,
        differenceYen: 10,
        sources: [],
      },
    ],
    totals: { invoicedYen: 1_234_567, paidYen: 0, transferredYen: 0, journalDebitYen: 10, journalCreditYen: 0 },
    differences: [{ documentId: 'INV-fujisato-202611-001', differenceYen: 7, explanation: '差額 ¥7' }],
  },
  streamAsOf: { stream: entry.stream, at: AT, version: 3, events: [entry], state: { holder: 'm-suzuki' } },
  search: {
    records: [
      {
        date: '2026-12-01',
        kind: 'statement',
        documentId: 'PAY-fujisato-202611-0001',
        regionId: 'fujisato',
        month: '2026-11',
        counterparty: REDACTED_TEXT,
        amountYen: 98_000,
        stream: 'settlement-fujisato.2026-11',
        position: '9/9',
      },
    ],
  },
  corrections: {
    corrections: [
      {
        at: AT,
        atTokyo: '2026-11-04 09:30',
        stream: 'timesheet-m-sato',
        version: 4,
        type: 'TimeEntryCorrected',
        actor: null,
        reason: text('打刻忘れ'),
        changes: [{ field: 'minutes', before: 60, after: 45 }],
        position: '7/7',
      },
    ],
  },
  verification: {
    status: 'broken',
    checkedEvents: 10,
    sealsChecked: 1,
    lastSeal: { sequence: 1, position: '5/5', sealedAt: AT },
    unsealedEvents: 2,
    breaks: [{ kind: 'changed', streamName: 's-1', streamVersion: 2, position: '3/3', eventId: 'ev', reason: 'hash' }],
    verifiedAt: AT,
    range: { fromSeal: null, toSeal: 1 },
    running: null,
  },
  queries: {
    queries: [
      { at: AT, actor: 'u-accountant', query: 'search', parameters: { minYen: '1000', counterparty: 'あきた' } },
    ],
  },
};

describe('toAuditTable', () => {
  it.each(Object.keys(RESULTS) as AuditQueryKind[])(
    '%s: a header and rows exactly as wide, readable back from its CSV',
    (kind) => {
      const table = toAuditTable(kind, RESULTS[kind] as never);
      expect(table.columns.length).toBeGreaterThan(0);
      for (const row of table.rows) expect(row).toHaveLength(table.columns.length);
      expect(table.rows.length).toBeGreaterThan(0);
      const back = parseCsv(decodeUtf8(encodeCsv(table, 'utf-8')));
      expect(back[0]).toEqual(table.columns);
      expect(back.slice(1)).toEqual(table.rows.map((r) => [...r]));
    },
  );

  it('personal texts: the text, （削除済み） redacted, （非表示） withheld, inside data too', () => {
    expect(personalText(text('病児'))).toBe('病児');
    expect(personalText({ kind: 'redacted' })).toBe(REDACTED_TEXT);
    expect(personalText({ kind: 'withheld' })).toBe(WITHHELD_TEXT);
    const history = toAuditTable('history', RESULTS.history);
    const row = history.rows[0]!;
    expect(row[history.columns.indexOf('理由 (reason)')]).toBe('（削除済み）');
    expect(row[history.columns.indexOf('実行者 (actor)')]).toBe('佐藤 花子 (member)');
    expect(row[history.columns.indexOf('データ (data)')]).toContain('（非表示）');
    const handOffs = toAuditTable('handOffs', RESULTS.handOffs);
    expect(handOffs.rows[0]![handOffs.columns.indexOf('理由 (reason)')]).toBe('子どもの発熱');
    expect(handOffs.rows[0]![handOffs.columns.indexOf('進捗メモ (progress note)')]).toBe('（非表示）');
  });

  it('times in Tokyo beside UTC; yen as plain integers', () => {
    expect(tokyoMinute(AT)).toBe('2026-11-04 09:30');
    expect(tokyoMinute('2026-11-30T15:00:00.000Z')).toBe('2026-12-01 00:00');
    const who = toAuditTable('whoHeld', RESULTS.whoHeld);
    expect(who.columns).toContain('時点 (JST)');
    expect(who.rows[0]![who.columns.indexOf('開始 (JST)')]).toBe('2026-11-04 09:30');
    const recon = toAuditTable('reconciliation', RESULTS.reconciliation);
    expect(recon.rows[0]![recon.columns.indexOf('書類の金額 (円)')]).toBe('1234567');
    expect(recon.rows[0]![recon.columns.indexOf('差額 (difference, 円)')]).toBe('7');
    expect(recon.rows[1]![recon.columns.indexOf('根拠 (source)')]).toBe('（根拠なし）');
    expect(recon.rows.at(-1)![recon.columns.indexOf('根拠 (source)')]).toBe('差額 ¥7');
  });

  it('any hand-off reason: shown as given, and its Shift_JIS export refused naming exactly what Shift_JIS cannot hold, or written', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), (reason) => {
        const table = toAuditTable('handOffs', { handOffs: [{ ...handOff, reason: text(reason) }] });
        expect(table.rows[0]![table.columns.indexOf('理由 (reason)')]).toBe(reason);
        const cannot = shiftJisUnencodable(reason);
        if (cannot.length > 0)
          expect(() => encodeCsv(table, 'shift_jis')).toThrow(
            expect.objectContaining({ code: 'csv.unencodable_character' }),
          );
        else expect(parseCsv(decodeShiftJis(encodeCsv(table, 'shift_jis')))[1]).toHaveLength(table.columns.length);
      }),
    );
  });
});

describe('the file name of an export', () => {
  it('names what the file holds: the query, what it was asked of, the encoding', () => {
    expect(exportFileName('reconciliation', { regionId: 'fujisato', month: '2026-11' }, 'shift_jis')).toBe(
      'audit-reconciliation-fujisato-2026-11-sjis.csv',
    );
    expect(
      exportFileName('history', { subject: 'job', id: '0190b000-0000-7000-8000-000000000001', limit: 200 }, 'utf-8'),
    ).toBe('audit-history-job-0190b000-0000-7000-8000-000000000001.csv');
    expect(exportFileName('whoHeld', { taskId: 'T1', at: '2026-11-04T10:30:00+09:00' }, 'utf-8')).toBe(
      'audit-who-held-T1.csv',
    );
    expect(exportFileName('streamAsOf', { stream: 'schedule-J/1', at: '2026-11-04T10:30:00+09:00' }, 'utf-8')).toBe(
      'audit-stream-schedule-J-1.csv',
    );
    expect(exportFileName('search', { counterparty: '鈴木' }, 'utf-8')).toBe('audit-search.csv');
    expect(exportFileName('queries', { limit: 5 }, 'shift_jis')).toBe('audit-queries-sjis.csv');
  });

  it('is a safe file name, whatever text a query holds', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (regionId, month) => {
        const name = exportFileName('reconciliation', { regionId, month }, 'utf-8');
        expect(name).toMatch(/^audit-reconciliation(-[A-Za-z0-9][A-Za-z0-9.-]{0,39})*\.csv$/);
        expect(name.length).toBeLessThanOrEqual('audit-reconciliation'.length + 2 * 41 + '.csv'.length);
      }),
    );
  });
});
