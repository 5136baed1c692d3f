/**
 * The built service as its own process, as a pod runs it
 * (`node --import @workshare/telemetry/register dist/src/main.js`): on a free port, over an
 * embedded store in a temporary folder, with a real identity (the test cooperative) at
 * IDENTITY_ADDRESS. It must answer health SERVING, answer over real gRPC with real tokens, and
 * end with exit code 0 on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { runServiceUntilStopped, startWithBadConfiguration } from '@workshare/service-host';
import { checkHealth as healthCheck, createClient } from '@workshare/grpc';
import { startProcessTestCooperative, type ProcessTestCooperative } from '@workshare/identity';
import { teamSchedulingV1 } from '@workshare/proto';

const packageRoot = path.resolve(__dirname, '..');

describe('services/team-scheduling/dist/src/main.js, the service as its own process', () => {
  let coop: ProcessTestCooperative;

  // The test runs what a pod runs: the build of this package (turbo builds it before its tests).
  beforeAll(async () => {
    coop = await startProcessTestCooperative('team-scheduling-main-');
  }, 180_000);
  afterAll(async () => coop?.close());

  it('serves health and a member’s tasks over gRPC, then drains and exits 0 on SIGTERM', async () => {
    const stopped = await runServiceUntilStopped(
      packageRoot,
      'team-scheduling',
      { EVENTSTORE_URL: `embedded:${coop.dataDir}`, IDENTITY_ADDRESS: coop.identityAddress },
      'workshare.teamscheduling.v1.TeamSchedulingService',
      async ({ address }) => {
        expect(await healthCheck(address)).toBe('SERVING');
        const client = createClient(teamSchedulingV1.TeamSchedulingServiceClient, address, { deadlineMs: 20_000 });
        try {
          expect((await client.listMyTasks({}, { token: coop.member.token })).tasks).toEqual([]);
          await expect(
            client.getJobSchedule({ jobId: randomUUID() }, { token: coop.coordinator.token }),
          ).rejects.toMatchObject({ code: 'job.not_found' });
        } finally {
          client.close();
        }
      },
    );
    expect(stopped.exit).toEqual({ code: 0, signal: null });
    expect(stopped.listening).toMatchObject({
      host: '127.0.0.1',
      port: stopped.port,
      store: 'embedded',
      identity: coop.identityAddress,
    });
    expect(stopped.messages).toEqual(
      expect.arrayContaining([
        'team-scheduling gRPC listening',
        'team-scheduling consumers started',
        'team-scheduling stopping: draining calls in flight',
        'team-scheduling stopped',
      ]),
    );
  }, 120_000);

  it('refuses bad configuration with a clear message and exit code 1, before it opens anything', async () => {
    const { exit, stderr } = await startWithBadConfiguration(packageRoot, {
      EVENTSTORE_URL: `embedded:${coop.dataDir}`,
    });
    expect(exit).toEqual({ code: 1, signal: null });
    expect(stderr).toContain('team-scheduling could not start');
    expect(stderr).toContain('GRPC_PORT must be a port');
    expect(stderr).toContain('LOG_LEVEL must be one of');
  }, 60_000);
});
