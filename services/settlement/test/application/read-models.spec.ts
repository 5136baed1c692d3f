/**
 * The read models fed with the producers' published events on the embedded store: jobs
 * (JobAccepted v1 and v2, inspections, cancellations), approved time (WeekApproved, WeekReopened,
 * approved again; spans crossing a Tokyo midnight and the month's end), receipts, members and
 * payees, closes; durable across a restart; a malformed published event stops them.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, ProjectionStore } from '@workshare/eventsourcing';
import { openEventStore, openServiceProjections } from '@workshare/eventstore';
import { Closes } from '../../src/application/closes.js';
import { SettlementJobs } from '../../src/application/jobs.js';
import { Members } from '../../src/application/members.js';
import { Timesheets } from '../../src/application/timesheets.js';
import { closeMonth } from '../../src/domain/close.js';
import { closeInputDigest, settlementToJson } from '../../src/domain/codec.js';
import { monthStream } from '../../src/domain/month.js';
import type { WorkReceipt } from '../../src/domain/model.js';
import { novemberInput } from '../domain/month-fixtures.js';
import {
  acceptJob,
  approveWeek,
  cancelJob,
  forgetMember,
  inspectJob,
  markDone,
  registerMember,
  reopenWeek,
  tokyo,
} from '../producers.js';

let store: EventStore;
let projections: ProjectionStore;

// One store for the file (an embedded store takes seconds to open); every test works on ids and
// a region of its own, so that tests never see each other's events.
beforeAll(async () => {
  store = await openEventStore('embedded:memory');
  projections = await openServiceProjections(store, 'settlement');
});
afterAll(async () => {
  await projections?.close();
  await store?.close();
});

let serial = 0;
const fresh = () => {
  serial += 1;
  return {
    REGION: `region${serial}`,
    OTHER_REGION: `other${serial}`,
    BUSINESS: randomUUID(),
    HOURLY: randomUUID(),
    FIXED: randomUUID(),
    OLD: randomUUID(),
    OTHER_JOB: randomUUID(),
    CANCELLED: randomUUID(),
    HANAKO: randomUUID(),
    YUKI: randomUUID(),
    TASK_1: randomUUID(),
    TASK_2: randomUUID(),
  };
};

describe('jobs', () => {
  it('reads job intake’s published events only: v2 hourly and fixed price, v1 without pricing, inspections, cancellation', async () => {
    const { REGION, OTHER_REGION, BUSINESS, HOURLY, FIXED, OLD, OTHER_JOB, CANCELLED } = fresh();
    await acceptJob(store, {
      jobId: HOURLY,
      businessId: BUSINESS,
      regionId: REGION,
      pricing: { kind: 'hourly', hourlyRateYen: '2000' },
    });
    await acceptJob(store, {
      jobId: FIXED,
      regionId: REGION,
      businessId: BUSINESS,
      workCategory: 'design',
      title: 'ロゴのデザイン',
      pricing: { kind: 'fixed_price' },
      feeYen: '55555',
      paymentDate: tokyo('2027-01-31T00:00:00'),
    });
    await acceptJob(store, { jobId: OLD, businessId: BUSINESS, regionId: REGION });
    await acceptJob(store, {
      jobId: OTHER_JOB,
      businessId: BUSINESS,
      regionId: OTHER_REGION,
      pricing: { kind: 'fixed_price' },
    });
    await acceptJob(store, {
      jobId: CANCELLED,
      businessId: BUSINESS,
      regionId: REGION,
      pricing: { kind: 'fixed_price' },
    });
    await inspectJob(store, FIXED, false, tokyo('2026-11-25T10:00:00'));
    await inspectJob(store, FIXED, true, tokyo('2026-11-30T23:30:00'));
    await cancelJob(store, CANCELLED, tokyo('2026-11-05T09:00:00'));

    const jobs = new SettlementJobs(store, projections);
    await jobs.catchUp();
    expect(jobs.ofRegion(REGION).map((j) => j.jobId)).toEqual([HOURLY, FIXED, OLD, CANCELLED].sort());
    expect(jobs.job(HOURLY)).toEqual({
      jobId: HOURLY,
      businessId: BUSINESS,
      regionId: REGION,
      title: '観光パンフレットの英訳',
      workCategory: 'translation',
      pricing: { kind: 'hourly', hourlyRateYen: 2000n },
      feeYen: 100_000n,
      paymentDate: '2026-12-31',
      inspectionAcceptedAt: null,
      cancelledAt: null,
    });
    // The inspection instant is the accepting JobInspected's occurred-at (23:30 Tokyo, still November).
    expect(jobs.job(FIXED)).toMatchObject({
      pricing: { kind: 'fixed_price' },
      feeYen: 55_555n,
      paymentDate: '2027-01-31',
      inspectionAcceptedAt: tokyo('2026-11-30T23:30:00'),
    });
    expect(jobs.job(OLD)).toMatchObject({ pricing: null, feeYen: null, paymentDate: null });
    expect(jobs.job(CANCELLED)).toMatchObject({ cancelledAt: tokyo('2026-11-05T09:00:00') });
    expect(jobs.ofRegion(OTHER_REGION).map((j) => j.jobId)).toEqual([OTHER_JOB]);
  });

  it('keeps its state across a restart: the next instance reads only what came after its checkpoint', async () => {
    const { BUSINESS, HOURLY } = fresh();
    await acceptJob(store, { jobId: HOURLY, businessId: BUSINESS, pricing: { kind: 'hourly', hourlyRateYen: '2000' } });
    const first = new SettlementJobs(store, projections);
    await first.catchUp();
    await first.flush();
    const checkpoint = first.status().position;
    expect(checkpoint).toBeDefined();

    await inspectJob(store, HOURLY, true, tokyo('2026-12-02T10:00:00'));
    const second = new SettlementJobs(store, projections);
    await second.ready();
    expect(second.status().position).toEqual(checkpoint);
    expect(second.job(HOURLY)).toMatchObject({ inspectionAcceptedAt: null });
    await second.catchUp();
    expect(second.job(HOURLY)).toMatchObject({ inspectionAcceptedAt: tokyo('2026-12-02T10:00:00') });
  });

  it('stops at a published event that does not follow its schema (settlement.malformed_event), naming the field', async () => {
    // A store of its own: the event would stop every later pass over the job streams.
    const own = await openEventStore('embedded:memory');
    const ownProjections = await openServiceProjections(own, 'settlement');
    try {
      const jobId = randomUUID();
      await own.append(`job-${jobId}`, [
        { type: 'JobInspected', data: { jobId, accepted: 'yes', reason: '' }, metadata: {} },
      ]);
      const jobs = new SettlementJobs(own, ownProjections);
      await expect(jobs.catchUp()).rejects.toMatchObject({
        code: 'settlement.malformed_event',
        details: { field: 'accepted', contractCode: 'contract.malformed_event' },
      });
    } finally {
      await ownProjections.close();
      await own.close();
    }
  });
});

describe('approved time and receipts', () => {
  it('reads WeekApproved by Tokyo day: a span across midnight counts on both days, one across the month’s end in both months', async () => {
    const { REGION, OTHER_REGION, HANAKO, HOURLY, OTHER_JOB } = fresh();
    await approveWeek(store, HANAKO, '2026-11-23', [
      { jobId: HOURLY, regionId: REGION, start: tokyo('2026-11-24T23:30:00'), end: tokyo('2026-11-25T00:45:00') },
      { jobId: HOURLY, regionId: REGION, start: tokyo('2026-11-30T23:50:00'), end: tokyo('2026-12-01T00:20:00') },
      {
        jobId: OTHER_JOB,
        regionId: OTHER_REGION,
        start: tokyo('2026-11-26T10:00:00'),
        end: tokyo('2026-11-26T11:00:00'),
      },
    ]);
    const timesheets = new Timesheets(store, projections);
    await timesheets.catchUp();
    expect(timesheets.approvedDays(REGION, '2026-11-30')).toEqual([
      { memberId: HANAKO, jobId: HOURLY, day: '2026-11-24', minutes: 30 },
      { memberId: HANAKO, jobId: HOURLY, day: '2026-11-25', minutes: 45 },
      { memberId: HANAKO, jobId: HOURLY, day: '2026-11-30', minutes: 10 },
    ]);
    expect(timesheets.approvedDays(REGION, '2026-12-31')).toContainEqual({
      memberId: HANAKO,
      jobId: HOURLY,
      day: '2026-12-01',
      minutes: 20,
    });
    expect(timesheets.approvedDays(OTHER_REGION, '2026-11-30')).toEqual([
      { memberId: HANAKO, jobId: OTHER_JOB, day: '2026-11-26', minutes: 60 },
    ]);
  });

  it('drops a reopened week until it is approved again, and then takes its new entries only', async () => {
    const { REGION, YUKI, HOURLY } = fresh();
    const week = '2026-11-09';
    await approveWeek(store, YUKI, week, [
      { jobId: HOURLY, regionId: REGION, start: tokyo('2026-11-10T10:00:00'), end: tokyo('2026-11-10T12:00:00') },
    ]);
    await approveWeek(store, YUKI, '2026-11-16', [
      { jobId: HOURLY, regionId: REGION, start: tokyo('2026-11-17T10:00:00'), end: tokyo('2026-11-17T10:30:00') },
    ]);
    const timesheets = new Timesheets(store, projections);
    await timesheets.catchUp();
    expect(timesheets.approvedDays(REGION, '2026-11-30').map((d) => [d.day, d.minutes])).toEqual([
      ['2026-11-10', 120],
      ['2026-11-17', 30],
    ]);

    await reopenWeek(store, YUKI, week);
    await timesheets.catchUp();
    expect(timesheets.approvedDays(REGION, '2026-11-30').map((d) => [d.day, d.minutes])).toEqual([['2026-11-17', 30]]);

    await approveWeek(store, YUKI, week, [
      { jobId: HOURLY, regionId: REGION, start: tokyo('2026-11-10T10:00:00'), end: tokyo('2026-11-10T11:15:00') },
      { jobId: HOURLY, regionId: REGION, start: tokyo('2026-11-11T09:00:00'), end: tokyo('2026-11-11T09:20:00') },
    ]);
    await timesheets.catchUp();
    expect(timesheets.approvedDays(REGION, '2026-11-30').map((d) => [d.day, d.minutes])).toEqual([
      ['2026-11-10', 75],
      ['2026-11-11', 20],
      ['2026-11-17', 30],
    ]);
  });

  it('keeps every receipt of the region’s work, one per member and task', async () => {
    const { REGION, OTHER_REGION, HANAKO, YUKI, HOURLY, FIXED, OTHER_JOB, TASK_1, TASK_2 } = fresh();
    await markDone(store, HANAKO, { jobId: HOURLY, regionId: REGION, taskId: TASK_2 }, tokyo('2026-11-20T15:00:00'));
    await markDone(store, HANAKO, { jobId: HOURLY, regionId: REGION, taskId: TASK_1 }, tokyo('2026-11-12T09:00:00'));
    await markDone(store, YUKI, { jobId: FIXED, regionId: REGION }, tokyo('2026-11-28T18:00:00'));
    await markDone(store, YUKI, { jobId: OTHER_JOB, regionId: OTHER_REGION }, tokyo('2026-11-02T18:00:00'));
    const timesheets = new Timesheets(store, projections);
    await timesheets.catchUp();
    const byMemberJobTime = (a: WorkReceipt, b: WorkReceipt) =>
      a.memberId.localeCompare(b.memberId) ||
      a.jobId.localeCompare(b.jobId) ||
      a.receivedAt.getTime() - b.receivedAt.getTime();
    expect(timesheets.receipts(REGION)).toEqual(
      [
        { memberId: HANAKO, jobId: HOURLY, receivedAt: tokyo('2026-11-12T09:00:00') },
        { memberId: HANAKO, jobId: HOURLY, receivedAt: tokyo('2026-11-20T15:00:00') },
        { memberId: YUKI, jobId: FIXED, receivedAt: tokyo('2026-11-28T18:00:00') },
      ].sort(byMemberJobTime),
    );
  });
});

describe('members and payees', () => {
  it('reads identity’s MemberRegistered and MemberForgotten, and settlement’s own payee records', async () => {
    const { REGION, OTHER_REGION, HANAKO, YUKI } = fresh();
    await registerMember(store, HANAKO, 'contractor', REGION);
    await registerMember(store, YUKI, 'employee', OTHER_REGION);
    await store.append(`payee-${HANAKO}`, [
      {
        type: 'PayeeRegistered',
        data: { memberId: HANAKO, invoiceRegistrationNumber: 'T1234567890123', registeredBy: 'u' },
        metadata: {},
      },
    ]);
    const members = new Members(store, projections);
    await members.catchUp();
    expect(members.facts(HANAKO)).toEqual({
      memberId: HANAKO,
      regionId: REGION,
      contractType: 'contractor',
      invoiceRegistrationNumber: 'T1234567890123',
      forgotten: false,
    });
    expect(members.facts(YUKI)).toMatchObject({
      contractType: 'employee',
      regionId: OTHER_REGION,
      invoiceRegistrationNumber: null,
    });
    expect(members.facts('0191f0a0-0000-7000-8000-0000000000ff')).toBeUndefined();

    await forgetMember(store, YUKI);
    await members.catchUp();
    expect(members.facts(YUKI)).toMatchObject({ forgotten: true });
  });
});

describe('closes', () => {
  it('index the closed months of each region from settlement’s own month streams', async () => {
    const { REGION, OTHER_REGION } = fresh();
    const input = novemberInput();
    const data = { ...settlementToJson(closeMonth(input)), inputDigest: closeInputDigest(input), closedBy: 'u' };
    await store.append(monthStream(REGION, '2026-11'), [{ type: 'MonthClosed', data, metadata: {} }]);
    await store.append(monthStream(REGION, '2026-10'), [{ type: 'MonthClosed', data, metadata: {} }]);
    const closes = new Closes(store, projections);
    await closes.catchUp();
    expect(closes.closedMonths(REGION)).toEqual(['2026-10', '2026-11']);
    expect(closes.closedMonths(OTHER_REGION)).toEqual([]);
  });
});
