import { DeciderSpecification } from '@workshare/eventsourcing';
import {
  crewDecider,
  skillsOf,
  weeklyWindowMinutes,
  wishedMinutes,
  type CrewCommand,
  type CrewEvent,
  type CrewMember,
} from '../../src/domain/crew.js';
import { coordinator, HANAKO, hanako, joined, JOB, NOW, setagayaCoordinator, system, yuki } from './fixtures.js';
import type { Actor } from '@workshare/eventsourcing';

const spec = DeciderSpecification.for(crewDecider);
const DAY = 86_400_000;

const join = (): CrewCommand => ({
  type: 'JoinTeam',
  memberId: HANAKO,
  regionId: 'fujisato',
  townId: 'fujisato/fujikoto',
  contractType: 'contractor',
  skills: ['data entry'],
  availability: [{ day: 'mon', start: '13:00', end: '13:40' }],
});
const wish = (minutesPerWeek: number, by: Actor = hanako): CrewCommand => ({
  type: 'SetWishedHours',
  minutesPerWeek,
  by,
});
const grant = (overrides: Partial<Extract<CrewCommand, { type: 'GrantSkill' }>> = {}): CrewCommand => ({
  type: 'GrantSkill',
  skill: 'transcription',
  jobId: JOB,
  reason: '検収に合格した文字起こし',
  work: { jobId: JOB, inspectionAccepted: true, tookPart: true },
  by: coordinator,
  ...overrides,
});
const declare = (overrides: Partial<Extract<CrewCommand, { type: 'DeclareUnavailable' }>> = {}): CrewCommand => ({
  type: 'DeclareUnavailable',
  from: NOW,
  to: new Date(NOW.getTime() + 3 * DAY),
  reason: '子どもの発熱',
  by: hanako,
  at: NOW,
  ...overrides,
});
const left: CrewEvent = { type: 'MemberLeftTeam', data: { memberId: HANAKO } };

describe('crew decider', () => {
  describe('JoinTeam (identity registered her)', () => {
    it('records her in her region’s team', () => {
      spec.given([]).when(join()).then([joined()]);
    });
    it('changes nothing when she is known already', () => {
      spec.given([joined()]).when(join()).thenNothing();
    });
    it('does not bring back a member who left', () => {
      spec.given([joined(), left]).when(join()).thenNothing();
    });
  });

  describe('ChangeAvailability', () => {
    const windows = [{ day: 'tue' as const, start: '20:00', end: '21:00' }];
    it('records her new windows', () => {
      spec
        .given([joined()])
        .when({ type: 'ChangeAvailability', availability: windows })
        .then([{ type: 'MemberAvailabilityChanged', data: { memberId: HANAKO, availability: windows } }]);
    });
    it('changes nothing for the same windows', () => {
      spec
        .given([joined()])
        .when({ type: 'ChangeAvailability', availability: [{ day: 'mon', start: '13:00', end: '13:40' }] })
        .thenNothing();
    });
    it('changes nothing once she left', () => {
      spec.given([joined(), left]).when({ type: 'ChangeAvailability', availability: windows }).thenNothing();
    });
    it('refuses a member never registered', () => {
      spec
        .given([])
        .when({ type: 'ChangeAvailability', availability: windows })
        .thenThrows('crew.member_not_found', 'not_found');
    });
  });

  describe('LeaveTeam (identity forgot her)', () => {
    it('records that she left', () => {
      spec.given([joined()]).when({ type: 'LeaveTeam' }).then([left]);
    });
    it('is done once', () => {
      spec.given([joined(), left]).when({ type: 'LeaveTeam' }).thenNothing();
    });
    it('ignores a member never registered', () => {
      spec.given([]).when({ type: 'LeaveTeam' }).thenNothing();
    });
  });

  describe('SetWishedHours', () => {
    it('by herself', () => {
      spec
        .given([joined()])
        .when(wish(120))
        .then([{ type: 'WishedHoursSet', data: { memberId: HANAKO, minutesPerWeek: 120, by: HANAKO } }]);
    });
    it('by a coordinator of her region', () => {
      spec
        .given([joined()])
        .when(wish(90, coordinator))
        .then([{ type: 'WishedHoursSet', data: { memberId: HANAKO, minutesPerWeek: 90, by: coordinator.id } }]);
    });
    it('changes nothing when the same', () => {
      spec
        .given([joined(), { type: 'WishedHoursSet', data: { memberId: HANAKO, minutesPerWeek: 90, by: HANAKO } }])
        .when(wish(90))
        .thenNothing();
    });
    it('refuses another member', () => {
      spec.given([joined()]).when(wish(90, yuki)).thenThrows('crew.forbidden', 'forbidden');
    });
    it('refuses a coordinator of another region', () => {
      spec.given([joined()]).when(wish(90, setagayaCoordinator)).thenThrows('crew.forbidden', 'forbidden');
    });
    it.each([0, -5, 10_081, 1.5])('refuses %p minutes', (minutes) => {
      spec.given([joined()]).when(wish(minutes)).thenThrows('crew.invalid_wished_hours', 'invalid');
    });
    it('refuses a member never registered', () => {
      spec.given([]).when(wish(90)).thenThrows('crew.member_not_found', 'not_found');
    });
    it('refuses a member who left', () => {
      spec.given([joined(), left]).when(wish(90)).thenThrows('crew.member_left', 'rule');
    });
  });

  describe('GrantSkill', () => {
    it('after her work on a job whose inspection was accepted', () => {
      spec
        .given([joined()])
        .when(grant())
        .then([
          {
            type: 'SkillGranted',
            data: {
              memberId: HANAKO,
              skill: 'transcription',
              jobId: JOB,
              by: coordinator.id,
              reason: '検収に合格した文字起こし',
            },
          },
        ]);
    });
    it('refuses before the inspection was accepted', () => {
      spec
        .given([joined()])
        .when(grant({ work: { jobId: JOB, inspectionAccepted: false, tookPart: true } }))
        .thenThrows('skill.no_inspected_work', 'rule');
    });
    it('refuses when she did not work on the job', () => {
      spec
        .given([joined()])
        .when(grant({ work: { jobId: JOB, inspectionAccepted: true, tookPart: false } }))
        .thenThrows('skill.no_inspected_work', 'rule');
    });
    it('refuses for a job without a schedule', () => {
      spec
        .given([joined()])
        .when(grant({ work: undefined }))
        .thenThrows('skill.no_inspected_work', 'rule');
    });
    it('refuses a skill she has', () => {
      spec
        .given([joined()])
        .when(grant({ skill: 'data entry' }))
        .thenThrows('skill.already_held', 'rule');
    });
    it('refuses the member herself', () => {
      spec
        .given([joined()])
        .when(grant({ by: hanako }))
        .thenThrows('crew.forbidden', 'forbidden');
    });
    it('refuses a coordinator of another region', () => {
      spec
        .given([joined()])
        .when(grant({ by: setagayaCoordinator }))
        .thenThrows('crew.forbidden', 'forbidden');
    });
    it('refuses an empty skill', () => {
      spec
        .given([joined()])
        .when(grant({ skill: '  ' }))
        .thenThrows('crew.invalid_skill', 'invalid');
    });
    it('refuses an empty reason', () => {
      spec
        .given([joined()])
        .when(grant({ reason: '' }))
        .thenThrows('crew.invalid_reason', 'invalid');
    });
  });

  describe('DeclareUnavailable', () => {
    const declared = (by = HANAKO): CrewEvent => ({
      type: 'UnavailabilityDeclared',
      data: {
        memberId: HANAKO,
        from: NOW.toISOString(),
        to: new Date(NOW.getTime() + 3 * DAY).toISOString(),
        reason: '子どもの発熱',
        by,
      },
    });
    it('by herself, for three days', () => {
      spec.given([joined()]).when(declare()).then([declared()]);
    });
    it('by a coordinator of her region', () => {
      spec
        .given([joined()])
        .when(declare({ by: coordinator }))
        .then([declared(coordinator.id)]);
    });
    it('by this service (a member who left)', () => {
      spec
        .given([joined()])
        .when(declare({ by: system }))
        .then([declared(system.id)]);
    });
    it('refuses another member', () => {
      spec
        .given([joined()])
        .when(declare({ by: yuki }))
        .thenThrows('crew.forbidden', 'forbidden');
    });
    it('refuses a period ending before it starts', () => {
      spec
        .given([joined()])
        .when(declare({ to: NOW }))
        .thenThrows('crew.invalid_period', 'invalid');
    });
    it('refuses a period that is over', () => {
      spec
        .given([joined()])
        .when(declare({ from: new Date(NOW.getTime() - 3 * DAY), to: new Date(NOW.getTime() - DAY) }))
        .thenThrows('crew.invalid_period', 'invalid');
    });
    it('refuses a period over a year', () => {
      spec
        .given([joined()])
        .when(declare({ to: new Date(NOW.getTime() + 400 * DAY) }))
        .thenThrows('crew.invalid_period', 'invalid');
    });
    it('refuses a time that is no time', () => {
      spec
        .given([joined()])
        .when(declare({ from: new Date(Number.NaN) }))
        .thenThrows('crew.invalid_period', 'invalid');
    });
    it('refuses an empty reason', () => {
      spec
        .given([joined()])
        .when(declare({ reason: ' ' }))
        .thenThrows('crew.invalid_reason', 'invalid');
    });
    it('refuses a member who left', () => {
      spec.given([joined(), left]).when(declare()).thenThrows('crew.member_left', 'rule');
    });
  });

  describe('evolve', () => {
    const fold = (events: CrewEvent[]): CrewMember =>
      events.reduce((s, e) => crewDecider.evolve(s, e), crewDecider.initialState()) as CrewMember;
    it('her skills are identity’s and the granted ones; her wished minutes default to her windows', () => {
      const member = fold([
        joined(),
        {
          type: 'SkillGranted',
          data: { memberId: HANAKO, skill: 'transcription', jobId: JOB, by: coordinator.id, reason: 'ok' },
        },
      ]);
      expect(skillsOf(member)).toEqual(['data entry', 'transcription']);
      expect(wishedMinutes(member)).toBe(40);
      expect(
        wishedMinutes(
          fold([joined(), { type: 'WishedHoursSet', data: { memberId: HANAKO, minutesPerWeek: 300, by: HANAKO } }]),
        ),
      ).toBe(300);
      expect(
        weeklyWindowMinutes([
          { day: 'mon', start: '13:00', end: '13:40' },
          { day: 'tue', start: '21:00', end: '24:00' },
        ]),
      ).toBe(220);
    });
  });
});
