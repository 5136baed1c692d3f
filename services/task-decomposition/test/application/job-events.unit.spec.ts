/**
 * Job intake's events are read through its published catalogue only: an event type job intake
 * does not publish is left alone (acknowledged, no command), a published one that does not
 * follow its schema is refused (`plan.malformed_job_event`, naming the field) for the bus to
 * retry and dead-letter.
 */
import type { JsonObject, RecordedEvent } from '@workshare/eventsourcing';
import { acceptedJobOf, cancellationOf, inspectionOf, jobEventOf } from '../../src/application/job-events.js';
import { reactToJobEvent } from '../../src/application/process-manager.js';
import type { TaskDecompositionService } from '../../src/application/task-decomposition-service.js';

const JOB = '01960000-0000-7000-8000-00000000a001';

const recorded = (type: string, data: JsonObject, schemaVersion = 1): RecordedEvent => ({
  id: '01960000-0000-7000-8000-0000000000e1',
  type,
  schemaVersion,
  streamName: `job-${JOB}`,
  streamVersion: 0,
  position: { commit: 1n, prepare: 1n },
  data,
  metadata: { actor: 'job-intake-test', correlationId: JOB },
  occurredAt: new Date('2026-04-01T00:00:00.000Z'),
  recordedAt: new Date('2026-04-01T00:00:00.000Z'),
  hash: '',
  previousHash: '',
});

const accepted = (overrides: JsonObject = {}) =>
  recorded('JobAccepted', {
    jobId: JOB,
    businessId: 'b',
    regionId: 'fujisato',
    localOnlyTownId: '',
    workCategory: 'transcription',
    title: '町史の文字起こし',
    skills: ['japanese'],
    deadline: '2026-06-30T09:00:00Z',
    estimatedMinutes: 400,
    feeYen: '48000',
    acceptedBy: 'business-user',
    ...overrides,
  });

/** A service no command may reach. */
const untouchable = new Proxy({} as TaskDecompositionService, {
  get: (_target, name) => () => {
    throw new Error(`the service was asked to ${String(name)}`);
  },
});

describe('job intake’s events, read through its published catalogue', () => {
  it('reads the published events as this service needs them', () => {
    expect(acceptedJobOf(accepted())).toEqual({
      jobId: JOB,
      businessId: 'b',
      regionId: 'fujisato',
      localOnlyTownId: null,
      workCategory: 'transcription',
      title: '町史の文字起こし',
      skills: ['japanese'],
      estimatedMinutes: 400,
      deadline: '2026-06-30T09:00:00.000Z',
      acceptedAt: '2026-04-01T00:00:00.000Z',
    });
    expect(
      inspectionOf(recorded('JobInspected', { jobId: JOB, accepted: false, reason: 'x', inspectedBy: 'b' })),
    ).toEqual({
      jobId: JOB,
      accepted: false,
      reason: 'x',
    });
    expect(cancellationOf(recorded('JobCancelled', { jobId: JOB, reason: 'y', cancelledBy: 'b' }))).toEqual({
      jobId: JOB,
      reason: 'y',
    });
  });

  it('leaves alone an event type job intake does not publish', async () => {
    const submitted = recorded('JobSubmitted', { jobId: JOB, title: 't' });
    expect(jobEventOf(submitted)).toBeUndefined();
    await expect(reactToJobEvent(untouchable, submitted)).resolves.toBeUndefined();
    expect(() => acceptedJobOf(submitted)).toThrow(expect.objectContaining({ code: 'plan.malformed_job_event' }));
  });

  it.each([
    ['an unknown work category', accepted({ workCategory: 'pottery' }), 'workCategory'],
    ['minutes that are not a whole number', accepted({ estimatedMinutes: 1.5 }), 'estimatedMinutes'],
    ['a deadline that is not a time', accepted({ deadline: 'next tuesday' }), 'deadline'],
    ['a job id that is not a UUID', accepted({ jobId: 'job-1' }), 'jobId'],
  ])('refuses a malformed published event (%s), naming the field', async (_what, event, field) => {
    const refusal = expect.objectContaining({
      code: 'plan.malformed_job_event',
      details: expect.objectContaining({ field }),
    });
    expect(() => jobEventOf(event)).toThrow(refusal);
    await expect(reactToJobEvent(untouchable, event)).rejects.toEqual(refusal);
  });

  it('refuses a schema version job intake does not publish', () => {
    expect(() => jobEventOf(recorded('JobCancelled', { jobId: JOB, reason: 'y' }, 2))).toThrow(
      expect.objectContaining({
        code: 'plan.malformed_job_event',
        details: expect.objectContaining({ contractCode: 'contract.unsupported_version' }),
      }),
    );
  });
});
