import {
  assertStorableText,
  characterCount,
  DomainError,
  ForbiddenError,
  holdsRole,
  isOperator,
  managesRegion,
  MAX_SKILL_LENGTH,
  NotFoundError,
  roleKey,
  ValidationError,
  type Actor,
  type Decider,
  type Decision,
  type DomainEvent,
  type PersonRole,
} from '@workshare/eventsourcing';
import {
  AVAILABILITY_TIME_ZONE,
  sameAvailability,
  validateAvailability,
  type AvailabilityWindow,
} from './availability.js';
import { requireRegion, requireTown, officePrefecture, type PrefectureId } from './regions.js';
import { isGrantable } from './roles.js';

/** The roles an account holds: a person's (never `system`). */
type Role = PersonRole;

/**
 * An account is a person who can sign in. A *member* is a worker of the cooperative (stream
 * `member-<id>`): skills, contract type, weekly availability, town of residence. A *user* is
 * anyone else (stream `user-<id>`): an operator of Polaris, the accountant, a business's user.
 * Both hold roles, both can be forgotten. Personal data arrives sealed (encrypted with the
 * person's own key by the application) and is never seen here in plain text.
 */
export type AccountKind = 'member' | 'user';
export type ContractType = 'contractor' | 'employee';
export const CONTRACT_TYPES: readonly ContractType[] = ['contractor', 'employee'];

export const MAX_SKILLS = 30;
/** A skill of hers: the platform's one skill length (@workshare/eventsourcing). */
export { MAX_SKILL_LENGTH };
export const MAX_REASON_LENGTH = 500;

// ---- events -------------------------------------------------------------------------------

export type MemberRegistered = DomainEvent<
  'MemberRegistered',
  {
    memberId: string;
    regionId: string;
    townId: string;
    /** Prefecture of the office the member belongs to (minimum wage follows it). */
    prefecture: PrefectureId;
    contractType: ContractType;
    skills: string[];
    availability: AvailabilityWindow[];
    timeZone: typeof AVAILABILITY_TIME_ZONE;
    /** Keyed digest of the normalised email: the name of its reservation stream, not the email. */
    emailDigest: string;
    /** Name, address, email, bank account, password hash: sealed with the member's data key. */
    personalData: string;
    registeredBy: string;
  }
>;
export type UserRegistered = DomainEvent<
  'UserRegistered',
  { userId: string; emailDigest: string; personalData: string; registeredBy: string }
>;
export type MemberAvailabilityUpdated = DomainEvent<
  'MemberAvailabilityUpdated',
  { memberId: string; availability: AvailabilityWindow[]; timeZone: typeof AVAILABILITY_TIME_ZONE; updatedBy: string }
>;
export type RoleGranted = DomainEvent<
  'RoleGranted',
  { accountId: string; role: Role; grantedBy: string; reason: string }
>;
export type RoleRevoked = DomainEvent<
  'RoleRevoked',
  { accountId: string; role: Role; revokedBy: string; reason: string }
>;
export type MemberForgotten = DomainEvent<'MemberForgotten', { memberId: string; forgottenBy: string; reason: string }>;
export type UserForgotten = DomainEvent<'UserForgotten', { userId: string; forgottenBy: string; reason: string }>;

export type AccountEvent =
  | MemberRegistered
  | UserRegistered
  | MemberAvailabilityUpdated
  | RoleGranted
  | RoleRevoked
  | MemberForgotten
  | UserForgotten;

// ---- commands -----------------------------------------------------------------------------

export type RegisterMember = {
  readonly type: 'RegisterMember';
  readonly memberId: string;
  /** `<region>/<town>`: the town of residence, whose region the member belongs to. */
  readonly townId: string;
  readonly contractType: ContractType;
  readonly skills: readonly string[];
  readonly availability: readonly AvailabilityWindow[];
  readonly emailDigest: string;
  readonly personalData: string;
  readonly by: Actor;
};
export type RegisterUser = {
  readonly type: 'RegisterUser';
  readonly userId: string;
  readonly emailDigest: string;
  readonly personalData: string;
  readonly by: Actor;
};
export type UpdateAvailability = {
  readonly type: 'UpdateAvailability';
  readonly availability: readonly AvailabilityWindow[];
  readonly by: Actor;
};
export type GrantRole = {
  readonly type: 'GrantRole';
  readonly role: Role;
  readonly reason: string;
  readonly by: Actor;
};
export type RevokeRole = {
  readonly type: 'RevokeRole';
  readonly role: Role;
  readonly reason: string;
  readonly by: Actor;
};
export type ForgetAccount = { readonly type: 'ForgetAccount'; readonly reason: string; readonly by: Actor };

export type AccountCommand =
  RegisterMember | RegisterUser | UpdateAvailability | GrantRole | RevokeRole | ForgetAccount;

// ---- state --------------------------------------------------------------------------------

export type MemberProfile = {
  readonly regionId: string;
  readonly townId: string;
  readonly prefecture: PrefectureId;
  readonly contractType: ContractType;
  readonly skills: readonly string[];
  readonly availability: readonly AvailabilityWindow[];
};

export type Account = {
  readonly status: 'active' | 'forgotten';
  readonly kind: AccountKind;
  readonly id: string;
  readonly emailDigest: string;
  readonly personalData: string;
  /** Held now: `member` for a member, plus every role granted and not revoked. Empty once forgotten. */
  readonly roles: readonly Role[];
  /** A member's worker profile; undefined for a user. */
  readonly profile: MemberProfile | undefined;
};

export type AccountState = { readonly status: 'unregistered' } | Account;

// ---- decide -------------------------------------------------------------------------------

const reasonOf = (reason: string, code: string): string => {
  if (typeof reason === 'string') assertStorableText(reason, 'reason');
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (text === '') throw new ValidationError(code, 'a reason is required');
  if (characterCount(text, MAX_REASON_LENGTH) > MAX_REASON_LENGTH)
    throw new ValidationError(code, `a reason has at most ${MAX_REASON_LENGTH} characters`);
  return text;
};

const validateSkills = (skills: readonly string[]): string[] => {
  if (!Array.isArray(skills)) throw new ValidationError('member.invalid_skill', 'skills are a list of names');
  if (skills.length > MAX_SKILLS) throw new ValidationError('member.too_many_skills', `at most ${MAX_SKILLS} skills`);
  const names = skills.map((s, index) => {
    if (typeof s === 'string') assertStorableText(s, `skills[${index}]`);
    const name = typeof s === 'string' ? s.normalize('NFKC').trim() : '';
    if (name === '') throw new ValidationError('member.invalid_skill', `skill #${index} has no name`, { index });
    if (characterCount(name, MAX_SKILL_LENGTH) > MAX_SKILL_LENGTH)
      throw new ValidationError(
        'member.invalid_skill',
        `skill #${index} is longer than ${MAX_SKILL_LENGTH} characters`,
        { index },
      );
    return name;
  });
  const seen = new Set<string>();
  for (const name of names) {
    const key = name.toLowerCase();
    if (seen.has(key))
      throw new ValidationError('member.duplicate_skill', `skill ${JSON.stringify(name)} is listed twice`);
    seen.add(key);
  }
  return names;
};

const validateContractType = (contractType: unknown): ContractType => {
  if (!CONTRACT_TYPES.includes(contractType as ContractType)) {
    throw new ValidationError(
      'member.invalid_contract_type',
      `the contract type is "contractor" (業務委託) or "employee" (パート雇用)`,
    );
  }
  return contractType as ContractType;
};

const existing = (state: AccountState): Account => {
  if (state.status === 'unregistered') throw new NotFoundError('account.not_found', 'no such account');
  if (state.status === 'forgotten')
    throw new DomainError('account.forgotten', `account ${state.id} has been forgotten`, 'rule');
  return state;
};

/**
 * A member's registration as the command asks for it, decided without her stream: who may
 * register her (an operator, a coordinator of her town's region) and every rule on her profile.
 * Refused with the rule's error; the stream's part (a fresh stream only) is `registration`'s.
 */
export const memberRegistered = (cmd: RegisterMember): MemberRegistered => {
  const town = requireTown(cmd.townId);
  if (!managesRegion(cmd.by, town.regionId)) {
    throw new ForbiddenError(
      'account.forbidden',
      `only an operator or a coordinator of ${town.regionId} registers its members`,
    );
  }
  const contractType = validateContractType(cmd.contractType);
  const skills = validateSkills(cmd.skills);
  const availability = validateAvailability(cmd.availability);
  return {
    type: 'MemberRegistered',
    data: {
      memberId: cmd.memberId,
      regionId: town.regionId,
      townId: town.id,
      prefecture: officePrefecture(town.regionId),
      contractType,
      skills,
      availability,
      timeZone: AVAILABILITY_TIME_ZONE,
      emailDigest: cmd.emailDigest,
      personalData: cmd.personalData,
      registeredBy: cmd.by.id,
    },
  };
};

/** A user's registration, decided without her stream: operators only. */
export const userRegistered = (cmd: RegisterUser): UserRegistered => {
  if (!isOperator(cmd.by)) throw new ForbiddenError('account.forbidden', 'only an operator registers users');
  return {
    type: 'UserRegistered',
    data: {
      userId: cmd.userId,
      emailDigest: cmd.emailDigest,
      personalData: cmd.personalData,
      registeredBy: cmd.by.id,
    },
  };
};

const accountIdOf = (cmd: RegisterMember | RegisterUser): string =>
  cmd.type === 'RegisterMember' ? cmd.memberId : cmd.userId;

const freshStream = (cmd: RegisterMember | RegisterUser, state: AccountState): void => {
  if (state.status !== 'unregistered')
    throw new DomainError('account.already_registered', `account ${accountIdOf(cmd)} is already registered`, 'rule');
};

/**
 * A registration in two parts, for the registration workflow: the command is decided at once
 * (authorisation and every rule: refused here, before anything is reserved or kept), and what
 * it answers is the decision on the account's stream, which only asks that the stream be fresh
 * (CommandHandler applies it). The decider's RegisterMember and RegisterUser are the same rules.
 */
export const registration = (cmd: RegisterMember | RegisterUser): Decision<AccountEvent, AccountState> => {
  const registered = cmd.type === 'RegisterMember' ? memberRegistered(cmd) : userRegistered(cmd);
  return (state) => {
    freshStream(cmd, state);
    return [registered];
  };
};

const decideRegistration = (cmd: RegisterMember | RegisterUser, state: AccountState): AccountEvent[] => {
  freshStream(cmd, state);
  return [cmd.type === 'RegisterMember' ? memberRegistered(cmd) : userRegistered(cmd)];
};

const decideUpdateAvailability = (cmd: UpdateAvailability, state: AccountState): AccountEvent[] => {
  const account = existing(state);
  if (account.profile === undefined)
    throw new DomainError(
      'account.not_a_member',
      `account ${account.id} is not a member: it has no availability`,
      'rule',
    );
  if (cmd.by.id !== account.id && !managesRegion(cmd.by, account.profile.regionId)) {
    throw new ForbiddenError(
      'account.forbidden',
      `only the member herself, a coordinator of ${account.profile.regionId} or an operator changes her availability`,
    );
  }
  const availability = validateAvailability(cmd.availability);
  if (sameAvailability(availability, account.profile.availability)) return [];
  return [
    {
      type: 'MemberAvailabilityUpdated',
      data: { memberId: account.id, availability, timeZone: AVAILABILITY_TIME_ZONE, updatedBy: cmd.by.id },
    },
  ];
};

const decideGrantRole = (cmd: GrantRole, state: AccountState): AccountEvent[] => {
  const account = existing(state);
  if (!isOperator(cmd.by)) throw new ForbiddenError('role.forbidden', 'only an operator grants roles');
  const reason = reasonOf(cmd.reason, 'role.reason_required');
  const { role } = cmd;
  if (!isGrantable(role))
    throw new ValidationError(
      'role.not_grantable',
      'the member role comes with a member registration; it is not granted',
    );
  if (holdsRole(account.roles, role))
    throw new DomainError('role.already_granted', `account ${account.id} already holds ${roleKey(role)}`, 'rule');
  if (role.kind === 'coordinator') {
    requireRegion(role.regionId);
    if (account.profile?.regionId !== role.regionId) {
      throw new DomainError(
        'role.not_resident',
        `a coordinator of ${role.regionId} must be a member living there`,
        'rule',
      );
    }
  }
  if (role.kind === 'business' && account.roles.some((r) => r.kind === 'business')) {
    throw new DomainError(
      'role.one_business_only',
      `account ${account.id} already acts for another business; revoke that first`,
      'rule',
    );
  }
  return [{ type: 'RoleGranted', data: { accountId: account.id, role, grantedBy: cmd.by.id, reason } }];
};

const decideRevokeRole = (cmd: RevokeRole, state: AccountState): AccountEvent[] => {
  const account = existing(state);
  if (!isOperator(cmd.by)) throw new ForbiddenError('role.forbidden', 'only an operator revokes roles');
  const reason = reasonOf(cmd.reason, 'role.reason_required');
  if (!isGrantable(cmd.role))
    throw new ValidationError('role.not_revocable', 'the member role is not revoked: forget the member instead');
  if (!holdsRole(account.roles, cmd.role))
    throw new DomainError('role.not_held', `account ${account.id} does not hold ${roleKey(cmd.role)}`, 'rule');
  return [{ type: 'RoleRevoked', data: { accountId: account.id, role: cmd.role, revokedBy: cmd.by.id, reason } }];
};

const decideForget = (cmd: ForgetAccount, state: AccountState): AccountEvent[] => {
  if (state.status === 'unregistered') throw new NotFoundError('account.not_found', 'no such account');
  if (state.status === 'forgotten')
    throw new DomainError('account.already_forgotten', `account ${state.id} has already been forgotten`, 'rule');
  if (cmd.by.id !== state.id && !isOperator(cmd.by)) {
    throw new ForbiddenError('account.forbidden', 'only the person herself or an operator has an account forgotten');
  }
  const reason = reasonOf(cmd.reason, 'account.reason_required');
  return state.kind === 'member'
    ? [{ type: 'MemberForgotten', data: { memberId: state.id, forgottenBy: cmd.by.id, reason } }]
    : [{ type: 'UserForgotten', data: { userId: state.id, forgottenBy: cmd.by.id, reason } }];
};

export const decideAccount = (command: AccountCommand, state: AccountState): AccountEvent[] => {
  switch (command.type) {
    case 'RegisterMember':
    case 'RegisterUser':
      return decideRegistration(command, state);
    case 'UpdateAvailability':
      return decideUpdateAvailability(command, state);
    case 'GrantRole':
      return decideGrantRole(command, state);
    case 'RevokeRole':
      return decideRevokeRole(command, state);
    case 'ForgetAccount':
      return decideForget(command, state);
  }
};

// ---- evolve -------------------------------------------------------------------------------

export const evolveAccount = (state: AccountState, event: AccountEvent): AccountState => {
  switch (event.type) {
    case 'MemberRegistered': {
      const d = event.data;
      return {
        status: 'active',
        kind: 'member',
        id: d.memberId,
        emailDigest: d.emailDigest,
        personalData: d.personalData,
        roles: [{ kind: 'member' }],
        profile: {
          regionId: d.regionId,
          townId: d.townId,
          prefecture: d.prefecture,
          contractType: d.contractType,
          skills: d.skills,
          availability: d.availability,
        },
      };
    }
    case 'UserRegistered': {
      const d = event.data;
      return {
        status: 'active',
        kind: 'user',
        id: d.userId,
        emailDigest: d.emailDigest,
        personalData: d.personalData,
        roles: [],
        profile: undefined,
      };
    }
    case 'MemberAvailabilityUpdated':
      if (state.status === 'unregistered' || state.profile === undefined) return state;
      return { ...state, profile: { ...state.profile, availability: event.data.availability } };
    case 'RoleGranted':
      if (state.status === 'unregistered') return state;
      return { ...state, roles: [...state.roles, event.data.role] };
    case 'RoleRevoked': {
      if (state.status === 'unregistered') return state;
      const revoked = roleKey(event.data.role);
      return { ...state, roles: state.roles.filter((r) => roleKey(r) !== revoked) };
    }
    case 'MemberForgotten':
    case 'UserForgotten':
      if (state.status === 'unregistered') return state;
      return { ...state, status: 'forgotten', roles: [] };
  }
};

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  decide: decideAccount,
  evolve: evolveAccount,
  initialState: () => ({ status: 'unregistered' }),
};

/** Stream names: `member-<id>` for members, `user-<id>` for users. */
export const memberStream = (memberId: string): string => `member-${memberId}`;
export const userStream = (userId: string): string => `user-${userId}`;
export const accountStream = (kind: AccountKind, id: string): string =>
  kind === 'member' ? memberStream(id) : userStream(id);
