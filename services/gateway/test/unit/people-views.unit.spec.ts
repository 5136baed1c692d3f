import { commonV1, identityV1 } from '@workshare/proto';
import { businessView, memberView, registerMemberRequest, roleRequest } from '../../src/adapters/http/people-views.js';

const member = (overrides: Partial<identityV1.Member> = {}): identityV1.Member => ({
  memberId: 'm-1',
  region: 'fujisato',
  town: 'fujikoto',
  officePrefecture: 'JP-05',
  contractType: identityV1.ContractType.CONTRACT_TYPE_EMPLOYEE,
  skills: ['data entry'],
  availability: [{ dayOfWeek: commonV1.DayOfWeek.DAY_OF_WEEK_SUNDAY, start: '09:00', end: '24:00' }],
  status: identityV1.MemberStatus.MEMBER_STATUS_ACTIVE,
  registeredAt: new Date('2026-04-01T00:00:00Z'),
  personalDataStatus: identityV1.PersonalDataStatus.PERSONAL_DATA_STATUS_WITHHELD,
  personalData: undefined,
  ...overrides,
});

describe('the region’s people in the API’s words', () => {
  it('a member: her town as <region>/<town>, windows by weekday, Tokyo time; personal data only when included', () => {
    expect(memberView(member())).toEqual({
      memberId: 'm-1',
      regionId: 'fujisato',
      townId: 'fujisato/fujikoto',
      officePrefecture: 'JP-05',
      contractType: 'employee',
      skills: ['data entry'],
      windows: [{ day: 'sun', start: '09:00', end: '24:00' }],
      status: 'active',
      registeredAt: '2026-04-01T09:00:00.000+09:00',
      personalDataStatus: 'withheld',
      personalData: null,
    });
    // Data a service sent while saying it is withheld is not shown.
    const withheld = member({ personalData: { name: 'x', address: 'y', email: 'z', bankAccount: undefined } });
    expect(memberView(withheld).personalData).toBeNull();
    const included = memberView(
      member({
        personalDataStatus: identityV1.PersonalDataStatus.PERSONAL_DATA_STATUS_INCLUDED,
        personalData: { name: '花子', address: '', email: 'h@test.example', bankAccount: undefined },
      }),
    );
    expect(included.personalData).toEqual({ name: '花子', address: null, email: 'h@test.example', bankAccount: null });
  });

  it('an enum identity should never answer is a contract breach (500), never a guess', () => {
    expect(() => memberView(member({ contractType: identityV1.ContractType.CONTRACT_TYPE_UNSPECIFIED }))).toThrow(
      /unknown contract type/,
    );
    expect(() => memberView(member({ availability: [{ dayOfWeek: 0, start: '09:00', end: '10:00' }] }))).toThrow(
      /unknown day of the week/,
    );
    expect(() => memberView(undefined)).toThrow(/no member/);
  });

  it('a registration names a town of the region in the path', () => {
    const body = {
      townId: 'fujisato/fujikoto',
      officePrefecture: 'JP-05',
      contractType: 'contractor' as const,
      skills: [],
      windows: [{ day: 'mon' as const, start: '09:00', end: '12:00' }],
      personalData: {
        name: 'n',
        address: 'a',
        email: 'e@test.example',
        bankAccount: {
          bankCode: '0001',
          branchCode: '001',
          accountType: 'checking' as const,
          accountNumber: '1234567',
          holderNameKana: 'ハナコ',
        },
      },
      password: 'a-long-password',
    };
    expect(registerMemberRequest('r-1', 'fujisato', body)).toMatchObject({
      region: 'fujisato',
      town: 'fujikoto',
      contractType: identityV1.ContractType.CONTRACT_TYPE_CONTRACTOR,
      availability: [{ dayOfWeek: commonV1.DayOfWeek.DAY_OF_WEEK_MONDAY, start: '09:00', end: '12:00' }],
      personalData: { bankAccount: { accountType: identityV1.BankAccountType.BANK_ACCOUNT_TYPE_CHECKING } },
    });
    expect(() => registerMemberRequest('r-1', 'setagaya', body)).toThrow(
      expect.objectContaining({
        code: 'request.invalid',
        details: { errors: [expect.objectContaining({ field: 'body.townId' })] },
      }),
    );
  });

  it('a role names its region (a coordinator) or business (a business user), and nothing else', () => {
    expect(roleRequest({ role: 'coordinator', regionId: 'fujisato', reason: 'x' })).toEqual({
      kind: identityV1.RoleKind.ROLE_KIND_COORDINATOR,
      region: 'fujisato',
    });
    expect(roleRequest({ role: 'business', businessId: 'b-1', reason: 'x' })).toEqual({
      kind: identityV1.RoleKind.ROLE_KIND_BUSINESS,
      businessId: 'b-1',
    });
    expect(roleRequest({ role: 'operator', reason: 'x' })).toEqual({ kind: identityV1.RoleKind.ROLE_KIND_OPERATOR });
    for (const body of [
      { role: 'coordinator' as const, reason: 'x' },
      { role: 'business' as const, reason: 'x' },
      { role: 'accountant' as const, regionId: 'fujisato', reason: 'x' },
      { role: 'coordinator' as const, regionId: 'fujisato', businessId: 'b-1', reason: 'x' },
    ])
      expect(() => roleRequest(body)).toThrow(expect.objectContaining({ code: 'request.invalid' }));
  });

  it('a business without an address answers null', () => {
    expect(
      businessView({ businessId: 'b', name: 'n', registrationNumber: 'T1', region: 'fujisato', address: '' }),
    ).toEqual({
      businessId: 'b',
      name: 'n',
      registrationNumber: 'T1',
      regionId: 'fujisato',
      address: null,
    });
  });
});
