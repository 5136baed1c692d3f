import type { AccountEvent, RegisterMember } from '../../src/domain/account.js';
import type { AvailabilityWindow } from '../../src/domain/availability.js';
import type { Actor, PersonRole as Role } from '@workshare/eventsourcing';

export const MEMBER = '01900000-0000-7000-8000-000000000001';
export const OTHER_MEMBER = '01900000-0000-7000-8000-000000000002';
export const USER = '01900000-0000-7000-8000-000000000003';
export const SEALED = 'v1.bm9uY2U.Y2lwaGVy.dGFn';
export const DIGEST = 'a'.repeat(64);

export const operator: Actor = { id: 'op-1', roles: [{ kind: 'operator' }] };
export const fujisatoCoordinator: Actor = {
  id: 'co-1',
  roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'fujisato' }],
};
export const setagayaCoordinator: Actor = {
  id: 'co-2',
  roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'setagaya' }],
};
export const accountant: Actor = { id: 'acc-1', roles: [{ kind: 'accountant' }] };
export const herself: Actor = { id: MEMBER, roles: [{ kind: 'member' }] };
export const anotherMember: Actor = { id: OTHER_MEMBER, roles: [{ kind: 'member' }] };
export const theUser: Actor = { id: USER, roles: [] };

export const lunch: AvailabilityWindow = { day: 'mon', start: '13:00', end: '13:40' };
export const bedtime: AvailabilityWindow = { day: 'mon', start: '21:00', end: '22:00' };

export const registerMember = (overrides: Partial<RegisterMember> = {}): RegisterMember => ({
  type: 'RegisterMember',
  memberId: MEMBER,
  townId: 'fujisato/fujikoto',
  contractType: 'contractor',
  skills: ['transcription'],
  availability: [lunch],
  emailDigest: DIGEST,
  personalData: SEALED,
  by: operator,
  ...overrides,
});

export const memberRegistered = (
  overrides: Partial<Extract<AccountEvent, { type: 'MemberRegistered' }>['data']> = {},
): Extract<AccountEvent, { type: 'MemberRegistered' }> => ({
  type: 'MemberRegistered',
  data: {
    memberId: MEMBER,
    regionId: 'fujisato',
    townId: 'fujisato/fujikoto',
    prefecture: 'akita',
    contractType: 'contractor',
    skills: ['transcription'],
    availability: [lunch],
    timeZone: 'Asia/Tokyo',
    emailDigest: DIGEST,
    personalData: SEALED,
    registeredBy: operator.id,
    ...overrides,
  },
});

export const userRegistered = (by = operator.id): AccountEvent => ({
  type: 'UserRegistered',
  data: { userId: USER, emailDigest: DIGEST, personalData: SEALED, registeredBy: by },
});

export const roleGranted = (accountId: string, role: Role, reason = 'needed', by = operator.id): AccountEvent => ({
  type: 'RoleGranted',
  data: { accountId, role, grantedBy: by, reason },
});

export const roleRevoked = (
  accountId: string,
  role: Role,
  reason = 'no longer needed',
  by = operator.id,
): AccountEvent => ({
  type: 'RoleRevoked',
  data: { accountId, role, revokedBy: by, reason },
});

export const memberForgotten = (by = MEMBER, reason = 'leaving the cooperative'): AccountEvent => ({
  type: 'MemberForgotten',
  data: { memberId: MEMBER, forgottenBy: by, reason },
});

export const userForgotten = (by = operator.id, reason = 'left Polaris'): AccountEvent => ({
  type: 'UserForgotten',
  data: { userId: USER, forgottenBy: by, reason },
});
