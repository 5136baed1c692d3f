import type { Actor } from '@workshare/eventsourcing';
import type { CrewEvent } from '../../src/domain/crew.js';
import type { PlannedTaskData, ScheduleEvent } from '../../src/domain/job-schedule.js';

export const JOB = '01900000-0000-7000-8000-00000000a001';
export const BUSINESS = '01900000-0000-7000-8000-00000000b001';
export const HANAKO = '01900000-0000-7000-8000-0000000000a1';
export const YUKI = '01900000-0000-7000-8000-0000000000a2';
export const MAI = '01900000-0000-7000-8000-0000000000a3';
export const T1 = '01900000-0000-7000-8000-0000000000c1';
export const T2 = '01900000-0000-7000-8000-0000000000c2';

export const coordinator: Actor = {
  id: 'co-fujisato',
  roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'fujisato' }],
};
export const setagayaCoordinator: Actor = {
  id: 'co-setagaya',
  roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'setagaya' }],
};
export const hanako: Actor = { id: HANAKO, roles: [{ kind: 'member' }] };
export const yuki: Actor = { id: YUKI, roles: [{ kind: 'member' }] };
export const system: Actor = { id: 'system:team-scheduling', roles: [{ kind: 'system' }] };

/** "Now" for every command: Monday 2026-04-06 09:00 Asia/Tokyo. */
export const NOW = new Date('2026-04-06T00:00:00.000Z');
export const at = (iso: string): number => Date.parse(iso);

export const joined = (
  memberId = HANAKO,
  overrides: Partial<Extract<CrewEvent, { type: 'MemberJoinedTeam' }>['data']> = {},
): CrewEvent => ({
  type: 'MemberJoinedTeam',
  data: {
    memberId,
    regionId: 'fujisato',
    townId: 'fujisato/fujikoto',
    contractType: 'contractor',
    skills: ['data entry'],
    availability: [{ day: 'mon', start: '13:00', end: '13:40' }],
    ...overrides,
  },
});

export const task = (taskId: string, overrides: Partial<PlannedTaskData> = {}): PlannedTaskData => ({
  taskId,
  key: taskId === T1 ? 'enter' : 'check',
  title: taskId === T1 ? '名簿の入力' : '入力の確認',
  estimatedMinutes: 30,
  skills: ['data entry'],
  dependsOn: [],
  deadline: '2026-04-30T09:00:00.000Z',
  ...overrides,
});

export const received = (
  overrides: Partial<Extract<ScheduleEvent, { type: 'TasksReceived' }>['data']> = {},
): ScheduleEvent => ({
  type: 'TasksReceived',
  data: {
    jobId: JOB,
    businessId: BUSINESS,
    regionId: 'fujisato',
    localOnlyTownId: null,
    round: 1,
    tasks: [task(T1), task(T2, { dependsOn: [T1] })],
    ...overrides,
  },
});

/** T1 to Hanako on Monday 2026-04-06 13:00–13:30 Tokyo. */
export const SPAN = { start: at('2026-04-06T04:00:00.000Z'), end: at('2026-04-06T04:30:00.000Z') };

export const assigned = (taskId = T1, memberId = HANAKO, span = SPAN, teamRegionId = 'fujisato'): ScheduleEvent => ({
  type: 'TaskAssigned',
  data: {
    taskId,
    memberId,
    start: new Date(span.start).toISOString(),
    end: new Date(span.end).toISOString(),
    teamRegionId,
    by: system.id,
    reason: 'tasks planned (round 1)',
  },
});

export const unassignable = (taskId = T1, code = 'schedule.no_skill'): ScheduleEvent => ({
  type: 'TaskUnassignable',
  data: { taskId, reasons: [{ code, message: 'nobody has the skill' }], by: system.id },
});
