/**
 * The identity service over real gRPC on a loopback socket: every RPC, authorisation, the bad
 * input of every command (status, `x-error-code`, and nothing stored), forgetting, retries.
 * Run on the embedded store (identity-grpc.spec.ts) and on PostgreSQL (identity-grpc.int.spec.ts).
 */
import { randomUUID } from 'node:crypto';
import { MAX_REQUEST_ID_LENGTH, type EventStore, type GlobalPosition } from '@workshare/eventsourcing';
import { Metadata } from '@grpc/grpc-js';
import { createClient, jsonLogger, LoginAttemptLimiter, type GrpcServer, type ServiceClient } from '@workshare/grpc';
import { commonV1, identityV1 } from '@workshare/proto';
import fc from 'fast-check';
import { startIdentityGrpc } from '../../src/adapters/grpc/identity-grpc.js';
import { MAX_TOKEN_LENGTH } from '../../src/adapters/jwt-tokens.js';
import { MAX_REASON_LENGTH, MAX_SKILL_LENGTH } from '../../src/domain/account.js';
import { MAX_BUSINESS_ADDRESS, MAX_BUSINESS_NAME } from '../../src/domain/business.js';
import { LIMITS } from '../../src/domain/personal-data.js';
import type { IdentityService } from '../../src/application/identity-service.js';
import { corporateRegistrationNumber } from '../../src/domain/registration-number.js';
import { refusal, wire, type MethodName, type WireOutcome } from './wire.js';

export interface GrpcTestEnv {
  readonly service: IdentityService;
  readonly store: EventStore;
  /** Data keys in the key vault (active or destroyed). */
  keyCount(): Promise<number>;
  close(): Promise<void>;
}

const PASSWORD = 'correct horse battery staple';
const { ContractType, BankAccountType, PersonalDataStatus, MemberStatus, RoleKind } = identityV1;
const { DayOfWeek } = commonV1;

let sequence = 0;
const unique = () => `${Date.now().toString(36)}${(sequence++).toString(36)}`;
const freshRegistrationNumber = () =>
  corporateRegistrationNumber(`98${String(Date.now()).slice(-6)}${String(sequence++ % 10_000).padStart(4, '0')}`);

const bankAccount = (overrides: Partial<identityV1.BankAccount> = {}): identityV1.BankAccount => ({
  bankCode: '9999',
  branchCode: '001',
  accountType: BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY,
  accountNumber: '0012345',
  holderNameKana: 'フジワラ ヨウコ',
  ...overrides,
});

const personalData = (overrides: Partial<identityV1.PersonalData> = {}): identityV1.PersonalData => ({
  name: '藤原 陽子',
  address: '秋田県山本郡藤里町藤琴 テスト番地1',
  email: `yoko.${unique()}@fujisato.example`,
  bankAccount: bankAccount(),
  ...overrides,
});

const window = (dayOfWeek: commonV1.DayOfWeek, start: string, end: string): commonV1.WeeklyWindow => ({
  dayOfWeek,
  start,
  end,
});
const LUNCH = window(DayOfWeek.DAY_OF_WEEK_MONDAY, '13:00', '13:40');
const BEDTIME = window(DayOfWeek.DAY_OF_WEEK_MONDAY, '21:00', '22:00');

const memberRequest = (
  overrides: Partial<identityV1.RegisterMemberRequest> = {},
): identityV1.RegisterMemberRequest => ({
  requestId: randomUUID(),
  region: 'fujisato',
  town: 'fujikoto',
  officePrefecture: '',
  contractType: ContractType.CONTRACT_TYPE_CONTRACTOR,
  skills: ['transcription', 'data entry'],
  availability: [LUNCH, BEDTIME],
  personalData: personalData(),
  password: PASSWORD,
  ...overrides,
});

export const describeIdentityGrpc = (label: string, setup: () => Promise<GrpcTestEnv>): void => {
  describe(`identity over gRPC (${label})`, () => {
    let env: GrpcTestEnv;
    let server: GrpcServer;
    let address: string;
    let client: ServiceClient<typeof identityV1.IdentityServiceService>;
    let operatorToken: string;
    let fujisatoCoordinatorToken: string;
    const logLines: string[] = [];
    /** Personal data that went over the wire in these tests: none of it may reach a log line. */
    const secrets: string[] = [PASSWORD];

    const login = async (email: string, password = PASSWORD): Promise<string> =>
      (await client.login({ email, password })).accessToken;

    /** Registers a member (as the operator unless told) and signs her in. */
    const newMember = async (overrides: Partial<identityV1.RegisterMemberRequest> = {}, token = operatorToken) => {
      const request = memberRequest(overrides);
      const { memberId } = await client.registerMember(request, { token });
      const data = request.personalData!;
      secrets.push(data.name, data.email, data.address, data.bankAccount!.accountNumber);
      return { memberId, request, email: data.email, token: await login(data.email) };
    };

    const newUser = async (role?: identityV1.Role) => {
      const email = `user.${unique()}@polaris.example`;
      secrets.push(email);
      const { userId } = await client.registerUser(
        { requestId: randomUUID(), name: '佐々木 誠', email, password: PASSWORD },
        { token: operatorToken },
      );
      if (role)
        await client.grantRole(
          { requestId: randomUUID(), userId, role, reason: 'needed for the tests' },
          { token: operatorToken },
        );
      return { userId, email, token: await login(email) };
    };

    type Snapshot = { head: GlobalPosition; events: number; keys: number };
    const snapshot = async (): Promise<Snapshot> => ({
      head: await env.store.headPosition(),
      events: (await env.store.readAll({ limit: 10_000 })).length,
      keys: await env.keyCount(),
    });
    /** The call must be refused with this status and code, and the store and key vault must be as they were. */
    const refusedWithNothingStored = async (
      call: () => Promise<WireOutcome<unknown>>,
      status: string,
      errorCode: string,
    ): Promise<void> => {
      const before = await snapshot();
      expect(await refusal(call())).toEqual({ status, errorCode });
      expect(await snapshot()).toEqual(before);
    };

    beforeAll(async () => {
      env = await setup();
      server = await startIdentityGrpc({
        service: env.service,
        port: 0,
        host: '127.0.0.1',
        logger: jsonLogger('debug', {}, (line) => void logLines.push(line)),
      });
      address = server.address;
      client = createClient(identityV1.IdentityServiceClient, address, { deadlineMs: 20_000 });
      await env.service.bootstrapOperator({
        name: '北村 彩',
        email: 'aya.kitamura@polaris.example',
        password: PASSWORD,
      });
      operatorToken = await login('aya.kitamura@polaris.example');
      const coordinator = await newMember({ town: 'kasuge' });
      await client.grantRole(
        {
          requestId: randomUUID(),
          userId: coordinator.memberId,
          role: { kind: RoleKind.ROLE_KIND_COORDINATOR, region: 'fujisato' },
          reason: 'hand-over to a local member',
        },
        { token: operatorToken },
      );
      fujisatoCoordinatorToken = await login(coordinator.email);
    });
    afterAll(async () => {
      client?.close();
      await server?.shutdown(1_000);
      await env?.close();
    });

    describe('every RPC', () => {
      it('SealTexts and OpenTexts: sealed with her key, opened for those who may read it, redacted once she is forgotten', async () => {
        const member = await newMember();
        const REASON = `子どもの発熱 ${unique()}`;
        const NOTE = '半分まで入力済み';
        secrets.push(REASON, NOTE);
        const before = await snapshot();
        const { sealed } = await client.sealTexts(
          { ownerId: member.memberId, texts: [REASON, NOTE] },
          { token: member.token },
        );
        expect(sealed).toHaveLength(2);
        expect(JSON.stringify(sealed)).not.toContain('子ども');
        const texts = sealed.map((one) => ({ ownerId: member.memberId, sealed: one }));
        const { OpenedTextStatus } = identityV1;
        for (const token of [member.token, fujisatoCoordinatorToken, operatorToken])
          expect((await client.openTexts({ texts }, { token })).texts).toEqual([
            { status: OpenedTextStatus.OPENED_TEXT_STATUS_READABLE, text: REASON },
            { status: OpenedTextStatus.OPENED_TEXT_STATUS_READABLE, text: NOTE },
          ]);
        // Sealing and opening store nothing.
        expect(await snapshot()).toEqual(before);
        const other = await newMember();
        expect((await client.openTexts({ texts }, { token: other.token })).texts).toEqual(
          texts.map(() => ({ status: OpenedTextStatus.OPENED_TEXT_STATUS_WITHHELD, text: '' })),
        );
        expect(
          await refusal(wire(address, 'sealTexts', { ownerId: member.memberId, texts: ['x'] }, other.token)),
        ).toEqual({
          status: 'PERMISSION_DENIED',
          errorCode: 'personal_text.forbidden',
        });
        expect(
          await refusal(
            wire(address, 'sealTexts', { ownerId: member.memberId, texts: ['あ'.repeat(2_001)] }, member.token),
          ),
        ).toEqual({
          status: 'INVALID_ARGUMENT',
          errorCode: 'personal_text.too_long',
        });
        await client.forgetMember(
          { requestId: randomUUID(), memberId: member.memberId, reason: 'leaving' },
          { token: operatorToken },
        );
        expect((await client.openTexts({ texts }, { token: operatorToken })).texts).toEqual(
          texts.map(() => ({ status: OpenedTextStatus.OPENED_TEXT_STATUS_REDACTED, text: '' })),
        );
        expect(
          await refusal(wire(address, 'sealTexts', { ownerId: member.memberId, texts: ['x'] }, operatorToken)),
        ).toEqual({
          status: 'FAILED_PRECONDITION',
          errorCode: 'personal_text.owner_forgotten',
        });
      });

      it('ListRegions: the regions and their towns, without a token', async () => {
        const { regions } = await client.listRegions({});
        expect(regions.map((r) => [r.region, r.prefecture])).toEqual([
          ['fujisato', 'JP-05'],
          ['setagaya', 'JP-13'],
          ['chofu', 'JP-13'],
        ]);
        expect(regions[0]).toEqual({
          region: 'fujisato',
          name: '秋田県山本郡藤里町',
          prefecture: 'JP-05',
          towns: [
            { town: 'fujikoto', name: '藤琴' },
            { town: 'kasuge', name: '粕毛' },
            { town: 'tara', name: '太良' },
          ],
        });
      });

      it('Login: a token, its expiry and the caller; a wrong password is UNAUTHENTICATED like an unknown email', async () => {
        const answer = await client.login({ email: 'aya.kitamura@polaris.example', password: PASSWORD });
        expect(answer.accessToken.split('.')).toHaveLength(3);
        expect(answer.expiresAt!.getTime()).toBeGreaterThan(Date.now());
        expect(answer.caller).toEqual({ subject: expect.any(String), roles: [{ kind: RoleKind.ROLE_KIND_OPERATOR }] });
        for (const [email, password] of [
          ['aya.kitamura@polaris.example', 'not the password at all'],
          [`nobody.${unique()}@polaris.example`, PASSWORD],
          ['', ''],
        ] as const) {
          expect(await refusal(wire(address, 'login', { email, password }))).toEqual({
            status: 'UNAUTHENTICATED',
            errorCode: 'auth.invalid_credentials',
          });
        }
      });

      it('Login: limited per account; after 200 wrong passwords the right one is RESOURCE_EXHAUSTED too, others sign in', async () => {
        const { email } = await newMember();
        const outcomes: Record<string, number> = {};
        for (let i = 0; i < 200; i++) {
          const { status, errorCode } = await refusal(wire(address, 'login', { email, password: `wrong ${i}` }));
          const key = `${status} ${errorCode}`;
          outcomes[key] = (outcomes[key] ?? 0) + 1;
        }
        expect(outcomes).toEqual({
          'UNAUTHENTICATED auth.invalid_credentials': 10,
          'RESOURCE_EXHAUSTED auth.too_many_attempts': 190,
        });
        const right = await client.login({ email, password: PASSWORD }).catch((e: unknown) => e);
        expect(right).toMatchObject({
          code: 'auth.too_many_attempts',
          kind: 'exhausted',
          details: { retryAfterSeconds: expect.any(Number) },
        });
        expect((right as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds).toBeGreaterThan(800);
        // Another account from the same address is not held back by her failures.
        expect(
          (await client.login({ email: 'aya.kitamura@polaris.example', password: PASSWORD })).accessToken,
        ).toBeTruthy();
      });

      it('Login: limited per client address, the gateway’s client’s address counted apart from another’s', async () => {
        const limited = await startIdentityGrpc({
          service: env.service,
          port: 0,
          host: '127.0.0.1',
          loginLimiter: new LoginAttemptLimiter({
            perAccount: { max: 1_000, windowMs: 60_000 },
            perAddress: { max: 3, windowMs: 60_000 },
          }),
        });
        const edge = createClient(identityV1.IdentityServiceClient, limited.address);
        try {
          const from = (client: string) => {
            const metadata = new Metadata();
            metadata.set('x-client-address', client);
            return { metadata };
          };
          for (let i = 0; i < 3; i++) {
            await expect(
              edge.login({ email: `nobody.${unique()}@polaris.example`, password: PASSWORD }, from('203.0.113.9')),
            ).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
          }
          await expect(
            edge.login({ email: 'aya.kitamura@polaris.example', password: PASSWORD }, from('203.0.113.9')),
          ).rejects.toMatchObject({ code: 'auth.too_many_attempts', kind: 'exhausted' });
          const other = await edge.login(
            { email: 'aya.kitamura@polaris.example', password: PASSWORD },
            from('198.51.100.4'),
          );
          expect(other.accessToken).toBeTruthy();
        } finally {
          edge.close();
          await limited.shutdown(1_000);
        }
      });

      it('Login, Refresh and Logout: rotation, a reused refresh token ends the session, logout ends it too', async () => {
        const { email, memberId } = await newMember();
        const first = await client.login({ email, password: PASSWORD });
        expect(first.refreshToken).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
        expect(first.refreshExpiresAt!.getTime()).toBeGreaterThan(first.expiresAt!.getTime());
        const verified = await client.verifyToken({ token: first.accessToken }, { token: operatorToken });
        expect(verified).toMatchObject({
          caller: { subject: memberId },
          sessionId: first.refreshToken.split('.')[0],
          tokenId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        });
        const second = await client.refresh({ refreshToken: first.refreshToken });
        expect(second.refreshToken).not.toBe(first.refreshToken);
        expect(second.caller).toEqual(first.caller);
        expect(await refusal(wire(address, 'refresh', { refreshToken: first.refreshToken }))).toEqual({
          status: 'UNAUTHENTICATED',
          errorCode: 'auth.refresh_token_reused',
        });
        for (const token of [first.accessToken, second.accessToken]) {
          expect(await refusal(wire(address, 'getMember', { memberId }, token))).toEqual({
            status: 'UNAUTHENTICATED',
            errorCode: 'auth.session_revoked',
          });
        }

        const third = await client.login({ email, password: PASSWORD });
        expect((await wire(address, 'getMember', { memberId }, third.accessToken)).ok).toBe(true);
        await client.logout({ refreshToken: '', accessToken: third.accessToken });
        expect(await refusal(wire(address, 'getMember', { memberId }, third.accessToken))).toEqual({
          status: 'UNAUTHENTICATED',
          errorCode: 'auth.session_revoked',
        });
        expect(await refusal(wire(address, 'verifyToken', { token: third.accessToken }, operatorToken))).toEqual({
          status: 'UNAUTHENTICATED',
          errorCode: 'auth.session_revoked',
        });
        const fourth = await client.login({ email, password: PASSWORD });
        await client.logout({ refreshToken: fourth.refreshToken, accessToken: '' });
        await client.logout({ refreshToken: fourth.refreshToken, accessToken: '' }); // twice is no error
        expect(await refusal(wire(address, 'refresh', { refreshToken: fourth.refreshToken }))).toEqual({
          status: 'UNAUTHENTICATED',
          errorCode: 'auth.session_revoked',
        });
        expect(await refusal(wire(address, 'logout', { refreshToken: '', accessToken: '' }))).toEqual({
          status: 'INVALID_ARGUMENT',
          errorCode: 'auth.missing_token',
        });
        expect(await refusal(wire(address, 'refresh', { refreshToken: '' }))).toEqual({
          status: 'INVALID_ARGUMENT',
          errorCode: 'request.missing_field',
        });
        expect(await refusal(wire(address, 'refresh', { refreshToken: 'x'.repeat(129) }))).toEqual({
          status: 'INVALID_ARGUMENT',
          errorCode: 'auth.invalid_refresh_token',
        });
      });

      it('RegisterMember and GetMember: she reads all of her own, as do operators', async () => {
        const { memberId, request, token } = await newMember({ officePrefecture: 'JP-05' });
        const expected: identityV1.Member = {
          memberId,
          region: 'fujisato',
          town: 'fujikoto',
          officePrefecture: 'JP-05',
          contractType: ContractType.CONTRACT_TYPE_CONTRACTOR,
          skills: ['transcription', 'data entry'],
          availability: [LUNCH, BEDTIME],
          status: MemberStatus.MEMBER_STATUS_ACTIVE,
          registeredAt: expect.any(Date) as unknown as Date,
          personalDataStatus: PersonalDataStatus.PERSONAL_DATA_STATUS_INCLUDED,
          personalData: request.personalData!,
        };
        const own = await client.getMember({ memberId }, { token });
        expect(own.member).toEqual(expected);
        const [registered] = await env.store.readStream(`member-${memberId}`);
        expect(own.member!.registeredAt).toEqual(registered!.occurredAt);
        await expect(client.getMember({ memberId }, { token: operatorToken })).resolves.toEqual({ member: expected });
      });

      it('GetMember: her coordinator reads her name and contact but not her bank account; the accountant no email', async () => {
        const { memberId, request } = await newMember();
        const { member: seenByCoordinator } = await client.getMember({ memberId }, { token: fujisatoCoordinatorToken });
        expect(seenByCoordinator).toMatchObject({
          personalDataStatus: PersonalDataStatus.PERSONAL_DATA_STATUS_INCLUDED,
        });
        expect(seenByCoordinator!.personalData).toEqual({
          name: request.personalData!.name,
          address: request.personalData!.address,
          email: request.personalData!.email,
        });
        const accountant = await newUser({ kind: RoleKind.ROLE_KIND_ACCOUNTANT });
        const { member: seenByAccountant } = await client.getMember({ memberId }, { token: accountant.token });
        expect(seenByAccountant!.personalData).toEqual({ ...request.personalData!, email: '' });
      });

      it('UpdateAvailability: she replaces her windows; GetMember shows them in order', async () => {
        const { memberId, token } = await newMember();
        const windows = [
          window(DayOfWeek.DAY_OF_WEEK_WEDNESDAY, '20:00', '21:00'),
          window(DayOfWeek.DAY_OF_WEEK_TUESDAY, '09:00', '09:45'),
          window(DayOfWeek.DAY_OF_WEEK_SUNDAY, '23:00', '24:00'),
        ];
        await expect(
          client.updateAvailability({ requestId: randomUUID(), memberId, availability: windows }, { token }),
        ).resolves.toEqual({});
        const { member } = await client.getMember({ memberId }, { token });
        expect(member!.availability).toEqual([windows[1], windows[0], windows[2]]);
      });

      it('RegisterUser, GrantRole and RevokeRole: a role works at once, and stops at once when revoked', async () => {
        const { memberId } = await newMember();
        const accountant = await newUser();
        expect(await refusal(wire(address, 'getMember', { memberId }, accountant.token))).toEqual({
          status: 'PERMISSION_DENIED',
          errorCode: 'member.forbidden',
        });
        const role = { kind: RoleKind.ROLE_KIND_ACCOUNTANT };
        await expect(
          client.grantRole(
            { requestId: randomUUID(), userId: accountant.userId, role, reason: 'the cooperative’s accountant' },
            { token: operatorToken },
          ),
        ).resolves.toEqual({});
        await expect(client.getMember({ memberId }, { token: accountant.token })).resolves.toHaveProperty(
          'member.memberId',
          memberId,
        );
        expect((await client.login({ email: accountant.email, password: PASSWORD })).caller).toEqual({
          subject: accountant.userId,
          roles: [role],
        });
        await expect(
          client.revokeRole(
            { requestId: randomUUID(), userId: accountant.userId, role, reason: 'contract ended' },
            { token: operatorToken },
          ),
        ).resolves.toEqual({});
        // The token still names the role; the service loads the roles held now.
        expect(await refusal(wire(address, 'getMember', { memberId }, accountant.token))).toEqual({
          status: 'PERMISSION_DENIED',
          errorCode: 'member.forbidden',
        });
      });

      it('RegisterBusiness and GetBusiness: a registration number with a valid check digit, and the address', async () => {
        const registrationNumber = freshRegistrationNumber();
        const { businessId } = await client.registerBusiness(
          {
            requestId: randomUUID(),
            name: '白神ウッドワークス株式会社',
            registrationNumber,
            region: 'fujisato',
            address: '秋田県山本郡藤里町藤琴 1',
          },
          { token: fujisatoCoordinatorToken },
        );
        const { token } = await newMember();
        await expect(client.getBusiness({ businessId }, { token })).resolves.toEqual({
          business: {
            businessId,
            name: '白神ウッドワークス株式会社',
            registrationNumber,
            region: 'fujisato',
            address: '秋田県山本郡藤里町藤琴 1',
          },
        });
        expect(await refusal(wire(address, 'getBusiness', { businessId: randomUUID() }, token))).toEqual({
          status: 'NOT_FOUND',
          errorCode: 'business.not_found',
        });
      });

      it('VerifyToken: whom a token identifies (the roles held now) and until when', async () => {
        const { memberId, token } = await newMember();
        const { expiresAt } = await client.login({
          email: (await client.getMember({ memberId }, { token })).member!.personalData!.email,
          password: PASSWORD,
        });
        const answer = await client.verifyToken({ token }, { token: operatorToken });
        expect(answer.caller).toEqual({ subject: memberId, roles: [{ kind: RoleKind.ROLE_KIND_MEMBER }] });
        expect(Math.abs(answer.expiresAt!.getTime() - expiresAt!.getTime())).toBeLessThan(5_000);
        expect(await refusal(wire(address, 'verifyToken', { token: 'not.a.token' }, operatorToken))).toEqual({
          status: 'UNAUTHENTICATED',
          errorCode: 'auth.invalid_token',
        });
      });

      it('ForgetMember, then GetMember: FORGOTTEN, no personal data; her history stays', async () => {
        const { memberId, token, email } = await newMember();
        const before = await env.store.readStream(`member-${memberId}`);
        await expect(
          client.forgetMember({ requestId: randomUUID(), memberId, reason: 'leaving the cooperative' }, { token }),
        ).resolves.toEqual({});
        const { member } = await client.getMember({ memberId }, { token: operatorToken });
        expect(member).toEqual({
          memberId,
          region: 'fujisato',
          town: '',
          officePrefecture: '',
          contractType: ContractType.CONTRACT_TYPE_UNSPECIFIED,
          skills: [],
          availability: [],
          status: MemberStatus.MEMBER_STATUS_FORGOTTEN,
          registeredAt: before[0]!.occurredAt,
          personalDataStatus: PersonalDataStatus.PERSONAL_DATA_STATUS_FORGOTTEN,
        });
        const after = await env.store.readStream(`member-${memberId}`);
        expect(after.map((e) => e.type)).toEqual([...before.map((e) => e.type), 'MemberForgotten']);
        // Her token no longer works, nor her password.
        expect(await refusal(wire(address, 'getMember', { memberId }, token))).toEqual({
          status: 'UNAUTHENTICATED',
          errorCode: 'auth.account_inactive',
        });
        expect(await refusal(wire(address, 'verifyToken', { token }, operatorToken))).toEqual({
          status: 'UNAUTHENTICATED',
          errorCode: 'auth.account_inactive',
        });
        expect(await refusal(wire(address, 'login', { email, password: PASSWORD }))).toEqual({
          status: 'UNAUTHENTICATED',
          errorCode: 'auth.invalid_credentials',
        });
      });
      it('ListMembers: a region’s members, oldest first, with their roles and no personal data; a forgotten one by her status only', async () => {
        const first = await newMember({ region: 'chofu', town: 'kokuryo', skills: ['proofreading'] });
        await client.grantRole(
          {
            requestId: randomUUID(),
            userId: first.memberId,
            role: { kind: RoleKind.ROLE_KIND_COORDINATOR, region: 'chofu' },
            reason: 'runs Chofu',
          },
          { token: operatorToken },
        );
        const chofuCoordinatorToken = await login(first.email);
        const second = await newMember({ region: 'chofu', town: 'sengawa' });
        const forgotten = await newMember({ region: 'chofu', town: 'jindaiji' });
        await client.forgetMember(
          { requestId: randomUUID(), memberId: forgotten.memberId, reason: 'moving away' },
          { token: forgotten.token },
        );
        const accountant = await newUser({ kind: RoleKind.ROLE_KIND_ACCOUNTANT });
        const registeredAt = async (memberId: string) =>
          (await env.store.readStream(`member-${memberId}`))[0]!.occurredAt;

        for (const token of [operatorToken, chofuCoordinatorToken, accountant.token]) {
          const { members } = await client.listMembers({ region: 'chofu' }, { token });
          const ours = members.filter((m) =>
            [first.memberId, second.memberId, forgotten.memberId].includes(m.member!.memberId),
          );
          expect(ours).toEqual([
            {
              member: {
                memberId: first.memberId,
                region: 'chofu',
                town: 'kokuryo',
                officePrefecture: 'JP-13',
                contractType: ContractType.CONTRACT_TYPE_CONTRACTOR,
                skills: ['proofreading'],
                availability: [LUNCH, BEDTIME],
                status: MemberStatus.MEMBER_STATUS_ACTIVE,
                registeredAt: await registeredAt(first.memberId),
                personalDataStatus: PersonalDataStatus.PERSONAL_DATA_STATUS_WITHHELD,
              },
              roles: [{ kind: RoleKind.ROLE_KIND_MEMBER }, { kind: RoleKind.ROLE_KIND_COORDINATOR, region: 'chofu' }],
            },
            {
              member: expect.objectContaining({
                memberId: second.memberId,
                town: 'sengawa',
                status: MemberStatus.MEMBER_STATUS_ACTIVE,
                personalDataStatus: PersonalDataStatus.PERSONAL_DATA_STATUS_WITHHELD,
              }),
              roles: [{ kind: RoleKind.ROLE_KIND_MEMBER }],
            },
            {
              member: {
                memberId: forgotten.memberId,
                region: 'chofu',
                town: '',
                officePrefecture: '',
                contractType: ContractType.CONTRACT_TYPE_UNSPECIFIED,
                skills: [],
                availability: [],
                status: MemberStatus.MEMBER_STATUS_FORGOTTEN,
                registeredAt: await registeredAt(forgotten.memberId),
                personalDataStatus: PersonalDataStatus.PERSONAL_DATA_STATUS_FORGOTTEN,
              },
              roles: [],
            },
          ]);
          for (const m of members) expect(m.member?.personalData).toBeUndefined();
          const text = JSON.stringify(members);
          for (const secret of [first, second, forgotten].flatMap((m) => [
            m.request.personalData!.name,
            m.email,
            m.request.personalData!.address,
          ]))
            expect(text).not.toContain(secret);
        }

        // Coordinators of another region and members are refused; a region is required.
        for (const token of [fujisatoCoordinatorToken, second.token]) {
          expect(await refusal(wire(address, 'listMembers', { region: 'chofu' }, token))).toEqual({
            status: 'PERMISSION_DENIED',
            errorCode: 'member.forbidden',
          });
        }
        expect(await refusal(wire(address, 'listMembers', { region: '' }, operatorToken))).toEqual({
          status: 'INVALID_ARGUMENT',
          errorCode: 'request.missing_field',
        });
      });

      it('ListBusinesses: a region’s businesses, or every region’s, for any signed-in caller', async () => {
        const register = async (name: string, region: string) =>
          (
            await client.registerBusiness(
              { requestId: randomUUID(), name, registrationNumber: freshRegistrationNumber(), region, address: '' },
              { token: operatorToken },
            )
          ).businessId;
        const setagaya = await register('世田谷デザイン株式会社', 'setagaya');
        const fujisato = await register('藤琴川まいたけ合同会社', 'fujisato');
        const { token } = await newMember();

        const inSetagaya = (await client.listBusinesses({ region: 'setagaya' }, { token })).businesses;
        expect(inSetagaya.map((b) => b.businessId)).toContain(setagaya);
        expect(inSetagaya.map((b) => b.businessId)).not.toContain(fujisato);
        expect(inSetagaya.every((b) => b.region === 'setagaya')).toBe(true);
        expect(inSetagaya.find((b) => b.businessId === setagaya)).toEqual({
          businessId: setagaya,
          name: '世田谷デザイン株式会社',
          registrationNumber: expect.stringMatching(/^T\d{13}$/),
          region: 'setagaya',
          address: '',
        });
        const everywhere = (await client.listBusinesses({ region: '' }, { token: fujisatoCoordinatorToken }))
          .businesses;
        expect(everywhere.map((b) => b.businessId)).toEqual(expect.arrayContaining([setagaya, fujisato]));
        expect(new Set(everywhere.map((b) => b.region))).toEqual(new Set(['setagaya', 'fujisato']));
        await expect(client.listBusinesses({ region: 'nowhere' }, { token })).resolves.toEqual({ businesses: [] });
      });
    });

    describe('authorisation', () => {
      it('a coordinator of Fujisato cannot read a member of Setagaya: PERMISSION_DENIED', async () => {
        const setagaya = await newMember({ region: 'setagaya', town: 'sangenjaya' });
        expect(
          await refusal(wire(address, 'getMember', { memberId: setagaya.memberId }, fujisatoCoordinatorToken)),
        ).toEqual({ status: 'PERMISSION_DENIED', errorCode: 'member.forbidden' });
        // Nor can a member read another member.
        const other = await newMember();
        expect(await refusal(wire(address, 'getMember', { memberId: setagaya.memberId }, other.token))).toEqual({
          status: 'PERMISSION_DENIED',
          errorCode: 'member.forbidden',
        });
      });

      it('a coordinator of Fujisato cannot register a member in Setagaya, nor a member anyone: nothing stored', async () => {
        await refusedWithNothingStored(
          () =>
            wire(
              address,
              'registerMember',
              memberRequest({ region: 'setagaya', town: 'sangenjaya' }),
              fujisatoCoordinatorToken,
            ),
          'PERMISSION_DENIED',
          'account.forbidden',
        );
        const member = await newMember();
        await refusedWithNothingStored(
          () => wire(address, 'registerMember', memberRequest(), member.token),
          'PERMISSION_DENIED',
          'account.forbidden',
        );
        await refusedWithNothingStored(
          () =>
            wire(
              address,
              'forgetMember',
              { requestId: randomUUID(), memberId: member.memberId, reason: 'prank' },
              fujisatoCoordinatorToken,
            ),
          'PERMISSION_DENIED',
          'account.forbidden',
        );
        await refusedWithNothingStored(
          () =>
            wire(
              address,
              'grantRole',
              {
                requestId: randomUUID(),
                userId: member.memberId,
                role: { kind: RoleKind.ROLE_KIND_OPERATOR },
                reason: 'self-promotion',
              },
              member.token,
            ),
          'PERMISSION_DENIED',
          'role.forbidden',
        );
      });

      const protectedCalls: Record<
        Exclude<MethodName, 'listRegions' | 'login' | 'refresh' | 'logout'>,
        (address: string, token?: string) => Promise<WireOutcome<unknown>>
      > = {
        registerMember: (a, t) => wire(a, 'registerMember', memberRequest(), t),
        getMember: (a, t) => wire(a, 'getMember', { memberId: randomUUID() }, t),
        updateAvailability: (a, t) =>
          wire(a, 'updateAvailability', { requestId: randomUUID(), memberId: randomUUID(), availability: [] }, t),
        forgetMember: (a, t) =>
          wire(a, 'forgetMember', { requestId: randomUUID(), memberId: randomUUID(), reason: 'x' }, t),
        sealTexts: (a, t) => wire(a, 'sealTexts', { ownerId: randomUUID(), texts: ['x'] }, t),
        openTexts: (a, t) => wire(a, 'openTexts', { texts: [{ ownerId: randomUUID(), sealed: 'v1.a.b.c' }] }, t),
        registerUser: (a, t) =>
          wire(
            a,
            'registerUser',
            { requestId: randomUUID(), name: 'x', email: `x.${unique()}@example.jp`, password: PASSWORD },
            t,
          ),
        grantRole: (a, t) =>
          wire(
            a,
            'grantRole',
            {
              requestId: randomUUID(),
              userId: randomUUID(),
              role: { kind: RoleKind.ROLE_KIND_ACCOUNTANT },
              reason: 'x',
            },
            t,
          ),
        revokeRole: (a, t) =>
          wire(
            a,
            'revokeRole',
            {
              requestId: randomUUID(),
              userId: randomUUID(),
              role: { kind: RoleKind.ROLE_KIND_ACCOUNTANT },
              reason: 'x',
            },
            t,
          ),
        registerBusiness: (a, t) =>
          wire(
            a,
            'registerBusiness',
            {
              requestId: randomUUID(),
              name: 'x',
              registrationNumber: freshRegistrationNumber(),
              region: 'fujisato',
              address: '',
            },
            t,
          ),
        getBusiness: (a, t) => wire(a, 'getBusiness', { businessId: randomUUID() }, t),
        listMembers: (a, t) => wire(a, 'listMembers', { region: 'fujisato' }, t),
        listBusinesses: (a, t) => wire(a, 'listBusinesses', { region: '' }, t),
        verifyToken: (a, t) => wire(a, 'verifyToken', { token: operatorToken }, t),
      };

      it.each(Object.keys(protectedCalls) as (keyof typeof protectedCalls)[])(
        '%s without a token, or with a bad one: UNAUTHENTICATED, nothing stored',
        async (method) => {
          await refusedWithNothingStored(
            () => protectedCalls[method](address),
            'UNAUTHENTICATED',
            'auth.token_missing',
          );
          await refusedWithNothingStored(
            () => protectedCalls[method](address, `${operatorToken.slice(0, -4)}AAAA`),
            'UNAUTHENTICATED',
            'auth.invalid_token',
          );
        },
      );
    });

    describe('bad input: the right status and code, and nothing stored', () => {
      type Case = readonly [string, () => identityV1.RegisterMemberRequest, string, string];
      const invalid = 'INVALID_ARGUMENT';
      const memberCases: readonly Case[] = [
        ['no request_id', () => memberRequest({ requestId: '' }), invalid, 'request.missing_field'],
        [
          'a request_id with a space',
          () => memberRequest({ requestId: 'two words' }),
          invalid,
          'request.invalid_request_id',
        ],
        ['no region', () => memberRequest({ region: '' }), invalid, 'request.missing_field'],
        ['no town', () => memberRequest({ town: ' ' }), invalid, 'request.missing_field'],
        ['no personal_data', () => memberRequest({ personalData: undefined }), invalid, 'request.missing_field'],
        [
          'no bank account',
          () => memberRequest({ personalData: personalData({ bankAccount: undefined }) }),
          invalid,
          'request.missing_field',
        ],
        [
          'no name',
          () => memberRequest({ personalData: personalData({ name: '' }) }),
          invalid,
          'personal_data.name_required',
        ],
        [
          'no address',
          () => memberRequest({ personalData: personalData({ address: '' }) }),
          invalid,
          'personal_data.address_required',
        ],
        [
          'a malformed email',
          () => memberRequest({ personalData: personalData({ email: 'yoko at fujisato' }) }),
          invalid,
          'personal_data.invalid_email',
        ],
        ['a short password', () => memberRequest({ password: 'short' }), invalid, 'password.too_short'],
        ['an unknown region', () => memberRequest({ region: 'osaka', town: 'namba' }), invalid, 'region.unknown'],
        ['an unknown town', () => memberRequest({ town: 'shibuya' }), invalid, 'town.unknown'],
        ['a town of another region', () => memberRequest({ town: 'sengawa' }), invalid, 'town.unknown'],
        [
          'an office prefecture not the region’s',
          () => memberRequest({ officePrefecture: 'JP-13' }),
          invalid,
          'member.office_prefecture_mismatch',
        ],
        [
          'no contract type',
          () => memberRequest({ contractType: ContractType.CONTRACT_TYPE_UNSPECIFIED }),
          invalid,
          'member.invalid_contract_type',
        ],
        [
          'a bank account of 6 digits',
          () =>
            memberRequest({ personalData: personalData({ bankAccount: bankAccount({ accountNumber: '123456' }) }) }),
          invalid,
          'bank_account.invalid_number',
        ],
        [
          'a bank account of 8 digits',
          () =>
            memberRequest({ personalData: personalData({ bankAccount: bankAccount({ accountNumber: '12345678' }) }) }),
          invalid,
          'bank_account.invalid_number',
        ],
        [
          'a bank account with a letter',
          () =>
            memberRequest({ personalData: personalData({ bankAccount: bankAccount({ accountNumber: '12345a7' }) }) }),
          invalid,
          'bank_account.invalid_number',
        ],
        [
          'a savings account',
          () =>
            memberRequest({
              personalData: personalData({
                bankAccount: bankAccount({ accountType: BankAccountType.BANK_ACCOUNT_TYPE_SAVINGS }),
              }),
            }),
          invalid,
          'bank_account.invalid_type',
        ],
        [
          'a bank code of 3 digits',
          () => memberRequest({ personalData: personalData({ bankAccount: bankAccount({ bankCode: '999' }) }) }),
          invalid,
          'bank_account.invalid_bank_code',
        ],
        [
          'a holder not in katakana',
          () =>
            memberRequest({
              personalData: personalData({ bankAccount: bankAccount({ holderNameKana: 'Fujiwara Yoko' }) }),
            }),
          invalid,
          'bank_account.invalid_holder',
        ],
        [
          'an inverted window',
          () => memberRequest({ availability: [window(DayOfWeek.DAY_OF_WEEK_FRIDAY, '14:00', '13:00')] }),
          invalid,
          'availability.inverted',
        ],
        [
          'an empty window',
          () => memberRequest({ availability: [window(DayOfWeek.DAY_OF_WEEK_FRIDAY, '14:00', '14:00')] }),
          invalid,
          'availability.zero_length',
        ],
        [
          'overlapping windows',
          () => memberRequest({ availability: [LUNCH, window(DayOfWeek.DAY_OF_WEEK_MONDAY, '13:30', '14:00')] }),
          invalid,
          'availability.overlap',
        ],
        [
          'a window without a day',
          () => memberRequest({ availability: [window(DayOfWeek.DAY_OF_WEEK_UNSPECIFIED, '10:00', '11:00')] }),
          invalid,
          'availability.unknown_day',
        ],
        [
          'a malformed time',
          () => memberRequest({ availability: [window(DayOfWeek.DAY_OF_WEEK_MONDAY, '9:00', '10:00')] }),
          invalid,
          'availability.malformed_time',
        ],
      ];

      it.each(memberCases)('RegisterMember with %s', async (_what, request, status, code) => {
        await refusedWithNothingStored(() => wire(address, 'registerMember', request(), operatorToken), status, code);
      });

      it('RegisterMember with an email already in use: FAILED_PRECONDITION, nothing stored; the email stays hers', async () => {
        const { email, memberId } = await newMember();
        const again = memberRequest({ personalData: personalData({ email: email.toUpperCase() }) });
        await refusedWithNothingStored(
          () => wire(address, 'registerMember', again, operatorToken),
          'FAILED_PRECONDITION',
          'account.duplicate_email',
        );
        await refusedWithNothingStored(
          () =>
            wire(
              address,
              'registerUser',
              { requestId: randomUUID(), name: '別人', email, password: PASSWORD },
              operatorToken,
            ),
          'FAILED_PRECONDITION',
          'account.duplicate_email',
        );
        expect((await client.login({ email, password: PASSWORD })).caller?.subject).toBe(memberId);
      });

      it('UpdateAvailability with bad windows or ids: nothing stored, her stream as it was', async () => {
        const { memberId, token } = await newMember();
        const stream = `member-${memberId}`;
        const version = await env.store.streamVersion(stream);
        const update =
          (availability: commonV1.WeeklyWindow[], overrides: Partial<identityV1.UpdateAvailabilityRequest> = {}) =>
          () =>
            wire(
              address,
              'updateAvailability',
              { requestId: randomUUID(), memberId, availability, ...overrides },
              token,
            );
        await refusedWithNothingStored(
          update([window(DayOfWeek.DAY_OF_WEEK_TUESDAY, '12:00', '11:00')]),
          invalid,
          'availability.inverted',
        );
        await refusedWithNothingStored(
          update([LUNCH, window(DayOfWeek.DAY_OF_WEEK_MONDAY, '12:00', '13:01')]),
          invalid,
          'availability.overlap',
        );
        await refusedWithNothingStored(
          update([window(DayOfWeek.DAY_OF_WEEK_UNSPECIFIED, '12:00', '13:00')]),
          invalid,
          'availability.unknown_day',
        );
        await refusedWithNothingStored(
          update([window(DayOfWeek.DAY_OF_WEEK_MONDAY, '12:00', '25:00')]),
          invalid,
          'availability.malformed_time',
        );
        await refusedWithNothingStored(update([], { requestId: '' }), invalid, 'request.missing_field');
        await refusedWithNothingStored(update([], { memberId: '' }), invalid, 'request.missing_field');
        await refusedWithNothingStored(update([], { memberId: 'member-42' }), invalid, 'member.invalid_id');
        await refusedWithNothingStored(update([], { memberId: randomUUID() }), 'NOT_FOUND', 'account.not_found');
        expect(await env.store.streamVersion(stream)).toBe(version);
      });

      it('ForgetMember without a reason or member, or twice: nothing stored', async () => {
        const { memberId, token } = await newMember();
        await refusedWithNothingStored(
          () => wire(address, 'forgetMember', { requestId: randomUUID(), memberId, reason: ' ' }, token),
          invalid,
          'request.missing_field',
        );
        await refusedWithNothingStored(
          () => wire(address, 'forgetMember', { requestId: randomUUID(), memberId: '', reason: 'x' }, token),
          invalid,
          'request.missing_field',
        );
        await refusedWithNothingStored(
          () => wire(address, 'forgetMember', { requestId: '', memberId, reason: 'x' }, token),
          invalid,
          'request.missing_field',
        );
        await client.forgetMember({ requestId: randomUUID(), memberId, reason: 'leaving' }, { token: operatorToken });
        await refusedWithNothingStored(
          () => wire(address, 'forgetMember', { requestId: randomUUID(), memberId, reason: 'again' }, operatorToken),
          'FAILED_PRECONDITION',
          'account.already_forgotten',
        );
      });

      it('RegisterUser with a malformed email, a short password or no request id: nothing stored', async () => {
        const user = (overrides: Partial<identityV1.RegisterUserRequest>) => () =>
          wire(
            address,
            'registerUser',
            {
              requestId: randomUUID(),
              name: '佐々木 誠',
              email: `user.${unique()}@polaris.example`,
              password: PASSWORD,
              ...overrides,
            },
            operatorToken,
          );
        await refusedWithNothingStored(user({ email: 'not-an-email' }), invalid, 'personal_data.invalid_email');
        await refusedWithNothingStored(user({ password: '123' }), invalid, 'password.too_short');
        await refusedWithNothingStored(user({ name: '' }), invalid, 'personal_data.name_required');
        await refusedWithNothingStored(user({ requestId: '' }), invalid, 'request.missing_field');
      });

      it('GrantRole and RevokeRole with a missing, unknown or impossible role: nothing stored', async () => {
        const { memberId } = await newMember();
        const grant =
          (role: identityV1.Role | undefined, overrides: Partial<identityV1.GrantRoleRequest> = {}) =>
          () =>
            wire(
              address,
              'grantRole',
              { requestId: randomUUID(), userId: memberId, role, reason: 'needed', ...overrides },
              operatorToken,
            );
        await refusedWithNothingStored(grant(undefined), invalid, 'request.missing_field');
        await refusedWithNothingStored(grant({ kind: RoleKind.ROLE_KIND_UNSPECIFIED }), invalid, 'role.invalid');
        await refusedWithNothingStored(
          grant({ kind: RoleKind.ROLE_KIND_COORDINATOR }),
          invalid,
          'request.missing_field',
        );
        await refusedWithNothingStored(
          grant({ kind: RoleKind.ROLE_KIND_COORDINATOR, region: 'osaka' }),
          invalid,
          'region.unknown',
        );
        await refusedWithNothingStored(
          grant({ kind: RoleKind.ROLE_KIND_COORDINATOR, region: 'setagaya' }),
          'FAILED_PRECONDITION',
          'role.not_resident',
        );
        await refusedWithNothingStored(grant({ kind: RoleKind.ROLE_KIND_MEMBER }), invalid, 'role.not_grantable');
        await refusedWithNothingStored(
          grant({ kind: RoleKind.ROLE_KIND_BUSINESS, businessId: randomUUID() }),
          'NOT_FOUND',
          'business.not_found',
        );
        await refusedWithNothingStored(
          grant({ kind: RoleKind.ROLE_KIND_ACCOUNTANT }, { reason: '' }),
          invalid,
          'request.missing_field',
        );
        await refusedWithNothingStored(
          grant({ kind: RoleKind.ROLE_KIND_ACCOUNTANT }, { userId: randomUUID() }),
          'NOT_FOUND',
          'account.not_found',
        );
        await refusedWithNothingStored(
          grant({ kind: RoleKind.ROLE_KIND_ACCOUNTANT }, { userId: '' }),
          invalid,
          'request.missing_field',
        );
        await refusedWithNothingStored(
          () =>
            wire(
              address,
              'revokeRole',
              { requestId: randomUUID(), userId: memberId, role: { kind: RoleKind.ROLE_KIND_ACCOUNTANT }, reason: 'x' },
              operatorToken,
            ),
          'FAILED_PRECONDITION',
          'role.not_held',
        );
        await refusedWithNothingStored(
          () =>
            wire(
              address,
              'revokeRole',
              { requestId: randomUUID(), userId: memberId, role: undefined, reason: 'x' },
              operatorToken,
            ),
          invalid,
          'request.missing_field',
        );
      });

      it('RegisterBusiness with a malformed or mistyped registration number, a duplicate, or an unknown region: nothing stored', async () => {
        const number = freshRegistrationNumber();
        const business = (overrides: Partial<identityV1.RegisterBusinessRequest>) => () =>
          wire(
            address,
            'registerBusiness',
            {
              requestId: randomUUID(),
              name: '藤琴川まいたけ合同会社',
              registrationNumber: freshRegistrationNumber(),
              region: 'fujisato',
              address: '',
              ...overrides,
            },
            operatorToken,
          );
        const typo = `T${(Number(number[1]) % 9) + 1}${number.slice(2)}`;
        await refusedWithNothingStored(
          business({ registrationNumber: 'T12345' }),
          invalid,
          'business.registration_number_malformed',
        );
        await refusedWithNothingStored(
          business({ registrationNumber: number.slice(1) }),
          invalid,
          'business.registration_number_malformed',
        );
        await refusedWithNothingStored(
          business({ registrationNumber: typo }),
          invalid,
          'business.registration_number_check_digit',
        );
        await refusedWithNothingStored(business({ region: '' }), invalid, 'request.missing_field');
        await refusedWithNothingStored(business({ region: 'osaka' }), invalid, 'region.unknown');
        await refusedWithNothingStored(business({ name: '' }), invalid, 'business.name_required');
        await refusedWithNothingStored(business({ requestId: '' }), invalid, 'request.missing_field');
        await client.registerBusiness(
          {
            requestId: randomUUID(),
            name: '白神ウッドワークス株式会社',
            registrationNumber: number,
            region: 'fujisato',
            address: '',
          },
          { token: operatorToken },
        );
        await refusedWithNothingStored(
          business({ registrationNumber: number }),
          'FAILED_PRECONDITION',
          'business.duplicate_registration_number',
        );
      });

      it('queries with a missing or malformed id', async () => {
        expect(await refusal(wire(address, 'getMember', { memberId: '' }, operatorToken))).toEqual({
          status: invalid,
          errorCode: 'request.missing_field',
        });
        expect(await refusal(wire(address, 'getMember', { memberId: 'yoko' }, operatorToken))).toEqual({
          status: invalid,
          errorCode: 'member.invalid_id',
        });
        expect(await refusal(wire(address, 'getMember', { memberId: randomUUID() }, operatorToken))).toEqual({
          status: 'NOT_FOUND',
          errorCode: 'member.not_found',
        });
        expect(await refusal(wire(address, 'getBusiness', { businessId: '' }, operatorToken))).toEqual({
          status: invalid,
          errorCode: 'request.missing_field',
        });
        expect(await refusal(wire(address, 'verifyToken', { token: '' }, operatorToken))).toEqual({
          status: invalid,
          errorCode: 'request.missing_field',
        });
      });
    });

    describe('text the host refuses before the handlers: too long or holding a NUL', () => {
      const invalid = 'INVALID_ARGUMENT';
      const over = (max: number) => 'あ'.repeat(max + 1);
      const withData = (data: Partial<identityV1.PersonalData>) => memberRequest({ personalData: personalData(data) });

      it("each text field one character beyond its limit: the domain's code, nothing stored", async () => {
        const cases: readonly [string, () => Promise<WireOutcome<unknown>>, string][] = [
          [
            'name',
            () => wire(address, 'registerMember', withData({ name: over(LIMITS.name) }), operatorToken),
            'personal_data.name_too_long',
          ],
          [
            'address',
            () => wire(address, 'registerMember', withData({ address: over(LIMITS.address) }), operatorToken),
            'personal_data.address_too_long',
          ],
          [
            'email',
            () =>
              wire(address, 'registerMember', withData({ email: `${'a'.repeat(LIMITS.email)}@x.jp` }), operatorToken),
            'personal_data.invalid_email',
          ],
          [
            'holder',
            () =>
              wire(
                address,
                'registerMember',
                withData({ bankAccount: bankAccount({ holderNameKana: 'ア'.repeat(LIMITS.name + 1) }) }),
                operatorToken,
              ),
            'bank_account.invalid_holder',
          ],
          [
            'skill',
            () => wire(address, 'registerMember', memberRequest({ skills: [over(MAX_SKILL_LENGTH)] }), operatorToken),
            'member.invalid_skill',
          ],
          [
            'password',
            () => wire(address, 'registerMember', memberRequest({ password: over(LIMITS.passwordMax) }), operatorToken),
            'password.too_long',
          ],
          [
            'user name',
            () =>
              wire(
                address,
                'registerUser',
                { requestId: randomUUID(), name: over(LIMITS.name), email: `u.${unique()}@x.jp`, password: PASSWORD },
                operatorToken,
              ),
            'personal_data.name_too_long',
          ],
          [
            'business name',
            () =>
              wire(
                address,
                'registerBusiness',
                {
                  requestId: randomUUID(),
                  name: over(MAX_BUSINESS_NAME),
                  registrationNumber: freshRegistrationNumber(),
                  region: 'fujisato',
                  address: '',
                },
                operatorToken,
              ),
            'business.name_too_long',
          ],
          [
            'business address',
            () =>
              wire(
                address,
                'registerBusiness',
                {
                  requestId: randomUUID(),
                  name: '藤里観光',
                  registrationNumber: freshRegistrationNumber(),
                  region: 'fujisato',
                  address: over(MAX_BUSINESS_ADDRESS),
                },
                operatorToken,
              ),
            'business.address_too_long',
          ],
          [
            'role reason',
            () =>
              wire(
                address,
                'grantRole',
                {
                  requestId: randomUUID(),
                  userId: randomUUID(),
                  role: { kind: RoleKind.ROLE_KIND_ACCOUNTANT },
                  reason: over(MAX_REASON_LENGTH),
                },
                operatorToken,
              ),
            'role.reason_required',
          ],
          [
            'forget reason',
            () =>
              wire(
                address,
                'forgetMember',
                { requestId: randomUUID(), memberId: randomUUID(), reason: over(MAX_REASON_LENGTH) },
                operatorToken,
              ),
            'account.reason_required',
          ],
          [
            'an id',
            () => wire(address, 'getMember', { memberId: 'x'.repeat(100_000) }, operatorToken),
            'text.too_long',
          ],
        ];
        for (const [, call, code] of cases) await refusedWithNothingStored(call, invalid, code);
      });

      it('counts characters, not UTF-16 units: a name of 100 characters outside the BMP is taken', async () => {
        const name = '𠮷'.repeat(LIMITS.name);
        expect(name.length).toBe(2 * LIMITS.name);
        const { memberId } = await newMember({ personalData: personalData({ name }) });
        const { member } = await client.getMember({ memberId }, { token: operatorToken });
        expect(member?.personalData?.name).toBe(name);
      });

      it('VerifyToken with a 100 KB token comes back at once with a short message; as a bearer, UNAUTHENTICATED', async () => {
        const huge = 'e'.repeat(100_000);
        const outcome = await wire(address, 'verifyToken', { token: huge }, operatorToken);
        expect(outcome).toMatchObject({ ok: false, status: invalid, errorCode: 'auth.invalid_token' });
        expect(outcome.ok === false && outcome.message.length).toBeLessThan(200);
        expect(
          await refusal(wire(address, 'getMember', { memberId: randomUUID() }, 'e'.repeat(MAX_TOKEN_LENGTH + 1))),
        ).toEqual({ status: 'UNAUTHENTICATED', errorCode: 'auth.invalid_token' });
      });

      it('NUL in personal data or a skill is text.invalid_characters, nothing stored', async () => {
        await refusedWithNothingStored(
          () => wire(address, 'registerMember', withData({ name: '藤原\u0000陽子' }), operatorToken),
          invalid,
          'text.invalid_characters',
        );
        await refusedWithNothingStored(
          () => wire(address, 'registerMember', memberRequest({ skills: ['data\u0000entry'] }), operatorToken),
          invalid,
          'text.invalid_characters',
        );
      });

      it('property: any text field of RegisterMember too long or holding a NUL is INVALID_ARGUMENT, nothing stored', async () => {
        type Field = 'name' | 'address' | 'email' | 'holder' | 'skill' | 'password' | 'requestId';
        const limitOf: Record<Field, number> = {
          name: LIMITS.name,
          address: LIMITS.address,
          email: LIMITS.email,
          holder: LIMITS.name,
          skill: MAX_SKILL_LENGTH,
          password: LIMITS.passwordMax,
          requestId: MAX_REQUEST_ID_LENGTH,
        };
        const requestWith = (field: Field, value: string): identityV1.RegisterMemberRequest => {
          switch (field) {
            case 'holder':
              return withData({ bankAccount: bankAccount({ holderNameKana: value }) });
            case 'skill':
              return memberRequest({ skills: ['transcription', value] });
            case 'password':
              return memberRequest({ password: value });
            case 'requestId':
              return memberRequest({ requestId: value });
            default:
              return withData({ [field]: value });
          }
        };
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom<Field>('name', 'address', 'email', 'holder', 'skill', 'password', 'requestId'),
            fc.boolean(),
            fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }),
            async (field, tooLong, text) => {
              const value = tooLong
                ? text.repeat(Math.ceil((limitOf[field] + 1) / [...text].length) + 1)
                : `${text}\u0000`;
              const before = await snapshot();
              const outcome = await wire(address, 'registerMember', requestWith(field, value), operatorToken);
              expect(outcome).toMatchObject({ ok: false, status: invalid });
              expect(await snapshot()).toEqual(before);
            },
          ),
          { numRuns: 40 },
        );
      });
    });

    describe('retried commands (the same request_id) are applied once', () => {
      it('RegisterMember: the same member, nothing stored the second time', async () => {
        const request = memberRequest();
        secrets.push(request.personalData!.name, request.personalData!.email);
        const first = await client.registerMember(request, { token: operatorToken });
        const before = await snapshot();
        await expect(client.registerMember(request, { token: operatorToken })).resolves.toEqual(first);
        await expect(
          Promise.all([
            client.registerMember(request, { token: operatorToken }),
            client.registerMember(request, { token: operatorToken }),
          ]),
        ).resolves.toEqual([first, first]);
        expect(await snapshot()).toEqual(before);
        expect((await env.store.readStream(`member-${first.memberId}`)).map((e) => e.type)).toEqual([
          'MemberRegistered',
        ]);
      });

      it('UpdateAvailability, GrantRole, RegisterBusiness and ForgetMember: once each', async () => {
        const { memberId, token } = await newMember();
        const stream = `member-${memberId}`;
        const once = async (call: () => Promise<unknown>): Promise<unknown> => {
          const first = await call();
          const before = await snapshot();
          await expect(call()).resolves.toEqual(first);
          expect(await snapshot()).toEqual(before);
          return first;
        };
        await once(() =>
          client.updateAvailability(
            {
              requestId: 'update-1',
              memberId,
              availability: [window(DayOfWeek.DAY_OF_WEEK_THURSDAY, '10:00', '11:00')],
            },
            { token },
          ),
        );
        // Granted twice, it would be refused the second time (role.already_granted).
        await once(() =>
          client.grantRole(
            {
              requestId: 'grant-1',
              userId: memberId,
              role: { kind: RoleKind.ROLE_KIND_COORDINATOR, region: 'fujisato' },
              reason: 'runs Fujisato',
            },
            { token: operatorToken },
          ),
        );
        await once(() =>
          client.registerBusiness(
            {
              requestId: 'business-1',
              name: '粕毛ふるさと観光有限会社',
              registrationNumber: freshRegistrationNumber(),
              region: 'fujisato',
              address: '',
            },
            { token: operatorToken },
          ),
        );
        // She is forgotten by the first call; her retry is answered all the same.
        await once(() => client.forgetMember({ requestId: 'forget-1', memberId, reason: 'leaving' }, { token }));
        expect((await env.store.readStream(stream)).map((e) => e.type)).toEqual([
          'MemberRegistered',
          'MemberAvailabilityUpdated',
          'RoleGranted',
          'MemberForgotten',
        ]);
        // The same request id from another caller is another request (here refused: she is forgotten already).
        expect(
          await refusal(
            wire(address, 'forgetMember', { requestId: 'forget-1', memberId, reason: 'leaving' }, operatorToken),
          ),
        ).toEqual({
          status: 'FAILED_PRECONDITION',
          errorCode: 'account.already_forgotten',
        });
      });
    });

    describe('logs', () => {
      it('carry ids, never personal data or secrets', () => {
        const text = logLines.join('');
        expect(text).toContain('member registered');
        expect(secrets.length).toBeGreaterThan(10);
        for (const secret of [...secrets, operatorToken]) expect(text).not.toContain(secret);
      });
    });
  });
};
