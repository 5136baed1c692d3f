/**
 * Identity GetMember benchmark: unary round trips over loopback to the real identity gRPC
 * server (startIdentityGrpc: token verification with the service's own EdDSA key, the caller's
 * account and roles as of now, the member's state, her data key, AES-256-GCM decryption of her
 * personal data, mapping to proto) against the same call on an empty grpc-js handler answering
 * the very same GetMemberResponse with a bare client, measured in the same run, interleaved.
 *
 *   npm run build && npm run bench     (from services/identity)
 *
 * The store is the embedded one (PGlite) in a temporary folder, with its SQL key vault, as the
 * one-command launcher runs it. The caller is Fujisato's coordinator reading a member of her
 * region (name, address and email decrypted on every call).
 *
 * BENCH_SECONDS (5: measured time per side, split over the rounds), BENCH_WARMUP_SECONDS (1),
 * BENCH_GRPC_CONCURRENCY (32 calls in flight). No OpenTelemetry SDK is installed here: spans
 * are the API's no-ops. A missed target is reported (met: false), not failed.
 *
 * Then revocation across processes (bench/revocation.ts: PostgreSQL and NATS, identity its own
 * process): RevokeRole → the first refused call at another service, against the bus alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compareToBaseline, positiveSetting, recordResults, type BenchResult } from '@workshare/bench';
import { compareUnary, createClient, jsonLogger, startEmptyHandlerBaseline } from '@workshare/grpc';
import { commonV1, identityV1 } from '@workshare/proto';
import { startIdentityGrpc } from '../src/adapters/grpc/identity-grpc.js';
import { openIdentityService } from '../src/open-identity.js';
import { benchRevocation } from './revocation.js';

const ROUNDS = 8;
const measureMs = positiveSetting('BENCH_SECONDS', 5) * 1000;
const warmupMs = positiveSetting('BENCH_WARMUP_SECONDS', 1) * 1000;
const concurrency = Math.round(positiveSetting('BENCH_GRPC_CONCURRENCY', 32));
const PASSWORD = 'bench password, long enough';

const main = async (): Promise<void> => {
  const started = performance.now();
  const results: BenchResult[] = [];
  console.log(
    `identity bench: GetMember round trips, ${concurrency} in flight, ${measureMs / 1000} s per side over ${ROUNDS} interleaved rounds`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'identity-bench-'));
  const runtime = await openIdentityService({ env: {}, storeUrl: `embedded:${dataDir}` });
  try {
    const { service } = runtime;
    await service.bootstrapOperator({ name: '北村 彩', email: 'aya.kitamura@polaris.example', password: PASSWORD });
    const operator = { actor: (await service.login('aya.kitamura@polaris.example', PASSWORD)).actor };
    const member = (email: string, name: string, town: string) =>
      service.registerMember(operator, {
        name,
        address: `秋田県山本郡藤里町${town === 'fujikoto' ? '藤琴' : '粕毛'} ベンチ番地1`,
        email,
        password: PASSWORD,
        bankAccount: {
          bankCode: '9999',
          branchCode: '001',
          type: 'ordinary',
          number: '1234567',
          holder: 'フジワラ ヨウコ',
        },
        townId: `fujisato/${town}`,
        contractType: 'contractor',
        skills: ['transcription', 'data entry', 'proofreading'],
        availability: [
          { day: 'tue', start: '13:00', end: '13:40' },
          { day: 'tue', start: '21:00', end: '22:00' },
          { day: 'thu', start: '10:00', end: '11:30' },
        ],
      });
    const { memberId: coordinatorId } = await member('yoko.fujiwara@fujisato.example', '藤原 陽子', 'fujikoto');
    await service.grantRole(operator, {
      accountId: coordinatorId,
      role: { kind: 'coordinator', regionId: 'fujisato' },
      reason: 'runs Fujisato',
    });
    const { memberId } = await member('misaki.kudo@fujisato.example', '工藤 美咲', 'kasuge');
    const { token } = await service.login('yoko.fujiwara@fujisato.example', PASSWORD);

    const server = await startIdentityGrpc({ service, port: 0, host: '127.0.0.1', logger: jsonLogger('error') });
    const client = createClient(identityV1.IdentityServiceClient, server.address, { token });
    const request: identityV1.GetMemberRequest = { memberId };
    const response = await client.getMember(request);
    if (
      response.member?.personalDataStatus !== identityV1.PersonalDataStatus.PERSONAL_DATA_STATUS_INCLUDED ||
      response.member.personalData?.name !== '工藤 美咲'
    ) {
      throw new Error('GetMember did not answer the member with her personal data');
    }
    if (response.member.availability[0]?.dayOfWeek !== commonV1.DayOfWeek.DAY_OF_WEEK_TUESDAY)
      throw new Error('GetMember answered the wrong windows');
    const baseline = await startEmptyHandlerBaseline(identityV1.IdentityServiceService, 'getMember', response);
    // Both answer the same bytes: a check, not a measurement.
    if (JSON.stringify(await baseline.call(request)) !== JSON.stringify(response))
      throw new Error('the baseline and the service answer differently');

    const {
      baseline: e,
      subject: h,
      describe: fmt,
    } = await compareUnary(
      () => baseline.call(request),
      () => client.getMember(request),
      { rounds: ROUNDS, concurrency, durationMs: measureMs, warmupMs },
    );
    client.close();
    baseline.close();
    await server.shutdown(1_000);

    console.log(`empty grpc-js handler: ${fmt(e)}`);
    console.log(`identity GetMember:    ${fmt(h)}`);

    results.push(
      compareToBaseline({
        name: `identity: GetMember unary round trip (real token, roles loaded, personal data decrypted), ${concurrency} in flight`,
        value: h.operationsPerSecond,
        unit: 'calls/s',
        baseline: `empty grpc-js handler and bare client, same GetMemberResponse, ${concurrency} in flight`,
        baselineValue: e.operationsPerSecond,
        minRatio: 0.7,
      }),
    );
  } finally {
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  results.push(...(await benchRevocation()));
  recordResults(results);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
};

main().catch((error: unknown) => {
  console.error('identity bench failed:', error);
  process.exitCode = 1;
});
