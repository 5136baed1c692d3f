import { inflateSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import {
  createPdfRenderer,
  DEFAULT_FONT_PATH,
  FONT_MISSING,
  FONT_PACKAGE,
  renderInvoicePdf,
  renderStatementPdf,
} from '../../../src/adapters/pdf/index.js';
import { INVOICES, SETTLEMENT, STATEMENTS } from '../../domain/files/fixtures.js';

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** The streams of a PDF (pdfkit's layout: `N 0 obj\n<<…>>\nstream\n…\nendstream`), inflated when Flate-compressed. */
const streams = (bytes: Uint8Array): { dict: string; data: Buffer }[] => {
  const buffer = Buffer.from(bytes);
  const text = buffer.toString('latin1');
  const found: { dict: string; data: Buffer }[] = [];
  const marker = '>>\nstream\n';
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
    const dict = text.slice(text.lastIndexOf(' obj\n', at), at);
    const start = at + marker.length;
    const raw = buffer.subarray(start, text.indexOf('\nendstream', start));
    found.push({ dict, data: dict.includes('/FlateDecode') ? inflateSync(raw) : raw });
  }
  return found;
};

/**
 * The text drawn, one string per TJ run: the glyph ids of the content streams mapped back through
 * the font's ToUnicode CMap (pdfkit writes it as one bfrange array). A check of what the page says,
 * not a general extractor.
 */
const drawnText = (bytes: Uint8Array): string[] => {
  const all = streams(bytes).map((s) => s.data.toString('latin1'));
  const cmap = all.find((s) => s.includes('beginbfrange'))!;
  const toUnicode = new Map<number, string>();
  for (const range of cmap.matchAll(/<([0-9a-f]{4})> <([0-9a-f]{4})> \[([^\]]*)\]/g)) {
    const first = parseInt(range[1]!, 16);
    [...range[3]!.matchAll(/<([0-9a-f]+)>/g)].forEach((u, i) =>
      toUnicode.set(first + i, String.fromCharCode(...u[1]!.match(/.{4}/g)!.map((h) => parseInt(h, 16)))),
    );
  }
  return all
    .filter((s) => s.includes(' TJ'))
    .flatMap((s) => [...s.matchAll(/\[([^\]]*)\] TJ/g)])
    .map((run) =>
      [...run[1]!.matchAll(/<([0-9a-f]+)>/g)]
        .map((h) =>
          h[1]!
            .match(/.{4}/g)!
            .map((g) => toUnicode.get(parseInt(g, 16)) ?? '?')
            .join(''),
        )
        .join(''),
    );
};

describe('PDF (pdfkit, IPAexGothic)', () => {
  const renderer = createPdfRenderer();

  it('the Debian font is installed where the default path says (fonts-ipaexfont-gothic)', () => {
    expect(existsSync(DEFAULT_FONT_PATH)).toBe(true);
  });

  it.each(INVOICES.map((i) => [i.invoiceNumber, i] as const))(
    'invoice %s: a PDF with a subset of IPAexGothic embedded',
    async (_, invoice) => {
      const pdf = await renderer.invoice(SETTLEMENT, invoice);
      const text = latin1(pdf);
      expect(text.startsWith('%PDF-1.7')).toBe(true);
      expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
      // A subset: a six-letter tag before the PostScript name, the TrueType program embedded (FontFile2).
      expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+IPAexGothic/);
      expect(text).toMatch(/\/FontFile2 \d+ 0 R/);
      expect(text).toMatch(/\/Subtype \/CIDFontType2/);
      // Only the glyphs used: the whole font is 6 MB, the document a small part of that.
      expect(pdf.length).toBeLessThan(300_000);
      expect(text).not.toMatch(/\/BaseFont \/Helvetica/);
    },
  );

  it('the invoice shows the six items of 消法57条の4①, the due date, the 返還 part and the account to pay into', async () => {
    const invoice = INVOICES[1]!;
    const text = drawnText(await renderer.invoice(SETTLEMENT, invoice)).join('\n');
    // ① the issuer's name and registration number.
    expect(text).toContain('藤里ワークシェア協同組合');
    expect(text).toContain('登録番号　T7123456789012');
    // ② the transaction period.
    expect(text).toContain('2026年4月1日〜2026年4月30日');
    // ③ what was done.
    expect(text).toContain('町史の英訳');
    // ④ the tax-excluded total per rate with the rate, ⑤ the tax per rate.
    expect(text).toContain('10%対象');
    expect(text).toContain('50,000円');
    expect(text).toContain('5,000円');
    // ⑥ the recipient.
    expect(text).toContain('合同会社ふじさと企画　御中');
    // The 返還 part: the month and invoice it corrects, its amount and tax.
    expect(text).toContain('返還（適格返還請求書）');
    expect(text).toContain('2026年3月分\nINV-fujisato-202603-002');
    expect(text).toContain('3,000円');
    expect(text).toContain('300円');
    // The amount due net of the return, the due date, the account.
    expect(text).toContain('51,700円');
    expect(text).toContain('2026年5月31日');
    expect(text).toContain('アキタ（0117）　フジサト（123）　普通　1234567');
  });

  it('the statement shows the member, the lines, fee, tax, withholding, payable, pay day and the latest lawful day', async () => {
    const text = drawnText(await renderer.statement(SETTLEMENT, STATEMENTS[0]!, '山田 花子')).join('\n');
    expect(text).toContain('支払通知書');
    expect(text).toContain('山田 花子　様');
    expect(text).toContain('観光パンフレットのデザイン');
    expect(text).toContain('85,000円');
    expect(text).toContain('8,500円');
    expect(text).toContain('-8,678円');
    expect(text).toContain('84,822円');
    expect(text).toContain('2026年5月25日');
    expect(text).toContain('2026年6月18日');
    expect(text).toContain('受領日から2か月以内');
    expect(text).toContain('登録番号　T2120901007402');
  });

  it("an employee's statement shows the top-up and says income tax and social insurance are payroll's", async () => {
    const text = drawnText(await renderer.statement(SETTLEMENT, STATEMENTS[2]!, '佐藤 純一')).join('\n');
    expect(text).toContain('最低賃金補填');
    expect(text).toContain('1,062円');
    expect(text).toContain('2,062円');
    expect(text).toContain('2026年3月分の調整');
    expect(text).toContain('所得税・社会保険料はこの通知に含まれません');
    expect(text).not.toContain('源泉徴収税額');
  });

  it('the same invoice renders to the same bytes twice (fixed dates and /ID)', async () => {
    const first = await renderer.invoice(SETTLEMENT, INVOICES[0]!);
    const second = await renderInvoicePdf(SETTLEMENT, INVOICES[0]!);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    const text = latin1(first);
    // CreationDate and ModDate are the close's instant (2026-05-01T01:00:00Z), not the render time.
    expect(text).toContain('(D:20260501010000Z)');
    expect(text.match(/\/ID \[<([0-9a-f]+)> <\1>\]/)).not.toBeNull();
  });

  it('another close instant gives another /ID and dates (the ID follows the document, not the clock)', async () => {
    const first = latin1(await renderer.invoice(SETTLEMENT, INVOICES[0]!));
    const later = latin1(
      await renderer.invoice({ ...SETTLEMENT, closedAt: new Date('2026-05-02T01:00:00Z') }, INVOICES[0]!),
    );
    const id = (t: string) => /\/ID \[<([0-9a-f]+)>/.exec(t)![1];
    expect(id(later)).not.toBe(id(first));
    expect(later).toContain('(D:20260502010000Z)');
  });

  it.each(STATEMENTS.map((s) => [s.statementNumber, s.contractType, s] as const))(
    'statement %s (%s): a PDF with the font subset, byte-identical twice',
    async (_, __, statement) => {
      const first = await renderer.statement(SETTLEMENT, statement, '山田 花子');
      const second = await renderStatementPdf(SETTLEMENT, statement, '山田 花子');
      expect(latin1(first).startsWith('%PDF-')).toBe(true);
      expect(latin1(first)).toMatch(/\/BaseFont \/[A-Z]{6}\+IPAexGothic/);
      expect(latin1(first)).toMatch(/\/FontFile2 \d+ 0 R/);
      expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    },
  );

  it('the member name is drawn: another name gives another document', async () => {
    const a = await renderer.statement(SETTLEMENT, STATEMENTS[0]!, '山田 花子');
    const b = await renderer.statement(SETTLEMENT, STATEMENTS[0]!, '佐藤 純一');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('a long invoice continues on further pages', async () => {
    const line = INVOICES[0]!.lines[0]!;
    const long = { ...INVOICES[0]!, lines: Array.from({ length: 80 }, (_, i) => ({ ...line, jobId: `job-${i}` })) };
    const text = latin1(await renderer.invoice(SETTLEMENT, long));
    expect(Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(text)?.[1] ?? 0)).toBeGreaterThan(1);
  });

  it('a missing font file is settlement.font_missing, naming the path and the Debian package', async () => {
    const path = '/nonexistent/fonts/ipaexg.ttf';
    expect(() => createPdfRenderer({ fontPath: path })).toThrow(
      expect.objectContaining({ code: FONT_MISSING, details: { path, package: FONT_PACKAGE } }),
    );
    await expect(renderInvoicePdf(SETTLEMENT, INVOICES[0]!, { fontPath: path })).rejects.toMatchObject({
      code: 'settlement.font_missing',
      message: expect.stringContaining('fonts-ipaexfont-gothic'),
    });
    await expect(renderStatementPdf(SETTLEMENT, STATEMENTS[0]!, '山田 花子', { fontPath: path })).rejects.toMatchObject(
      {
        code: 'settlement.font_missing',
        message: expect.stringContaining(path),
      },
    );
  });
});
