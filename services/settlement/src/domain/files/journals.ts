/**
 * The month's journal (MonthSettlement.journal) as the import files of three accounting products,
 * each with its own columns, names and encoding (settlement-formats.md §2), and a parser of each
 * that reads the entries back (the tests check them: balanced, and their totals those of the
 * invoices and statements).
 *
 * - 弥生会計 (仕訳日記帳 import, 弥生インポート形式): 25 fields, no header row, Shift_JIS (CP932), CRLF.
 *   An entry of one debit and one credit line is one row with 識別フラグ `2000`; a larger entry is a
 *   slip, its lines paired debit i with credit i on row i: `2110` first row, `2100` middle rows,
 *   `2101` last row. タイプ: `0` on a 2000 row, `3` (振替伝票) on slip rows, as the reference's
 *   example has it. 摘要 = the entry's description on every row; 仕訳メモ = its counterparty.
 * - マネーフォワード クラウド会計 (仕訳帳 import): the 27-column header row of the reference, rows of
 *   one entry share its 取引No (the entry's number) and 取引日, paired like 弥生's; 取引先 on the sides
 *   of the partner's accounts (売掛金, 売上高, 外注費, 給料手当, 未払金), not on 普通預金 / 預り金.
 * - freee会計 (取引インポート): the 21-column header row of the reference; an entry is one 取引
 *   (収支区分 収入 for sales and their returns, 支出 for fees and wages): its 売掛金 (収入) / 未払金
 *   (支出) is left to freee (an unsettled deal), its 普通預金 line becomes 決済日 / 決済口座 / 決済金額,
 *   every other line a detail row (the first on the deal's row, the others on continuation rows
 *   whose deal columns are blank): signed, positive on the deal's own side (credit for 収入, debit
 *   for 支出), negative on the other (預り金 of a fee: `-10210`, as the reference's example). A
 *   subAccount goes to 品目; 管理番号 = the entry's number.
 *
 * Amounts are integer yen, tax included, with the tax in its own column (税抜経理 with 内税 lines).
 * The writers refuse an unbalanced entry (`journal.unbalanced`), a negative amount or tax
 * (`journal.negative_amount`), and, for freee, an entry with no line besides the deal's counter
 * side (`journal.freee_unrepresentable`). Text is written as given (line breaks become spaces,
 * @workshare/files); 弥生's Shift_JIS refuses what it cannot hold (`csv.unencodable_character`).
 *
 * Unverified (settlement-formats.md marks them M or L; the code treats them as stated):
 * - 弥生: `課対仕入内10%区分70%` / `区分50%` / `区分30%` / `区分0%` follow the documented `区分80%`
 *   pattern; タイプ=3 on slip rows (M).
 * - Money Forward: the encoding (UTF-8 with BOM written here; the reference: not confirmed, L); the
 *   インボイス values `70%控除`, `50%控除`, `30%控除`, `0%控除` follow `80%控除`; tax names with a
 *   half-width space (M).
 * - freee: the encoding (UTF-8 with BOM written here; L), the continuation-row convention, negative
 *   amounts on detail rows, 税計算区分 `内税` (blank on 対象外 rows), a negative 収入 deal for a
 *   return, 決済口座 `普通預金` (freee names a registered 口座 here: rename it to yours), subAccount as
 *   品目, and the names `課対仕入(控70)10%`, `(控50)`, `(控30)`, `(控0)` following `(控80)`.
 * A name that is wrong makes the import stop at that row rather than book it under another
 * category: the patterns were chosen so.
 */
import { ValidationError } from '@workshare/eventsourcing';
import type { JournalEntry, JournalLine, MonthSettlement, TaxCategory } from '../model.js';
import {
  csvRows,
  csvText,
  decodeShiftJis,
  decodeUtf8,
  encodeShiftJis,
  encodeUtf8WithBom,
  parseCsv,
} from '@workshare/files';

export type Account = JournalLine['account'];

export type TaxKey =
  | 'none'
  | 'sales_10'
  | 'purchase_10_qualified'
  | 'purchase_10_transitional_80'
  | 'purchase_10_transitional_70'
  | 'purchase_10_transitional_50'
  | 'purchase_10_transitional_30'
  | 'purchase_10_transitional_0';

export const taxKeyOf = (category: TaxCategory): TaxKey =>
  typeof category === 'string' ? category : `purchase_10_transitional_${category.creditPercent}`;

const TRANSITIONAL: Readonly<Record<string, 80 | 70 | 50 | 30 | 0>> = {
  purchase_10_transitional_80: 80,
  purchase_10_transitional_70: 70,
  purchase_10_transitional_50: 50,
  purchase_10_transitional_30: 30,
  purchase_10_transitional_0: 0,
};

export const taxCategoryOf = (key: TaxKey): TaxCategory => {
  const credit = TRANSITIONAL[key];
  return credit === undefined
    ? (key as 'none' | 'sales_10' | 'purchase_10_qualified')
    : { kind: 'purchase_10_transitional', creditPercent: credit };
};

export interface VendorTaxName {
  readonly name: string;
  /** Money Forward's 借方/貸方インボイス value ('' = blank). */
  readonly invoice: string;
  /** Whether the reference confirms the name (false: it follows a documented pattern). */
  readonly verified: boolean;
}

export interface VendorNames {
  readonly accounts: Readonly<Record<Account, string>>;
  readonly tax: Readonly<Record<TaxKey, VendorTaxName>>;
}

const ACCOUNTS_JA: Readonly<Record<Account, string>> = {
  receivable: '売掛金',
  sales: '売上高',
  outsourcing: '外注費',
  bank: '普通預金',
  withholding_payable: '預り金',
  wages: '給料手当',
  accrued: '未払金',
};

const tax = (name: string, verified: boolean, invoice = ''): VendorTaxName => ({ name, invoice, verified });

/** 弥生会計: 税区分 with 内 (税抜・内税) and, since 2023-10, the 請求書区分 suffix. */
export const YAYOI_NAMES: VendorNames = {
  accounts: ACCOUNTS_JA,
  tax: {
    none: tax('対象外', true),
    sales_10: tax('課税売上内10%', true),
    purchase_10_qualified: tax('課対仕入内10%適格', true),
    purchase_10_transitional_80: tax('課対仕入内10%区分80%', true),
    purchase_10_transitional_70: tax('課対仕入内10%区分70%', false),
    purchase_10_transitional_50: tax('課対仕入内10%区分50%', false),
    purchase_10_transitional_30: tax('課対仕入内10%区分30%', false),
    purchase_10_transitional_0: tax('課対仕入内10%区分0%', false),
  },
};

/** マネーフォワード: tax names with a half-width space; the credit in the インボイス column. */
export const MONEY_FORWARD_NAMES: VendorNames = {
  accounts: ACCOUNTS_JA,
  tax: {
    none: tax('対象外', true),
    sales_10: tax('課税売上 10%', true),
    purchase_10_qualified: tax('課税仕入 10%', true, '適格'),
    purchase_10_transitional_80: tax('課税仕入 10%', true, '80%控除'),
    purchase_10_transitional_70: tax('課税仕入 10%', false, '70%控除'),
    purchase_10_transitional_50: tax('課税仕入 10%', false, '50%控除'),
    purchase_10_transitional_30: tax('課税仕入 10%', false, '30%控除'),
    purchase_10_transitional_0: tax('課税仕入 10%', false, '0%控除'),
  },
};

/** freee: name_ja of its tax codes (129, 136, 189, 2; the 控70 codes from 2026-07). */
export const FREEE_NAMES: VendorNames = {
  accounts: ACCOUNTS_JA,
  tax: {
    none: tax('対象外', true),
    sales_10: tax('課税売上10%', true),
    purchase_10_qualified: tax('課対仕入10%', true),
    purchase_10_transitional_80: tax('課対仕入(控80)10%', true),
    purchase_10_transitional_70: tax('課対仕入(控70)10%', false),
    purchase_10_transitional_50: tax('課対仕入(控50)10%', false),
    purchase_10_transitional_30: tax('課対仕入(控30)10%', false),
    purchase_10_transitional_0: tax('課対仕入(控0)10%', false),
  },
};

/** An entry as a file gives it back (弥生 has no entry number: its entries are numbered 1, 2, … in file order). */
export interface ParsedJournalEntry {
  readonly number: number;
  readonly date: string;
  readonly counterparty: string;
  readonly description: string;
  /** Debit lines first, then credit lines, each in file order. */
  readonly lines: readonly JournalLine[];
}

// ---- shared ---------------------------------------------------------------------------------------

const slashDate = (day: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    throw new ValidationError('journal.bad_date', `journal date ${day} is not YYYY-MM-DD`, { day });
  }
  return day.replace(/-/g, '/');
};

const dashDate = (text: string, row: number): string => {
  const match = /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) throw new ValidationError('journal.bad_row', `row ${row}: ${text} is not a date`, { row });
  return `${match[1]}-${match[2]}-${match[3]}`;
};

const yen = (text: string, row: number, what: string): bigint => {
  if (text === '') return 0n;
  if (!/^-?\d+$/.test(text))
    throw new ValidationError('journal.bad_row', `row ${row}: ${what} ${text} is not yen`, { row });
  return BigInt(text);
};

/** Checks an entry before writing: lines, non-negative amounts (when the format has no sign), balance. */
const checkEntry = (entry: JournalEntry, signed: boolean): void => {
  if (entry.lines.length === 0) {
    throw new ValidationError('journal.unbalanced', `journal entry ${entry.number} has no line`, {
      entry: entry.number,
    });
  }
  if (!signed && entry.lines.some((l) => l.amountYen < 0n || l.taxYen < 0n)) {
    throw new ValidationError('journal.negative_amount', `journal entry ${entry.number} has a negative amount`, {
      entry: entry.number,
    });
  }
  const debit = entry.lines.filter((l) => l.side === 'debit').reduce((s, l) => s + l.amountYen, 0n);
  const credit = entry.lines.filter((l) => l.side === 'credit').reduce((s, l) => s + l.amountYen, 0n);
  if (debit !== credit) {
    throw new ValidationError(
      'journal.unbalanced',
      `journal entry ${entry.number}: debit ${debit} is not credit ${credit}`,
      { entry: entry.number, debitYen: debit.toString(), creditYen: credit.toString() },
    );
  }
};

const inverse = <K extends string>(table: Readonly<Record<K, string>>): Map<string, K> =>
  new Map(Object.entries<string>(table).map(([k, v]) => [v, k as K]));

const accountFrom = (names: VendorNames) => {
  const map = inverse(names.accounts);
  return (name: string, row: number): Account => {
    const account = map.get(name);
    if (!account)
      throw new ValidationError('journal.unknown_account', `row ${row}: unknown account ${name}`, { row, name });
    return account;
  };
};

const taxFrom = (names: VendorNames) => {
  const map = new Map<string, TaxKey>();
  for (const [key, value] of Object.entries(names.tax) as [TaxKey, VendorTaxName][]) {
    map.set(`${value.name}\u0000${value.invoice}`, key);
  }
  return (name: string, invoice: string, row: number): TaxCategory => {
    // Money Forward: a blank インボイス on a purchase is set to 適格 by the import (the reference).
    const key = map.get(`${name}\u0000${invoice}`) ?? (invoice === '' ? map.get(`${name}\u0000適格`) : undefined);
    if (!key) {
      throw new ValidationError('journal.unknown_tax_category', `row ${row}: unknown tax category ${name} ${invoice}`, {
        row,
        name,
        invoice,
      });
    }
    return taxCategoryOf(key);
  };
};

/** Lines paired row by row: debit i with credit i. */
const pairs = (entry: JournalEntry): [JournalLine | undefined, JournalLine | undefined][] => {
  const debits = entry.lines.filter((l) => l.side === 'debit');
  const credits = entry.lines.filter((l) => l.side === 'credit');
  return Array.from({ length: Math.max(debits.length, credits.length) }, (_, i) => [debits[i], credits[i]]);
};

const byDebitFirst = (lines: JournalLine[]): JournalLine[] => [
  ...lines.filter((l) => l.side === 'debit'),
  ...lines.filter((l) => l.side === 'credit'),
];

type Journal = Pick<MonthSettlement, 'journal'>;

// ---- 弥生 -----------------------------------------------------------------------------------------

export const YAYOI_FIELDS = 25;

const yayoiSide = (line: JournalLine | undefined): string[] =>
  line
    ? [
        YAYOI_NAMES.accounts[line.account],
        csvText(line.subAccount ?? ''),
        '',
        YAYOI_NAMES.tax[taxKeyOf(line.taxCategory)].name,
        line.amountYen.toString(),
        line.taxYen.toString(),
      ]
    : ['', '', '', '', '0', '0'];

export const writeYayoiJournal = (settlement: Journal): Uint8Array => {
  const rows: string[][] = [];
  for (const entry of settlement.journal) {
    checkEntry(entry, false);
    const paired = pairs(entry);
    paired.forEach(([debit, credit], i) => {
      const single = paired.length === 1;
      const flag = single ? '2000' : i === 0 ? '2110' : i === paired.length - 1 ? '2101' : '2100';
      rows.push([
        flag,
        '', // 伝票No.: numbered by 弥生
        '', // 決算
        slashDate(entry.date),
        ...yayoiSide(debit),
        ...yayoiSide(credit),
        csvText(entry.description), // 摘要
        '', // 番号
        '', // 期日
        single ? '0' : '3', // タイプ: 0 仕訳データ, 3 振替伝票
        '', // 生成元
        csvText(entry.counterparty), // 仕訳メモ
        '0', // 付箋1
        '0', // 付箋2
        'no', // 調整
      ]);
    });
  }
  return encodeShiftJis(csvRows(rows));
};

const readSide = (
  fields: readonly string[],
  at: number,
  side: 'debit' | 'credit',
  row: number,
  account: (name: string, row: number) => Account,
  taxOf: (name: string, row: number) => TaxCategory,
): JournalLine | null => {
  const name = fields[at]!;
  if (name === '') return null;
  return {
    side,
    account: account(name, row),
    subAccount: fields[at + 1] === '' ? null : fields[at + 1]!,
    taxCategory: taxOf(fields[at + 3]!, row),
    amountYen: yen(fields[at + 4]!, row, 'amount'),
    taxYen: yen(fields[at + 5]!, row, 'tax'),
  };
};

export const parseYayoiJournal = (bytes: Uint8Array): ParsedJournalEntry[] => {
  const account = accountFrom(YAYOI_NAMES);
  const taxName = taxFrom(YAYOI_NAMES);
  const taxOf = (name: string, row: number) => taxName(name, '', row);
  const entries: ParsedJournalEntry[] = [];
  let open: { date: string; counterparty: string; description: string; lines: JournalLine[] } | null = null;
  const close = () => {
    if (open) entries.push({ number: entries.length + 1, ...open, lines: byDebitFirst(open.lines) });
    open = null;
  };
  parseCsv(decodeShiftJis(bytes)).forEach((fields, index) => {
    const row = index + 1;
    if (fields[0]?.startsWith('#')) return;
    if (fields.length !== YAYOI_FIELDS) {
      throw new ValidationError('journal.bad_row', `row ${row} has ${fields.length} fields, not ${YAYOI_FIELDS}`, {
        row,
      });
    }
    const flag = fields[0]!;
    const lines = [
      readSide(fields, 4, 'debit', row, account, taxOf),
      readSide(fields, 10, 'credit', row, account, taxOf),
    ].filter((l): l is JournalLine => l !== null);
    const head = { date: dashDate(fields[3]!, row), counterparty: fields[21]!, description: fields[16]!, lines };
    if (flag === '2000' || flag === '2111') {
      if (open) throw new ValidationError('journal.bad_row', `row ${row}: a slip is not closed`, { row });
      open = head;
      close();
    } else if (flag === '2110') {
      if (open) throw new ValidationError('journal.bad_row', `row ${row}: a slip is not closed`, { row });
      open = head;
    } else if (flag === '2100' || flag === '2101') {
      if (!open) throw new ValidationError('journal.bad_row', `row ${row}: ${flag} outside a slip`, { row });
      (open as { lines: JournalLine[] }).lines.push(...lines);
      if (flag === '2101') close();
    } else {
      throw new ValidationError('journal.bad_row', `row ${row}: unknown 識別フラグ ${flag}`, { row });
    }
  });
  if (open) throw new ValidationError('journal.bad_row', 'the last slip is not closed');
  return entries;
};

// ---- Money Forward --------------------------------------------------------------------------------

export const MONEY_FORWARD_HEADER: readonly string[] = [
  '取引No',
  '取引日',
  '借方勘定科目',
  '借方補助科目',
  '借方部門',
  '借方取引先',
  '借方税区分',
  '借方インボイス',
  '借方金額(円)',
  '借方税額',
  '貸方勘定科目',
  '貸方補助科目',
  '貸方部門',
  '貸方取引先',
  '貸方税区分',
  '貸方インボイス',
  '貸方金額(円)',
  '貸方税額',
  '摘要',
  '仕訳メモ',
  'タグ',
  'MF仕訳タイプ',
  '決算整理仕訳',
  '作成日時',
  '作成者',
  '最終更新日時',
  '最終更新者',
];

/** The accounts whose side names the partner (取引先); 普通預金 and 預り金 do not. */
const PARTNER_ACCOUNTS: ReadonlySet<Account> = new Set(['receivable', 'sales', 'outsourcing', 'wages', 'accrued']);

const mfSide = (line: JournalLine | undefined, counterparty: string): string[] => {
  if (!line) return ['', '', '', '', '', '', '0', '0'];
  const taxName = MONEY_FORWARD_NAMES.tax[taxKeyOf(line.taxCategory)];
  return [
    MONEY_FORWARD_NAMES.accounts[line.account],
    csvText(line.subAccount ?? ''),
    '',
    PARTNER_ACCOUNTS.has(line.account) ? csvText(counterparty) : '',
    taxName.name,
    taxName.invoice,
    line.amountYen.toString(),
    line.taxYen.toString(),
  ];
};

export const writeMoneyForwardJournal = (settlement: Journal): Uint8Array => {
  const rows: string[][] = [[...MONEY_FORWARD_HEADER]];
  for (const entry of settlement.journal) {
    checkEntry(entry, false);
    for (const [debit, credit] of pairs(entry)) {
      rows.push([
        String(entry.number),
        slashDate(entry.date),
        ...mfSide(debit, entry.counterparty),
        ...mfSide(credit, entry.counterparty),
        csvText(entry.description),
        ...Array<string>(8).fill(''),
      ]);
    }
  }
  return encodeUtf8WithBom(csvRows(rows));
};

export const parseMoneyForwardJournal = (bytes: Uint8Array): ParsedJournalEntry[] => {
  const account = accountFrom(MONEY_FORWARD_NAMES);
  const taxName = taxFrom(MONEY_FORWARD_NAMES);
  const [header, ...rows] = parseCsv(decodeUtf8(bytes));
  if (!header || header.join(',') !== MONEY_FORWARD_HEADER.join(',')) {
    throw new ValidationError('journal.bad_header', 'the first row is not the Money Forward header');
  }
  const entries: (ParsedJournalEntry & { lines: JournalLine[] })[] = [];
  rows.forEach((fields, index) => {
    const row = index + 2;
    if (fields.length !== MONEY_FORWARD_HEADER.length) {
      throw new ValidationError('journal.bad_row', `row ${row} has ${fields.length} fields`, { row });
    }
    const number = Number(fields[0]);
    const date = dashDate(fields[1]!, row);
    // A side's columns from `at`: 勘定科目, 補助科目, 部門, 取引先, 税区分, インボイス, 金額(円), 税額.
    const side = (at: number, s: 'debit' | 'credit'): JournalLine | null =>
      fields[at] === ''
        ? null
        : {
            side: s,
            account: account(fields[at]!, row),
            subAccount: fields[at + 1] === '' ? null : fields[at + 1]!,
            taxCategory: taxName(fields[at + 4]!, fields[at + 5]!, row),
            amountYen: yen(fields[at + 6]!, row, 'amount'),
            taxYen: yen(fields[at + 7]!, row, 'tax'),
          };
    const lines = [side(2, 'debit'), side(10, 'credit')].filter((l): l is JournalLine => l !== null);
    const partner = fields[5] || fields[13] || '';
    const last = entries[entries.length - 1];
    if (last && last.number === number && last.date === date) {
      last.lines.push(...lines);
      if (last.counterparty === '' && partner !== '') entries[entries.length - 1] = { ...last, counterparty: partner };
    } else {
      entries.push({ number, date, counterparty: partner, description: fields[18]!, lines });
    }
  });
  return entries.map((e) => ({ ...e, lines: byDebitFirst(e.lines) }));
};

// ---- freee ----------------------------------------------------------------------------------------

export const FREEE_HEADER: readonly string[] = [
  '収支区分',
  '管理番号',
  '発生日',
  '決済期日',
  '取引先コード',
  '取引先',
  '勘定科目',
  '税区分',
  '金額',
  '税計算区分',
  '税額',
  '備考',
  '品目',
  '部門',
  'メモタグ（複数指定可、カンマ区切り）',
  'セグメント1',
  'セグメント2',
  'セグメント3',
  '決済日',
  '決済口座',
  '決済金額',
];

type Deal = '収入' | '支出';

const dealOf = (entry: JournalEntry): Deal => (entry.kind === 'sale' || entry.kind === 'sale_return' ? '収入' : '支出');

/** The deal's counter side, left to freee: 売掛金 of an income, 未払金 of an expense (unsettled). */
const OPEN_ACCOUNT: Readonly<Record<Deal, Account>> = { 収入: 'receivable', 支出: 'accrued' };

/** + on the deal's own side (credit for 収入, debit for 支出). */
const dealSign = (deal: Deal, side: JournalLine['side']): bigint =>
  (deal === '収入') === (side === 'credit') ? 1n : -1n;

const isCounterSide = (deal: Deal, line: JournalLine): boolean =>
  (line.account === OPEN_ACCOUNT[deal] || line.account === 'bank') && line.taxCategory === 'none' && line.taxYen === 0n;

export const writeFreeeJournal = (settlement: Journal): Uint8Array => {
  const rows: string[][] = [[...FREEE_HEADER]];
  for (const entry of settlement.journal) {
    checkEntry(entry, true);
    const deal = dealOf(entry);
    const details = entry.lines.filter((l) => !isCounterSide(deal, l));
    if (details.length === 0) {
      throw new ValidationError(
        'journal.freee_unrepresentable',
        `journal entry ${entry.number} has no line besides its ${deal === '収入' ? '売掛金' : '未払金'} and 普通預金: not a freee 取引`,
        { entry: entry.number },
      );
    }
    // 決済金額: the 普通預金 lines, on the counter side's own sign (a debit for 収入, a credit for 支出).
    const settled = entry.lines
      .filter((l) => isCounterSide(deal, l) && l.account === 'bank')
      .reduce((s, l) => s - dealSign(deal, l.side) * l.amountYen, 0n);
    const hasBank = entry.lines.some((l) => isCounterSide(deal, l) && l.account === 'bank');
    details.forEach((line, i) => {
      const sign = dealSign(deal, line.side);
      const taxed = line.taxCategory !== 'none';
      const detail = [
        FREEE_NAMES.accounts[line.account],
        FREEE_NAMES.tax[taxKeyOf(line.taxCategory)].name,
        (sign * line.amountYen).toString(),
        taxed ? '内税' : '',
        taxed || line.taxYen !== 0n ? (sign * line.taxYen).toString() : '',
      ];
      const first = i === 0;
      rows.push([
        first ? deal : '',
        first ? String(entry.number) : '',
        first ? slashDate(entry.date) : '',
        '', // 決済期日
        '', // 取引先コード
        first ? csvText(entry.counterparty) : '',
        ...detail,
        first ? csvText(entry.description) : '', // 備考
        csvText(line.subAccount ?? ''), // 品目
        '', // 部門
        '', // メモタグ
        '',
        '',
        '',
        first && hasBank ? slashDate(entry.date) : '', // 決済日
        first && hasBank ? FREEE_NAMES.accounts.bank : '', // 決済口座
        first && hasBank ? settled.toString() : '', // 決済金額
      ]);
    });
  }
  return encodeUtf8WithBom(csvRows(rows));
};

export const parseFreeeJournal = (bytes: Uint8Array): ParsedJournalEntry[] => {
  const account = accountFrom(FREEE_NAMES);
  const taxName = taxFrom(FREEE_NAMES);
  const [header, ...rows] = parseCsv(decodeUtf8(bytes));
  if (!header || header.join(',') !== FREEE_HEADER.join(',')) {
    throw new ValidationError('journal.bad_header', 'the first row is not the freee 取引 header');
  }
  const deals: { deal: Deal; entry: ParsedJournalEntry & { lines: JournalLine[] }; settled: bigint | null }[] = [];
  rows.forEach((fields, index) => {
    const row = index + 2;
    if (fields.length !== FREEE_HEADER.length) {
      throw new ValidationError('journal.bad_row', `row ${row} has ${fields.length} fields`, { row });
    }
    if (fields[0] !== '') {
      if (fields[0] !== '収入' && fields[0] !== '支出') {
        throw new ValidationError('journal.bad_row', `row ${row}: 収支区分 ${fields[0]}`, { row });
      }
      if (fields[19] !== '' && account(fields[19]!, row) !== 'bank') {
        throw new ValidationError('journal.bad_row', `row ${row}: 決済口座 ${fields[19]}`, { row });
      }
      deals.push({
        deal: fields[0],
        settled: fields[19] === '' ? null : yen(fields[20]!, row, '決済金額'),
        entry: {
          number: Number(fields[1]),
          date: dashDate(fields[2]!, row),
          counterparty: fields[5]!,
          description: fields[11]!,
          lines: [],
        },
      });
    }
    const current = deals[deals.length - 1];
    if (!current) throw new ValidationError('journal.bad_row', `row ${row}: a detail row before any deal`, { row });
    const signed = yen(fields[8]!, row, '金額');
    const signedTax = yen(fields[10]!, row, '税額');
    // A detail on the deal's own side is positive; a negative one is on the other side.
    const ownSide: JournalLine['side'] = current.deal === '収入' ? 'credit' : 'debit';
    const otherSide: JournalLine['side'] = ownSide === 'credit' ? 'debit' : 'credit';
    const negative = signed < 0n || (signed === 0n && signedTax < 0n);
    current.entry.lines.push({
      side: negative ? otherSide : ownSide,
      account: account(fields[6]!, row),
      subAccount: fields[12] === '' ? null : fields[12]!,
      taxCategory: taxName(fields[7]!, '', row),
      amountYen: negative ? -signed : signed,
      taxYen: negative ? -signedTax : signedTax,
    });
  });
  return deals.map(({ deal, entry, settled }) => {
    const lines = [...entry.lines];
    const total = lines.reduce((s, l) => s + dealSign(deal, l.side) * l.amountYen, 0n);
    // The counter side: 普通預金 for the settled part, 売掛金 / 未払金 for the rest.
    const counterSide: JournalLine['side'] = deal === '収入' ? 'debit' : 'credit';
    const back: JournalLine['side'] = counterSide === 'debit' ? 'credit' : 'debit';
    const counter = (account: Account, amount: bigint) => {
      if (amount === 0n) return;
      lines.push({
        side: amount > 0n ? counterSide : back,
        account,
        subAccount: null,
        taxCategory: 'none',
        amountYen: amount > 0n ? amount : -amount,
        taxYen: 0n,
      });
    };
    if (settled !== null) counter('bank', settled);
    counter(OPEN_ACCOUNT[deal], total - (settled ?? 0n));
    return { ...entry, lines: byDebitFirst(lines) };
  });
};

// ---- all three ------------------------------------------------------------------------------------

export type JournalVendor = 'yayoi' | 'money_forward' | 'freee';

export const JOURNAL_WRITERS: Readonly<Record<JournalVendor, (settlement: Journal) => Uint8Array>> = {
  yayoi: writeYayoiJournal,
  money_forward: writeMoneyForwardJournal,
  freee: writeFreeeJournal,
};

export const JOURNAL_PARSERS: Readonly<Record<JournalVendor, (bytes: Uint8Array) => ParsedJournalEntry[]>> = {
  yayoi: parseYayoiJournal,
  money_forward: parseMoneyForwardJournal,
  freee: parseFreeeJournal,
};

/** How each file is encoded (for the download's media type: `text/csv; charset=...`). */
export const JOURNAL_ENCODINGS: Readonly<Record<JournalVendor, 'Shift_JIS' | 'UTF-8'>> = {
  yayoi: 'Shift_JIS',
  money_forward: 'UTF-8',
  freee: 'UTF-8',
};
