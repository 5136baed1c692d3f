/**
 * Identity's published events (@workshare/contracts: IDENTITY_PUBLISHED_EVENTS) are what its
 * decider emits: a member's registration, availability update and forgetting, decided here,
 * follow their published schemas; the published days, window patterns and contract types are
 * identity's. A rename or a new value fails this test: publish a new schema version rather than
 * change one in place.
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
import { fold, type RecordedEvent } from '@workshare/eventsourcing';
import {
  accountDecider,
  CONTRACT_TYPES,
  memberStream,
  type AccountCommand,
  type AccountEvent,
  type ContractType,
} from '../src/domain/account.js';
import { AVAILABILITY_END_PATTERN, AVAILABILITY_START_PATTERN, WEEKDAYS } from '../src/domain/availability.js';
import { bedtime, herself, lunch, MEMBER, registerMember } from './domain/fixtures.js';

/** The commands in turn, each decided on the events before it. */
const run = (commands: readonly AccountCommand[]): AccountEvent[] =>
  commands.reduce<AccountEvent[]>(
    (history, command) => [...history, ...accountDecider.decide(command, fold(accountDecider, history))],
    [],
  );

/** A decided event as the store records it (schema version 1, on the member's stream). */
const recorded = (event: AccountEvent, index: number): RecordedEvent => ({
  id: `01900000-0000-7000-8000-${String(index).padStart(12, '0')}`,
  type: event.type,
  schemaVersion: 1,
  streamName: memberStream(MEMBER),
  streamVersion: index,
  position: { commit: BigInt(index), prepare: BigInt(index) },
  data: event.data,
  metadata: {},
  occurredAt: new Date('2026-04-01T00:00:00.000Z'),
  recordedAt: new Date('2026-04-01T00:00:00.000Z'),
  hash: '',
  previousHash: '',
});

const lifeOf = (contractType: ContractType): AccountEvent[] =>
  run([
    registerMember({ contractType, availability: [lunch, bedtime, { day: 'sun', start: '22:00', end: '24:00' }] }),
    { type: 'UpdateAvailability', availability: [{ day: 'sat', start: '00:00', end: '12:00' }], by: herself },
    { type: 'ForgetAccount', reason: 'leaving the cooperative', by: herself },
  ]);

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
    const events = lifeOf(contractType).map(recorded);
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
});
