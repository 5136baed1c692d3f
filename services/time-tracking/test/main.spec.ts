/**
 * The built service as its own process, as a pod runs it
 * (`node --import @workshare/telemetry/register dist/src/main.js`): on a free port, over an
 * embedded store in a temporary folder, with a real identity (the test cooperative) at
 * IDENTITY_ADDRESS. It must answer health SERVING, serve a member's week over real gRPC, refuse
 * a span on a task she never held (nothing stored), log ids and never a reason's text, and end
 * with exit code 0 on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { runServiceUntilStopped, startWithBadConfiguration } from '@workshare/service-host';
import { checkHealth as healthCheck, createClient, refusal, wireCall } from '@workshare/grpc';
import { startProcessTestCooperative, type ProcessTestCooperative } from '@workshare/identity';
import { timeTrackingV1 } from '@workshare/proto';

const packageRoot = path.resolve(__dirname, '..');

describe('services/time-tracking/dist/src/main.js, the service as its own process', () => {
  let coop: ProcessTestCooperative;

  // The test runs what a pod runs: the build of this package (turbo builds it before its tests).
  beforeAll(async () => {
    coop = await startProcessTestCooperative('time-tracking-main-');
  }, 180_000);
  afterAll(async () => coop?.close());

  it('serves health and a member’s week over gRPC, then drains and exits 0 on SIGTERM', async () => {
    const stopped = await runServiceUntilStopped(
      packageRoot,
      'time-tracking',
      { EVENTSTORE_URL: `embedded:${coop.dataDir}`, IDENTITY_ADDRESS: coop.identityAddress },
      'workshare.timetracking.v1.TimeTrackingService',
      async ({ address }) => {
        expect(await healthCheck(address)).toBe('SERVING');
        const client = createClient(timeTrackingV1.TimeTrackingServiceClient, address, { deadlineMs: 20_000 });
        try {
          const { week } = await client.getWeek(
            { memberId: '', weekStart: '2026-04-06' },
            { token: coop.member.token },
          );
          expect(week).toMatchObject({ memberId: coop.member.id, weekStart: '2026-04-06', totalMinutes: 0 });
          expect(week?.days).toHaveLength(7);
          expect(
            await refusal(
              wireCall(
                timeTrackingV1.TimeTrackingServiceService,
                address,
                'correctEntry',
                {
                  requestId: randomUUID(),
                  memberId: coop.member.id,
                  entryId: randomUUID(),
                  start: new Date('2026-04-06T00:00:00Z'),
                  end: new Date('2026-04-06T01:00:00Z'),
                  reason: '秘密の理由',
                },
                { token: coop.member.token },
              ),
            ),
          ).toEqual({ status: 'NOT_FOUND', errorCode: 'time.entry_not_found' });
        } finally {
          client.close();
        }
      },
    );
    expect(stopped.exit).toEqual({ code: 0, signal: null });
    expect(stopped.listening).toMatchObject({ host: '127.0.0.1', port: stopped.port, store: 'embedded' });
    expect(stopped.messages).toEqual(expect.arrayContaining(['time-tracking gRPC listening', 'time-tracking stopped']));
    expect(stopped.output).not.toContain('秘密の理由');
  }, 120_000);

  it('refuses bad configuration with a clear message and exit code 1, before it opens anything', async () => {
    const { exit, stderr } = await startWithBadConfiguration(packageRoot, {
      EVENTSTORE_URL: `embedded:${coop.dataDir}`,
    });
    expect(exit).toEqual({ code: 1, signal: null });
    expect(stderr).toContain('time-tracking could not start');
    expect(stderr).toContain('GRPC_PORT must be a port');
  }, 60_000);
});
