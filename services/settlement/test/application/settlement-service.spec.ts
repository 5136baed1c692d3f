/**
 * The facade on the embedded store, end to end, against a real identity (the test cooperative,
 * in process, on the same store: its MemberRegistered events are the members settlement reads;
 * its businesses and bank accounts are asked over gRPC with the callers' real tokens). Job intake's
 * and time tracking's events are appended as their producers write them (test/producers.ts,
 * checked against their published catalogues). A month of Fujisato work is configured, closed,
 * and every file downloaded; who may do and read what; every refusal of a close.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type CommandContext, type EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import {
  castOf,
  startTestCooperative,
  type TestCast,
  type TestCooperative,
  type TestPerson,
} from '@workshare/identity';
import { JOURNAL_PARSERS } from '../../src/domain/files/journals.js';
import { parseZenginFile, validateZenginFile } from '../../src/domain/files/zengin.js';
import { openSettlementService, type SettlementRuntime } from '../../src/open-settlement.js';
import { CONFIG_INPUT } from '../domain/deciders-fixtures.js';
import { acceptJob, approveWeek, inspectJob, markDone, reopenWeek, tokyo } from '../producers.js';

let store: EventStore;
let coop: TestCooperative;
let runtime: SettlementRuntime;
let cast: TestCast;
let employeeId: string;
/** Settlement's clock: the close happens on 1 December 2026, 10:00 in Tokyo. */
let clock = tokyo('2026-12-01T10:00:00');

const HOURLY = randomUUID();
const FIXED = randomUUID();
const MEMBER_NUMBER = 'T1234567890123';

const as = (person: TestPerson): CommandContext => ({
  actor: actorOf(cast.callers[person]),
  token: cast.actors[person].token,
});
const by = (person: TestPerson, requestId = randomUUID()): CommandContext => ({ ...as(person), requestId });
const service = () => runtime.service;
const november = { regionId: 'fujisato', month: '2026-11' } as const;

beforeAll(async () => {
  store = await openEventStore('embedded:memory');
  coop = await startTestCooperative({ store });
  cast = await castOf(coop);
  runtime = await openSettlementService({ store, identityAddress: coop.identityAddress, now: () => clock });

  // An employee (パート雇用) of Fujisato, registered by the operator in identity.
  employeeId = (
    await coop.service.registerMember(
      { actor: actorOf(cast.callers.operator), requestId: randomUUID() },
      {
        name: 'テスト パート',
        address: 'fujisato/kasuge 2',
        email: `part.${randomUUID().slice(0, 8)}@test.example`,
        password: coop.password,
        bankAccount: {
          bankCode: '9999',
          branchCode: '002',
          type: 'ordinary',
          number: '0054321',
          holder: 'テスト パート',
        },
        townId: 'fujisato/kasuge',
        contractType: 'employee',
        skills: ['data entry'],
        availability: [{ day: 'tue', start: '10:00', end: '12:00' }],
      },
    )
  ).memberId;

  const businessId = coop.businesses.fujisato;
  // 準委任 at ¥2,000 an hour; 請負 at ¥1,000, inspected (accepted) in November after a rejection.
  await acceptJob(store, { jobId: HOURLY, businessId, pricing: { kind: 'hourly', hourlyRateYen: '2000' } });
  await acceptJob(store, {
    jobId: FIXED,
    businessId,
    workCategory: 'data_entry',
    title: '名簿の入力',
    pricing: { kind: 'fixed_price' },
    feeYen: '1000',
  });
  await inspectJob(store, FIXED, false, tokyo('2026-11-20T10:00:00'));
  await inspectJob(store, FIXED, true, tokyo('2026-11-27T10:00:00'));
  // The contractor: 120 minutes across a Tokyo midnight; the employee: 120 minutes.
  await approveWeek(store, coop.member.id, '2026-11-23', [
    { jobId: HOURLY, start: tokyo('2026-11-24T23:30:00'), end: tokyo('2026-11-25T01:30:00') },
  ]);
  await markDone(store, coop.member.id, { jobId: HOURLY }, tokyo('2026-11-26T12:00:00'));
  await approveWeek(store, employeeId, '2026-11-16', [
    { jobId: FIXED, start: tokyo('2026-11-17T10:00:00'), end: tokyo('2026-11-17T12:00:00') },
  ]);
});

afterAll(async () => {
  await runtime?.close();
  await coop?.close();
  await store?.close();
});

describe('configuring a region and recording payees', () => {
  it('an operator configures Fujisato; its coordinator and the accountant read it, a member may not', async () => {
    await service().configureRegion(by('operator'), CONFIG_INPUT);
    const view = await service().getRegionConfig(as('coordinator'), 'fujisato');
    expect(view).toMatchObject({ config: { regionId: 'fujisato', officePrefecture: 'akita', payDay: 25 }, version: 0 });
    await expect(service().getRegionConfig(as('accountant'), 'fujisato')).resolves.toMatchObject({ version: 0 });
    await expect(service().getRegionConfig(as('member'), 'fujisato')).rejects.toMatchObject({
      code: 'settlement.forbidden',
    });
    await expect(service().getRegionConfig(as('setagayaCoordinator'), 'fujisato')).rejects.toMatchObject({
      code: 'settlement.forbidden',
    });
    await expect(service().getRegionConfig(as('operator'), 'setagaya')).rejects.toMatchObject({
      code: 'settlement.region_not_configured',
    });
  });

  it('refuses a coordinator’s configuration and an office prefecture that is not the region office’s', async () => {
    await expect(service().configureRegion(by('coordinator'), CONFIG_INPUT)).rejects.toMatchObject({
      code: 'settlement.forbidden',
    });
    await expect(
      service().configureRegion(by('operator'), { ...CONFIG_INPUT, officePrefecture: 'tokyo' }),
    ).rejects.toMatchObject({ code: 'settlement.office_prefecture_mismatch' });
    await expect(
      service().configureRegion(by('operator'), { ...CONFIG_INPUT, regionId: 'atlantis' }),
    ).rejects.toMatchObject({ code: 'settlement.unknown_region' });
    expect((await service().getRegionConfig(as('operator'), 'fujisato')).version).toBe(0);
  });

  it('the accountant records the contractor’s own registration number; a retry stores nothing more', async () => {
    const context = by('accountant');
    await service().registerPayee(context, { memberId: coop.member.id, invoiceRegistrationNumber: MEMBER_NUMBER });
    await service().registerPayee(context, { memberId: coop.member.id, invoiceRegistrationNumber: MEMBER_NUMBER });
    expect((await store.readStream(`payee-${coop.member.id}`)).length).toBe(1);
    await expect(
      service().registerPayee(by('accountant'), { memberId: employeeId, invoiceRegistrationNumber: MEMBER_NUMBER }),
    ).rejects.toMatchObject({ code: 'settlement.payee_not_contractor' });
    await expect(
      service().registerPayee(by('accountant'), { memberId: randomUUID(), invoiceRegistrationNumber: MEMBER_NUMBER }),
    ).rejects.toMatchObject({ code: 'settlement.member_not_found' });
    await expect(
      service().registerPayee(by('coordinator'), { memberId: coop.member.id, invoiceRegistrationNumber: null }),
    ).rejects.toMatchObject({ code: 'settlement.forbidden' });
  });
});

describe('closing November 2026', () => {
  it('refuses before the Tokyo month is over, and for a region without configuration, storing nothing', async () => {
    clock = tokyo('2026-11-30T23:59:00');
    await expect(service().closeMonth(by('coordinator'), november)).rejects.toMatchObject({
      code: 'settlement.month_not_over',
    });
    clock = tokyo('2026-12-01T10:00:00');
    await expect(
      service().closeMonth(by('setagayaCoordinator'), { regionId: 'setagaya', month: '2026-11' }),
    ).rejects.toMatchObject({ code: 'settlement.region_not_configured' });
    await expect(service().closeMonth(by('setagayaCoordinator'), november)).rejects.toMatchObject({
      code: 'settlement.forbidden',
    });
    await expect(service().closeMonth(by('accountant'), november)).rejects.toMatchObject({
      code: 'settlement.forbidden',
    });
    expect(await store.streamVersion('settlement-fujisato.2026-11')).toBeUndefined();
  });

  it('the coordinator closes it: the totals to the yen, the input’s digest; a retry answers the same close', async () => {
    const context = by('coordinator');
    const summary = await service().closeMonth(context, november);
    // Hourly: ⌊120 × 2,000 / 60⌋ = 4,000, margin ⌊4,000 × 15%⌋ = 600, her share 3,400.
    // Fixed: 1,000, margin 150, the employee's wages 850 < ⌈120 × 1,031 / 60⌉ = 2,062 (Akita): top-up 1,212.
    // Invoice: 5,000 + ⌊5,000 × 10%⌋ = 500. Contractor (registered; translation is withheld): 3,400 + 340 −
    // ⌊3,400 × 10.21%⌋ = 347 → 3,393. Employee: 850 + 1,212 = 2,062. Kept: 750 − 1,212 = −462.
    expect(summary).toMatchObject({
      regionId: 'fujisato',
      month: '2026-11',
      closedAt: tokyo('2026-12-01T10:00:00'),
      closedBy: coop.coordinator.id,
      payDay: '2026-12-25',
      totals: {
        billedYen: 5_000n,
        taxYen: 500n,
        marginYen: 750n,
        topUpYen: 1_212n,
        keptYen: -462n,
        payableYen: 5_455n,
      },
      invoiceCount: 1,
      statementCount: 2,
    });
    expect(summary.inputDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.findings).toMatchObject({
      'settlement.minimum_wage_topped_up': 1,
      'settlement.margin_below_top_ups': 1,
    });
    await expect(service().closeMonth(context, november)).resolves.toEqual(summary);
    // One append: the settlement in parts, then MonthClosed; the retry stored nothing more.
    const stored = await store.readStream('settlement-fujisato.2026-11');
    expect(stored.map((e) => e.type)).toEqual([
      'InvoicesIssued',
      'StatementsIssued',
      'JobsSettled',
      'JournalRecorded',
      'MonthClosed',
    ]);
    expect(new Set(stored.map((e) => e.metadata.commandId)).size).toBe(1);
  });

  it('a closed month never changes: closing it again is settlement.month_closed', async () => {
    await expect(service().closeMonth(by('operator'), november)).rejects.toMatchObject({
      code: 'settlement.month_closed',
    });
  });

  it('months close in order: January before December is settlement.previous_month_open; October is before the first close', async () => {
    clock = tokyo('2027-02-01T10:00:00');
    await expect(
      service().closeMonth(by('coordinator'), { regionId: 'fujisato', month: '2027-01' }),
    ).rejects.toMatchObject({ code: 'settlement.previous_month_open', details: { closeFirst: '2026-12' } });
    await expect(
      service().closeMonth(by('coordinator'), { regionId: 'fujisato', month: '2026-10' }),
    ).rejects.toMatchObject({ code: 'settlement.before_first_close' });
    clock = tokyo('2026-12-01T10:00:00');
  });

  it('refuses ids that are not ids, and months that are not months', async () => {
    await expect(
      service().closeMonth(by('coordinator'), { regionId: 'Fuji Sato', month: '2026-11' }),
    ).rejects.toMatchObject({
      code: 'settlement.invalid_region_id',
    });
    await expect(
      service().closeMonth(by('coordinator'), { regionId: 'fujisato', month: '2026-11-01' }),
    ).rejects.toMatchObject({
      code: 'settlement.invalid_month',
    });
  });
});

describe('the files of November', () => {
  it('the whole settlement as JSON for the accountant and operators, not for the coordinator', async () => {
    const { summary, json } = await service().getSettlement(as('accountant'), november);
    const parsed = JSON.parse(json) as Record<string, unknown>;
    expect(parsed).toMatchObject({ regionId: 'fujisato', month: '2026-11', inputDigest: summary.inputDigest });
    expect((parsed.totals as Record<string, string>).billedYen).toBe('5000');
    await expect(service().getSettlement(as('coordinator'), november)).rejects.toMatchObject({
      code: 'settlement.forbidden',
    });
    await expect(
      service().getSettlement(as('operator'), { regionId: 'fujisato', month: '2026-10' }),
    ).rejects.toMatchObject({ code: 'settlement.month_not_closed' });
  });

  it('the invoice, as JSON and PDF, for its business and the accountant; never for another business', async () => {
    const ref = { ...november, businessId: coop.businesses.fujisato };
    const json = await service().invoice(as('business'), { ...ref, format: 'json' });
    expect(json).toMatchObject({ mediaType: 'application/json', fileName: 'invoice-INV-fujisato-202611-001.json' });
    expect(JSON.parse(Buffer.from(json.bytes).toString('utf8'))).toMatchObject({
      invoiceNumber: 'INV-fujisato-202611-001',
    });
    const pdf = await service().invoice(as('accountant'), { ...ref, format: 'pdf' });
    expect(pdf).toMatchObject({ mediaType: 'application/pdf', fileName: 'invoice-INV-fujisato-202611-001.pdf' });
    expect(Buffer.from(pdf.bytes).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expect(service().invoice(as('otherBusiness'), { ...ref, format: 'json' })).rejects.toMatchObject({
      code: 'settlement.forbidden',
    });
    await expect(
      service().invoice(as('operator'), { ...november, businessId: coop.businesses.fujisatoOther, format: 'json' }),
    ).rejects.toMatchObject({ code: 'settlement.invoice_not_found' });
  });

  it('a statement, as JSON and PDF, for its member and the accountant; never for another member', async () => {
    const ref = { ...november, memberId: coop.member.id };
    const json = await service().statement(as('member'), { ...ref, format: 'json' });
    expect(json.mediaType).toBe('application/json');
    expect(json.fileName).toMatch(/^statement-PAY-fujisato-202611-000[12]\.json$/);
    expect(JSON.parse(Buffer.from(json.bytes).toString('utf8'))).toMatchObject({
      memberId: coop.member.id,
      invoiceRegistrationNumber: MEMBER_NUMBER,
      feeYen: '3400',
      consumptionTaxYen: '340',
      withholdingYen: '347',
      payableYen: '3393',
    });
    const pdf = await service().statement(as('member'), { ...ref, format: 'pdf' });
    expect(pdf).toMatchObject({ mediaType: 'application/pdf' });
    expect(Buffer.from(pdf.bytes).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expect(
      service().statement(as('member'), { ...november, memberId: employeeId, format: 'json' }),
    ).rejects.toMatchObject({
      code: 'settlement.forbidden',
    });
    await expect(service().statement(as('coordinator'), { ...ref, format: 'json' })).rejects.toMatchObject({
      code: 'settlement.forbidden',
    });
  });

  it('the Zengin file pays the contractor (not the employee), with the account identity gave, which settlement never stores', async () => {
    const file = await service().zenginFile(as('accountant'), november);
    expect(file).toMatchObject({ mediaType: 'text/plain; charset=Shift_JIS', fileName: 'zengin-fujisato-2026-11.txt' });
    expect(validateZenginFile(file.bytes)).toEqual([]);
    const parsed = parseZenginFile(file.bytes);
    expect(parsed.transfers.map((d) => [d.bankCode, d.branchCode, d.accountNumber, d.amountYen])).toEqual([
      ['9999', '001', '0012345', 3_393n],
    ]);
    expect(parsed.trailer).toMatchObject({ count: 1, totalYen: 3_393n });
    const stored = await store.readAll({ categories: ['settlement', 'payee', 'region_settlement'], limit: 10_000 });
    expect(stored.length).toBeGreaterThan(0);
    for (const event of stored) expect(JSON.stringify(event.data)).not.toContain('0012345');
    await expect(service().zenginFile(as('coordinator'), november)).rejects.toMatchObject({
      code: 'settlement.forbidden',
    });
    await expect(service().zenginFile(as('member'), november)).rejects.toMatchObject({ code: 'settlement.forbidden' });
  });

  it.each([
    ['freee', 'text/csv; charset=UTF-8', 'journal-freee-fujisato-2026-11.csv'],
    ['money_forward', 'text/csv; charset=UTF-8', 'journal-moneyforward-fujisato-2026-11.csv'],
    ['yayoi', 'text/csv; charset=Shift_JIS', 'journal-yayoi-fujisato-2026-11.csv'],
  ] as const)('the %s journal parses back to balanced entries', async (vendor, mediaType, fileName) => {
    const file = await service().journal(as('accountant'), { ...november, vendor });
    expect(file).toMatchObject({ mediaType, fileName });
    const entries = JOURNAL_PARSERS[vendor](file.bytes);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      const side = (s: 'debit' | 'credit') =>
        entry.lines.filter((l) => l.side === s).reduce((sum, l) => sum + l.amountYen, 0n);
      expect(side('debit')).toBe(side('credit'));
    }
    await expect(service().journal(as('business'), { ...november, vendor })).rejects.toMatchObject({
      code: 'settlement.forbidden',
    });
  });

  it('the payroll CSV holds the employee’s gross wages and hours, for the payroll software', async () => {
    const file = await service().payrollCsv(as('operator'), november);
    expect(file).toMatchObject({ mediaType: 'text/csv; charset=UTF-8', fileName: 'payroll-fujisato-2026-11.csv' });
    const text = Buffer.from(file.bytes).toString('utf8');
    expect(text).toContain(`${employeeId},2026-11,120,2.00,850,1212,2062`);
    expect(text).not.toContain(coop.member.id);
  });

  it('the download of each kind answers the same bytes after a restart (read back from the store)', async () => {
    const before = await service().download(as('accountant'), { ...november, kind: 'settlement' });
    const again = await openSettlementService({ store, identityAddress: coop.identityAddress, now: () => clock });
    try {
      const after = await again.service.download(as('accountant'), { ...november, kind: 'settlement' });
      expect(Buffer.from(after.bytes).equals(Buffer.from(before.bytes))).toBe(true);
      const yayoi = await again.service.download(as('accountant'), { ...november, kind: 'journal', vendor: 'yayoi' });
      const first = await service().journal(as('accountant'), { ...november, vendor: 'yayoi' });
      expect(Buffer.from(yayoi.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    } finally {
      await again.close();
    }
  });
});

describe('December: a late correction of November becomes an adjustment naming it', () => {
  it('bills and pays the difference of the reopened and re-approved week, and reports a job without pricing', async () => {
    // Her November week reopened (a correction) and approved again with 180 minutes instead of 120.
    await reopenWeek(store, coop.member.id, '2026-11-23');
    await approveWeek(store, coop.member.id, '2026-11-23', [
      { jobId: HOURLY, start: tokyo('2026-11-24T23:30:00'), end: tokyo('2026-11-25T02:30:00') },
    ]);
    // A job accepted before pricing was published (JobAccepted v1), worked on in December.
    const unpriced = randomUUID();
    await acceptJob(store, { jobId: unpriced, businessId: coop.businesses.fujisato });
    await approveWeek(store, coop.member.id, '2026-12-07', [
      { jobId: unpriced, start: tokyo('2026-12-08T10:00:00'), end: tokyo('2026-12-08T11:00:00') },
    ]);
    clock = tokyo('2027-01-04T09:00:00');
    const summary = await service().closeMonth(by('operator'), { regionId: 'fujisato', month: '2026-12' });
    // ⌊180 × 2,000 / 60⌋ − 4,000 = 2,000 more for November; nothing for the unpriced job.
    expect(summary.totals.billedYen).toBe(2_000n);
    expect(summary.findings['settlement.job_pricing_unknown']).toBe(1);
    const invoice = JSON.parse(
      Buffer.from(
        (
          await service().invoice(as('business'), {
            regionId: 'fujisato',
            month: '2026-12',
            businessId: coop.businesses.fujisato,
            format: 'json',
          })
        ).bytes,
      ).toString('utf8'),
    ) as { lines: { jobId: string; amountYen: string; origin: unknown }[] };
    expect(invoice.lines).toEqual([
      expect.objectContaining({
        jobId: HOURLY,
        amountYen: '2000',
        origin: { kind: 'adjustment', correctsMonth: '2026-11' },
      }),
    ]);
    // November itself never changed.
    const { summary: novemberNow } = await service().getSettlement(as('accountant'), november);
    expect(novemberNow.totals.billedYen).toBe(5_000n);
    clock = tokyo('2026-12-01T10:00:00');
  });
});
