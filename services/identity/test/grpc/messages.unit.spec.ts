import { commonV1, identityV1 } from '@workshare/proto';
import {
  availabilityOf,
  memberMessage,
  regionMessage,
  registerBusinessInput,
  registerMemberInput,
  roleMessage,
  roleOf,
  windowMessages,
} from '../../src/adapters/grpc/messages.js';
import { IdentityTokenVerifier } from '../../src/adapters/grpc/token-verifier.js';
import { tokenSubject } from '../../src/application/ports.js';
import { actorOf } from '@workshare/eventsourcing';
import { REGIONS } from '../../src/domain/regions.js';
import { WEEKDAYS } from '../../src/domain/availability.js';
import type { ActiveMemberView } from '../../src/application/views.js';

const { DayOfWeek } = commonV1;
const { RoleKind, BankAccountType, ContractType, PersonalDataStatus } = identityV1;

const request = (overrides: Partial<identityV1.RegisterMemberRequest> = {}): identityV1.RegisterMemberRequest => ({
  requestId: 'r-1',
  region: 'chofu',
  town: 'sengawa',
  officePrefecture: '',
  contractType: ContractType.CONTRACT_TYPE_EMPLOYEE,
  skills: ['data entry'],
  availability: [{ dayOfWeek: DayOfWeek.DAY_OF_WEEK_SUNDAY, start: '09:00', end: '10:00' }],
  personalData: {
    name: '鈴木 智子',
    address: '東京都調布市仙川町 1',
    email: 'tomoko@example.jp',
    bankAccount: {
      bankCode: '0001',
      branchCode: '002',
      accountType: BankAccountType.BANK_ACCOUNT_TYPE_CHECKING,
      accountNumber: '0000001',
      holderNameKana: 'スズキ トモコ',
    },
  },
  password: 'p'.repeat(12),
  ...overrides,
});

const errorOf = (work: () => unknown): unknown => {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

describe('proto messages ↔ the facade', () => {
  it('maps a RegisterMember request to the facade’s input (town id, contract, checking account, windows)', () => {
    expect(registerMemberInput(request())).toEqual({
      name: '鈴木 智子',
      address: '東京都調布市仙川町 1',
      email: 'tomoko@example.jp',
      password: 'p'.repeat(12),
      bankAccount: { bankCode: '0001', branchCode: '002', type: 'current', number: '0000001', holder: 'スズキ トモコ' },
      townId: 'chofu/sengawa',
      contractType: 'employee',
      skills: ['data entry'],
      availability: [{ day: 'sun', start: '09:00', end: '10:00' }],
    });
    expect(registerMemberInput(request({ officePrefecture: 'jp-13' })).townId).toBe('chofu/sengawa');
  });

  it.each([
    ['a missing region', { region: '' }, 'request.missing_field', { field: 'region' }],
    ['a missing town', { town: '' }, 'request.missing_field', { field: 'town' }],
    ['missing personal data', { personalData: undefined }, 'request.missing_field', { field: 'personal_data' }],
    ['another office', { officePrefecture: 'JP-05' }, 'member.office_prefecture_mismatch', { region: 'chofu' }],
    ['no contract type', { contractType: ContractType.CONTRACT_TYPE_UNSPECIFIED }, 'member.invalid_contract_type', {}],
    ['an unknown contract type', { contractType: 9 as identityV1.ContractType }, 'member.invalid_contract_type', {}],
    [
      'a day out of range',
      { availability: [{ dayOfWeek: 8 as commonV1.DayOfWeek, start: '09:00', end: '10:00' }] },
      'availability.unknown_day',
      { index: 0 },
    ],
  ])('refuses %s at the edge', (_what, overrides, code, details) => {
    expect(
      errorOf(() => registerMemberInput(request(overrides as Partial<identityV1.RegisterMemberRequest>))),
    ).toMatchObject({ code, kind: 'invalid', details });
  });

  it('refuses a savings or unspecified bank account type, and a missing bank account', () => {
    const withBank = (bankAccount: identityV1.BankAccount | undefined) =>
      request({ personalData: { ...request().personalData!, bankAccount } });
    const bank = request().personalData!.bankAccount!;
    expect(
      errorOf(() => registerMemberInput(withBank({ ...bank, accountType: BankAccountType.BANK_ACCOUNT_TYPE_SAVINGS }))),
    ).toMatchObject({ code: 'bank_account.invalid_type' });
    expect(
      errorOf(() =>
        registerMemberInput(withBank({ ...bank, accountType: BankAccountType.BANK_ACCOUNT_TYPE_UNSPECIFIED })),
      ),
    ).toMatchObject({ code: 'bank_account.invalid_type' });
    expect(errorOf(() => registerMemberInput(withBank(undefined)))).toMatchObject({
      code: 'request.missing_field',
      details: { field: 'personal_data.bank_account' },
    });
  });

  it('maps every day of the week both ways', () => {
    const windows = WEEKDAYS.map((day) => ({ day, start: '10:00', end: '11:00' }));
    const messages = windowMessages(windows);
    expect(messages.map((m) => m.dayOfWeek)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(availabilityOf(messages)).toEqual(windows);
  });

  it('names regions by slug, Japanese name and ISO prefecture; towns by their slug within the region', () => {
    const setagaya = REGIONS.find((r) => r.id === 'setagaya')!;
    const view = {
      ...setagaya,
      office: { ...setagaya.office, prefecture: { id: 'tokyo' as const, name: 'Tokyo', nameJa: '東京都' } },
    };
    expect(regionMessage(view)).toEqual({
      region: 'setagaya',
      name: '東京都世田谷区',
      prefecture: 'JP-13',
      towns: [
        { town: 'sangenjaya', name: '三軒茶屋' },
        { town: 'shimokitazawa', name: '下北沢' },
        { town: 'futakotamagawa', name: '二子玉川' },
      ],
    });
  });

  it('maps roles both ways, and refuses an unspecified one or one without its region or business', () => {
    const roles = [
      { kind: 'member' },
      { kind: 'coordinator', regionId: 'chofu' },
      { kind: 'business', businessId: 'b-1' },
      { kind: 'accountant' },
      { kind: 'operator' },
    ] as const;
    for (const role of roles) expect(roleOf(roleMessage(role))).toEqual(role);
    expect(errorOf(() => roleOf({ kind: RoleKind.ROLE_KIND_UNSPECIFIED }))).toMatchObject({ code: 'role.invalid' });
    expect(errorOf(() => roleOf({ kind: RoleKind.ROLE_KIND_COORDINATOR, region: ' ' }))).toMatchObject({
      code: 'request.missing_field',
      details: { field: 'role.region' },
    });
    expect(errorOf(() => roleOf({ kind: RoleKind.ROLE_KIND_BUSINESS }))).toMatchObject({
      code: 'request.missing_field',
      details: { field: 'role.business_id' },
    });
    expect(errorOf(() => roleOf(undefined))).toMatchObject({
      code: 'request.missing_field',
      details: { field: 'role' },
    });
  });

  it('leaves a business address out when empty', () => {
    const base = { requestId: 'r', name: 'n', registrationNumber: 'T1', region: 'fujisato', address: '  ' };
    expect(registerBusinessInput(base)).not.toHaveProperty('address');
    expect(registerBusinessInput({ ...base, address: '藤琴 1' })).toMatchObject({ address: '藤琴 1' });
  });

  it('answers personal data only as far as the view holds it: INCLUDED with the visible fields, FORGOTTEN when shredded', () => {
    const view: ActiveMemberView = {
      memberId: 'm-1',
      status: 'active',
      access: 'coordinator',
      regionId: 'fujisato',
      townId: 'fujisato/tara',
      prefecture: 'akita',
      contractType: 'contractor',
      skills: ['design'],
      availability: [],
      timeZone: 'Asia/Tokyo',
      roles: [{ kind: 'member' }],
      registeredAt: new Date('2026-04-01T00:00:00Z'),
      personalData: { status: 'readable', name: '成田 加奈', email: 'kana@example.jp', address: '藤里町太良 1' },
    };
    expect(memberMessage(view)).toMatchObject({
      town: 'tara',
      officePrefecture: 'JP-05',
      personalDataStatus: PersonalDataStatus.PERSONAL_DATA_STATUS_INCLUDED,
      personalData: { name: '成田 加奈', email: 'kana@example.jp', address: '藤里町太良 1' },
    });
    expect(memberMessage(view).personalData).not.toHaveProperty('bankAccount');
    const shredded = memberMessage({ ...view, personalData: { status: 'forgotten' } });
    expect(shredded.personalDataStatus).toBe(PersonalDataStatus.PERSONAL_DATA_STATUS_FORGOTTEN);
    expect(shredded).not.toHaveProperty('personalData');
  });
});

describe('the identity token verifier of the gRPC host', () => {
  it('gives the host subject and roles, which the handlers turn into the actor of the use cases', async () => {
    const caller = tokenSubject(
      '01900000-0000-7000-8000-000000000001',
      'member',
      [{ kind: 'member' }, { kind: 'coordinator', regionId: 'fujisato' }],
      'fujisato',
    );
    const verifier = new IdentityTokenVerifier({
      verifyToken: async (token) => (token === 'good' ? caller : Promise.reject(new Error('bad'))),
    });
    const hostCaller = await verifier.verify('good');
    expect(hostCaller).toEqual({
      subject: caller.id,
      roles: [{ role: 'member' }, { role: 'coordinator', region: 'fujisato' }],
    });
    expect(await verifier.verify('good')).toBe(hostCaller);
    expect(actorOf(hostCaller)).toEqual({ id: caller.id, roles: caller.roles });
  });
});
