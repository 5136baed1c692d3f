/**
 * The audit's facade on the embedded store, end to end, against a real identity (the test
 * cooperative, in process, on the same store: its members, their names, their sealed texts and
 * their forgetting are real). The other services' events are appended as their producers write
 * them (test/producers.ts, typed by each producer's own events). A job of Fujisato is planned,
 * assigned, handed off (a sealed reason), worked, corrected; every question is asked, by whom it
 * may be, and refused for those who may not, with every query recorded.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type CommandContext, type EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import {
  castOf,
  IdentityTextsClient,
  startTestCooperative,
  type TestCast,
  type TestCooperative,
  type TestPerson,
} from '@workshare/identity';
import { openAuditService, type AuditRuntime } from '../../src/open-audit.js';
import {
  jobEvents,
  plannedTasks,
  planEvents,
  receivedTasks,
  scheduleEvents,
  submittedJob,
  timesheetEvents,
  tokyo,
} from '../producers.js';

let store: EventStore;
let coop: TestCooperative;
let cast: TestCast;
let runtime: AuditRuntime;
let memberA: string;
let memberB: string;

const JOB = randomUUID();
const T1 = randomUUID();
const T2 = randomUUID();
const ENTRY = randomUUID();

const as = (person: TestPerson): CommandContext => ({
  actor: actorOf(cast.callers[person]),
  token: cast.actors[person].token,
});
const audit = () => runtime.service;

beforeAll(async () => {
  store = await openEventStore('embedded:memory');
  coop = await startTestCooperative({ store });
  cast = await castOf(coop);
  memberA = coop.member.id;
  memberB = (
    await coop.service.registerMember(
      { actor: actorOf(cast.callers.operator), requestId: randomUUID() },
      {
        name: '鈴木 花子',
        address: 'fujisato/fujikoto 3',
        email: `suzuki.${randomUUID().slice(0, 8)}@test.example`,
        password: coop.password,
        bankAccount: {
          bankCode: '9999',
          branchCode: '001',
          type: 'ordinary',
          number: '0012345',
          holder: 'スズキ ハナコ',
        },
        townId: 'fujisato/fujikoto',
        contractType: 'contractor',
        skills: ['data entry'],
        availability: [{ day: 'mon', start: '09:00', end: '12:00' }],
      },
    )
  ).memberId;

  const businessId = coop.businesses.fujisato;
  const tasks = [
    { taskId: T1, title: '商品データ入力 1' },
    { taskId: T2, title: '商品データ入力 2' },
  ];
  const coordinator = coop.coordinator.id;
  await jobEvents(
    store,
    JOB,
    submittedJob(
      { jobId: JOB, businessId, regionId: 'fujisato', title: 'カタログ入力', amountYen: '48000', by: coop.business.id },
      tokyo('2026-11-02T09:00:00'),
    ),
  );
  await planEvents(store, JOB, [
    plannedTasks(
      { jobId: JOB, businessId, regionId: 'fujisato', tasks, by: coordinator },
      tokyo('2026-11-02T09:30:00'),
    ),
  ]);
  // The reason is hers: sealed with her key by identity, as team scheduling keeps it.
  const texts = new IdentityTextsClient({ identityAddress: coop.identityAddress });
  const [reason] = await texts.seal(
    { actor: actorOf(cast.callers.coordinator), token: coop.coordinator.token },
    memberA,
    ['子どもの発熱'],
  );
  texts.close();
  await scheduleEvents(store, JOB, [
    receivedTasks({ jobId: JOB, businessId, regionId: 'fujisato', tasks }, tokyo('2026-11-02T09:31:00')),
    {
      type: 'TaskAssigned',
      at: tokyo('2026-11-04T10:00:00'),
      actor: 'system:team-scheduling',
      data: {
        taskId: T1,
        memberId: memberA,
        start: '2026-11-04T01:00:00.000Z',
        end: '2026-11-04T01:40:00.000Z',
        teamRegionId: 'fujisato',
        by: 'system:team-scheduling',
        reason: 'scheduled',
      },
    },
    {
      type: 'TaskHandedOff',
      at: tokyo('2026-11-04T11:00:00'),
      actor: memberA,
      data: {
        taskId: T1,
        fromMemberId: memberA,
        toMemberId: memberB,
        start: '2026-11-04T02:00:00.000Z',
        end: '2026-11-04T02:40:00.000Z',
        teamRegionId: 'fujisato',
        reason: reason as never,
        progressNote: '半分まで入力済み',
        by: memberA,
      },
    },
  ]);
  await timesheetEvents(store, memberB, [
    {
      type: 'TimeEntryRecorded',
      at: tokyo('2026-11-04T11:45:00'),
      actor: memberB,
      data: {
        memberId: memberB,
        entryId: ENTRY,
        taskId: T1,
        jobId: JOB,
        regionId: 'fujisato',
        start: '2026-11-04T02:00:00.000Z',
        end: '2026-11-04T02:40:00.000Z',
        minutes: 40,
        source: 'manual',
      },
    },
    {
      type: 'TimeEntryCorrected',
      at: tokyo('2026-11-05T09:00:00'),
      actor: coordinator,
      data: {
        memberId: memberB,
        entryId: ENTRY,
        start: '2026-11-04T02:00:00.000Z',
        end: '2026-11-04T02:30:00.000Z',
        minutes: 30,
        reason: '入力ミス',
      },
    },
    {
      type: 'WeekReopened',
      at: tokyo('2026-11-06T09:00:00'),
      actor: coordinator,
      data: { memberId: memberB, weekStart: '2026-11-02' },
    },
    {
      type: 'TaskMarkedDone',
      at: tokyo('2026-11-06T10:00:00'),
      actor: memberB,
      data: { memberId: memberB, taskId: T1, jobId: JOB, regionId: 'fujisato', at: '2026-11-06T01:00:00.000Z' },
    },
  ]);
  runtime = await openAuditService({
    store,
    identityAddress: coop.identityAddress,
    verifyIntervalMs: 0,
    now: () => tokyo('2026-12-01T10:00:00'),
  });
  await audit().refreshReadModels();
});

afterAll(async () => {
  await runtime?.close();
  await coop?.close();
  await store?.close();
});

const recorded = async (): Promise<number> => (await audit().queries(as('operator'), { limit: 1_000 })).queries.length;

describe('who held a task', () => {
  it('answers the holder at any instant: before, during, after a hand-off', async () => {
    const before = await audit().whoHeld(as('accountant'), { taskId: T1, at: '2026-11-04T09:59:00+09:00' });
    expect(before).toMatchObject({ taskId: T1, jobId: JOB, holder: null });
    const first = await audit().whoHeld(as('accountant'), { taskId: T1, at: '2026-11-04T10:30:00+09:00' });
    expect(first.holder).toMatchObject({
      memberId: memberA,
      from: '2026-11-04T01:00:00.000Z',
      to: '2026-11-04T02:00:00.000Z',
    });
    expect(first.holder?.memberName?.kind).toBe('text');
    const second = await audit().whoHeld(as('coordinator'), { taskId: T1, at: '2026-11-04T03:00:00Z' });
    expect(second.holder).toMatchObject({
      memberId: memberB,
      memberName: { kind: 'text', text: '鈴木 花子' },
      to: '2026-11-06T01:00:00.000Z',
    });
  });

  it('answers nobody once the task is done', async () => {
    const after = await audit().whoHeld(as('accountant'), { taskId: T1, at: '2026-11-06T10:00:00+09:00' });
    expect(after).toMatchObject({ taskId: T1, jobId: JOB, holder: null });
  });

  it('refuses a bad instant, and records nothing', async () => {
    const count = await recorded();
    await expect(audit().whoHeld(as('accountant'), { taskId: T1, at: '2026-11-04 10:30' })).rejects.toMatchObject({
      code: 'audit.invalid_at',
    });
    expect(await recorded()).toBe(count + 1); // the count itself
  });
});

describe('history', () => {
  it("gives a job's every event across services' streams, in log order, with Tokyo times and summaries", async () => {
    const { entries, next } = await audit().history(as('accountant'), { subject: 'job', id: JOB });
    expect(next).toBeNull();
    expect(entries.map((e) => e.type)).toEqual([
      'JobSubmitted',
      'TasksPlanned',
      'TasksReceived',
      'TaskAssigned',
      'TaskHandedOff',
      'TimeEntryRecorded',
      'TimeEntryCorrected',
      'TaskMarkedDone',
    ]);
    // Actors that are not members are shown by id and role, and fail nothing.
    expect(entries[0]!.actor).toEqual({ id: coop.business.id, name: null, role: 'user' });
    expect(entries.find((e) => e.type === 'TaskAssigned')!.actor).toMatchObject({
      id: 'system:team-scheduling',
      role: 'system',
    });
    const handOff = entries.find((e) => e.type === 'TaskHandedOff')!;
    expect(handOff.actor).toMatchObject({ id: memberA, role: 'member', name: { kind: 'text' } });
    expect(handOff.occurredAtTokyo).toBe('2026-11-04 11:00');
    expect(handOff.summary).toBe(`タスクを引き継ぎ: ${handOff.summary.split(': ')[1]}`);
    expect(handOff.summary).toContain('鈴木 花子');
    expect(handOff.reason).toEqual({ kind: 'text', text: '子どもの発熱' });
    expect(handOff.data.progressNote).toEqual({ kind: 'text', text: '半分まで入力済み' });
  });

  it('pages with `after`', async () => {
    const first = await audit().history(as('operator'), { subject: 'task', id: T1, limit: 2 });
    expect(first.entries).toHaveLength(2);
    const rest = await audit().history(as('operator'), { subject: 'task', id: T1, after: first.next! });
    expect([...first.entries, ...rest.entries].map((e) => e.type)).toEqual([
      'TasksPlanned',
      'TasksReceived',
      'TaskAssigned',
      'TaskHandedOff',
      'TimeEntryRecorded',
      'TimeEntryCorrected',
      'TaskMarkedDone',
    ]);
  });

  it("gives a member's and a business's history", async () => {
    const b = await audit().history(as('accountant'), { subject: 'member', id: memberB });
    expect(b.entries.map((e) => e.type)).toEqual(
      expect.arrayContaining(['MemberRegistered', 'TaskHandedOff', 'TimeEntryRecorded', 'WeekReopened']),
    );
    const business = await audit().history(as('accountant'), { subject: 'business', id: coop.businesses.fujisato });
    expect(business.entries.map((e) => e.type)).toEqual(expect.arrayContaining(['BusinessRegistered', 'JobSubmitted']));
  });

  it("keeps a coordinator to her region's subjects", async () => {
    await expect(audit().history(as('setagayaCoordinator'), { subject: 'job', id: JOB })).rejects.toMatchObject({
      code: 'audit.forbidden',
    });
    await expect(audit().history(as('coordinator'), { subject: 'job', id: JOB })).resolves.toBeDefined();
  });
});

describe('timeline and hand-offs', () => {
  it("draws a job's tasks with their holders' spans and hand-offs", async () => {
    const timeline = await audit().jobTimeline(as('accountant'), { jobId: JOB });
    expect(timeline).toMatchObject({ jobId: JOB, title: 'カタログ入力', regionId: 'fujisato' });
    const t1 = timeline.tasks.find((t) => t.taskId === T1)!;
    expect(t1.title).toBe('商品データ入力 1');
    expect(t1.spans.map((s) => [s.memberId, s.from, s.to])).toEqual([
      [memberA, '2026-11-04T01:00:00.000Z', '2026-11-04T02:00:00.000Z'],
      [memberB, '2026-11-04T02:00:00.000Z', '2026-11-06T01:00:00.000Z'],
    ]);
    expect(t1.handOffs).toHaveLength(1);
    expect(timeline.tasks.find((t) => t.taskId === T2)!.spans).toEqual([]);
  });

  it("lists a region's hand-offs of a period, with their reasons", async () => {
    const { handOffs } = await audit().handOffs(as('coordinator'), {
      regionId: 'fujisato',
      from: '2026-11-01T00:00+09:00',
      to: '2026-12-01T00:00+09:00',
    });
    expect(handOffs).toHaveLength(1);
    expect(handOffs[0]).toMatchObject({
      jobId: JOB,
      taskId: T1,
      fromMemberId: memberA,
      toMemberId: memberB,
      atTokyo: '2026-11-04 11:00',
      reason: { kind: 'text', text: '子どもの発熱' },
    });
    const none = await audit().handOffs(as('operator'), {
      regionId: 'fujisato',
      from: '2026-10-01T00:00Z',
      to: '2026-11-01T00:00Z',
    });
    expect(none.handOffs).toEqual([]);
    await expect(
      audit().handOffs(as('setagayaCoordinator'), {
        regionId: 'fujisato',
        from: '2026-11-01T00:00Z',
        to: '2026-12-01T00:00Z',
      }),
    ).rejects.toMatchObject({ code: 'audit.forbidden' });
    await expect(
      audit().handOffs(as('operator'), { regionId: 'fujisato', from: '2026-12-01T00:00Z', to: '2026-11-01T00:00Z' }),
    ).rejects.toMatchObject({ code: 'audit.invalid_period' });
  });
});

describe('corrections', () => {
  it('gives every correction with its before and after', async () => {
    const { corrections } = await audit().corrections(as('accountant'), { regionId: 'fujisato' });
    const corrected = corrections.find((c) => c.type === 'TimeEntryCorrected')!;
    expect(corrected.changes).toEqual([
      { field: 'start', before: '2026-11-04T02:00:00.000Z', after: '2026-11-04T02:00:00.000Z' },
      { field: 'end', before: '2026-11-04T02:40:00.000Z', after: '2026-11-04T02:30:00.000Z' },
      { field: 'minutes', before: 40, after: 30 },
    ]);
    expect(corrected.reason).toEqual({ kind: 'text', text: '入力ミス' });
    expect(corrected.actor?.id).toBe(coop.coordinator.id);
    expect(corrections.find((c) => c.type === 'WeekReopened')?.changes).toEqual([
      { field: 'week 2026-11-02', before: 'approved', after: 'reopened' },
    ]);
  });
});

describe('a stream as of an instant', () => {
  it("replays a stream's events recorded by then with its owner's evolve", async () => {
    const now = await audit().streamAsOf(as('operator'), { stream: `schedule-${JOB}`, at: new Date().toISOString() });
    expect(now.version).toBe(2);
    expect(now.state.folder).toBe('schedule');
    expect(now.events.map((e) => e.type)).toEqual(['TasksReceived', 'TaskAssigned', 'TaskHandedOff']);
    const before = await audit().streamAsOf(as('operator'), { stream: `schedule-${JOB}`, at: '2000-01-01T00:00Z' });
    expect(before).toMatchObject({ version: null, events: [] });
    await expect(
      audit().streamAsOf(as('operator'), { stream: 'schedule-nothing', at: '2026-11-01T00:00Z' }),
    ).rejects.toMatchObject({
      code: 'audit.stream_not_found',
    });
  });
});

describe('access and the log of queries', () => {
  it.each(['member', 'business'] as const)('refuses a %s, recording nothing', async (person) => {
    const count = await recorded();
    await expect(audit().history(as(person), { subject: 'job', id: JOB })).rejects.toMatchObject({
      code: 'audit.forbidden',
    });
    await expect(audit().queries(as(person), {})).rejects.toMatchObject({ code: 'audit.forbidden' });
    expect(await recorded()).toBe(count + 1);
  });

  it('records every query before answering it: who, what, parameters, when', async () => {
    await audit().whoHeld(as('accountant'), { taskId: T2, at: '2026-11-04T10:30:00+09:00' });
    const { queries } = await audit().queries(as('accountant'), { limit: 5 });
    expect(queries[0]).toMatchObject({ actor: coop.accountant.id, query: 'queries', parameters: { limit: '5' } });
    expect(queries[1]).toMatchObject({
      actor: coop.accountant.id,
      query: 'whoHeld',
      parameters: { taskId: T2, at: '2026-11-04T10:30:00+09:00' },
      at: '2026-12-01T01:00:00.000Z',
    });
    // A coordinator sees her own queries only.
    const own = await audit().queries(as('coordinator'), { limit: 1_000 });
    expect(new Set(own.queries.map((q) => q.actor))).toEqual(new Set([coop.coordinator.id]));
  });
});

describe('verification', () => {
  it('checks every hash chain (no seal key: the chains only)', async () => {
    const report = await audit().verification(as('accountant'), { fresh: true });
    expect(report).toMatchObject({ status: 'intact', breaks: [], sealsChecked: 0, lastSeal: null });
    expect(report.checkedEvents).toBeGreaterThan(10);
  });
});

describe('a forgotten member', () => {
  it('shows her name and her sealed texts as redacted', async () => {
    await coop.service.forgetMember(
      { actor: actorOf(cast.callers.operator), requestId: randomUUID() },
      { memberId: memberA, reason: 'APPI request' },
    );
    const held = await audit().whoHeld(as('accountant'), { taskId: T1, at: '2026-11-04T10:30:00+09:00' });
    expect(held.holder?.memberName).toEqual({ kind: 'redacted' });
    const { handOffs } = await audit().handOffs(as('accountant'), {
      regionId: 'fujisato',
      from: '2026-11-01T00:00Z',
      to: '2026-12-01T00:00Z',
    });
    expect(handOffs[0]?.reason).toEqual({ kind: 'redacted' });
    // Her plain-text progress note, written before notes were sealed, goes with her.
    expect(handOffs[0]?.progressNote).toEqual({ kind: 'redacted' });
  });
});
