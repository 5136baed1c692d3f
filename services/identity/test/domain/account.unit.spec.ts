import { DeciderSpecification, fold } from '@workshare/eventsourcing';
import { accountDecider, registration, type AccountCommand } from '../../src/domain/account.js';
import type { AvailabilityWindow } from '../../src/domain/availability.js';
import type { PersonRole as Role } from '@workshare/eventsourcing';
import {
  accountant,
  anotherMember,
  bedtime,
  DIGEST,
  fujisatoCoordinator,
  herself,
  lunch,
  MEMBER,
  memberForgotten,
  memberRegistered,
  operator,
  registerMember,
  roleGranted,
  roleRevoked,
  SEALED,
  setagayaCoordinator,
  theUser,
  USER,
  userForgotten,
  userRegistered,
} from './fixtures.js';

const spec = DeciderSpecification.for(accountDecider);

const coordinatorOfFujisato: Role = { kind: 'coordinator', regionId: 'fujisato' };
const updateAvailability = (availability: AvailabilityWindow[], by = herself): AccountCommand => ({
  type: 'UpdateAvailability',
  availability,
  by,
});
const grant = (role: Role, reason = 'needed', by = operator): AccountCommand => ({
  type: 'GrantRole',
  role,
  reason,
  by,
});
const revoke = (role: Role, reason = 'no longer needed', by = operator): AccountCommand => ({
  type: 'RevokeRole',
  role,
  reason,
  by,
});
const forget = (by = herself, reason = 'leaving the cooperative'): AccountCommand => ({
  type: 'ForgetAccount',
  reason,
  by,
});

describe('account decider', () => {
  describe('RegisterMember', () => {
    it('registers a member of a Fujisato town by an operator, with the Akita office prefecture', () => {
      spec.given([]).when(registerMember()).then([memberRegistered()]);
    });

    it('lets a coordinator register members of her own region', () => {
      spec
        .given([])
        .when(registerMember({ by: fujisatoCoordinator }))
        .then([memberRegistered({ registeredBy: fujisatoCoordinator.id })]);
    });

    it('derives region and the Tokyo office prefecture from a Tokyo town', () => {
      spec
        .given([])
        .when(registerMember({ townId: 'chofu/sengawa', contractType: 'employee' }))
        .then([
          memberRegistered({
            townId: 'chofu/sengawa',
            regionId: 'chofu',
            prefecture: 'tokyo',
            contractType: 'employee',
          }),
        ]);
    });

    it('keeps availability sorted by day and time and skill names trimmed', () => {
      const tuesday: AvailabilityWindow = { day: 'tue', start: '09:00', end: '10:00' };
      spec
        .given([])
        .when(registerMember({ availability: [tuesday, bedtime, lunch], skills: ['  data entry ', 'design'] }))
        .then([memberRegistered({ availability: [lunch, bedtime, tuesday], skills: ['data entry', 'design'] })]);
    });

    it('accepts a member with no skills and no windows yet', () => {
      spec
        .given([])
        .when(registerMember({ skills: [], availability: [] }))
        .then([memberRegistered({ skills: [], availability: [] })]);
    });

    it.each([
      ['a member', [memberRegistered()]],
      ['a user', [userRegistered()]],
    ])('refuses to register an id that is already %s', (_what, history) => {
      spec.given(history).when(registerMember()).thenThrows('account.already_registered', 'rule');
    });

    it('refuses an unknown region', () => {
      spec
        .given([])
        .when(registerMember({ townId: 'osaka/namba' }))
        .thenThrows('region.unknown', 'invalid');
    });

    it('refuses an unknown town of a known region', () => {
      spec
        .given([])
        .when(registerMember({ townId: 'fujisato/sangenjaya' }))
        .thenThrows('town.unknown', 'invalid');
    });

    it('refuses a town id that is not <region>/<town>', () => {
      spec
        .given([])
        .when(registerMember({ townId: 'fujikoto' }))
        .thenThrows('town.unknown', 'invalid');
    });

    it.each([
      ['a coordinator of another region', setagayaCoordinator],
      ['the accountant', accountant],
      ['a plain member', anotherMember],
    ])('refuses registration by %s', (_who, by) => {
      spec.given([]).when(registerMember({ by })).thenThrows('account.forbidden', 'forbidden');
    });

    it('refuses an unknown contract type', () => {
      spec
        .given([])
        .when(registerMember({ contractType: 'volunteer' as never }))
        .thenThrows('member.invalid_contract_type', 'invalid');
    });

    it.each([
      ['an empty name', ['transcription', '  ']],
      ['a name longer than 60 characters', ['x'.repeat(61)]],
      ['a name that is not text', [42 as unknown as string]],
    ])('refuses a skill with %s', (_what, skills) => {
      spec.given([]).when(registerMember({ skills })).thenThrows('member.invalid_skill', 'invalid');
    });

    it('refuses skills that are not a list', () => {
      spec
        .given([])
        .when(registerMember({ skills: 'transcription' as never }))
        .thenThrows('member.invalid_skill', 'invalid');
    });

    it('refuses a skill listed twice (case-insensitively)', () => {
      spec
        .given([])
        .when(registerMember({ skills: ['Design', 'design'] }))
        .thenThrows('member.duplicate_skill', 'invalid');
    });

    it('refuses more than 30 skills', () => {
      spec
        .given([])
        .when(registerMember({ skills: Array.from({ length: 31 }, (_, i) => `skill ${i}`) }))
        .thenThrows('member.too_many_skills', 'invalid');
    });

    it.each<[string, AvailabilityWindow[], string]>([
      ['inverted', [{ day: 'mon', start: '14:00', end: '13:00' }], 'availability.inverted'],
      ['zero-length', [{ day: 'mon', start: '14:00', end: '14:00' }], 'availability.zero_length'],
      ['overlapping', [lunch, { day: 'mon', start: '13:30', end: '14:00' }], 'availability.overlap'],
      ['malformed', [{ day: 'mon', start: '9:00', end: '10:00' }], 'availability.malformed_time'],
      ['of an unknown day', [{ day: 'monday' as never, start: '09:00', end: '10:00' }], 'availability.unknown_day'],
    ])('refuses %s availability windows', (_what, availability, code) => {
      spec.given([]).when(registerMember({ availability })).thenThrows(code, 'invalid');
    });
  });

  describe('RegisterUser', () => {
    const registerUser = (by = operator): AccountCommand => ({
      type: 'RegisterUser',
      userId: USER,
      emailDigest: DIGEST,
      personalData: SEALED,
      by,
    });

    it('registers a user by an operator', () => {
      spec.given([]).when(registerUser()).then([userRegistered()]);
    });

    it('refuses an id already registered', () => {
      spec.given([userRegistered()]).when(registerUser()).thenThrows('account.already_registered', 'rule');
    });

    it.each([
      ['a coordinator', fujisatoCoordinator],
      ['the accountant', accountant],
    ])('refuses registration by %s', (_who, by) => {
      spec.given([]).when(registerUser(by)).thenThrows('account.forbidden', 'forbidden');
    });
  });

  describe('UpdateAvailability', () => {
    const evening: AvailabilityWindow = { day: 'wed', start: '20:00', end: '21:30' };
    const updated = (availability: AvailabilityWindow[], by: string) => ({
      type: 'MemberAvailabilityUpdated' as const,
      data: { memberId: MEMBER, availability, timeZone: 'Asia/Tokyo' as const, updatedBy: by },
    });

    it.each([
      ['the member herself', herself],
      ['a coordinator of her region', fujisatoCoordinator],
      ['an operator', operator],
    ])('records new windows set by %s', (_who, by) => {
      spec
        .given([memberRegistered()])
        .when(updateAvailability([evening, lunch], by))
        .then([updated([lunch, evening], by.id)]);
    });

    it('records nothing when the windows are those she has (in any order)', () => {
      spec
        .given([memberRegistered({ availability: [lunch, bedtime] })])
        .when(updateAvailability([bedtime, lunch]))
        .thenNothing();
    });

    it('compares with the latest update, not the registration', () => {
      spec
        .given([memberRegistered(), updated([evening], MEMBER)])
        .when(updateAvailability([evening]))
        .thenNothing();
      spec
        .given([memberRegistered(), updated([evening], MEMBER)])
        .when(updateAvailability([lunch]))
        .then([updated([lunch], MEMBER)]);
    });

    it('refuses an account that does not exist', () => {
      spec
        .given([])
        .when(updateAvailability([lunch]))
        .thenThrows('account.not_found', 'not_found');
    });

    it('refuses a forgotten member', () => {
      spec
        .given([memberRegistered(), memberForgotten()])
        .when(updateAvailability([lunch]))
        .thenThrows('account.forgotten', 'rule');
    });

    it('refuses a user, who has no availability', () => {
      spec
        .given([userRegistered()])
        .when(updateAvailability([lunch], operator))
        .thenThrows('account.not_a_member', 'rule');
    });

    it.each([
      ['another member', anotherMember],
      ['a coordinator of another region', setagayaCoordinator],
      ['the accountant (read-only)', accountant],
    ])('refuses a change by %s', (_who, by) => {
      spec
        .given([memberRegistered()])
        .when(updateAvailability([bedtime], by))
        .thenThrows('account.forbidden', 'forbidden');
    });

    it('refuses overlapping windows', () => {
      spec
        .given([memberRegistered()])
        .when(updateAvailability([bedtime, { day: 'mon', start: '21:59', end: '23:00' }]))
        .thenThrows('availability.overlap', 'invalid');
    });
  });

  describe('GrantRole', () => {
    it('makes a member coordinator of the region she lives in (the hand-over)', () => {
      spec
        .given([memberRegistered()])
        .when(grant(coordinatorOfFujisato, 'hand-over to local members'))
        .then([roleGranted(MEMBER, coordinatorOfFujisato, 'hand-over to local members')]);
    });

    it.each<[string, Role]>([
      ['accountant', { kind: 'accountant' }],
      ['operator', { kind: 'operator' }],
      ['business user', { kind: 'business', businessId: 'b-1' }],
    ])('grants a user the %s role', (_name, role) => {
      spec
        .given([userRegistered()])
        .when(grant(role))
        .then([roleGranted(USER, role)]);
    });

    it('trims the reason', () => {
      spec
        .given([userRegistered()])
        .when(grant({ kind: 'accountant' }, '  tax adviser  '))
        .then([roleGranted(USER, { kind: 'accountant' }, 'tax adviser')]);
    });

    it('grants again a role that was revoked', () => {
      spec
        .given([
          memberRegistered(),
          roleGranted(MEMBER, coordinatorOfFujisato),
          roleRevoked(MEMBER, coordinatorOfFujisato),
        ])
        .when(grant(coordinatorOfFujisato, 'back from leave'))
        .then([roleGranted(MEMBER, coordinatorOfFujisato, 'back from leave')]);
    });

    it('lets a business user change business once the old role is revoked', () => {
      const old: Role = { kind: 'business', businessId: 'b-1' };
      const next: Role = { kind: 'business', businessId: 'b-2' };
      spec
        .given([userRegistered(), roleGranted(USER, old), roleRevoked(USER, old)])
        .when(grant(next))
        .then([roleGranted(USER, next)]);
    });

    it('refuses an account that does not exist', () => {
      spec
        .given([])
        .when(grant({ kind: 'accountant' }))
        .thenThrows('account.not_found', 'not_found');
    });

    it('refuses a forgotten account', () => {
      spec
        .given([userRegistered(), userForgotten()])
        .when(grant({ kind: 'accountant' }))
        .thenThrows('account.forgotten', 'rule');
    });

    it.each([
      ['a coordinator', fujisatoCoordinator],
      ['the accountant', accountant],
      ['the member herself', herself],
    ])('refuses a grant by %s (operators only)', (_who, by) => {
      spec
        .given([memberRegistered()])
        .when(grant(coordinatorOfFujisato, 'self-promotion', by))
        .thenThrows('role.forbidden', 'forbidden');
    });

    it.each([
      ['an empty', '   '],
      ['a too long', 'x'.repeat(501)],
    ])('refuses %s reason', (_what, reason) => {
      spec
        .given([memberRegistered()])
        .when(grant(coordinatorOfFujisato, reason))
        .thenThrows('role.reason_required', 'invalid');
    });

    it('refuses to grant the member role', () => {
      spec
        .given([userRegistered()])
        .when(grant({ kind: 'member' }))
        .thenThrows('role.not_grantable', 'invalid');
    });

    it('refuses a role already held', () => {
      spec
        .given([memberRegistered(), roleGranted(MEMBER, coordinatorOfFujisato)])
        .when(grant(coordinatorOfFujisato))
        .thenThrows('role.already_granted', 'rule');
    });

    it('refuses coordinator of a region the member does not live in', () => {
      spec
        .given([memberRegistered()])
        .when(grant({ kind: 'coordinator', regionId: 'setagaya' }))
        .thenThrows('role.not_resident', 'rule');
    });

    it('refuses coordinator to a user, who lives in no region of ours', () => {
      spec.given([userRegistered()]).when(grant(coordinatorOfFujisato)).thenThrows('role.not_resident', 'rule');
    });

    it('refuses coordinator of an unknown region', () => {
      spec
        .given([memberRegistered()])
        .when(grant({ kind: 'coordinator', regionId: 'atlantis' }))
        .thenThrows('region.unknown', 'invalid');
    });

    it('refuses a second business', () => {
      spec
        .given([userRegistered(), roleGranted(USER, { kind: 'business', businessId: 'b-1' })])
        .when(grant({ kind: 'business', businessId: 'b-2' }))
        .thenThrows('role.one_business_only', 'rule');
    });
  });

  describe('RevokeRole', () => {
    it('revokes a role held, with actor and reason', () => {
      spec
        .given([memberRegistered(), roleGranted(MEMBER, coordinatorOfFujisato)])
        .when(revoke(coordinatorOfFujisato, 'moved away'))
        .then([roleRevoked(MEMBER, coordinatorOfFujisato, 'moved away')]);
    });

    it('revokes only the role named (the others stay)', () => {
      spec
        .given([
          userRegistered(),
          roleGranted(USER, { kind: 'accountant' }),
          roleGranted(USER, { kind: 'operator' }),
          roleRevoked(USER, { kind: 'accountant' }),
        ])
        .when(revoke({ kind: 'operator' }))
        .then([roleRevoked(USER, { kind: 'operator' })]);
    });

    it('refuses an account that does not exist', () => {
      spec
        .given([])
        .when(revoke({ kind: 'accountant' }))
        .thenThrows('account.not_found', 'not_found');
    });

    it('refuses a forgotten account', () => {
      spec
        .given([memberRegistered(), memberForgotten()])
        .when(revoke(coordinatorOfFujisato))
        .thenThrows('account.forgotten', 'rule');
    });

    it('refuses a revocation by a non-operator', () => {
      spec
        .given([memberRegistered(), roleGranted(MEMBER, coordinatorOfFujisato)])
        .when(revoke(coordinatorOfFujisato, 'coup', fujisatoCoordinator))
        .thenThrows('role.forbidden', 'forbidden');
    });

    it('refuses a revocation without a reason', () => {
      spec
        .given([memberRegistered(), roleGranted(MEMBER, coordinatorOfFujisato)])
        .when(revoke(coordinatorOfFujisato, ''))
        .thenThrows('role.reason_required', 'invalid');
    });

    it('refuses to revoke the member role', () => {
      spec
        .given([memberRegistered()])
        .when(revoke({ kind: 'member' }))
        .thenThrows('role.not_revocable', 'invalid');
    });

    it('refuses to revoke a role not held', () => {
      spec.given([memberRegistered()]).when(revoke(coordinatorOfFujisato)).thenThrows('role.not_held', 'rule');
    });

    it('refuses to revoke a role twice', () => {
      spec
        .given([
          memberRegistered(),
          roleGranted(MEMBER, coordinatorOfFujisato),
          roleRevoked(MEMBER, coordinatorOfFujisato),
        ])
        .when(revoke(coordinatorOfFujisato))
        .thenThrows('role.not_held', 'rule');
    });

    it('refuses to revoke a coordinator role of another region than the one held', () => {
      spec
        .given([memberRegistered(), roleGranted(MEMBER, coordinatorOfFujisato)])
        .when(revoke({ kind: 'coordinator', regionId: 'chofu' }))
        .thenThrows('role.not_held', 'rule');
    });
  });

  describe('ForgetAccount', () => {
    it('forgets a member at her own request', () => {
      spec
        .given([memberRegistered()])
        .when(forget(herself, ' leaving the cooperative '))
        .then([memberForgotten(MEMBER, 'leaving the cooperative')]);
    });

    it('forgets a member at an operator’s hand', () => {
      spec
        .given([memberRegistered()])
        .when(forget(operator, 'asked by letter'))
        .then([memberForgotten(operator.id, 'asked by letter')]);
    });

    it.each([
      ['an operator', operator],
      ['the user herself', theUser],
    ])('forgets a user by %s', (_who, by) => {
      spec
        .given([userRegistered()])
        .when(forget(by, 'left Polaris'))
        .then([userForgotten(by.id, 'left Polaris')]);
    });

    it('forgets a member holding roles', () => {
      spec
        .given([memberRegistered(), roleGranted(MEMBER, coordinatorOfFujisato)])
        .when(forget())
        .then([memberForgotten()]);
    });

    it('refuses an account that does not exist', () => {
      spec.given([]).when(forget()).thenThrows('account.not_found', 'not_found');
    });

    it('refuses to forget twice', () => {
      spec
        .given([memberRegistered(), memberForgotten()])
        .when(forget(operator))
        .thenThrows('account.already_forgotten', 'rule');
    });

    it.each([
      ['a coordinator of her region', fujisatoCoordinator],
      ['another member', anotherMember],
      ['the accountant', accountant],
    ])('refuses a forget by %s', (_who, by) => {
      spec.given([memberRegistered()]).when(forget(by)).thenThrows('account.forbidden', 'forbidden');
    });

    it('refuses a forget without a reason', () => {
      spec.given([memberRegistered()]).when(forget(herself, ' ')).thenThrows('account.reason_required', 'invalid');
    });
  });

  describe('evolve', () => {
    it('folds a member’s history: granted roles join, revoked roles leave', () => {
      let state = accountDecider.initialState();
      for (const e of [
        memberRegistered(),
        roleGranted(MEMBER, coordinatorOfFujisato),
        roleGranted(MEMBER, { kind: 'operator' }),
        roleRevoked(MEMBER, coordinatorOfFujisato),
      ]) {
        state = accountDecider.evolve(state, e);
      }
      expect(state).toMatchObject({
        status: 'active',
        kind: 'member',
        id: MEMBER,
        roles: [{ kind: 'member' }, { kind: 'operator' }],
      });
    });

    it('drops every role when the account is forgotten, and keeps the sealed data as it was', () => {
      let state = accountDecider.initialState();
      for (const e of [memberRegistered(), roleGranted(MEMBER, coordinatorOfFujisato), memberForgotten()])
        state = accountDecider.evolve(state, e);
      expect(state).toMatchObject({ status: 'forgotten', roles: [], personalData: SEALED });
    });
  });
});

describe('registration in two parts (the registration workflow)', () => {
  const registerUser = (by = operator): Extract<AccountCommand, { type: 'RegisterUser' }> => ({
    type: 'RegisterUser',
    userId: USER,
    emailDigest: DIGEST,
    personalData: SEALED,
    by,
  });

  it('decides the registration at once, and its decision appends it on a fresh stream: the decider’s own outcome', () => {
    const member = registerMember();
    expect(registration(member)(accountDecider.initialState())).toEqual(
      accountDecider.decide(member, accountDecider.initialState()),
    );
    expect(registration(member)(accountDecider.initialState())).toEqual([memberRegistered()]);
    expect(registration(registerUser())(accountDecider.initialState())).toEqual([userRegistered()]);
  });

  it('refuses at once, before any stream is read: who may not register, and every rule on the profile', () => {
    expect(() => registration(registerMember({ by: setagayaCoordinator }))).toThrow(
      expect.objectContaining({ code: 'account.forbidden', kind: 'forbidden' }),
    );
    expect(() => registration(registerMember({ townId: 'fujisato/nowhere' }))).toThrow(
      expect.objectContaining({ code: 'town.unknown' }),
    );
    expect(() => registration(registerMember({ skills: ['data\u0000entry'] }))).toThrow(
      expect.objectContaining({ code: 'text.invalid_characters' }),
    );
    expect(() => registration(registerUser(accountant))).toThrow(
      expect.objectContaining({ code: 'account.forbidden', kind: 'forbidden' }),
    );
  });

  it('its decision refuses a stream registered already', () => {
    const decide = registration(registerMember());
    expect(() => decide(fold(accountDecider, [memberRegistered()]))).toThrow(
      expect.objectContaining({ code: 'account.already_registered', kind: 'rule' }),
    );
  });
});

describe('text that cannot be stored', () => {
  it.each([
    ['a NUL in a skill', registerMember({ skills: ['data\u0000entry'] })],
    ['a lone surrogate in a skill', registerMember({ skills: ['data\ud800entry'] })],
  ])('refuses %s: text.invalid_characters', (_what, command) => {
    spec.given([]).when(command).thenThrows('text.invalid_characters', 'invalid');
  });

  it('refuses a NUL or a lone surrogate in a reason: text.invalid_characters', () => {
    spec
      .given([memberRegistered()])
      .when(grant(coordinatorOfFujisato, 'runs\u0000Fujisato'))
      .thenThrows('text.invalid_characters', 'invalid');
    spec
      .given([memberRegistered(), roleGranted(MEMBER, coordinatorOfFujisato)])
      .when({ type: 'RevokeRole', role: coordinatorOfFujisato, reason: 'done\udc00', by: operator })
      .thenThrows('text.invalid_characters', 'invalid');
    spec
      .given([memberRegistered()])
      .when({ type: 'ForgetAccount', reason: 'leaving\u0000', by: herself })
      .thenThrows('text.invalid_characters', 'invalid');
  });
});
