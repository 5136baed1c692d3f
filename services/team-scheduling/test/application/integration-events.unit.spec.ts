/**
 * Other services' events are read through their producers' published catalogues only: an
 * event type its producer does not publish is left alone, a published one that does not follow
 * its schema is refused (`schedule.malformed_event`, naming the field) for the bus to retry and
 * dead-letter.
 */
import type { JsonObject, RecordedEvent } from '@workshare/eventsourcing';
import { identityFactOf, jobOutcomeOf, plannedTasksOf } from '../../src/application/integration-events.js';

const MEMBER = '01900000-0000-7000-8000-000000000001';
const JOB = '01900000-0000-7000-8000-00000000a001';
const TASK = '01900000-0000-7000-8000-00000000c001';

const recorded = (type: string, streamName: string, data: JsonObject, schemaVersion = 1): RecordedEvent => ({
  id: '01900000-0000-7000-8000-0000000000e1',
  type,
  schemaVersion,
  streamName,
  streamVersion: 0,
  position: { commit: 1n, prepare: 1n },
  data,
  metadata: {},
  occurredAt: new Date('2026-04-01T00:00:00.000Z'),
  recordedAt: new Date('2026-04-01T00:00:00.000Z'),
  hash: '',
  previousHash: '',
});

const registered = (overrides: JsonObject = {}) =>
  recorded('MemberRegistered', `member-${MEMBER}`, {
    memberId: MEMBER,
    regionId: 'fujisato',
    townId: 'fujisato/tara',
    prefecture: 'akita',
    contractType: 'contractor',
    skills: ['proofreading'],
    availability: [{ day: 'mon', start: '09:00', end: '12:00' }],
    timeZone: 'Asia/Tokyo',
    emailDigest: 'a'.repeat(64),
    personalData: 'sealed',
    registeredBy: 'op-1',
    ...overrides,
  });

const planned = (task: JsonObject = {}) =>
  recorded('TasksPlanned', `plan-${JOB}`, {
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
        skills: ['data entry'],
        dependsOn: [],
        deadline: '2026-06-30T08:00:00.000Z',
        ...task,
      },
    ],
    plannedBy: 'co-fujisato',
  });

describe('integration events, read through the producers’ catalogues', () => {
  it('reads published events as this service needs them', () => {
    expect(identityFactOf(registered())).toEqual({
      kind: 'registered',
      memberId: MEMBER,
      regionId: 'fujisato',
      townId: 'fujisato/tara',
      contractType: 'contractor',
      skills: ['proofreading'],
      availability: [{ day: 'mon', start: '09:00', end: '12:00' }],
    });
    expect(plannedTasksOf(planned())).toMatchObject({
      jobId: JOB,
      round: 1,
      localOnlyTownId: null,
      tasks: [{ taskId: TASK, deadline: Date.parse('2026-06-30T08:00:00.000Z') }],
    });
    expect(
      jobOutcomeOf(recorded('JobCancelled', `job-${JOB}`, { jobId: JOB, reason: '先方都合', cancelledBy: 'b' })),
    ).toEqual({ kind: 'cancelled', jobId: JOB, reason: '先方都合' });
  });

  it('leaves alone an event its producer does not publish', () => {
    expect(
      identityFactOf(
        recorded('RoleGranted', `member-${MEMBER}`, {
          accountId: MEMBER,
          role: { kind: 'member' },
          grantedBy: 'op',
          reason: 'x',
        }),
      ),
    ).toBeUndefined();
    expect(
      plannedTasksOf(recorded('PlanProposed', `plan-${JOB}`, { jobId: JOB, round: 1, tasks: [] })),
    ).toBeUndefined();
    expect(jobOutcomeOf(recorded('JobSubmitted', `job-${JOB}`, { jobId: JOB }))).toBeUndefined();
    // Job intake publishes JobAccepted, which this consumer does not read.
    expect(
      jobOutcomeOf(
        recorded('JobAccepted', `job-${JOB}`, {
          jobId: JOB,
          businessId: 'b',
          regionId: 'fujisato',
          localOnlyTownId: null,
          workCategory: 'data_entry',
          title: '入力',
          skills: [],
          deadline: '2026-06-30T08:00:00.000Z',
          estimatedMinutes: 60,
        }),
      ),
    ).toBeUndefined();
  });

  it.each([
    [
      'a contract type out of the published ones',
      () => identityFactOf(registered({ contractType: 'volunteer' })),
      'contractType',
    ],
    [
      'a window on no day',
      () => identityFactOf(registered({ availability: [{ day: 'someday', start: '09:00', end: '10:00' }] })),
      'availability[0].day',
    ],
    [
      'a window ending before it starts',
      () => identityFactOf(registered({ availability: [{ day: 'mon', start: '10:00', end: '09:00' }] })),
      'availability[0]',
    ],
    ['a task without an id', () => plannedTasksOf(planned({ taskId: 'step-1' })), 'tasks[0].taskId'],
    ['a task of no minutes', () => plannedTasksOf(planned({ estimatedMinutes: 0 })), 'tasks[0].estimatedMinutes'],
    [
      'an inspection without its verdict',
      () => jobOutcomeOf(recorded('JobInspected', `job-${JOB}`, { jobId: JOB, reason: '' })),
      'accepted',
    ],
    [
      'an event on another stream than its id’s',
      () => jobOutcomeOf(recorded('JobCancelled', `job-${TASK}`, { jobId: JOB, reason: 'x' })),
      'jobId',
    ],
  ])('refuses a malformed published event (%s), naming the field', (_what, read, field) => {
    expect(read).toThrow(
      expect.objectContaining({ code: 'schedule.malformed_event', details: expect.objectContaining({ field }) }),
    );
  });

  it('refuses a published event at a schema version its producer does not publish', () => {
    const event = { ...registered(), schemaVersion: 2 };
    expect(() => identityFactOf(event)).toThrow(
      expect.objectContaining({
        code: 'schedule.malformed_event',
        details: expect.objectContaining({ contractCode: 'contract.unsupported_version' }),
      }),
    );
  });
});
