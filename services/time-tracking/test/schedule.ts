/**
 * Team scheduling's published schedule events, appended to a job's `schedule-<jobId>` stream as
 * team scheduling records them (each checked against its published schema first, so a test
 * never feeds the read models what the producer could not publish), at the instants given.
 */
import { randomUUID } from 'node:crypto';
import { parsePublished, TEAM_SCHEDULING_PUBLISHED_EVENTS } from '@workshare/contracts';
import type { EventStore, JsonObject, RecordedEvent } from '@workshare/eventsourcing';

export const scheduleStream = (jobId: string): string => `schedule-${jobId}`;

export interface ScheduleWriter {
  readonly jobId: string;
  readonly taskIds: readonly string[];
  /** Appends one event at `at` (its occurred-at) and answers it as recorded. */
  append(type: string, data: JsonObject, at: Date): Promise<RecordedEvent>;
  received(at: Date, regionId?: string): Promise<RecordedEvent>;
  assigned(taskId: string, memberId: string, at: Date): Promise<RecordedEvent>;
  released(taskId: string, memberId: string, at: Date): Promise<RecordedEvent>;
  /** A hand-off as team scheduling records it: her TaskReleased, then the teammate's TaskHandedOff. */
  handedOff(taskId: string, fromMemberId: string, toMemberId: string, at: Date): Promise<void>;
  overridden(taskId: string, fromMemberId: string | null, toMemberId: string, at: Date): Promise<RecordedEvent>;
  unassignable(taskId: string, at: Date): Promise<RecordedEvent>;
  /** The cancellation as the schedule records it: JobCancelledRecorded, then the release of every held task. */
  cancelled(at: Date, holders: readonly (readonly [string, string])[]): Promise<void>;
}

const span = (at: Date) => ({
  start: new Date(at.getTime() + 3_600_000).toISOString(),
  end: new Date(at.getTime() + 5_400_000).toISOString(),
});

export const scheduleOf = (store: EventStore, options: { jobId?: string; tasks?: number } = {}): ScheduleWriter => {
  const jobId = options.jobId ?? randomUUID();
  const taskIds = Array.from({ length: options.tasks ?? 2 }, () => randomUUID());
  const append = async (type: string, data: JsonObject, at: Date): Promise<RecordedEvent> => {
    const { events } = await store.append(scheduleStream(jobId), [{ type, data, occurredAt: at, schemaVersion: 1 }]);
    const event = events[0]!;
    if (type !== 'TraineePaired') {
      const parsed = parsePublished(TEAM_SCHEDULING_PUBLISHED_EVENTS, event);
      if (!parsed.ok) throw new Error(`${type} does not follow team scheduling's contract: ${parsed.error.message}`);
    }
    return event;
  };
  const writer: ScheduleWriter = {
    jobId,
    taskIds,
    append,
    received: (at, regionId = 'fujisato') =>
      append(
        'TasksReceived',
        {
          jobId,
          businessId: randomUUID(),
          regionId,
          localOnlyTownId: null,
          round: 1,
          tasks: taskIds.map((taskId, i) => ({
            taskId,
            key: `t${i + 1}`,
            title: `入力 ${i + 1}`,
            estimatedMinutes: 60,
            skills: ['data entry'],
            dependsOn: [],
            deadline: new Date(at.getTime() + 14 * 86_400_000).toISOString(),
          })),
          reason: 'planned',
          by: 'system:team-scheduling',
        },
        at,
      ),
    assigned: (taskId, memberId, at) =>
      append(
        'TaskAssigned',
        { taskId, memberId, ...span(at), teamRegionId: 'fujisato', reason: 'scheduled', by: 'x' },
        at,
      ),
    released: (taskId, memberId, at) =>
      append('TaskReleased', { taskId, memberId, reason: '子どもの発熱', by: memberId }, at),
    handedOff: async (taskId, fromMemberId, toMemberId, at) => {
      await writer.released(taskId, fromMemberId, at);
      await append(
        'TaskHandedOff',
        {
          taskId,
          fromMemberId,
          toMemberId,
          ...span(at),
          teamRegionId: 'fujisato',
          reason: '子どもの発熱',
          progressNote: '30 行まで入力済み',
          by: fromMemberId,
        },
        at,
      );
    },
    overridden: (taskId, fromMemberId, toMemberId, at) =>
      append(
        'AssignmentOverridden',
        { taskId, fromMemberId, toMemberId, ...span(at), teamRegionId: 'fujisato', reason: '経験者に', by: 'x' },
        at,
      ),
    unassignable: (taskId, at) =>
      append(
        'TaskUnassignable',
        { taskId, reasons: [{ code: 'schedule.no_member_with_skills', message: '—' }], by: 'x' },
        at,
      ),
    cancelled: async (at, holders) => {
      await append('JobCancelledRecorded', { jobId, reason: 'no longer needed' }, at);
      for (const [taskId, memberId] of holders) await writer.released(taskId, memberId, at);
    },
  };
  return writer;
};
