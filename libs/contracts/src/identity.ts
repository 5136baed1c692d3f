/**
 * Identity's published events (streams `member-<memberId>`): a member's registration, her weekly
 * availability, her being forgotten. Only what other services may rely on is published: never
 * her personal data (sealed), her email's digest or who recorded the change.
 */
import { Type } from 'typebox';
import { publishedEvent } from './published.js';

const PRODUCER = 'identity';
const CATEGORY = 'member';

/** The days of a weekly window, as identity writes them. */
export const PUBLISHED_WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** A window's start, "HH:MM" from 00:00 to 23:59; its end, 00:01 to 24:00 (identity's patterns). */
export const PUBLISHED_WINDOW_START_PATTERN = '^([01]\\d|2[0-3]):([0-5]\\d)$';
export const PUBLISHED_WINDOW_END_PATTERN = '^(?:([01]\\d|2[0-3]):([0-5]\\d)|(24):(00))$';
/** What a member's contract with the cooperative is. */
export const PUBLISHED_CONTRACT_TYPES = ['contractor', 'employee'] as const;

const memberId = Type.String({ minLength: 1, description: 'The member; her stream is `member-<memberId>`.' });

const WeeklyWindow = Type.Object(
  {
    day: Type.Enum(PUBLISHED_WEEKDAYS),
    start: Type.String({ pattern: PUBLISHED_WINDOW_START_PATTERN }),
    end: Type.String({ pattern: PUBLISHED_WINDOW_END_PATTERN }),
  },
  { description: 'A weekly window, wall-clock times of Asia/Tokyo; it ends after it starts.' },
);

export const MemberRegisteredV1 = publishedEvent({
  producer: PRODUCER,
  type: 'MemberRegistered',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'memberId',
  schema: Type.Object({
    memberId,
    regionId: Type.String({ minLength: 1 }),
    townId: Type.String({ minLength: 1, description: '`<region>/<town>`: the town she lives in.' }),
    contractType: Type.Enum(PUBLISHED_CONTRACT_TYPES),
    skills: Type.Array(Type.String({ minLength: 1 })),
    availability: Type.Array(WeeklyWindow),
  }),
});

export const MemberAvailabilityUpdatedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'MemberAvailabilityUpdated',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'memberId',
  schema: Type.Object({ memberId, availability: Type.Array(WeeklyWindow) }),
});

export const MemberForgottenV1 = publishedEvent({
  producer: PRODUCER,
  type: 'MemberForgotten',
  schemaVersion: 1,
  category: CATEGORY,
  idField: 'memberId',
  schema: Type.Object({ memberId }),
});

/** Every event identity publishes, each type at each version. */
export const IDENTITY_PUBLISHED_EVENTS = [MemberRegisteredV1, MemberAvailabilityUpdatedV1, MemberForgottenV1] as const;
