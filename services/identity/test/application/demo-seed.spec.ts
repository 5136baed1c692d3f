import { openEventStore } from '@workshare/eventstore';
import type { EventStore } from '@workshare/eventsourcing';
import { InMemoryKeyVault } from '../../src/adapters/in-memory-key-vault.js';
import { MasterKey } from '../../src/adapters/master-key.js';
import { demoAccounts, DEMO_BUSINESS_USER_EMAILS, seedDemoCooperative } from '../../src/application/demo-seed.js';
import type { IdentityService } from '../../src/application/identity-service.js';
import { parseRegistrationNumber } from '../../src/domain/registration-number.js';
import { openIdentityService, type IdentityRuntime } from '../../src/open-identity.js';
import { as } from '../support/context.js';

const open = async (): Promise<{ runtime: IdentityRuntime; store: EventStore }> => {
  const store = await openEventStore('embedded:memory');
  const runtime = await openIdentityService({
    env: { IDENTITY_MASTER_KEY: MasterKey.generate().toBase64() },
    storeUrl: 'embedded:memory',
    store,
    keyVault: new InMemoryKeyVault(),
    scryptCost: { N: 1024, r: 8, p: 1 },
  });
  return { runtime, store };
};

describe('the demo cooperative of Fujisato', () => {
  let store: EventStore;
  let runtime: IdentityRuntime;
  let service: IdentityService;
  let seeded: Awaited<ReturnType<typeof seedDemoCooperative>>;

  beforeAll(async () => {
    ({ store, runtime } = await open());
    service = runtime.service;
    seeded = await seedDemoCooperative(service, { password: 'demo-password-for-tests' });
  });
  afterAll(async () => {
    await runtime.close();
    await store.close();
  });

  it('seeds an operator, twelve members, an accountant and three business users, all able to sign in', async () => {
    expect(seeded.password).toBe('demo-password-for-tests');
    expect(seeded.accounts).toHaveLength(17);
    for (const account of seeded.accounts) {
      await expect(service.login(account.email, seeded.password)).resolves.toHaveProperty('token');
      expect(account.email).toMatch(/\.example$/);
    }
  });

  it('puts two teams’ worth of members in Fujikoto and Kasuge, with a local coordinator', async () => {
    const operator = (await service.login('aya.kitamura@polaris.example', 'demo-password-for-tests')).caller;
    const members = await service.listMembers(as(operator), 'fujisato');
    const towns = members.map((m) => (m.status === 'active' ? m.townId : 'forgotten'));
    expect(towns.filter((t) => t === 'fujisato/fujikoto')).toHaveLength(6);
    expect(towns.filter((t) => t === 'fujisato/kasuge')).toHaveLength(6);
    const coordinators = members.filter((m) => m.status === 'active' && m.roles.some((r) => r.kind === 'coordinator'));
    expect(coordinators).toHaveLength(1);
    expect(coordinators[0]).toMatchObject({
      townId: 'fujisato/fujikoto',
      roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'fujisato' }],
    });
    const contractTypes = new Set(members.map((m) => (m.status === 'active' ? m.contractType : '')));
    expect(contractTypes).toEqual(new Set(['contractor', 'employee']));
  });

  it('registers three local businesses with valid registration numbers, each with its user', async () => {
    expect(seeded.businesses).toHaveLength(3);
    for (const b of seeded.businesses) {
      expect(parseRegistrationNumber(b.registrationNumber, 'corporation')).toBe(b.registrationNumber);
      expect(b.regionId).toBe('fujisato');
    }
    const users = [
      'ken.takahashi@shirakami-woodworks.example',
      'satomi.koyama@fujikotogawa-maitake.example',
      'koji.takeda@kasuge-kanko.example',
    ];
    expect(DEMO_BUSINESS_USER_EMAILS).toEqual(users);
    for (const [index, email] of users.entries()) {
      const businessUser = (await service.login(email, seeded.password)).caller;
      expect(businessUser.businessId).toBe(seeded.businesses[index]!.businessId);
    }
  });

  it('lets the accountant read what she needs to pay the members', async () => {
    const accountant = (await service.login('makoto.sasaki@accounting.example', seeded.password)).caller;
    const [first] = await service.listMembers(as(accountant), 'fujisato');
    await expect(service.getMember(as(accountant), first!.memberId)).resolves.toMatchObject({
      access: 'accountant',
      personalData: {
        status: 'readable',
        bankAccount: { number: expect.stringMatching(/^\d{7}$/), holder: expect.stringMatching(/^[ァ-ヶー ]+$/) },
      },
    });
  });

  it('is a plain workflow: run on a store that has the demo, its first step refuses and nothing more is stored', async () => {
    const head = await store.headPosition();
    await expect(seedDemoCooperative(service)).rejects.toMatchObject({ code: 'identity.already_bootstrapped' });
    expect(await store.headPosition()).toEqual(head);
  });

  it('generates a password when none is given', async () => {
    const fresh = await open();
    try {
      const result = await seedDemoCooperative(fresh.runtime.service);
      expect(result).toMatchObject({ password: expect.stringMatching(/^demo-[\w-]{12}$/) });
      expect(result.accounts).toEqual(demoAccounts());
    } finally {
      await fresh.runtime.close();
      await fresh.store.close();
    }
  });
});
