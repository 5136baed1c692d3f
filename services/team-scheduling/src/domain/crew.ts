/**
 * A member as her team knows her (stream `crew-<memberId>`): what identity told of her (region,
 * town, skills, weekly windows in Asia/Tokyo; recorded idempotently by the identity event's id)
 * and this service's own facts about her: the hours she wishes to work, the skills a
 * coordinator granted her after inspected work, and the periods she declared herself
 * unavailable. Pure: the caller's roles, the time and the evidence for a skill come inside the
 * commands. Her skills are identity's and the granted ones together.
 */
import {
  coordinates,
  DomainError,
  ForbiddenError,
  isSystem,
  NotFoundError,
  ValidationError,
  type Actor,
  type Decider,
} from '@workshare/eventsourcing';
import type { WeeklyWindow } from './scheduler/model.js';
import { boundedText, LIMITS, personalText, type PersonalText } from './text.js';

export const crewStream = (memberId: string): string => `crew-${memberId}`;

const DAY_MS = 86_400_000;

// ---- events ---------------------------------------------------------------------------------

type WindowData = { day: WeeklyWindow['day']; start: string; end: string };

export type MemberJoinedTeam = {
  readonly type: 'MemberJoinedTeam';
  readonly data: {
    memberId: string;
    regionId: string;
    townId: string;
    contractType: string;
    skills: string[];
    availability: WindowData[];
  };
};
export type MemberAvailabilityChanged = {
  readonly type: 'MemberAvailabilityChanged';
  readonly data: { memberId: string; availability: WindowData[] };
};
export type MemberLeftTeam = { readonly type: 'MemberLeftTeam'; readonly data: { memberId: string } };
export type WishedHoursSet = {
  readonly type: 'WishedHoursSet';
  readonly data: { memberId: string; minutesPerWeek: number; by: string };
};
export type SkillGranted = {
  readonly type: 'SkillGranted';
  readonly data: { memberId: string; skill: string; jobId: string; by: string; reason: string };
};
export type UnavailabilityDeclared = {
  readonly type: 'UnavailabilityDeclared';
  /** Schema version 2: the reason is sealed for her (PersonalText). */
  readonly data: { memberId: string; from: string; to: string; reason: PersonalText; by: string };
};

export type CrewEvent =
  | MemberJoinedTeam
  | MemberAvailabilityChanged
  | MemberLeftTeam
  | WishedHoursSet
  | SkillGranted
  | UnavailabilityDeclared;
export const CREW_EVENT_TYPES: readonly CrewEvent['type'][] = [
  'MemberJoinedTeam',
  'MemberAvailabilityChanged',
  'MemberLeftTeam',
  'WishedHoursSet',
  'SkillGranted',
  'UnavailabilityDeclared',
];

// ---- commands -------------------------------------------------------------------------------

/** Identity registered her (MemberRegistered): she joins her region's team. */
export interface JoinTeam {
  readonly type: 'JoinTeam';
  readonly memberId: string;
  readonly regionId: string;
  readonly townId: string;
  readonly contractType: string;
  readonly skills: readonly string[];
  readonly availability: readonly WeeklyWindow[];
}
export interface ChangeAvailability {
  readonly type: 'ChangeAvailability';
  readonly availability: readonly WeeklyWindow[];
}
/** Identity forgot her: she leaves the team (her history stays). */
export interface LeaveTeam {
  readonly type: 'LeaveTeam';
}
export interface SetWishedHours {
  readonly type: 'SetWishedHours';
  readonly minutesPerWeek: number;
  readonly by: Actor;
}
/** What the job's schedule shows of the member's work on it (looked up by the application). */
export interface InspectedWork {
  readonly jobId: string;
  /** The job's inspection was accepted (JobInspected, accepted). */
  readonly inspectionAccepted: boolean;
  /** She held a task of the job, or shadowed its holder. */
  readonly tookPart: boolean;
}
export interface GrantSkill {
  readonly type: 'GrantSkill';
  readonly skill: string;
  readonly jobId: string;
  readonly reason: string;
  /** Undefined when the job has no schedule here. */
  readonly work: InspectedWork | undefined;
  readonly by: Actor;
}
export interface DeclareUnavailable {
  readonly type: 'DeclareUnavailable';
  readonly from: Date;
  readonly to: Date;
  /** Sealed for her by the application. */
  readonly reason: PersonalText;
  readonly by: Actor;
  readonly at: Date;
}

export type CrewCommand = JoinTeam | ChangeAvailability | LeaveTeam | SetWishedHours | GrantSkill | DeclareUnavailable;

// ---- state ----------------------------------------------------------------------------------

export interface Unavailability {
  readonly from: number;
  readonly to: number;
  readonly reason: PersonalText;
  readonly by: string;
}

export interface CrewMember {
  readonly status: 'active' | 'left';
  readonly memberId: string;
  readonly regionId: string;
  readonly townId: string;
  readonly contractType: string;
  /** The skills identity records. */
  readonly identitySkills: readonly string[];
  /** The skills coordinators granted here. */
  readonly grantedSkills: readonly string[];
  readonly windows: readonly WeeklyWindow[];
  /** Set by the member or her coordinator; undefined: the minutes of her weekly windows. */
  readonly wishedMinutesPerWeek: number | undefined;
  readonly unavailability: readonly Unavailability[];
}

export type CrewState = { readonly status: 'none' } | CrewMember;

export const isCrewMember = (state: CrewState): state is CrewMember => state.status !== 'none';

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The minutes of her weekly windows. */
export const weeklyWindowMinutes = (windows: readonly WeeklyWindow[]): number =>
  windows.reduce((sum, w) => sum + minutesOf(w.end) - minutesOf(w.start), 0);

/** What fairness weighs her by: what she wished, or by default every minute of her windows. */
export const wishedMinutes = (member: CrewMember): number =>
  member.wishedMinutesPerWeek ?? weeklyWindowMinutes(member.windows);

/** Her skills: identity's and the granted ones, without repeats. */
export const skillsOf = (member: CrewMember): string[] => [
  ...new Set([...member.identitySkills, ...member.grantedSkills]),
];

// ---- decide ---------------------------------------------------------------------------------

/** An active member of a team, or `crew.member_not_found` / `crew.member_left`. */
export const active = (state: CrewState): CrewMember => {
  if (!isCrewMember(state)) throw new NotFoundError('crew.member_not_found', 'no such member in any team');
  if (state.status === 'left')
    throw new DomainError('crew.member_left', `member ${state.memberId} has left the team`, 'rule');
  return state;
};

/** Who acts about a member's time: herself, a coordinator of her region, the platform (`crew.forbidden`). */
export const herselfOrCoordinator = (member: CrewMember, by: Actor, what: string): void => {
  if (by.id !== member.memberId && !coordinates(by, member.regionId) && !isSystem(by)) {
    throw new ForbiddenError(
      'crew.forbidden',
      `only the member herself or a coordinator of ${member.regionId} may ${what}`,
    );
  }
};

const windowsData = (windows: readonly WeeklyWindow[]): WindowData[] =>
  windows.map((w) => ({ day: w.day, start: w.start, end: w.end }));

const sameWindows = (a: readonly WeeklyWindow[], b: readonly WeeklyWindow[]): boolean =>
  a.length === b.length && a.every((w, i) => w.day === b[i]?.day && w.start === b[i]?.start && w.end === b[i]?.end);

const instant = (value: Date, field: string): number => {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new ValidationError('crew.invalid_period', `${field} is not a point in time`, { field });
  return value.getTime();
};

export const decide = (command: CrewCommand, state: CrewState): CrewEvent[] => {
  switch (command.type) {
    case 'JoinTeam':
      // Known already (a redelivery under another id, or a member who left): nothing new.
      if (isCrewMember(state)) return [];
      return [
        {
          type: 'MemberJoinedTeam',
          data: {
            memberId: command.memberId,
            regionId: command.regionId,
            townId: command.townId,
            contractType: command.contractType,
            skills: [...command.skills],
            availability: windowsData(command.availability),
          },
        },
      ];
    case 'ChangeAvailability': {
      if (!isCrewMember(state)) throw new NotFoundError('crew.member_not_found', 'no such member in any team');
      if (state.status === 'left' || sameWindows(state.windows, command.availability)) return [];
      return [
        {
          type: 'MemberAvailabilityChanged',
          data: { memberId: state.memberId, availability: windowsData(command.availability) },
        },
      ];
    }
    case 'LeaveTeam':
      if (!isCrewMember(state) || state.status === 'left') return [];
      return [{ type: 'MemberLeftTeam', data: { memberId: state.memberId } }];
    case 'SetWishedHours': {
      const member = active(state);
      herselfOrCoordinator(member, command.by, 'set her wished hours');
      const minutes = command.minutesPerWeek;
      if (
        !Number.isSafeInteger(minutes) ||
        minutes < LIMITS.minWishedMinutesPerWeek ||
        minutes > LIMITS.maxWishedMinutesPerWeek
      ) {
        throw new ValidationError(
          'crew.invalid_wished_hours',
          `wished minutes a week are a whole number from ${LIMITS.minWishedMinutesPerWeek} to ${LIMITS.maxWishedMinutesPerWeek}`,
          { field: 'minutes_per_week' },
        );
      }
      if (member.wishedMinutesPerWeek === minutes) return [];
      return [
        { type: 'WishedHoursSet', data: { memberId: member.memberId, minutesPerWeek: minutes, by: command.by.id } },
      ];
    }
    case 'GrantSkill': {
      const member = active(state);
      if (!coordinates(command.by, member.regionId))
        throw new ForbiddenError(
          'crew.forbidden',
          `only a coordinator of ${member.regionId} grants skills to its members`,
        );
      const skill = boundedText(command.skill, 'skill', 'crew.invalid_skill', 1, LIMITS.skillLength);
      const reason = boundedText(command.reason, 'reason', 'crew.invalid_reason', 1, LIMITS.reasonLength);
      if (skillsOf(member).includes(skill))
        throw new DomainError(
          'skill.already_held',
          `member ${member.memberId} has the skill ${JSON.stringify(skill)} already`,
          'rule',
        );
      const work = command.work;
      // A skill is granted for work the business accepted, never on trust alone.
      if (work === undefined || work.jobId !== command.jobId || !work.inspectionAccepted || !work.tookPart) {
        throw new DomainError(
          'skill.no_inspected_work',
          `member ${member.memberId} has no work on job ${command.jobId} whose inspection was accepted`,
          'rule',
        );
      }
      return [
        {
          type: 'SkillGranted',
          data: { memberId: member.memberId, skill, jobId: command.jobId, by: command.by.id, reason },
        },
      ];
    }
    case 'DeclareUnavailable': {
      const member = active(state);
      herselfOrCoordinator(member, command.by, 'declare her unavailable');
      const from = instant(command.from, 'from');
      const to = instant(command.to, 'to');
      if (to <= from)
        throw new ValidationError('crew.invalid_period', 'an unavailability ends after it starts', { field: 'to' });
      if (to <= command.at.getTime())
        throw new ValidationError('crew.invalid_period', 'an unavailability that is over changes nothing', {
          field: 'to',
        });
      if (to - from > LIMITS.maxUnavailableDays * DAY_MS) {
        throw new ValidationError(
          'crew.invalid_period',
          `an unavailability lasts at most ${LIMITS.maxUnavailableDays} days`,
          { field: 'to' },
        );
      }
      const reason = personalText(
        command.reason,
        member.memberId,
        'reason',
        'crew.invalid_reason',
        1,
        LIMITS.reasonLength,
      );
      return [
        {
          type: 'UnavailabilityDeclared',
          data: {
            memberId: member.memberId,
            from: new Date(from).toISOString(),
            to: new Date(to).toISOString(),
            reason,
            by: command.by.id,
          },
        },
      ];
    }
  }
};

// ---- evolve ---------------------------------------------------------------------------------

export const evolve = (state: CrewState, event: CrewEvent): CrewState => {
  if (event.type === 'MemberJoinedTeam') {
    if (isCrewMember(state)) return state;
    const d = event.data;
    return {
      status: 'active',
      memberId: d.memberId,
      regionId: d.regionId,
      townId: d.townId,
      contractType: d.contractType,
      identitySkills: [...d.skills],
      grantedSkills: [],
      windows: d.availability.map((w) => ({ ...w })),
      wishedMinutesPerWeek: undefined,
      unavailability: [],
    };
  }
  if (!isCrewMember(state)) return state;
  switch (event.type) {
    case 'MemberAvailabilityChanged':
      return { ...state, windows: event.data.availability.map((w) => ({ ...w })) };
    case 'MemberLeftTeam':
      return { ...state, status: 'left' };
    case 'WishedHoursSet':
      return { ...state, wishedMinutesPerWeek: event.data.minutesPerWeek };
    case 'SkillGranted':
      return { ...state, grantedSkills: [...state.grantedSkills, event.data.skill] };
    case 'UnavailabilityDeclared': {
      const d = event.data;
      return {
        ...state,
        unavailability: [
          ...state.unavailability,
          { from: Date.parse(d.from), to: Date.parse(d.to), reason: d.reason, by: d.by },
        ],
      };
    }
  }
};

export const initialState = (): CrewState => ({ status: 'none' });

export const crewDecider: Decider<CrewCommand, CrewEvent, CrewState> = { decide, evolve, initialState };
