/**
 * Team scheduling's published events (streams `schedule-<jobId>`, category `schedule`): the
 * tasks of a job it received, and every change of hands of a task: who holds it for which span
 * (assigned, handed off, overridden), who let it go (released), which tasks nobody could take,
 * the regions a job is shared with, and the job's cancellation as the schedule recorded it. What
 * time tracking checks ("a member held task T at that time"), settlement pays from, and the audit
 * reads. Times are ISO-8601 UTC.
 *
 * The task events do not hold their job's id: it is the id of their stream (`streamId` of the
 * parsed event), so their entries name no id field.
 *
 * Only facts are published, never free text: not a member's hand-off reason or progress note
 * (her personal notes, as "sick child"), nor a coordinator's reason for an override, a share or a
 * schedule, nor who made the change (the event's metadata says who acted). Internal:
 * TraineePaired (a training arrangement: the trainee holds nothing) and JobInspectionRecorded
 * (job intake's JobInspected, copied for the schedule's own rules: read that one).
 */
import { Type } from 'typebox';
import { publishedEvent } from './published.js';

const PRODUCER = 'team-scheduling';
const CATEGORY = 'schedule';

const jobId = Type.String({ format: 'uuid', description: 'The job; its schedule’s stream is `schedule-<jobId>`.' });
const taskId = Type.String({
  format: 'uuid',
  description: 'Platform-wide id of the task (task decomposition’s); its job is the id of the event’s stream.',
});
const memberId = (description: string) => Type.String({ minLength: 1, description });
const start = Type.String({ format: 'date-time', description: 'When the member’s planned span on the task begins.' });
const end = Type.String({ format: 'date-time', description: 'When it ends (after it begins).' });
const teamRegionId = Type.String({
  minLength: 1,
  description: 'The region of the member who does the work: her team is credited (another region’s, on a shared job).',
});

const ReceivedTask = Type.Object({
  taskId: Type.String({ format: 'uuid', description: 'Platform-wide id of the task.' }),
  key: Type.String({ minLength: 1, description: 'The task’s key within its round.' }),
  title: Type.String({ minLength: 1 }),
  estimatedMinutes: Type.Integer({ minimum: 1 }),
  skills: Type.Array(Type.String()),
  dependsOn: Type.Array(Type.String(), { description: 'Ids of the tasks of the same round done first.' }),
  deadline: Type.String({ format: 'date-time' }),
});

export const TasksReceivedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'TasksReceived',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'jobId',
  schema: Type.Object(
    {
      jobId,
      businessId: Type.String({ minLength: 1 }),
      regionId: Type.String({ minLength: 1, description: 'The job’s home region.' }),
      localOnlyTownId: Type.Union([Type.String(), Type.Null()], {
        description: 'The one town whose members may work on it, or null.',
      }),
      round: Type.Integer({ minimum: 1, description: '1, then one more per rework round.' }),
      tasks: Type.Array(ReceivedTask, { minItems: 1 }),
    },
    { description: 'A round of the job’s plan (task decomposition’s TasksPlanned) reached the team; once per round.' },
  ),
});

export const TaskAssignedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'TaskAssigned',
  schemaVersion: 1,
  category: CATEGORY,
  schema: Type.Object(
    {
      taskId,
      memberId: memberId('The member who holds the task from now on (identity’s member id).'),
      start,
      end,
      teamRegionId,
    },
    { description: 'The scheduler gave a waiting or unassignable task to a member for a span.' },
  ),
});

export const TaskUnassignableV1 = publishedEvent({
  producer: PRODUCER,
  type: 'TaskUnassignable',
  schemaVersion: 1,
  category: CATEGORY,
  schema: Type.Object(
    {
      taskId,
      reasons: Type.Array(
        Type.Object({
          code: Type.String({
            minLength: 1,
            description: 'The scheduler’s stable code, as `schedule.no_member_with_skills`.',
          }),
          message: Type.String({ description: 'The scheduler’s explanation (no member’s words).' }),
        }),
        { description: 'Why nobody could take it.' },
      ),
    },
    {
      description:
        'Nobody of the job’s teams could take the task (nobody holds it now); told again only when the reasons change.',
    },
  ),
});

export const TaskReleasedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'TaskReleased',
  schemaVersion: 1,
  category: CATEGORY,
  schema: Type.Object(
    {
      taskId,
      memberId: memberId('The member who held the task until now.'),
    },
    {
      description:
        'The holder let the task go: she could not go on (a hand-off, her unavailability or departure: the next event of the stream says who takes it), or the job was cancelled (after JobCancelledRecorded).',
    },
  ),
});

export const TaskHandedOffV1 = publishedEvent({
  producer: PRODUCER,
  type: 'TaskHandedOff',
  schemaVersion: 1,
  category: CATEGORY,
  schema: Type.Object(
    {
      taskId,
      fromMemberId: memberId('The member who could not go on (her TaskReleased comes just before).'),
      toMemberId: memberId('The teammate who holds the task from now on.'),
      start,
      end,
      teamRegionId,
    },
    { description: 'A released task taken over by a teammate for a span.' },
  ),
});

/**
 * Version 2: the same published fields; the member's reason and progress note (not published)
 * are sealed with her key by identity since this version, so forgetting her makes them unreadable.
 */
export const TaskReleasedV2 = publishedEvent({ ...TaskReleasedV1, schemaVersion: 2 });

/** Version 2: the same published fields; the reason and progress note (not published) are sealed with her key. */
export const TaskHandedOffV2 = publishedEvent({ ...TaskHandedOffV1, schemaVersion: 2 });

export const AssignmentOverriddenV1 = publishedEvent({
  producer: PRODUCER,
  type: 'AssignmentOverridden',
  schemaVersion: 1,
  category: CATEGORY,
  schema: Type.Object(
    {
      taskId,
      fromMemberId: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
        description: 'Who held it until now; null when nobody did (a waiting or unassignable task).',
      }),
      toMemberId: memberId('The member a coordinator gave the task to; she holds it from now on.'),
      start,
      end,
      teamRegionId,
    },
    { description: 'A coordinator of the job’s region gave the task to a member of her choice.' },
  ),
});

export const JobSharedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'JobShared',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'jobId',
  schema: Type.Object(
    {
      jobId,
      partnerRegionId: Type.String({ minLength: 1, description: 'The region whose team may now work on the job too.' }),
    },
    { description: 'The home region’s coordinator shared the job with another region’s team.' },
  ),
});

export const JobCancelledRecordedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'JobCancelledRecorded',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'jobId',
  schema: Type.Object(
    { jobId },
    {
      description:
        'The job’s cancellation (job intake’s JobCancelled) reached the schedule: a TaskReleased of every held task follows, and nothing more is scheduled.',
    },
  ),
});

/** Every event team scheduling publishes, each type at each version. */
export const TEAM_SCHEDULING_PUBLISHED_EVENTS = [
  TasksReceivedV1,
  TaskAssignedV1,
  TaskUnassignableV1,
  TaskReleasedV1,
  TaskReleasedV2,
  TaskHandedOffV1,
  TaskHandedOffV2,
  AssignmentOverriddenV1,
  JobSharedV1,
  JobCancelledRecordedV1,
] as const;
