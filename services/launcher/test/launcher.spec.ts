/**
 * The README's start command, end to end: the built launcher starts the platform on an
 * embedded store in a fresh folder, seeds the demo cooperative and its past month and prints its
 * credentials and the call that closes the month; a demo member signs in over gRPC and reads
 * her own record; after a restart the data is still there and nothing is seeded again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@workshare/grpc';
import { identityV1 } from '@workshare/proto';

const root = join(__dirname, '..', '..', '..');
const entry = join(root, 'services', 'launcher', 'dist', 'src', 'main.js');

interface Started {
  child: ChildProcess;
  output: () => string;
  port: number;
}

const start = (dataDir: string): Promise<Started> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', '@workshare/telemetry/register', entry], {
      cwd: root,
      env: {
        ...process.env,
        EVENTSTORE_URL: `embedded:${dataDir}`,
        NATS_URL: '',
        IDENTITY_PORT: '0',
        JOB_INTAKE_PORT: '0',
        TASK_DECOMPOSITION_PORT: '0',
        GATEWAY_PORT: '0',
        TEAM_SCHEDULING_PORT: '0',
        TIME_TRACKING_PORT: '0',
        SETTLEMENT_PORT: '0',
        AUDIT_PORT: '0',
        METRICS_PORT: '0',
        LOG_LEVEL: 'warn',
        WORKSHARE_DEMO_PASSWORD: 'test-demo-password',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`launcher not ready in time:\n${out}`)), 200_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const port = /identity\s+gRPC 127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      if (port && out.includes('Ctrl-C stops it.')) {
        clearTimeout(timer);
        resolve({ child, output: () => out, port: Number(port) });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`launcher exited with ${code}:\n${out}`));
    });
  });

const stop = (started: Started): Promise<number | null> =>
  new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.once('exit', (code) => resolve(code));
    started.child.kill('SIGTERM');
  });

describe('npm start: the platform in one process', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'workshare-launcher-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts, seeds the demo once, prints the credentials, keeps its data across a restart', async () => {
    const first = await start(dataDir);
    try {
      expect(first.output()).toContain('Demo cooperative of Fujisato (藤里町) seeded');
      expect(first.output()).toContain('password for every demo account: test-demo-password');
      // The past month, recorded once, with the one call that closes it.
      expect(first.output()).toMatch(/The demo's past month, \d{4}-\d{2} in Fujisato, recorded at its own times/);
      expect(first.output()).toMatch(
        /curl -s -X POST http:\/\/127\.0\.0\.1:\d+\/v1\/regions\/fujisato\/settlements\/\d{4}-\d{2}\/close/,
      );
      expect(first.output()).toMatch(/^\s+time-tracking\s+gRPC 127\.0\.0\.1:\d+$/m);
      expect(first.output()).toMatch(/^\s+settlement\s+gRPC 127\.0\.0\.1:\d+$/m);
      expect(first.output()).toMatch(/^\s+audit\s+gRPC 127\.0\.0\.1:\d+$/m);
      // The audit's seal key, generated once in the data folder (0600), the seal log next to it; the page and the CLI printed.
      expect(first.output()).toContain(
        `seals               key ${join(dataDir, 'seal-key.pem')} (generated now, 0600)`,
      );
      expect(statSync(join(dataDir, 'seal-key.pem')).mode & 0o777).toBe(0o600);
      expect(first.output()).toMatch(/audit page +http:\/\/127\.0\.0\.1:\d+\/audit/);
      expect(first.output()).toMatch(/npx workshare audit reconcile fujisato \d{4}-\d{2}/);
      expect(first.output()).toMatch(/The demo's closed month, \d{4}-\d{2} in Fujisato, closed /);
      const email = /^\s+(\S+@fujisato\.example)\s+member, coordinator of fujisato$/m.exec(first.output())?.[1];
      expect(email).toBeDefined();

      const anonymous = createClient(identityV1.IdentityServiceClient, `127.0.0.1:${first.port}`);
      const login = await anonymous.login({ email: email!, password: 'test-demo-password' });
      anonymous.close();
      expect(login.accessToken.split('.')).toHaveLength(3);
      const signedIn = createClient(identityV1.IdentityServiceClient, `127.0.0.1:${first.port}`, {
        token: login.accessToken,
      });
      const { member } = await signedIn.getMember({ memberId: login.caller!.subject });
      signedIn.close();
      expect(member).toMatchObject({
        region: 'fujisato',
        personalDataStatus: identityV1.PersonalDataStatus.PERSONAL_DATA_STATUS_INCLUDED,
      });
    } finally {
      expect(await stop(first)).toBe(0);
    }

    const second = await start(dataDir);
    try {
      expect(second.output()).toContain('seeded before');
      expect(second.output()).toContain(`seals               key ${join(dataDir, 'seal-key.pem')}, log`);
      expect(second.output()).not.toContain("The demo's past month");
      expect(second.output()).not.toContain('Demo jobs:');
      const client = createClient(identityV1.IdentityServiceClient, `127.0.0.1:${second.port}`);
      const email = /^\s+(\S+@fujisato\.example)\s+member, coordinator of fujisato$/m.exec(second.output())?.[1];
      await expect(client.login({ email: email!, password: 'test-demo-password' })).resolves.toMatchObject({
        accessToken: expect.any(String),
      });
      client.close();
    } finally {
      expect(await stop(second)).toBe(0);
    }
  }, 420_000);
});
