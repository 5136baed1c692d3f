/**
 * The built service as its own process, as a pod runs it
 * (`node --import @workshare/telemetry/register dist/src/main.js`): on a free port, over an
 * embedded store in a temporary folder. It must answer health SERVING, serve a whole flow over
 * real gRPC, log ids and never personal data, and end with exit code 0 on SIGTERM.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createClient } from '@workshare/grpc';
import { commonV1, identityV1 } from '@workshare/proto';
import { openIdentityService } from '../src/open-identity.js';
import { healthCheck } from './grpc/wire.js';

const packageRoot = path.resolve(__dirname, '..');
const PASSWORD = 'correct horse battery staple';

const run = (command: string, args: string[], cwd: string): Promise<void> =>
  new Promise((resolve, reject) =>
    execFile(command, args, { cwd }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(),
    ),
  );

const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
};

interface Child {
  readonly process: ChildProcess;
  readonly lines: string[];
  readonly stderr: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const startService = (env: Record<string, string>): Child => {
  // Not jest's NODE_OPTIONS (vm modules), not an OTLP endpoint or metrics port of this machine.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('OTEL_') &&
        ![
          'NODE_OPTIONS',
          'METRICS_PORT',
          'EVENTSTORE_URL',
          'IDENTITY_MASTER_KEY',
          'IDENTITY_SIGNING_KEY',
          'GRPC_PORT',
          'NATS_URL',
        ].includes(key),
    ),
  );
  const child = spawn(process.execPath, ['--import', '@workshare/telemetry/register', 'dist/src/main.js'], {
    cwd: packageRoot,
    env: { ...inherited, LOG_LEVEL: 'info', METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => lines.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { process: child, lines, stderr, exited };
};

const waitFor = async (
  what: string,
  check: () => Promise<boolean>,
  child: Child,
  timeoutMs = 60_000,
): Promise<void> => {
  const until = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  while (Date.now() < until) {
    if (exited)
      throw new Error(`the service exited before ${what}\n${child.lines.join('\n')}\n${child.stderr.join('')}`);
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}\n${child.lines.join('\n')}\n${child.stderr.join('')}`);
};

describe('services/identity/dist/src/main.js, the service as its own process', () => {
  let dataDir: string;

  beforeAll(async () => {
    // The test runs what a pod runs: the build of this package (its libraries are built by `^build`).
    await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], packageRoot);
    dataDir = mkdtempSync(path.join(tmpdir(), 'identity-main-'));
    // The installation's first operator, made beforehand as an operator would (there is no RPC for it).
    const runtime = await openIdentityService({
      env: {},
      storeUrl: `embedded:${dataDir}`,
      scryptCost: { N: 1024, r: 8, p: 1 },
    });
    await runtime.service.bootstrapOperator({
      name: '北村 彩',
      email: 'aya.kitamura@polaris.example',
      password: PASSWORD,
    });
    await runtime.close();
  }, 180_000);
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves health, ListRegions and register → login → GetMember over gRPC, then drains and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const child = startService({ EVENTSTORE_URL: `embedded:${dataDir}`, GRPC_PORT: String(port) });
    let memberId = '';
    try {
      await waitFor(
        'health SERVING',
        async () => (await healthCheck(address, 'workshare.identity.v1.IdentityService')) === 'SERVING',
        child,
      );
      expect(await healthCheck(address)).toBe('SERVING');
      const listening = child.lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'identity gRPC listening');
      expect(listening).toMatchObject({ host: '127.0.0.1', port, store: 'embedded', level: 'info' });

      const client = createClient(identityV1.IdentityServiceClient, address, { deadlineMs: 20_000 });
      try {
        const { regions } = await client.listRegions({});
        expect(regions.map((r) => r.region)).toEqual(['fujisato', 'setagaya', 'chofu']);

        const operator = (await client.login({ email: 'aya.kitamura@polaris.example', password: PASSWORD }))
          .accessToken;
        const personalData: identityV1.PersonalData = {
          name: '工藤 美咲',
          address: '秋田県山本郡藤里町粕毛 テスト番地2',
          email: 'misaki.kudo@fujisato.example',
          bankAccount: {
            bankCode: '9999',
            branchCode: '002',
            accountType: identityV1.BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY,
            accountNumber: '7654321',
            holderNameKana: 'クドウ ミサキ',
          },
        };
        ({ memberId } = await client.registerMember(
          {
            requestId: randomUUID(),
            region: 'fujisato',
            town: 'kasuge',
            officePrefecture: '',
            contractType: identityV1.ContractType.CONTRACT_TYPE_EMPLOYEE,
            skills: ['data entry'],
            availability: [{ dayOfWeek: commonV1.DayOfWeek.DAY_OF_WEEK_TUESDAY, start: '13:00', end: '13:40' }],
            personalData,
            password: PASSWORD,
          },
          { token: operator },
        ));
        const login = await client.login({ email: personalData.email, password: PASSWORD });
        expect(login.caller).toEqual({ subject: memberId, roles: [{ kind: identityV1.RoleKind.ROLE_KIND_MEMBER }] });
        const { member } = await client.getMember({ memberId }, { token: login.accessToken });
        expect(member).toMatchObject({
          memberId,
          region: 'fujisato',
          town: 'kasuge',
          officePrefecture: 'JP-05',
          contractType: identityV1.ContractType.CONTRACT_TYPE_EMPLOYEE,
          status: identityV1.MemberStatus.MEMBER_STATUS_ACTIVE,
          personalDataStatus: identityV1.PersonalDataStatus.PERSONAL_DATA_STATUS_INCLUDED,
          personalData,
        });

        child.process.kill('SIGTERM');
        await expect(child.exited).resolves.toEqual({ code: 0, signal: null });
      } finally {
        client.close();
      }
      const messages = child.lines.map((l) => (JSON.parse(l) as { msg?: string }).msg);
      expect(messages).toEqual(
        expect.arrayContaining([
          'identity gRPC listening',
          'member registered',
          'identity stopping: draining calls in flight',
          'identity stopped',
        ]),
      );
      const logs = child.lines.join('\n') + child.stderr.join('');
      for (const secret of ['工藤', '美咲', 'misaki.kudo', '7654321', 'クドウ', PASSWORD])
        expect(logs).not.toContain(secret);
      expect(logs).toContain(memberId);
    } finally {
      if (child.process.exitCode === null) child.process.kill('SIGKILL');
    }
  }, 120_000);

  it('refuses bad configuration with a clear message and exit code 1, before it opens anything', async () => {
    const child = startService({
      EVENTSTORE_URL: `embedded:${dataDir}`,
      GRPC_PORT: 'fifty',
      IDENTITY_MASTER_KEY: 'too-short',
      LOG_LEVEL: 'chatty',
    });
    await expect(child.exited).resolves.toEqual({ code: 1, signal: null });
    const stderr = child.stderr.join('');
    expect(stderr).toContain('identity could not start');
    expect(stderr).toContain('GRPC_PORT must be a port');
    expect(stderr).toContain('IDENTITY_MASTER_KEY must be the base64 encoding of exactly 32 bytes');
    expect(stderr).toContain('LOG_LEVEL must be one of');
  }, 60_000);
});
