import { ValidationError, type PersonRole as Role } from '@workshare/eventsourcing';
import { commonV1, identityV1 } from '@workshare/proto';
import type { ContractType } from '../../domain/account.js';
import type { AvailabilityWindow, Weekday } from '../../domain/availability.js';
import type { BankAccount } from '../../domain/personal-data.js';
import { findRegion, type PrefectureId } from '../../domain/regions.js';
import type { RegisterBusinessInput, RegisterMemberInput } from '../../application/identity-service.js';
import type { TokenSubject } from '../../application/ports.js';
import type {
  BusinessView,
  MemberSummary,
  MemberView,
  ReadablePersonalData,
  RegionView,
} from '../../application/views.js';
import { missingField, requiredText } from '@workshare/grpc';

export { missingField, requiredText, requestIdOf } from '@workshare/grpc';

/**
 * Proto messages ↔ the facade's inputs and views, and the checks that belong to the edge: a
 * required field left empty (`request.missing_field`, with the field's proto name), an enum
 * left unspecified or unknown. Everything about the values themselves (emails, bank
 * accounts, windows, registration numbers...) is the domain's to check, with its own codes.
 * All of it happens before the facade is called: a malformed request stores nothing.
 */

const { ContractType: ProtoContractType, BankAccountType, PersonalDataStatus, MemberStatus, RoleKind } = identityV1;
const { DayOfWeek } = commonV1;

// ---- reference data -------------------------------------------------------------------------

/** ISO 3166-2 codes of the prefectures of the cooperative's offices. */
export const PREFECTURE_CODES: Readonly<Record<PrefectureId, string>> = { akita: 'JP-05', tokyo: 'JP-13' };

/** `fujisato/fujikoto` → `fujikoto`: a town's slug within its region, as the proto names it. */
const townSlug = (townId: string): string => townId.slice(townId.indexOf('/') + 1);

export const regionMessage = (region: RegionView): identityV1.Region => ({
  region: region.id,
  name: region.nameJa,
  prefecture: PREFECTURE_CODES[region.office.prefecture.id],
  towns: region.towns.map((t) => ({ town: townSlug(t.id), name: t.nameJa })),
});

// ---- availability ---------------------------------------------------------------------------

const WEEKDAY_OF: ReadonlyMap<number, Weekday> = new Map([
  [DayOfWeek.DAY_OF_WEEK_MONDAY, 'mon'],
  [DayOfWeek.DAY_OF_WEEK_TUESDAY, 'tue'],
  [DayOfWeek.DAY_OF_WEEK_WEDNESDAY, 'wed'],
  [DayOfWeek.DAY_OF_WEEK_THURSDAY, 'thu'],
  [DayOfWeek.DAY_OF_WEEK_FRIDAY, 'fri'],
  [DayOfWeek.DAY_OF_WEEK_SATURDAY, 'sat'],
  [DayOfWeek.DAY_OF_WEEK_SUNDAY, 'sun'],
]);
const DAY_OF: Readonly<Record<Weekday, commonV1.DayOfWeek>> = {
  mon: DayOfWeek.DAY_OF_WEEK_MONDAY,
  tue: DayOfWeek.DAY_OF_WEEK_TUESDAY,
  wed: DayOfWeek.DAY_OF_WEEK_WEDNESDAY,
  thu: DayOfWeek.DAY_OF_WEEK_THURSDAY,
  fri: DayOfWeek.DAY_OF_WEEK_FRIDAY,
  sat: DayOfWeek.DAY_OF_WEEK_SATURDAY,
  sun: DayOfWeek.DAY_OF_WEEK_SUNDAY,
};

export const availabilityOf = (windows: readonly commonV1.WeeklyWindow[]): AvailabilityWindow[] =>
  windows.map((w, index) => {
    const day = WEEKDAY_OF.get(w.dayOfWeek);
    if (day === undefined)
      throw new ValidationError(
        'availability.unknown_day',
        `availability[${index}]: day_of_week is not set to a day of the week`,
        { index },
      );
    return { day, start: w.start, end: w.end };
  });

export const windowMessages = (windows: readonly AvailabilityWindow[]): commonV1.WeeklyWindow[] =>
  windows.map((w) => ({ dayOfWeek: DAY_OF[w.day], start: w.start, end: w.end }));

// ---- members --------------------------------------------------------------------------------

const contractTypeOf = (value: identityV1.ContractType): ContractType => {
  switch (value) {
    case ProtoContractType.CONTRACT_TYPE_CONTRACTOR:
      return 'contractor';
    case ProtoContractType.CONTRACT_TYPE_EMPLOYEE:
      return 'employee';
    default:
      throw new ValidationError(
        'member.invalid_contract_type',
        'contract_type is CONTRACT_TYPE_CONTRACTOR (業務委託) or CONTRACT_TYPE_EMPLOYEE (パート雇用)',
      );
  }
};

const contractTypeMessage = (value: ContractType): identityV1.ContractType =>
  value === 'contractor' ? ProtoContractType.CONTRACT_TYPE_CONTRACTOR : ProtoContractType.CONTRACT_TYPE_EMPLOYEE;

const bankAccountOf = (account: identityV1.BankAccount | undefined): BankAccount => {
  if (account === undefined) throw missingField('personal_data.bank_account');
  let type: BankAccount['type'];
  switch (account.accountType) {
    case BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY:
      type = 'ordinary';
      break;
    case BankAccountType.BANK_ACCOUNT_TYPE_CHECKING:
      type = 'current';
      break;
    case BankAccountType.BANK_ACCOUNT_TYPE_SAVINGS:
      throw new ValidationError(
        'bank_account.invalid_type',
        'pay goes to an ordinary (普通) or checking (当座) account: a savings account (貯蓄) takes no transfers',
      );
    default:
      throw new ValidationError(
        'bank_account.invalid_type',
        'account_type is BANK_ACCOUNT_TYPE_ORDINARY (普通) or BANK_ACCOUNT_TYPE_CHECKING (当座)',
      );
  }
  return {
    bankCode: account.bankCode,
    branchCode: account.branchCode,
    type,
    number: account.accountNumber,
    holder: account.holderNameKana,
  };
};

const bankAccountMessage = (account: BankAccount): identityV1.BankAccount => ({
  bankCode: account.bankCode,
  branchCode: account.branchCode,
  accountType:
    account.type === 'ordinary'
      ? BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY
      : BankAccountType.BANK_ACCOUNT_TYPE_CHECKING,
  accountNumber: account.number,
  holderNameKana: account.holder,
});

/**
 * RegisterMember's request as the facade's input. `office_prefecture` may be left empty (the
 * office follows from the region); when given it must be the region's.
 */
export const registerMemberInput = (request: identityV1.RegisterMemberRequest): RegisterMemberInput => {
  const region = requiredText(request.region, 'region');
  const town = requiredText(request.town, 'town');
  const personal = request.personalData;
  if (personal === undefined) throw missingField('personal_data');
  const known = findRegion(region);
  const office = request.officePrefecture.trim().toUpperCase();
  if (office !== '' && known !== undefined && PREFECTURE_CODES[known.office.prefecture] !== office) {
    throw new ValidationError(
      'member.office_prefecture_mismatch',
      `office_prefecture ${JSON.stringify(request.officePrefecture)} is not that of ${region}'s office (${PREFECTURE_CODES[known.office.prefecture]}); leave it empty to have it derived`,
      { region },
    );
  }
  return {
    name: personal.name,
    address: personal.address,
    email: personal.email,
    password: request.password,
    bankAccount: bankAccountOf(personal.bankAccount),
    townId: `${region}/${town}`,
    contractType: contractTypeOf(request.contractType),
    skills: request.skills,
    availability: availabilityOf(request.availability),
  };
};

const personalDataMessage = (data: ReadablePersonalData): identityV1.PersonalData => ({
  name: data.name,
  address: data.address ?? '',
  email: data.email ?? '',
  ...(data.bankAccount !== undefined ? { bankAccount: bankAccountMessage(data.bankAccount) } : {}),
});

/**
 * A member as the caller may see her: personal data INCLUDED (only the fields her access
 * allows: a coordinator gets no bank account, the accountant no email), or FORGOTTEN. The
 * facade refuses outright (PERMISSION_DENIED) a caller who may see nothing of her. WITHHELD
 * is a list's (ListMembers: a profile without its personal data, see memberSummaryMessage).
 */
export const memberMessage = (view: MemberView): identityV1.Member => {
  if (view.status === 'forgotten') {
    return {
      memberId: view.memberId,
      region: view.regionId,
      town: '',
      officePrefecture: '',
      contractType: ProtoContractType.CONTRACT_TYPE_UNSPECIFIED,
      skills: [],
      availability: [],
      status: MemberStatus.MEMBER_STATUS_FORGOTTEN,
      registeredAt: view.registeredAt,
      personalDataStatus: PersonalDataStatus.PERSONAL_DATA_STATUS_FORGOTTEN,
    };
  }
  const readable = view.personalData.status === 'readable' ? view.personalData : undefined;
  return {
    memberId: view.memberId,
    region: view.regionId,
    town: townSlug(view.townId),
    officePrefecture: PREFECTURE_CODES[view.prefecture],
    contractType: contractTypeMessage(view.contractType),
    skills: [...view.skills],
    availability: windowMessages(view.availability),
    status: MemberStatus.MEMBER_STATUS_ACTIVE,
    registeredAt: view.registeredAt,
    personalDataStatus:
      readable !== undefined
        ? PersonalDataStatus.PERSONAL_DATA_STATUS_INCLUDED
        : PersonalDataStatus.PERSONAL_DATA_STATUS_FORGOTTEN,
    ...(readable !== undefined ? { personalData: personalDataMessage(readable) } : {}),
  };
};

/**
 * A member in a region's list: her profile and the roles she holds, never her personal data
 * (WITHHELD), or only that she was forgotten (FORGOTTEN).
 */
export const memberSummaryMessage = (summary: MemberSummary): identityV1.MemberSummary => {
  if (summary.status === 'forgotten') {
    return {
      member: {
        memberId: summary.memberId,
        region: summary.regionId,
        town: '',
        officePrefecture: '',
        contractType: ProtoContractType.CONTRACT_TYPE_UNSPECIFIED,
        skills: [],
        availability: [],
        status: MemberStatus.MEMBER_STATUS_FORGOTTEN,
        registeredAt: summary.registeredAt,
        personalDataStatus: PersonalDataStatus.PERSONAL_DATA_STATUS_FORGOTTEN,
      },
      roles: [],
    };
  }
  return {
    member: {
      memberId: summary.memberId,
      region: summary.regionId,
      town: townSlug(summary.townId),
      officePrefecture: PREFECTURE_CODES[summary.prefecture],
      contractType: contractTypeMessage(summary.contractType),
      skills: [...summary.skills],
      availability: windowMessages(summary.availability),
      status: MemberStatus.MEMBER_STATUS_ACTIVE,
      registeredAt: summary.registeredAt,
      personalDataStatus: PersonalDataStatus.PERSONAL_DATA_STATUS_WITHHELD,
    },
    roles: summary.roles.map(roleMessage),
  };
};

// ---- roles and callers ----------------------------------------------------------------------

/** A Role message as a domain role (the facade checks its region or business where it is used). */
export const roleOf = (role: identityV1.Role | undefined): Role => {
  if (role === undefined) throw missingField('role');
  switch (role.kind) {
    case RoleKind.ROLE_KIND_MEMBER:
      return { kind: 'member' };
    case RoleKind.ROLE_KIND_COORDINATOR:
      if (role.region === undefined || role.region.trim() === '') throw missingField('role.region');
      return { kind: 'coordinator', regionId: role.region };
    case RoleKind.ROLE_KIND_BUSINESS:
      if (role.businessId === undefined || role.businessId.trim() === '') throw missingField('role.business_id');
      return { kind: 'business', businessId: role.businessId };
    case RoleKind.ROLE_KIND_ACCOUNTANT:
      return { kind: 'accountant' };
    case RoleKind.ROLE_KIND_OPERATOR:
      return { kind: 'operator' };
    default:
      throw new ValidationError(
        'role.invalid',
        'role.kind is not set to a role (member, coordinator, business, accountant, operator)',
      );
  }
};

export const roleMessage = (role: Role): identityV1.Role => {
  switch (role.kind) {
    case 'member':
      return { kind: RoleKind.ROLE_KIND_MEMBER };
    case 'coordinator':
      return { kind: RoleKind.ROLE_KIND_COORDINATOR, region: role.regionId };
    case 'business':
      return { kind: RoleKind.ROLE_KIND_BUSINESS, businessId: role.businessId };
    case 'accountant':
      return { kind: RoleKind.ROLE_KIND_ACCOUNTANT };
    case 'operator':
      return { kind: RoleKind.ROLE_KIND_OPERATOR };
  }
};

export const callerMessage = (caller: TokenSubject): identityV1.Caller => ({
  subject: caller.id,
  roles: caller.roles.map(roleMessage),
});

// ---- businesses -----------------------------------------------------------------------------

export const registerBusinessInput = (request: identityV1.RegisterBusinessRequest): RegisterBusinessInput => ({
  name: request.name,
  registrationNumber: request.registrationNumber,
  regionId: requiredText(request.region, 'region'),
  ...(request.address.trim() !== '' ? { address: request.address } : {}),
});

export const businessMessage = (view: BusinessView): identityV1.Business => ({
  businessId: view.businessId,
  name: view.name,
  registrationNumber: view.registrationNumber,
  region: view.regionId,
  address: view.address ?? '',
});
