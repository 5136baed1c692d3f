import fc from 'fast-check';
import iconv from 'iconv-lite';
import { toZenginName } from '../../../src/domain/files/kana.js';
import {
  customerCodeOf,
  parseZenginFile,
  validateZenginFile,
  writeSettlementZenginFile,
  writeZenginFile,
  ZENGIN_LAYOUT,
  zenginTransfersOf,
  type ZenginProblem,
  type ZenginRecordKind,
  type ZenginTransfer,
} from '../../../src/domain/files/zengin.js';
import { ACCOUNTS, CONFIG, SETTLEMENT } from './fixtures.js';

const lines = (file: Uint8Array): Buffer[] => {
  const out: Buffer[] = [];
  for (let i = 0; i < file.length; i += 122) out.push(Buffer.from(file.subarray(i, i + 122)));
  return out;
};
/** Bytes from..to (1-based, inclusive, as the reference's tables give positions) of a record, decoded. */
const at = (record: Buffer, from: number, to: number): string =>
  iconv.decode(record.subarray(from - 1, to), 'Shift_JIS');

const codes = (problems: readonly ZenginProblem[]) => problems.map((p) => [p.record, p.kind, p.field, p.code]);

const refusedWith = (f: () => unknown): { code: string; message: string; details: Record<string, unknown> } => {
  try {
    f();
  } catch (error) {
    return error as { code: string; message: string; details: Record<string, unknown> };
  }
  throw new Error('not refused');
};

describe('Zengin 総合振込 file (種別 21, コード区分 0)', () => {
  const file = writeSettlementZenginFile(SETTLEMENT, ACCOUNTS);

  describe('writing the month’s file', () => {
    it('every record is 120 bytes followed by CRLF: header, 2 data (the contractors), trailer, end', () => {
      expect(file.length).toBe(5 * 122);
      for (const line of lines(file)) {
        expect(line.length).toBe(122);
        expect([line[120], line[121]]).toEqual([0x0d, 0x0a]);
        expect(line.subarray(0, 120).includes(0x0d) || line.subarray(0, 120).includes(0x0a)).toBe(false);
      }
      expect(lines(file).map((l) => String.fromCharCode(l[0]!))).toEqual(['1', '2', '2', '8', '9']);
    });

    it('the header, field by field at the reference’s positions', () => {
      const header = lines(file)[0]!;
      expect(at(header, 1, 1)).toBe('1'); // データ区分
      expect(at(header, 2, 3)).toBe('21'); // 種別コード
      expect(at(header, 4, 4)).toBe('0'); // コード区分
      expect(at(header, 5, 14)).toBe('0123456789'); // 振込依頼人コード, zero-filled
      expect(at(header, 15, 54)).toBe('ﾌｼﾞｻﾄﾜ-ｸｼｴｱｷﾖｳﾄﾞｳｸﾐｱｲ'.padEnd(40)); // 振込依頼人名
      expect(at(header, 55, 58)).toBe('0525'); // 振込指定日: the pay day 2026-05-25
      expect(at(header, 59, 62)).toBe('0117'); // 仕向銀行番号
      expect(at(header, 63, 77)).toBe('ｱｷﾀ'.padEnd(15)); // 仕向銀行名
      expect(at(header, 78, 80)).toBe('123'); // 仕向支店番号
      expect(at(header, 81, 95)).toBe('ﾌｼﾞｻﾄ'.padEnd(15)); // 仕向支店名
      expect(at(header, 96, 96)).toBe('1'); // 預金種目 普通
      expect(at(header, 97, 103)).toBe('1234567'); // 口座番号
      expect(at(header, 104, 120)).toBe(' '.repeat(17)); // ダミー
    });

    it('a data record, field by field (顧客コード1 = the statement’s YYYYMMnnnn)', () => {
      const data = lines(file)[1]!;
      expect(at(data, 1, 1)).toBe('2');
      expect(at(data, 2, 5)).toBe('0117'); // 被仕向銀行番号
      expect(at(data, 6, 20)).toBe(' '.repeat(15)); // 被仕向銀行名 (optional, blank)
      expect(at(data, 21, 23)).toBe('001'); // 被仕向支店番号
      expect(at(data, 24, 38)).toBe(' '.repeat(15));
      expect(at(data, 39, 42)).toBe('0000'); // 手形交換所番号
      expect(at(data, 43, 43)).toBe('1'); // 預金種目 普通
      expect(at(data, 44, 50)).toBe('7654321'); // 口座番号
      expect(at(data, 51, 80)).toBe('ﾔﾏﾀﾞ ﾊﾅｺ'.padEnd(30)); // 受取人名
      expect(at(data, 81, 90)).toBe('0000084822'); // 振込金額: PAY-0001's payable
      expect(at(data, 91, 91)).toBe('0'); // 新規コード
      expect(at(data, 92, 101)).toBe('2026040001'); // 顧客コード1
      expect(at(data, 102, 111)).toBe('0000000000'); // 顧客コード2
      expect(at(data, 112, 112)).toBe('7'); // 振込指定区分 電信
      expect(at(data, 113, 113)).toBe(' '); // 識別表示
      expect(at(data, 114, 120)).toBe(' '.repeat(7));
      const second = lines(file)[2]!;
      expect(at(second, 43, 43)).toBe('2'); // 当座
      expect(at(second, 44, 50)).toBe('0012345'); // zero-filled
      expect(at(second, 51, 80)).toBe('ｻﾄｳ ｼﾞﾕﾝｲﾁ'.padEnd(30)); // ジュンイチ: small ュ enlarged
    });

    it('the trailer holds the count and the sum; the end record is 9 and spaces', () => {
      const [trailer, end] = lines(file).slice(3);
      expect(at(trailer!, 1, 1)).toBe('8');
      expect(at(trailer!, 2, 7)).toBe('000002');
      expect(at(trailer!, 8, 19)).toBe(String(84_822 + 53_461).padStart(12, '0'));
      expect(at(trailer!, 20, 120)).toBe(' '.repeat(101));
      expect(at(end!, 1, 120)).toBe('9'.padEnd(120));
    });

    it('the layout table covers 120 bytes per record with no gap or overlap', () => {
      for (const fields of Object.values(ZENGIN_LAYOUT)) {
        let next = 1;
        for (const field of fields) {
          expect(field.start).toBe(next);
          next += field.length;
        }
        expect(next).toBe(121);
      }
    });

    it('contractors with a payable above zero only: employees (payroll) and zero payables are no transfer', () => {
      const statements = [
        ...SETTLEMENT.statements,
        {
          ...SETTLEMENT.statements[0]!,
          statementNumber: 'PAY-fujisato-202604-0004',
          memberId: 'member-d',
          payableYen: 0n,
        },
      ];
      const transfers = zenginTransfersOf({ ...SETTLEMENT, statements }, ACCOUNTS);
      expect(transfers.map((t) => [t.statementNumber, t.amountYen])).toEqual([
        ['PAY-fujisato-202604-0001', 84_822n],
        ['PAY-fujisato-202604-0002', 53_461n],
      ]);
    });

    it('writing twice gives the same bytes', () => {
      expect(Buffer.from(writeSettlementZenginFile(SETTLEMENT, ACCOUNTS)).equals(Buffer.from(file))).toBe(true);
    });

    it('the file is valid and parses back to the transfers', () => {
      expect(validateZenginFile(file)).toEqual([]);
      const parsed = parseZenginFile(file);
      expect(parsed.header).toMatchObject({
        typeCode: '21',
        codeDivision: '0',
        requesterCode: '0123456789',
        transferDate: '0525',
        bankCode: '0117',
        branchCode: '123',
        accountType: '1',
        accountNumber: '1234567',
      });
      expect(
        parsed.transfers.map((t) => [t.bankCode, t.branchCode, t.accountType, t.accountNumber, t.holder, t.amountYen]),
      ).toEqual([
        ['0117', '001', '1', '7654321', 'ﾔﾏﾀﾞ ﾊﾅｺ', 84_822n],
        ['9900', '100', '2', '0012345', 'ｻﾄｳ ｼﾞﾕﾝｲﾁ', 53_461n],
      ]);
      expect(parsed.trailer).toEqual({ count: 2, totalYen: 138_283n });
    });
  });

  describe('refusals while writing (nothing written; no account number in a message)', () => {
    const payer = CONFIG;
    const transfer: ZenginTransfer = {
      statementNumber: 'PAY-fujisato-202604-0001',
      memberId: 'member-a',
      bank: { bankCode: '0117', branchCode: '001', type: 'ordinary', number: '7654321', holder: 'ヤマダ ハナコ' },
      amountYen: 1000n,
    };
    const write = (t: Partial<ZenginTransfer>, bank: Partial<ZenginTransfer['bank']> = {}) =>
      refusedWith(() =>
        writeZenginFile({
          payer,
          transferDate: '2026-05-25',
          transfers: [{ ...transfer, ...t, bank: { ...transfer.bank, ...bank } }],
        }),
      );

    it.each([
      ['amount 0', { amountYen: 0n }, {}, 'zengin.amount_out_of_range'],
      ['amount above 9,999,999,999', { amountYen: 10_000_000_000n }, {}, 'zengin.amount_out_of_range'],
      ['a bank code of 3 digits', {}, { bankCode: '117' }, 'zengin.not_numeric'],
      ['a branch code with a letter', {}, { branchCode: '0A1' }, 'zengin.not_numeric'],
      ['an account number of 8 digits', {}, { number: '12345678' }, 'zengin.not_numeric'],
      ['a holder in kanji', {}, { holder: '山田花子' }, 'zengin.invalid_character'],
      ['a blank holder', {}, { holder: '　' }, 'zengin.empty_name'],
      ['a statement number without its serial', { statementNumber: 'PAY-x' }, {}, 'zengin.statement_number_unparsable'],
    ])('%s', (_, t, bank, code) => {
      const error = write(t, bank);
      expect(error.code).toBe(code);
      expect(error.message).not.toContain('7654321');
      expect(JSON.stringify(error.details, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain(
        '7654321',
      );
    });

    it('a refused holder names the field and the statement', () => {
      expect(write({}, { holder: '山田花子' }).details).toMatchObject({
        field: '受取人名',
        statementNumber: transfer.statementNumber,
      });
    });

    it('no transfers', () => {
      expect(refusedWith(() => writeZenginFile({ payer, transferDate: '2026-05-25', transfers: [] })).code).toBe(
        'zengin.no_transfers',
      );
    });

    it('a contractor without an account in the map is zengin.bank_account_missing naming her', () => {
      const error = refusedWith(() => writeSettlementZenginFile(SETTLEMENT, new Map([...ACCOUNTS].slice(0, 1))));
      expect(error).toMatchObject({ code: 'zengin.bank_account_missing', details: { memberId: 'member-b' } });
    });

    it('customer code: PAY-<region>-<YYYYMM>-<nnnn> → YYYYMMnnnn', () => {
      expect(customerCodeOf('PAY-fuji-sato-202612-0042')).toBe('2026120042');
    });
  });

  describe('validation names the record, its kind and the field', () => {
    const records = lines(file).map((l) => Buffer.from(l.subarray(0, 120)).toString('latin1'));
    const join = (rs: readonly string[], ending = '\r\n') => Buffer.from(rs.map((r) => r + ending).join(''), 'latin1');
    const replace = (record: number, from: number, text: string) => {
      const rs = [...records];
      const r = rs[record - 1]!;
      rs[record - 1] = r.slice(0, from - 1) + text + r.slice(from - 1 + text.length);
      return join(rs);
    };

    it.each<[string, () => Buffer, [number, ZenginRecordKind | 'unknown', string, string][]]>([
      [
        'a record one byte short',
        () => join([records[0]!, records[1]!.slice(1), ...records.slice(2)]),
        [
          [2, 'unknown', 'レコード長', 'zengin.record_length'],
          [2, 'unknown', 'データ区分', 'zengin.bad_data_kind'],
        ],
      ],
      [
        'LF without CR',
        () => join(records, '\n'),
        records.map((_, i) => [
          i + 1,
          (['header', 'data', 'data', 'trailer', 'end'] as const)[i]!,
          '改行コード',
          'zengin.bad_line_ending',
        ]),
      ],
      ['データ区分 3', () => replace(2, 1, '3'), [[2, 'unknown', 'データ区分', 'zengin.bad_data_kind']]],
      ['種別コード 11 (給与)', () => replace(1, 2, '11'), [[1, 'header', '種別コード', 'zengin.bad_value']]],
      ['コード区分 1 (EBCDIC)', () => replace(1, 4, '1'), [[1, 'header', 'コード区分', 'zengin.bad_value']]],
      ['振込指定日 1332', () => replace(1, 55, '1332'), [[1, 'header', '振込指定日', 'zengin.bad_date']]],
      ['a letter in 口座番号', () => replace(2, 44, '76543X1'), [[2, 'data', '口座番号', 'zengin.not_numeric']]],
      ['lower-case in 受取人名', () => replace(3, 51, 'a'), [[3, 'data', '受取人名', 'zengin.invalid_character']]],
      ['a blank 受取人名', () => replace(2, 51, ' '.repeat(30)), [[2, 'data', '受取人名', 'zengin.blank_field']]],
      [
        '受取人名 not left-aligned',
        () => replace(2, 51, ' ' + records[1]!.slice(50, 79)),
        [[2, 'data', '受取人名', 'zengin.not_left_aligned']],
      ],
      [
        '振込金額 0 (the trailer’s sum then differs too)',
        () => replace(2, 81, '0000000000'),
        [
          [2, 'data', '振込金額', 'zengin.amount_out_of_range'],
          [4, 'trailer', '合計金額', 'zengin.trailer_sum_mismatch'],
        ],
      ],
      ['預金種目 5', () => replace(2, 43, '5'), [[2, 'data', '預金種目', 'zengin.bad_value']]],
      ['新規コード 3', () => replace(2, 91, '3'), [[2, 'data', '新規コード', 'zengin.bad_value']]],
      ['振込指定区分 9', () => replace(2, 112, '9'), [[2, 'data', '振込指定区分', 'zengin.bad_value']]],
      ['識別表示 X', () => replace(2, 113, 'X'), [[2, 'data', '識別表示', 'zengin.bad_value']]],
      ['a ダミー not blank', () => replace(5, 60, 'A'), [[5, 'end', 'ダミー', 'zengin.dummy_not_blank']]],
      [
        'trailer count wrong',
        () => replace(4, 2, '000003'),
        [[4, 'trailer', '合計件数', 'zengin.trailer_count_mismatch']],
      ],
      [
        'trailer sum wrong',
        () => replace(4, 8, '000000138284'),
        [[4, 'trailer', '合計金額', 'zengin.trailer_sum_mismatch']],
      ],
      ['no header', () => join(records.slice(1)), [[1, 'data', 'データ区分', 'zengin.record_order']]],
      [
        'no trailer',
        () => join([...records.slice(0, 3), records[4]!]),
        [
          [4, 'end', 'データ区分', 'zengin.record_order'],
          [5, 'trailer', 'データ区分', 'zengin.missing_record'],
        ],
      ],
      ['no end', () => join(records.slice(0, 4)), [[5, 'end', 'データ区分', 'zengin.missing_record']]],
      [
        'a record after the end',
        () => join([...records, records[1]!]),
        [[6, 'data', 'データ区分', 'zengin.record_order']],
      ],
      [
        'no data record',
        () => join([records[0]!, '8' + '0'.repeat(18) + ' '.repeat(101), records[4]!]),
        [[2, 'trailer', '合計件数', 'zengin.no_data_records']],
      ],
      [
        'a second header-data-trailer group (not written here)',
        () => join([...records.slice(0, 4), ...records.slice(0, 4), records[4]!]),
        [
          [5, 'header', 'データ区分', 'zengin.record_order'],
          [6, 'data', 'データ区分', 'zengin.record_order'],
          [7, 'data', 'データ区分', 'zengin.record_order'],
          [8, 'trailer', 'データ区分', 'zengin.record_order'],
        ],
      ],
      ['an empty file', () => Buffer.alloc(0), [[1, 'header', 'データ区分', 'zengin.missing_record']]],
    ])('%s', (_, corrupt, expected) => {
      const problems = validateZenginFile(corrupt());
      for (const e of expected) expect(codes(problems)).toContainEqual(e);
      for (const p of problems) expect(p.message).toContain(`record ${p.record}`);
      expect(() => parseZenginFile(corrupt())).toThrow(expect.objectContaining({ code: 'zengin.invalid_file' }));
    });

    it('EDI情報 (識別表示 Y) takes the place of the customer codes and is read back', () => {
      const edi = replace(2, 92, 'INV 202604/0001'.padEnd(20));
      const withFlag = Buffer.from(edi);
      withFlag[122 + 112] = 0x59; // record 2, byte 113: Y
      expect(validateZenginFile(withFlag)).toEqual([]);
      expect(parseZenginFile(withFlag).transfers[0]).toMatchObject({ ediInfo: 'INV 202604/0001', customerCode1: null });
    });
  });

  describe('properties', () => {
    const kanaName = fc
      .string({
        unit: fc.constantFrom(
          ...'アイウエオカキクサシタチツナハヒフマミヤユヨラリワンガザダバパャュョッァー・ abcXYZ0129()-.　',
          'ｶﾞ',
          'ﾎﾟ',
        ),
        minLength: 1,
        maxLength: 45,
      })
      .filter((s) => s.trim().replace(/\u3000/g, '') !== '');
    const digits = (min: number, max: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    const transferArb = fc.record({
      serial: fc.integer({ min: 1, max: 9999 }),
      bank: fc.record({
        bankCode: digits(4, 4),
        branchCode: digits(3, 3),
        type: fc.constantFrom('ordinary' as const, 'current' as const),
        number: digits(1, 7),
        holder: kanaName,
      }),
      amountYen: fc.bigInt({ min: 1n, max: 9_999_999_999n }),
    });
    const transfersArb = fc.array(transferArb, { minLength: 1, maxLength: 12 }).map((ts) =>
      ts.map((t, i): ZenginTransfer => ({
        statementNumber: `PAY-r-202604-${String(t.serial).padStart(4, '0')}`,
        memberId: `m-${i}`,
        bank: t.bank,
        amountYen: t.amountYen,
      })),
    );
    const write = (transfers: readonly ZenginTransfer[]) =>
      writeZenginFile({ payer: CONFIG, transferDate: '2026-12-31', transfers });

    it('every record is 120 bytes + CRLF, the file is valid, and it parses back to the same transfers; trailer = data', () => {
      fc.assert(
        fc.property(transfersArb, (transfers) => {
          const bytes = write(transfers);
          expect(bytes.length).toBe((transfers.length + 3) * 122);
          for (const line of lines(bytes)) expect([line.length, line[120], line[121]]).toEqual([122, 0x0d, 0x0a]);
          expect(validateZenginFile(bytes)).toEqual([]);
          const parsed = parseZenginFile(bytes);
          expect(
            parsed.transfers.map((t) => [
              t.bankCode,
              t.branchCode,
              t.accountType,
              t.accountNumber,
              t.holder,
              t.amountYen,
              t.customerCode1,
            ]),
          ).toEqual(
            transfers.map((t) => [
              t.bank.bankCode,
              t.bank.branchCode,
              t.bank.type === 'ordinary' ? '1' : '2',
              t.bank.number.padStart(7, '0'),
              toZenginName(t.bank.holder, 30),
              t.amountYen,
              customerCodeOf(t.statementNumber),
            ]),
          );
          expect(parsed.trailer).toEqual({
            count: transfers.length,
            totalYen: transfers.reduce((s, t) => s + t.amountYen, 0n),
          });
          expect(parsed.trailer.totalYen).toBe(parsed.transfers.reduce((s, t) => s + t.amountYen, 0n));
        }),
      );
    });

    /** Bytes no field of a kind takes: a non-digit for N, a non-space for ダミー, outside the name set for names. */
    const NOT_IN_NAMES = [
      0x00, 0x09, 0x0a, 0x0d, 0x21, 0x2a, 0x2f, 0x2c, 0x61, 0x7a, 0x7e, 0x80, 0xa6, 0xa7, 0xaf, 0xb0, 0xe0, 0xff,
    ];
    const ALL_BYTES = Array.from({ length: 256 }, (_, b) => b);
    const badBytes = (field: { type: 'N' | 'C'; charset?: string; name: string }): number[] =>
      field.type === 'N'
        ? ALL_BYTES.filter((b) => b < 0x30 || b > 0x39)
        : field.charset === 'blank' || field.name === '識別表示'
          ? ALL_BYTES.filter((b) => b !== 0x20 && b !== 0x59)
          : NOT_IN_NAMES;

    it('one corrupted byte in any field gives a problem naming that record (and the field, unless the byte breaks the line)', () => {
      fc.assert(
        fc.property(
          transfersArb,
          fc.nat(),
          fc.nat(),
          fc.nat(),
          fc.nat(),
          (transfers, recordPick, fieldPick, offsetPick, bytePick) => {
            const bytes = Buffer.from(write(transfers));
            const count = transfers.length + 3;
            const record = (recordPick % count) + 1;
            const kind: ZenginRecordKind =
              record === 1 ? 'header' : record === count - 1 ? 'trailer' : record === count ? 'end' : 'data';
            const fields = ZENGIN_LAYOUT[kind];
            const field = fields[fieldPick % fields.length]!;
            const position = field.start + (offsetPick % field.length);
            const candidates = badBytes(field);
            const value = candidates[bytePick % candidates.length]!;
            bytes[(record - 1) * 122 + position - 1] = value;
            const problems = validateZenginFile(bytes);
            expect(problems.some((p) => p.record === record)).toBe(true);
            if (value !== 0x0a && value !== 0x0d) {
              expect(
                problems.some((p) => p.record === record && (p.field === field.name || p.field === 'データ区分')),
              ).toBe(true);
            }
          },
        ),
      );
    });

    it('a byte dropped from or added to a record gives a length problem naming that record', () => {
      fc.assert(
        fc.property(
          transfersArb,
          fc.nat(),
          fc.nat({ max: 119 }),
          fc.boolean(),
          (transfers, recordPick, offset, drop) => {
            const bytes = Buffer.from(write(transfers));
            const count = transfers.length + 3;
            const record = (recordPick % count) + 1;
            const at = (record - 1) * 122 + offset;
            const changed = drop
              ? Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)])
              : Buffer.concat([bytes.subarray(0, at), Buffer.from('A'), bytes.subarray(at)]);
            const problems = validateZenginFile(changed);
            expect(problems).toContainEqual(
              expect.objectContaining({ record, field: 'レコード長', code: 'zengin.record_length' }),
            );
          },
        ),
      );
    });

    it('another digit in an amount or in the trailer is caught by the trailer (count and sum equal the data)', () => {
      fc.assert(
        fc.property(
          transfersArb,
          fc.nat(),
          fc.nat({ max: 9 }),
          fc.integer({ min: 1, max: 9 }),
          (transfers, pick, offset, delta) => {
            const bytes = Buffer.from(write(transfers));
            const count = transfers.length + 3;
            const trailer = count - 1;
            // A data record's 振込金額 (81–90) or the trailer's 合計件数 / 合計金額 (2–19).
            const onTrailer = pick % 2 === 0;
            const record = onTrailer ? trailer : 2 + (pick % transfers.length);
            const position = onTrailer ? 2 + (offset % 18) : 81 + offset;
            const index = (record - 1) * 122 + position - 1;
            bytes[index] = 0x30 + ((bytes[index]! - 0x30 + delta) % 10);
            const problems = validateZenginFile(bytes);
            expect(
              problems.some(
                (p) =>
                  (p.record === trailer && (p.field === '合計件数' || p.field === '合計金額')) ||
                  (p.record === record && p.field === '振込金額' && p.code === 'zengin.amount_out_of_range'),
              ),
            ).toBe(true);
          },
        ),
      );
    });
  });
});
