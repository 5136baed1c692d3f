/**
 * The demo's past months, end to end: the one-process platform on a fresh store records the
 * cooperative and its two past Tokyo months of work on a simulated clock (the earlier closed, its
 * newcomer forgotten after the close), then goes on with the real one. Through the public gRPC APIs: the month's approved time of the demo members, each event
 * of the month at its simulated instant (the store's recordedAt real), and the one call that
 * closes it, whose summary agrees with its invoices and statements to the yen. A store seeded
 * before records nothing again.
 */
import { createClient } from '@workshare/grpc';
import { DEMO_COORDINATOR_EMAIL } from '@workshare/identity';
import { identityV1, settlementV1, timeTrackingV1, yenFromMoney } from '@workshare/proto';
import { tokyoWeekOf } from '@workshare/time';
import { recordDemoHistoryApart } from '../src/demo-history.js';
import {
  DEMO_CORRECTION_REASON,
  DEMO_NEWCOMER,
  DEMO_PAYEE_REGISTRATION_NUMBER,
  demoClosedMonthLines,
  demoMonthLines,
  demoMonthsOf,
} from '../src/demo-month.js';
import { startEmbeddedPlatform, type EmbeddedPlatform } from '../src/index.js';

const PASSWORD = 'demo-month-password';
const ANY_PORT = {
  IDENTITY_PORT: '0',
  JOB_INTAKE_PORT: '0',
  TASK_DECOMPOSITION_PORT: '0',
  TEAM_SCHEDULING_PORT: '0',
  TIME_TRACKING_PORT: '0',
  SETTLEMENT_PORT: '0',
  GATEWAY_PORT: '0',
  LOG_LEVEL: 'warn',
};
const ACCOUNTANT_EMAIL = 'makoto.sasaki@accounting.example';

let platform: EmbeddedPlatform;
let startedAt: Date;
const periods = () => demoMonthsOf(startedAt);
const period = () => periods().open;

const signIn = async (email: string): Promise<string> => {
  const identity = createClient(identityV1.IdentityServiceClient, platform.addresses.identity!);
  try {
    return (await identity.login({ email, password: PASSWORD })).accessToken;
  } finally {
    identity.close();
  }
};

beforeAll(async () => {
  startedAt = new Date();
  platform = await startEmbeddedPlatform({
    storeUrl: 'embedded:memory',
    env: ANY_PORT,
    demo: { password: PASSWORD },
  });
}, 180_000);
afterAll(async () => platform?.stop());

describe('the demo’s past month', () => {
  it('is the Tokyo month before now: two jobs inspected, a hand-off, every week with time approved', () => {
    const month = platform.demo?.month;
    expect(platform.demo?.seed.status).toBe('seeded');
    expect(month).toBeDefined();
    expect(month!.month).toBe(period().month);
    expect(month!.jobs.map((j) => [j.pricing, j.status])).toEqual([
      ['fixed_price', 'inspected'],
      ['hourly', 'inspected'],
    ]);
    expect(month!.handOff).toMatchObject({ fromEmail: expect.any(String), toEmail: expect.any(String) });
    expect(month!.handOff!.fromEmail).not.toBe(month!.handOff!.toEmail);
    expect(month!.weeks.length).toBeGreaterThanOrEqual(3);
    // Contractors (the writers) and employees (Kasuge's data entry) both worked.
    expect(new Set(month!.members.map((m) => m.contractType))).toEqual(new Set(['contractor', 'employee']));
    expect(month!.registeredPayeeEmail).toBe('rina.sato@fujisato.example');
    // Today's demo jobs came after, on the real clock.
    expect(platform.demo?.jobs).toHaveLength(3);
  });

  it('holds approved time for the demo members, as time tracking answers the accountant', async () => {
    const month = platform.demo!.month!;
    const time = createClient(timeTrackingV1.TimeTrackingServiceClient, platform.addresses['time-tracking']!, {
      token: await signIn(ACCOUNTANT_EMAIL),
    });
    try {
      const approved = await time.listApprovedTime({ regionId: 'fujisato', month: month.month });
      expect(approved.totalMinutes).toBe(month.approvedMinutes);
      expect(approved.totalMinutes).toBeGreaterThan(2_000);
      expect(approved.members.map((m) => [m.memberId, m.minutes]).sort()).toEqual(
        month.members.map((m) => [m.memberId, m.minutes]).sort(),
      );
      expect(approved.members.every((m) => m.minutes > 0)).toBe(true);
      expect(approved.members).toHaveLength(5);
    } finally {
      time.close();
    }
  });

  it('was recorded at its simulated times: each entry in the month, each week approved after it ended, before now', async () => {
    const { from, to } = period();
    const { from: earlierFrom, start } = periods().closed;
    const events = await platform.store.readAll();
    const of = (type: string) => events.filter((e) => e.type === type);
    expect(of('TimeEntryRecorded').length).toBeGreaterThan(50);
    for (const entry of of('TimeEntryRecorded')) {
      const data = entry.data as { end: string };
      expect(entry.occurredAt.getTime()).toBeGreaterThanOrEqual(earlierFrom.getTime());
      expect(entry.occurredAt.getTime()).toBeLessThan(to.getTime() + 7 * 86_400_000);
      expect(entry.occurredAt.getTime()).toBeGreaterThanOrEqual(Date.parse(data.end));
      expect(entry.recordedAt.getTime()).toBeGreaterThanOrEqual(startedAt.getTime() - 1_000);
    }
    for (const approval of of('WeekApproved')) {
      const { weekStart } = approval.data as { weekStart: string };
      const week = tokyoWeekOf(new Date(`${weekStart}T12:00:00+09:00`));
      expect(approval.occurredAt.getTime()).toBeGreaterThanOrEqual(week.to.getTime());
      expect(approval.occurredAt.getTime()).toBeLessThan(startedAt.getTime());
    }
    for (const type of ['JobInspected', 'RegionConfigured', 'PayeeRegistered', 'TaskHandedOff']) {
      const [first] = of(type);
      expect({ type, at: first?.occurredAt.getTime() ?? 0 }).toEqual({ type, at: expect.any(Number) });
      expect(first!.occurredAt.getTime()).toBeGreaterThanOrEqual(start.getTime());
      expect(first!.occurredAt.getTime()).toBeLessThan(startedAt.getTime());
    }
    // The inspections that bill the fixed-price jobs are in their months: two in each.
    const inspections = of('JobInspected').map((e) => e.occurredAt.getTime());
    expect(inspections.filter((at) => at >= from.getTime() && at < to.getTime())).toHaveLength(2);
    expect(inspections.filter((at) => at >= earlierFrom.getTime() && at < from.getTime())).toHaveLength(2);
  });

  it('closes in one call: totals positive, billed = Σ invoices (tax excluded), tax, payable and margin agreeing to the yen', async () => {
    const month = platform.demo!.month!;
    const coordinator = createClient(settlementV1.SettlementServiceClient, platform.addresses.settlement!, {
      token: await signIn(DEMO_COORDINATOR_EMAIL),
    });
    const accountant = createClient(settlementV1.SettlementServiceClient, platform.addresses.settlement!, {
      token: await signIn(ACCOUNTANT_EMAIL),
    });
    try {
      const { summary } = await coordinator.closeMonth({
        requestId: `close-${month.month}`,
        regionId: 'fujisato',
        month: month.month,
      });
      const billed = yenFromMoney(summary?.billed);
      const tax = yenFromMoney(summary?.tax);
      const margin = yenFromMoney(summary?.margin);
      const topUp = yenFromMoney(summary?.topUp);
      expect(billed).toBeGreaterThan(0n);
      expect(tax).toBeGreaterThan(0n);
      expect(yenFromMoney(summary?.payable)).toBeGreaterThan(0n);
      expect(margin).toBe((billed * 1_500n) / 10_000n);
      expect(yenFromMoney(summary?.kept)).toBe(margin - topUp);
      expect(summary).toMatchObject({ invoiceCount: 2, statementCount: month.members.length });
      // Pay day: the last day of the next month; nothing late under the two-month reading; the employees topped up.
      expect(summary?.payDay).toMatch(/^\d{4}-\d{2}-(28|29|30|31)$/);
      const findings = Object.fromEntries((summary?.findings ?? []).map((f) => [f.code, f.count]));
      expect(findings['settlement.payment_late']).toBeUndefined();
      expect(findings['settlement.minimum_wage_topped_up']).toBeGreaterThanOrEqual(1);

      const { settlementJson } = await accountant.getSettlement({ regionId: 'fujisato', month: month.month });
      const settlement = JSON.parse(settlementJson) as {
        invoices: { totals: { amountYen: string; taxYen: string }[]; recipient: { businessId: string } }[];
        statements: {
          memberId: string;
          contractType: string;
          payableYen: string;
          withholdingYen: string;
          invoiceRegistrationNumber: string | null;
        }[];
      };
      const sum = (values: string[]) => values.reduce((a, b) => a + BigInt(b), 0n);
      expect(sum(settlement.invoices.flatMap((i) => i.totals.map((t) => t.amountYen)))).toBe(billed);
      expect(sum(settlement.invoices.flatMap((i) => i.totals.map((t) => t.taxYen)))).toBe(tax);
      expect(sum(settlement.statements.map((s) => s.payableYen))).toBe(yenFromMoney(summary?.payable));
      expect(settlement.invoices.map((i) => i.recipient.businessId).sort()).toEqual(
        month.jobs.map((j) => j.businessId).sort(),
      );
      // The writers are withheld (writing), the employees never; one writer has her own number.
      const contractors = settlement.statements.filter((s) => s.contractType === 'contractor');
      expect(contractors.length).toBe(2);
      expect(contractors.every((s) => BigInt(s.withholdingYen) > 0n)).toBe(true);
      expect(contractors.map((s) => s.invoiceRegistrationNumber).sort()).toEqual([
        DEMO_PAYEE_REGISTRATION_NUMBER,
        null,
      ]);
      expect(
        settlement.statements.filter((s) => s.contractType === 'employee').every((s) => s.withholdingYen === '0'),
      ).toBe(true);

      // The accountant downloads the Zengin file of the contractors' transfers.
      const zengin = await accountant.download({
        kind: settlementV1.DownloadKind.DOWNLOAD_KIND_ZENGIN,
        regionId: 'fujisato',
        month: month.month,
        subjectId: '',
      });
      expect(zengin.fileName).toBe(`zengin-fujisato-${month.month}.txt`);
      expect(zengin.content.length).toBe(122 * (1 + contractors.length + 2));
    } finally {
      coordinator.close();
      accountant.close();
    }
  });

  it('prints the close as one call, and the accountant’s downloads', () => {
    const month = platform.demo!.month!;
    const lines = demoMonthLines({
      month,
      gatewayUrl: platform.gatewayUrl,
      settlementAddress: platform.addresses.settlement!,
      coordinatorEmail: DEMO_COORDINATOR_EMAIL,
      accountantEmail: ACCOUNTANT_EMAIL,
      password: PASSWORD,
    }).join('\n');
    expect(lines).toContain(
      `curl -s -X POST ${platform.gatewayUrl}/v1/regions/fujisato/settlements/${month.month}/close`,
    );
    expect(lines).toContain('workshare.settlement.v1.SettlementService/CloseMonth');
    for (const file of [
      'zengin.txt',
      'journals/freee.csv',
      'journals/money_forward.csv',
      'journals/yayoi.csv',
      'payroll.csv',
    ])
      expect(lines).toContain(`/settlements/${month.month}/${file}`);
    for (const job of month.jobs) expect(lines).toContain(`/invoices/${job.businessId}.pdf`);
  });

  it('closes the month before last: its newcomer handed a task off with her reason and was forgotten after the close; a span corrected each month', async () => {
    const earlier = platform.demo!.closedMonth!;
    const { closed } = periods();
    expect(earlier.month).toBe(closed.month);
    expect(earlier.jobs.map((j) => j.status)).toEqual(['inspected', 'inspected']);
    expect(earlier.closed).toMatchObject({ invoiceCount: 2, statementCount: earlier.members.length });
    expect(earlier.closed!.billedYen).toBeGreaterThan(0);
    expect(earlier.members.map((m) => m.email)).toContain(DEMO_NEWCOMER.email);
    expect(earlier.newcomer).toMatchObject({
      email: DEMO_NEWCOMER.email,
      handOff: { taskId: expect.any(String), toEmail: expect.stringMatching(/@fujisato\.example$/) },
      forgottenAt: expect.any(String),
    });
    const events = await platform.store.readAll();
    const at = (type: string, where: (data: Record<string, unknown>) => boolean = () => true) =>
      events
        .filter((e) => e.type === type && where(e.data as Record<string, unknown>))
        .map((e) => e.occurredAt.getTime());
    const [closedAt] = at('MonthClosed');
    const [forgottenAt] = at('MemberForgotten', (d) => d.memberId === earlier.newcomer!.memberId);
    expect(closedAt).toBe(Date.parse(earlier.closed!.closedAt));
    expect(closedAt).toBeGreaterThanOrEqual(closed.to.getTime());
    expect(forgottenAt).toBeGreaterThan(closedAt!);
    expect(forgottenAt).toBeLessThan(period().from.getTime() + 7 * 86_400_000);
    // Every hand-off of the two months: each writer's, and the newcomer's (before she was forgotten).
    expect(at('TaskHandedOff').length).toBeGreaterThanOrEqual(3);
    // One correction a month, shortening the span by ten minutes: before and after in the event.
    expect(at('TimeEntryCorrected')).toHaveLength(2);
    for (const month of [earlier, platform.demo!.month!]) {
      expect(month.correction).toBeDefined();
      const { before, after } = month.correction!;
      expect(Date.parse(before.end) - Date.parse(after.end)).toBe(10 * 60_000);
    }
    // The newcomer is gone from today's month: she worked in the closed month only.
    expect(platform.demo!.month!.members.map((m) => m.email)).not.toContain(DEMO_NEWCOMER.email);
    const lines = demoClosedMonthLines(earlier).join('\n');
    expect(lines).toContain(`The demo's closed month, ${earlier.month} in Fujisato, closed`);
    expect(lines).toContain(`${DEMO_NEWCOMER.email} left and was forgotten`);
    expect(DEMO_CORRECTION_REASON.length).toBeGreaterThan(0);
    // Never a line the open month's member lines are read by.
    expect(lines).not.toMatch(/^\s{4}\S+@fujisato\.example\s+(contractor|employee)\s+\d+ min/m);
  });

  it('is recorded once per store: a store seeded before records nothing again', async () => {
    const head = await platform.store.headPosition();
    const again = await recordDemoHistoryApart({
      store: platform.store,
      storeUrl: 'embedded:memory',
      env: ANY_PORT,
      password: PASSWORD,
      reference: new Date(),
    });
    expect(again).toEqual({ seed: expect.objectContaining({ status: 'already_seeded' }) });
    expect(await platform.store.headPosition()).toEqual(head);
  });
});
