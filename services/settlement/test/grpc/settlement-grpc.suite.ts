/**
 * The settlement service over real gRPC on a loopback socket, with a real identity (the test
 * cooperative) verifying real tokens and answering for businesses and bank accounts: every RPC,
 * who may do and read what, and the bad input of every RPC (status, `x-error-code`, and nothing
 * stored), the host's text limits included. Run on the embedded store (settlement-grpc.spec.ts)
 * and on PostgreSQL (settlement-grpc.int.spec.ts).
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@workshare/eventsourcing';
import {
  createClient,
  IdentityTokenVerifierClient,
  jsonLogger,
  type GrpcServer,
  type ServiceClient,
} from '@workshare/grpc';
import { startTestCooperative, type TestCooperative, type TestPerson } from '@workshare/identity';
import { settlementV1 } from '@workshare/proto';
import { startSettlementGrpc } from '../../src/adapters/grpc/settlement-grpc.js';
import { validateZenginFile } from '../../src/domain/files/zengin.js';
import { openSettlementService, type SettlementRuntime } from '../../src/open-settlement.js';
import { acceptJob, approveWeek, markDone, tokyo } from '../producers.js';
import { refusal, wire, type MethodName, type RequestOfMethod } from './wire.js';

export interface GrpcTestEnv {
  readonly store: EventStore;
  close(): Promise<void>;
}

const { BankAccountType, RoundingRule, PayTimingReading, DownloadKind } = settlementV1;

const INVALID = 'INVALID_ARGUMENT';

export const describeSettlementGrpc = (label: string, setup: () => Promise<GrpcTestEnv>): void => {
  describe(`settlement over gRPC (${label})`, () => {
    let env: GrpcTestEnv;
    let coop: TestCooperative;
    let runtime: SettlementRuntime;
    let server: GrpcServer;
    let verifier: IdentityTokenVerifierClient;
    let client: ServiceClient<typeof settlementV1.SettlementServiceService>;
    const logLines: string[] = [];
    const HOURLY = randomUUID();

    const token = (person: TestPerson): string => coop[person].token;
    const call = (person: TestPerson) => ({ token: token(person) });

    const regionConfig = (overrides: Partial<settlementV1.RegionConfig> = {}): settlementV1.RegionConfig => ({
      regionId: 'fujisato',
      issuerName: '藤里ワークシェア協同組合',
      registrationNumber: 'T7123456789012',
      address: '秋田県山本郡藤里町藤琴字藤琴8',
      payerAccount: {
        bankCode: '0117',
        bankNameKana: 'アキタ',
        branchCode: '123',
        branchNameKana: 'フジサト',
        type: BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY,
        number: '1234567',
      },
      zenginRequesterCode: '123456789',
      requesterNameKana: 'フジサトワークシェアキョウドウクミアイ',
      marginBasisPoints: 1500,
      payDay: 25,
      invoiceRounding: RoundingRule.ROUNDING_RULE_UNSPECIFIED,
      payTimingReading: PayTimingReading.PAY_TIMING_READING_UNSPECIFIED,
      officePrefecture: 'akita',
      ...overrides,
    });
    const configure = (config = regionConfig()) => ({ requestId: randomUUID(), config });
    const november = { regionId: 'fujisato', month: '2026-11' };
    const download = (kind: settlementV1.DownloadKind, subjectId = '', month = '2026-11') => ({
      kind,
      regionId: 'fujisato',
      month,
      subjectId,
    });

    beforeAll(async () => {
      env = await setup();
      coop = await startTestCooperative({ store: env.store });
      runtime = await openSettlementService({
        store: env.store,
        identityAddress: coop.identityAddress,
        now: () => tokyo('2026-12-01T10:00:00'),
      });
      verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
      server = await startSettlementGrpc({
        service: runtime.service,
        port: 0,
        host: '127.0.0.1',
        verifier,
        logger: jsonLogger('debug', {}, (line) => void logLines.push(line)),
        readModels: runtime.service.readModels,
      });
      client = createClient(settlementV1.SettlementServiceClient, server.address, { deadlineMs: 20_000 });

      // A month of work: the member's 90 minutes on an hourly job of the fujisato business.
      await acceptJob(env.store, {
        jobId: HOURLY,
        businessId: coop.businesses.fujisato,
        pricing: { kind: 'hourly', hourlyRateYen: '2400' },
      });
      await approveWeek(env.store, coop.member.id, '2026-11-09', [
        { jobId: HOURLY, start: tokyo('2026-11-10T13:00:00'), end: tokyo('2026-11-10T14:30:00') },
      ]);
      await markDone(env.store, coop.member.id, { jobId: HOURLY }, tokyo('2026-11-10T14:30:00'));
    });
    afterAll(async () => {
      client?.close();
      await server?.shutdown(1_000);
      verifier?.close();
      await runtime?.close();
      await coop?.close();
      await env?.close();
    });

    describe('every RPC', () => {
      it('configures the region, records a payee, closes November and answers its settlement', async () => {
        await client.configureRegion(configure(), call('operator'));
        const config = await client.getRegionConfig({ regionId: 'fujisato' }, call('coordinator'));
        expect(config).toMatchObject({
          config: regionConfig({
            invoiceRounding: RoundingRule.ROUNDING_RULE_FLOOR,
            payTimingReading: PayTimingReading.PAY_TIMING_READING_TWO_MONTHS,
          }),
          configuredBy: coop.operator.id,
          version: '0',
        });
        expect(config.configuredAt).toBeInstanceOf(Date);

        await client.registerPayee(
          { requestId: randomUUID(), memberId: coop.member.id, invoiceRegistrationNumber: 'T1234567890123' },
          call('accountant'),
        );

        const { summary } = await client.closeMonth({ requestId: randomUUID(), ...november }, call('coordinator'));
        // ⌊90 × 2,400 / 60⌋ = 3,600; tax 360; margin 540; her fee 3,060 + 306 − ⌊3,060 × 10.21%⌋ (312) = 3,054.
        expect(summary).toMatchObject({
          regionId: 'fujisato',
          month: '2026-11',
          closedAt: tokyo('2026-12-01T10:00:00'),
          closedBy: coop.coordinator.id,
          payDay: '2026-12-25',
          billed: { yen: '3600' },
          tax: { yen: '360' },
          margin: { yen: '540' },
          topUp: { yen: '0' },
          kept: { yen: '540' },
          payable: { yen: '3054' },
          invoiceCount: 1,
          statementCount: 1,
          findings: [],
        });
        expect(summary!.inputDigest).toMatch(/^[0-9a-f]{64}$/);

        const settlement = await client.getSettlement(november, call('accountant'));
        expect(settlement.summary).toEqual(summary);
        expect(JSON.parse(settlement.settlementJson)).toMatchObject({
          regionId: 'fujisato',
          totals: { billedYen: '3600', payableYen: '3054' },
        });
        expect(logLines.some((line) => line.includes('month closed'))).toBe(true);
      });

      it.each([
        [
          'the whole settlement',
          DownloadKind.DOWNLOAD_KIND_SETTLEMENT_JSON,
          '',
          'accountant',
          'application/json',
          /^settlement-fujisato-2026-11\.json$/,
        ],
        [
          'the invoice as JSON',
          DownloadKind.DOWNLOAD_KIND_INVOICE_JSON,
          'business',
          'business',
          'application/json',
          /^invoice-INV-fujisato-202611-001\.json$/,
        ],
        [
          'the invoice as PDF',
          DownloadKind.DOWNLOAD_KIND_INVOICE_PDF,
          'business',
          'accountant',
          'application/pdf',
          /^invoice-INV-fujisato-202611-001\.pdf$/,
        ],
        [
          'her statement as JSON',
          DownloadKind.DOWNLOAD_KIND_STATEMENT_JSON,
          'member',
          'member',
          'application/json',
          /^statement-PAY-fujisato-202611-0001\.json$/,
        ],
        [
          'her statement as PDF',
          DownloadKind.DOWNLOAD_KIND_STATEMENT_PDF,
          'member',
          'member',
          'application/pdf',
          /^statement-PAY-fujisato-202611-0001\.pdf$/,
        ],
        [
          'the Zengin file',
          DownloadKind.DOWNLOAD_KIND_ZENGIN,
          '',
          'accountant',
          'text/plain; charset=Shift_JIS',
          /^zengin-fujisato-2026-11\.txt$/,
        ],
        [
          'the freee journal',
          DownloadKind.DOWNLOAD_KIND_JOURNAL_FREEE,
          '',
          'operator',
          'text/csv; charset=UTF-8',
          /^journal-freee-fujisato-2026-11\.csv$/,
        ],
        [
          'the Money Forward journal',
          DownloadKind.DOWNLOAD_KIND_JOURNAL_MONEY_FORWARD,
          '',
          'accountant',
          'text/csv; charset=UTF-8',
          /^journal-moneyforward-fujisato-2026-11\.csv$/,
        ],
        [
          'the 弥生 journal',
          DownloadKind.DOWNLOAD_KIND_JOURNAL_YAYOI,
          '',
          'accountant',
          'text/csv; charset=Shift_JIS',
          /^journal-yayoi-fujisato-2026-11\.csv$/,
        ],
        [
          'the payroll CSV',
          DownloadKind.DOWNLOAD_KIND_PAYROLL_CSV,
          '',
          'accountant',
          'text/csv; charset=UTF-8',
          /^payroll-fujisato-2026-11\.csv$/,
        ],
      ] as const)(
        'Download: %s, with its media type and file name',
        async (_what, kind, subject, person, mediaType, fileName) => {
          const subjectId =
            subject === 'business' ? coop.businesses.fujisato : subject === 'member' ? coop.member.id : '';
          const file = await client.download(download(kind, subjectId), call(person));
          expect(file.mediaType).toBe(mediaType);
          expect(file.fileName).toMatch(fileName);
          expect(file.content.length).toBeGreaterThan(0);
          if (mediaType === 'application/pdf') expect(file.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
          if (kind === DownloadKind.DOWNLOAD_KIND_ZENGIN)
            expect(validateZenginFile(new Uint8Array(file.content))).toEqual([]);
        },
      );

      it('logs ids and totals, never the files or the bank account', () => {
        const logged = logLines.join('\n');
        expect(logged).toContain('file downloaded');
        expect(logged).not.toContain('0012345');
        expect(logged).not.toContain('テスト メンバー');
      });
    });

    describe('who may do and read what', () => {
      it.each([
        [
          'the coordinator downloads the Zengin file',
          'download',
          () => download(DownloadKind.DOWNLOAD_KIND_ZENGIN),
          'coordinator',
        ],
        ['a business reads the whole settlement', 'getSettlement', () => november, 'business'],
        [
          'another business reads the invoice',
          'download',
          () => download(DownloadKind.DOWNLOAD_KIND_INVOICE_PDF, coop.businesses.fujisato),
          'otherBusiness',
        ],
        [
          'the coordinator reads a member’s statement',
          'download',
          () => download(DownloadKind.DOWNLOAD_KIND_STATEMENT_JSON, coop.member.id),
          'coordinator',
        ],
        [
          'the member reads the journal',
          'download',
          () => download(DownloadKind.DOWNLOAD_KIND_JOURNAL_YAYOI),
          'member',
        ],
        ['the accountant configures a region', 'configureRegion', () => configure(), 'accountant'],
        [
          'the accountant closes a month',
          'closeMonth',
          () => ({ requestId: randomUUID(), regionId: 'fujisato', month: '2026-12' }),
          'accountant',
        ],
        [
          'a coordinator records a payee',
          'registerPayee',
          () => ({ requestId: randomUUID(), memberId: coop.member.id, invoiceRegistrationNumber: '' }),
          'coordinator',
        ],
        ['a member reads the configuration', 'getRegionConfig', () => ({ regionId: 'fujisato' }), 'member'],
      ] as const)('PERMISSION_DENIED when %s (settlement.forbidden)', async (_what, method, request, person) => {
        const head = await env.store.headPosition();
        expect(await refusal(wire(server.address, method, request() as never, token(person)))).toEqual({
          status: 'PERMISSION_DENIED',
          errorCode: 'settlement.forbidden',
        });
        expect(await env.store.headPosition()).toEqual(head);
      });

      it('UNAUTHENTICATED without a token', async () => {
        expect(await refusal(wire(server.address, 'getSettlement', november))).toEqual({
          status: 'UNAUTHENTICATED',
          errorCode: 'auth.token_missing',
        });
      });
    });

    describe('bad input: refused with its code, nothing stored', () => {
      type Case = readonly [string, MethodName, () => RequestOfMethod<MethodName>, TestPerson, string, string];
      const c = <K extends MethodName>(
        name: string,
        method: K,
        request: () => RequestOfMethod<K>,
        person: TestPerson,
        status: string,
        code: string,
      ): Case => [name, method, request as () => RequestOfMethod<MethodName>, person, status, code];

      const cases: Case[] = [
        c(
          'ConfigureRegion without a request id',
          'configureRegion',
          () => ({ ...configure(), requestId: '' }),
          'operator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'ConfigureRegion with a request id of 201 characters',
          'configureRegion',
          () => ({ ...configure(), requestId: 'r'.repeat(201) }),
          'operator',
          INVALID,
          'request.invalid_request_id',
        ),
        c(
          'ConfigureRegion without a configuration',
          'configureRegion',
          () => ({ requestId: randomUUID() }),
          'operator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'ConfigureRegion without a payer account',
          'configureRegion',
          () => configure({ ...regionConfig(), payerAccount: undefined }),
          'operator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'ConfigureRegion with the payer account’s type left unspecified',
          'configureRegion',
          () =>
            configure(
              regionConfig({
                payerAccount: { ...regionConfig().payerAccount!, type: BankAccountType.BANK_ACCOUNT_TYPE_UNSPECIFIED },
              }),
            ),
          'operator',
          INVALID,
          'settlement.invalid_config',
        ),
        c(
          'ConfigureRegion with a rounding the contract does not know',
          'configureRegion',
          () => configure(regionConfig({ invoiceRounding: 99 as settlementV1.RoundingRule })),
          'operator',
          INVALID,
          'settlement.invalid_config',
        ),
        c(
          'ConfigureRegion with a registration number whose check digit is wrong',
          'configureRegion',
          () => configure(regionConfig({ registrationNumber: 'T8123456789012' })),
          'operator',
          INVALID,
          'settlement.registration_number_check_digit',
        ),
        c(
          'ConfigureRegion with a bank code of 3 digits',
          'configureRegion',
          () => configure(regionConfig({ payerAccount: { ...regionConfig().payerAccount!, bankCode: '117' } })),
          'operator',
          INVALID,
          'settlement.invalid_config',
        ),
        c(
          'ConfigureRegion with a pay day of 32',
          'configureRegion',
          () => configure(regionConfig({ payDay: 32 })),
          'operator',
          INVALID,
          'settlement.invalid_config',
        ),
        c(
          'ConfigureRegion with an issuer name of 201 characters (the host’s limit)',
          'configureRegion',
          () => configure(regionConfig({ issuerName: '藤'.repeat(201) })),
          'operator',
          INVALID,
          'settlement.invalid_config',
        ),
        c(
          'ConfigureRegion with a 1 MB address',
          'configureRegion',
          () => configure(regionConfig({ address: 'a'.repeat(1_000_000) })),
          'operator',
          INVALID,
          'settlement.invalid_config',
        ),
        c(
          'ConfigureRegion with a NUL in the address',
          'configureRegion',
          () => configure(regionConfig({ address: '藤里\u0000町' })),
          'operator',
          INVALID,
          'text.invalid_characters',
        ),
        c(
          'ConfigureRegion with kana the Zengin file cannot hold',
          'configureRegion',
          () => configure(regionConfig({ requesterNameKana: '藤里協同組合' })),
          'operator',
          INVALID,
          'settlement.invalid_config',
        ),
        c(
          'ConfigureRegion of a region identity does not serve',
          'configureRegion',
          () => configure(regionConfig({ regionId: 'atlantis' })),
          'operator',
          INVALID,
          'settlement.unknown_region',
        ),
        c(
          'ConfigureRegion with the office in another prefecture',
          'configureRegion',
          () => configure(regionConfig({ officePrefecture: 'tokyo' })),
          'operator',
          INVALID,
          'settlement.office_prefecture_mismatch',
        ),
        c(
          'GetRegionConfig without a region',
          'getRegionConfig',
          () => ({ regionId: '' }),
          'operator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'GetRegionConfig of a region without configuration',
          'getRegionConfig',
          () => ({ regionId: 'setagaya' }),
          'operator',
          'NOT_FOUND',
          'settlement.region_not_configured',
        ),
        c(
          'RegisterPayee with a member id that is no id',
          'registerPayee',
          () => ({ requestId: randomUUID(), memberId: 'hanako', invoiceRegistrationNumber: '' }),
          'accountant',
          INVALID,
          'settlement.invalid_member_id',
        ),
        c(
          'RegisterPayee with a 100 KB member id',
          'registerPayee',
          () => ({ requestId: randomUUID(), memberId: 'm'.repeat(100_000), invoiceRegistrationNumber: '' }),
          'accountant',
          INVALID,
          'text.too_long',
        ),
        c(
          'RegisterPayee with a number that is not T and 13 digits',
          'registerPayee',
          () => ({ requestId: randomUUID(), memberId: coop.member.id, invoiceRegistrationNumber: 'T12345' }),
          'accountant',
          INVALID,
          'settlement.registration_number_malformed',
        ),
        c(
          'RegisterPayee with a number of 33 characters (the host’s limit)',
          'registerPayee',
          () => ({ requestId: randomUUID(), memberId: coop.member.id, invoiceRegistrationNumber: 'T'.padEnd(33, '1') }),
          'accountant',
          INVALID,
          'settlement.registration_number_malformed',
        ),
        c(
          'RegisterPayee of a member settlement has not heard of',
          'registerPayee',
          () => ({ requestId: randomUUID(), memberId: randomUUID(), invoiceRegistrationNumber: '' }),
          'accountant',
          'NOT_FOUND',
          'settlement.member_not_found',
        ),
        c(
          'CloseMonth without a month',
          'closeMonth',
          () => ({ requestId: randomUUID(), regionId: 'fujisato', month: '' }),
          'coordinator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'CloseMonth of a month that is not YYYY-MM',
          'closeMonth',
          () => ({ requestId: randomUUID(), regionId: 'fujisato', month: '2026-13' }),
          'coordinator',
          INVALID,
          'settlement.invalid_month',
        ),
        c(
          'CloseMonth of a region id that is not one',
          'closeMonth',
          () => ({ requestId: randomUUID(), regionId: 'Fujisato!', month: '2026-11' }),
          'operator',
          INVALID,
          'settlement.invalid_region_id',
        ),
        c(
          'CloseMonth of a closed month',
          'closeMonth',
          () => ({ requestId: randomUUID(), ...november }),
          'coordinator',
          'FAILED_PRECONDITION',
          'settlement.month_closed',
        ),
        c(
          'CloseMonth of a month not over in Tokyo',
          'closeMonth',
          () => ({ requestId: randomUUID(), regionId: 'fujisato', month: '2026-12' }),
          'coordinator',
          'FAILED_PRECONDITION',
          'settlement.month_not_over',
        ),
        c(
          'CloseMonth of a region without configuration',
          'closeMonth',
          () => ({ requestId: randomUUID(), regionId: 'setagaya', month: '2026-11' }),
          'setagayaCoordinator',
          'FAILED_PRECONDITION',
          'settlement.region_not_configured',
        ),
        c(
          'GetSettlement of a month not closed',
          'getSettlement',
          () => ({ regionId: 'fujisato', month: '2026-10' }),
          'accountant',
          'NOT_FOUND',
          'settlement.month_not_closed',
        ),
        c(
          'Download of no kind',
          'download',
          () => download(DownloadKind.DOWNLOAD_KIND_UNSPECIFIED),
          'accountant',
          INVALID,
          'settlement.invalid_download_kind',
        ),
        c(
          'Download of an invoice without its business',
          'download',
          () => download(DownloadKind.DOWNLOAD_KIND_INVOICE_PDF),
          'accountant',
          INVALID,
          'request.missing_field',
        ),
        c(
          'Download of a statement for a member id that is no id',
          'download',
          () => download(DownloadKind.DOWNLOAD_KIND_STATEMENT_PDF, 'hanako'),
          'accountant',
          INVALID,
          'settlement.invalid_member_id',
        ),
        c(
          'Download of the invoice of a business not billed',
          'download',
          () => download(DownloadKind.DOWNLOAD_KIND_INVOICE_JSON, coop.businesses.fujisatoOther),
          'accountant',
          'NOT_FOUND',
          'settlement.invoice_not_found',
        ),
        c(
          'Download of a month not closed',
          'download',
          () => download(DownloadKind.DOWNLOAD_KIND_ZENGIN, '', '2026-10'),
          'accountant',
          'NOT_FOUND',
          'settlement.month_not_closed',
        ),
      ];

      it.each(cases)('%s', async (_name, method, request, person, status, code) => {
        const head = await env.store.headPosition();
        expect(await refusal(wire(server.address, method, request(), token(person)))).toEqual({
          status,
          errorCode: code,
        });
        expect(await env.store.headPosition()).toEqual(head);
      });

      it('the configuration is still the one first recorded (no refused call changed it)', async () => {
        expect(await client.getRegionConfig({ regionId: 'fujisato' }, call('operator'))).toMatchObject({
          version: '0',
        });
      });
    });
  });
};
