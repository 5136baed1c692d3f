import {
  commonV1,
  descriptorSet,
  fileDescriptorProtos,
  identityV1,
  moneyFromYen,
  serviceNames,
  yenFromMoney,
} from '../src/index.js';

// The generated TypeScript: messages round-trip through the wire format, the grpc-js service
// definition names the real paths, and the descriptors for server reflection are complete.

describe('generated identity contract', () => {
  it('round-trips a member with personal data, availability windows and a timestamp', () => {
    const member: identityV1.Member = {
      memberId: 'm-1',
      region: 'fujisato',
      town: 'fujikoto',
      officePrefecture: 'JP-05',
      contractType: identityV1.ContractType.CONTRACT_TYPE_EMPLOYEE,
      skills: ['transcription', 'data-entry'],
      availability: [{ dayOfWeek: commonV1.DayOfWeek.DAY_OF_WEEK_TUESDAY, start: '13:00', end: '13:40' }],
      status: identityV1.MemberStatus.MEMBER_STATUS_ACTIVE,
      registeredAt: new Date('2026-04-01T00:00:00.000Z'),
      personalDataStatus: identityV1.PersonalDataStatus.PERSONAL_DATA_STATUS_INCLUDED,
      personalData: {
        name: '藤里 花子',
        address: '秋田県山本郡藤里町藤琴',
        email: 'hanako@example.jp',
        bankAccount: {
          bankCode: '0001',
          branchCode: '123',
          accountType: identityV1.BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY,
          accountNumber: '1234567',
          holderNameKana: 'フジサト ハナコ',
        },
      },
    };
    const bytes = identityV1.GetMemberResponse.encode({ member }).finish();
    expect(identityV1.GetMemberResponse.decode(bytes)).toEqual({ member });
  });

  it('leaves personal data out of the message when it is withheld', () => {
    const decoded = identityV1.Member.decode(
      identityV1.Member.encode(
        identityV1.Member.fromPartial({
          memberId: 'm-2',
          personalDataStatus: identityV1.PersonalDataStatus.PERSONAL_DATA_STATUS_WITHHELD,
        }),
      ).finish(),
    );
    expect(decoded.personalData).toBeUndefined();
    expect(decoded.personalDataStatus).toBe(identityV1.PersonalDataStatus.PERSONAL_DATA_STATUS_WITHHELD);
  });

  it('keeps a coordinator role region and a business role business id optional', () => {
    const caller: identityV1.Caller = {
      subject: 'u-1',
      roles: [
        { kind: identityV1.RoleKind.ROLE_KIND_COORDINATOR, region: 'fujisato' },
        { kind: identityV1.RoleKind.ROLE_KIND_MEMBER },
      ],
    };
    const decoded = identityV1.Caller.decode(identityV1.Caller.encode(caller).finish());
    expect(decoded.roles[0]).toEqual({ kind: identityV1.RoleKind.ROLE_KIND_COORDINATOR, region: 'fujisato' });
    expect(decoded.roles[1]?.region).toBeUndefined();
  });

  it('describes the grpc-js service with the paths of package workshare.identity.v1', () => {
    const service = identityV1.IdentityServiceService;
    expect(service.getMember.path).toBe('/workshare.identity.v1.IdentityService/GetMember');
    expect(Object.keys(service).sort()).toEqual([
      'forgetMember',
      'getBusiness',
      'getMember',
      'grantRole',
      'listBusinesses',
      'listMembers',
      'listRegions',
      'login',
      'logout',
      'openTexts',
      'refresh',
      'registerBusiness',
      'registerMember',
      'registerUser',
      'revokeRole',
      'sealTexts',
      'updateAvailability',
      'verifyToken',
    ]);
    for (const method of Object.values(service)) {
      expect(method.requestStream).toBe(false);
      expect(method.responseStream).toBe(false);
    }
    expect(identityV1.IdentityServiceClient.serviceName).toBe('workshare.identity.v1.IdentityService');
  });
});

describe('descriptors for server reflection', () => {
  it('hold every service of the contracts', () => {
    expect(serviceNames).toContain('workshare.identity.v1.IdentityService');
  });

  it('split the set into files, imports included, each a well-formed FileDescriptorProto', () => {
    expect(descriptorSet.length).toBeGreaterThan(0);
    const names = fileDescriptorProtos.map((bytes) => {
      // field 1 of FileDescriptorProto is its name: tag 0x0a, then a one-byte length here.
      expect(bytes[0]).toBe(0x0a);
      return Buffer.from(bytes.subarray(2, 2 + (bytes[1] ?? 0))).toString('utf8');
    });
    expect(names).toEqual(
      expect.arrayContaining([
        'google/protobuf/timestamp.proto',
        'workshare/common/v1/common.proto',
        'workshare/identity/v1/identity.proto',
      ]),
    );
    expect(names.indexOf('workshare/common/v1/common.proto')).toBeLessThan(
      names.indexOf('workshare/identity/v1/identity.proto'),
    );
  });
});

describe('money on the wire', () => {
  it('carries integer yen exactly, beyond 2^53', () => {
    const big = 2n ** 60n + 1n;
    const money = commonV1.Money.decode(commonV1.Money.encode(moneyFromYen(big)).finish());
    expect(money.yen).toBe('1152921504606846977');
    expect(yenFromMoney(money)).toBe(big);
    expect(yenFromMoney(moneyFromYen(15_000))).toBe(15_000n);
    expect(yenFromMoney(undefined)).toBe(0n);
  });

  it('refuses fractions, unsafe numbers and amounts beyond int64', () => {
    expect(() => moneyFromYen(105.5)).toThrow(RangeError);
    expect(() => moneyFromYen(2 ** 53)).toThrow(RangeError);
    expect(() => moneyFromYen(2n ** 63n)).toThrow(RangeError);
    expect(() => yenFromMoney({ yen: '1.5' })).toThrow(RangeError);
    expect(() => yenFromMoney({ yen: '9223372036854775808' })).toThrow(RangeError);
    expect(yenFromMoney({ yen: '-9223372036854775808' })).toBe(-(2n ** 63n));
  });
});
