/**
 * The month close of issue 11 through the public HTTP API: a coordinator closes a region's Tokyo
 * month in one call; the accountant downloads every file of it (the settlement, each invoice and
 * statement as JSON and PDF, the Zengin transfer file, the journals of freee, Money Forward and
 * 弥生, the payroll CSV) and reads them as the bank, the accounting products and the payroll
 * program would (files.ts): they agree with each other and with the close's summary to the yen.
 * Who may read what, and a second close, are refused with stable codes and store nothing.
 */
import type { EventStore } from '@workshare/eventsourcing';
import type { Api, Download } from './http.js';
import {
  decodeShiftJis,
  decodeUtf8WithBom,
  hasUtf8Bom,
  parseCsv,
  readFreeeDeals,
  readMoneyForwardJournal,
  readYayoiJournal,
  readZenginFile,
  type JournalEntry,
} from './files.js';

export interface MonthCloseAccounts {
  readonly password: string;
  /** Closes the month (a coordinator of the region). */
  readonly coordinatorEmail: string;
  /** Reads the books and downloads the files. */
  readonly accountantEmail: string;
  /** The region's members: one of them is refused the books and reads her own statement only. */
  readonly memberEmails: readonly string[];
  /** The businesses' users: each reads its own invoice only. */
  readonly businessUserEmails: readonly string[];
}

/** The close's answer (integer yen as JSON numbers). */
export interface SettlementSummary {
  regionId: string;
  month: string;
  closedAt: string;
  closedBy: string;
  inputDigest: string;
  payDay: string;
  billedYen: number;
  taxYen: number;
  marginYen: number;
  topUpYen: number;
  keptYen: number;
  payableYen: number;
  invoiceCount: number;
  statementCount: number;
  findings: { code: string; count: number }[];
}

/** Money in the files is a decimal string of yen. */
type Yen = string;

interface PerRate {
  taxRatePercent: number;
  amountYen: Yen;
  taxYen: Yen;
}

interface InvoiceLine {
  jobId: string;
  pricing: 'fixed_price' | 'hourly';
  minutes: number | null;
  hourlyRateYen: Yen | null;
  amountYen: Yen;
  taxRatePercent: number;
}

interface Invoice {
  invoiceNumber: string;
  month: string;
  recipient: { businessId: string; name: string };
  lines: InvoiceLine[];
  totals: PerRate[];
  returns: InvoiceLine[];
  returnTotals: PerRate[];
  amountDueYen: Yen;
}

interface Statement {
  statementNumber: string;
  memberId: string;
  contractType: 'contractor' | 'employee';
  invoiceRegistrationNumber: string | null;
  minutes: number;
  feeYen: Yen;
  consumptionTaxYen: Yen;
  withholdingYen: Yen;
  topUpYen: Yen;
  payableYen: Yen;
}

/** settlement.json: the month's settlement as settlement stores it. */
interface Settlement {
  regionId: string;
  month: string;
  payDay: string;
  config: {
    invoiceRounding: string;
    zenginRequesterCode: string;
    payerAccount: { bankCode: string; branchCode: string; number: string };
  };
  invoices: Invoice[];
  statements: Statement[];
  journal: unknown[];
  totals: { billedYen: Yen; taxYen: Yen; marginYen: Yen; topUpYen: Yen; keptYen: Yen; payableYen: Yen };
}

const PROBLEM = /^application\/problem\+json/;
const sum = (values: readonly bigint[]): bigint => values.reduce((a, b) => a + b, 0n);
const y = (value: Yen | number): bigint => BigInt(value);
const perRateTotal = (totals: readonly PerRate[]) => sum(totals.map((t) => y(t.amountYen) + y(t.taxYen)));

/** A download answered as a file: 200, its media type, a file name, never cached. */
const expectFile = (what: string, file: Download, mediaType: RegExp, fileName: string | RegExp): string => {
  expect({ what, status: file.status }).toEqual({ what, status: 200 });
  expect({ what, type: file.headers.get('content-type') }).toEqual({ what, type: expect.stringMatching(mediaType) });
  expect(file.headers.get('cache-control')).toBe('no-store');
  const name = /^attachment; filename="([^"]+)"/.exec(file.headers.get('content-disposition') ?? '')?.[1];
  expect({ what, name }).toEqual({
    what,
    name: typeof fileName === 'string' ? fileName : expect.stringMatching(fileName),
  });
  return name!;
};

const expectPdf = (what: string, file: Download, fileName: string) => {
  expectFile(what, file, /^application\/pdf$/, fileName);
  expect(Buffer.from(file.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  expect(Buffer.from(file.bytes.subarray(-1024)).toString('latin1')).toContain('%%EOF');
};

const jsonOf = <T>(file: Download): T => JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.bytes)) as T;

/** Σ debit = Σ credit in every entry; the net of one account on one side (debits − credits, or the reverse). */
const balancedTotals = (vendor: string, entries: readonly JournalEntry[]) => {
  for (const entry of entries) {
    const debit = sum(entry.lines.filter((l) => l.side === 'debit').map((l) => l.amountYen));
    const credit = sum(entry.lines.filter((l) => l.side === 'credit').map((l) => l.amountYen));
    expect({ vendor, entry: entry.description, debit }).toEqual({ vendor, entry: entry.description, debit: credit });
  }
  const net = (account: string, on: 'debit' | 'credit', of: readonly JournalEntry[] = entries, tax = false) =>
    sum(
      of.flatMap((e) =>
        e.lines
          .filter((l) => l.account === account)
          .map((l) => (l.side === on ? 1n : -1n) * (tax ? l.taxYen : l.amountYen)),
      ),
    );
  return net;
};

/**
 * Closes `month` of `regionId` and checks its files. `store` is the platform's event store:
 * what is refused stores nothing (its head does not move).
 */
export const runMonthCloseStory = async (
  api: Api,
  accounts: MonthCloseAccounts,
  options: { readonly regionId: string; readonly month: string; readonly store: EventStore },
): Promise<{ summary: SettlementSummary }> => {
  const { regionId, month, store } = options;
  const base = `/v1/regions/${regionId}/settlements/${month}`;
  const coordinator = await api.login(accounts.coordinatorEmail, accounts.password);
  const accountant = await api.login(accounts.accountantEmail, accounts.password);
  const unchanged = async <A extends { status: number }>(what: string, send: () => Promise<A>): Promise<A> => {
    const before = await store.headPosition();
    const answer = await send();
    expect({ what, head: await store.headPosition() }).toEqual({ what, head: before });
    return answer;
  };

  // The accountant reads the books, never writes them: she cannot close the month.
  const byAccountant = await unchanged('the accountant closing', () =>
    api.request<{ code: string }>('POST', `${base}/close`, { token: accountant }),
  );
  expect({ status: byAccountant.status, code: byAccountant.body.code }).toEqual({
    status: 403,
    code: 'auth.forbidden_role',
  });
  expect(byAccountant.headers.get('content-type')).toMatch(PROBLEM);

  // 1. The coordinator closes the month: one call.
  const key = `e2e-close-${regionId}-${month}-${Date.now()}`;
  const closed = await api.request<SettlementSummary>('POST', `${base}/close`, {
    token: coordinator,
    headers: { 'idempotency-key': key },
  });
  expect(closed.status).toBe(200);
  const summary = closed.body;
  expect(summary).toMatchObject({ regionId, month });
  expect(summary.closedAt).toMatch(/\+09:00$/);
  expect(summary.invoiceCount).toBeGreaterThan(0);
  expect(summary.statementCount).toBeGreaterThan(0);
  expect(summary.billedYen).toBeGreaterThan(0);
  expect(y(summary.keptYen)).toBe(y(summary.marginYen) - y(summary.topUpYen));

  // Its retry (the same Idempotency-Key) answers the same close; a second close is refused. Neither stores anything.
  const retried = await unchanged('the close retried', () =>
    api.request<SettlementSummary>('POST', `${base}/close`, {
      token: coordinator,
      headers: { 'idempotency-key': key },
    }),
  );
  expect(retried.status).toBe(200);
  expect(retried.body).toEqual(summary);
  const again = await unchanged('a second close', () =>
    api.request<{ code: string; status: number }>('POST', `${base}/close`, { token: coordinator }),
  );
  expect({ status: again.status, code: again.body.code }).toEqual({
    status: 422,
    code: 'settlement.month_closed',
  });
  expect(again.headers.get('content-type')).toMatch(PROBLEM);

  // 2. The accountant reads the close and downloads the settlement.
  const read = await api.request<{ summary: SettlementSummary; settlement: unknown }>('GET', base, {
    token: accountant,
  });
  expect(read.status).toBe(200);
  expect(read.body.summary).toEqual(summary);
  const settlementFile = await api.download(`${base}/settlement.json`, accountant);
  expectFile('settlement.json', settlementFile, /^application\/json/, `settlement-${regionId}-${month}.json`);
  const settlement = jsonOf<Settlement>(settlementFile);
  expect(settlement).toMatchObject({ regionId, month, payDay: summary.payDay });
  expect(read.body.settlement).toEqual(settlement);
  expect(settlement.invoices).toHaveLength(summary.invoiceCount);
  expect(settlement.statements).toHaveLength(summary.statementCount);
  for (const name of ['billedYen', 'taxYen', 'marginYen', 'topUpYen', 'keptYen', 'payableYen'] as const)
    expect({ name, yen: y(settlement.totals[name]) }).toEqual({ name, yen: y(summary[name]) });

  // 3. Every invoice, as data and as a PDF (a) ...
  const invoices: Invoice[] = [];
  for (const listed of settlement.invoices) {
    const path = `${base}/invoices/${listed.recipient.businessId}`;
    const json = await api.download(`${path}.json`, accountant);
    expectFile(listed.invoiceNumber, json, /^application\/json/, `invoice-${listed.invoiceNumber}.json`);
    const invoice = jsonOf<Invoice>(json);
    expect(invoice).toMatchObject({
      invoiceNumber: listed.invoiceNumber,
      month,
      amountDueYen: listed.amountDueYen,
      totals: listed.totals,
    });
    expectPdf(
      listed.invoiceNumber,
      await api.download(`${path}.pdf`, accountant),
      `invoice-${listed.invoiceNumber}.pdf`,
    );
    invoices.push(invoice);
  }
  // ... whose totals are the summary's billed and tax; each rate's tax once per invoice, floored (the region's rule).
  expect(settlement.config.invoiceRounding).toBe('floor');
  expect(sum(invoices.map((i) => perRateTotal(i.totals)))).toBe(y(summary.billedYen) + y(summary.taxYen));
  expect(sum(invoices.flatMap((i) => i.totals.map((t) => y(t.amountYen))))).toBe(y(summary.billedYen));
  expect(sum(invoices.flatMap((i) => i.totals.map((t) => y(t.taxYen))))).toBe(y(summary.taxYen));
  for (const invoice of invoices) {
    for (const line of invoice.lines.filter((l) => l.pricing === 'hourly'))
      expect(y(line.amountYen)).toBe((BigInt(line.minutes!) * y(line.hourlyRateYen!)) / 60n);
    for (const total of invoice.totals) {
      const amount = sum(
        invoice.lines.filter((l) => l.taxRatePercent === total.taxRatePercent).map((l) => y(l.amountYen)),
      );
      const what = `${invoice.invoiceNumber} at ${total.taxRatePercent}%`;
      expect({ what, amount: y(total.amountYen) }).toEqual({ what, amount });
      expect({ what, tax: y(total.taxYen) }).toEqual({ what, tax: (amount * BigInt(total.taxRatePercent)) / 100n });
    }
    expect(y(invoice.amountDueYen)).toBe(perRateTotal(invoice.totals) - perRateTotal(invoice.returnTotals));
  }

  // 4. Every statement, as data and as a PDF: payable = fee + tax − withholding + top-up (d).
  const statements: Statement[] = [];
  for (const listed of settlement.statements) {
    const path = `${base}/statements/${listed.memberId}`;
    const json = await api.download(`${path}.json`, accountant);
    expectFile(listed.statementNumber, json, /^application\/json/, `statement-${listed.statementNumber}.json`);
    const statement = jsonOf<Statement>(json);
    expect(statement).toMatchObject({
      statementNumber: listed.statementNumber,
      memberId: listed.memberId,
      contractType: listed.contractType,
      payableYen: listed.payableYen,
    });
    const payable =
      y(statement.feeYen) + y(statement.consumptionTaxYen) - y(statement.withholdingYen) + y(statement.topUpYen);
    expect({ statement: statement.statementNumber, payable: y(statement.payableYen) }).toEqual({
      statement: statement.statementNumber,
      payable,
    });
    // Employees are paid wages: no consumption tax, no withholding; contractors get no top-up.
    if (statement.contractType === 'employee')
      expect([statement.consumptionTaxYen, statement.withholdingYen]).toEqual(['0', '0']);
    else expect(statement.topUpYen).toBe('0');
    expectPdf(
      listed.statementNumber,
      await api.download(`${path}.pdf`, accountant),
      `statement-${listed.statementNumber}.pdf`,
    );
    statements.push(statement);
  }
  const contractors = statements.filter((s) => s.contractType === 'contractor');
  const employees = statements.filter((s) => s.contractType === 'employee');
  expect(sum(statements.map((s) => y(s.payableYen)))).toBe(y(summary.payableYen));
  expect(sum(statements.map((s) => y(s.topUpYen)))).toBe(y(summary.topUpYen));
  // What the month billed is what it pays for the work plus the margin it keeps.
  expect(sum(statements.map((s) => y(s.feeYen))) + y(summary.marginYen)).toBe(y(summary.billedYen));

  // 5. The Zengin 総合振込 file: the contractors' transfers, as the bank reads it (b).
  const zenginFile = await api.download(`${base}/zengin.txt`, accountant);
  expectFile('zengin.txt', zenginFile, /^text\/plain; charset=Shift_JIS$/i, `zengin-${regionId}-${month}.txt`);
  const zengin = readZenginFile(zenginFile.bytes);
  expect(zengin.header).toMatchObject({
    typeCode: '21',
    codeDivision: '0',
    requesterCode: settlement.config.zenginRequesterCode.padStart(10, '0'),
    transferDate: summary.payDay.slice(5, 7) + summary.payDay.slice(8, 10),
    bankCode: settlement.config.payerAccount.bankCode,
    branchCode: settlement.config.payerAccount.branchCode,
    accountNumber: settlement.config.payerAccount.number.padStart(7, '0'),
  });
  expect(zengin.header.requesterName.length).toBeGreaterThan(0);
  expect(zengin.trailer.count).toBe(zengin.transfers.length);
  expect(zengin.trailer.totalYen).toBe(sum(zengin.transfers.map((t) => t.amountYen)));
  // One transfer per contractor paid (顧客コード1: her statement's month and serial); employees are paid through payroll.
  const customerCode = (statementNumber: string) => {
    const match = /-(\d{6})-(\d{4})$/.exec(statementNumber);
    expect(match).not.toBeNull();
    return `${match![1]}${match![2]}`;
  };
  const paid = contractors.filter((s) => y(s.payableYen) > 0n);
  const byCode = (transfers: { code: string; amountYen: bigint }[]) =>
    transfers.sort((a, b) => a.code.localeCompare(b.code));
  expect(byCode(zengin.transfers.map((t) => ({ code: t.customerCode, amountYen: t.amountYen })))).toEqual(
    byCode(paid.map((s) => ({ code: customerCode(s.statementNumber), amountYen: y(s.payableYen) }))),
  );
  // The same amounts, as a multiset, whatever the codes.
  expect(zengin.transfers.map((t) => t.amountYen).sort()).toEqual(paid.map((s) => y(s.payableYen)).sort());
  const employeeCodes = employees.map((s) => customerCode(s.statementNumber));
  expect(zengin.transfers.filter((t) => employeeCodes.includes(t.customerCode))).toEqual([]);
  expect(zengin.transfers.every((t) => t.holder.length > 0 && /^[12]$/.test(t.accountType))).toBe(true);

  // 6. The journals, each in its product's encoding and columns: balanced, and their totals the documents' (c).
  const sales = sum(invoices.map((i) => perRateTotal(i.totals) - perRateTotal(i.returnTotals)));
  const salesTax = sum(invoices.map((i) => sum(i.totals.map((t) => y(t.taxYen)))));
  const purchases = sum(contractors.map((s) => y(s.feeYen) + y(s.consumptionTaxYen)));
  const withheld = sum(contractors.map((s) => y(s.withholdingYen)));
  const wages = sum(employees.map((s) => y(s.feeYen) + y(s.topUpYen)));
  const wagesPayable = sum(employees.map((s) => y(s.payableYen)));
  const journal = async (vendor: string, charset: string) => {
    const file = await api.download(`${base}/journals/${vendor}.csv`, accountant);
    expectFile(
      vendor,
      file,
      new RegExp(`^text/csv; charset=${charset}$`, 'i'),
      new RegExp(`^journal-[a-z]+-${regionId}-${month}\\.csv$`),
    );
    return file.bytes;
  };

  const yayoiBytes = await journal('yayoi', 'Shift_JIS');
  expect(hasUtf8Bom(yayoiBytes)).toBe(false);
  const yayoiCsv = parseCsv(decodeShiftJis(yayoiBytes));
  expect(yayoiCsv.crlf).toBe(true);
  expect(yayoiCsv.rows[0]?.[0]).toMatch(/^2[01]{3}$/); // no header: the first row is an entry
  const mfCsv = parseCsv(decodeUtf8WithBom(await journal('money_forward', 'UTF-8')));
  expect(mfCsv.crlf).toBe(true);
  const [mfHeader, ...mfRows] = mfCsv.rows;
  expect(mfHeader?.[0]).toBe('取引No');
  for (const [vendor, entries] of [
    ['yayoi', readYayoiJournal(yayoiCsv.rows)],
    ['money_forward', readMoneyForwardJournal(mfHeader!, mfRows)],
  ] as const) {
    expect({ vendor, entries: entries.length }).toEqual({ vendor, entries: settlement.journal.length });
    const net = balancedTotals(vendor, entries);
    expect({
      vendor,
      receivable: net('売掛金', 'debit'),
      sales: net('売上高', 'credit'),
      salesTax: net('売上高', 'credit', entries, true),
      purchases: net('外注費', 'debit'),
      bank: net('普通預金', 'credit'),
      withheld: net('預り金', 'credit'),
      wages: net('給料手当', 'debit'),
      accrued: net('未払金', 'credit'),
    }).toEqual({
      vendor,
      receivable: sum(invoices.map((i) => y(i.amountDueYen))),
      sales,
      salesTax,
      purchases,
      bank: zengin.trailer.totalYen,
      withheld,
      wages,
      accrued: wagesPayable,
    });
    // Each document has its entries, named in the 摘要.
    for (const invoice of invoices) {
      const of = entries.filter((e) => e.description.includes(invoice.invoiceNumber));
      expect({ vendor, invoice: invoice.invoiceNumber, sales: net('売上高', 'credit', of) }).toEqual({
        vendor,
        invoice: invoice.invoiceNumber,
        sales: y(invoice.amountDueYen),
      });
    }
    for (const s of statements) {
      const of = entries.filter((e) => e.description.includes(s.statementNumber));
      const paidOut = s.contractType === 'contractor' ? net('普通預金', 'credit', of) : net('未払金', 'credit', of);
      expect({ vendor, statement: s.statementNumber, paidOut }).toEqual({
        vendor,
        statement: s.statementNumber,
        paidOut: y(s.payableYen),
      });
    }
  }

  const freeeCsv = parseCsv(decodeUtf8WithBom(await journal('freee', 'UTF-8')));
  expect(freeeCsv.crlf).toBe(true);
  const [freeeHeader, ...freeeRows] = freeeCsv.rows;
  expect(freeeHeader?.[0]).toBe('収支区分');
  const deals = readFreeeDeals(freeeHeader!, freeeRows);
  expect(deals).toHaveLength(settlement.journal.length);
  const dealTotal = (deal: (typeof deals)[number], account?: string) =>
    sum(deal.details.filter((d) => account === undefined || d.account === account).map((d) => d.amountYen));
  // A sale is income left open (売掛金) for what the invoice asks; a fee is paid from the bank, withholding kept back.
  for (const invoice of invoices) {
    const of = deals.filter((d) => d.description.includes(invoice.invoiceNumber));
    expect({ invoice: invoice.invoiceNumber, deals: of.map((d) => [d.kind, d.settledYen]) }).toEqual({
      invoice: invoice.invoiceNumber,
      deals: of.map(() => ['収入', null]),
    });
    expect(of.length).toBeGreaterThan(0);
    expect(sum(of.map((d) => dealTotal(d)))).toBe(y(invoice.amountDueYen));
    expect(sum(of.map((d) => dealTotal(d, '売上高')))).toBe(y(invoice.amountDueYen));
  }
  for (const s of statements) {
    const deal = deals.find((d) => d.description.includes(s.statementNumber));
    expect({ statement: s.statementNumber, kind: deal?.kind }).toEqual({ statement: s.statementNumber, kind: '支出' });
    expect(dealTotal(deal!)).toBe(y(s.payableYen));
    if (s.contractType === 'contractor') {
      expect(deal!.settledYen).toBe(y(s.payableYen));
      expect(dealTotal(deal!, '外注費')).toBe(y(s.feeYen) + y(s.consumptionTaxYen));
      expect(dealTotal(deal!, '預り金')).toBe(-y(s.withholdingYen));
    } else {
      expect(deal!.settledYen).toBeNull();
      expect(dealTotal(deal!, '給料手当')).toBe(y(s.feeYen) + y(s.topUpYen));
    }
  }
  const freeeSum = (kind: '収入' | '支出', account: string) =>
    sum(deals.filter((d) => d.kind === kind).map((d) => dealTotal(d, account)));
  expect({
    sales: freeeSum('収入', '売上高'),
    purchases: freeeSum('支出', '外注費'),
    wages: freeeSum('支出', '給料手当'),
    bank: sum(deals.map((d) => d.settledYen ?? 0n)),
  }).toEqual({ sales, purchases, wages, bank: zengin.trailer.totalYen });

  // 7. The payroll CSV: the employees (and only they) with their minutes, gross wages and top-ups.
  const payrollFile = await api.download(`${base}/payroll.csv`, accountant);
  expectFile('payroll.csv', payrollFile, /^text\/csv; charset=UTF-8$/i, `payroll-${regionId}-${month}.csv`);
  const payroll = parseCsv(decodeUtf8WithBom(payrollFile.bytes));
  expect(payroll.crlf).toBe(true);
  const [payrollHeader, ...payrollRows] = payroll.rows;
  expect(payrollHeader).toEqual([
    '従業員ID',
    '対象月',
    '労働時間(分)',
    '労働時間(時間)',
    '支給額(賃金)',
    '最低賃金補填',
    '総支給額',
  ]);
  const hours = (minutes: number) => {
    const hundredths = Math.round((minutes * 100) / 60);
    return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
  };
  expect(payrollRows).toEqual(
    employees.map((s) => [
      s.memberId,
      month,
      String(s.minutes),
      hours(s.minutes),
      s.feeYen,
      s.topUpYen,
      String(y(s.feeYen) + y(s.topUpYen)),
    ]),
  );
  expect(sum(payrollRows.map((r) => y(r[6]!)))).toBe(wagesPayable);
  expect(sum(payrollRows.map((r) => y(r[5]!)))).toBe(y(summary.topUpYen));

  // 8. Who reads what (e): a member is refused the books and reads her own statement only; a
  // business reads its own invoice only.
  let member: { token: string; memberId: string } | undefined;
  for (const email of accounts.memberEmails.filter((e) => e !== accounts.coordinatorEmail)) {
    const token = await api.login(email, accounts.password);
    const me = await api.request<{ subject: string }>('GET', '/v1/me', { token });
    if (statements.some((s) => s.memberId === me.body.subject)) {
      member = { token, memberId: me.body.subject };
      break;
    }
  }
  expect(member).toBeDefined();
  const { token: memberToken, memberId } = member!;
  for (const file of ['zengin.txt', 'settlement.json', 'journals/yayoi.csv', 'payroll.csv']) {
    const refused = await unchanged(`a member reading ${file}`, () =>
      api.request<{ code: string }>('GET', `${base}/${file}`, { token: memberToken }),
    );
    expect({ file, status: refused.status, code: refused.body.code }).toEqual({
      file,
      status: 403,
      code: 'auth.forbidden_role',
    });
    expect(refused.headers.get('content-type')).toMatch(PROBLEM);
  }
  expect((await api.download(`${base}/statements/${memberId}.json`, memberToken)).status).toBe(200);
  const other = statements.find((s) => s.memberId !== memberId);
  if (other) {
    const refused = await api.request<{ code: string }>('GET', `${base}/statements/${other.memberId}.pdf`, {
      token: memberToken,
    });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'auth.forbidden_member' });
  }
  for (const email of accounts.businessUserEmails) {
    const token = await api.login(email, accounts.password);
    const me = await api.request<{ roles: { role: string; businessId?: string }[] }>('GET', '/v1/me', { token });
    const businessId = me.body.roles.find((r) => r.role === 'business')?.businessId;
    const invoice = invoices.find((i) => i.recipient.businessId === businessId);
    if (invoice === undefined) continue;
    expectPdf(
      `${email}'s invoice`,
      await api.download(`${base}/invoices/${businessId}.pdf`, token),
      `invoice-${invoice.invoiceNumber}.pdf`,
    );
    const another = invoices.find((i) => i.recipient.businessId !== businessId);
    if (another) {
      const refused = await api.request<{ code: string }>(
        'GET',
        `${base}/invoices/${another.recipient.businessId}.json`,
        { token },
      );
      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 403,
        code: 'auth.forbidden_business',
      });
    }
  }
  return { summary };
};
