/**
 * gRPC host benchmark: unary GetMember round trips over loopback through the full host stack
 * (createClient: deadline, bearer token, retry wrapper, telemetry interceptor; startGrpcServer:
 * token verification, server span, async handler, error mapping) against the same call on an
 * empty grpc-js handler with a bare grpc-js client, measured in the same run, interleaved.
 * Both answer the same GetMemberResponse (a member with personal data).
 *
 *   npm run build && npm run bench     (from libs/grpc)
 *
 * BENCH_SECONDS (5: measured time per side, split over the rounds), BENCH_WARMUP_SECONDS (1),
 * BENCH_GRPC_CONCURRENCY (32 calls in flight). The verifier is an in-memory lookup, so the
 * figure is the host's own cost; identity's GetMember bench adds real JWT verification and
 * the store. No OpenTelemetry SDK is installed here: spans are the API's no-ops.
 * A missed target is reported (met: false), not failed.
 */
import { performance } from 'node:perf_hooks';
import { compareToBaseline, positiveSetting, recordResults } from '@workshare/bench';
import { identityV1 } from '@workshare/proto';
import {
  compareUnary,
  createClient,
  jsonLogger,
  startEmptyHandlerBaseline,
  startGrpcServer,
  unauthenticated,
  type Caller,
} from '../src/index.js';

const ROUNDS = 4;
const measureMs = positiveSetting('BENCH_SECONDS', 5) * 1000;
const warmupMs = positiveSetting('BENCH_WARMUP_SECONDS', 1) * 1000;
const concurrency = Math.round(positiveSetting('BENCH_GRPC_CONCURRENCY', 32));

const request: identityV1.GetMemberRequest = { memberId: '0196a1d2-7c3e-7b4a-9f00-3c1d2e4f5a6b' };
const response: identityV1.GetMemberResponse = {
  member: identityV1.Member.fromPartial({
    memberId: request.memberId,
    region: 'fujisato',
    town: 'fujikoto',
    officePrefecture: 'JP-05',
    contractType: identityV1.ContractType.CONTRACT_TYPE_CONTRACTOR,
    skills: ['transcription', 'data-entry', 'proofreading'],
    availability: [
      { dayOfWeek: 2, start: '13:00', end: '13:40' },
      { dayOfWeek: 2, start: '21:00', end: '22:00' },
      { dayOfWeek: 4, start: '10:00', end: '11:30' },
    ],
    status: identityV1.MemberStatus.MEMBER_STATUS_ACTIVE,
    registeredAt: new Date('2026-04-01T00:00:00Z'),
    personalDataStatus: identityV1.PersonalDataStatus.PERSONAL_DATA_STATUS_INCLUDED,
    personalData: {
      name: '藤里 花子',
      address: '秋田県山本郡藤里町藤琴字藤琴 1-2-3',
      email: 'hanako@example.jp',
      bankAccount: {
        bankCode: '0001',
        branchCode: '123',
        accountType: 1,
        accountNumber: '1234567',
        holderNameKana: 'フジサト ハナコ',
      },
    },
  }),
};

const CALLERS: ReadonlyMap<string, Caller> = new Map([
  ['bench-token', { subject: 'yuki', roles: [{ role: 'coordinator', region: 'fujisato' }] }],
]);

const main = async (): Promise<void> => {
  const started = performance.now();
  console.log(
    `grpc bench: GetMember round trips, ${concurrency} in flight, ${measureMs / 1000} s per side over ${ROUNDS} interleaved rounds`,
  );

  const baseline = await startEmptyHandlerBaseline(identityV1.IdentityServiceService, 'getMember', response);
  const server = await startGrpcServer({
    name: 'bench',
    port: 0,
    host: '127.0.0.1',
    // Only GetMember is implemented: the others answer UNIMPLEMENTED, which the host warns of.
    services: [{ definition: identityV1.IdentityServiceService, implementation: { getMember: async () => response } }],
    logger: jsonLogger('error'),
    verifier: {
      verify: async (token) => {
        const caller = CALLERS.get(token);
        if (caller === undefined) throw unauthenticated('auth.token_invalid', 'unknown token');
        return caller;
      },
    },
  });
  const client = createClient(identityV1.IdentityServiceClient, server.address, { token: 'bench-token' });

  // Both answer the same bytes: a check, not a measurement.
  const [a, b] = await Promise.all([baseline.call(request), client.getMember(request)]);
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('the baseline and the host answer differently');

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
  console.log(`host stack:            ${fmt(h)}`);

  recordResults([
    compareToBaseline({
      name: `grpc unary round trip through the host stack (auth, telemetry, error mapping, deadline, retry), ${concurrency} in flight`,
      value: h.operationsPerSecond,
      unit: 'calls/s',
      baseline: `empty grpc-js handler and bare client, same GetMember payload, ${concurrency} in flight`,
      baselineValue: e.operationsPerSecond,
      minRatio: 0.7,
    }),
  ]);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
};

main().catch((error: unknown) => {
  console.error('grpc bench failed:', error);
  process.exitCode = 1;
});
