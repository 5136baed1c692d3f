/**
 * The launcher's guard around identity's demo seed: the demo is seeded once per store, a store
 * that has it is left alone (nothing stored), and a seed that began and never finished is
 * reported, never repeated over. The guard's rules are a decider (given/when/then).
 */
import { randomBytes } from 'node:crypto';
import { DeciderSpecification, type EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { InMemoryKeyVault, openIdentityService, type IdentityRuntime } from '@workshare/identity';
import { DEMO_SEED_STREAM, demoSeedDecider, seedDemoOnce } from '../src/demo-seed.js';

const open = async (): Promise<{ runtime: IdentityRuntime; store: EventStore }> => {
  const store = await openEventStore('embedded:memory');
  const runtime = await openIdentityService({
    env: { IDENTITY_MASTER_KEY: randomBytes(32).toString('base64') },
    storeUrl: 'embedded:memory',
    store,
    keyVault: new InMemoryKeyVault(),
    scryptCost: { N: 1024, r: 8, p: 1 },
  });
  return { runtime, store };
};

describe('the demo seed guard (decider)', () => {
  const spec = DeciderSpecification.for(demoSeedDecider);
  const started = { type: 'DemoSeedStarted', data: {} } as const;
  const completed = { type: 'DemoSeedCompleted', data: {} } as const;

  it('lets the demo begin on a store without it, and completes it once', () => {
    spec.given([]).when({ type: 'StartDemoSeed' }).then([started]);
    spec.given([started]).when({ type: 'CompleteDemoSeed' }).then([completed]);
    spec.given([started, completed]).when({ type: 'CompleteDemoSeed' }).thenNothing();
  });

  it('refuses to begin again: seeded before, or begun and never finished', () => {
    spec.given([started, completed]).when({ type: 'StartDemoSeed' }).thenThrows('demo.already_seeded', 'rule');
    spec.given([started]).when({ type: 'StartDemoSeed' }).thenThrows('demo.incomplete', 'rule');
  });

  it('refuses to complete a seed that never began', () => {
    spec.given([]).when({ type: 'CompleteDemoSeed' }).thenThrows('demo.not_started', 'rule');
  });
});

describe('seeding the demo once per store', () => {
  let store: EventStore;
  let runtime: IdentityRuntime;
  beforeAll(async () => {
    ({ store, runtime } = await open());
  });
  afterAll(async () => {
    await runtime.close();
    await store.close();
  });

  it('seeds a store without it, then does nothing the second time, and says so', async () => {
    const first = await seedDemoOnce(store, runtime.service, { password: 'demo-password-for-tests' });
    expect(first).toMatchObject({ status: 'seeded', password: 'demo-password-for-tests' });
    expect(first.accounts).toHaveLength(17);
    expect((await store.readStream(DEMO_SEED_STREAM)).map((e) => [e.type, e.metadata.actor])).toEqual([
      ['DemoSeedStarted', 'system:demo-seed'],
      ['DemoSeedCompleted', 'system:demo-seed'],
    ]);
    await expect(
      runtime.service.login('aya.kitamura@polaris.example', 'demo-password-for-tests'),
    ).resolves.toHaveProperty('token');

    const head = await store.headPosition();
    const again = await seedDemoOnce(store, runtime.service);
    expect(again).toMatchObject({ status: 'already_seeded' });
    expect(again.accounts).toHaveLength(17);
    expect(again).not.toHaveProperty('password');
    expect(await store.headPosition()).toEqual(head);
  });

  it('reports a seed that began and never finished, and stores nothing more', async () => {
    const other = await open();
    try {
      await other.store.append(
        DEMO_SEED_STREAM,
        [{ type: 'DemoSeedStarted', data: {}, metadata: { actor: 'system:demo-seed' } }],
        { expectedVersion: 'no_stream' },
      );
      const head = await other.store.headPosition();
      await expect(seedDemoOnce(other.store, other.runtime.service)).resolves.toMatchObject({
        status: 'incomplete',
        message: expect.stringContaining('did not finish'),
      });
      expect(await other.store.headPosition()).toEqual(head);
    } finally {
      await other.runtime.close();
      await other.store.close();
    }
  });

  it('lets one of two launchers starting on one store seed it; the other finds the seed begun', async () => {
    const shared = await open();
    try {
      const outcomes = await Promise.all([
        seedDemoOnce(shared.store, shared.runtime.service, { password: 'demo-password-for-tests' }),
        seedDemoOnce(shared.store, shared.runtime.service, { password: 'demo-password-for-tests' }),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['incomplete', 'seeded']);
    } finally {
      await shared.runtime.close();
      await shared.store.close();
    }
  });
});
