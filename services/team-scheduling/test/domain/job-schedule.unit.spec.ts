import { DeciderSpecification, fold, type Actor } from '@workshare/eventsourcing';
import { crewDecider, type CrewMember } from '../../src/domain/crew.js';
import {
  scheduleDecider,
  scheduleDeciderWith,
  type JobSchedule,
  type ScheduleCommand,
  type ScheduleEvent,
} from '../../src/domain/job-schedule.js';
import { DEFAULT_SCHEDULER, ScheduleInvariantError, type TeamSnapshot } from '../../src/domain/team.js';
import {
  assigned,
  at,
  BUSINESS,
  coordinator,
  HANAKO,
  hanako,
  JOB,
  joined,
  MAI,
  NOW,
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

/** A member of a team as the roster knows her (by default: fujisato/fujikoto, data entry, Mondays 13:00–13:40 Tokyo). */
const member = (memberId: string, extra: Parameters<typeof joined>[1] = {}): CrewMember =>
  fold(crewDecider, [joined(memberId, extra)]) as CrewMember;
/** The roster snapshot a command carries, now being Monday 09:00 Tokyo. */
const team = (members: readonly CrewMember[], busyElsewhere: TeamSnapshot['busyElsewhere'] = {}): TeamSnapshot => ({
  members,
  busyElsewhere,
  now: NOW.getTime(),
});
const NO_SKILL = { code: 'schedule.no_member_with_skills', message: 'nobody in the team has the skills: data entry' };
const GAVE_UP = {
  code: 'schedule.only_members_who_gave_it_up',
  message: 'the only qualified members are those who gave the task up',
};
const nobody = (taskId: string, reason = NO_SKILL, by = system.id): ScheduleEvent => ({
  type: 'TaskUnassignable',
  data: { taskId, reasons: [reason], by },
});
const assignedTo = (
  taskId: string,
  memberId: string,
  span: { start: number; end: number },
  by: string,
  reason: string,
  teamRegionId = 'fujisato',
): ScheduleEvent => ({
  type: 'TaskAssigned',
  data: { taskId, memberId, start: iso(span.start), end: iso(span.end), teamRegionId, by, reason },
});

const receive = (round = 1): Extract<ScheduleCommand, { type: 'ReceiveTasks' }> => ({
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
const schedule = (snapshot: TeamSnapshot, by: Actor = system, reason = 'tasks planned (round 1)'): ScheduleCommand => ({
  type: 'ScheduleTasks',
  team: snapshot,
  reason,
  by,
});
const handOff = (overrides: Partial<Extract<ScheduleCommand, { type: 'HandOffTask' }>> = {}): ScheduleCommand => ({
  type: 'HandOffTask',
  taskId: T1,
  fromMemberId: HANAKO,
  reason: '子どもの発熱',
  progressNote: '30 行まで入力済み',
  team: team([member(HANAKO), member(YUKI)]),
  by: hanako,
  ...overrides,
});
const override = (
  overrides: Partial<Extract<ScheduleCommand, { type: 'OverrideAssignment' }>> = {},
): ScheduleCommand => ({
  type: 'OverrideAssignment',
  taskId: T1,
  toMemberId: MAI,
  team: team([member(MAI)]),
  reason: '経験者に任せる',
  by: coordinator,
  ...overrides,
});
const pair = (overrides: Partial<Extract<ScheduleCommand, { type: 'PairForTraining' }>> = {}): ScheduleCommand => ({
  type: 'PairForTraining',
  taskId: T1,
  traineeMemberId: MAI,
  team: team([member(MAI)]),
  reason: '入力の研修',
  by: coordinator,
  ...overrides,
});
const share = (overrides: Partial<Extract<ScheduleCommand, { type: 'ShareJob' }>> = {}): ScheduleCommand => ({
  type: 'ShareJob',
  partnerRegionId: 'setagaya',
  team: team([member(MAI, { regionId: 'setagaya', townId: 'setagaya/sangenjaya' })]),
  reason: '藤里に翻訳の人手がない',
  by: coordinator,
  ...overrides,
});
const shared: ScheduleEvent = {
  type: 'JobShared',
  data: { jobId: JOB, partnerRegionId: 'setagaya', reason: '藤里に翻訳の人手がない', by: coordinator.id },
};
const cancelled: ScheduleEvent = { type: 'JobCancelledRecorded', data: { jobId: JOB, reason: 'no longer needed' } };
const released = (
  by = HANAKO,
  reason = '子どもの発熱',
  progressNote = '30 行まで入力済み',
  memberId = HANAKO,
  taskId = T1,
): ScheduleEvent => ({
  type: 'TaskReleased',
  data: { taskId, memberId, reason, progressNote, by },
});
const handedOff = (
  from: string,
  to: string,
  span: { start: number; end: number },
  by = from,
  reason = '子どもの発熱',
  progressNote = '30 行まで入力済み',
): ScheduleEvent => ({
  type: 'TaskHandedOff',
  data: {
    taskId: T1,
    fromMemberId: from,
    toMemberId: to,
    start: iso(span.start),
    end: iso(span.end),
    teamRegionId: 'fujisato',
    reason,
    progressNote,
    by,
  },
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
    it('with a team, schedules the round’s tasks at once, in the same decision (the process manager)', () => {
      spec
        .given([])
        .when({ ...receive(), schedule: { team: team([member(HANAKO)]), by: system } })
        .then([
          received(),
          assignedTo(T1, HANAKO, SPAN, system.id, 'tasks planned (round 1)'),
          assignedTo(T2, HANAKO, LATER, system.id, 'tasks planned (round 1)'),
        ]);
    });
    it('with a team, schedules nothing on a cancelled job', () => {
      spec
        .given([received(), cancelled])
        .when({ ...receive(2), schedule: { team: team([member(HANAKO)]), by: system } })
        .thenNothing();
    });
  });

  describe('ScheduleTasks (the scheduler asked in the decision)', () => {
    const twoMembers = () =>
      team([member(HANAKO), member(YUKI, { availability: [{ day: 'tue', start: '13:00', end: '13:40' }] })]);
    const TUESDAY = { start: at('2026-04-07T04:00:00.000Z'), end: at('2026-04-07T04:30:00.000Z') };
    it('assigns what fits and reports what nobody can take, with the reasons', () => {
      spec
        .given([received({ tasks: [task(T1), task(T2, { skills: ['illustration'] })] })])
        .when(schedule(twoMembers()))
        .then([
          assignedTo(T1, HANAKO, SPAN, system.id, 'tasks planned (round 1)'),
          nobody(T2, {
            code: 'schedule.no_member_with_skills',
            message: 'nobody in the team has the skills: illustration',
          }),
        ]);
    });
    it('places a task after its predecessor, on the teammate who is free then', () => {
      spec
        .given([received()])
        .when(schedule(twoMembers(), coordinator, 'scheduled by a coordinator'))
        .then([
          assignedTo(T1, HANAKO, SPAN, coordinator.id, 'scheduled by a coordinator'),
          assignedTo(T2, YUKI, TUESDAY, coordinator.id, 'scheduled by a coordinator'),
        ]);
    });
    it('counts the members’ spans on other jobs (she is busy then)', () => {
      spec
        .given([received({ tasks: [task(T1)] })])
        .when(schedule(team([member(HANAKO), member(YUKI)], { [HANAKO]: [SPAN] })))
        .then([assignedTo(T1, YUKI, SPAN, system.id, 'tasks planned (round 1)')]);
    });
    it('keeps only the members of the teams working on the job', () => {
      spec
        .given([received({ tasks: [task(T1)] })])
        .when(schedule(team([member(MAI, { regionId: 'setagaya', townId: 'setagaya/sangenjaya' })])))
        .then([nobody(T1)]);
    });
    it('does not repeat a task unassignable for the same reasons', () => {
      spec
        .given([received({ tasks: [task(T1)] }), nobody(T1)])
        .when(schedule(team([])))
        .thenNothing();
    });
    it('never gives a task back to a member who gave it up (nobody else: unassignable, saying why)', () => {
      spec
        .given([received({ tasks: [task(T1)] }), assigned(T1), released(), nobody(T1, NO_SKILL, HANAKO)])
        .when(schedule(team([member(HANAKO)])))
        .then([nobody(T1, GAVE_UP)]);
    });
    it('gives a task given up by one member to another', () => {
      spec
        .given([received({ tasks: [task(T1)] }), assigned(T1), released(), nobody(T1, NO_SKILL, HANAKO)])
        .when(schedule(team([member(HANAKO), member(YUKI)])))
        .then([assignedTo(T1, YUKI, SPAN, system.id, 'tasks planned (round 1)')]);
    });
    it('refuses a scheduler answer that breaks a hard rule (ScheduleInvariantError, nothing decided)', () => {
      const broken = scheduleDeciderWith({
        ...DEFAULT_SCHEDULER,
        scheduleTasks: (problem) => ({
          assignments: problem.tasks.map((t) => ({ taskId: t.taskId, memberId: YUKI, start: 0, end: 1 })),
          unassignable: [],
        }),
      });
      const state = fold(broken, [received({ tasks: [task(T1)] })]);
      expect(() => broken.decide(schedule(team([member(HANAKO)])), state)).toThrow(ScheduleInvariantError);
    });
    it('refuses a coordinator of another region', () => {
      spec
        .given([received()])
        .when(schedule(twoMembers(), setagayaCoordinator))
        .thenThrows('schedule.forbidden', 'forbidden');
    });
    it('refuses a member', () => {
      spec.given([received()]).when(schedule(twoMembers(), hanako)).thenThrows('schedule.forbidden', 'forbidden');
    });
    it('refuses a job never planned', () => {
      spec.given([]).when(schedule(twoMembers())).thenThrows('job.not_found', 'not_found');
    });
    it('refuses a cancelled job', () => {
      spec.given([received(), cancelled]).when(schedule(twoMembers())).thenThrows('schedule.job_cancelled', 'rule');
    });
  });

  describe('HandOffTask', () => {
    it('releases the task and hands it to the teammate the scheduler picks, in one decision', () => {
      spec
        .given([received(), assigned(T1)])
        .when(handOff())
        .then([released(), handedOff(HANAKO, YUKI, SPAN)]);
    });
    it('releases it as unassignable when nobody can take it', () => {
      spec
        .given([received(), assigned(T1)])
        .when(handOff({ team: team([member(HANAKO)]) }))
        .then([released(), nobody(T1, NO_SKILL, HANAKO)]);
    });
    it('never hands it to a member who gave it up earlier, though she fits best', () => {
      // Yuki gave T1 up to Hanako; Hanako cannot go on either: Mai (Tuesdays only) takes it, not Yuki.
      const tuesday = { start: at('2026-04-07T04:00:00.000Z'), end: at('2026-04-07T04:30:00.000Z') };
      spec
        .given([
          received(),
          assigned(T1, YUKI),
          released(YUKI, '急用', '', YUKI),
          handedOff(YUKI, HANAKO, SPAN, YUKI, '急用', ''),
        ])
        .when(
          handOff({
            team: team([
              member(HANAKO),
              member(YUKI),
              member(MAI, { availability: [{ day: 'tue', start: '13:00', end: '13:40' }] }),
            ]),
          }),
        )
        .then([released(), handedOff(HANAKO, MAI, tuesday)]);
    });
    it('leaves it unassignable when only members who gave it up could take it', () => {
      spec
        .given([
          received(),
          assigned(T1, YUKI),
          released(YUKI, '急用', '', YUKI),
          handedOff(YUKI, HANAKO, SPAN, YUKI, '急用', ''),
        ])
        .when(handOff())
        .then([released(), nobody(T1, GAVE_UP, HANAKO)]);
    });
    it('acts for her under a declared unavailability (the declarer is the actor)', () => {
      spec
        .given([received(), assigned(T1)])
        .when(handOff({ by: coordinator, declarationId: 'decl-1', progressNote: '' }))
        .then([
          released(coordinator.id, '子どもの発熱', ''),
          handedOff(HANAKO, YUKI, SPAN, coordinator.id, '子どもの発熱', ''),
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
    it('the state remembers who gave a task up, but not the releases of a cancellation', () => {
      const given = fold(scheduleDecider, [
        received(),
        assigned(T1, YUKI),
        released(YUKI, '急用', '', YUKI),
      ]) as JobSchedule;
      expect(given.tasks[T1]!.gaveUpBy).toEqual([YUKI]);
      const cancelledJob = fold(scheduleDecider, [
        received(),
        assigned(T1),
        cancelled,
        released('system:team-scheduling', 'job cancelled', ''),
      ]) as JobSchedule;
      expect(cancelledJob.tasks[T1]!.gaveUpBy).toEqual([]);
    });
  });

  describe('OverrideAssignment', () => {
    const overridden = (from: string | null, span = SPAN, teamRegionId = 'fujisato'): ScheduleEvent => ({
      type: 'AssignmentOverridden',
      data: {
        taskId: T1,
        fromMemberId: from,
        toMemberId: MAI,
        start: iso(span.start),
        end: iso(span.end),
        teamRegionId,
        reason: '経験者に任せる',
        by: coordinator.id,
      },
    });
    it('gives an assigned task to another qualified member at her earliest fitting span', () => {
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
    it('counts her spans on other jobs', () => {
      spec
        .given([received(), unassignable(T1)])
        .when(override({ team: team([member(MAI)], { [MAI]: [SPAN] }) }))
        .then([overridden(null, LATER)]);
    });
    it('may give it to a member who gave it up (a coordinator’s choice)', () => {
      spec
        .given([received(), assigned(T1, MAI), released(MAI, '急用', '', MAI), nobody(T1, NO_SKILL, MAI)])
        .when(override())
        .then([overridden(null)]);
    });
    it('refuses a member who would break a hard rule, with the reasons', () => {
      const error = spec
        .given([received(), assigned(T1)])
        .when(override({ team: team([member(MAI, { skills: ['proofreading'] })]) }))
        .thenThrows('schedule.not_qualified', 'rule');
      expect(error.details).toEqual({ reasons: [NO_SKILL] });
    });
    it('refuses a member without any window', () => {
      const error = spec
        .given([received(), assigned(T1)])
        .when(override({ team: team([member(MAI, { availability: [] })]) }))
        .thenThrows('schedule.not_qualified', 'rule');
      expect(error.details).toEqual({
        reasons: [{ code: 'schedule.no_window', message: 'she has no availability window' }],
      });
    });
    it('refuses a member of a team not working on the job', () => {
      spec
        .given([received(), assigned(T1)])
        .when(override({ team: team([member(MAI, { regionId: 'setagaya', townId: 'setagaya/sangenjaya' })]) }))
        .thenThrows('schedule.not_qualified', 'rule');
    });
    it('refuses a member in no team (unknown, or who left)', () => {
      spec
        .given([received(), assigned(T1)])
        .when(override({ team: team([]) }))
        .thenThrows('crew.member_not_found', 'not_found');
      spec
        .given([received(), assigned(T1)])
        .when(override({ team: team([{ ...member(MAI), status: 'left' }]) }))
        .thenThrows('crew.member_not_found', 'not_found');
    });
    it('accepts a partner region’s member once the job is shared', () => {
      spec
        .given([received(), unassignable(T1), shared])
        .when(override({ team: team([member(MAI, { regionId: 'setagaya', townId: 'setagaya/sangenjaya' })]) }))
        .then([overridden(null, SPAN, 'setagaya')]);
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
    it('refuses a trainee busy on another job then', () => {
      spec
        .given([received(), assigned(T1)])
        .when(pair({ team: team([member(MAI)], { [MAI]: [SPAN] }) }))
        .thenThrows('schedule.trainee_not_free', 'rule');
    });
    it('refuses a trainee busy on this job then', () => {
      spec
        .given([received(), assigned(T1), assigned(T2, MAI)])
        .when(pair())
        .thenThrows('schedule.trainee_not_free', 'rule');
    });
    it('refuses a trainee outside her windows then', () => {
      spec
        .given([received(), assigned(T1)])
        .when(pair({ team: team([member(MAI, { availability: [{ day: 'tue', start: '13:00', end: '13:40' }] })]) }))
        .thenThrows('schedule.trainee_not_free', 'rule');
    });
    it('refuses a trainee unavailable then', () => {
      const away = {
        ...member(MAI),
        unavailability: [{ from: SPAN.start, to: SPAN.end + 1, reason: '通院', by: MAI }],
      };
      spec
        .given([received(), assigned(T1)])
        .when(pair({ team: team([away]) }))
        .thenThrows('schedule.trainee_not_free', 'rule');
    });
    it('refuses a trainee of another region', () => {
      spec
        .given([received(), assigned(T1)])
        .when(pair({ team: team([member(MAI, { regionId: 'setagaya', townId: 'setagaya/sangenjaya' })]) }))
        .thenThrows('schedule.trainee_not_in_team', 'rule');
    });
    it('refuses a trainee in no team', () => {
      spec
        .given([received(), assigned(T1)])
        .when(pair({ team: team([]) }))
        .thenThrows('crew.member_not_found', 'not_found');
    });
    it('refuses the holder as her own trainee', () => {
      spec
        .given([received(), assigned(T1)])
        .when(pair({ traineeMemberId: HANAKO, team: team([member(HANAKO)]) }))
        .thenThrows('schedule.trainee_is_holder', 'rule');
    });
    it('refuses a second trainee', () => {
      spec
        .given([received(), assigned(T1), paired])
        .when(pair({ traineeMemberId: YUKI, team: team([member(YUKI)]) }))
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
          assignedTo(T1, MAI, SPAN, coordinator.id, 'shared with setagaya: 藤里に翻訳の人手がない', 'setagaya'),
        ]);
    });
    it('never gives a task to a member who gave it up, on a shared job too', () => {
      spec
        .given([received(), assigned(T1, HANAKO), released(), nobody(T1, NO_SKILL, HANAKO)])
        .when(
          share({ team: team([member(HANAKO), member(MAI, { regionId: 'setagaya', townId: 'setagaya/sangenjaya' })]) }),
        )
        .then([
          shared,
          assignedTo(T1, MAI, SPAN, coordinator.id, 'shared with setagaya: 藤里に翻訳の人手がない', 'setagaya'),
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
        .when(share({ team: team([member(HANAKO)]) }))
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
