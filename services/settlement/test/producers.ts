/**
 * Other services' events as their producers write them to the store: job intake's job streams,
 * time tracking's timesheets, identity's member registrations. Each published event follows its
 * producer's catalogue (checked here with parsePublished before it is appended, so a test can
 * never feed settlement an event its producer could not publish); the unpublished ones stand
 * for the producers' internal events, which settlement must pass over unread.
 */
import { randomUUID } from 'node:crypto';
import {
  IDENTITY_PUBLISHED_EVENTS,
  JOB_INTAKE_PUBLISHED_EVENTS,
  parsePublished,
  TIME_TRACKING_PUBLISHED_EVENTS,
  type Catalogue,
} from '@workshare/contracts';
import { uuidv7, type EventStore, type JsonObject, type RecordedEvent } from '@workshare/eventsourcing';

export const tokyo = (local: string): Date => new Date(`${local}+09:00`);

interface Produced {
  readonly type: string;
  readonly schemaVersion?: number;
  readonly data: JsonObject;
  readonly occurredAt?: Date;
  /** Not in the producer's catalogue: an internal event. */
  readonly internal?: boolean;
}

const checked = (catalogue: Catalogue, stream: string, event: Produced): void => {
  if (event.internal) return;
  const probe: RecordedEvent = {
    id: uuidv7(),
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    streamName: stream,
    streamVersion: 0,
    position: { commit: 0n, prepare: 0n },
    data: event.data,
    metadata: {},
    occurredAt: new Date(),
    recordedAt: new Date(),
    hash: '',
    previousHash: '',
  };
  const parsed = parsePublished(catalogue, probe);
  if (!parsed.ok) throw new Error(`a test event its producer could not publish: ${parsed.error.message}`);
};

const append = async (store: EventStore, catalogue: Catalogue, stream: string, events: readonly Produced[]) => {
  for (const event of events) checked(catalogue, stream, event);
  return store.append(
    stream,
    events.map((e) => ({
      type: e.type,
      schemaVersion: e.schemaVersion ?? 1,
      data: e.data,
      metadata: { actor: 'test-producer' },
      ...(e.occurredAt !== undefined ? { occurredAt: e.occurredAt } : {}),
    })),
  );
};

// ---- job intake -----------------------------------------------------------------------------------

export type Pricing = { kind: 'fixed_price' } | { kind: 'hourly'; hourlyRateYen: string };

export interface AcceptedJob {
  readonly jobId: string;
  readonly businessId: string;
  readonly regionId?: string;
  readonly title?: string;
  readonly workCategory?: string;
  /** Absent: a JobAccepted of schema version 1 (no pricing). */
  readonly pricing?: Pricing;
  readonly feeYen?: string;
  readonly paymentDate?: Date;
}

/** A job's stream up to its acceptance: JobSubmitted and JobQuoted (internal), JobAccepted (v2, or v1 without pricing). */
export const acceptJob = async (store: EventStore, job: AcceptedJob): Promise<void> => {
  const v1 = {
    jobId: job.jobId,
    businessId: job.businessId,
    regionId: job.regionId ?? 'fujisato',
    localOnlyTownId: null,
    workCategory: job.workCategory ?? 'translation',
    title: job.title ?? '観光パンフレットの英訳',
    skills: ['translation'],
    deadline: '2027-03-31T15:00:00.000Z',
    estimatedMinutes: 600,
  };
  const accepted: Produced =
    job.pricing === undefined
      ? { type: 'JobAccepted', schemaVersion: 1, data: v1 }
      : {
          type: 'JobAccepted',
          schemaVersion: 2,
          data: {
            ...v1,
            pricing: job.pricing,
            feeYen: job.feeYen ?? '100000',
            deliveryDate: '2026-11-20T06:00:00.000Z',
            inspectionDate: '2026-11-30T06:00:00.000Z',
            paymentDate: (job.paymentDate ?? tokyo('2026-12-31T00:00:00')).toISOString(),
          },
        };
  await append(store, JOB_INTAKE_PUBLISHED_EVENTS, `job-${job.jobId}`, [
    { type: 'JobSubmitted', internal: true, data: { jobId: job.jobId, title: 'internal: never read', amountYen: '1' } },
    { type: 'JobQuoted', internal: true, data: { jobId: job.jobId, amountYen: '1' } },
    accepted,
  ]);
};

/** The business inspects the job at `at` (JobStarted and JobDelivered before it, internal). */
export const inspectJob = async (store: EventStore, jobId: string, accepted: boolean, at: Date): Promise<void> => {
  await append(store, JOB_INTAKE_PUBLISHED_EVENTS, `job-${jobId}`, [
    { type: 'JobStarted', internal: true, data: { jobId } },
    { type: 'JobDelivered', internal: true, data: { jobId, note: '' } },
    { type: 'JobInspected', data: { jobId, accepted, reason: accepted ? '' : '表記揺れ' }, occurredAt: at },
  ]);
};

export const cancelJob = async (store: EventStore, jobId: string, at: Date): Promise<void> => {
  await append(store, JOB_INTAKE_PUBLISHED_EVENTS, `job-${jobId}`, [
    { type: 'JobCancelled', data: { jobId, reason: '予算の都合' }, occurredAt: at },
  ]);
};

// ---- time tracking --------------------------------------------------------------------------------

export interface Span {
  readonly jobId: string;
  readonly taskId?: string;
  readonly regionId?: string;
  readonly start: Date;
  readonly end: Date;
}

const entryOf = (span: Span) => ({
  entryId: randomUUID(),
  taskId: span.taskId ?? '0191f0a0-0000-7000-8000-00000000c001',
  jobId: span.jobId,
  regionId: span.regionId ?? 'fujisato',
  start: span.start.toISOString(),
  end: span.end.toISOString(),
  minutes: Math.round((span.end.getTime() - span.start.getTime()) / 60_000),
});

/** Her entries recorded (published, but not approved time) and her week approved with them. */
export const approveWeek = async (
  store: EventStore,
  memberId: string,
  weekStart: string,
  spans: readonly Span[],
): Promise<void> => {
  const entries = spans.map(entryOf);
  await append(store, TIME_TRACKING_PUBLISHED_EVENTS, `timesheet-${memberId}`, [
    ...entries.map((e) => ({ type: 'TimeEntryRecorded', data: { memberId, ...e, source: 'manual' } })),
    { type: 'WeekApproved', data: { memberId, weekStart, entries } },
  ]);
};

/** A correction of an approved week: the entry corrected (published), the week reopened. */
export const reopenWeek = async (store: EventStore, memberId: string, weekStart: string): Promise<void> => {
  await append(store, TIME_TRACKING_PUBLISHED_EVENTS, `timesheet-${memberId}`, [
    { type: 'TimeEntryDeleted', data: { memberId, entryId: randomUUID() } },
    { type: 'WeekReopened', data: { memberId, weekStart } },
  ]);
};

export const markDone = async (
  store: EventStore,
  memberId: string,
  task: { jobId: string; taskId?: string; regionId?: string },
  at: Date,
): Promise<void> => {
  await append(store, TIME_TRACKING_PUBLISHED_EVENTS, `timesheet-${memberId}`, [
    {
      type: 'TaskMarkedDone',
      data: {
        memberId,
        taskId: task.taskId ?? randomUUID(),
        jobId: task.jobId,
        regionId: task.regionId ?? 'fujisato',
        at: at.toISOString(),
      },
    },
  ]);
};

// ---- identity -------------------------------------------------------------------------------------

/** A member registered as identity publishes it (a sealed-data event of identity's own before it). */
export const registerMember = async (
  store: EventStore,
  memberId: string,
  contractType: 'contractor' | 'employee',
  regionId = 'fujisato',
): Promise<void> => {
  await append(store, IDENTITY_PUBLISHED_EVENTS, `member-${memberId}`, [
    { type: 'MemberKeyCreated', internal: true, data: { memberId } },
    {
      type: 'MemberRegistered',
      data: {
        memberId,
        regionId,
        townId: `${regionId}/fujikoto`,
        contractType,
        skills: ['translation'],
        availability: [],
      },
    },
  ]);
};

export const forgetMember = async (store: EventStore, memberId: string): Promise<void> => {
  await append(store, IDENTITY_PUBLISHED_EVENTS, `member-${memberId}`, [
    { type: 'MemberForgotten', data: { memberId } },
  ]);
};
