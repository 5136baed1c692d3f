/**
 * The accountant's page in a real browser: Debian's headless Chromium driven by playwright-core,
 * against the whole platform as `npm start` runs it (the built launcher: every service on the
 * embedded store, the gateway in front, the demo cooperative and its past month seeded). The demo
 * accountant signs in on the page and uses every part of it: the search (date, amount and
 * counterparty combined), a job's timeline drawn as a picture with its hand-off, the month's
 * reconciliation with a difference highlighted, the verification, and the exports (CSV in UTF-8
 * and in Shift_JIS). Screenshots of each step are kept in test-artifacts/ (see the README).
 *
 * The difference is the attack the audit exists for: once the demo month is closed, the platform
 * is stopped and an invoice is appended to the month's close by someone who writes to the store
 * directly (the embedded store's folder, opened by the test), then the platform is started again
 * on the same folder: the books now hold an invoice that no inspected job or approved time
 * accounts for, and the reconciliation shows it.
 *
 * The browser runs in New York time: the page shows Tokyo time whatever the reader's zone.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JsonObject } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { chromium, type Browser, type BrowserContext, type Download, type Page } from 'playwright-core';
import { chromiumBinary, describeNeeding } from '../../../../libs/bus/test/support/nats.js';
import { launcherBuilt, startPlatformProcess, type PlatformProcess } from '../support/platform-process.js';

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');
const PASSWORD = 'browser-demo-password';
const ACCOUNTANT = 'makoto.sasaki@accounting.example';
const COORDINATOR = 'yoko.fujiwara@fujisato.example';
const SURVEY_BUSINESS = '粕毛ふるさと観光有限会社';

/** What the test asks of the page's window (the tests are typed without the DOM's library). */
interface BrowserWindow {
  getComputedStyle(element: unknown): { readonly backgroundColor: string };
}

interface Json {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

describeNeeding(
  'the accountant’s page, in headless Chromium against the platform',
  { chromium: chromiumBinary(), 'the built launcher (services/launcher/dist)': launcherBuilt() },
  ({ chromium: executablePath }) => {
    let platform: PlatformProcess;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;

    const api = async (method: string, url: string, token?: string, body?: unknown): Promise<Json> => {
      const response = await fetch(`${platform.gatewayUrl}${url}`, {
        method,
        headers: {
          ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
    };
    const login = async (email: string) => {
      const answer = await api('POST', '/v1/auth/login', undefined, { email, password: PASSWORD });
      if (answer.status !== 200) throw new Error(`login of ${email}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body as { accessToken: string; caller: { subject: string } };
    };
    const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `audit-${name}.png`), fullPage: true });

    let folder: string;
    let demoMonth: string;
    /** The invoice appended behind the platform's back. */
    let forgedInvoice: string;

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      folder = mkdtempSync(path.join(tmpdir(), 'workshare-audit-page-'));
      platform = await startPlatformProcess(folder, PASSWORD);
      if (platform.demoMonth === undefined) throw new Error(`the demo's month was not seeded:\n${platform.output()}`);
      demoMonth = platform.demoMonth;
      // The demo's month closed by its coordinator.
      const coordinator = await login(COORDINATOR);
      const close = await api('POST', `/v1/regions/fujisato/settlements/${demoMonth}/close`, coordinator.accessToken);
      if (close.status !== 200)
        throw new Error(`closing the demo month: ${close.status} ${JSON.stringify(close.body)}`);
      await platform.stop();
      // A writer of the store appends one more invoice to the close, a copy of the survey's under a number of its own.
      const store = await openEventStore(`embedded:${folder}`);
      try {
        const stream = `settlement-fujisato.${demoMonth}`;
        const issued = (await store.readStream(stream)).find((e) => e.type === 'InvoicesIssued');
        const invoices = (issued?.data as { invoices?: JsonObject[] } | undefined)?.invoices ?? [];
        const survey = invoices.find((i) => JSON.stringify(i).includes(SURVEY_BUSINESS)) ?? invoices.at(-1);
        if (issued === undefined || survey === undefined)
          throw new Error(`the close issued no invoice: ${JSON.stringify(issued)}`);
        forgedInvoice = `${String(survey.invoiceNumber)}-X`;
        await store.append(stream, [
          {
            type: 'InvoicesIssued',
            data: { invoices: [{ ...survey, invoiceNumber: forgedInvoice }] },
            schemaVersion: issued.schemaVersion,
            ...(issued.metadata !== undefined ? { metadata: issued.metadata } : {}),
          },
        ]);
      } finally {
        await store.close();
      }
      platform = await startPlatformProcess(folder, PASSWORD);

      browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
      context = await browser.newContext({
        acceptDownloads: true,
        locale: 'ja-JP',
        timezoneId: 'America/New_York',
        viewport: { width: 1280, height: 900 },
      });
      page = await context.newPage();
    }, 900_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await platform?.stop();
      if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
    }, 60_000);

    it('serves the page, its script and its style from the gateway, nothing from elsewhere', async () => {
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(`${platform.gatewayUrl}/audit`);
      await page.waitForSelector('html[data-ready="true"]');
      expect(await page.title()).toBe('監査 Audit — Workshare');
      expect(await page.locator('h1').innerText()).toContain('監査');
      expect(requested.length).toBeGreaterThanOrEqual(3);
      expect(requested.filter((url) => !url.startsWith(platform.gatewayUrl))).toEqual([]);
      await shot('1-login');
    });

    it('signs the accountant in with the gateway’s login (a wrong password is told, not hidden)', async () => {
      await page.getByLabel('メールアドレス').fill(ACCOUNTANT);
      await page.getByLabel('パスワード').fill('not-her-password');
      await page.getByRole('button', { name: /ログイン/ }).click();
      await page.locator('#error').waitFor({ state: 'visible' });
      expect(await page.locator('#error').innerText()).toContain('auth.invalid_credentials');
      await page.getByLabel('パスワード').fill(PASSWORD);
      await page.getByRole('button', { name: /ログイン/ }).click();
      await page.locator('#workspace').waitFor({ state: 'visible' });
      expect(await page.locator('#signed-in-as').innerText()).toContain('accountant');
      // The jobs she may pick for a timeline, from /v1/jobs.
      await page.locator('#timeline-job option').first().waitFor({ state: 'attached' });
      expect(await page.locator('#timeline-job option').count()).toBeGreaterThanOrEqual(3);
    });

    it('searches by date range, amount range and counterparty, combined', async () => {
      const [year, month] = demoMonth.split('-');
      await page.getByLabel(/日付 \(から\)/).fill(`${year}-${month}-01`);
      await page.getByLabel(/日付 \(まで\)/).fill(`${year}-${month}-${lastDayOf(demoMonth)}`);
      await page.getByLabel(/金額 \(以上/).fill('1000');
      await page.getByLabel(/金額 \(以下/).fill('100000');
      await page.getByLabel('取引先').fill('粕毛');
      await page.locator('#search-form').getByRole('button', { name: /検索/ }).click();
      const rows = page.locator('#search-table tbody tr');
      await rows.first().waitFor();
      const texts = await rows.allInnerTexts();
      expect(texts.length).toBeGreaterThan(0);
      for (const row of texts) {
        expect(row).toContain('粕毛');
        const amount = Number(/¥([\d,]+)/.exec(row)?.[1]?.replace(/,/g, ''));
        expect(amount).toBeGreaterThanOrEqual(1000);
        expect(amount).toBeLessThanOrEqual(100000);
        expect(row).toContain(demoMonth);
      }
      await shot('2-search');
    });

    it('saves what the search shows as CSV, in UTF-8 (with a BOM) and in Shift_JIS', async () => {
      const exports = page.locator('[data-export="search"]');
      const [utf8] = await Promise.all([
        page.waitForEvent('download'),
        exports.getByRole('button', { name: /UTF-8/ }).click(),
      ]);
      expect(utf8.suggestedFilename()).toMatch(/\.csv$/);
      const utf8Bytes = await readFile(await savedDownload(utf8, 'search-utf8.csv'));
      expect([...utf8Bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const utf8Text = utf8Bytes.subarray(3).toString('utf8');
      expect(utf8Text).toContain('\r\n');
      expect(utf8Text).toContain('粕毛');

      const [sjis] = await Promise.all([
        page.waitForEvent('download'),
        exports.getByRole('button', { name: /Shift_JIS/ }).click(),
      ]);
      const sjisBytes = await readFile(await savedDownload(sjis, 'search-shift_jis.csv'));
      expect(sjisBytes.includes(Buffer.from('粕毛', 'utf8'))).toBe(false);
      const sjisText = new TextDecoder('shift_jis').decode(sjisBytes);
      expect(sjisText).toContain('粕毛');
      // The same rows either way.
      expect(sjisText.split('\r\n').length).toBe(utf8Text.split('\r\n').length);
    });

    it('draws a job’s timeline: a row per task, a bar per holder, the hand-off marked with its reason', async () => {
      const copy = page.locator('#timeline-job option', { hasText: 'カタログの紹介文' });
      await page.locator('#timeline-job').selectOption(await copy.first().getAttribute('value'));
      await page.locator('#timeline-form').getByRole('button', { name: /表示/ }).click();
      const svg = page.locator('#timeline-svg');
      await svg.waitFor();
      expect(await svg.getAttribute('role')).toBe('img');
      const rows = svg.locator('.task-row');
      expect(await rows.count()).toBeGreaterThan(0);
      expect(await svg.locator('.holding').count()).toBeGreaterThan(await rows.count());
      const handOff = svg.locator('.handoff').first();
      await handOff.waitFor();
      expect(await handOff.locator('title').textContent()).toContain('理由 Reason:');
      expect(await handOff.locator('.handoff-label').textContent()).toMatch(/^引き継ぎ: /);
      const table = await page.locator('#handoff-table tbody tr').allInnerTexts();
      expect(table.length).toBeGreaterThan(0);
      // Tokyo time, in a browser set to New York.
      expect(table[0]).toMatch(new RegExp(`${demoMonth}-\\d{2} \\d{2}:\\d{2}`));
      // Reached by keyboard too: focused, it is outlined (its tooltip is the browser's own).
      await handOff.focus();
      await shot('3-timeline');
    });

    it('shows the month’s reconciliation, the forged invoice’s difference highlighted', async () => {
      await page.locator('#reconciliation-region').selectOption('fujisato');
      await page.locator('#reconciliation-month').fill(demoMonth);
      await page.locator('#reconciliation-form').getByRole('button', { name: /照合/ }).click();
      await page.locator('#reconciliation-table').waitFor();
      expect(await page.locator('#reconciliation-result h3').innerText()).toContain('締め済み');
      const highlighted = page.locator('#reconciliation-table tr.difference');
      expect(await highlighted.count()).toBeGreaterThan(0);
      expect(await highlighted.allInnerTexts()).toEqual(
        expect.arrayContaining([expect.stringContaining(forgedInvoice)]),
      );
      expect(await highlighted.first().locator('.badge-bad').innerText()).toMatch(/^差異 ¥[\d,]+$/);
      const background = await highlighted
        .first()
        .locator('td')
        .first()
        .evaluate((cell) => (globalThis as unknown as BrowserWindow).getComputedStyle(cell).backgroundColor);
      expect(background).toBe('rgb(253, 236, 235)');
      expect(await page.locator('#reconciliation-differences').innerText()).toContain(forgedInvoice);
      await shot('4-reconciliation');

      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page
          .locator('[data-export="reconciliation"]')
          .getByRole('button', { name: /Shift_JIS/ })
          .click(),
      ]);
      expect(file.suggestedFilename()).toMatch(/^audit-reconciliation.*\.csv$/);
      const text = new TextDecoder('shift_jis').decode(await readFile(await savedDownload(file, 'reconciliation.csv')));
      expect(text).toContain(forgedInvoice);
    });

    it('shows the log’s verification: intact, its last seal, the events not sealed yet', async () => {
      await page.locator('#verification-form').getByRole('button', { name: /検証/ }).click();
      const verdict = page.locator('#verification-verdict');
      await verdict.waitFor();
      expect(await verdict.innerText()).toContain('改ざんなし (intact)');
      const facts = await page.locator('#verification-result dl').innerText();
      expect(facts).toMatch(/検証したイベント Events checked\s+[1-9]\d*/);
      expect(facts).toContain('未封印のイベント Unsealed events');
      expect(facts).toContain('最後の封印 Last seal');
      await shot('5-verification');
    });
  },
);

const lastDayOf = (month: string): string => {
  const [year, number] = month.split('-').map(Number);
  return String(new Date(Date.UTC(year!, number!, 0)).getUTCDate()).padStart(2, '0');
};

/** Where a download is kept: test-artifacts/, beside the screenshots. */
const savedDownload = async (download: Download, name: string): Promise<string> => {
  const file = path.join(ARTIFACTS, `audit-${name}`);
  await download.saveAs(file);
  return file;
};
