/**
 * Identity's published events: a member's registration, her weekly availability, her being
 * forgotten (streams `member-<memberId>`); and what ends someone's access, which every process
 * that checks tokens hears (service-host's listener of access revocations): a role revoked
 * (`member-<id>` or `user-<id>`), a user forgotten (`user-<userId>`), a session ended
 * (`session-<sessionId>`: a logout, a refresh token used twice). Only what other services may
 * rely on is published: never personal data (sealed), an email's digest, a refresh token's
 * digest, who recorded the change or why.
 */
import { ROLE_NAMES } from '@workshare/eventsourcing';
import { Type } from 'typebox';
import { publishedEvent } from './published.js';

const PRODUCER = 'identity';
const CATEGORY = 'member';
const USER = 'user';
const SESSION = 'session';

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

const PublishedRole = Type.Object(
  {
    kind: Type.Enum(ROLE_NAMES),
    regionId: Type.Optional(Type.String({ minLength: 1, description: 'The region a coordinator runs.' })),
    businessId: Type.Optional(Type.String({ minLength: 1, description: 'The business a business user acts for.' })),
  },
  { description: 'A role: its kind, and the region or business it is of.' },
);

export const RoleRevokedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'RoleRevoked',
  schemaVersion: 1,
  category: [CATEGORY, USER],
  idField: 'accountId',
  schema: Type.Object({
    accountId: Type.String({
      minLength: 1,
      description: 'The member or user (a token’s subject); her stream is `member-<id>` or `user-<id>`.',
    }),
    role: PublishedRole,
  }),
});

export const UserForgottenV1 = publishedEvent({
  producer: PRODUCER,
  type: 'UserForgotten',
  schemaVersion: 1,
  category: USER,
  idField: 'userId',
  schema: Type.Object({
    userId: Type.String({ minLength: 1, description: 'The user; her stream is `user-<userId>`.' }),
  }),
});

export const SessionRevokedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'SessionRevoked',
  schemaVersion: 1,
  category: SESSION,
  idField: 'sessionId',
  schema: Type.Object({
    sessionId: Type.String({
      minLength: 1,
      description: 'The session (a login and the tokens refreshed from it); its stream is `session-<sessionId>`.',
    }),
    accountId: Type.String({ minLength: 1, description: 'Whose session it was (the tokens’ subject).' }),
  }),
});

/** Every event identity publishes, each type at each version. */
export const IDENTITY_PUBLISHED_EVENTS = [
  MemberRegisteredV1,
  MemberAvailabilityUpdatedV1,
  MemberForgottenV1,
  RoleRevokedV1,
  UserForgottenV1,
  SessionRevokedV1,
] as const;

/** Identity's published events that end someone's access: what every token cache must hear. */
export const IDENTITY_ACCESS_REVOCATIONS = [
  RoleRevokedV1,
  MemberForgottenV1,
  UserForgottenV1,
  SessionRevokedV1,
] as const;
