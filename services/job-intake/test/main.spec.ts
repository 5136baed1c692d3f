/**
 * The built service as its own process, as a pod runs it
 * (`node --import @workshare/telemetry/register dist/src/main.js`): on a free port, over an
 * embedded store in a temporary folder, with a real identity (the test cooperative) at
 * IDENTITY_ADDRESS. It must answer health SERVING, serve a job over real gRPC, log ids and
 * never the job's texts, and end with exit code 0 on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { runServiceUntilStopped, startWithBadConfiguration } from '@workshare/service-host';
import { checkHealth as healthCheck, createClient } from '@workshare/grpc';
import { startProcessTestCooperative, type ProcessTestCooperative } from '@workshare/identity';
import { jobIntakeV1, moneyFromYen } from '@workshare/proto';

const packageRoot = path.resolve(__dirname, '..');

describe('services/job-intake/dist/src/main.js, the service as its own process', () => {
  let coop: ProcessTestCooperative;

  // The test runs what a pod runs: the build of this package (turbo builds it before its tests).
  beforeAll(async () => {
    coop = await startProcessTestCooperative('job-intake-main-');
  }, 180_000);
  afterAll(async () => coop?.close());

  it('serves health and a job over gRPC, then drains and exits 0 on SIGTERM', async () => {
    let jobId = '';
    const stopped = await runServiceUntilStopped(
      packageRoot,
      'job-intake',
      { EVENTSTORE_URL: `embedded:${coop.dataDir}`, IDENTITY_ADDRESS: coop.identityAddress },
      'workshare.jobintake.v1.JobIntakeService',
      async ({ address }) => {
        expect(await healthCheck(address)).toBe('SERVING');
        const client = createClient(jobIntakeV1.JobIntakeServiceClient, address, { deadlineMs: 20_000 });
        try {
          ({ jobId } = await client.submitJob(
            {
              requestId: randomUUID(),
              businessId: coop.businesses.fujisato,
              title: '秘密の社内文書の入力',
              description: '',
              workCategory: jobIntakeV1.WorkCategory.WORK_CATEGORY_DATA_ENTRY,
              pricing: { kind: jobIntakeV1.PricingKind.PRICING_KIND_FIXED_PRICE },
              amount: moneyFromYen(30_000),
              deadline: new Date(Date.now() + 30 * 86_400_000),
              regionId: 'fujisato',
              localOnlyTownId: '',
              skills: ['data entry'],
            },
            { token: coop.business.token },
          ));
          const { job } = await client.getJob({ jobId }, { token: coop.coordinator.token });
          expect(job).toMatchObject({
            jobId,
            status: jobIntakeV1.JobStatus.JOB_STATUS_SUBMITTED,
            amount: { yen: '30000' },
          });
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
        'job-intake gRPC listening',
        'job-intake consumers started',
        'job submitted',
        'job-intake stopping: draining calls in flight',
        'job-intake stopped',
      ]),
    );
    expect(stopped.output).not.toContain('秘密の社内文書');
    expect(stopped.output).toContain(jobId);
  }, 120_000);

  it('refuses bad configuration with a clear message and exit code 1, before it opens anything', async () => {
    const { exit, stderr } = await startWithBadConfiguration(packageRoot, {
      EVENTSTORE_URL: `embedded:${coop.dataDir}`,
    });
    expect(exit).toEqual({ code: 1, signal: null });
    expect(stderr).toContain('job-intake could not start');
    expect(stderr).toContain('GRPC_PORT must be a port');
    expect(stderr).toContain('LOG_LEVEL must be one of');
  }, 60_000);
});
