import { DeciderSpecification, fold } from '@workshare/eventsourcing';
import {
  scheduleDecider,
  type JobSchedule,
  type ScheduleCommand,
  type ScheduleEvent,
  type SchedulePlan,
} from '../../src/domain/job-schedule.js';
import type { Actor } from '../../src/domain/actor.js';
import {
  assigned,
  at,
  BUSINESS,
  coordinator,
  HANAKO,
  hanako,
  JOB,
  MAI,
  received,
  setagayaCoordinator,
  SPAN,
  system,
  T1,
  T2,
  task,
  unassignable,
  YUKI,
  yuki,
} from './fixtures.js';

const spec = DeciderSpecification.for(scheduleDecider);
const LATER = { start: at('2026-04-13T04:00:00.000Z'), end: at('2026-04-13T04:30:00.000Z') };
const iso = (ms: number) => new Date(ms).toISOString();

const receive = (round = 1): ScheduleCommand => ({
  type: 'ReceiveTasks',
  jobId: JOB,
  businessId: BUSINESS,
  regionId: 'fujisato',
  localOnlyTownId: null,
  round,
  tasks: [
    { ...task(T1), deadline: at(task(T1).deadline) },
    { ...task(T2, { dependsOn: [T1] }), deadline: at(task(T2).deadline) },
  ],
});
const plan = (p: Partial<SchedulePlan> = {}): SchedulePlan => ({ assignments: [], unassignable: [], ...p });
const schedule = (p: SchedulePlan, by: Actor = system, reason = 'tasks planned (round 1)'): ScheduleCommand => ({
  type: 'ScheduleTasks',
  plan: p,
  reason,
  by,
});
const handOff = (overrides: Partial<Extract<ScheduleCommand, { type: 'HandOffTask' }>> = {}): ScheduleCommand => ({
  type: 'HandOffTask',
  taskId: T1,
  fromMemberId: HANAKO,
  reason: '子どもの発熱',
  progressNote: '30 行まで入力済み',
  successor: { kind: 'assigned', memberId: YUKI, ...LATER, teamRegionId: 'fujisato' },
  by: hanako,
  ...overrides,
});
const override = (
  overrides: Partial<Extract<ScheduleCommand, { type: 'OverrideAssignment' }>> = {},
): ScheduleCommand => ({
  type: 'OverrideAssignment',
  taskId: T1,
  toMemberId: MAI,
  toRegionId: 'fujisato',
  placement: { kind: 'fits', ...LATER },
  reason: '経験者に任せる',
  by: coordinator,
  ...overrides,
});
const pair = (overrides: Partial<Extract<ScheduleCommand, { type: 'PairForTraining' }>> = {}): ScheduleCommand => ({
  type: 'PairForTraining',
  taskId: T1,
  traineeMemberId: MAI,
  traineeRegionId: 'fujisato',
  traineeFree: true,
  reason: '入力の研修',
  by: coordinator,
  ...overrides,
});
const share = (overrides: Partial<Extract<ScheduleCommand, { type: 'ShareJob' }>> = {}): ScheduleCommand => ({
  type: 'ShareJob',
  partnerRegionId: 'setagaya',
  partnerTeamSize: 3,
  plan: plan({ assignments: [{ taskId: T1, memberId: MAI, ...LATER, teamRegionId: 'setagaya' }] }),
  reason: '藤里に翻訳の人手がない',
  by: coordinator,
  ...overrides,
});
const shared: ScheduleEvent = {
  type: 'JobShared',
  data: { jobId: JOB, partnerRegionId: 'setagaya', reason: '藤里に翻訳の人手がない', by: coordinator.id },
};
const cancelled: ScheduleEvent = { type: 'JobCancelledRecorded', data: { jobId: JOB, reason: 'no longer needed' } };
const released = (by = HANAKO, reason = '子どもの発熱', progressNote = '30 行まで入力済み'): ScheduleEvent => ({
  type: 'TaskReleased',
  data: { taskId: T1, memberId: HANAKO, reason, progressNote, by },
});

describe('job schedule decider', () => {
  describe('ReceiveTasks (TasksPlanned)', () => {
    it('records the round’s tasks, waiting', () => {
      spec.given([]).when(receive()).then([received()]);
    });
    it('changes nothing for a round received already', () => {
      spec.given([received()]).when(receive()).thenNothing();
    });
    it('adds a rework round’s tasks', () => {
      const events = scheduleDecider.decide(receive(2), fold(scheduleDecider, [received()]));
      expect(events).toEqual([{ ...received({ round: 2 }) }]);
    });
    it('changes nothing once the job was cancelled', () => {
      spec.given([received(), cancelled]).when(receive(2)).thenNothing();
    });
  });

  describe('ScheduleTasks', () => {
    it('assigns and reports unassignable tasks with reasons', () => {
      spec
        .given([received()])
        .when(
          schedule(
            plan({
              assignments: [{ taskId: T1, memberId: HANAKO, ...SPAN, teamRegionId: 'fujisato' }],
              unassignable: [{ taskId: T2, reasons: [{ code: 'schedule.no_skill', message: 'nobody has the skill' }] }],
            }),
          ),
        )
        .then([assigned(T1), unassignable(T2)]);
    });
    it('by a coordinator of the region, with her reason', () => {
      spec
        .given([received()])
        .when(
          schedule(
            plan({ assignments: [{ taskId: T1, memberId: HANAKO, ...SPAN, teamRegionId: 'fujisato' }] }),
            coordinator,
            'scheduled by a coordinator',
          ),
        )
        .then([
          {
            type: 'TaskAssigned',
            data: {
              taskId: T1,
              memberId: HANAKO,
              start: iso(SPAN.start),
              end: iso(SPAN.end),
              teamRegionId: 'fujisato',
              by: coordinator.id,
              reason: 'scheduled by a coordinator',
            },
          },
        ]);
    });
    it('does not repeat a task unassignable for the same reasons', () => {
      spec
        .given([received(), unassignable(T2)])
        .when(
          schedule(
            plan({
              unassignable: [{ taskId: T2, reasons: [{ code: 'schedule.no_skill', message: 'nobody has the skill' }] }],
            }),
          ),
        )
        .thenNothing();
    });
    it('refuses a plan for a task assigned meanwhile (a stale plan)', () => {
      spec
        .given([received(), assigned(T1)])
        .when(schedule(plan({ assignments: [{ taskId: T1, memberId: YUKI, ...LATER, teamRegionId: 'fujisato' }] })))
        .thenThrows('schedule.stale_plan', 'conflict');
    });
    it('refuses a coordinator of another region', () => {
      spec
        .given([received()])
        .when(schedule(plan(), setagayaCoordinator))
        .thenThrows('schedule.forbidden', 'forbidden');
    });
    it('refuses a member', () => {
      spec.given([received()]).when(schedule(plan(), hanako)).thenThrows('schedule.forbidden', 'forbidden');
    });
    it('refuses a job never planned', () => {
      spec.given([]).when(schedule(plan())).thenThrows('job.not_found', 'not_found');
    });
    it('refuses a cancelled job', () => {
      spec.given([received(), cancelled]).when(schedule(plan())).thenThrows('schedule.job_cancelled', 'rule');
    });
    it('refuses a task the job does not have', () => {
      spec
        .given([received()])
        .when(schedule(plan({ assignments: [{ taskId: MAI, memberId: HANAKO, ...SPAN, teamRegionId: 'fujisato' }] })))
        .thenThrows('task.not_found', 'not_found');
    });
  });

  describe('HandOffTask', () => {
    it('releases the task and hands it to the teammate the scheduler picked, in one decision', () => {
      spec
        .given([received(), assigned(T1)])
        .when(handOff())
        .then([
          released(),
          {
            type: 'TaskHandedOff',
            data: {
              taskId: T1,
              fromMemberId: HANAKO,
              toMemberId: YUKI,
              start: iso(LATER.start),
              end: iso(LATER.end),
              teamRegionId: 'fujisato',
              reason: '子どもの発熱',
              progressNote: '30 行まで入力済み',
              by: HANAKO,
            },
          },
        ]);
    });
    it('releases it as unassignable when nobody can take it', () => {
      spec
        .given([received(), assigned(T1)])
        .when(
          handOff({
            successor: {
              kind: 'unassignable',
              reasons: [{ code: 'schedule.no_skill', message: 'nobody has the skill' }],
            },
          }),
        )
        .then([
          released(),
          {
            type: 'TaskUnassignable',
            data: { taskId: T1, reasons: [{ code: 'schedule.no_skill', message: 'nobody has the skill' }], by: HANAKO },
          },
        ]);
    });
    it('acts for her under a declared unavailability (the declarer is the actor)', () => {
      spec
        .given([received(), assigned(T1)])
        .when(handOff({ by: coordinator, declarationId: 'decl-1', progressNote: '' }))
        .then([
          released(coordinator.id, '子どもの発熱', ''),
          {
            type: 'TaskHandedOff',
            data: {
              taskId: T1,
              fromMemberId: HANAKO,
              toMemberId: YUKI,
              start: iso(LATER.start),
              end: iso(LATER.end),
              teamRegionId: 'fujisato',
              reason: '子どもの発熱',
              progressNote: '',
              by: coordinator.id,
            },
          },
        ]);
    });
    it('refuses a hand-off by someone else than the holder', () => {
      spec
        .given([received(), assigned(T1)])
        .when(handOff({ by: yuki }))
        .thenThrows('task.not_held', 'rule');
    });
    it('refuses a member who does not hold the task', () => {
      spec
        .given([received(), assigned(T1)])
        .when(handOff({ fromMemberId: YUKI, by: yuki }))
        .thenThrows('task.not_held', 'rule');
    });
    it('refuses a task not assigned', () => {
      spec.given([received()]).when(handOff()).thenThrows('task.not_assigned', 'rule');
    });
    it('refuses an unknown task', () => {
      spec
        .given([received()])
        .when(handOff({ taskId: MAI }))
        .thenThrows('task.not_found', 'not_found');
    });
    it('refuses without a reason', () => {
      spec
        .given([received(), assigned(T1)])
        .when(handOff({ reason: '' }))
        .thenThrows('task.invalid_reason', 'invalid');
    });
    it('refuses a progress note over 2,000 characters', () => {
      spec
        .given([received(), assigned(T1)])
        .when(handOff({ progressNote: 'x'.repeat(2_001) }))
        .thenThrows('task.invalid_progress_note', 'invalid');
    });
    it('refuses on a cancelled job', () => {
      spec
        .given([received(), assigned(T1), cancelled])
        .when(handOff())
        .thenThrows('schedule.job_cancelled', 'rule');
    });
  });

  describe('OverrideAssignment', () => {
    const overridden = (from: string | null): ScheduleEvent => ({
      type: 'AssignmentOverridden',
      data: {
        taskId: T1,
        fromMemberId: from,
        toMemberId: MAI,
        start: iso(LATER.start),
        end: iso(LATER.end),
        teamRegionId: 'fujisato',
        reason: '経験者に任せる',
        by: coordinator.id,
      },
    });
    it('gives an assigned task to another qualified member', () => {
      spec
        .given([received(), assigned(T1)])
        .when(override())
        .then([overridden(HANAKO)]);
    });
    it('gives an unassignable task to a qualified member', () => {
      spec
        .given([received(), unassignable(T1)])
        .when(override())
        .then([overridden(null)]);
    });
    it('refuses a member who would break a hard rule, with the reasons', () => {
      const error = spec
        .given([received(), assigned(T1)])
        .when(
          override({
            placement: {
              kind: 'does_not_fit',
              reasons: [{ code: 'schedule.no_skill', message: 'she lacks data entry' }],
            },
          }),
        )
        .thenThrows('schedule.not_qualified', 'rule');
      expect(error.details).toEqual({ reasons: [{ code: 'schedule.no_skill', message: 'she lacks data entry' }] });
    });
    it('refuses a member of a team not working on the job', () => {
      spec
        .given([received(), assigned(T1)])
        .when(override({ toRegionId: 'setagaya' }))
        .thenThrows('schedule.not_qualified', 'rule');
    });
    it('accepts a partner region’s member once the job is shared', () => {
      spec
        .given([received(), unassignable(T1), shared])
        .when(override({ toRegionId: 'setagaya' }))
        .then([
          {
            ...overridden(null),
            data: { ...(overridden(null).data as object), teamRegionId: 'setagaya' },
          } as ScheduleEvent,
        ]);
    });
    it('refuses the member who holds it already', () => {
      spec
        .given([received(), assigned(T1, MAI)])
        .when(override())
        .thenThrows('schedule.same_member', 'rule');
    });
    it('refuses anyone but a coordinator of the job’s region', () => {
      spec
        .given([received(), assigned(T1)])
        .when(override({ by: setagayaCoordinator }))
        .thenThrows('schedule.forbidden', 'forbidden');
      spec
        .given([received(), assigned(T1)])
        .when(override({ by: hanako }))
        .thenThrows('schedule.forbidden', 'forbidden');
    });
    it('refuses without a reason', () => {
      spec
        .given([received(), assigned(T1)])
        .when(override({ reason: ' ' }))
        .thenThrows('schedule.invalid_reason', 'invalid');
    });
    it('refuses an unknown task', () => {
      spec
        .given([received()])
        .when(override({ taskId: YUKI }))
        .thenThrows('task.not_found', 'not_found');
    });
  });

  describe('PairForTraining', () => {
    const paired: ScheduleEvent = {
      type: 'TraineePaired',
      data: { taskId: T1, traineeMemberId: MAI, reason: '入力の研修', by: coordinator.id },
    };
    it('pairs a free trainee of the region with the holder', () => {
      spec
        .given([received(), assigned(T1)])
        .when(pair())
        .then([paired]);
    });
    it('refuses a trainee who is not free then', () => {
      spec
        .given([received(), assigned(T1)])
        .when(pair({ traineeFree: false }))
        .thenThrows('schedule.trainee_not_free', 'rule');
    });
    it('refuses a trainee of another region', () => {
      spec
        .given([received(), assigned(T1)])
        .when(pair({ traineeRegionId: 'setagaya' }))
        .thenThrows('schedule.trainee_not_in_team', 'rule');
    });
    it('refuses the holder as her own trainee', () => {
      spec
        .given([received(), assigned(T1)])
        .when(pair({ traineeMemberId: HANAKO }))
        .thenThrows('schedule.trainee_is_holder', 'rule');
    });
    it('refuses a second trainee', () => {
      spec
        .given([received(), assigned(T1), paired])
        .when(pair({ traineeMemberId: YUKI }))
        .thenThrows('task.already_paired', 'rule');
    });
    it('refuses a task without a holder', () => {
      spec.given([received()]).when(pair()).thenThrows('task.not_assigned', 'rule');
    });
    it('refuses anyone but a coordinator of the region', () => {
      spec
        .given([received(), assigned(T1)])
        .when(pair({ by: hanako }))
        .thenThrows('schedule.forbidden', 'forbidden');
    });
    it('a hand-off ends the pairing', () => {
      const state = fold(scheduleDecider, [
        received(),
        assigned(T1),
        paired,
        released(),
        unassignable(T1),
      ]) as JobSchedule;
      expect(state.tasks[T1]).toMatchObject({
        status: 'unassignable',
        traineeMemberId: undefined,
        participants: [HANAKO, MAI],
      });
    });
  });

  describe('ShareJob', () => {
    it('records the consent and schedules the unassignable tasks over both teams, crediting the partner’s member', () => {
      spec
        .given([received(), unassignable(T1)])
        .when(share())
        .then([
          shared,
          {
            type: 'TaskAssigned',
            data: {
              taskId: T1,
              memberId: MAI,
              start: iso(LATER.start),
              end: iso(LATER.end),
              teamRegionId: 'setagaya',
              by: coordinator.id,
              reason: 'shared with setagaya: 藤里に翻訳の人手がない',
            },
          },
        ]);
    });
    it('refuses when every task found a member (sharing not needed)', () => {
      spec
        .given([received(), assigned(T1), assigned(T2, YUKI, LATER)])
        .when(share())
        .thenThrows('schedule.sharing_not_needed', 'rule');
    });
    it('refuses a local-only job', () => {
      spec
        .given([received({ localOnlyTownId: 'fujisato/fujikoto' }), unassignable(T1)])
        .when(share())
        .thenThrows('schedule.local_only_cannot_share', 'rule');
    });
    it('refuses a partner shared with already', () => {
      spec
        .given([received(), unassignable(T1), shared])
        .when(share())
        .thenThrows('schedule.already_shared', 'rule');
    });
    it('refuses the home region as partner', () => {
      spec
        .given([received(), unassignable(T1)])
        .when(share({ partnerRegionId: 'fujisato' }))
        .thenThrows('schedule.invalid_partner', 'invalid');
    });
    it('refuses a partner without a team', () => {
      spec
        .given([received(), unassignable(T1)])
        .when(share({ partnerTeamSize: 0 }))
        .thenThrows('schedule.partner_has_no_team', 'rule');
    });
    it('refuses anyone but the home coordinator', () => {
      spec
        .given([received(), unassignable(T1)])
        .when(share({ by: setagayaCoordinator }))
        .thenThrows('schedule.forbidden', 'forbidden');
    });
    it('refuses without a reason', () => {
      spec
        .given([received(), unassignable(T1)])
        .when(share({ reason: '' }))
        .thenThrows('schedule.invalid_reason', 'invalid');
    });
  });

  describe('RecordInspection and RecordCancellation (job intake)', () => {
    it('records an inspection', () => {
      spec
        .given([received()])
        .when({ type: 'RecordInspection', accepted: true, reason: '' })
        .then([{ type: 'JobInspectionRecorded', data: { jobId: JOB, accepted: true, reason: '' } }]);
    });
    it('ignores an inspection of a job never planned', () => {
      spec.given([]).when({ type: 'RecordInspection', accepted: true, reason: '' }).thenNothing();
    });
    it('a cancellation releases every assigned task', () => {
      spec
        .given([received(), assigned(T1), unassignable(T2)])
        .when({ type: 'RecordCancellation', reason: 'no longer needed' })
        .then([
          cancelled,
          {
            type: 'TaskReleased',
            data: {
              taskId: T1,
              memberId: HANAKO,
              reason: 'job cancelled',
              progressNote: '',
              by: 'system:team-scheduling',
            },
          },
        ]);
    });
    it('a cancellation is recorded once, and not for a job never planned', () => {
      spec.given([received(), cancelled]).when({ type: 'RecordCancellation', reason: 'again' }).thenNothing();
      spec.given([]).when({ type: 'RecordCancellation', reason: 'x' }).thenNothing();
    });
    it('an accepted inspection stays known after a later rejection', () => {
      const state = fold(scheduleDecider, [
        received(),
        { type: 'JobInspectionRecorded', data: { jobId: JOB, accepted: true, reason: '' } },
        { type: 'JobInspectionRecorded', data: { jobId: JOB, accepted: false, reason: 'typo' } },
      ]) as JobSchedule;
      expect(state.inspectionAccepted).toBe(true);
    });
  });
});
