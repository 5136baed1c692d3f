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
import { closeInputDigest } from '../../src/domain/codec.js';
import { closeEvents, monthStream } from '../../src/domain/month.js';
import { monthStateOf } from '../../src/application/snapshot.js';
import type { WorkReceipt } from '../../src/domain/model.js';
import { novemberInput, regionInput } from '../domain/month-fixtures.js';
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
  it('writes only what a page changed: a week approved is one document, a receipt another; a member’s history is never rewritten', async () => {
    const { REGION, HANAKO, HOURLY, TASK_1 } = fresh();
    const committed: string[] = [];
    const counting: ProjectionStore = {
      kind: projections.kind,
      load: (name, version) => projections.load(name, version),
      reset: (name, version) => projections.reset(name, version),
      checkpoints: () => projections.checkpoints(),
      close: () => Promise.resolve(),
      commit: (name, commit) => {
        committed.push(...commit.documents.map((d) => `${d.collection}:${d.key}`));
        return projections.commit(name, commit);
      },
    };
    const weeks = ['2026-11-02', '2026-11-09', '2026-11-16'];
    for (const [i, week] of weeks.entries())
      await approveWeek(store, HANAKO, week, [
        {
          jobId: HOURLY,
          regionId: REGION,
          start: tokyo(`2026-11-${String(3 + i * 7).padStart(2, '0')}T10:00:00`),
          end: tokyo(`2026-11-${String(3 + i * 7).padStart(2, '0')}T11:00:00`),
        },
      ]);
    const timesheets = new Timesheets(store, counting);
    await timesheets.catchUp();
    expect(committed.filter((k) => k.includes(HANAKO)).sort()).toEqual(weeks.map((w) => `weeks:${HANAKO}/${w}`));

    committed.length = 0;
    await approveWeek(store, HANAKO, '2026-11-23', [
      { jobId: HOURLY, regionId: REGION, start: tokyo('2026-11-24T10:00:00'), end: tokyo('2026-11-24T10:30:00') },
    ]);
    await markDone(store, HANAKO, { jobId: HOURLY, regionId: REGION, taskId: TASK_1 }, tokyo('2026-11-24T10:30:00'));
    await timesheets.catchUp();
    expect(committed.filter((k) => k.includes(HANAKO)).sort()).toEqual([
      `receipts:${HANAKO}/${TASK_1}`,
      `weeks:${HANAKO}/2026-11-23`,
    ]);

    // A later receipt of the same task changes nothing (the earliest is kept).
    committed.length = 0;
    await markDone(store, HANAKO, { jobId: HOURLY, regionId: REGION, taskId: TASK_1 }, tokyo('2026-11-27T10:00:00'));
    await timesheets.catchUp();
    expect(committed.filter((k) => k.includes(HANAKO))).toEqual([]);
  });

  it('keeps its weeks and receipts across a restart: the region’s index is rebuilt from the documents, nothing read again', async () => {
    const { REGION, OTHER_REGION, HANAKO, YUKI, HOURLY, OTHER_JOB, TASK_1 } = fresh();
    await approveWeek(store, HANAKO, '2026-11-09', [
      { jobId: HOURLY, regionId: REGION, start: tokyo('2026-11-10T10:00:00'), end: tokyo('2026-11-10T12:00:00') },
      {
        jobId: OTHER_JOB,
        regionId: OTHER_REGION,
        start: tokyo('2026-11-11T10:00:00'),
        end: tokyo('2026-11-11T10:45:00'),
      },
    ]);
    await approveWeek(store, YUKI, '2026-11-16', [
      { jobId: HOURLY, regionId: REGION, start: tokyo('2026-11-17T09:00:00'), end: tokyo('2026-11-17T09:30:00') },
    ]);
    await reopenWeek(store, YUKI, '2026-11-16');
    await markDone(store, HANAKO, { jobId: HOURLY, regionId: REGION, taskId: TASK_1 }, tokyo('2026-11-10T12:00:00'));
    const first = new Timesheets(store, projections);
    await first.catchUp();
    await first.flush();
    const restarted = new Timesheets(store, projections);
    await restarted.ready();
    expect(restarted.status().position).toEqual(first.status().position);
    for (const region of [REGION, OTHER_REGION]) {
      expect(restarted.approvedDays(region, '2026-11-30')).toEqual(first.approvedDays(region, '2026-11-30'));
      expect(restarted.receipts(region)).toEqual(first.receipts(region));
    }
    expect(restarted.approvedDays(REGION, '2026-11-30')).toEqual([
      { memberId: HANAKO, jobId: HOURLY, day: '2026-11-10', minutes: 120 },
    ]);
    expect(restarted.approvedDays(OTHER_REGION, '2026-11-30')).toEqual([
      { memberId: HANAKO, jobId: OTHER_JOB, day: '2026-11-11', minutes: 45 },
    ]);
    expect(restarted.receipts(REGION)).toEqual([
      { memberId: HANAKO, jobId: HOURLY, receivedAt: tokyo('2026-11-10T12:00:00') },
    ]);
    // Approved again after the restart: the restarted index takes it.
    await approveWeek(store, YUKI, '2026-11-16', [
      { jobId: HOURLY, regionId: REGION, start: tokyo('2026-11-17T09:00:00'), end: tokyo('2026-11-17T09:20:00') },
    ]);
    await restarted.catchUp();
    expect(restarted.approvedDays(REGION, '2026-11-30')).toContainEqual({
      memberId: YUKI,
      jobId: HOURLY,
      day: '2026-11-17',
      minutes: 20,
    });
    // A month's close reads the weeks begun by its last day only.
    expect(restarted.approvedDays(REGION, '2026-11-16').map((d) => d.day)).toEqual(['2026-11-10']);
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
    const events = closeEvents(closeMonth(input), { inputDigest: closeInputDigest(input), closedBy: 'u' });
    await store.append(
      monthStream(REGION, '2026-11'),
      events.map((e) => ({ ...e, metadata: {} })),
    );
    await store.append(
      monthStream(REGION, '2026-10'),
      events.map((e) => ({ ...e, metadata: {} })),
    );
    const closes = new Closes(store, projections);
    await closes.catchUp();
    expect(closes.closedMonths(REGION)).toEqual(['2026-10', '2026-11']);
    expect(closes.closedMonths(OTHER_REGION)).toEqual([]);
  });

  it('know a month closed by its MonthClosed: a close too large for one event, its parts read over several pages, read back whole', async () => {
    const { REGION } = fresh();
    const input = regionInput(800, 80);
    const settlement = closeMonth(input);
    const events = closeEvents(settlement, { inputDigest: closeInputDigest(input), closedBy: 'u' });
    expect(events.length).toBeGreaterThan(5);
    const stream = monthStream(REGION, '2026-11');
    await store.append(
      stream,
      events.map((e) => ({ ...e, metadata: {} })),
    );
    // Pages of 3 events: the first pages end inside the close's parts.
    const closes = new Closes(store, projections, { pageSize: 3 });
    await closes.catchUp();
    expect(closes.closedMonths(REGION)).toEqual(['2026-11']);
    // Read back from the store (jsonb reorders keys): the settlement as it was computed.
    expect(monthStateOf(await store.readStream(stream))).toEqual({
      status: 'closed',
      settlement,
      inputDigest: closeInputDigest(input),
      closedBy: 'u',
    });
    // Restarted: the closed month is a document of its own.
    const restarted = new Closes(store, projections);
    await restarted.ready();
    expect(restarted.closedMonths(REGION)).toEqual(['2026-11']);
  });
});
