/**
 * The audit routes against the real audit service (over gRPC, on the cooperative's store, which
 * it reads whole): a job's tasks held by a member (team scheduling's published events) asked
 * about as a timeline, a holder at an instant, a task's and a member's history, the stream as of
 * an instant; the search, corrections, verification and the query log; each as JSON and as CSV
 * (UTF-8 with its BOM, Shift_JIS); who may ask (the edge's role and region checks, the service's
 * own), and bad input refused with the field named, before the audit service is called (its
 * query log unchanged).
 */
import { randomUUID } from 'node:crypto';
import { expectProblem, startHarness, type Harness } from '../support/harness.js';
import { holdTasks, tokyo } from '../support/producers.js';

let h: Harness;
const jobId = randomUUID();
let taskIds: string[];
const heldFrom = tokyo('2026-11-10T10:00');
/** Instants of the store's recording clock: before the schedule's events were recorded, and after. */
let beforeRecording: Date;
let afterRecording: Date;

beforeAll(async () => {
  h = await startHarness({ rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } });
  beforeRecording = new Date();
  taskIds = await holdTasks(h.store, { jobId, memberId: h.coop.member.id, at: heldFrom, tasks: 2 });
  afterRecording = new Date(Date.now() + 1);
}, 120_000);
afterAll(async () => h?.close());

const json = (response: { statusCode: number; body: string; json(): unknown }) => {
  expect({ status: response.statusCode, body: response.statusCode === 200 ? '' : response.body }).toEqual({
    status: 200,
    body: '',
  });
  return response.json() as Record<string, unknown>;
};

/** How many queries the audit service has recorded (the accountant's view of its query log). */
const recordedQueries = async (): Promise<number> =>
  (json(await h.call('GET', '/v1/audit/queries?limit=1000', { as: h.coop.accountant })).queries as unknown[]).length;

describe('the audit routes, answered by the audit service', () => {
  it('a job’s timeline: each task with its holder from the assignment on, in Tokyo time', async () => {
    const timeline = json(await h.call('GET', `/v1/audit/jobs/${jobId}/timeline`, { as: h.coop.accountant }));
    expect(timeline).toMatchObject({ jobId, regionId: 'fujisato' });
    const tasks = timeline.tasks as { taskId: string; spans: { memberId: string; from: string; to: null }[] }[];
    expect(tasks.map((t) => t.taskId).sort()).toEqual([...taskIds].sort());
    for (const task of tasks) {
      expect(task.spans).toHaveLength(1);
      expect(task.spans[0]).toMatchObject({ memberId: h.coop.member.id, to: null });
      expect(task.spans[0]!.from).toMatch(/\+09:00$/);
    }
  });

  it('who held a task at an instant: the member after the assignment, nobody before', async () => {
    const taskId = taskIds[0]!;
    const after = json(
      await h.call('GET', `/v1/audit/tasks/${taskId}/holder?at=2026-11-11T09:00:00%2B09:00`, { as: h.coop.accountant }),
    );
    expect(after).toMatchObject({ taskId, jobId, at: '2026-11-11T09:00:00.000+09:00' });
    expect((after.holder as { memberId: string }).memberId).toBe(h.coop.member.id);
    // A bare `+` in a query string is read back as the offset.
    const before = json(
      await h.call('GET', `/v1/audit/tasks/${taskId}/holder?at=2026-11-09T09:00:00+09:00`, { as: h.coop.accountant }),
    );
    expect(before.holder).toBeNull();
  });

  it('a member’s history: her events, oldest first, each with its type, time, actor and a line in Japanese', async () => {
    const history = json(await h.call('GET', `/v1/audit/history/member/${h.coop.member.id}`, { as: h.coop.operator }));
    const entries = history.entries as { type: string; occurredAt: string; summary: string; stream: string }[];
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.map((e) => e.type)).toEqual(expect.arrayContaining(['MemberRegistered']));
    for (const entry of entries) {
      expect(entry.occurredAt).toMatch(/\+09:00$/);
      expect(entry.summary.length).toBeGreaterThan(0);
    }
    expect(history.next === null || typeof history.next === 'string').toBe(true);
  });

  it('the schedule stream as of an instant: the events recorded by then only', async () => {
    const stream = `schedule-${jobId}`;
    const asOf = async (at: Date) =>
      json(await h.call('GET', `/v1/audit/streams/${stream}?at=${at.toISOString()}`, { as: h.coop.accountant }));
    const early = await asOf(beforeRecording);
    expect(early).toMatchObject({ stream, version: null, events: [] });
    const late = await asOf(afterRecording);
    expect((late.events as { type: string }[]).map((e) => e.type)).toEqual([
      'TasksReceived',
      ...taskIds.map(() => 'TaskAssigned'),
    ]);
    expect(late.version).toBe(taskIds.length);
  });

  it('the log’s verification, fresh: intact, every event checked', async () => {
    const report = json(await h.call('GET', '/v1/audit/verification?fresh=true', { as: h.coop.accountant }));
    expect(report).toMatchObject({ status: 'intact', breaks: [] });
    expect(report.checkedEvents as number).toBeGreaterThan(0);
    expect(report.verifiedAt).toMatch(/\+09:00$/);
  });

  it('search, corrections and hand-offs answer lists (nothing of the books in this store yet)', async () => {
    const search = json(
      await h.call('GET', '/v1/audit/search?from=2026-11-01T00:00:00%2B09:00&minYen=1&counterparty=x', {
        as: h.coop.accountant,
      }),
    );
    expect(search.records).toEqual([]);
    expect(
      Array.isArray(json(await h.call('GET', '/v1/audit/corrections', { as: h.coop.accountant })).corrections),
    ).toBe(true);
    const handOffs = json(
      await h.call(
        'GET',
        '/v1/audit/regions/fujisato/hand-offs?from=2026-11-01T00:00:00%2B09:00&to=2026-12-01T00:00:00%2B09:00',
        { as: h.coop.coordinator },
      ),
    );
    expect(handOffs.handOffs).toEqual([]);
  });

  it('the query log: every query recorded, who asked and what', async () => {
    const { queries } = json(await h.call('GET', '/v1/audit/queries', { as: h.coop.accountant })) as {
      queries: { actor: string; query: string; at: string }[];
    };
    expect(queries.map((q) => q.query)).toEqual(expect.arrayContaining(['jobTimeline', 'whoHeld', 'verification']));
    expect(queries.some((q) => q.actor === h.coop.accountant.id)).toBe(true);
    expect(queries[0]!.at).toMatch(/\+09:00$/);
  });
});

describe('the same answers as CSV files', () => {
  it('UTF-8 with a BOM and CRLF, as an attachment with its name, never cached', async () => {
    const response = await h.call('GET', `/v1/audit/jobs/${jobId}/timeline?format=csv`, { as: h.coop.accountant });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8$/i);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="audit-[^"]+\.csv"$/);
    expect(response.headers['cache-control']).toBe('no-store');
    const bytes = response.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toContain('\r\n');
    expect(text).toContain(taskIds[0]);
  });

  it('Shift_JIS: the same table, decoded', async () => {
    const url = `/v1/audit/jobs/${jobId}/timeline?format=csv`;
    const utf8 = (await h.call('GET', url, { as: h.coop.accountant })).rawPayload.subarray(3).toString('utf8');
    const sjis = await h.call('GET', `${url}&encoding=shift_jis`, { as: h.coop.accountant });
    expect(sjis.headers['content-type']).toMatch(/^text\/csv; charset=Shift_JIS$/i);
    expect(new TextDecoder('shift_jis').decode(sjis.rawPayload)).toBe(utf8);
  });
});

describe('who may ask', () => {
  it('members and businesses are refused at the edge; no token is 401', async () => {
    for (const actor of [h.coop.member, h.coop.business])
      expectProblem(await h.call('GET', '/v1/audit/verification', { as: actor }), 403, 'auth.forbidden_role');
    expectProblem(await h.call('GET', '/v1/audit/verification'), 401, 'auth.token_missing');
  });

  it('a coordinator of another region is refused on a region’s questions, at the edge', async () => {
    expectProblem(
      await h.call('GET', '/v1/audit/regions/fujisato/months/2026-11/reconciliation', {
        as: h.coop.setagayaCoordinator,
      }),
      403,
      'auth.forbidden_region',
    );
    expectProblem(
      await h.call('GET', '/v1/audit/corrections?regionId=fujisato', { as: h.coop.setagayaCoordinator }),
      403,
      'auth.forbidden_region',
    );
  });

  it('and by the audit service on a subject outside her region (its own code)', async () => {
    const response = await h.call('GET', `/v1/audit/jobs/${jobId}/timeline`, { as: h.coop.setagayaCoordinator });
    expect(response.statusCode).toBe(403);
    expect((response.json() as { code: string }).code).toMatch(/^audit\./);
  });
});

describe('bad input: 400 naming the field, nothing asked of the audit service', () => {
  it.each([
    ['/v1/audit/search?minYen=abc', 'querystring.minYen'],
    ['/v1/audit/search?minYen=-5', 'querystring.minYen'],
    ['/v1/audit/search?minYen=5000&maxYen=10', 'querystring.minYen'],
    ['/v1/audit/search?from=2026-11-30T00:00:00Z&to=2026-11-01T00:00:00Z', 'querystring.to'],
    ['/v1/audit/search?from=yesterday', 'querystring.from'],
    ['/v1/audit/search?colour=red', 'querystring'],
    ['/v1/audit/search?encoding=shift_jis', 'querystring.encoding'],
    ['/v1/audit/search?format=pdf', 'querystring.format'],
    ['/v1/audit/history/invoice/abc', 'params.subject'],
    [`/v1/audit/tasks/${randomUUID()}/holder`, 'querystring'],
    [`/v1/audit/tasks/${randomUUID()}/holder?at=2026-12-31T23:59:60Z`, 'querystring.at'],
    ['/v1/audit/tasks/not-a-uuid/holder?at=2026-11-01T00:00:00Z', 'params.taskId'],
    ['/v1/audit/regions/fujisato/months/2026-13/reconciliation', 'params.month'],
    ['/v1/audit/regions/fujisato/hand-offs?from=2026-11-01T00:00:00Z', 'querystring'],
    ['/v1/audit/queries?limit=0', 'querystring.limit'],
  ])('%s', async (url, field) => {
    const before = await recordedQueries();
    const problem = expectProblem(await h.call('GET', url, { as: h.coop.accountant }), 400, 'request.invalid');
    const fields = (problem.errors as { field: string }[]).map((e) => e.field);
    expect(fields.some((f) => f === field || f.startsWith(`${field}.`) || f.startsWith(field))).toBe(true);
    // Only the log read above was recorded since: the refused request never reached the service.
    expect(await recordedQueries()).toBe(before + 1);
  });

  it('what only the audit service can judge is its refusal, passed through with its code', async () => {
    const response = await h.call('GET', '/v1/audit/streams/nodash?at=2026-11-01T00:00:00Z', {
      as: h.coop.accountant,
    });
    expectProblem(response, 400, 'audit.invalid_stream');
  });
});
