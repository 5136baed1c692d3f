import fc from 'fast-check';
import iconv from 'iconv-lite';
import type { JournalEntry, JournalLine, TaxCategory } from '../../../src/domain/model.js';
import {
  FREEE_HEADER,
  FREEE_NAMES,
  JOURNAL_PARSERS,
  JOURNAL_WRITERS,
  MONEY_FORWARD_HEADER,
  MONEY_FORWARD_NAMES,
  parseFreeeJournal,
  parseMoneyForwardJournal,
  parseYayoiJournal,
  writeFreeeJournal,
  writeMoneyForwardJournal,
  writeYayoiJournal,
  YAYOI_NAMES,
  type JournalVendor,
  type ParsedJournalEntry,
} from '../../../src/domain/files/journals.js';
import { parseCsv } from '@workshare/files';
import { SETTLEMENT } from './fixtures.js';

const VENDORS: JournalVendor[] = ['yayoi', 'money_forward', 'freee'];
const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const sjis = (bytes: Uint8Array) => iconv.decode(Buffer.from(bytes), 'Shift_JIS');

/** An entry's lines in a comparable order (files give debit lines first; the freee counter side last). */
const normal = (e: Pick<ParsedJournalEntry, 'number' | 'date' | 'counterparty' | 'description' | 'lines'>) => ({
  number: e.number,
  date: e.date,
  counterparty: e.counterparty,
  description: e.description,
  lines: e.lines.map((l) => JSON.stringify(l, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).sort(),
});

const balanced = (e: ParsedJournalEntry) =>
  e.lines.filter((l) => l.side === 'debit').reduce((s, l) => s + l.amountYen, 0n) ===
  e.lines.filter((l) => l.side === 'credit').reduce((s, l) => s + l.amountYen, 0n);

/** Σ of an account, on its normal side (credit for sales, debit for costs), tax included. */
const total = (entries: readonly ParsedJournalEntry[], account: JournalLine['account'], side: JournalLine['side']) =>
  entries
    .flatMap((e) => e.lines)
    .filter((l) => l.account === account)
    .reduce((s, l) => s + (l.side === side ? l.amountYen : -l.amountYen), 0n);

const refusedWith = (f: () => unknown): { code: string; message: string } => {
  try {
    f();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('not refused');
};

describe('journal CSV for 弥生, Money Forward and freee', () => {
  describe.each(VENDORS)('%s: the month’s journal', (vendor) => {
    const bytes = JOURNAL_WRITERS[vendor](SETTLEMENT);
    const parsed = JOURNAL_PARSERS[vendor](bytes);

    it('parses back (in its encoding) to the same entries', () => {
      expect(parsed.map(normal)).toEqual(SETTLEMENT.journal.map(normal));
    });

    it('every entry read back is balanced', () => {
      expect(parsed.length).toBe(SETTLEMENT.journal.length);
      for (const entry of parsed) expect(balanced(entry)).toBe(true);
    });

    it('sales equal the invoices (amount + tax, less their 返還 parts); purchases equal the statements', () => {
      const invoiced = SETTLEMENT.invoices.reduce((s, i) => s + i.amountDueYen, 0n);
      const invoicedByTotals = SETTLEMENT.invoices.reduce(
        (s, i) =>
          s +
          i.totals.reduce((t, r) => t + r.amountYen + r.taxYen, 0n) -
          i.returnTotals.reduce((t, r) => t + r.amountYen + r.taxYen, 0n),
        0n,
      );
      expect(total(parsed, 'sales', 'credit')).toBe(invoiced);
      expect(total(parsed, 'sales', 'credit')).toBe(invoicedByTotals);
      const salesTax = parsed
        .flatMap((e) => e.lines)
        .filter((l) => l.account === 'sales')
        .reduce((s, l) => s + (l.side === 'credit' ? l.taxYen : -l.taxYen), 0n);
      expect(salesTax).toBe(
        SETTLEMENT.invoices.reduce(
          (s, i) => s + i.totals.reduce((t, r) => t + r.taxYen, 0n) - i.returnTotals.reduce((t, r) => t + r.taxYen, 0n),
          0n,
        ),
      );
      const contractors = SETTLEMENT.statements.filter((s) => s.contractType === 'contractor');
      const employees = SETTLEMENT.statements.filter((s) => s.contractType === 'employee');
      expect(total(parsed, 'outsourcing', 'debit')).toBe(
        contractors.reduce((s, c) => s + c.feeYen + c.consumptionTaxYen, 0n),
      );
      expect(total(parsed, 'withholding_payable', 'credit')).toBe(
        contractors.reduce((s, c) => s + c.withholdingYen, 0n),
      );
      expect(total(parsed, 'wages', 'debit')).toBe(employees.reduce((s, c) => s + c.feeYen + c.topUpYen, 0n));
      expect(total(parsed, 'accrued', 'credit')).toBe(SETTLEMENT.statements.reduce((s, c) => s + c.payableYen, 0n));
    });

    it('the same journal gives the same bytes', () => {
      expect(Buffer.from(JOURNAL_WRITERS[vendor](SETTLEMENT)).equals(Buffer.from(bytes))).toBe(true);
    });
  });

  describe('弥生 インポート形式', () => {
    const bytes = writeYayoiJournal(SETTLEMENT);
    const text = sjis(bytes);
    const rows = text.split('\r\n').slice(0, -1);

    it('Shift_JIS, CRLF, no header row, 25 fields a row', () => {
      expect([...bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
      // 売掛金 in Shift_JIS.
      expect(Buffer.from(bytes).includes(iconv.encode('売掛金', 'Shift_JIS'))).toBe(true);
      expect(utf8(bytes)).not.toContain('売掛金');
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      expect(rows[0]!.startsWith('2000,')).toBe(true);
      // One row a line (the wages entry's description holds a comma: that field is quoted).
      expect(rows.length).toBe(8);
      for (const row of parseCsv(text)) expect(row.length).toBe(25);
      expect(rows[7]).toContain('"2026年4月分 賃金 PAY-fujisato-202604-0003（最低賃金補填 1,062円を含む）"');
    });

    it('識別フラグ: 2000 for a one-line entry; 2110 / 2100 / 2101 for a slip', () => {
      expect(rows.map((r) => r.split(',')[0])).toEqual([
        '2000',
        '2000',
        '2000',
        '2110',
        '2101',
        '2110',
        '2101',
        '2000',
      ]);
      const three: JournalEntry = {
        number: 1,
        date: '2026-04-30',
        kind: 'contractor_fee',
        counterparty: '',
        description: 'x',
        lines: [
          { side: 'debit', account: 'outsourcing', subAccount: null, taxCategory: 'none', amountYen: 1n, taxYen: 0n },
          { side: 'debit', account: 'outsourcing', subAccount: null, taxCategory: 'none', amountYen: 1n, taxYen: 0n },
          { side: 'debit', account: 'outsourcing', subAccount: null, taxCategory: 'none', amountYen: 1n, taxYen: 0n },
          { side: 'credit', account: 'accrued', subAccount: null, taxCategory: 'none', amountYen: 3n, taxYen: 0n },
        ],
      };
      const slip = sjis(writeYayoiJournal({ journal: [three] }))
        .split('\r\n')
        .slice(0, -1);
      expect(slip.map((r) => r.split(',')[0])).toEqual(['2110', '2100', '2101']);
      expect(parseYayoiJournal(writeYayoiJournal({ journal: [three] }))[0]!.lines).toHaveLength(4);
    });

    it('writes the reference’s example rows', () => {
      const sale: JournalEntry = {
        number: 1,
        date: '2026-04-30',
        kind: 'sale',
        counterparty: '',
        description: '4月分 請求 INV-0001',
        lines: [
          {
            side: 'debit',
            account: 'receivable',
            subAccount: '組合員A',
            taxCategory: 'none',
            amountYen: 110_000n,
            taxYen: 0n,
          },
          {
            side: 'credit',
            account: 'sales',
            subAccount: null,
            taxCategory: 'sales_10',
            amountYen: 110_000n,
            taxYen: 10_000n,
          },
        ],
      };
      const fee: JournalEntry = {
        number: 2,
        date: '2026-05-25',
        kind: 'contractor_fee',
        counterparty: '',
        description: '4月分デザイン料 山田太郎',
        lines: [
          {
            side: 'debit',
            account: 'outsourcing',
            subAccount: null,
            taxCategory: 'purchase_10_qualified',
            amountYen: 110_000n,
            taxYen: 10_000n,
          },
          { side: 'credit', account: 'bank', subAccount: null, taxCategory: 'none', amountYen: 99_790n, taxYen: 0n },
          {
            side: 'credit',
            account: 'withholding_payable',
            subAccount: '源泉所得税',
            taxCategory: 'none',
            amountYen: 10_210n,
            taxYen: 0n,
          },
        ],
      };
      expect(sjis(writeYayoiJournal({ journal: [sale, fee] })).split('\r\n')).toEqual([
        '2000,,,2026/04/30,売掛金,組合員A,,対象外,110000,0,売上高,,,課税売上内10%,110000,10000,4月分 請求 INV-0001,,,0,,,0,0,no',
        '2110,,,2026/05/25,外注費,,,課対仕入内10%適格,110000,10000,普通預金,,,対象外,99790,0,4月分デザイン料 山田太郎,,,3,,,0,0,no',
        // The reference's second 摘要 is "4月分デザイン料 源泉所得税": here every row of a slip carries the entry's description.
        '2101,,,2026/05/25,,,,,0,0,預り金,源泉所得税,,対象外,10210,0,4月分デザイン料 山田太郎,,,3,,,0,0,no',
        '',
      ]);
    });

    it('text that Shift_JIS cannot hold is refused naming it; 〜 is written as CP932’s ～', () => {
      const entry = { ...SETTLEMENT.journal[0]!, description: '4月分 😀' };
      const error = refusedWith(() => writeYayoiJournal({ journal: [entry] }));
      expect(error.code).toBe('csv.unencodable_character');
      expect(error.message).toContain('😀');
      const wave = parseYayoiJournal(writeYayoiJournal({ journal: [{ ...entry, description: '4月〜5月' }] }));
      expect(wave[0]!.description).toBe('4月～5月');
    });
  });

  describe('Money Forward 仕訳帳インポート', () => {
    const bytes = writeMoneyForwardJournal(SETTLEMENT);

    it('UTF-8 with a BOM, CRLF, the 27-column header row exactly as the reference', () => {
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = utf8(bytes.subarray(3));
      expect(text.split('\r\n')[0]).toBe(
        '取引No,取引日,借方勘定科目,借方補助科目,借方部門,借方取引先,借方税区分,借方インボイス,借方金額(円),借方税額,貸方勘定科目,貸方補助科目,貸方部門,貸方取引先,貸方税区分,貸方インボイス,貸方金額(円),貸方税額,摘要,仕訳メモ,タグ,MF仕訳タイプ,決算整理仕訳,作成日時,作成者,最終更新日時,最終更新者',
      );
      expect(MONEY_FORWARD_HEADER).toHaveLength(27);
      for (const row of parseCsv(text)) expect(row.length).toBe(27);
    });

    it('writes the reference’s example rows; the unregistered contractor’s purchase is 課税仕入 10% / 80%控除', () => {
      const sale: JournalEntry = {
        number: 1,
        date: '2026-04-30',
        kind: 'sale',
        counterparty: '組合員A',
        description: '4月分 請求 INV-0001',
        lines: [
          {
            side: 'debit',
            account: 'receivable',
            subAccount: null,
            taxCategory: 'none',
            amountYen: 110_000n,
            taxYen: 0n,
          },
          {
            side: 'credit',
            account: 'sales',
            subAccount: null,
            taxCategory: 'sales_10',
            amountYen: 110_000n,
            taxYen: 10_000n,
          },
        ],
      };
      const fee: JournalEntry = {
        number: 2,
        date: '2026-05-25',
        kind: 'contractor_fee',
        counterparty: '山田太郎',
        description: '4月分デザイン料',
        lines: [
          {
            side: 'debit',
            account: 'outsourcing',
            subAccount: null,
            taxCategory: 'purchase_10_qualified',
            amountYen: 110_000n,
            taxYen: 10_000n,
          },
          { side: 'credit', account: 'bank', subAccount: null, taxCategory: 'none', amountYen: 99_790n, taxYen: 0n },
          {
            side: 'credit',
            account: 'withholding_payable',
            subAccount: '源泉所得税',
            taxCategory: 'none',
            amountYen: 10_210n,
            taxYen: 0n,
          },
        ],
      };
      expect(
        utf8(writeMoneyForwardJournal({ journal: [sale, fee] }).subarray(3))
          .split('\r\n')
          .slice(1),
      ).toEqual([
        '1,2026/04/30,売掛金,,,組合員A,対象外,,110000,0,売上高,,,組合員A,課税売上 10%,,110000,10000,4月分 請求 INV-0001,,,,,,,,',
        '2,2026/05/25,外注費,,,山田太郎,課税仕入 10%,適格,110000,10000,普通預金,,,,対象外,,99790,0,4月分デザイン料,,,,,,,,',
        // The reference's 摘要 here is "4月分デザイン料 源泉所得税": every row of an entry carries its description.
        '2,2026/05/25,,,,,,,0,0,預り金,源泉所得税,,,対象外,,10210,0,4月分デザイン料,,,,,,,,',
        '',
      ]);
      const rows = utf8(bytes.subarray(3)).split('\r\n');
      expect(rows.find((r) => r.startsWith('5,'))).toContain(',課税仕入 10%,80%控除,57800,5254,');
    });

    it('a blank インボイス on 課税仕入 10% reads as 適格 (the import sets it so)', () => {
      const text = utf8(bytes.subarray(3)).replace(',課税仕入 10%,適格,', ',課税仕入 10%,,');
      const back = parseMoneyForwardJournal(Buffer.from(text, 'utf8'));
      expect(back[3]!.lines[0]!.taxCategory).toBe('purchase_10_qualified');
    });
  });

  describe('freee 取引インポート', () => {
    const bytes = writeFreeeJournal(SETTLEMENT);
    const rows = utf8(bytes.subarray(3)).split('\r\n');

    it('UTF-8 with a BOM, CRLF, the 21-column header row exactly as the reference', () => {
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(rows[0]).toBe(
        '収支区分,管理番号,発生日,決済期日,取引先コード,取引先,勘定科目,税区分,金額,税計算区分,税額,備考,品目,部門,メモタグ（複数指定可、カンマ区切り）,セグメント1,セグメント2,セグメント3,決済日,決済口座,決済金額',
      );
      expect(FREEE_HEADER).toHaveLength(21);
    });

    it('a sale is 収入 (売掛金 left to freee); a return a negative 収入; a fee 支出 with 預り金 as a negative detail row', () => {
      expect(rows[1]).toBe(
        '収入,1,2026/04/30,,,株式会社あきた商事,売上高,課税売上10%,129800,内税,11800,2026年4月分 請求 INV-fujisato-202604-001,,,,,,,,,',
      );
      expect(rows[3]).toBe(
        '収入,3,2026/04/30,,,合同会社ふじさと企画,売上高,課税売上10%,-3300,内税,-300,2026年3月分の返還 INV-fujisato-202603-002,,,,,,,,,',
      );
      expect(rows[4]).toBe(
        '支出,4,2026/04/30,,,member-a,外注費,課対仕入10%,93500,内税,8500,2026年4月分 報酬 PAY-fujisato-202604-0001,,,,,,,,,',
      );
      expect(rows[5]).toBe(',,,,,,預り金,対象外,-8678,,,,源泉所得税,,,,,,,,');
      expect(rows[6]).toContain(',外注費,課対仕入(控80)10%,57800,内税,5254,');
    });

    it('a fee paid from 普通預金 gives 決済日 / 決済口座 / 決済金額 (the reference’s example) and reads back', () => {
      const fee: JournalEntry = {
        number: 7,
        date: '2026-05-25',
        kind: 'contractor_fee',
        counterparty: '山田太郎',
        description: '4月分デザイン料',
        lines: [
          {
            side: 'debit',
            account: 'outsourcing',
            subAccount: null,
            taxCategory: 'purchase_10_qualified',
            amountYen: 110_000n,
            taxYen: 10_000n,
          },
          { side: 'credit', account: 'bank', subAccount: null, taxCategory: 'none', amountYen: 99_790n, taxYen: 0n },
          {
            side: 'credit',
            account: 'withholding_payable',
            subAccount: null,
            taxCategory: 'none',
            amountYen: 10_210n,
            taxYen: 0n,
          },
        ],
      };
      const out = writeFreeeJournal({ journal: [fee] });
      expect(utf8(out.subarray(3)).split('\r\n').slice(1)).toEqual([
        '支出,7,2026/05/25,,,山田太郎,外注費,課対仕入10%,110000,内税,10000,4月分デザイン料,,,,,,,2026/05/25,普通預金,99790',
        ',,,,,,預り金,対象外,-10210,,,,,,,,,,,,',
        '',
      ]);
      expect(parseFreeeJournal(out).map(normal)).toEqual([normal(fee)]);
    });

    it('an entry with nothing but its counter side is no freee 取引: journal.freee_unrepresentable', () => {
      const payment: JournalEntry = {
        number: 1,
        date: '2026-05-25',
        kind: 'contractor_fee',
        counterparty: '',
        description: '支払',
        lines: [
          { side: 'debit', account: 'accrued', subAccount: null, taxCategory: 'none', amountYen: 10n, taxYen: 0n },
          { side: 'credit', account: 'bank', subAccount: null, taxCategory: 'none', amountYen: 10n, taxYen: 0n },
        ],
      };
      expect(refusedWith(() => writeFreeeJournal({ journal: [payment] })).code).toBe('journal.freee_unrepresentable');
    });
  });

  describe('vendor tables', () => {
    it('the reference’s names; the transitional 70/50/30/0 names follow the 80% pattern and are marked unverified', () => {
      expect(YAYOI_NAMES.tax.sales_10.name).toBe('課税売上内10%');
      expect(YAYOI_NAMES.tax.purchase_10_qualified.name).toBe('課対仕入内10%適格');
      expect(YAYOI_NAMES.tax.purchase_10_transitional_80.name).toBe('課対仕入内10%区分80%');
      expect(YAYOI_NAMES.tax.purchase_10_transitional_70.name).toBe('課対仕入内10%区分70%');
      expect(MONEY_FORWARD_NAMES.tax.sales_10.name).toBe('課税売上 10%');
      expect(MONEY_FORWARD_NAMES.tax.purchase_10_transitional_70.invoice).toBe('70%控除');
      expect(FREEE_NAMES.tax.purchase_10_transitional_80.name).toBe('課対仕入(控80)10%');
      expect(FREEE_NAMES.tax.purchase_10_transitional_70.name).toBe('課対仕入(控70)10%');
      for (const names of [YAYOI_NAMES, MONEY_FORWARD_NAMES, FREEE_NAMES]) {
        expect(names.tax.purchase_10_transitional_80.verified).toBe(true);
        for (const key of [
          'purchase_10_transitional_70',
          'purchase_10_transitional_50',
          'purchase_10_transitional_30',
          'purchase_10_transitional_0',
        ] as const) {
          expect(names.tax[key].verified).toBe(false);
        }
        expect(Object.values(names.accounts)).toEqual([
          '売掛金',
          '売上高',
          '外注費',
          '普通預金',
          '預り金',
          '給料手当',
          '未払金',
        ]);
      }
    });
  });

  describe('refusals (every vendor)', () => {
    const entry = SETTLEMENT.journal[3]!;
    it.each(VENDORS)('%s: an unbalanced entry is journal.unbalanced', (vendor) => {
      const unbalanced = { ...entry, lines: entry.lines.slice(0, 2) };
      expect(refusedWith(() => JOURNAL_WRITERS[vendor]({ journal: [unbalanced] })).code).toBe('journal.unbalanced');
    });
    it.each(['yayoi', 'money_forward'] as const)('%s: a negative amount is journal.negative_amount', (vendor) => {
      const negative: JournalEntry = {
        ...entry,
        lines: [
          { ...entry.lines[0]!, amountYen: -1n },
          { ...entry.lines[1]!, amountYen: -1n },
        ],
      };
      expect(refusedWith(() => JOURNAL_WRITERS[vendor]({ journal: [negative] })).code).toBe('journal.negative_amount');
    });
    it.each(VENDORS)(
      '%s: a line break in text becomes a space (one row a line); commas and quotes are quoted',
      (vendor) => {
        const text = {
          ...SETTLEMENT.journal[0]!,
          counterparty: '株式会社"あきた",商事',
          description: '1行目\r\n2行目',
        };
        const back = JOURNAL_PARSERS[vendor](JOURNAL_WRITERS[vendor]({ journal: [text] }));
        expect(back[0]!.description).toBe('1行目  2行目');
        expect(back[0]!.counterparty).toBe('株式会社"あきた",商事');
      },
    );
  });

  describe('property: random journals parse back in every format', () => {
    const text = fc.string({ unit: fc.constantFrom(...'あア亜売上,"  AZaz09-・（）％', '源泉'), maxLength: 20 });
    const yen = (max: bigint) => fc.bigInt({ min: 1n, max });
    const purchaseTax: fc.Arbitrary<TaxCategory> = fc.oneof(
      fc.constant('purchase_10_qualified' as const),
      fc.constantFrom(80 as const, 70 as const, 50 as const, 30 as const, 0 as const).map((creditPercent) => ({
        kind: 'purchase_10_transitional' as const,
        creditPercent,
      })),
    );
    const line = (
      side: JournalLine['side'],
      account: JournalLine['account'],
      amountYen: bigint,
      taxYen = 0n,
      taxCategory: TaxCategory = 'none',
      subAccount: string | null = null,
    ): JournalLine => ({ side, account, subAccount, taxCategory, amountYen, taxYen });

    const shape = fc.oneof(
      fc.record({ amount: yen(10_000_000n), tax: yen(1_000_000n) }).map(({ amount, tax }) => ({
        kind: 'sale' as const,
        lines: [line('debit', 'receivable', amount + tax), line('credit', 'sales', amount + tax, tax, 'sales_10')],
      })),
      fc.record({ amount: yen(1_000_000n), tax: yen(100_000n) }).map(({ amount, tax }) => ({
        kind: 'sale_return' as const,
        lines: [line('debit', 'sales', amount + tax, tax, 'sales_10'), line('credit', 'receivable', amount + tax)],
      })),
      fc
        .record({
          fee: yen(5_000_000n),
          tax: fc.bigInt({ min: 0n, max: 500_000n }),
          category: purchaseTax,
          paid: fc.constantFrom('bank' as const, 'accrued' as const),
          withheld: fc.boolean(),
        })
        .map(({ fee, tax, category, paid, withheld }) => {
          const withholding = withheld ? (fee * 1021n) / 10000n : 0n;
          return {
            kind: 'contractor_fee' as const,
            lines: [
              line('debit', 'outsourcing', fee + tax, tax, category),
              line('credit', paid, fee + tax - withholding),
              ...(withholding > 0n
                ? [line('credit', 'withholding_payable', withholding, 0n, 'none', '源泉所得税')]
                : []),
            ],
          };
        }),
      fc.record({ wages: yen(500_000n), topUp: fc.bigInt({ min: 0n, max: 50_000n }) }).map(({ wages, topUp }) => ({
        kind: 'wages' as const,
        lines: [line('debit', 'wages', wages + topUp), line('credit', 'accrued', wages + topUp)],
      })),
    );
    const journal = fc
      .array(fc.record({ shape, counterparty: text, description: text, day: fc.integer({ min: 1, max: 28 }) }), {
        minLength: 1,
        maxLength: 8,
      })
      .map((items) =>
        items.map(({ shape, counterparty, description, day }, i): JournalEntry => ({
          number: i + 1,
          date: `2026-04-${String(day).padStart(2, '0')}`,
          kind: shape.kind,
          counterparty,
          description,
          lines: shape.lines,
        })),
      );

    it.each(VENDORS)('%s: the same entries, balanced, with the same totals', (vendor) => {
      fc.assert(
        fc.property(journal, (entries) => {
          const bytes = JOURNAL_WRITERS[vendor]({ journal: entries });
          const back = JOURNAL_PARSERS[vendor](bytes);
          expect(back.map(normal)).toEqual(entries.map(normal));
          for (const e of back) expect(balanced(e)).toBe(true);
          for (const account of ['sales', 'outsourcing', 'wages', 'withholding_payable'] as const) {
            expect(total(back, account, 'debit')).toBe(total(entries, account, 'debit'));
          }
          expect(Buffer.from(JOURNAL_WRITERS[vendor]({ journal: entries })).equals(Buffer.from(bytes))).toBe(true);
        }),
        { numRuns: 60 },
      );
    });
  });
});
