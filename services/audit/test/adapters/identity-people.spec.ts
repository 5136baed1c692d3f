/**
 * Members' names from a real identity (the test cooperative, in process): an actor of the log
 * that is not a member (the platform, a tool, a user, an operator) has no name and does not make
 * the answer fail; a member's name is given as the asker may read it.
 */
import { openEventStore } from '@workshare/eventstore';
import type { EventStore } from '@workshare/eventsourcing';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import { IdentityPeople } from '../../src/adapters/identity/identity-people.js';

let store: EventStore;
let coop: TestCooperative;
let people: IdentityPeople;

beforeAll(async () => {
  store = await openEventStore('embedded:memory');
  coop = await startTestCooperative({ store });
  people = new IdentityPeople({ identityAddress: coop.identityAddress });
});

afterAll(async () => {
  people?.close();
  await coop?.close();
  await store?.close();
});

describe('names of the people the log names', () => {
  it('names the members among the platform, tools, users and operators, failing for none', async () => {
    const names = await people.names(
      [
        coop.member.id,
        'system:team-scheduling',
        'system:bootstrap',
        'test-producer',
        '',
        coop.coordinator.id,
        coop.operator.id,
      ],
      { token: coop.accountant.token },
    );
    // The coordinator of the test cooperative is a member of her region; the operator is a user.
    expect(new Map(names)).toEqual(
      new Map([
        [coop.member.id, { kind: 'text', text: 'Test member' }],
        [coop.coordinator.id, { kind: 'text', text: 'Test coordinator' }],
      ]),
    );
  });

  it('asks identity nothing when no id is a member id', async () => {
    await expect(people.names(['system:settlement', 'operator'], { token: coop.accountant.token })).resolves.toEqual(
      new Map(),
    );
  });
});
