import { settlementV1 } from '@workshare/proto';
import fc from 'fast-check';
import Fastify from 'fastify';
import { contentDisposition, sendDownload } from '../../src/adapters/http/downloads.js';

/** The name a client reads back: `filename*` (RFC 5987) when given, else the quoted `filename`. */
const nameOf = (header: string): string => {
  const extended = /; filename\*=UTF-8''([^;]+)$/.exec(header)?.[1];
  if (extended !== undefined) return decodeURIComponent(extended);
  return /^attachment; filename="([^"]*)"$/.exec(header)?.[1] ?? '';
};

describe('a download’s Content-Disposition', () => {
  it('a plain ASCII name: attachment; filename="..."', () => {
    expect(contentDisposition('invoice-INV-fujisato-202611-001.pdf')).toBe(
      'attachment; filename="invoice-INV-fujisato-202611-001.pdf"',
    );
  });

  it('a name that is not plain ASCII, or holds a quote or %: an ASCII stand-in and filename* (RFC 5987)', () => {
    expect(contentDisposition('請求書-2026年11月.pdf')).toBe(
      'attachment; filename="___-2026_11_.pdf"; filename*=UTF-8\'\'%E8%AB%8B%E6%B1%82%E6%9B%B8-2026%E5%B9%B411%E6%9C%88.pdf',
    );
    expect(contentDisposition('a "b" 100%.csv')).toBe(
      `attachment; filename="a _b_ 100_.csv"; filename*=UTF-8''a%20%22b%22%20100%25.csv`,
    );
    expect(contentDisposition("it's (1).txt")).toBe(`attachment; filename="it's (1).txt"`);
    expect(contentDisposition('明細 (1).pdf')).toContain("filename*=UTF-8''%E6%98%8E%E7%B4%B0%20%281%29.pdf");
  });

  it('a name is a file name: no path, no control characters; none at all is a contract breach', () => {
    expect(contentDisposition('../../etc/passwd')).toBe('attachment; filename=".._.._etc_passwd"');
    expect(contentDisposition('a\\b\r\nSet-Cookie: x.txt')).toBe('attachment; filename="a_bSet-Cookie: x.txt"');
    expect(() => contentDisposition('')).toThrow(/without a name/);
    expect(() => contentDisposition('\r\n')).toThrow(/without a name/);
  });

  it('property: the header is printable ASCII, and a client reads back the name (path and control characters taken out)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), (name) => {
        // eslint-disable-next-line no-control-regex
        const expected = name.replace(/[\u0000-\u001f\u007f]/g, '').replace(/[/\\]/g, '_');
        fc.pre(expected.trim() !== '');
        const header = contentDisposition(name);
        expect(header).toMatch(/^[\x20-\x7e]+$/);
        expect(nameOf(header)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('sending a download', () => {
  const serve = async (file: settlementV1.DownloadResponse) => {
    const app = Fastify();
    app.get('/file', async (_request, reply) => sendDownload(reply, file));
    await app.ready();
    try {
      return await app.inject({ method: 'GET', url: '/file' });
    } finally {
      await app.close();
    }
  };

  it('the bytes as given, settlement’s media type, an attachment, never cached, never sniffed', async () => {
    const bytes = Buffer.from([0x82, 0xa0, 0x0d, 0x0a, 0x00, 0xff]);
    const response = await serve({ content: bytes, mediaType: 'text/plain; charset=Shift_JIS', fileName: 'z.txt' });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/plain; charset=Shift_JIS',
      'content-disposition': 'attachment; filename="z.txt"',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    expect(response.rawPayload.equals(bytes)).toBe(true);
  });

  it('a media type that is none (empty, a header break) is refused as the service’s fault', async () => {
    for (const mediaType of ['', 'pdf', 'text/plain\r\nX-Evil: 1', 'text/csv; charset=']) {
      const response = await serve({ content: Buffer.from('x'), mediaType, fileName: 'x.csv' });
      expect(response.statusCode).toBe(500);
    }
  });
});
