/**
 * What the gRPC host refuses before identity's handlers run, over a real loopback socket: text
 * longer than its field's limit, NUL and invalid UTF-8 in any text field, and a property over
 * every text field of every command (RegisterMember, RegisterUser, RegisterBusiness,
 * GrantRole, RevokeRole, ForgetMember). Each refusal is INVALID_ARGUMENT and stores nothing
 * (no event, no data key); an email with a NUL neither registers nor signs in. Run on the
 * embedded store (text-input.spec.ts) and on PostgreSQL (text-input.int.spec.ts).
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, GlobalPosition } from '@workshare/eventsourcing';
import { ID_MAX_LENGTH, jsonLogger, wireCallBytes, type GrpcServer, type WireOutcome } from '@workshare/grpc';
import { commonV1, identityV1 } from '@workshare/proto';
import fc from 'fast-check';
import { startIdentityGrpc } from '../../src/adapters/grpc/identity-grpc.js';
import type { IdentityService } from '../../src/application/identity-service.js';
import { IDENTITY_REQUEST_LIMITS } from '../../src/contract.js';
import { corporateRegistrationNumber } from '../../src/domain/registration-number.js';
import { wire, type MethodName, type RequestOfMethod } from './wire.js';

export interface TextInputTestEnv {
  readonly service: IdentityService;
  readonly store: EventStore;
  /** Data keys in the key vault (active or destroyed). */
  keyCount(): Promise<number>;
  close(): Promise<void>;
}

const PASSWORD = 'correct horse battery staple';
const Service = identityV1.IdentityServiceService;
const { ContractType, BankAccountType, RoleKind } = identityV1;
const FIELDS = IDENTITY_REQUEST_LIMITS.fields;

let sequence = 0;
const unique = () => `${Date.now().toString(36)}${(sequence++).toString(36)}`;

/** A protobuf varint. */
const varint = (value: number): number[] => {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return bytes;
};
/** One length-delimited field (a string or a message) as it goes on the wire: a later one overrides (merges) an earlier. */
const lengthDelimited = (field: number, bytes: readonly number[]): Buffer =>
  Buffer.from([...varint((field << 3) | 2), ...varint(bytes.length), ...bytes]);
/** `a`, a byte that is no UTF-8, `b`. */
const INVALID_UTF8 = [0x61, 0xff, 0x62];

const memberRequest = (
  overrides: Partial<identityV1.RegisterMemberRequest> = {},
  personal: Partial<identityV1.PersonalData> = {},
): identityV1.RegisterMemberRequest => ({
  requestId: randomUUID(),
  region: 'fujisato',
  town: 'fujikoto',
  officePrefecture: '',
  contractType: ContractType.CONTRACT_TYPE_CONTRACTOR,
  skills: ['transcription'],
  availability: [{ dayOfWeek: commonV1.DayOfWeek.DAY_OF_WEEK_MONDAY, start: '13:00', end: '13:40' }],
  personalData: {
    name: '藤原 陽子',
    address: '秋田県山本郡藤里町藤琴 テスト番地1',
    email: `yoko.${unique()}@fujisato.example`,
    bankAccount: {
      bankCode: '9999',
      branchCode: '001',
      accountType: BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY,
      accountNumber: '0012345',
      holderNameKana: 'フジワラ ヨウコ',
    },
    ...personal,
  },
  password: PASSWORD,
  ...overrides,
});

export const describeIdentityTextInput = (label: string, setup: () => Promise<TextInputTestEnv>): void => {
  describe(`what the gRPC host refuses before identity's handlers (${label})`, () => {
    let env: TextInputTestEnv;
    let server: GrpcServer;
    let operatorToken: string;
    let memberId: string;

    type Snapshot = { head: GlobalPosition; keys: number };
    const snapshot = async (): Promise<Snapshot> => ({
      head: await env.store.headPosition(),
      keys: await env.keyCount(),
    });
    /** The call is refused INVALID_ARGUMENT (with this code, when given), and nothing more is stored. */
    const refusedWithNothingStored = async (
      call: () => Promise<WireOutcome<unknown>>,
      errorCode?: string,
    ): Promise<void> => {
      const before = await snapshot();
      const outcome = await call();
      expect(outcome).toMatchObject({
        ok: false,
        status: 'INVALID_ARGUMENT',
        ...(errorCode !== undefined ? { errorCode } : {}),
      });
      expect(await snapshot()).toEqual(before);
    };
    const call = <K extends MethodName>(method: K, request: RequestOfMethod<K>, token = operatorToken) =>
      wire(server.address, method, request, token);
    const callBytes = <K extends MethodName>(method: K, bytes: Buffer, token = operatorToken) =>
      wireCallBytes(Service, server.address, method, bytes, { token });

    beforeAll(async () => {
      env = await setup();
      server = await startIdentityGrpc({
        service: env.service,
        port: 0,
        host: '127.0.0.1',
        logger: jsonLogger('error'),
      });
      await env.service.bootstrapOperator({ name: '北村 彩', email: 'aya@text.example', password: PASSWORD });
      operatorToken = (await env.service.login('aya@text.example', PASSWORD)).token;
      const registered = await call('registerMember', memberRequest());
      if (!registered.ok) throw new Error(`the member was not registered: ${registered.message}`);
      memberId = registered.response.memberId;
    });
    afterAll(async () => {
      await server?.shutdown(1_000);
      await env?.close();
    });

    it('invalid UTF-8 in a name, an email, a password, a business name or a reason: text.invalid_characters', async () => {
      const request = memberRequest();
      const member = Buffer.from(identityV1.RegisterMemberRequest.encode(request).finish());
      const personal = [...identityV1.PersonalData.encode(request.personalData!).finish()];
      /** The member's personal data again, its field `field` (1 name, 3 email) set to these bytes. */
      const withPersonal = (field: number, bytes: readonly number[]) =>
        Buffer.concat([member, lengthDelimited(8, [...personal, ...lengthDelimited(field, bytes)])]);
      await refusedWithNothingStored(
        () => callBytes('registerMember', withPersonal(1, INVALID_UTF8)),
        'text.invalid_characters',
      );
      await refusedWithNothingStored(
        () => callBytes('registerMember', withPersonal(3, INVALID_UTF8)),
        'text.invalid_characters',
      );
      await refusedWithNothingStored(
        () => callBytes('registerMember', Buffer.concat([member, lengthDelimited(9, INVALID_UTF8)])),
        'text.invalid_characters',
      );
      const business = Buffer.from(
        identityV1.RegisterBusinessRequest.encode({
          requestId: randomUUID(),
          name: '藤里観光',
          registrationNumber: corporateRegistrationNumber('970101000001'),
          region: 'fujisato',
          address: '',
        }).finish(),
      );
      await refusedWithNothingStored(
        () => callBytes('registerBusiness', Buffer.concat([business, lengthDelimited(2, INVALID_UTF8)])),
        'text.invalid_characters',
      );
      const forget = Buffer.from(
        identityV1.ForgetMemberRequest.encode({ requestId: randomUUID(), memberId, reason: 'moving' }).finish(),
      );
      await refusedWithNothingStored(
        () => callBytes('forgetMember', Buffer.concat([forget, lengthDelimited(3, INVALID_UTF8)])),
        'text.invalid_characters',
      );
      // Well-formed UTF-8 (藤) in the same place goes through.
      const fine = await callBytes('registerMember', withPersonal(1, [0xe8, 0x97, 0xa4]));
      expect(fine.ok).toBe(true);
    });

    it('an email with a NUL neither registers nor signs in', async () => {
      const email = `nul.${unique()}@fujisato.example`;
      await refusedWithNothingStored(
        () => call('registerMember', memberRequest({}, { email: `${email}\u0000` })),
        'text.invalid_characters',
      );
      await refusedWithNothingStored(
        () => call('registerUser', { requestId: randomUUID(), name: 'x', email: `\u0000${email}`, password: PASSWORD }),
        'text.invalid_characters',
      );
      await refusedWithNothingStored(
        () => call('login', { email: `aya@text.example\u0000`, password: PASSWORD }, undefined),
        'text.invalid_characters',
      );
      // The facade refuses it as well, as any email that cannot be one.
      await expect(env.service.login('aya@text.example\u0000', PASSWORD)).rejects.toMatchObject({
        code: 'auth.invalid_credentials',
      });
    });

    it('property: a text field of any command too long or holding a NUL is INVALID_ARGUMENT, nothing stored', async () => {
      type Field = {
        readonly method: MethodName;
        readonly field: string;
        readonly max: number;
        readonly request: (value: string) => () => Promise<WireOutcome<unknown>>;
      };
      const limit = (method: keyof typeof FIELDS, path: string): number => {
        const declared = (FIELDS[method] as Record<string, number | { maxLength: number }>)[path];
        return declared === undefined ? ID_MAX_LENGTH : typeof declared === 'number' ? declared : declared.maxLength;
      };
      const role = { kind: RoleKind.ROLE_KIND_ACCOUNTANT };
      const business = (overrides: Partial<identityV1.RegisterBusinessRequest>) => ({
        requestId: randomUUID(),
        name: '藤里観光',
        registrationNumber: corporateRegistrationNumber('970101000002'),
        region: 'fujisato',
        address: '',
        ...overrides,
      });
      const user = (overrides: Partial<identityV1.RegisterUserRequest>) => ({
        requestId: randomUUID(),
        name: '佐々木 誠',
        email: `user.${unique()}@text.example`,
        password: PASSWORD,
        ...overrides,
      });
      const bank = (holderNameKana: string) => ({ ...memberRequest().personalData!.bankAccount!, holderNameKana });
      const fields: readonly Field[] = [
        ...(
          [
            ['personalData.name', (v: string) => memberRequest({}, { name: v })],
            ['personalData.address', (v: string) => memberRequest({}, { address: v })],
            ['personalData.email', (v: string) => memberRequest({}, { email: v })],
            ['personalData.bankAccount.holderNameKana', (v: string) => memberRequest({}, { bankAccount: bank(v) })],
            ['skills[]', (v: string) => memberRequest({ skills: ['transcription', v] })],
            ['password', (v: string) => memberRequest({ password: v })],
            ['requestId', (v: string) => memberRequest({ requestId: v })],
            ['town', (v: string) => memberRequest({ town: v })],
          ] as const
        ).map(([field, request]) => ({
          method: 'registerMember' as const,
          field,
          max: limit('registerMember', field),
          request: (v: string) => () => call('registerMember', request(v)),
        })),
        ...(['name', 'email', 'password', 'requestId'] as const).map((field) => ({
          method: 'registerUser' as const,
          field,
          max: limit('registerUser', field),
          request: (v: string) => () => call('registerUser', user({ [field]: v })),
        })),
        ...(['name', 'address', 'registrationNumber', 'requestId'] as const).map((field) => ({
          method: 'registerBusiness' as const,
          field,
          max: limit('registerBusiness', field),
          request: (v: string) => () => call('registerBusiness', business({ [field]: v })),
        })),
        ...(['grantRole', 'revokeRole'] as const).flatMap((method) =>
          (['reason', 'requestId', 'userId'] as const).map((field) => ({
            method,
            field,
            max: limit(method, field),
            request: (v: string) => () =>
              call(method, { requestId: randomUUID(), userId: memberId, role, reason: 'needed', [field]: v }),
          })),
        ),
        ...(['reason', 'requestId', 'memberId'] as const).map((field) => ({
          method: 'forgetMember' as const,
          field,
          max: limit('forgetMember', field),
          request: (v: string) => () =>
            call('forgetMember', { requestId: randomUUID(), memberId, reason: 'moving', [field]: v }),
        })),
      ];
      // Too long: more characters than the limit (of one or two UTF-16 units each); or a NUL anywhere.
      const bad = (max: number): fc.Arbitrary<string> =>
        fc.oneof(
          fc
            .tuple(fc.integer({ min: 1, max: 3 * max }), fc.constantFrom('a', '藤', '𠀋', ' '))
            .map(([extra, unit]) => unit.repeat(max + Math.min(extra, max))),
          fc
            .tuple(fc.string({ maxLength: Math.min(max - 1, 60) }), fc.string({ maxLength: 20 }))
            .map(([before, after]) => `${before}\u0000${after}`.slice(0, max)),
        );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...fields).chain((field) => fc.tuple(fc.constant(field), bad(field.max))),
          async ([field, value]) => {
            await refusedWithNothingStored(field.request(value));
          },
        ),
        { numRuns: 60 },
      );
    });
  });
};
