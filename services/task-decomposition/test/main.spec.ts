/**
 * The built service as its own process, as a pod runs it
 * (`node --import @workshare/telemetry/register dist/src/main.js`): on a free port, over an
 * embedded store in a temporary folder, with a real identity (the test cooperative) at
 * IDENTITY_ADDRESS. It must answer health SERVING, answer over real gRPC with real tokens (and refuse a call without one), and
 * end with exit code 0 on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { runServiceUntilStopped, startWithBadConfiguration } from '@workshare/service-host';
import { checkHealth as healthCheck, createClient } from '@workshare/grpc';
import { startProcessTestCooperative, type ProcessTestCooperative } from '@workshare/identity';
import { taskDecompositionV1 } from '@workshare/proto';

const packageRoot = path.resolve(__dirname, '..');

describe('services/task-decomposition/dist/src/main.js, the service as its own process', () => {
  let coop: ProcessTestCooperative;

  // The test runs what a pod runs: the build of this package (turbo builds it before its tests).
  beforeAll(async () => {
    coop = await startProcessTestCooperative('task-decomposition-main-');
  }, 180_000);
  afterAll(async () => coop?.close());

  it('serves health and answers over gRPC with identity’s tokens, then drains and exits 0 on SIGTERM', async () => {
    const stopped = await runServiceUntilStopped(
      packageRoot,
      'task-decomposition',
      { EVENTSTORE_URL: `embedded:${coop.dataDir}`, IDENTITY_ADDRESS: coop.identityAddress },
      'workshare.taskdecomposition.v1.TaskDecompositionService',
      async ({ address }) => {
        expect(await healthCheck(address)).toBe('SERVING');
        const client = createClient(taskDecompositionV1.TaskDecompositionServiceClient, address, {
          deadlineMs: 20_000,
        });
        try {
          await expect(
            client.getPlan({ jobId: randomUUID() }, { token: coop.coordinator.token }),
          ).rejects.toMatchObject({ code: 'plan.not_found' });
          await expect(client.getPlan({ jobId: randomUUID() })).rejects.toMatchObject({ code: 'auth.token_missing' });
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
        'task-decomposition gRPC listening',
        'task-decomposition consumers started',
        'task-decomposition stopping: draining calls in flight',
        'task-decomposition stopped',
      ]),
    );
  }, 120_000);

  it('refuses bad configuration with a clear message and exit code 1, before it opens anything', async () => {
    const { exit, stderr } = await startWithBadConfiguration(packageRoot, {
      EVENTSTORE_URL: `embedded:${coop.dataDir}`,
    });
    expect(exit).toEqual({ code: 1, signal: null });
    expect(stderr).toContain('task-decomposition could not start');
    expect(stderr).toContain('GRPC_PORT must be a port');
    expect(stderr).toContain('LOG_LEVEL must be one of');
  }, 60_000);
});
