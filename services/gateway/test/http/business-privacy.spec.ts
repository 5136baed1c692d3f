/**
 * What a business reads of its own job's team, through HTTP: who holds each task and its status,
 * never the members' hand-off reasons, progress notes, the coordinators' reasons about them, or
 * the members' weekly hours. The team-scheduling double answers everything to every caller it
 * lets in: what the business does not see, the gateway itself left out. A coordinator still
 * sees it all.
 */
import { expectProblem, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let jobId: string;
let sortId: string;
let enterId: string;

const later = (days: number) => new Date(Date.now() + days * 86_400_000);
const HAND_OFF_REASON = 'my child is sick this week';
const PROGRESS_NOTE = 'sorted boxes 1 to 3 of 7';
const OVERRIDE_REASON = 'she knows these forms from last year';

beforeAll(async () => {
  h = await startHarness();
  const ts = h.doubles.teamScheduling;
  ts.enrol({
    memberId: h.coop.member.id,
    regionId: 'fujisato',
    townId: 'fujisato/fujikoto',
    skills: ['data entry'],
    wishedMinutesPerWeek: 600,
  });
  ts.enrol({
    memberId: h.coop.coordinator.id,
    regionId: 'fujisato',
    townId: 'fujisato/kasuge',
    skills: ['data entry'],
    wishedMinutesPerWeek: 75,
  });
  // The job is the fujisato business's, in job intake and in team scheduling.
  jobId = await h.submitJob();
  [sortId, enterId] = ts.plan({
    jobId,
    businessId: h.coop.businesses.fujisato,
    regionId: 'fujisato',
    tasks: [
      { title: 'Sort the forms', estimatedMinutes: 60, skills: ['data entry'], deadline: later(20) },
      { title: 'Enter the forms', estimatedMinutes: 90, skills: ['data entry'], deadline: later(20) },
    ],
  }) as [string, string];
  expect((await h.call('POST', `/v1/jobs/${jobId}/schedule`, { as: h.coop.coordinator })).statusCode).toBe(200);
  // A coordinator's override, with her reason about the members, then the member holds the task.
  const override = async (memberId: string, reason: string) =>
    expect(
      (await h.call('PUT', `/v1/tasks/${sortId}/assignment`, { as: h.coop.coordinator, body: { memberId, reason } }))
        .statusCode,
    ).toBe(200);
  if (ts.tasks.get(sortId)?.task.memberId === h.coop.member.id) {
    await override(h.coop.coordinator.id, OVERRIDE_REASON);
    await override(h.coop.member.id, OVERRIDE_REASON);
  } else await override(h.coop.member.id, OVERRIDE_REASON);
  const handOff = await h.call('POST', `/v1/tasks/${sortId}/hand-off`, {
    as: h.coop.member,
    body: { reason: HAND_OFF_REASON, progressNote: PROGRESS_NOTE },
  });
  expect(handOff.statusCode).toBe(200);
});
afterAll(async () => h?.close());

interface Entry {
  kind: string;
  memberId: string | null;
  fromMemberId: string | null;
  reason: string | null;
  progressNote: string | null;
}

describe('a business reading its own job', () => {
  it('GET /v1/tasks/{taskId}/history: who held the task and when, no reason and no progress note', async () => {
    const asCoordinator = (
      (await h.call('GET', `/v1/tasks/${sortId}/history`, { as: h.coop.coordinator })).json() as { entries: Entry[] }
    ).entries;
    // The service told everything: the hand-off with its reason and note.
    expect(asCoordinator).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'handed_off', reason: HAND_OFF_REASON, progressNote: PROGRESS_NOTE }),
        expect.objectContaining({ kind: 'overridden', reason: OVERRIDE_REASON }),
      ]),
    );

    const response = await h.call('GET', `/v1/tasks/${sortId}/history`, { as: h.coop.business });
    expect(response.statusCode).toBe(200);
    const { entries } = response.json() as { entries: Entry[] };
    expect(entries.map((e) => [e.kind, e.memberId, e.fromMemberId])).toEqual(
      asCoordinator.map((e) => [e.kind, e.memberId, e.fromMemberId]),
    );
    for (const entry of entries) {
      expect(entry.progressNote).toBeNull();
      if (entry.kind !== 'unassignable') expect(entry.reason).toBeNull();
    }
    expect(response.body).not.toContain(HAND_OFF_REASON);
    expect(response.body).not.toContain(PROGRESS_NOTE);
    expect(response.body).not.toContain(OVERRIDE_REASON);
  });

  it('GET /v1/jobs/{jobId}/schedule: each task’s holder and status, the minutes planned, never the members’ weekly hours', async () => {
    const asCoordinator = (await h.call('GET', `/v1/jobs/${jobId}/schedule`, { as: h.coop.coordinator })).json() as {
      tasks: { taskId: string; memberId: string | null; status: string }[];
      loads: { memberId: string; assignedMinutes: number; wishedMinutesPerWeek: number | null }[];
    };
    expect(asCoordinator.loads.map((l) => l.wishedMinutesPerWeek).sort()).toEqual(
      asCoordinator.loads.map((l) => (l.memberId === h.coop.member.id ? 600 : 75)).sort(),
    );

    const response = await h.call('GET', `/v1/jobs/${jobId}/schedule`, { as: h.coop.business });
    expect(response.statusCode).toBe(200);
    const asBusiness = response.json() as typeof asCoordinator;
    expect(asBusiness.tasks.map((t) => [t.taskId, t.memberId, t.status]).sort()).toEqual(
      asCoordinator.tasks.map((t) => [t.taskId, t.memberId, t.status]).sort(),
    );
    expect(asBusiness.tasks.map((t) => t.taskId).sort()).toEqual([sortId, enterId].sort());
    expect(asBusiness.tasks.every((t) => t.status === 'assigned' && t.memberId !== null)).toBe(true);
    expect(asBusiness.loads.map((l) => [l.memberId, l.assignedMinutes])).toEqual(
      asCoordinator.loads.map((l) => [l.memberId, l.assignedMinutes]),
    );
    for (const load of asBusiness.loads) expect(load.wishedMinutesPerWeek).toBeNull();
  });

  it('GET /v1/jobs/{jobId}: the job, with nothing of the team in it', async () => {
    const response = await h.call('GET', `/v1/jobs/${jobId}`, { as: h.coop.business });
    expect(response.statusCode).toBe(200);
    for (const secret of [HAND_OFF_REASON, PROGRESS_NOTE, OVERRIDE_REASON]) expect(response.body).not.toContain(secret);
  });

  it('another business still reads none of it', async () => {
    expectProblem(
      await h.call('GET', `/v1/tasks/${sortId}/history`, { as: h.coop.otherBusiness }),
      403,
      'task.forbidden',
    );
  });
});
