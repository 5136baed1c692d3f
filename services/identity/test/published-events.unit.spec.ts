/**
 * Identity's published events (@workshare/contracts: IDENTITY_PUBLISHED_EVENTS) are what its
 * deciders emit: a member's registration, availability update, a role revoked and her
 * forgetting, a user's role revoked and her forgetting, a session ended, decided here, follow
 * their published schemas on their streams; the published days, window patterns, contract
 * types and role names are identity's. A rename or a new value fails this test: publish a new
 * schema version rather than change one in place.
 */
import {
  IDENTITY_PUBLISHED_EVENTS,
  parsePublished,
  PUBLISHED_CONTRACT_TYPES,
  PUBLISHED_WEEKDAYS,
  PUBLISHED_WINDOW_END_PATTERN,
  PUBLISHED_WINDOW_START_PATTERN,
  publishedTypes,
} from '@workshare/contracts';
import { fold, ROLE_NAMES, type DomainEvent, type RecordedEvent } from '@workshare/eventsourcing';
import {
  accountDecider,
  CONTRACT_TYPES,
  memberStream,
  userStream,
  type AccountCommand,
  type AccountEvent,
  type ContractType,
} from '../src/domain/account.js';
import { sessionDecider, sessionStream, type SessionCommand, type SessionEvent } from '../src/domain/session.js';
import { AVAILABILITY_END_PATTERN, AVAILABILITY_START_PATTERN, WEEKDAYS } from '../src/domain/availability.js';
import { bedtime, DIGEST, herself, lunch, MEMBER, operator, registerMember, SEALED, USER } from './domain/fixtures.js';

/** The commands in turn, each decided on the events before it. */
const run = (commands: readonly AccountCommand[]): AccountEvent[] =>
  commands.reduce<AccountEvent[]>(
    (history, command) => [...history, ...accountDecider.decide(command, fold(accountDecider, history))],
    [],
  );
const runSession = (commands: readonly SessionCommand[]): SessionEvent[] =>
  commands.reduce<SessionEvent[]>(
    (history, command) => [...history, ...sessionDecider.decide(command, fold(sessionDecider, history))],
    [],
  );

const SESSION = '01900000-0000-7000-8000-00000000d001';

/** A decided event as the store records it (schema version 1, on its stream: the member's by default). */
const recorded = (event: DomainEvent, index: number, streamName = memberStream(MEMBER)): RecordedEvent => ({
  id: `01900000-0000-7000-8000-${String(index).padStart(12, '0')}`,
  type: event.type,
  schemaVersion: 1,
  streamName,
  streamVersion: index,
  position: { commit: BigInt(index), prepare: BigInt(index) },
  data: event.data,
  metadata: {},
  occurredAt: new Date('2026-04-01T00:00:00.000Z'),
  recordedAt: new Date('2026-04-01T00:00:00.000Z'),
  hash: '',
  previousHash: '',
});

const COORDINATOR = { kind: 'coordinator', regionId: 'fujisato' } as const;

/** A member's life, a user's, and a session's, as their streams record them. */
const lifeOf = (contractType: ContractType): RecordedEvent[] => [
  ...run([
    registerMember({ contractType, availability: [lunch, bedtime, { day: 'sun', start: '22:00', end: '24:00' }] }),
    { type: 'UpdateAvailability', availability: [{ day: 'sat', start: '00:00', end: '12:00' }], by: herself },
    { type: 'GrantRole', role: COORDINATOR, reason: 'runs Fujisato', by: operator },
    { type: 'RevokeRole', role: COORDINATOR, reason: 'moved away', by: operator },
    { type: 'ForgetAccount', reason: 'leaving the cooperative', by: herself },
  ]).map((e, i) => recorded(e, i)),
  ...run([
    { type: 'RegisterUser', userId: USER, emailDigest: DIGEST, personalData: SEALED, by: operator },
    { type: 'GrantRole', role: { kind: 'accountant' }, reason: 'pays members', by: operator },
    { type: 'RevokeRole', role: { kind: 'accountant' }, reason: 'retired', by: operator },
    { type: 'ForgetAccount', reason: 'left Polaris', by: operator },
  ]).map((e, i) => recorded(e, 100 + i, userStream(USER))),
  ...runSession([
    {
      type: 'StartSession',
      sessionId: SESSION,
      accountId: MEMBER,
      accountKind: 'member',
      refreshTokenDigest: 'b'.repeat(64),
      expiresAt: new Date('2026-04-08T00:00:00.000Z'),
    },
    { type: 'EndSession', reason: 'logout' },
  ]).map((e, i) => recorded(e, 200 + i, sessionStream(SESSION))),
];

describe('identity’s published events', () => {
  it('the published days, window patterns and contract types are identity’s', () => {
    expect({
      days: [...PUBLISHED_WEEKDAYS],
      start: PUBLISHED_WINDOW_START_PATTERN,
      end: PUBLISHED_WINDOW_END_PATTERN,
      contractTypes: [...PUBLISHED_CONTRACT_TYPES],
    }).toEqual({
      days: [...WEEKDAYS],
      start: AVAILABILITY_START_PATTERN,
      end: AVAILABILITY_END_PATTERN,
      contractTypes: [...CONTRACT_TYPES],
    });
  });

  it.each([...CONTRACT_TYPES])('the decider’s events follow their published schema (%s)', (contractType) => {
    const events = lifeOf(contractType);
    const published = events.filter((e) => publishedTypes(IDENTITY_PUBLISHED_EVENTS).includes(e.type));
    // Every published type is produced, so every one is checked.
    expect(new Set(published.map((e) => e.type))).toEqual(new Set(publishedTypes(IDENTITY_PUBLISHED_EVENTS)));
    for (const event of published) {
      const result = parsePublished(IDENTITY_PUBLISHED_EVENTS, event);
      expect({ type: event.type, result: result.ok ? 'ok' : result.error }).toEqual({ type: event.type, result: 'ok' });
    }
  });

  it('a member’s personal data, sealed, and her email’s digest are not published', () => {
    const published = Object.keys(IDENTITY_PUBLISHED_EVENTS[0].schema.properties);
    expect(published).not.toContain('personalData');
    expect(published).not.toContain('emailDigest');
  });

  it('a session’s refresh-token digest is not published, and the published role names are identity’s', () => {
    const ended = IDENTITY_PUBLISHED_EVENTS.find((e) => e.type === 'SessionRevoked')!;
    expect(Object.keys(ended.schema.properties)).toEqual(['sessionId', 'accountId']);
    const revoked = IDENTITY_PUBLISHED_EVENTS.find((e) => e.type === 'RoleRevoked')!;
    expect(JSON.stringify(revoked.schema)).toContain(JSON.stringify([...ROLE_NAMES]));
  });
});
