/**
 * Task decomposition's TasksPlanned is read through its published catalogue only: an event
 * type it does not publish is left alone, a TasksPlanned that does not follow its schema is
 * refused (`job.malformed_event`, naming the field) for the bus to retry and dead-letter.
 */
import type { JsonObject, RecordedEvent } from '@workshare/eventsourcing';
import { tasksPlannedOf } from '../../src/application/consumers.js';

const JOB = '01900000-0000-7000-8000-00000000a001';

const recorded = (type: string, data: JsonObject): RecordedEvent => ({
  id: '01900000-0000-7000-8000-0000000000e1',
  type,
  schemaVersion: 1,
  streamName: `plan-${JOB}`,
  streamVersion: 0,
  position: { commit: 1n, prepare: 1n },
  data,
  metadata: {},
  occurredAt: new Date('2026-04-01T00:00:00.000Z'),
  recordedAt: new Date('2026-04-01T00:00:00.000Z'),
  hash: '',
  previousHash: '',
});

const planned = (overrides: JsonObject = {}) =>
  recorded('TasksPlanned', {
    jobId: JOB,
    businessId: 'b',
    regionId: 'fujisato',
    localOnlyTownId: null,
    workCategory: 'translation',
    round: 1,
    tasks: [
      {
        taskId: '01900000-0000-7000-8000-00000000c001',
        key: 'translate',
        title: '翻訳',
        estimatedMinutes: 60,
        skills: [],
        dependsOn: [],
        deadline: '2026-06-30T08:00:00.000Z',
      },
    ],
    plannedBy: 'co-fujisato',
    ...overrides,
  });

describe('TasksPlanned, read through task decomposition’s catalogue', () => {
  it('gives the job and the round', () => {
    expect(tasksPlannedOf(planned({ round: 2 }))).toEqual({ jobId: JOB, round: 2 });
  });

  it('leaves alone an event task decomposition does not publish', () => {
    expect(tasksPlannedOf(recorded('PlanProposed', { jobId: JOB, round: 1 }))).toBeUndefined();
  });

  it.each([
    ['no round', { round: undefined }, 'round'],
    ['a job id that is not a UUID', { jobId: 'job-1' }, 'jobId'],
    ['no tasks', { tasks: [] }, 'tasks'],
  ])('refuses a malformed TasksPlanned (%s), naming the field', (_what, overrides, field) => {
    const event = planned(JSON.parse(JSON.stringify(overrides)) as JsonObject);
    if ('round' in overrides) delete (event.data as Record<string, unknown>).round;
    expect(() => tasksPlannedOf(event)).toThrow(
      expect.objectContaining({ code: 'job.malformed_event', details: expect.objectContaining({ field }) }),
    );
  });
});
