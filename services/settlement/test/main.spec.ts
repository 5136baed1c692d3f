/**
 * The built service as its own process, as a pod runs it
 * (`node --import @workshare/telemetry/register dist/src/main.js`): on a free port, over an
 * embedded store in a temporary folder, with a real identity (the test cooperative) at
 * IDENTITY_ADDRESS. It must answer health SERVING, take a region's configuration over real gRPC,
 * log ids and never the configuration's texts, and end with exit code 0 on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { checkHealth as healthCheck, createClient } from '@workshare/grpc';
import { startProcessTestCooperative, type ProcessTestCooperative } from '@workshare/identity';
import { settlementV1 } from '@workshare/proto';
import { runServiceUntilStopped, startWithBadConfiguration } from '@workshare/service-host';

const packageRoot = path.resolve(__dirname, '..');

describe('services/settlement/dist/src/main.js, the service as its own process', () => {
  let coop: ProcessTestCooperative;

  // The test runs what a pod runs: the build of this package (turbo builds it before its tests).
  beforeAll(async () => {
    coop = await startProcessTestCooperative('settlement-main-');
  }, 180_000);
  afterAll(async () => coop?.close());

  it('serves health and a configuration over gRPC, then drains and exits 0 on SIGTERM', async () => {
    const stopped = await runServiceUntilStopped(
      packageRoot,
      'settlement',
      { EVENTSTORE_URL: `embedded:${coop.dataDir}`, IDENTITY_ADDRESS: coop.identityAddress },
      'workshare.settlement.v1.SettlementService',
      async ({ address }) => {
        expect(await healthCheck(address)).toBe('SERVING');
        const client = createClient(settlementV1.SettlementServiceClient, address, { deadlineMs: 20_000 });
        try {
          await client.configureRegion(
            {
              requestId: randomUUID(),
              config: {
                regionId: 'fujisato',
                issuerName: '秘密の協同組合名',
                registrationNumber: 'T7123456789012',
                address: '秋田県山本郡藤里町藤琴字藤琴8',
                payerAccount: {
                  bankCode: '0117',
                  bankNameKana: '',
                  branchCode: '123',
                  branchNameKana: '',
                  type: settlementV1.BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY,
                  number: '7654321',
                },
                zenginRequesterCode: '123456789',
                requesterNameKana: 'フジサト',
                marginBasisPoints: 1500,
                payDay: 25,
                invoiceRounding: settlementV1.RoundingRule.ROUNDING_RULE_FLOOR,
                payTimingReading: settlementV1.PayTimingReading.PAY_TIMING_READING_TWO_MONTHS,
                officePrefecture: 'akita',
              },
            },
            { token: coop.operator.token },
          );
          const { config } = await client.getRegionConfig({ regionId: 'fujisato' }, { token: coop.accountant.token });
          expect(config).toMatchObject({ regionId: 'fujisato', issuerName: '秘密の協同組合名', payDay: 25 });
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
        'settlement gRPC listening',
        'region configured',
        'settlement stopping: draining calls in flight',
        'settlement stopped',
      ]),
    );
    expect(stopped.output).not.toContain('秘密の協同組合名');
    expect(stopped.output).not.toContain('7654321');
  }, 120_000);

  it('refuses bad configuration with a clear message and exit code 1, before it opens anything', async () => {
    const { exit, stderr } = await startWithBadConfiguration(packageRoot, {
      EVENTSTORE_URL: `embedded:${coop.dataDir}`,
    });
    expect(exit).toEqual({ code: 1, signal: null });
    expect(stderr).toContain('settlement could not start');
    expect(stderr).toContain('GRPC_PORT must be a port');
    expect(stderr).toContain('LOG_LEVEL must be one of');
  }, 60_000);
});
