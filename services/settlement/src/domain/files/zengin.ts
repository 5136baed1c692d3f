/**
 * 全銀協 総合振込 (種別コード 21, コード区分 0): the transfer file a bank takes to pay the
 * contractors of one closed month. Layout from settlement-formats.md §1 (conf. H): fixed records
 * of 120 bytes, each followed by CRLF (122 bytes a line); a header (データ区分 1), one data record
 * (2) per transfer, a trailer (8) with the count and the sum, an end record (9). `N` fields are
 * digits, right-aligned and zero-filled; `C` fields are half-width characters, left-aligned and
 * space-filled. Encoded in Shift_JIS with iconv-lite (every character written is one byte, which is
 * the same in JIS X 0201 and Shift_JIS / CP932).
 *
 * Decisions (stated here, tested in zengin.unit.spec.ts):
 * - 顧客コード1 = the statement's month and serial: `PAY-<region>-<YYYYMM>-<nnnn>` → `YYYYMMnnnn`
 *   (10 digits), so a bank's return names the statement it pays; 顧客コード2 = `0000000000`;
 *   識別表示 = space (no EDI情報).
 * - 新規コード = `0` (その他: the file does not track first transfers), 振込指定区分 = `7` (電信),
 *   手形交換所番号 = `0000`; the bank and branch names of a data record are left blank unless the
 *   caller gives them (optional at many banks), the payer's come from its configuration.
 * - Bank accounts are given by the caller while the file is written; nothing here stores or logs
 *   them, and no error message shows an account number (errors name the statement).
 * - One header-data-trailer group a file: the multi-file layout (1‥8 repeated, a single 9) is not
 *   written, and the validator reports it as `zengin.record_order`.
 * - The validator checks name fields (依頼人名, 受取人名, bank and branch names) against the name
 *   subset kana.ts writes, stricter than the full Zengin set; EDI情報 (識別表示 `Y`) against the full set.
 */
import iconv from 'iconv-lite';
import { ValidationError } from '@workshare/eventsourcing';
import type { PayerAccount, RegionSettlementConfig, MonthSettlement } from '../model.js';
import { cutZenginField, markFits, SEMI_VOICED_MARK, toZenginKana, toZenginName, VOICED_MARK } from './kana.js';

export const ZENGIN_RECORD_BYTES = 120;
export const ZENGIN_ENCODING = 'Shift_JIS';
/** 振込金額 is 10 digits: 1 to 9,999,999,999 yen. */
export const ZENGIN_MAX_AMOUNT_YEN = 9_999_999_999n;
const MAX_COUNT = 999_999;
const MAX_TOTAL_YEN = 999_999_999_999n;
/** The byte lengths of the name fields (受取人名, 振込依頼人名, bank and branch names). */
export const ZENGIN_HOLDER_BYTES = 30;
export const ZENGIN_REQUESTER_NAME_BYTES = 40;
const BANK_NAME_BYTES = 15;

export type ZenginAccountType = 'ordinary' | 'current';

/** A member's bank account, decrypted by the caller for the time the file is written. */
export interface ZenginBankAccount {
  /** 金融機関コード, 4 digits. */
  readonly bankCode: string;
  /** 支店コード, 3 digits. */
  readonly branchCode: string;
  readonly type: ZenginAccountType;
  /** 口座番号, up to 7 digits (zero-filled on the left). */
  readonly number: string;
  /** 口座名義 in katakana as identity keeps it (converted and cut to 30 bytes here). */
  readonly holder: string;
  /** Optional kana names of the bank and branch (blank when absent). */
  readonly bankNameKana?: string;
  readonly branchNameKana?: string;
}

export interface ZenginTransfer {
  /** `PAY-<region>-<YYYYMM>-<nnnn>`: gives 顧客コード1. */
  readonly statementNumber: string;
  readonly memberId: string;
  readonly bank: ZenginBankAccount;
  readonly amountYen: bigint;
}

export type ZenginPayer = Pick<RegionSettlementConfig, 'zenginRequesterCode' | 'requesterNameKana' | 'payerAccount'>;

export interface ZenginFileInput {
  readonly payer: ZenginPayer;
  /** The transfer day, a Tokyo day `YYYY-MM-DD` (the settlement's payDay): written as MMDD. */
  readonly transferDate: string;
  readonly transfers: readonly ZenginTransfer[];
}

// ---- layout ---------------------------------------------------------------------------------------

export type ZenginRecordKind = 'header' | 'data' | 'trailer' | 'end';

/** `name`: name-field characters; `edi`: the full Zengin set; `blank`: spaces only (ダミー). */
type Charset = 'name' | 'edi' | 'blank';

interface FieldSpec {
  readonly name: string;
  /** 1-based position of the first byte. */
  readonly start: number;
  readonly length: number;
  readonly type: 'N' | 'C';
  readonly charset?: Charset;
  /** The values an N field may take (when it is a code). */
  readonly values?: readonly string[];
  /** A C field that must not be blank. */
  readonly required?: boolean;
}

const n = (name: string, start: number, length: number, values?: readonly string[]): FieldSpec => ({
  name,
  start,
  length,
  type: 'N',
  ...(values ? { values } : {}),
});
const c = (name: string, start: number, length: number, charset: Charset, required = false): FieldSpec => ({
  name,
  start,
  length,
  type: 'C',
  charset,
  required,
});

/** The four records, field by field, as the reference's tables give them. */
export const ZENGIN_LAYOUT: Readonly<Record<ZenginRecordKind, readonly FieldSpec[]>> = {
  header: [
    n('データ区分', 1, 1, ['1']),
    n('種別コード', 2, 2, ['21']),
    n('コード区分', 4, 1, ['0']),
    n('振込依頼人コード', 5, 10),
    c('振込依頼人名', 15, 40, 'name', true),
    n('振込指定日', 55, 4),
    n('仕向銀行番号', 59, 4),
    c('仕向銀行名', 63, 15, 'name'),
    n('仕向支店番号', 78, 3),
    c('仕向支店名', 81, 15, 'name'),
    n('預金種目(依頼人)', 96, 1, ['1', '2', '9']),
    n('口座番号(依頼人)', 97, 7),
    c('ダミー', 104, 17, 'blank'),
  ],
  data: [
    n('データ区分', 1, 1, ['2']),
    n('被仕向銀行番号', 2, 4),
    c('被仕向銀行名', 6, 15, 'name'),
    n('被仕向支店番号', 21, 3),
    c('被仕向支店名', 24, 15, 'name'),
    n('手形交換所番号', 39, 4),
    n('預金種目', 43, 1, ['1', '2', '4', '9']),
    n('口座番号', 44, 7),
    c('受取人名', 51, 30, 'name', true),
    n('振込金額', 81, 10),
    n('新規コード', 91, 1, ['0', '1', '2']),
    // 92–111: 顧客コード1 + 顧客コード2 (N) when 識別表示 is a space, EDI情報 (C, 20) when it is `Y`.
    n('顧客コード1', 92, 10),
    n('顧客コード2', 102, 10),
    n('振込指定区分', 112, 1, ['7', '8']),
    c('識別表示', 113, 1, 'edi'),
    c('ダミー', 114, 7, 'blank'),
  ],
  trailer: [n('データ区分', 1, 1, ['8']), n('合計件数', 2, 6), n('合計金額', 8, 12), c('ダミー', 20, 101, 'blank')],
  end: [n('データ区分', 1, 1, ['9']), c('ダミー', 2, 119, 'blank')],
};

const EDI_FIELD: FieldSpec = c('EDI情報', 92, 20, 'edi');

const KIND_OF_BYTE: Readonly<Record<number, ZenginRecordKind>> = {
  0x31: 'header',
  0x32: 'data',
  0x38: 'trailer',
  0x39: 'end',
};

const ACCOUNT_TYPE_CODE: Readonly<Record<ZenginAccountType, string>> = { ordinary: '1', current: '2' };

// ---- writing --------------------------------------------------------------------------------------

const fieldError = (code: string, message: string, details: Record<string, unknown>): ValidationError =>
  new ValidationError(code, message, details);

const digits = (value: string, length: number, what: string, details: Record<string, unknown>): string => {
  if (!/^\d+$/.test(value) || value.length > length) {
    throw fieldError('zengin.not_numeric', `${what} must be at most ${length} digits`, { ...details, field: what });
  }
  return value.padStart(length, '0');
};

const exactDigits = (value: string, length: number, what: string, details: Record<string, unknown>): string => {
  if (!new RegExp(`^\\d{${length}}$`).test(value)) {
    throw fieldError('zengin.not_numeric', `${what} must be exactly ${length} digits`, { ...details, field: what });
  }
  return value;
};

/** An optional name field: converted and cut, blank when absent or empty. */
const optionalName = (text: string | undefined, bytes: number, what: string, details: Record<string, unknown>) => {
  if (text === undefined || text.trim() === '') return '';
  return withField(() => cutZenginField(toZenginKana(text), bytes), what, details);
};

/** Adds the field (and the statement) to a kana refusal, keeping its code. */
const withField = <T>(convert: () => T, what: string, details: Record<string, unknown>): T => {
  try {
    return convert();
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(error.code, `${what}: ${error.message}`, { ...error.details, ...details, field: what });
    }
    throw error;
  }
};

/** One record from its field values, in the order of its layout; every value already fits. */
const record = (kind: ZenginRecordKind, values: Readonly<Record<string, string>>): Buffer => {
  let text = '';
  for (const field of ZENGIN_LAYOUT[kind]) {
    const value = values[field.name] ?? '';
    text += field.type === 'N' ? value.padStart(field.length, '0') : value.padEnd(field.length, ' ');
  }
  const bytes = iconv.encode(text, ZENGIN_ENCODING);
  if (bytes.length !== ZENGIN_RECORD_BYTES) {
    // Every value was checked to fit and to be one byte a character: this cannot happen.
    throw new Error(`zengin ${kind} record is ${bytes.length} bytes, not ${ZENGIN_RECORD_BYTES}`);
  }
  return bytes;
};

/** `PAY-<region>-<YYYYMM>-<nnnn>` → `YYYYMMnnnn` (顧客コード1). */
export const customerCodeOf = (statementNumber: string): string => {
  const match = /-(\d{6})-(\d{4})$/.exec(statementNumber);
  if (!match) {
    throw new ValidationError(
      'zengin.statement_number_unparsable',
      `statement number ${statementNumber} does not end in -YYYYMM-nnnn (it gives 顧客コード1)`,
      { statementNumber },
    );
  }
  return `${match[1]}${match[2]}`;
};

const transferDateMmdd = (day: string): string => {
  const match = /^\d{4}-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new ValidationError('zengin.bad_date', `transfer date ${day} is not YYYY-MM-DD`, { day });
  return `${match[1]}${match[2]}`;
};

const payerRecord = (payer: ZenginPayer, transferDate: string): Buffer => {
  const account: PayerAccount = payer.payerAccount;
  const details = { record: 'header' };
  return record('header', {
    データ区分: '1',
    種別コード: '21',
    コード区分: '0',
    振込依頼人コード: digits(payer.zenginRequesterCode, 10, '振込依頼人コード', details),
    振込依頼人名: withField(
      () => toZenginName(payer.requesterNameKana, ZENGIN_REQUESTER_NAME_BYTES),
      '振込依頼人名',
      details,
    ),
    振込指定日: transferDateMmdd(transferDate),
    仕向銀行番号: exactDigits(account.bankCode, 4, '仕向銀行番号', details),
    仕向銀行名: optionalName(account.bankNameKana, BANK_NAME_BYTES, '仕向銀行名', details),
    仕向支店番号: exactDigits(account.branchCode, 3, '仕向支店番号', details),
    仕向支店名: optionalName(account.branchNameKana, BANK_NAME_BYTES, '仕向支店名', details),
    '預金種目(依頼人)': ACCOUNT_TYPE_CODE[account.type],
    '口座番号(依頼人)': digits(account.number, 7, '口座番号(依頼人)', details),
  });
};

const dataRecord = (transfer: ZenginTransfer): Buffer => {
  const details = { record: 'data', statementNumber: transfer.statementNumber };
  const { bank } = transfer;
  if (transfer.amountYen < 1n || transfer.amountYen > ZENGIN_MAX_AMOUNT_YEN) {
    throw new ValidationError(
      'zengin.amount_out_of_range',
      `statement ${transfer.statementNumber}: a transfer is 1 to 9,999,999,999 yen, not ${transfer.amountYen}`,
      { ...details, field: '振込金額', amountYen: transfer.amountYen.toString() },
    );
  }
  if (!(bank.type in ACCOUNT_TYPE_CODE)) {
    throw new ValidationError(
      'zengin.bad_account_type',
      `statement ${transfer.statementNumber}: unknown account type`,
      {
        ...details,
        field: '預金種目',
      },
    );
  }
  return record('data', {
    データ区分: '2',
    被仕向銀行番号: exactDigits(bank.bankCode, 4, '被仕向銀行番号', details),
    被仕向銀行名: optionalName(bank.bankNameKana, BANK_NAME_BYTES, '被仕向銀行名', details),
    被仕向支店番号: exactDigits(bank.branchCode, 3, '被仕向支店番号', details),
    被仕向支店名: optionalName(bank.branchNameKana, BANK_NAME_BYTES, '被仕向支店名', details),
    手形交換所番号: '0000',
    預金種目: ACCOUNT_TYPE_CODE[bank.type],
    口座番号: digits(bank.number, 7, '口座番号', details),
    受取人名: withField(() => toZenginName(bank.holder, ZENGIN_HOLDER_BYTES), '受取人名', details),
    振込金額: transfer.amountYen.toString(),
    新規コード: '0',
    顧客コード1: customerCodeOf(transfer.statementNumber),
    顧客コード2: '0000000000',
    振込指定区分: '7',
    識別表示: ' ',
  });
};

const CRLF = Buffer.from([0x0d, 0x0a]);

/**
 * The 総合振込 file: header, one data record per transfer (in the order given), trailer, end;
 * every record 120 bytes followed by CRLF. Refuses (ValidationError, stable codes) an empty list
 * (`zengin.no_transfers`), an amount outside 1..9,999,999,999 (`zengin.amount_out_of_range`), a
 * count or sum that does not fit the trailer (`zengin.total_out_of_range`), a code that is not
 * digits of its length (`zengin.not_numeric`), a name that cannot be written
 * (`zengin.invalid_character`, `zengin.empty_name`).
 */
export const writeZenginFile = (input: ZenginFileInput): Uint8Array => {
  if (input.transfers.length === 0) {
    throw new ValidationError('zengin.no_transfers', 'a transfer file needs at least one transfer');
  }
  if (input.transfers.length > MAX_COUNT) {
    throw new ValidationError('zengin.total_out_of_range', `at most ${MAX_COUNT} transfers fit one file`, {
      count: input.transfers.length,
    });
  }
  const total = input.transfers.reduce((sum, t) => sum + t.amountYen, 0n);
  if (total > MAX_TOTAL_YEN) {
    throw new ValidationError('zengin.total_out_of_range', `the sum ${total} does not fit 合計金額 (12 digits)`, {
      totalYen: total.toString(),
    });
  }
  const records = [
    payerRecord(input.payer, input.transferDate),
    ...input.transfers.map(dataRecord),
    record('trailer', { データ区分: '8', 合計件数: String(input.transfers.length), 合計金額: total.toString() }),
    record('end', { データ区分: '9' }),
  ];
  const file = Buffer.concat(records.flatMap((r) => [r, CRLF]));
  return new Uint8Array(file.buffer, file.byteOffset, file.length);
};

/**
 * The transfers of a closed month: one per contractor statement with a payable above zero, in
 * statement order (employees are paid through payroll; a payable of zero or below is no transfer).
 * `accounts` maps a member id to her account (decrypted by the caller); a missing one is refused
 * with `zengin.bank_account_missing` naming the member and statement.
 */
export const zenginTransfersOf = (
  settlement: MonthSettlement,
  accounts: ReadonlyMap<string, ZenginBankAccount>,
): ZenginTransfer[] =>
  settlement.statements
    .filter((s) => s.contractType === 'contractor' && s.payableYen > 0n)
    .map((s) => {
      const bank = accounts.get(s.memberId);
      if (!bank) {
        throw new ValidationError(
          'zengin.bank_account_missing',
          `member ${s.memberId} (statement ${s.statementNumber}) has no bank account to transfer to`,
          { memberId: s.memberId, statementNumber: s.statementNumber },
        );
      }
      return { statementNumber: s.statementNumber, memberId: s.memberId, bank, amountYen: s.payableYen };
    });

/** The month's transfer file: the region's payer, its pay day, its contractors' transfers. */
export const writeSettlementZenginFile = (
  settlement: MonthSettlement,
  accounts: ReadonlyMap<string, ZenginBankAccount>,
): Uint8Array =>
  writeZenginFile({
    payer: settlement.config,
    transferDate: settlement.payDay,
    transfers: zenginTransfersOf(settlement, accounts),
  });

// ---- validating -----------------------------------------------------------------------------------

export interface ZenginProblem {
  /** 1-based number of the record (the line) the problem is in; one past the last for a missing record. */
  readonly record: number;
  /** The record's kind by its データ区分, `unknown` when that byte is not 1, 2, 8 or 9. */
  readonly kind: ZenginRecordKind | 'unknown';
  /** The field, as the reference names it; `レコード長` and `改行コード` for the record's framing. */
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;
/** Half-width kana ｱ (0xB1) .. ﾝ (0xDD), ﾞ 0xDE, ﾟ 0xDF. */
const isNameKana = (b: number): boolean => b >= 0xb1 && b <= 0xdf;
const isUpper = (b: number): boolean => b >= 0x41 && b <= 0x5a;
/** The name subset: kana (no ｦ, no small kana, no ｰ), ﾞ ﾟ, A–Z, 0–9, space, ( ) - . */
const isNameByte = (b: number): boolean =>
  isNameKana(b) || isUpper(b) || isDigit(b) || b === 0x20 || b === 0x28 || b === 0x29 || b === 0x2d || b === 0x2e;
/** The full Zengin set: the name subset, ｦ, `/ , ' + : ?`, ¥ (0x5C), ｢ ｣. */
const isEdiByte = (b: number): boolean =>
  isNameByte(b) ||
  b === 0xa6 ||
  b === 0x2f ||
  b === 0x2c ||
  b === 0x27 ||
  b === 0x2b ||
  b === 0x3a ||
  b === 0x3f ||
  b === 0x5c ||
  b === 0xa2 ||
  b === 0xa3;

const hex = (b: number): string => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/** The problems of one field's bytes. */
const checkField = (
  spec: FieldSpec,
  bytes: Uint8Array,
  problem: (field: string, code: string, message: string) => void,
): void => {
  const value = bytes.subarray(spec.start - 1, spec.start - 1 + spec.length);
  if (spec.type === 'N') {
    const bad = value.findIndex((b) => !isDigit(b));
    if (bad >= 0) {
      problem(spec.name, 'zengin.not_numeric', `byte ${spec.start + bad} (${hex(value[bad]!)}) is not a digit`);
      return;
    }
    const text = Buffer.from(value).toString('latin1');
    if (spec.values && !spec.values.includes(text)) {
      problem(spec.name, 'zengin.bad_value', `${text} is not one of ${spec.values.join(', ')}`);
    }
    return;
  }
  if (spec.charset === 'blank') {
    const bad = value.findIndex((b) => b !== 0x20);
    if (bad >= 0)
      problem(spec.name, 'zengin.dummy_not_blank', `byte ${spec.start + bad} (${hex(value[bad]!)}) is not a space`);
    return;
  }
  const allowed = spec.charset === 'name' ? isNameByte : isEdiByte;
  for (let i = 0; i < value.length; i++) {
    const b = value[i]!;
    if (!allowed(b)) {
      problem(spec.name, 'zengin.invalid_character', `byte ${spec.start + i} (${hex(b)}) is not allowed in this field`);
      return;
    }
    if (b === 0xde || b === 0xdf) {
      const previous = i > 0 ? iconv.decode(Buffer.from([value[i - 1]!]), ZENGIN_ENCODING) : undefined;
      if (!markFits(b === 0xde ? VOICED_MARK : SEMI_VOICED_MARK, previous)) {
        problem(spec.name, 'zengin.invalid_character', `byte ${spec.start + i}: ﾞ/ﾟ follows no kana that takes it`);
        return;
      }
    }
  }
  const blank = value.every((b) => b === 0x20);
  if (blank && spec.required) problem(spec.name, 'zengin.blank_field', 'must not be blank');
  if (!blank && value[0] === 0x20)
    problem(spec.name, 'zengin.not_left_aligned', 'starts with a space (C fields are left-aligned)');
};

/** A field's text (the bytes of a valid file are single-byte Shift_JIS). */
const fieldText = (bytes: Uint8Array, spec: { start: number; length: number }): string =>
  iconv.decode(Buffer.from(bytes.subarray(spec.start - 1, spec.start - 1 + spec.length)), ZENGIN_ENCODING);

const spec = (kind: ZenginRecordKind, name: string): FieldSpec => ZENGIN_LAYOUT[kind].find((f) => f.name === name)!;

const isValidMmdd = (mmdd: string): boolean => {
  const month = Number(mmdd.slice(0, 2));
  const day = Number(mmdd.slice(2));
  const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
};

/** Splits a file into its records: each must be 120 bytes followed by CRLF. */
const splitRecords = (file: Uint8Array): { content: Uint8Array; crlf: boolean }[] => {
  const records: { content: Uint8Array; crlf: boolean }[] = [];
  let start = 0;
  for (let i = 0; i < file.length; i++) {
    if (file[i] !== 0x0a) continue;
    const crlf = i > start && file[i - 1] === 0x0d;
    records.push({ content: file.subarray(start, crlf ? i - 1 : i), crlf });
    start = i + 1;
  }
  if (start < file.length) records.push({ content: file.subarray(start), crlf: false });
  return records;
};

/**
 * Every problem of a 総合振込 file, each naming its record (1-based), the record's kind and the
 * field: framing (`zengin.record_length`, `zengin.bad_line_ending`), データ区分
 * (`zengin.bad_data_kind`), order (`zengin.record_order`, `zengin.missing_record`), N fields with
 * anything but digits (`zengin.not_numeric`), codes outside their values (`zengin.bad_value`: 種別
 * 21, コード区分 0, 預金種目, 新規コード, 振込指定区分), C fields with a character outside the field's
 * set (`zengin.invalid_character`), a blank required name (`zengin.blank_field`), a C field not
 * left-aligned (`zengin.not_left_aligned`), a ダミー not blank (`zengin.dummy_not_blank`), a bad
 * 振込指定日 (`zengin.bad_date`), 識別表示 other than space or Y (`zengin.bad_value`), an amount of 0
 * (`zengin.amount_out_of_range`), a trailer whose count or sum is not the data's
 * (`zengin.trailer_count_mismatch`, `zengin.trailer_sum_mismatch`), no data record
 * (`zengin.no_data_records`). An empty list means the file is well formed.
 */
export const validateZenginFile = (file: Uint8Array): ZenginProblem[] => {
  const problems: ZenginProblem[] = [];
  const records = splitRecords(file);
  // The order: header, data (one or more), trailer, end, nothing after.
  let stage: 'start' | 'header' | 'data' | 'trailer' | 'end' = 'start';
  let dataCount = 0;
  let dataSum = 0n;
  records.forEach(({ content, crlf }, index) => {
    const number = index + 1;
    const kind: ZenginRecordKind | 'unknown' = (content.length > 0 && KIND_OF_BYTE[content[0]!]) || 'unknown';
    const problem = (field: string, code: string, message: string) =>
      problems.push({ record: number, kind, field, code, message: `record ${number} (${kind}), ${field}: ${message}` });
    if (!crlf) problem('改行コード', 'zengin.bad_line_ending', 'a record must end with CRLF');
    if (content.length !== ZENGIN_RECORD_BYTES) {
      problem('レコード長', 'zengin.record_length', `${content.length} bytes, not ${ZENGIN_RECORD_BYTES}`);
    }
    if (kind === 'unknown') {
      problem('データ区分', 'zengin.bad_data_kind', `データ区分 must be 1, 2, 8 or 9`);
      return;
    }
    const next: Record<typeof stage, readonly ZenginRecordKind[]> = {
      start: ['header'],
      header: ['data', 'trailer'], // a trailer right after the header: zengin.no_data_records
      data: ['data', 'trailer'],
      trailer: ['end'],
      end: [],
    };
    if (!next[stage].includes(kind)) {
      problem(
        'データ区分',
        'zengin.record_order',
        stage === 'end'
          ? 'nothing may follow the end record'
          : `a ${kind} record cannot follow ${stage === 'start' ? 'the start of the file' : `a ${stage} record`}`,
      );
    } else {
      stage = kind;
    }
    if (content.length !== ZENGIN_RECORD_BYTES) return;

    const ediMode = kind === 'data' && content[112] === 0x59; // 識別表示 `Y`
    for (const field of ZENGIN_LAYOUT[kind]) {
      if (ediMode && (field.name === '顧客コード1' || field.name === '顧客コード2')) continue;
      checkField(field, content, problem);
    }
    if (ediMode) checkField(EDI_FIELD, content, problem);

    if (kind === 'header') {
      const date = fieldText(content, spec('header', '振込指定日'));
      if (/^\d{4}$/.test(date) && !isValidMmdd(date))
        problem('振込指定日', 'zengin.bad_date', `${date} is not a MMDD day`);
    }
    if (kind === 'data') {
      const flag = content[112]!;
      if (flag !== 0x20 && flag !== 0x59) problem('識別表示', 'zengin.bad_value', 'must be a space or Y');
      const amount = fieldText(content, spec('data', '振込金額'));
      if (/^\d{10}$/.test(amount)) {
        // 10 digits cannot exceed 9,999,999,999: the only amount out of range is 0.
        if (BigInt(amount) === 0n) problem('振込金額', 'zengin.amount_out_of_range', 'a transfer is at least 1 yen');
        dataSum += BigInt(amount);
      }
      dataCount++;
    }
    if (kind === 'trailer') {
      const count = fieldText(content, spec('trailer', '合計件数'));
      const sum = fieldText(content, spec('trailer', '合計金額'));
      if (dataCount === 0) problem('合計件数', 'zengin.no_data_records', 'the file has no data record');
      if (/^\d{6}$/.test(count) && Number(count) !== dataCount) {
        problem(
          '合計件数',
          'zengin.trailer_count_mismatch',
          `${Number(count)}, but there are ${dataCount} data records`,
        );
      }
      if (/^\d{12}$/.test(sum) && BigInt(sum) !== dataSum) {
        problem('合計金額', 'zengin.trailer_sum_mismatch', `${BigInt(sum)}, but the data records sum to ${dataSum}`);
      }
    }
  });
  const missing: ZenginRecordKind | null =
    stage === 'start'
      ? 'header'
      : stage === 'header'
        ? 'data'
        : stage === 'data'
          ? 'trailer'
          : stage === 'trailer'
            ? 'end'
            : null;
  if (missing) {
    const number = records.length + 1;
    problems.push({
      record: number,
      kind: missing,
      field: 'データ区分',
      code: 'zengin.missing_record',
      message: `record ${number}: the file ends where a ${missing} record is due`,
    });
  }
  return problems;
};

// ---- parsing --------------------------------------------------------------------------------------

export interface ZenginHeader {
  readonly typeCode: string;
  readonly codeDivision: string;
  readonly requesterCode: string;
  readonly requesterName: string;
  /** MMDD. */
  readonly transferDate: string;
  readonly bankCode: string;
  readonly bankName: string;
  readonly branchCode: string;
  readonly branchName: string;
  readonly accountType: string;
  readonly accountNumber: string;
}

export interface ZenginDataRecord {
  readonly bankCode: string;
  readonly bankName: string;
  readonly branchCode: string;
  readonly branchName: string;
  readonly clearingHouse: string;
  /** 1 普通, 2 当座, 4 貯蓄, 9 その他. */
  readonly accountType: string;
  readonly accountNumber: string;
  readonly holder: string;
  readonly amountYen: bigint;
  readonly newCode: string;
  /** 顧客コード1 / 2 (識別表示 space), or null when the record carries EDI情報. */
  readonly customerCode1: string | null;
  readonly customerCode2: string | null;
  readonly ediInfo: string | null;
  readonly transferKind: string;
}

export interface ZenginTrailer {
  readonly count: number;
  readonly totalYen: bigint;
}

export interface ZenginFile {
  readonly header: ZenginHeader;
  readonly transfers: readonly ZenginDataRecord[];
  readonly trailer: ZenginTrailer;
}

/** The file read back: validated first (`zengin.invalid_file` with every problem in its details). */
export const parseZenginFile = (file: Uint8Array): ZenginFile => {
  const problems = validateZenginFile(file);
  if (problems.length > 0) {
    throw new ValidationError(
      'zengin.invalid_file',
      `the transfer file has ${problems.length} problem(s); the first: ${problems[0]!.message}`,
      { problems },
    );
  }
  const records = splitRecords(file).map((r) => r.content);
  const text = (content: Uint8Array, kind: ZenginRecordKind, name: string): string => {
    const field = spec(kind, name);
    const value = fieldText(content, field);
    return field.type === 'C' ? value.replace(/ +$/, '') : value;
  };
  const header = records[0]!;
  const trailer = records[records.length - 2]!;
  return {
    header: {
      typeCode: text(header, 'header', '種別コード'),
      codeDivision: text(header, 'header', 'コード区分'),
      requesterCode: text(header, 'header', '振込依頼人コード'),
      requesterName: text(header, 'header', '振込依頼人名'),
      transferDate: text(header, 'header', '振込指定日'),
      bankCode: text(header, 'header', '仕向銀行番号'),
      bankName: text(header, 'header', '仕向銀行名'),
      branchCode: text(header, 'header', '仕向支店番号'),
      branchName: text(header, 'header', '仕向支店名'),
      accountType: text(header, 'header', '預金種目(依頼人)'),
      accountNumber: text(header, 'header', '口座番号(依頼人)'),
    },
    transfers: records.slice(1, -2).map((r) => {
      const edi = r[112] === 0x59;
      return {
        bankCode: text(r, 'data', '被仕向銀行番号'),
        bankName: text(r, 'data', '被仕向銀行名'),
        branchCode: text(r, 'data', '被仕向支店番号'),
        branchName: text(r, 'data', '被仕向支店名'),
        clearingHouse: text(r, 'data', '手形交換所番号'),
        accountType: text(r, 'data', '預金種目'),
        accountNumber: text(r, 'data', '口座番号'),
        holder: text(r, 'data', '受取人名'),
        amountYen: BigInt(text(r, 'data', '振込金額')),
        newCode: text(r, 'data', '新規コード'),
        customerCode1: edi ? null : text(r, 'data', '顧客コード1'),
        customerCode2: edi ? null : text(r, 'data', '顧客コード2'),
        ediInfo: edi ? fieldText(r, EDI_FIELD).replace(/ +$/, '') : null,
        transferKind: text(r, 'data', '振込指定区分'),
      };
    }),
    trailer: {
      count: Number(text(trailer, 'trailer', '合計件数')),
      totalYen: BigInt(text(trailer, 'trailer', '合計金額')),
    },
  };
};
