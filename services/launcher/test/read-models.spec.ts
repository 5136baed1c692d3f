/**
 * `workshare read-models`: lists every durable read model's checkpoint and rebuilds one, or
 * all, from zero with progress, over the store the services use; the rebuilt state is what the
 * service then serves from.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore } from '@workshare/eventstore';
import { actorOfSubject, DEMO_COORDINATOR_EMAIL, InMemoryKeyVault, openIdentityService } from '@workshare/identity';
import { seedDemoOnce } from '../src/demo-seed.js';
import { DEFINITIONS } from '../src/plan.js';
import { runReadModelsCli } from '../src/read-models.js';

const dir = mkdtempSync(join(tmpdir(), 'workshare-read-models-'));
const storeUrl = `embedded:${dir}`;
const master = randomBytes(32).toString('base64');
const keyVault = new InMemoryKeyVault();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const out: string[] = [];
  const progress: Array<{ line: string; done: boolean }> = [];
  const code = await runReadModelsCli(args, {
    env: { EVENTSTORE_URL: storeUrl },
    out: (line) => out.push(line),
    progress: (line, done) => progress.push({ line, done }),
  });
  return { code, out, progress };
};

const openIdentity = async () => {
  const store = await openEventStore(storeUrl);
  const runtime = await openIdentityService({
    env: { IDENTITY_MASTER_KEY: master },
    storeUrl,
    store,
    keyVault,
    scryptCost: { N: 1024, r: 8, p: 1 },
  });
  return { store, runtime };
};

describe('workshare read-models', () => {
  beforeAll(async () => {
    const { store, runtime } = await openIdentity();
    await seedDemoOnce(store, runtime.service, { password: 'demo-password-for-tests' });
    await runtime.close();
    await store.close();
  });

  it('lists each read model with its checkpoint, and says which never ran', async () => {
    const { code, out } = await run('list');
    expect(code).toBe(0);
    expect(out.find((l) => l.startsWith('identity/directory'))).toMatch(
      /checkpoint \d+\/\d+ {2}generation 1 {2}code v1/,
    );
    expect(out.find((l) => l.startsWith('job-intake/job-board'))).toMatch(/never run/);
    expect(out.find((l) => l.startsWith('team-scheduling/roster'))).toBeDefined();
    for (const name of [
      'time-tracking/task-holdings',
      'time-tracking/member-regions',
      'time-tracking/timesheets',
      'settlement/jobs',
      'settlement/timesheets',
      'settlement/members',
      'settlement/closes',
    ])
      expect(out.find((l) => l.startsWith(name))).toMatch(/never run/);
  });

  it('rebuilds one read model from zero with a progress bar, and the service serves the rebuilt state', async () => {
    const { code, out, progress } = await run('rebuild', 'identity/directory');
    expect(code).toBe(0);
    expect(progress.at(-1)).toMatchObject({ done: true });
    expect(progress.at(-1)?.line).toMatch(/identity\/directory +\[#{30}\] 100%/);
    expect(out.at(-1)).toMatch(
      /^identity\/directory: rebuilt from \d+ events in [\d.]+ s: \d+ accounts, \d+ businesses; generation 2/,
    );
    const accounts = Number(/(\d+) accounts/.exec(out.at(-1)!)?.[1]);
    expect(accounts).toBeGreaterThanOrEqual(17);

    const again = await run('rebuild', 'identity');
    expect(again.code).toBe(0);
    expect(again.out.at(-1)).toContain(`${accounts} accounts`);
    expect(again.out.at(-1)).toContain('generation 3');

    const { store, runtime } = await openIdentity();
    try {
      // The coordinator signs in and lists her region's members from the rebuilt directory.
      const { caller } = await runtime.service.login(DEMO_COORDINATOR_EMAIL, 'demo-password-for-tests');
      const members = await runtime.service.listMembers({ actor: actorOfSubject(caller) }, 'fujisato');
      expect(members.length).toBeGreaterThanOrEqual(10);
      const listed = await run('list');
      expect(listed.out.find((l) => l.startsWith('identity/directory'))).toContain('generation 3');
    } finally {
      await runtime.close();
      await store.close();
    }
  });

  it('rebuilds every read model with --all', async () => {
    const { code, out } = await run('rebuild', '--all');
    expect(code).toBe(0);
    expect(out.map((l) => l.split(':')[0])).toEqual([
      'identity/directory',
      'job-intake/job-board',
      'team-scheduling/roster',
      'time-tracking/task-holdings',
      'time-tracking/member-regions',
      'time-tracking/timesheets',
      'settlement/jobs',
      'settlement/timesheets',
      'settlement/members',
      'settlement/closes',
      ...DEFINITIONS.find((d) => d.name === 'audit')!.readModels.map((name) => `audit/${name}`),
    ]);
    // Time tracking and settlement know the demo's members from identity's published events.
    expect(out.find((l) => l.startsWith('time-tracking/member-regions'))).toMatch(/rebuilt from \d+ events/);
    expect(out.find((l) => l.startsWith('settlement/members'))).toMatch(/rebuilt from \d+ events/);
    const listed = await run('list');
    expect(listed.out.find((l) => l.startsWith('settlement/members'))).toMatch(/checkpoint \d+\/\d+ {2}generation/);
  });

  it('refuses what it cannot do, with the usage or the names it knows', async () => {
    expect(await run('rebuild')).toMatchObject({ code: 2, out: [expect.stringContaining('usage:')] });
    expect(await run('rebuild', 'gateway')).toMatchObject({
      code: 2,
      out: [
        expect.stringContaining(
          'no service "gateway" keeps read models: identity, job-intake, team-scheduling, time-tracking, settlement',
        ),
      ],
    });
    expect(await run('rebuild', 'identity/roster')).toMatchObject({
      code: 2,
      out: [expect.stringContaining('identity has no read model "roster": directory')],
    });
    expect(await run('frobnicate')).toMatchObject({ code: 2 });
    const memory = await runReadModelsCli(['list'], {
      env: { EVENTSTORE_URL: 'embedded:memory' },
      out: () => undefined,
      progress: () => undefined,
    });
    expect(memory).toBe(2);
  });
});
