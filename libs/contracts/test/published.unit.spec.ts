import type { JsonObject, RecordedEvent } from '@workshare/eventsourcing';
import {
  CONTRACT_CODES,
  IDENTITY_ACCESS_REVOCATIONS,
  IDENTITY_PUBLISHED_EVENTS,
  isPublished,
  JOB_INTAKE_PUBLISHED_EVENTS,
  parsePublished,
  publishedTypes,
  TASK_DECOMPOSITION_PUBLISHED_EVENTS,
  TEAM_SCHEDULING_PUBLISHED_EVENTS,
} from '../src/index.js';

const JOB = '01900000-0000-7000-8000-00000000a001';
const TASK = '01900000-0000-7000-8000-00000000c001';

const recorded = (type: string, data: JsonObject, overrides: Partial<RecordedEvent> = {}): RecordedEvent => ({
  id: '01900000-0000-7000-8000-0000000000e1',
  type,
  schemaVersion: 1,
  streamName: `job-${JOB}`,
  streamVersion: 0,
  position: { commit: 1n, prepare: 1n },
  data,
  metadata: {},
  occurredAt: new Date('2026-04-01T00:00:00.000Z'),
  recordedAt: new Date('2026-04-01T00:00:00.000Z'),
  hash: '',
  previousHash: '',
  ...overrides,
});

const jobAccepted = (overrides: JsonObject = {}): JsonObject => ({
  jobId: JOB,
  businessId: 'b',
  regionId: 'fujisato',
  localOnlyTownId: null,
  workCategory: 'transcription',
  title: '町史の文字起こし',
  skills: ['transcription'],
  deadline: '2026-06-30T08:00:00.000Z',
  estimatedMinutes: 900,
  feeYen: '220000',
  acceptedBy: 'user-biz',
  ...overrides,
});

const withoutMinutes = (): JsonObject => {
  const { estimatedMinutes: _minutes, ...rest } = jobAccepted();
  return rest;
};

const tasksPlanned = (task: JsonObject = {}): JsonObject => ({
  jobId: JOB,
  businessId: 'b',
  regionId: 'fujisato',
  localOnlyTownId: null,
  workCategory: 'data_entry',
  round: 1,
  tasks: [
    {
      taskId: TASK,
      key: 'entry',
      title: '入力',
      estimatedMinutes: 60,
      skills: [],
      dependsOn: [],
      deadline: '2026-06-30T08:00:00.000Z',
      ...task,
    },
  ],
  plannedBy: 'co-fujisato',
});

describe('parsePublished', () => {
  it('reads a published event: its type, version and data typed by its schema (unpublished fields kept out of the type)', () => {
    const event = recorded('JobAccepted', jobAccepted());
    const result = parsePublished(JOB_INTAKE_PUBLISHED_EVENTS, event);
    expect(result).toEqual({
      ok: true,
      value: { type: 'JobAccepted', schemaVersion: 1, data: event.data, streamId: JOB, event },
    });
    if (result.ok && result.value.type === 'JobAccepted') {
      const minutes: number = result.value.data.estimatedMinutes;
      expect(minutes).toBe(900);
    }
  });

  it('refuses an event type its producer does not publish', () => {
    expect(isPublished(JOB_INTAKE_PUBLISHED_EVENTS, 'JobSubmitted')).toBe(false);
    expect(parsePublished(JOB_INTAKE_PUBLISHED_EVENTS, recorded('JobSubmitted', { jobId: JOB }))).toEqual({
      ok: false,
      error: expect.objectContaining({ code: CONTRACT_CODES.unpublished, type: 'JobSubmitted' }),
    });
    // Another producer's catalogue does not make it consumable either.
    expect(parsePublished(TASK_DECOMPOSITION_PUBLISHED_EVENTS, recorded('JobAccepted', jobAccepted()))).toMatchObject({
      ok: false,
      error: { code: 'contract.unpublished_event' },
    });
  });

  it('refuses a schema version that is not published', () => {
    expect(
      parsePublished(JOB_INTAKE_PUBLISHED_EVENTS, recorded('JobAccepted', jobAccepted(), { schemaVersion: 3 })),
    ).toMatchObject({ ok: false, error: { code: 'contract.unsupported_version', schemaVersion: 3 } });
  });

  it.each([
    ['a missing field', withoutMinutes(), 'estimatedMinutes'],
    ['a wrong type', jobAccepted({ skills: 'transcription' }), 'skills'],
    ['a value out of its enum', jobAccepted({ workCategory: 'pottery' }), 'workCategory'],
    ['a nested field', jobAccepted({ skills: ['a', 3] }), 'skills[1]'],
    ['a time that is not ISO-8601', jobAccepted({ deadline: 'next tuesday' }), 'deadline'],
    ['an id that is not a UUID', jobAccepted({ jobId: 'job-1' }), 'jobId'],
  ])('refuses a malformed event (%s), naming the field', (_what, data, field) => {
    const result = parsePublished(JOB_INTAKE_PUBLISHED_EVENTS, recorded('JobAccepted', data));
    expect(result).toMatchObject({ ok: false, error: { code: 'contract.malformed_event', field } });
  });

  it('names a task’s field by its place in the list', () => {
    const event = recorded('TasksPlanned', tasksPlanned({ taskId: 'step-1' }), { streamName: `plan-${JOB}` });
    expect(parsePublished(TASK_DECOMPOSITION_PUBLISHED_EVENTS, event)).toMatchObject({
      ok: false,
      error: { code: 'contract.malformed_event', field: 'tasks[0].taskId' },
    });
    const fine = recorded('TasksPlanned', tasksPlanned(), { streamName: `plan-${JOB}` });
    expect(parsePublished(TASK_DECOMPOSITION_PUBLISHED_EVENTS, fine)).toMatchObject({ ok: true });
  });

  it('refuses an event recorded on another stream than its id’s', () => {
    const forged = recorded(
      'JobCancelled',
      { jobId: JOB, reason: 'x' },
      { streamName: 'job-01900000-0000-7000-8000-00000000a002' },
    );
    expect(parsePublished(JOB_INTAKE_PUBLISHED_EVENTS, forged)).toMatchObject({
      ok: false,
      error: { code: 'contract.malformed_event', field: 'jobId' },
    });
  });

  it('reads an event recorded on streams of either of its categories, and on no other', () => {
    const ACCOUNT = '01900000-0000-7000-8000-00000000b001';
    const revoked = { accountId: ACCOUNT, role: { kind: 'coordinator', regionId: 'fujisato' }, reason: 'moved' };
    for (const streamName of [`member-${ACCOUNT}`, `user-${ACCOUNT}`]) {
      expect(parsePublished(IDENTITY_PUBLISHED_EVENTS, recorded('RoleRevoked', revoked, { streamName }))).toMatchObject(
        { ok: true, value: { type: 'RoleRevoked', data: revoked } },
      );
    }
    expect(
      parsePublished(IDENTITY_PUBLISHED_EVENTS, recorded('RoleRevoked', revoked, { streamName: `job-${ACCOUNT}` })),
    ).toMatchObject({ ok: false, error: { code: 'contract.malformed_event', field: 'accountId' } });
    expect(
      parsePublished(
        IDENTITY_PUBLISHED_EVENTS,
        recorded('RoleRevoked', { ...revoked, role: { kind: 'mayor' } }, { streamName: `user-${ACCOUNT}` }),
      ),
    ).toMatchObject({ ok: false, error: { code: 'contract.malformed_event', field: 'role.kind' } });
  });

  it('publishes what ends someone’s access: revoked roles, forgotten accounts, ended sessions', () => {
    expect(publishedTypes(IDENTITY_ACCESS_REVOCATIONS)).toEqual([
      'RoleRevoked',
      'MemberForgotten',
      'UserForgotten',
      'SessionRevoked',
    ]);
    const SESSION = '01900000-0000-7000-8000-00000000d001';
    const ended = recorded(
      'SessionRevoked',
      { sessionId: SESSION, accountId: 'a', reason: 'logout' },
      { streamName: `session-${SESSION}` },
    );
    expect(parsePublished(IDENTITY_ACCESS_REVOCATIONS, ended)).toMatchObject({ ok: true });
    expect(IDENTITY_ACCESS_REVOCATIONS.every((e) => IDENTITY_PUBLISHED_EVENTS.includes(e as never))).toBe(true);
  });

  it('lists the published types once each', () => {
    expect(publishedTypes(JOB_INTAKE_PUBLISHED_EVENTS)).toEqual(['JobAccepted', 'JobInspected', 'JobCancelled']);
  });

  it('reads an event whose data does not hold its stream’s id from its stream (a task’s event on its job’s schedule)', () => {
    const handedOff = {
      taskId: TASK,
      fromMemberId: 'hanako',
      toMemberId: 'yuki',
      start: '2026-04-06T04:00:00.000Z',
      end: '2026-04-06T04:30:00.000Z',
      teamRegionId: 'fujisato',
      reason: '子どもの発熱',
      progressNote: '30 行まで入力済み',
      by: 'hanako',
    };
    const result = parsePublished(
      TEAM_SCHEDULING_PUBLISHED_EVENTS,
      recorded('TaskHandedOff', handedOff, { streamName: `schedule-${JOB}` }),
    );
    expect(result).toMatchObject({ ok: true, value: { type: 'TaskHandedOff', streamId: JOB } });
    if (result.ok && result.value.type === 'TaskHandedOff') {
      const to: string = result.value.data.toMemberId;
      expect(to).toBe('yuki');
    }
    for (const streamName of [`job-${JOB}`, 'schedule-', 'schedule']) {
      expect(
        parsePublished(TEAM_SCHEDULING_PUBLISHED_EVENTS, recorded('TaskHandedOff', handedOff, { streamName })),
      ).toMatchObject({ ok: false, error: { code: 'contract.malformed_event' } });
    }
    // An entry that names its id field still checks it against the stream.
    expect(
      parsePublished(
        TEAM_SCHEDULING_PUBLISHED_EVENTS,
        recorded('JobShared', { jobId: JOB, partnerRegionId: 'setagaya' }, { streamName: `schedule-${TASK}` }),
      ),
    ).toMatchObject({ ok: false, error: { code: 'contract.malformed_event', field: 'jobId' } });
  });

  it('team scheduling publishes no member’s free text: its hand-off reasons and notes are not in the contract', () => {
    for (const entry of TEAM_SCHEDULING_PUBLISHED_EVENTS) {
      const named = Object.keys((entry.schema as { properties: Record<string, unknown> }).properties);
      expect({ type: entry.type, named: named.filter((f) => ['reason', 'progressNote', 'by'].includes(f)) }).toEqual({
        type: entry.type,
        named: [],
      });
    }
  });
});
