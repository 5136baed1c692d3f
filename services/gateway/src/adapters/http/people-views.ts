/**
 * The region's people (identity's members, roles and businesses) between the public JSON and
 * identity's proto messages. A message identity answers that breaks its contract (an unknown
 * enum) is a fault of the gateway's own making: 500, never a guess.
 */
import { ValidationError } from '@workshare/eventsourcing';
import { commonV1, identityV1 } from '@workshare/proto';
import type { CallerRole } from '@workshare/grpc';
import {
  BANK_ACCOUNT_TYPES,
  CONTRACT_TYPES,
  GRANTABLE_ROLES,
  MEMBER_STATUSES,
  PERSONAL_DATA_STATUSES,
  type RegisterBusinessBody,
  type RegisterMemberBody,
  type RoleBody,
  WEEKDAYS,
} from './schemas.js';
import { tokyoTime } from './time.js';

class UpstreamContractError extends Error {
  override readonly name = 'UpstreamContractError';
}

/** Names ↔ proto enum values, both ways; every name of the API has its value. */
const table = <N extends string, E extends number>(names: readonly N[], values: Readonly<Record<N, E>>) => ({
  toEnum: (name: N): E => values[name],
  toName: (value: number, what: string): N => {
    const name = names.find((n) => values[n] === value);
    if (name === undefined) throw new UpstreamContractError(`identity answered an unknown ${what}: ${value}`);
    return name;
  },
});

const { ContractType, BankAccountType, PersonalDataStatus, MemberStatus, RoleKind } = identityV1;
const { DayOfWeek } = commonV1;

const CONTRACT_TYPE = table(CONTRACT_TYPES, {
  contractor: ContractType.CONTRACT_TYPE_CONTRACTOR,
  employee: ContractType.CONTRACT_TYPE_EMPLOYEE,
});
const BANK_ACCOUNT_TYPE = table(BANK_ACCOUNT_TYPES, {
  ordinary: BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY,
  checking: BankAccountType.BANK_ACCOUNT_TYPE_CHECKING,
});
const PERSONAL_DATA_STATUS = table(PERSONAL_DATA_STATUSES, {
  included: PersonalDataStatus.PERSONAL_DATA_STATUS_INCLUDED,
  withheld: PersonalDataStatus.PERSONAL_DATA_STATUS_WITHHELD,
  forgotten: PersonalDataStatus.PERSONAL_DATA_STATUS_FORGOTTEN,
});
const MEMBER_STATUS = table(MEMBER_STATUSES, {
  active: MemberStatus.MEMBER_STATUS_ACTIVE,
  forgotten: MemberStatus.MEMBER_STATUS_FORGOTTEN,
});
const DAY_OF_WEEK = table(WEEKDAYS, {
  mon: DayOfWeek.DAY_OF_WEEK_MONDAY,
  tue: DayOfWeek.DAY_OF_WEEK_TUESDAY,
  wed: DayOfWeek.DAY_OF_WEEK_WEDNESDAY,
  thu: DayOfWeek.DAY_OF_WEEK_THURSDAY,
  fri: DayOfWeek.DAY_OF_WEEK_FRIDAY,
  sat: DayOfWeek.DAY_OF_WEEK_SATURDAY,
  sun: DayOfWeek.DAY_OF_WEEK_SUNDAY,
});
const GRANTABLE_ROLE = table(GRANTABLE_ROLES, {
  coordinator: RoleKind.ROLE_KIND_COORDINATOR,
  business: RoleKind.ROLE_KIND_BUSINESS,
  accountant: RoleKind.ROLE_KIND_ACCOUNTANT,
  operator: RoleKind.ROLE_KIND_OPERATOR,
});
const ROLE_OF_KIND: ReadonlyMap<identityV1.RoleKind, CallerRole['role']> = new Map([
  [RoleKind.ROLE_KIND_MEMBER, 'member'],
  [RoleKind.ROLE_KIND_COORDINATOR, 'coordinator'],
  [RoleKind.ROLE_KIND_BUSINESS, 'business'],
  [RoleKind.ROLE_KIND_ACCOUNTANT, 'accountant'],
  [RoleKind.ROLE_KIND_OPERATOR, 'operator'],
]);

const textOrNull = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);

const invalid = (field: string, message: string): ValidationError =>
  new ValidationError('request.invalid', `${field} ${message}`, { errors: [{ field, message }] });

/** `<region>/<town>` of the region in the path: its town slug. */
const townOf = (regionId: string, townId: string): string => {
  const [region, town] = townId.split('/', 2);
  if (region !== regionId || town === undefined) throw invalid('body.townId', `must be a town of ${regionId}`);
  return town;
};

export const registerMemberRequest = (
  requestId: string,
  regionId: string,
  body: RegisterMemberBody,
): identityV1.RegisterMemberRequest => {
  const { personalData } = body;
  const bank = personalData.bankAccount;
  return {
    requestId,
    region: regionId,
    town: townOf(regionId, body.townId),
    officePrefecture: body.officePrefecture,
    contractType: CONTRACT_TYPE.toEnum(body.contractType),
    skills: body.skills,
    availability: body.windows.map((w) => ({ dayOfWeek: DAY_OF_WEEK.toEnum(w.day), start: w.start, end: w.end })),
    personalData: {
      name: personalData.name,
      address: personalData.address,
      email: personalData.email,
      bankAccount: {
        bankCode: bank.bankCode,
        branchCode: bank.branchCode,
        accountType: BANK_ACCOUNT_TYPE.toEnum(bank.accountType),
        accountNumber: bank.accountNumber,
        holderNameKana: bank.holderNameKana,
      },
    },
    password: body.password,
  };
};

export const memberView = (member: identityV1.Member | undefined) => {
  if (member === undefined) throw new UpstreamContractError('identity answered no member');
  const status = PERSONAL_DATA_STATUS.toName(member.personalDataStatus, 'personal data status');
  const data = status === 'included' ? member.personalData : undefined;
  const bank = data?.bankAccount;
  if (member.registeredAt === undefined) throw new UpstreamContractError('identity answered no registration time');
  return {
    memberId: member.memberId,
    regionId: member.region,
    townId: `${member.region}/${member.town}`,
    officePrefecture: member.officePrefecture,
    contractType: CONTRACT_TYPE.toName(member.contractType, 'contract type'),
    skills: member.skills,
    windows: member.availability.map((w) => ({
      day: DAY_OF_WEEK.toName(w.dayOfWeek, 'day of the week'),
      start: w.start,
      end: w.end,
    })),
    status: MEMBER_STATUS.toName(member.status, 'member status'),
    registeredAt: tokyoTime(member.registeredAt),
    personalDataStatus: status,
    personalData:
      data === undefined
        ? null
        : {
            name: data.name,
            address: textOrNull(data.address),
            email: textOrNull(data.email),
            bankAccount:
              bank === undefined
                ? null
                : {
                    bankCode: bank.bankCode,
                    branchCode: bank.branchCode,
                    accountType: BANK_ACCOUNT_TYPE.toName(bank.accountType, 'bank account type'),
                    accountNumber: bank.accountNumber,
                    holderNameKana: bank.holderNameKana,
                  },
          },
  };
};

/** A role as the API names it; a kind this gateway does not know is left out. */
const roleView = (role: identityV1.Role) => {
  const name = ROLE_OF_KIND.get(role.kind);
  if (name === undefined) return [];
  return [
    {
      role: name,
      ...(role.region ? { region: role.region } : {}),
      ...(role.businessId ? { businessId: role.businessId } : {}),
    },
  ];
};

export const membersView = (response: identityV1.ListMembersResponse) => ({
  members: response.members.map((m) => ({ member: memberView(m.member), roles: m.roles.flatMap(roleView) })),
});

/** A role to grant or revoke: a coordinator names her region, a business user her business, nobody else either. */
export const roleRequest = (body: RoleBody): identityV1.Role => {
  if (body.role === 'coordinator' && body.regionId === undefined)
    throw invalid('body.regionId', 'is required for a coordinator');
  if (body.role === 'business' && body.businessId === undefined)
    throw invalid('body.businessId', 'is required for a business user');
  if (body.role !== 'coordinator' && body.regionId !== undefined)
    throw invalid('body.regionId', 'is for a coordinator only');
  if (body.role !== 'business' && body.businessId !== undefined)
    throw invalid('body.businessId', 'is for a business user only');
  return {
    kind: GRANTABLE_ROLE.toEnum(body.role),
    ...(body.regionId !== undefined ? { region: body.regionId } : {}),
    ...(body.businessId !== undefined ? { businessId: body.businessId } : {}),
  };
};

export const registerBusinessRequest = (
  requestId: string,
  regionId: string,
  body: RegisterBusinessBody,
): identityV1.RegisterBusinessRequest => ({
  requestId,
  name: body.name,
  registrationNumber: body.registrationNumber,
  region: regionId,
  address: body.address ?? '',
});

export const businessView = (business: identityV1.Business) => ({
  businessId: business.businessId,
  name: business.name,
  registrationNumber: business.registrationNumber,
  regionId: business.region,
  address: textOrNull(business.address),
});

export const businessesView = (response: identityV1.ListBusinessesResponse) => ({
  businesses: response.businesses.map(businessView),
});
