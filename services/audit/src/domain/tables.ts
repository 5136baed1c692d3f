/**
 * Every answer of the audit as one table (AuditTable): what the CLI prints, the CSV exports
 * write (encodeCsv of @workshare/files, UTF-8 or Shift_JIS) and the page offers to download.
 * Pure. Column headers in Japanese with English where it helps (`日時 (JST)`); times in Asia/Tokyo
 * (`2026-11-04 09:30`) beside their UTC instant where the row is an event; yen as plain integers
 * (no separators, no ¥: a spreadsheet reads them as numbers); a personal text as its text,
 * `（削除済み）` when its owner was forgotten (redacted), `（非表示）` when the asker may not
 * read it (withheld); no value as an empty field.
 */
import { tokyoTime } from '@workshare/time';
import type {
  AuditActor,
  AuditQueryKind,
  AuditResults,
  AuditTable,
  HandOffRecord,
  HistoryEntry,
  Holding,
  PersonalText,
} from '../contract.js';

export const REDACTED_TEXT = '（削除済み）';
export const WITHHELD_TEXT = '（非表示）';

/** A personal text as a table shows it. */
export const personalText = (text: PersonalText | null): string =>
  text === null ? '' : text.kind === 'text' ? text.text : text.kind === 'redacted' ? REDACTED_TEXT : WITHHELD_TEXT;

/** An ISO instant as Tokyo wall-clock time to the minute, `2026-11-04 09:30`; empty for none. */
export const tokyoMinute = (iso: string | null): string => {
  if (iso === null || iso === '') return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return tokyoTime(at).slice(0, 16).replace('T', ' ');
};

const actorText = (actor: AuditActor | null): string => {
  if (actor === null) return '';
  const name = actor.name === null ? '' : personalText(actor.name);
  return [name || actor.id, actor.role ? `(${actor.role})` : ''].filter((s) => s !== '').join(' ');
};

/** A value of an event's data or a correction as one field: strings as they are, the rest as JSON. */
const valueText = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (isPersonalText(value)) return personalText(value);
  return JSON.stringify(value, (_key, v: unknown) => (isPersonalText(v) && v.kind !== 'text' ? personalText(v) : v));
};

const isPersonalText = (value: unknown): value is PersonalText => {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  const keys = Object.keys(value);
  return (
    (kind === 'text' && typeof (value as { text?: unknown }).text === 'string' && keys.length === 2) ||
    ((kind === 'redacted' || kind === 'withheld') && keys.length === 1)
  );
};

const int = (n: number | null): string => (n === null ? '' : String(n));

const KIND_LABEL: Readonly<Record<string, string>> = {
  invoice: '請求書 (invoice)',
  statement: '支払通知書 (statement)',
  transfer: '振込 (transfer)',
  journal: '仕訳 (journal line)',
};

const historyTable = (entries: readonly HistoryEntry[]): AuditTable => ({
  columns: [
    '日時 (JST)',
    'UTC',
    '記録日時 (recorded, UTC)',
    '種類 (type)',
    '内容 (summary)',
    '実行者 (actor)',
    '理由 (reason)',
    'ストリーム (stream)',
    '版 (version)',
    '位置 (position)',
    'データ (data)',
  ],
  rows: entries.map((e) => [
    e.occurredAtTokyo || tokyoMinute(e.occurredAt),
    e.occurredAt,
    e.recordedAt,
    e.type,
    e.summary,
    actorText(e.actor),
    personalText(e.reason),
    e.stream,
    String(e.version),
    e.position,
    valueText(e.data),
  ]),
});

const HOLDING_COLUMNS = [
  '担当者 (member)',
  '氏名 (name)',
  '開始 (JST)',
  '終了 (JST)',
  '開始 (UTC)',
  '終了 (UTC)',
  '位置 (position)',
];
const holdingRow = (h: Holding): string[] => [
  h.memberId,
  personalText(h.memberName),
  tokyoMinute(h.from),
  tokyoMinute(h.to),
  h.from,
  h.to ?? '',
  h.position,
];

const HAND_OFF_COLUMNS = [
  '日時 (JST)',
  'UTC',
  '地域 (region)',
  'ジョブ (job)',
  'タスク (task)',
  '引き渡した人 (from)',
  '引き継いだ人 (to)',
  '操作者 (by)',
  '理由 (reason)',
  '進捗メモ (progress note)',
  '位置 (position)',
];
const handOffRow = (h: HandOffRecord): string[] => [
  h.atTokyo || tokyoMinute(h.at),
  h.at,
  h.regionId,
  h.jobId,
  h.taskId,
  h.fromMemberId,
  h.toMemberId ?? '',
  h.by,
  personalText(h.reason),
  personalText(h.progressNote),
  h.position,
];

type Tabulator<K extends AuditQueryKind> = (result: AuditResults[K]) => AuditTable;

const TABULATORS: { readonly [K in AuditQueryKind]: Tabulator<K> } = {
  history: (r) => historyTable(r.entries),
  whoHeld: (r) => ({
    columns: ['タスク (task)', 'ジョブ (job)', '時点 (JST)', '時点 (UTC)', ...HOLDING_COLUMNS],
    rows: [
      [
        r.taskId,
        r.jobId ?? '',
        tokyoMinute(r.at),
        r.at,
        ...(r.holder === null ? ['（担当者なし）', '', '', '', '', '', ''] : holdingRow(r.holder)),
      ],
    ],
  }),
  jobTimeline: (r) => ({
    columns: [
      'ジョブ (job)',
      '件名 (title)',
      '地域 (region)',
      'タスク (task)',
      'タスク名 (task title)',
      '区分 (row)',
      '担当者 (member)',
      '氏名 (name)',
      '開始 (JST)',
      '終了 (JST)',
      '開始 (UTC)',
      '終了 (UTC)',
      '引き継いだ人 (to)',
      '理由 (reason)',
      '進捗メモ (progress note)',
      '位置 (position)',
    ],
    rows: r.tasks.flatMap((t) => {
      const head = [r.jobId, r.title, r.regionId, t.taskId, t.title];
      return [
        ...t.spans.map((s) => [
          ...head,
          '担当 (held)',
          s.memberId,
          personalText(s.memberName),
          tokyoMinute(s.from),
          tokyoMinute(s.to),
          s.from,
          s.to ?? '',
          '',
          '',
          '',
          s.position,
        ]),
        ...t.handOffs.map((h) => [
          ...head,
          '引き継ぎ (hand-off)',
          h.fromMemberId,
          '',
          h.atTokyo || tokyoMinute(h.at),
          '',
          h.at,
          '',
          h.toMemberId ?? '',
          personalText(h.reason),
          personalText(h.progressNote),
          h.position,
        ]),
      ];
    }),
  }),
  handOffs: (r) => ({ columns: HAND_OFF_COLUMNS, rows: r.handOffs.map(handOffRow) }),
  reconciliation: (r) => ({
    columns: [
      '地域 (region)',
      '月 (month)',
      '締め (closed)',
      '書類 (document)',
      '書類番号 (id)',
      '取引先 (counterparty)',
      '書類の金額 (円)',
      '事実からの金額 (traced, 円)',
      '差額 (difference, 円)',
      '根拠 (source)',
      'ジョブ (job)',
      'タスク (task)',
      '担当者 (member)',
      '承認時間 (分)',
      '根拠の金額 (円)',
      '時間記録 (entries)',
    ],
    rows: [
      ...r.documents.flatMap((d) => {
        const head = [
          r.regionId,
          r.month,
          r.closed ? '締め済み' : '未締め',
          KIND_LABEL[d.kind] ?? d.kind,
          d.id,
          d.counterparty,
          int(d.amountYen),
          int(d.tracedYen),
          int(d.differenceYen),
        ];
        if (d.sources.length === 0) return [[...head, '（根拠なし）', '', '', '', '', '', '']];
        return d.sources.map((s) => [
          ...head,
          s.note,
          s.jobId ?? '',
          s.taskId ?? '',
          s.memberId ?? '',
          int(s.minutes),
          int(s.amountYen),
          s.entryIds.join(' '),
        ]);
      }),
      ...r.differences.map((d) => [
        r.regionId,
        r.month,
        r.closed ? '締め済み' : '未締め',
        '差異 (difference)',
        d.documentId ?? '',
        '',
        '',
        '',
        int(d.differenceYen),
        d.explanation,
        '',
        '',
        '',
        '',
        '',
        '',
      ]),
    ],
  }),
  streamAsOf: (r) => {
    const history = historyTable(r.events);
    return {
      columns: ['ストリーム (stream)', '時点 (JST)', '時点 (UTC)', 'その時点の版 (version)', ...history.columns],
      rows: [
        ...history.rows.map((row) => [r.stream, tokyoMinute(r.at), r.at, int(r.version), ...row]),
        [
          r.stream,
          tokyoMinute(r.at),
          r.at,
          int(r.version),
          '',
          '',
          '',
          '状態 (state)',
          valueText(r.state),
          '',
          '',
          '',
          '',
          '',
          '',
        ],
      ],
    };
  },
  search: (r) => ({
    columns: [
      '取引年月日 (date)',
      '書類 (document)',
      '書類番号 (id)',
      '取引先 (counterparty)',
      '取引金額 (円)',
      '地域 (region)',
      '月 (month)',
      'ストリーム (stream)',
      '位置 (position)',
    ],
    rows: r.records.map((s) => [
      s.date,
      KIND_LABEL[s.kind] ?? s.kind,
      s.documentId,
      s.counterparty,
      int(s.amountYen),
      s.regionId,
      s.month,
      s.stream,
      s.position,
    ]),
  }),
  corrections: (r) => ({
    columns: [
      '日時 (JST)',
      'UTC',
      '種類 (type)',
      '実行者 (actor)',
      '理由 (reason)',
      '項目 (field)',
      '訂正前 (before)',
      '訂正後 (after)',
      'ストリーム (stream)',
      '版 (version)',
      '位置 (position)',
    ],
    rows: r.corrections.flatMap((c) => {
      const changes = c.changes.length > 0 ? c.changes : [{ field: '', before: null, after: null }];
      return changes.map((change) => [
        c.atTokyo || tokyoMinute(c.at),
        c.at,
        c.type,
        actorText(c.actor),
        personalText(c.reason),
        change.field,
        valueText(change.before),
        valueText(change.after),
        c.stream,
        String(c.version),
        c.position,
      ]);
    }),
  }),
  verification: (r) => ({
    columns: [
      '結果 (status)',
      '検証日時 (JST)',
      '検証した件数 (events)',
      '確認した封印 (seals)',
      '最後の封印 (last seal)',
      '封印後の件数 (unsealed)',
      '範囲 (seals)',
      '実行中 (running)',
      '破損の種類 (break)',
      'ストリーム (stream)',
      '版 (version)',
      '位置 (position)',
      'イベント (event)',
      '理由 (reason)',
    ],
    rows: (r.breaks.length > 0 ? r.breaks : [null]).map((b) => [
      r.status === 'intact' ? '改ざんなし (intact)' : '破損あり (broken)',
      tokyoMinute(r.verifiedAt),
      String(r.checkedEvents),
      String(r.sealsChecked),
      r.lastSeal === null ? '' : `#${r.lastSeal.sequence} ${r.lastSeal.position} ${tokyoMinute(r.lastSeal.sealedAt)}`,
      String(r.unsealedEvents),
      `${r.range.fromSeal === null ? '最初' : `#${r.range.fromSeal}`} – ${r.range.toSeal === null ? '最後' : `#${r.range.toSeal}`}`,
      r.running === null ? '' : `${r.running.checkedEvents} 件 (${tokyoMinute(r.running.startedAt)} 開始)`,
      b?.kind ?? '',
      b?.streamName ?? '',
      b === null ? '' : int(b.streamVersion),
      b?.position ?? '',
      b?.eventId ?? '',
      b?.reason ?? '',
    ]),
  }),
  queries: (r) => ({
    columns: ['日時 (JST)', 'UTC', '照会者 (actor)', '照会 (query)', '条件 (parameters)'],
    rows: r.queries.map((q) => [
      tokyoMinute(q.at),
      q.at,
      q.actor,
      q.query,
      Object.entries(q.parameters)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    ]),
  }),
};

/** One answer as a table (see the module's comment). */
export const toAuditTable = <K extends AuditQueryKind>(kind: K, result: AuditResults[K]): AuditTable =>
  (TABULATORS[kind] as Tabulator<K>)(result);

/** How each query kind reads in a file name. */
const FILE_KIND: Readonly<Record<AuditQueryKind, string>> = {
  history: 'history',
  whoHeld: 'who-held',
  jobTimeline: 'timeline',
  handOffs: 'hand-offs',
  reconciliation: 'reconciliation',
  streamAsOf: 'stream',
  search: 'search',
  corrections: 'corrections',
  verification: 'verification',
  queries: 'queries',
};

/** Which of a query's parameters name its file, in order (a history: its subject and id...). */
const FILE_PARTS: Readonly<Record<AuditQueryKind, readonly string[]>> = {
  history: ['subject', 'id'],
  whoHeld: ['taskId'],
  jobTimeline: ['jobId'],
  handOffs: ['regionId'],
  reconciliation: ['regionId', 'month'],
  streamAsOf: ['stream'],
  search: [],
  corrections: [],
  verification: [],
  queries: [],
};

/** One part of a file name: ASCII letters, digits, `.` and `-` only, at most 40 characters. */
const filePart = (value: string): string =>
  value
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 40)
    .replace(/[-.]+$/, '');

/**
 * The file name of an export, saying what it holds: the query and what it was asked of, and the
 * encoding (`audit-reconciliation-fujisato-2026-11-sjis.csv`, `audit-history-job-<id>.csv`).
 */
export const exportFileName = (
  kind: AuditQueryKind,
  query: Readonly<Record<string, unknown>>,
  encoding: 'utf-8' | 'shift_jis',
): string => {
  const parts = FILE_PARTS[kind].flatMap((key) => {
    const value = query[key];
    if (typeof value !== 'string' && typeof value !== 'number') return [];
    const part = filePart(String(value));
    return part === '' ? [] : [part];
  });
  return `${['audit', FILE_KIND[kind], ...parts].join('-')}${encoding === 'shift_jis' ? '-sjis' : ''}.csv`;
};
