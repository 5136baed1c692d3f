/**
 * Revocation latency across processes: identity as its own process (its built `dist/src/main.js`)
 * on PostgreSQL, the relay publishing the store's log to NATS JetStream (in this process, on a
 * connection of its own, as the relay service does), and "another service" here too on a NATS
 * connection of its own: an IdentityTokenVerifierClient (its production cache: answers kept 30 s)
 * with service-host's listener of access revocations. Each round signs a coordinator in, has the
 * other service verify her token (remembered from then on), revokes her coordinator role over
 * gRPC, and calls the other service's verifier every millisecond until it no longer grants the
 * role: the latency is from the RevokeRole call (its append included) to that first refused call.
 * The baseline, in the same rounds: from the same instant to the listener being handed the
 * RoleRevoked event (the relay and the bus alone, no eviction and no VerifyToken round trip).
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test: a database of its own is made and
 * dropped), NATS_URL (default nats://127.0.0.1:4222: a stream of its own, deleted after),
 * BENCH_REVOCATIONS (100 rounds).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { below, positiveWholeSetting, summarizeLatencies, type BenchResult } from '@workshare/bench';
import { deleteStreams, NatsEventBus } from '@workshare/bus';
import { createPostgresDatabase, dropPostgresDatabase, openEventStore } from '@workshare/eventstore';
import { checkHealth, createClient, IdentityTokenVerifierClient, type Caller } from '@workshare/grpc';
import { identityV1 } from '@workshare/proto';
import { freePort, listenForAccessRevocations, spawnServiceProcess, waitForService } from '@workshare/service-host';
import { createLogger } from '@workshare/telemetry';
import { openIdentityService } from '../src/open-identity.js';

const PASSWORD = 'bench password, long enough';
const TARGET_MS = 1_000;
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

const coordinates = (caller: Caller): boolean => caller.roles.some((r) => r.role === 'coordinator');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const benchRevocation = async (): Promise<BenchResult[]> => {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const rounds = positiveWholeSetting('BENCH_REVOCATIONS', 100);
  const id = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const database = `identity_bench_revocation_${id}`;
  const stream = `BENCH_REVOCATION_${id}`;
  const prefix = `benchrevocation_${id}`;
  const masterKey = randomBytes(32).toString('base64');
  const log = createLogger('bench', { level: 'silent' });
  console.log(`identity bench: revocation across processes, ${rounds} rounds (PostgreSQL, NATS at ${natsUrl})`);

  const storeUrl = await createPostgresDatabase(databaseUrl, database);
  const cleanups: (() => Promise<unknown>)[] = [
    () => dropPostgresDatabase(databaseUrl, database),
    () => deleteStreams(natsUrl, [stream, `KV_${stream}_ledger`]),
  ];
  try {
    const bootstrap = await openIdentityService({ env: { IDENTITY_MASTER_KEY: masterKey }, storeUrl });
    await bootstrap.service.bootstrapOperator({
      name: '北村 彩',
      email: 'aya.kitamura@polaris.example',
      password: PASSWORD,
    });
    await bootstrap.close();

    const port = await freePort();
    const identityAddress = `127.0.0.1:${port}`;
    const child = spawnServiceProcess(packageRoot, {
      EVENTSTORE_URL: storeUrl,
      NATS_URL: natsUrl,
      NATS_STREAM: stream,
      NATS_SUBJECT_PREFIX: prefix,
      IDENTITY_MASTER_KEY: masterKey,
      GRPC_PORT: String(port),
      LOG_LEVEL: 'warn',
    });
    cleanups.unshift(async () => {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill('SIGTERM');
        await child.exited;
      }
    });
    await waitForService(
      'identity serving',
      async () => (await checkHealth(identityAddress, 'workshare.identity.v1.IdentityService')) === 'SERVING',
      child,
    );

    const store = await openEventStore(storeUrl, { maxConnections: 2 });
    const relayBus = NatsEventBus.start({ url: natsUrl, stream, subjectPrefix: prefix, log });
    relayBus.startRelay({ store });
    const otherBus = NatsEventBus.start({ url: natsUrl, stream, subjectPrefix: prefix, log });
    const verifier = new IdentityTokenVerifierClient({ identityAddress });
    /** When the listener was handed a revocation of each account. */
    const heardAt = new Map<string, number>();
    const listener = listenForAccessRevocations({
      bus: otherBus,
      listeners: [verifier],
      logger: log,
      onRevocation: (revocation) => {
        for (const subject of revocation.subjects ?? []) heardAt.set(subject, performance.now());
      },
    });
    const client = createClient(identityV1.IdentityServiceClient, identityAddress, { deadlineMs: 10_000 });
    cleanups.unshift(async () => {
      client.close();
      verifier.close();
      await listener.stop();
      await otherBus.close();
      await relayBus.close();
      await store.close();
    });
    await listener.ready;

    const operator = (await client.login({ email: 'aya.kitamura@polaris.example', password: PASSWORD })).accessToken;
    const email = `bench.${randomUUID().slice(0, 8)}@fujisato.example`;
    const { memberId } = await client.registerMember(
      {
        requestId: randomUUID(),
        region: 'fujisato',
        town: 'fujikoto',
        officePrefecture: '',
        contractType: identityV1.ContractType.CONTRACT_TYPE_CONTRACTOR,
        skills: ['coordination'],
        availability: [],
        personalData: {
          name: '藤原 陽子',
          address: '秋田県山本郡藤里町藤琴 ベンチ番地1',
          email,
          bankAccount: {
            bankCode: '9999',
            branchCode: '001',
            accountType: identityV1.BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY,
            accountNumber: '1234567',
            holderNameKana: 'フジワラ ヨウコ',
          },
        },
        password: PASSWORD,
      },
      { token: operator },
    );
    const role = { kind: identityV1.RoleKind.ROLE_KIND_COORDINATOR, region: 'fujisato', businessId: '' };
    const roleChange = { userId: memberId, role, reason: 'bench' };

    const refused: number[] = [];
    const heard: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await client.grantRole({ ...roleChange, requestId: randomUUID() }, { token: operator });
      const { accessToken } = await client.login({ email, password: PASSWORD });
      if (!coordinates(await verifier.verify(accessToken))) throw new Error('the other service does not see the role');
      if (!coordinates(await verifier.verify(accessToken))) throw new Error('the remembered answer lost the role');
      heardAt.delete(memberId);
      const revokedAt = performance.now();
      await client.revokeRole({ ...roleChange, requestId: randomUUID() }, { token: operator });
      for (;;) {
        if (!coordinates(await verifier.verify(accessToken))) break;
        if (performance.now() - revokedAt > 30_000) throw new Error('the revoked role was still honoured after 30 s');
        await sleep(1);
      }
      refused.push(performance.now() - revokedAt);
      while (!heardAt.has(memberId)) await sleep(1);
      heard.push(heardAt.get(memberId)! - revokedAt);
      await sleep(10);
    }

    const latency = summarizeLatencies(refused);
    const bus = summarizeLatencies(heard);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    console.log(
      `revocation → refused at another service: p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}, max ${ms(latency.max)}`,
    );
    console.log(`revocation → heard on the bus (baseline): p50 ${ms(bus.p50)}, p99 ${ms(bus.p99)}, max ${ms(bus.max)}`);
    return [
      below({
        name: 'identity: revocation latency p99, RevokeRole (append included) → first refused call at another service (identity its own process, PostgreSQL, NATS; separate connections)',
        value: latency.p99,
        unit: 'ms',
        baseline: `RevokeRole → RoleRevoked handed to that service’s bus listener, p99, the same ${rounds} rounds`,
        baselineValue: bus.p99,
        max: TARGET_MS,
      }),
      below({
        name: 'identity: revocation latency p50, RevokeRole (append included) → first refused call at another service',
        value: latency.p50,
        unit: 'ms',
        baseline: `RevokeRole → RoleRevoked handed to that service’s bus listener, p50, the same ${rounds} rounds`,
        baselineValue: bus.p50,
        max: TARGET_MS,
      }),
    ];
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error('cleanup failed:', error));
  }
};
