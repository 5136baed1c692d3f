/**
 * What the tests of this service share: other services' integration events appended as those
 * services append them (identity's members, task decomposition's TasksPlanned, job intake's
 * inspections and cancellations), and a wait for what the consumers do with them.
 */
import { randomUUID } from 'node:crypto';
import { uuidv7, type EventStore, type JsonObject } from '@workshare/eventsourcing';
import type { TestCooperative } from '@workshare/identity';
import type { WeeklyWindow } from '../src/domain/scheduler/model.js';

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/** The same window every day of the week (Asia/Tokyo). */
export const everyDay = (start: string, end: string): WeeklyWindow[] =>
  (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({ day, start, end }));

export interface MemberSpec {
  readonly memberId?: string;
  readonly townId: string;
  readonly skills: readonly string[];
  readonly availability: readonly WeeklyWindow[];
}

/** Whom a test registers a member with: a real identity (its facade), or a bare store. */
type Registrar = EventStore | Pick<TestCooperative, 'registerMember'>;

/**
 * A member registered by identity: her id. With the test cooperative, by identity itself (her
 * data key kept there, so that her free texts can be sealed with it); with a bare store, her
 * MemberRegistered appended as identity appends it (her personal data sealed away, no key: her
 * texts cannot be sealed; for tests where she writes none, in regions identity does not know).
 */
export const registerMember = async (where: Registrar, spec: MemberSpec): Promise<string> => {
  if ('registerMember' in where) {
    if (spec.memberId !== undefined) throw new TypeError('identity chooses the id of a member it registers');
    return where.registerMember({ townId: spec.townId, skills: spec.skills, availability: spec.availability });
  }
  const store = where;
  const memberId = spec.memberId ?? uuidv7();
  const regionId = spec.townId.split('/')[0] as string;
  await store.append(`member-${memberId}`, [
    {
      type: 'MemberRegistered',
      data: {
        memberId,
        regionId,
        townId: spec.townId,
        prefecture: regionId === 'fujisato' ? 'akita' : 'tokyo',
        contractType: 'contractor',
        skills: [...spec.skills],
        availability: spec.availability.map((w) => ({ ...w })),
        timeZone: 'Asia/Tokyo',
        emailDigest: randomUUID(),
        personalData: 'sealed',
        registeredBy: 'identity-test',
      },
      metadata: { actor: 'identity-test' },
    },
  ]);
  return memberId;
};

export interface TaskSpec {
  readonly taskId?: string;
  readonly estimatedMinutes?: number;
  readonly skills?: readonly string[];
  /** Indexes of earlier tasks of the same plan. */
  readonly after?: readonly number[];
  readonly deadline?: Date;
}

export interface PlanSpec {
  readonly jobId?: string;
  readonly businessId?: string;
  readonly regionId?: string;
  readonly localOnlyTownId?: string | null;
  readonly round?: number;
  readonly tasks: readonly TaskSpec[];
}

/** TasksPlanned on `plan-<jobId>`, as task decomposition confirms a plan: the job id and the task ids. */
export const planTasks = async (
  store: EventStore,
  spec: PlanSpec,
): Promise<{ jobId: string; taskIds: string[]; eventId: string }> => {
  const jobId = spec.jobId ?? randomUUID();
  const taskIds = spec.tasks.map((t) => t.taskId ?? randomUUID());
  const deadline = new Date(Date.now() + 14 * DAY_MS);
  const tasks = spec.tasks.map((t, i) => ({
    taskId: taskIds[i] as string,
    key: `step-${i + 1}`,
    title: `作業 ${i + 1}`,
    estimatedMinutes: t.estimatedMinutes ?? 30,
    skills: [...(t.skills ?? ['data entry'])],
    dependsOn: (t.after ?? []).map((j) => taskIds[j] as string),
    deadline: (t.deadline ?? deadline).toISOString(),
  }));
  const eventId = uuidv7();
  const data: JsonObject = {
    jobId,
    businessId: spec.businessId ?? randomUUID(),
    regionId: spec.regionId ?? 'fujisato',
    localOnlyTownId: spec.localOnlyTownId ?? null,
    workCategory: 'data_entry',
    round: spec.round ?? 1,
    tasks,
    plannedBy: 'coordinator-test',
  };
  await store.append(`plan-${jobId}`, [
    { id: eventId, type: 'TasksPlanned', data, metadata: { actor: 'coordinator-test', correlationId: jobId } },
  ]);
  return { jobId, taskIds, eventId };
};

/** A job intake event on `job-<jobId>` (JobInspected, JobCancelled). */
export const jobEvent = async (store: EventStore, jobId: string, type: string, data: JsonObject): Promise<string> => {
  const id = uuidv7();
  await store.append(`job-${jobId}`, [{ id, type, data: { jobId, ...data }, metadata: { actor: 'job-intake-test' } }]);
  return id;
};

/** Polls `check` until it answers something other than undefined (the bus polls every 20 ms in tests). */
export const eventually = async <T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
