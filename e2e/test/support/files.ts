/**
 * The files of a closed month read as an outside program reads them: a bank's reader of the
 * Zengin 総合振込 layout, the importers of 弥生, Money Forward and freee, a payroll program.
 * Written here from the published layouts (120-byte records; the vendors' columns), with
 * iconv-lite for Shift_JIS, never with settlement's own writers or parsers.
 */
import iconv from 'iconv-lite';

// ---- encodings ------------------------------------------------------------------------------

const BOM = [0xef, 0xbb, 0xbf];

/** Shift_JIS text that comes back to the same bytes (no byte it could not read, no U+FFFD). */
export const decodeShiftJis = (bytes: Uint8Array): string => {
  const text = iconv.decode(Buffer.from(bytes), 'Shift_JIS');
  if (text.includes('\uFFFD')) throw new Error('not Shift_JIS: a byte sequence does not decode');
  if (!Buffer.from(iconv.encode(text, 'Shift_JIS')).equals(Buffer.from(bytes)))
    throw new Error('not Shift_JIS: the text does not encode back to the same bytes');
  return text;
};

export const hasUtf8Bom = (bytes: Uint8Array): boolean => BOM.every((b, i) => bytes[i] === b);

/** UTF-8 after its BOM, strictly (a malformed sequence throws). */
export const decodeUtf8WithBom = (bytes: Uint8Array): string => {
  if (!hasUtf8Bom(bytes)) throw new Error('no UTF-8 BOM');
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(BOM.length));
};

// ---- CSV (RFC 4180) -------------------------------------------------------------------------

export interface Csv {
  readonly rows: string[][];
  /** Every row ended with CRLF (the last one too). */
  readonly crlf: boolean;
}

export const parseCsv = (text: string): Csv => {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let crlf = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      else crlf = false;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new Error('a quoted CSV field is not closed');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
    crlf = false;
  }
  return { rows, crlf };
};

// ---- Zengin 総合振込 ---------------------------------------------------------------------------

export const ZENGIN_RECORD_BYTES = 120;

export interface ZenginTransfer {
  readonly bankCode: string;
  readonly branchCode: string;
  readonly accountType: string;
  readonly accountNumber: string;
  readonly holder: string;
  readonly amountYen: bigint;
  /** 顧客コード1: the statement it pays (`YYYYMMnnnn`). */
  readonly customerCode: string;
}

export interface ZenginFile {
  /** The データ区分 of each record, in order: `1`, `2`…, `8`, `9`. */
  readonly kinds: string;
  readonly header: {
    readonly typeCode: string;
    readonly codeDivision: string;
    readonly requesterCode: string;
    readonly requesterName: string;
    /** 振込指定日, MMDD. */
    readonly transferDate: string;
    readonly bankCode: string;
    readonly branchCode: string;
    readonly accountNumber: string;
  };
  readonly transfers: readonly ZenginTransfer[];
  readonly trailer: { readonly count: number; readonly totalYen: bigint };
}

/**
 * The file as a bank reads it: records of exactly 120 bytes, each followed by CRLF, every
 * character one byte of Shift_JIS; header (1), data (2), trailer (8), end (9). Fields by their
 * 1-based positions in the 全銀協 layout. Throws, naming the record, on a framing problem.
 */
export const readZenginFile = (bytes: Uint8Array): ZenginFile => {
  const line = ZENGIN_RECORD_BYTES + 2;
  if (bytes.length === 0 || bytes.length % line !== 0)
    throw new Error(`${bytes.length} bytes: not records of ${ZENGIN_RECORD_BYTES} bytes + CRLF`);
  const records: string[] = [];
  for (let at = 0; at < bytes.length; at += line) {
    const number = at / line + 1;
    if (bytes[at + ZENGIN_RECORD_BYTES] !== 0x0d || bytes[at + ZENGIN_RECORD_BYTES + 1] !== 0x0a)
      throw new Error(`record ${number} does not end with CRLF after ${ZENGIN_RECORD_BYTES} bytes`);
    const record = bytes.subarray(at, at + ZENGIN_RECORD_BYTES);
    if (record.includes(0x0d) || record.includes(0x0a)) throw new Error(`record ${number} holds a line break`);
    const text = decodeShiftJis(record);
    if (text.length !== ZENGIN_RECORD_BYTES)
      throw new Error(`record ${number}: ${text.length} characters in 120 bytes (a character is not one byte)`);
    records.push(text);
  }
  const field = (record: string, start: number, length: number) => record.slice(start - 1, start - 1 + length);
  const digits = (record: string, start: number, length: number, what: string): string => {
    const value = field(record, start, length);
    if (!/^\d+$/.test(value)) throw new Error(`${what} ${JSON.stringify(value)} is not ${length} digits`);
    return value;
  };
  const kinds = records.map((r) => r[0]).join('');
  if (!/^12+89$/.test(kinds)) throw new Error(`records ${kinds}: not a header, data records, a trailer, an end`);
  const header = records[0]!;
  const trailer = records[records.length - 2]!;
  return {
    kinds,
    header: {
      typeCode: field(header, 2, 2),
      codeDivision: field(header, 4, 1),
      requesterCode: digits(header, 5, 10, '振込依頼人コード'),
      requesterName: field(header, 15, 40).trimEnd(),
      transferDate: digits(header, 55, 4, '振込指定日'),
      bankCode: digits(header, 59, 4, '仕向銀行番号'),
      branchCode: digits(header, 78, 3, '仕向支店番号'),
      accountNumber: digits(header, 97, 7, '口座番号(依頼人)'),
    },
    transfers: records.slice(1, -2).map((r) => ({
      bankCode: digits(r, 2, 4, '被仕向銀行番号'),
      branchCode: digits(r, 21, 3, '被仕向支店番号'),
      accountType: field(r, 43, 1),
      accountNumber: digits(r, 44, 7, '口座番号'),
      holder: field(r, 51, 30).trimEnd(),
      amountYen: BigInt(digits(r, 81, 10, '振込金額')),
      customerCode: digits(r, 92, 10, '顧客コード1'),
    })),
    trailer: {
      count: Number(digits(trailer, 2, 6, '合計件数')),
      totalYen: BigInt(digits(trailer, 8, 12, '合計金額')),
    },
  };
};

// ---- journals -------------------------------------------------------------------------------

export interface JournalLine {
  readonly side: 'debit' | 'credit';
  /** The account's name in the file (売上高, 外注費, 普通預金...). */
  readonly account: string;
  readonly subAccount: string;
  readonly amountYen: bigint;
  readonly taxYen: bigint;
}

/** One entry (仕訳) of a double-entry journal: its lines and its 摘要. */
export interface JournalEntry {
  readonly date: string;
  readonly description: string;
  readonly lines: JournalLine[];
}

const yen = (text: string, what: string): bigint => {
  if (!/^-?\d+$/.test(text)) throw new Error(`${what} ${JSON.stringify(text)} is not whole yen`);
  return BigInt(text);
};

/** The lines of one side (account, sub-account, amount, tax), or none when its account is blank. */
const side = (
  fields: readonly string[],
  s: JournalLine['side'],
  at: { account: number; subAccount: number; amount: number; tax: number },
): JournalLine[] =>
  fields[at.account] === ''
    ? []
    : [
        {
          side: s,
          account: fields[at.account]!,
          subAccount: fields[at.subAccount]!,
          amountYen: yen(fields[at.amount]!, `${s} amount`),
          taxYen: yen(fields[at.tax]!, `${s} tax`),
        },
      ];

/** 弥生インポート形式: 25 fields a row, no header; 2000 a one-row entry, 2110…2100…2101 a slip. */
export const YAYOI_FIELDS = 25;

export const readYayoiJournal = (rows: readonly string[][]): JournalEntry[] => {
  const entries: JournalEntry[] = [];
  let open: JournalEntry | undefined;
  rows.forEach((fields, index) => {
    if (fields.length !== YAYOI_FIELDS) throw new Error(`弥生 row ${index + 1} has ${fields.length} fields`);
    const lines = [
      ...side(fields, 'debit', { account: 4, subAccount: 5, amount: 8, tax: 9 }),
      ...side(fields, 'credit', { account: 10, subAccount: 11, amount: 14, tax: 15 }),
    ];
    const flag = fields[0];
    if (flag === '2000' || flag === '2110') {
      if (open) throw new Error(`弥生 row ${index + 1}: a slip is not closed`);
      open = { date: fields[3]!, description: fields[16]!, lines };
    } else if (flag === '2100' || flag === '2101') {
      if (!open) throw new Error(`弥生 row ${index + 1}: ${flag} outside a slip`);
      open.lines.push(...lines);
    } else throw new Error(`弥生 row ${index + 1}: 識別フラグ ${flag}`);
    if (flag === '2000' || flag === '2101') {
      entries.push(open);
      open = undefined;
    }
  });
  if (open) throw new Error('弥生: the last slip is not closed');
  return entries;
};

/** Money Forward's 仕訳帳 import: its header row, the rows of one entry sharing 取引No. */
export const readMoneyForwardJournal = (header: readonly string[], rows: readonly string[][]): JournalEntry[] => {
  const col = (name: string) => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`Money Forward: no column ${name}`);
    return at;
  };
  const number = col('取引No');
  const debit = {
    account: col('借方勘定科目'),
    subAccount: col('借方補助科目'),
    amount: col('借方金額(円)'),
    tax: col('借方税額'),
  };
  const credit = {
    account: col('貸方勘定科目'),
    subAccount: col('貸方補助科目'),
    amount: col('貸方金額(円)'),
    tax: col('貸方税額'),
  };
  const byNumber = new Map<string, JournalEntry>();
  rows.forEach((fields, index) => {
    if (fields.length !== header.length) throw new Error(`Money Forward row ${index + 2} has ${fields.length} fields`);
    const lines = [...side(fields, 'debit', debit), ...side(fields, 'credit', credit)];
    const entry = byNumber.get(fields[number]!);
    if (entry) entry.lines.push(...lines);
    else byNumber.set(fields[number]!, { date: fields[col('取引日')]!, description: fields[col('摘要')]!, lines });
  });
  return [...byNumber.values()];
};

/** A freee 取引: its detail rows signed (+ on the deal's own side), and what the bank settled. */
export interface FreeeDeal {
  readonly kind: '収入' | '支出';
  readonly number: string;
  readonly description: string;
  readonly details: {
    readonly account: string;
    readonly subAccount: string;
    readonly amountYen: bigint;
    readonly taxYen: bigint;
  }[];
  /** 決済金額 (paid from or into 普通預金), or null when the deal is left open (売掛金, 未払金). */
  readonly settledYen: bigint | null;
}

/** freee's 取引インポート: its header row; a deal's first row carries 収支区分, continuation rows leave it blank. */
export const readFreeeDeals = (header: readonly string[], rows: readonly string[][]): FreeeDeal[] => {
  const col = (name: string) => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`freee: no column ${name}`);
    return at;
  };
  const deals: FreeeDeal[] = [];
  rows.forEach((fields, index) => {
    if (fields.length !== header.length) throw new Error(`freee row ${index + 2} has ${fields.length} fields`);
    const kind = fields[col('収支区分')]!;
    if (kind !== '') {
      if (kind !== '収入' && kind !== '支出') throw new Error(`freee row ${index + 2}: 収支区分 ${kind}`);
      const account = fields[col('決済口座')]!;
      deals.push({
        kind,
        number: fields[col('管理番号')]!,
        description: fields[col('備考')]!,
        details: [],
        settledYen: account === '' ? null : yen(fields[col('決済金額')]!, '決済金額'),
      });
    }
    const deal = deals[deals.length - 1];
    if (!deal) throw new Error(`freee row ${index + 2}: a detail row before any deal`);
    const tax = fields[col('税額')]!;
    deal.details.push({
      account: fields[col('勘定科目')]!,
      subAccount: fields[col('品目')]!,
      amountYen: yen(fields[col('金額')]!, '金額'),
      taxYen: tax === '' ? 0n : yen(tax, '税額'),
    });
  });
  return deals;
};
