/**
 * Queries come from the directory (a durable read model, held in memory): what this process writes shows
 * at once; what another process (another pod on the same store) writes shows within the
 * read staleness bound. Two services over one embedded store and one key vault play the pods.
 */
import { openEventStore, type SqlEventStore } from '@workshare/eventstore';
import type { EventStore } from '@workshare/eventsourcing';
import { InMemoryKeyVault } from '../../src/adapters/in-memory-key-vault.js';
import { MasterKey } from '../../src/adapters/master-key.js';
import type { TokenSubject as Caller } from '../../src/application/ports.js';
import { as } from '../support/context.js';
import { IdentityDirectory } from '../../src/application/directory.js';
import { openIdentityService, type IdentityRuntime } from '../../src/open-identity.js';
import { memberInput } from './identity-service.suite.js';

const PASSWORD = 'correct horse battery staple';

describe('queries from the read model', () => {
  let store: EventStore;
  const runtimes: IdentityRuntime[] = [];
  const master = MasterKey.generate().toBase64();
  const vault = new InMemoryKeyVault();

  const pod = async (readStalenessMs: number) => {
    const runtime = await openIdentityService({
      env: { IDENTITY_MASTER_KEY: master },
      storeUrl: 'embedded:memory',
      store,
      keyVault: vault,
      scryptCost: { N: 1024, r: 8, p: 1 },
      readStalenessMs,
    });
    runtimes.push(runtime);
    return runtime.service;
  };

  beforeAll(async () => {
    store = await openEventStore('embedded:memory');
  });
  afterAll(async () => {
    for (const runtime of runtimes) await runtime.close();
    await store.close();
  });

  it('shows another pod’s writes to a pod that reads fresh (staleness 0), and its own at once whatever the bound', async () => {
    const writer = await pod(60_000);
    const reader = await pod(0);
    await writer.bootstrapOperator({ name: '北村 彩', email: 'aya@polaris.example', password: PASSWORD });
    const operator: Caller = (await writer.login('aya@polaris.example', PASSWORD)).caller;
    const { memberId } = await writer.registerMember(as(operator), memberInput());

    // The lazy reader pod (60 s) sees its own writes at once: granted, then revoked.
    await writer.getMember(as(operator), memberId);
    await writer.grantRole(as(operator), {
      accountId: memberId,
      role: { kind: 'coordinator', regionId: 'fujisato' },
      reason: 'runs Fujisato',
    });
    await expect(writer.getMember(as(operator), memberId)).resolves.toMatchObject({
      roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'fujisato' }],
    });

    // The fresh pod saw everything, and sees the revocation made by the other pod on its next read.
    await expect(reader.getMember(as(operator), memberId)).resolves.toMatchObject({
      roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'fujisato' }],
    });
    await writer.revokeRole(as(operator), {
      accountId: memberId,
      role: { kind: 'coordinator', regionId: 'fujisato' },
      reason: 'hand-over done',
    });
    await expect(reader.getMember(as(operator), memberId)).resolves.toMatchObject({ roles: [{ kind: 'member' }] });
    await reader.forgetMember(as(operator), { memberId: memberId, reason: 'left' });
    await expect(reader.getMember(as(operator), memberId)).resolves.toMatchObject({ status: 'forgotten' });
  });

  it('reads an account another pod registered a moment ago, though its last pass is older', async () => {
    const lazy = await pod(60_000);
    const other = await pod(60_000);
    const operator: Caller = (await lazy.login('aya@polaris.example', PASSWORD)).caller;
    await lazy.listMembers(as(operator), 'fujisato'); // a pass: the bound now holds for a minute
    const { memberId } = await other.registerMember(as(operator), memberInput());
    await expect(lazy.getMember(as(operator), memberId)).resolves.toMatchObject({ memberId, status: 'active' });
  });
});

describe('the directory', () => {
  let store: EventStore;
  beforeAll(async () => {
    store = await openEventStore('embedded:memory');
  });
  let projectionCount = 0;
  /** A projection store of its own for a directory made by hand (the pods share identity's). */
  const ownProjections = () => (store as SqlEventStore).projectionStore(`directory_${++projectionCount}`);
  afterAll(async () => {
    await store.close();
  });

  const registered = (memberId: string) => ({
    type: 'MemberRegistered',
    data: {
      memberId,
      regionId: 'chofu',
      townId: 'chofu/sengawa',
      prefecture: 'tokyo',
      contractType: 'employee',
      skills: [],
      availability: [],
      timeZone: 'Asia/Tokyo',
      emailDigest: 'e'.repeat(64),
      personalData: 'v1.a.b.c',
      registeredBy: 'op',
    },
  });

  it('shares one pass over the log between the reads that wait at the same time', async () => {
    let reads = 0;
    const counting = {
      readAll: (...args: Parameters<EventStore['readAll']>) => {
        reads++;
        return store.readAll(...args);
      },
      readStream: (...args: Parameters<EventStore['readStream']>) => store.readStream(...args),
      headPosition: () => store.headPosition(),
    };
    const directory = new IdentityDirectory(counting, await ownProjections(), { maxStalenessMs: 0 });
    await Promise.all(Array.from({ length: 20 }, () => directory.ensureFresh()));
    // The first read starts a pass; the 19 others, arriving while it runs, share the next one.
    expect(reads).toBe(2);
  });

  it('refreshes ahead once half the bound has gone by, and lets a late read wait for a pass begun within the bound', async () => {
    // A clock the test moves, and reads of the log that finish only when the test lets them.
    let clock = 0;
    let reads = 0;
    const gates: Array<() => void> = [];
    const gated = {
      readAll: async (...args: Parameters<EventStore['readAll']>) => {
        reads++;
        await new Promise<void>((open) => gates.push(open));
        return store.readAll(...args);
      },
      readStream: (...args: Parameters<EventStore['readStream']>) => store.readStream(...args),
      headPosition: () => store.headPosition(),
    };
    const openNext = async () => {
      while (gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
      gates.shift()!();
    };
    const settled = (promise: Promise<void>) => {
      let done = false;
      void promise.then(() => (done = true));
      return new Promise<boolean>((resolve) => setImmediate(() => resolve(done)));
    };
    const directory = new IdentityDirectory(gated, await ownProjections(), { maxStalenessMs: 200, now: () => clock });

    // the first pass, waited for
    const first = directory.ensureFresh();
    await openNext();
    await first;
    expect(reads).toBe(1);
    // fresh: no pass
    await directory.ensureFresh();
    expect(reads).toBe(1);
    // past half the bound: answered at once, while a pass starts behind it
    clock = 130;
    expect(await settled(directory.ensureFresh())).toBe(true);
    expect(reads).toBe(2);
    await openNext();

    // too old: a new pass; a second read, also too old, waits for that pass (begun within the bound)
    const late = new IdentityDirectory(gated, await ownProjections(), { maxStalenessMs: 200, now: () => clock });
    const warm = late.ensureFresh();
    await openNext();
    await warm;
    clock += 250;
    const tooOld = late.ensureFresh();
    clock += 10;
    const alsoTooOld = late.ensureFresh();
    expect(await settled(alsoTooOld)).toBe(false);
    await openNext();
    await Promise.all([tooOld, alsoTooOld]);
    expect(reads).toBe(4);
  });

  it('skips what it has seen, and reloads a stream whose next event it missed', async () => {
    const id = '01900000-0000-7000-8000-00000000d001';
    const stream = `member-${id}`;
    const directory = new IdentityDirectory(store, await ownProjections(), { maxStalenessMs: 60_000 });
    const first = await store.append(stream, [registered(id)]);
    await directory.observe(first.events);
    await directory.observe(first.events);
    expect((await directory.account(stream))?.version).toBe(0);
    await store.append(stream, [
      { type: 'RoleGranted', data: { accountId: id, role: { kind: 'accountant' }, grantedBy: 'op', reason: 'x' } },
    ]);
    const third = await store.append(stream, [
      { type: 'RoleGranted', data: { accountId: id, role: { kind: 'operator' }, grantedBy: 'op', reason: 'y' } },
    ]);
    await directory.observe(third.events); // version 2 while it knows 0: a gap, so the stream is read again
    const entry = await directory.account(stream);
    expect(entry?.version).toBe(2);
    expect(entry?.state).toMatchObject({ roles: [{ kind: 'member' }, { kind: 'accountant' }, { kind: 'operator' }] });
    expect(entry?.registeredAt).toEqual(first.events[0]!.occurredAt);
    expect(directory.membersOf('chofu').map((m) => m.id)).toEqual([id]);
  });
});
