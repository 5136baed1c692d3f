/**
 * The identity service's application tests, run on the embedded store with the in-memory key
 * vault (identity-service.spec.ts) and on PostgreSQL with the SQL key vault
 * (identity-service.int.spec.ts).
 */
import { verifyChain, type EventStore, type PersonRole, type RecordedEvent } from '@workshare/eventsourcing';
import type { TokenSubject as Caller } from '../../src/application/ports.js';
import { as } from '../support/context.js';
import type { IdentityService, RegisterMemberInput } from '../../src/application/identity-service.js';
import type { KeyVault } from '../../src/application/ports.js';
import { corporateRegistrationNumber } from '../../src/domain/registration-number.js';

export interface IdentityTestEnv {
  readonly service: IdentityService;
  readonly store: EventStore;
  readonly vault: KeyVault;
  /** Data keys in the vault (active or destroyed). */
  keyCount(): Promise<number>;
  /** Moves the service's clock (tokens, events). */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

const PASSWORD = 'correct horse battery staple';

let sequence = 0;
const unique = () => `${Date.now().toString(36)}${(sequence++).toString(36)}`;
/** A valid corporate registration number not used before in this run (bases 99…: no registry office has them). */
const freshRegistrationNumber = () =>
  corporateRegistrationNumber(`99${String(Date.now()).slice(-6)}${String(sequence++ % 10_000).padStart(4, '0')}`);

export const memberInput = (overrides: Partial<RegisterMemberInput> = {}): RegisterMemberInput => ({
  name: '藤原 陽子',
  address: '秋田県山本郡藤里町藤琴 テスト番地1',
  email: `yoko.${unique()}@fujisato.example`,
  password: PASSWORD,
  bankAccount: { bankCode: '9999', branchCode: '001', type: 'ordinary', number: '0012345', holder: 'フジワラ ヨウコ' },
  townId: 'fujisato/fujikoto',
  contractType: 'contractor',
  skills: ['transcription', 'data entry'],
  availability: [
    { day: 'mon', start: '13:00', end: '13:40' },
    { day: 'mon', start: '21:00', end: '22:00' },
  ],
  ...overrides,
});

export const describeIdentityService = (label: string, setup: () => Promise<IdentityTestEnv>): void => {
  describe(`identity service (${label})`, () => {
    let env: IdentityTestEnv;
    let service: IdentityService;
    let operator: Caller;

    const signIn = async (email: string, password = PASSWORD): Promise<Caller> =>
      (await service.login(email, password)).caller;
    const allEvents = async (): Promise<RecordedEvent[]> => {
      const events: RecordedEvent[] = [];
      for await (const e of env.store.streamAll()) events.push(e);
      return events;
    };
    /** Runs `work`, which must fail with `code`, and checks that nothing was stored: no event, no key. */
    const refusedWithNothingStored = async (work: () => Promise<unknown>, code: string): Promise<void> => {
      const [head, keys] = [await env.store.headPosition(), await env.keyCount()];
      await expect(work()).rejects.toMatchObject({ code });
      expect(await env.store.headPosition()).toEqual(head);
      expect(await env.keyCount()).toBe(keys);
    };
    const newMember = async (overrides: Partial<RegisterMemberInput> = {}, by?: Caller) => {
      const input = memberInput(overrides);
      const { memberId } = await service.registerMember(as(by ?? operator), input);
      return { memberId, input, caller: await signIn(input.email, input.password) };
    };
    const newUser = async (role?: PersonRole) => {
      const email = `user.${unique()}@polaris.example`;
      const { userId } = await service.registerUser(as(operator), { name: '北村 彩', email, password: PASSWORD });
      if (role)
        await service.grantRole(as(operator), { accountId: userId, role: role, reason: 'needed for the tests' });
      return { userId, email, caller: await signIn(email) };
    };

    beforeAll(async () => {
      env = await setup();
      service = env.service;
      await service.bootstrapOperator({ name: '北村 彩', email: 'aya.kitamura@polaris.example', password: PASSWORD });
      operator = await signIn('aya.kitamura@polaris.example');
    });
    afterAll(async () => {
      await env?.close();
    });

    describe('bootstrap and regions', () => {
      it('makes the first operator once, and never again', async () => {
        expect(operator).toMatchObject({ kind: 'user', roles: [{ kind: 'operator' }] });
        await refusedWithNothingStored(
          () =>
            service.bootstrapOperator({ name: '偽 者', email: `mallory.${unique()}@evil.example`, password: PASSWORD }),
          'identity.already_bootstrapped',
        );
      });

      it('lists the seeded regions with their towns and offices', () => {
        const regions = service.listRegions();
        expect(regions.map((r) => r.id)).toEqual(['fujisato', 'setagaya', 'chofu']);
        expect(regions[0]).toMatchObject({ office: { prefecture: { id: 'akita', nameJa: '秋田県' } } });
        expect(regions[0]!.towns.map((t) => t.id)).toEqual(['fujisato/fujikoto', 'fujisato/kasuge', 'fujisato/tara']);
      });
    });

    describe('registering a member and reading her back', () => {
      it('registers a member and shows her everything of her own', async () => {
        const { memberId, input, caller } = await newMember();
        expect(caller).toMatchObject({
          id: memberId,
          kind: 'member',
          roles: [{ kind: 'member' }],
          homeRegion: 'fujisato',
          regions: [],
        });
        const view = await service.getMember(as(caller), memberId);
        const [registered] = await env.store.readStream(`member-${memberId}`);
        expect(view).toEqual({
          memberId,
          status: 'active',
          access: 'self',
          registeredAt: registered!.occurredAt,
          regionId: 'fujisato',
          townId: 'fujisato/fujikoto',
          prefecture: 'akita',
          contractType: 'contractor',
          skills: ['transcription', 'data entry'],
          availability: input.availability,
          timeZone: 'Asia/Tokyo',
          roles: [{ kind: 'member' }],
          personalData: {
            status: 'readable',
            name: input.name,
            email: input.email,
            address: input.address,
            bankAccount: input.bankAccount,
          },
        });
      });

      it('never puts personal data in plain text into an event', async () => {
        const { input } = await newMember({
          name: '工藤 美咲',
          address: '秋田県山本郡藤里町粕毛 秘密の番地7',
          townId: 'fujisato/kasuge',
        });
        const events = await allEvents();
        const registered = events.filter((e) => e.type !== 'SessionStarted').at(-1);
        expect(registered?.type).toBe('MemberRegistered');
        // The sealed data and the email digest are ciphertext and HMAC: random-looking, checked by their form...
        expect(registered?.data).toMatchObject({
          personalData: expect.stringMatching(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/),
          emailDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
        // ...and everything else of every event must not hold a word of her.
        const readable = JSON.stringify(
          events.map((e) => ({
            stream: e.streamName,
            type: e.type,
            data: { ...e.data, personalData: null, emailDigest: null },
            metadata: e.metadata,
          })),
        );
        for (const secret of [
          '工藤 美咲',
          '秘密の番地',
          input.email,
          input.email.split('@')[0],
          input.bankAccount.number,
          input.bankAccount.holder,
          PASSWORD,
          'scrypt',
        ]) {
          expect(readable).not.toContain(secret);
        }
      });

      it('shows each reader only what she needs of the personal data', async () => {
        const { memberId, input } = await newMember();
        const coordinator = await newMember();
        await service.grantRole(as(operator), {
          accountId: coordinator.memberId,
          role: { kind: 'coordinator', regionId: 'fujisato' },
          reason: 'runs Fujisato',
        });
        const coordinatorCaller = await signIn(coordinator.input.email);
        const accountant = await newUser({ kind: 'accountant' });

        const asOperator = await service.getMember(as(operator), memberId);
        expect(asOperator).toMatchObject({
          access: 'operator',
          personalData: { email: input.email, bankAccount: input.bankAccount, address: input.address },
        });
        const asCoordinator = await service.getMember(as(coordinatorCaller), memberId);
        expect(asCoordinator).toMatchObject({
          access: 'coordinator',
          personalData: { status: 'readable', name: input.name, email: input.email, address: input.address },
        });
        expect(asCoordinator.personalData).not.toHaveProperty('bankAccount');
        const asAccountant = await service.getMember(as(accountant.caller), memberId);
        expect(asAccountant).toMatchObject({
          access: 'accountant',
          personalData: { name: input.name, bankAccount: input.bankAccount, address: input.address },
        });
        expect(asAccountant.personalData).not.toHaveProperty('email');
      });

      it('refuses readers who have no business with her', async () => {
        const { memberId } = await newMember();
        const neighbour = await newMember();
        const tokyoMember = await newMember({ townId: 'setagaya/shimokitazawa' });
        await service.grantRole(as(operator), {
          accountId: tokyoMember.memberId,
          role: { kind: 'coordinator', regionId: 'setagaya' },
          reason: 'runs Setagaya',
        });
        const tokyoCoordinator = await signIn(tokyoMember.input.email);
        const businessUser = await newUser();
        for (const reader of [neighbour.caller, tokyoCoordinator, businessUser.caller]) {
          await expect(service.getMember(as(reader), memberId)).rejects.toMatchObject({
            code: 'member.forbidden',
            kind: 'forbidden',
          });
        }
      });

      it('answers not found for an unknown or malformed member id, and refuses an unsigned caller', async () => {
        await expect(service.getMember(as(operator), '01900000-0000-7000-8000-0000000000ff')).rejects.toMatchObject({
          code: 'member.not_found',
          kind: 'not_found',
        });
        await expect(service.getMember(as(operator), operator.id)).rejects.toMatchObject({ code: 'member.not_found' });
        await expect(service.getMember(as(operator), 'no such id')).rejects.toMatchObject({
          code: 'member.invalid_id',
          kind: 'invalid',
        });
        const forged: Caller = { ...operator, id: '01900000-0000-7000-8000-0000000000fe' };
        await expect(service.getMember(as(forged), operator.id)).rejects.toMatchObject({ kind: 'unauthenticated' });
      });

      it('lets a coordinator register members of her region only', async () => {
        const local = await newMember();
        await service.grantRole(as(operator), {
          accountId: local.memberId,
          role: { kind: 'coordinator', regionId: 'fujisato' },
          reason: 'hand-over to local members',
        });
        const coordinator = await signIn(local.input.email);
        expect(coordinator.regions).toEqual(['fujisato']);
        const { memberId } = await service.registerMember(as(coordinator), memberInput({ townId: 'fujisato/tara' }));
        await expect(service.getMember(as(coordinator), memberId)).resolves.toMatchObject({
          townId: 'fujisato/tara',
          access: 'coordinator',
        });
        await refusedWithNothingStored(
          () => service.registerMember(as(coordinator), memberInput({ townId: 'chofu/kokuryo' })),
          'account.forbidden',
        );
        await refusedWithNothingStored(
          () => service.registerMember(as(local.caller), memberInput({ townId: 'chofu/kokuryo' })),
          'account.forbidden',
        );
      });

      it('stamps every event with the actor and the request’s trace context', async () => {
        const input = memberInput();
        const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
        const { memberId } = await service.registerMember(as(operator, { correlationId: 'c-1', traceparent }), input);
        const [registered] = await env.store.readStream(`member-${memberId}`);
        expect(registered!.metadata).toMatchObject({ actor: operator.id, correlationId: 'c-1', traceparent });
      });
    });

    describe('bad input is refused with a clear error, and nothing is stored', () => {
      it('refuses a duplicate email (whatever its case and spaces), storing nothing', async () => {
        const { input } = await newMember();
        await refusedWithNothingStored(
          () => service.registerMember(as(operator), memberInput({ email: input.email })),
          'account.duplicate_email',
        );
        await refusedWithNothingStored(
          () => service.registerMember(as(operator), memberInput({ email: `  ${input.email.toUpperCase()} ` })),
          'account.duplicate_email',
        );
        await refusedWithNothingStored(
          () => service.registerUser(as(operator), { name: '北村 彩', email: input.email, password: PASSWORD }),
          'account.duplicate_email',
        );
      });

      it('lets exactly one of two simultaneous registrations of an email through', async () => {
        const email = `twins.${unique()}@fujisato.example`;
        const results = await Promise.allSettled([
          service.registerMember(as(operator), memberInput({ email })),
          service.registerMember(as(operator), memberInput({ email })),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(results.find((r) => r.status === 'rejected')).toMatchObject({
          reason: { code: 'account.duplicate_email' },
        });
      });

      it.each<[string, Partial<RegisterMemberInput>, string]>([
        [
          'a bank account number of 6 digits',
          {
            bankAccount: {
              bankCode: '9999',
              branchCode: '001',
              type: 'ordinary',
              number: '123456',
              holder: 'フジワラ ヨウコ',
            },
          },
          'bank_account.invalid_number',
        ],
        [
          'a bank account number of 8 digits',
          {
            bankAccount: {
              bankCode: '9999',
              branchCode: '001',
              type: 'ordinary',
              number: '12345678',
              holder: 'フジワラ ヨウコ',
            },
          },
          'bank_account.invalid_number',
        ],
        [
          'a holder name not in katakana',
          {
            bankAccount: {
              bankCode: '9999',
              branchCode: '001',
              type: 'ordinary',
              number: '1234567',
              holder: 'Fujiwara Yoko',
            },
          },
          'bank_account.invalid_holder',
        ],
        [
          'overlapping windows',
          {
            availability: [
              { day: 'tue', start: '10:00', end: '11:00' },
              { day: 'tue', start: '10:59', end: '12:00' },
            ],
          },
          'availability.overlap',
        ],
        [
          'an inverted window',
          { availability: [{ day: 'tue', start: '11:00', end: '10:00' }] },
          'availability.inverted',
        ],
        [
          'a zero-length window',
          { availability: [{ day: 'tue', start: '11:00', end: '11:00' }] },
          'availability.zero_length',
        ],
        [
          'a malformed time',
          { availability: [{ day: 'tue', start: '11h', end: '12:00' }] },
          'availability.malformed_time',
        ],
        ['an unknown region', { townId: 'hokkaido/sapporo' }, 'region.unknown'],
        ['an unknown town', { townId: 'fujisato/shibuya' }, 'town.unknown'],
        ['an unknown contract type', { contractType: 'intern' as never }, 'member.invalid_contract_type'],
        ['an empty skill', { skills: [''] }, 'member.invalid_skill'],
        ['a malformed email', { email: 'yoko at fujisato' }, 'personal_data.invalid_email'],
        ['no name', { name: ' ' }, 'personal_data.name_required'],
        ['no address', { address: '' }, 'personal_data.address_required'],
        ['a short password', { password: 'short' }, 'password.too_short'],
        ['a name with a NUL', { name: '藤原\u0000陽子' }, 'text.invalid_characters'],
        ['an address with a lone surrogate', { address: '藤里町\ud800藤琴' }, 'text.invalid_characters'],
        ['an email with a NUL', { email: 'yoko\u0000@fujisato.example' }, 'text.invalid_characters'],
        ['a password with a NUL', { password: 'correct horse\u0000battery' }, 'text.invalid_characters'],
        ['a skill with a NUL', { skills: ['data\u0000entry'] }, 'text.invalid_characters'],
      ])('refuses %s', async (_what, overrides, code) => {
        await refusedWithNothingStored(() => service.registerMember(as(operator), memberInput(overrides)), code);
      });

      it('reports bad input as invalid (INVALID_ARGUMENT / 400 at the edge)', async () => {
        await expect(
          service.registerMember(as(operator), memberInput({ townId: 'fujisato/nowhere' })),
        ).rejects.toMatchObject({ kind: 'invalid' });
      });

      it('leaves a refused email free for a correct registration', async () => {
        const email = `retry.${unique()}@fujisato.example`;
        await refusedWithNothingStored(
          () =>
            service.registerMember(
              as(operator),
              memberInput({ email, availability: [{ day: 'mon', start: '10:00', end: '09:00' }] }),
            ),
          'availability.inverted',
        );
        await expect(service.registerMember(as(operator), memberInput({ email }))).resolves.toHaveProperty('memberId');
      });
    });

    describe('retried commands (the same request id)', () => {
      const countEvents = async (stream: string) => (await env.store.readStream(stream)).length;

      it('registers a member once: a retry answers the same member and stores nothing', async () => {
        const input = memberInput();
        const first = await service.registerMember(as(operator, { requestId: 'register-yoko' }), input);
        const head = await env.store.headPosition();
        const keys = await env.keyCount();
        await expect(service.registerMember(as(operator, { requestId: 'register-yoko' }), input)).resolves.toEqual(
          first,
        );
        expect(await env.store.headPosition()).toEqual(head);
        expect(await env.keyCount()).toBe(keys);
        expect((await env.store.readStream(`member-${first.memberId}`)).map((e) => e.metadata.commandId)).toEqual([
          `${operator.id}:register-yoko`,
        ]);
        await expect(signIn(input.email)).resolves.toMatchObject({ id: first.memberId });
      });

      it('applies a retry racing its first attempt once', async () => {
        const input = memberInput();
        const [a, b] = await Promise.all([
          service.registerMember(as(operator, { requestId: 'racing-twins' }), input),
          service.registerMember(as(operator, { requestId: 'racing-twins' }), input),
        ]);
        expect(a).toEqual(b);
        expect(await countEvents(`member-${a.memberId}`)).toBe(1);
      });

      it('keeps request ids apart per caller: the same id from two callers is two requests', async () => {
        const coordinator = await newMember({ townId: 'setagaya/sangenjaya' });
        await service.grantRole(as(operator), {
          accountId: coordinator.memberId,
          role: { kind: 'coordinator', regionId: 'setagaya' },
          reason: 'runs Setagaya',
        });
        const byCoordinator = await signIn(coordinator.input.email);
        const one = await service.registerMember(
          as(operator, { requestId: 'same-id' }),
          memberInput({ townId: 'setagaya/sangenjaya' }),
        );
        const two = await service.registerMember(
          as(byCoordinator, { requestId: 'same-id' }),
          memberInput({ townId: 'setagaya/shimokitazawa' }),
        );
        expect(two.memberId).not.toBe(one.memberId);
      });

      it('answers a refused registration again as refused, and lets the corrected request through under the same id', async () => {
        const input = memberInput({ availability: [{ day: 'tue', start: '11:00', end: '10:00' }] });
        await refusedWithNothingStored(
          () => service.registerMember(as(operator, { requestId: 'fix-me' }), input),
          'availability.inverted',
        );
        const fixed = await service.registerMember(as(operator, { requestId: 'fix-me' }), {
          ...input,
          availability: [],
        });
        await expect(service.getMember(as(operator), fixed.memberId)).resolves.toMatchObject({ availability: [] });
      });

      it('registers a user and a business once', async () => {
        const email = `user.${unique()}@polaris.example`;
        const user = await service.registerUser(as(operator, { requestId: 'user-1' }), {
          name: '北村 彩',
          email,
          password: PASSWORD,
        });
        await expect(
          service.registerUser(as(operator, { requestId: 'user-1' }), { name: '北村 彩', email, password: PASSWORD }),
        ).resolves.toEqual(user);
        expect(await countEvents(`user-${user.userId}`)).toBe(1);

        const input = {
          name: '藤里木工株式会社',
          registrationNumber: freshRegistrationNumber(),
          regionId: 'fujisato',
          address: '秋田県山本郡藤里町藤琴 1',
        };
        const business = await service.registerBusiness(as(operator, { requestId: 'business-1' }), input);
        expect(business).toMatchObject({ address: '秋田県山本郡藤里町藤琴 1' });
        const head = await env.store.headPosition();
        await expect(service.registerBusiness(as(operator, { requestId: 'business-1' }), input)).resolves.toEqual(
          business,
        );
        expect(await env.store.headPosition()).toEqual(head);
        await expect(service.getBusiness(as(operator), business.businessId)).resolves.toEqual(business);
      });

      it('grants a role once, and answers a member’s retried forgetting though she is forgotten by then', async () => {
        const { memberId, caller } = await newMember();
        await service.grantRole(as(operator, { requestId: 'grant-1' }), {
          accountId: memberId,
          role: { kind: 'coordinator', regionId: 'fujisato' },
          reason: 'runs Fujisato',
        });
        await expect(
          service.grantRole(as(operator, { requestId: 'grant-1' }), {
            accountId: memberId,
            role: { kind: 'coordinator', regionId: 'fujisato' },
            reason: 'runs Fujisato',
          }),
        ).resolves.toMatchObject({
          roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'fujisato' }],
        });
        await service.forgetMember(as(caller, { requestId: 'forget-1' }), { memberId: memberId, reason: 'leaving' });
        const events = await countEvents(`member-${memberId}`);
        await expect(
          service.forgetMember(as(caller, { requestId: 'forget-1' }), { memberId: memberId, reason: 'leaving' }),
        ).resolves.toBeUndefined();
        expect(await countEvents(`member-${memberId}`)).toBe(events);
        await refusedWithNothingStored(
          () => service.forgetMember(as(caller, { requestId: 'forget-2' }), { memberId: memberId, reason: 'leaving' }),
          'auth.account_inactive',
        );
      });
    });

    describe('forgetting a member (crypto-shredding)', () => {
      it('makes her personal data unreadable, keeps her history verifiable, and frees her email', async () => {
        const { memberId, input, caller } = await newMember();
        const stream = `member-${memberId}`;
        const before = await env.store.readStream(stream);

        await service.forgetMember(as(caller), { memberId: memberId, reason: 'leaving the cooperative' });

        const view = await service.getMember(as(operator), memberId);
        expect(view).toEqual({
          memberId,
          status: 'forgotten',
          access: 'operator',
          regionId: 'fujisato',
          registeredAt: before[0]!.occurredAt,
          personalData: { status: 'forgotten' },
        });
        const after = await env.store.readStream(stream);
        expect(after.slice(0, before.length)).toEqual(before);
        expect(after.map((e) => e.type)).toEqual([...before.map((e) => e.type), 'MemberForgotten']);
        expect(after.at(-1)!.data).toEqual({ memberId, forgottenBy: memberId, reason: 'leaving the cooperative' });
        expect(verifyChain(after)).toBeUndefined();
        await expect(env.vault.fetchKey(stream)).resolves.toMatchObject({ state: 'destroyed' });

        // She can no longer sign in, nor act with the token she still holds.
        await expect(service.login(input.email, input.password)).rejects.toMatchObject({
          code: 'auth.invalid_credentials',
        });
        await expect(service.getMember(as(caller), memberId)).rejects.toMatchObject({
          code: 'auth.account_inactive',
          kind: 'unauthenticated',
        });
        // Her email is free again: she may come back one day, as a new member.
        const again = await service.registerMember(as(operator), memberInput({ email: input.email }));
        expect(again.memberId).not.toBe(memberId);
        await expect(signIn(input.email)).resolves.toMatchObject({ id: again.memberId });
      });

      it('lets an operator forget a member, and refuses twice', async () => {
        const { memberId } = await newMember();
        await service.forgetMember(as(operator), { memberId: memberId, reason: 'asked in writing' });
        await refusedWithNothingStored(
          () => service.forgetMember(as(operator), { memberId: memberId, reason: 'again' }),
          'account.already_forgotten',
        );
      });

      it('refuses a coordinator or another member, and then touches neither the key nor the history', async () => {
        const { memberId } = await newMember();
        const coordinator = await newMember();
        await service.grantRole(as(operator), {
          accountId: coordinator.memberId,
          role: { kind: 'coordinator', regionId: 'fujisato' },
          reason: 'runs Fujisato',
        });
        const other = await newMember();
        for (const by of [await signIn(coordinator.input.email), other.caller]) {
          await refusedWithNothingStored(
            () => service.forgetMember(as(by), { memberId: memberId, reason: 'tidying up' }),
            'account.forbidden',
          );
        }
        await refusedWithNothingStored(
          () => service.forgetMember(as(operator), { memberId: memberId, reason: '  ' }),
          'account.reason_required',
        );
        await expect(service.getMember(as(operator), memberId)).resolves.toMatchObject({
          status: 'active',
          personalData: { status: 'readable' },
        });
      });

      it('forgets a user too', async () => {
        const user = await newUser({ kind: 'accountant' });
        await service.forgetUser(as(operator), { userId: user.userId, reason: 'contract ended' });
        await expect(service.getUser(as(operator), user.userId)).resolves.toEqual({
          userId: user.userId,
          status: 'forgotten',
          personalData: { status: 'forgotten' },
        });
        await expect(service.login(user.email, PASSWORD)).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
      });
    });

    describe('free texts about a member, sealed with her key (other services’ reasons and notes)', () => {
      /** A member, her region's coordinator, another region's coordinator, the accountant, a business user, another member. */
      const people = async () => {
        const member = await newMember();
        const coordinatorMember = await newMember();
        await service.grantRole(as(operator), {
          accountId: coordinatorMember.memberId,
          role: { kind: 'coordinator', regionId: 'fujisato' },
          reason: 'runs Fujisato',
        });
        const elsewhere = await newMember({ townId: 'setagaya/sangenjaya' });
        await service.grantRole(as(operator), {
          accountId: elsewhere.memberId,
          role: { kind: 'coordinator', regionId: 'setagaya' },
          reason: 'runs Setagaya',
        });
        return {
          member,
          coordinator: await signIn(coordinatorMember.input.email),
          otherCoordinator: await signIn(elsewhere.input.email),
          accountant: (await newUser({ kind: 'accountant' })).caller,
          other: (await newMember()).caller,
        };
      };
      /** Runs `work` and checks that nothing was stored. */
      const storesNothing = async <T>(work: () => Promise<T>): Promise<T> => {
        const [head, keys] = [await env.store.headPosition(), await env.keyCount()];
        const result = await work();
        expect(await env.store.headPosition()).toEqual(head);
        expect(await env.keyCount()).toBe(keys);
        return result;
      };

      it('seals for those who write about her, opens for those who read it, withholds from everyone else', async () => {
        const p = await people();
        const { memberId } = p.member;
        const texts = ['子どもの発熱 (sick child)', '12 件目まで入力済み', ''];
        const sealed = await storesNothing(() => service.sealTexts(as(p.member.caller), { ownerId: memberId, texts }));
        expect(sealed).toHaveLength(3);
        for (const [i, one] of sealed.entries()) {
          expect(one).toMatch(/^v1\.[\w-]+\.[\w-]*\.[\w-]+$/);
          if (texts[i] !== '') expect(one).not.toContain(texts[i]);
        }
        // Sealed twice, a text reads differently (a fresh nonce each time).
        const [again] = await service.sealTexts(as(p.coordinator), { ownerId: memberId, texts: [texts[0]!] });
        expect(again).not.toBe(sealed[0]);
        const refs = [...sealed, again!].map((one) => ({ ownerId: memberId, sealed: one }));
        const readable = [...texts, texts[0]!].map((text) => ({ status: 'readable', text }));
        for (const reader of [p.member.caller, p.coordinator, p.accountant, operator])
          await expect(storesNothing(() => service.openTexts(as(reader), refs))).resolves.toEqual(readable);
        for (const reader of [p.other, p.otherCoordinator])
          await expect(service.openTexts(as(reader), refs)).resolves.toEqual(refs.map(() => ({ status: 'withheld' })));
        await expect(
          service.sealTexts(as(operator), { ownerId: memberId, texts: ['asked by phone'] }),
        ).resolves.toHaveLength(1);
      });

      it('refuses to seal for anyone who does not write about her, for nobody, and bad texts', async () => {
        const p = await people();
        const { memberId } = p.member;
        for (const by of [p.accountant, p.other, p.otherCoordinator])
          await expect(service.sealTexts(as(by), { ownerId: memberId, texts: ['x'] })).rejects.toMatchObject({
            code: 'personal_text.forbidden',
          });
        const unknown = '01900000-0000-7000-8000-000000000000';
        await expect(service.sealTexts(as(operator), { ownerId: unknown, texts: ['x'] })).rejects.toMatchObject({
          code: 'member.not_found',
        });
        await expect(service.sealTexts(as(operator), { ownerId: 'not-an-id', texts: ['x'] })).rejects.toMatchObject({
          code: 'member.invalid_id',
        });
        const bad: [readonly string[], string][] = [
          [[], 'personal_text.required'],
          [Array.from({ length: 17 }, () => 'x'), 'personal_text.too_many'],
          [['あ'.repeat(2_001)], 'personal_text.too_long'],
          [['nul\u0000'], 'text.invalid_characters'],
          [['\ud800'], 'text.invalid_characters'],
        ];
        for (const [texts, code] of bad)
          await expect(service.sealTexts(as(operator), { ownerId: memberId, texts })).rejects.toMatchObject({ code });
        await expect(
          service.sealTexts(as(operator), { ownerId: memberId, texts: ['𠮷'.repeat(2_000)] }),
        ).resolves.toHaveLength(1);
      });

      it('opens nothing that was changed or moved to another member; a batch of many is one call', async () => {
        const p = await people();
        const [sealed] = await service.sealTexts(as(p.member.caller), { ownerId: p.member.memberId, texts: ['急用'] });
        const [nonce, ciphertext, tag] = sealed!.split('.').slice(1) as [string, string, string];
        const flipped = `v1.${nonce}.${ciphertext.slice(0, -1)}${ciphertext.endsWith('A') ? 'B' : 'A'}.${tag}`;
        const otherMember = (await newMember()).memberId;
        await expect(
          service.openTexts(as(operator), [
            { ownerId: p.member.memberId, sealed: flipped },
            { ownerId: otherMember, sealed: sealed! },
            { ownerId: p.member.memberId, sealed: 'not sealed' },
          ]),
        ).resolves.toEqual([{ status: 'unreadable' }, { status: 'unreadable' }, { status: 'unreadable' }]);
        const many = Array.from({ length: 500 }, () => ({ ownerId: p.member.memberId, sealed: sealed! }));
        expect(await service.openTexts(as(p.accountant), many)).toEqual(
          many.map(() => ({ status: 'readable', text: '急用' })),
        );
        await expect(service.openTexts(as(operator), [...many, many[0]!])).rejects.toMatchObject({
          code: 'personal_text.too_many',
        });
      });

      it('shows her texts as redacted to everyone once she is forgotten, and seals nothing more for her', async () => {
        const p = await people();
        const { memberId } = p.member;
        const sealed = await service.sealTexts(as(p.member.caller), {
          ownerId: memberId,
          texts: ['sick child', 'note'],
        });
        await service.forgetMember(as(operator), { memberId, reason: 'asked in writing' });
        const refs = sealed.map((one) => ({ ownerId: memberId, sealed: one }));
        for (const reader of [p.coordinator, p.accountant, operator])
          await expect(service.openTexts(as(reader), refs)).resolves.toEqual([
            { status: 'redacted' },
            { status: 'redacted' },
          ]);
        await expect(service.sealTexts(as(operator), { ownerId: memberId, texts: ['x'] })).rejects.toMatchObject({
          code: 'personal_text.owner_forgotten',
        });
      });
    });

    describe('roles', () => {
      it('grants and revokes with actor and reason, and a revoked coordinator stops at once, old token or not', async () => {
        const local = await newMember();
        await expect(
          service.grantRole(as(operator), {
            accountId: local.memberId,
            role: { kind: 'coordinator', regionId: 'fujisato' },
            reason: 'hand-over',
          }),
        ).resolves.toEqual({
          roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'fujisato' }],
        });
        const coordinator = await signIn(local.input.email);
        await service.registerMember(as(coordinator), memberInput());
        await service.revokeRole(as(operator), {
          accountId: local.memberId,
          role: { kind: 'coordinator', regionId: 'fujisato' },
          reason: 'stepped down',
        });
        await refusedWithNothingStored(
          () => service.registerMember(as(coordinator), memberInput()),
          'account.forbidden',
        );
        const events = await env.store.readStream(`member-${local.memberId}`);
        expect(events.slice(1).map((e) => [e.type, e.data])).toEqual([
          [
            'RoleGranted',
            {
              accountId: local.memberId,
              role: { kind: 'coordinator', regionId: 'fujisato' },
              grantedBy: operator.id,
              reason: 'hand-over',
            },
          ],
          [
            'RoleRevoked',
            {
              accountId: local.memberId,
              role: { kind: 'coordinator', regionId: 'fujisato' },
              revokedBy: operator.id,
              reason: 'stepped down',
            },
          ],
        ]);
      });

      it('refuses coordinator of a region she does not live in, double grants, revoking what is not held, and non-operators', async () => {
        const local = await newMember();
        await refusedWithNothingStored(
          () =>
            service.grantRole(as(operator), {
              accountId: local.memberId,
              role: { kind: 'coordinator', regionId: 'chofu' },
              reason: 'x',
            }),
          'role.not_resident',
        );
        await service.grantRole(as(operator), {
          accountId: local.memberId,
          role: { kind: 'coordinator', regionId: 'fujisato' },
          reason: 'x',
        });
        await refusedWithNothingStored(
          () =>
            service.grantRole(as(operator), {
              accountId: local.memberId,
              role: { kind: 'coordinator', regionId: 'fujisato' },
              reason: 'x',
            }),
          'role.already_granted',
        );
        await refusedWithNothingStored(
          () =>
            service.revokeRole(as(operator), { accountId: local.memberId, role: { kind: 'operator' }, reason: 'x' }),
          'role.not_held',
        );
        const coordinator = await signIn(local.input.email);
        const other = await newMember();
        await refusedWithNothingStored(
          () =>
            service.grantRole(as(coordinator), {
              accountId: other.memberId,
              role: { kind: 'coordinator', regionId: 'fujisato' },
              reason: 'x',
            }),
          'role.forbidden',
        );
        await refusedWithNothingStored(
          () =>
            service.grantRole(as(operator), {
              accountId: other.memberId,
              role: { kind: 'king' } as never,
              reason: 'x',
            }),
          'role.invalid',
        );
      });

      it('grants a business role only for a business that exists, to an account that exists', async () => {
        const user = await newUser();
        await refusedWithNothingStored(
          () =>
            service.grantRole(as(operator), {
              accountId: user.userId,
              role: { kind: 'business', businessId: '01900000-0000-7000-8000-0000000000aa' },
              reason: 'x',
            }),
          'business.not_found',
        );
        await refusedWithNothingStored(
          () =>
            service.grantRole(as(operator), {
              accountId: '01900000-0000-7000-8000-0000000000ab',
              role: { kind: 'accountant' },
              reason: 'x',
            }),
          'account.not_found',
        );
        const business = await service.registerBusiness(as(operator), {
          name: '藤琴川まいたけ合同会社',
          registrationNumber: freshRegistrationNumber(),
          regionId: 'fujisato',
        });
        await service.grantRole(as(operator), {
          accountId: user.userId,
          role: { kind: 'business', businessId: business.businessId },
          reason: 'contact person',
        });
        await expect(signIn(user.email)).resolves.toMatchObject({
          businessId: business.businessId,
          roles: [{ kind: 'business', businessId: business.businessId }],
        });
      });
    });

    describe('availability', () => {
      it('lets a member change her windows, and refuses overlapping ones', async () => {
        const { memberId, caller } = await newMember();
        const windows = [
          { day: 'wed' as const, start: '20:00', end: '21:00' },
          { day: 'tue' as const, start: '09:00', end: '09:45' },
        ];
        await expect(
          service.updateAvailability(as(caller), { memberId: memberId, availability: windows }),
        ).resolves.toEqual({
          memberId,
          availability: [windows[1], windows[0]],
          changed: true,
        });
        await expect(
          service.updateAvailability(as(caller), { memberId: memberId, availability: windows }),
        ).resolves.toMatchObject({ changed: false });
        await refusedWithNothingStored(
          () =>
            service.updateAvailability(as(caller), {
              memberId: memberId,
              availability: [...windows, { day: 'wed', start: '20:30', end: '22:00' }],
            }),
          'availability.overlap',
        );
        await expect(service.getMember(as(caller), memberId)).resolves.toMatchObject({
          availability: [windows[1], windows[0]],
        });
      });

      it('answers a retried command (same command id) without deciding it twice', async () => {
        const { memberId, caller } = await newMember();
        const windows = [{ day: 'fri' as const, start: '13:00', end: '13:40' }];
        await service.updateAvailability(as(caller, { requestId: 'retry-1' }), {
          memberId: memberId,
          availability: windows,
        });
        const head = await env.store.headPosition();
        await expect(
          service.updateAvailability(as(caller, { requestId: 'retry-1' }), {
            memberId: memberId,
            availability: windows,
          }),
        ).resolves.toMatchObject({ changed: true });
        expect(await env.store.headPosition()).toEqual(head);
      });

      it('refuses a request id that is not 1 to 200 printable characters, before anything is stored', async () => {
        const { memberId, caller } = await newMember();
        for (const commandId of ['', 'has space', 'x'.repeat(201), 'ｒｅｑ']) {
          await refusedWithNothingStored(
            () =>
              service.updateAvailability(as(caller, { requestId: commandId }), {
                memberId: memberId,
                availability: [],
              }),
            'request.invalid_request_id',
          );
        }
      });

      it('refuses someone else’s change', async () => {
        const { memberId } = await newMember();
        const other = await newMember();
        await refusedWithNothingStored(
          () => service.updateAvailability(as(other.caller), { memberId: memberId, availability: [] }),
          'account.forbidden',
        );
      });
    });

    describe('businesses', () => {
      it('registers a business with a valid registration number, and refuses a malformed or duplicate one', async () => {
        const number = freshRegistrationNumber();
        const business = await service.registerBusiness(as(operator), {
          name: '白神ウッドワークス株式会社',
          registrationNumber: number,
          regionId: 'fujisato',
        });
        expect(business).toMatchObject({
          name: '白神ウッドワークス株式会社',
          registrationNumber: number,
          entityType: 'corporation',
          regionId: 'fujisato',
        });
        const member = await newMember();
        await expect(service.getBusiness(as(member.caller), business.businessId)).resolves.toEqual(business);
        await expect(service.listBusinesses(as(member.caller), 'fujisato')).resolves.toContainEqual(business);
        await expect(service.listBusinesses(as(member.caller), 'chofu')).resolves.not.toContainEqual(business);

        await refusedWithNothingStored(
          () =>
            service.registerBusiness(as(operator), {
              name: '二重登録株式会社',
              registrationNumber: number,
              regionId: 'fujisato',
            }),
          'business.duplicate_registration_number',
        );
        const typo = `T${(Number(number[1]) % 9) + 1}${number.slice(2)}`;
        await refusedWithNothingStored(
          () =>
            service.registerBusiness(as(operator), {
              name: '誤記株式会社',
              registrationNumber: typo,
              regionId: 'fujisato',
            }),
          'business.registration_number_check_digit',
        );
        await refusedWithNothingStored(
          () =>
            service.registerBusiness(as(operator), {
              name: '誤記株式会社',
              registrationNumber: 'T12345',
              regionId: 'fujisato',
            }),
          'business.registration_number_malformed',
        );
        await refusedWithNothingStored(
          () =>
            service.registerBusiness(as(member.caller), {
              name: '無権限株式会社',
              registrationNumber: freshRegistrationNumber(),
              regionId: 'fujisato',
            }),
          'business.forbidden',
        );
      });
    });

    describe('lists', () => {
      it('lists a region’s members, without personal data, for its coordinator but not for a member', async () => {
        const local = await newMember({ townId: 'chofu/jindaiji' });
        await service.grantRole(as(operator), {
          accountId: local.memberId,
          role: { kind: 'coordinator', regionId: 'chofu' },
          reason: 'runs Chofu',
        });
        const neighbour = await newMember({ townId: 'chofu/sengawa' });
        const coordinator = await signIn(local.input.email);
        const list = await service.listMembers(as(coordinator), 'chofu');
        expect(list.map((m) => m.memberId).sort()).toEqual([local.memberId, neighbour.memberId].sort());
        expect(JSON.stringify(list)).not.toContain(neighbour.input.name);
        await expect(service.listMembers(as(coordinator), 'fujisato')).rejects.toMatchObject({
          code: 'member.forbidden',
        });
        await expect(service.listMembers(as(neighbour.caller), 'chofu')).rejects.toMatchObject({
          code: 'member.forbidden',
        });
        await service.forgetMember(as(neighbour.caller), { memberId: neighbour.memberId, reason: 'moving away' });
        await expect(service.listMembers(as(operator), 'chofu')).resolves.toContainEqual({
          memberId: neighbour.memberId,
          status: 'forgotten',
          regionId: 'chofu',
          registeredAt: expect.any(Date),
        });
      });
    });

    describe('tokens', () => {
      it('issues a token on the right password and verifies it; refuses wrong passwords and unknown emails alike', async () => {
        const { memberId, input } = await newMember();
        const { token, caller } = await service.login(` ${input.email.toUpperCase()} `, input.password);
        await expect(service.verifyToken(token)).resolves.toEqual(caller);
        expect(caller.id).toBe(memberId);
        await expect(service.login(input.email, 'wrong password, sorry')).rejects.toMatchObject({
          code: 'auth.invalid_credentials',
          kind: 'unauthenticated',
        });
        await expect(service.login(`nobody.${unique()}@fujisato.example`, input.password)).rejects.toMatchObject({
          code: 'auth.invalid_credentials',
        });
        await expect(service.login('not an email', input.password)).rejects.toMatchObject({
          code: 'auth.invalid_credentials',
        });
      });

      it('refuses a tampered token and an expired one', async () => {
        const { input } = await newMember();
        const { token } = await service.login(input.email, input.password);
        const [header, payload, signature] = token.split('.') as [string, string, string];
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
        const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, roles: ['member', 'operator'] })).toString('base64url')}.${signature}`;
        await expect(service.verifyToken(tampered)).rejects.toMatchObject({
          code: 'auth.invalid_token',
          kind: 'unauthenticated',
        });
        env.advanceClock(8 * 3600 * 1000 + 1000);
        try {
          await expect(service.verifyToken(token)).rejects.toMatchObject({
            code: 'auth.token_expired',
            kind: 'unauthenticated',
          });
        } finally {
          env.advanceClock(-(8 * 3600 * 1000 + 1000));
        }
        await expect(service.verifyToken(token)).resolves.toMatchObject({ kind: 'member' });
      });

      it('inspects a token: the roles held now, its expiry, and never a forgotten account', async () => {
        const { memberId, input, caller } = await newMember();
        const { token, expiresAt } = await service.login(input.email, input.password);
        await expect(service.inspectToken(token)).resolves.toEqual({
          caller,
          expiresAt,
          sessionId: expect.any(String),
          tokenId: expect.any(String),
        });
        await service.grantRole(as(operator), {
          accountId: memberId,
          role: { kind: 'coordinator', regionId: 'fujisato' },
          reason: 'runs Fujisato',
        });
        await expect(service.inspectToken(token)).resolves.toMatchObject({ caller: { regions: ['fujisato'] } });
        await service.forgetMember(as(operator), { memberId: memberId, reason: 'left' });
        await expect(service.inspectToken(token)).rejects.toMatchObject({
          code: 'auth.account_inactive',
          kind: 'unauthenticated',
        });
      });

      it('signs in with a refresh token of a session of its own; only its digest is stored', async () => {
        const { input, memberId } = await newMember();
        const signedIn = await service.login(input.email, input.password);
        expect(signedIn.refreshToken).toMatch(new RegExp(`^${signedIn.sessionId}\\.[A-Za-z0-9_-]{43}$`));
        expect(signedIn.refreshExpiresAt.getTime() - signedIn.expiresAt.getTime()).toBeGreaterThan(6 * 86_400_000);
        const session = await env.store.readStream(`session-${signedIn.sessionId}`);
        expect(session.map((e) => e.type)).toEqual(['SessionStarted']);
        expect(session[0]!.data).toMatchObject({ accountId: memberId, accountKind: 'member' });
        const stored = JSON.stringify((await allEvents()).map((e) => [e.data, e.metadata]));
        expect(stored).not.toContain(signedIn.refreshToken.split('.')[1]);
        expect(stored).toContain(session[0]!.data.refreshTokenDigest as string);
        await expect(service.inspectToken(signedIn.token)).resolves.toMatchObject({ sessionId: signedIn.sessionId });
      });

      it('refreshes: a new access token with the roles held now and the next refresh token; the one given is spent', async () => {
        const { input, memberId } = await newMember();
        const first = await service.login(input.email, input.password);
        await service.grantRole(as(operator), {
          accountId: memberId,
          role: { kind: 'coordinator', regionId: 'fujisato' },
          reason: 'runs Fujisato',
        });
        const second = await service.refresh(first.refreshToken);
        expect(second.sessionId).toBe(first.sessionId);
        expect(second.refreshToken).not.toBe(first.refreshToken);
        expect(second.token).not.toBe(first.token);
        expect(second.caller.regions).toEqual(['fujisato']);
        expect(second.refreshExpiresAt).toEqual(first.refreshExpiresAt);
        const third = await service.refresh(second.refreshToken);
        await expect(service.verifyToken(third.token)).resolves.toMatchObject({ id: memberId });
        await expect(service.verifyToken(first.token)).resolves.toMatchObject({ id: memberId }); // the session goes on
      });

      it('ends the session when a spent refresh token comes back: every token of it is refused', async () => {
        const { input } = await newMember();
        const first = await service.login(input.email, input.password);
        const second = await service.refresh(first.refreshToken);
        const other = await service.login(input.email, input.password); // another session, untouched
        await expect(service.refresh(first.refreshToken)).rejects.toMatchObject({
          code: 'auth.refresh_token_reused',
          kind: 'unauthenticated',
        });
        const events = await env.store.readStream(`session-${first.sessionId}`);
        expect(events.at(-1)).toMatchObject({ type: 'SessionRevoked', data: { reason: 'refresh_token_reused' } });
        for (const token of [first.token, second.token])
          await expect(service.inspectToken(token)).rejects.toMatchObject({ code: 'auth.session_revoked' });
        await expect(service.refresh(second.refreshToken)).rejects.toMatchObject({ code: 'auth.session_revoked' });
        await expect(service.verifyToken(other.token)).resolves.toMatchObject({ kind: 'member' });
        await expect(service.refresh(other.refreshToken)).resolves.toMatchObject({ sessionId: other.sessionId });
      });

      it('refuses refresh tokens that are none, not in force, or expired, storing nothing', async () => {
        const { input } = await newMember();
        const signedIn = await service.login(input.email, input.password);
        const [sessionId] = signedIn.refreshToken.split('.');
        for (const token of ['', 'garbage', `${sessionId}.${'A'.repeat(43)}`, `${'0'.repeat(36)}.${'A'.repeat(43)}`])
          await refusedWithNothingStored(() => service.refresh(token), 'auth.invalid_refresh_token');
        env.advanceClock(8 * 86_400_000);
        try {
          await refusedWithNothingStored(() => service.refresh(signedIn.refreshToken), 'auth.refresh_token_expired');
        } finally {
          env.advanceClock(-8 * 86_400_000);
        }
      });

      it('logs out by refresh token or by an access token of the session, expired or not; twice is no error', async () => {
        const { input, memberId } = await newMember();
        const byRefresh = await service.login(input.email, input.password);
        await expect(service.logout({ refreshToken: byRefresh.refreshToken })).resolves.toEqual({
          sessionId: byRefresh.sessionId,
          accountId: memberId,
        });
        await expect(service.inspectToken(byRefresh.token)).rejects.toMatchObject({ code: 'auth.session_revoked' });
        await expect(service.refresh(byRefresh.refreshToken)).rejects.toMatchObject({ code: 'auth.session_revoked' });
        await service.logout({ refreshToken: byRefresh.refreshToken });
        expect((await env.store.readStream(`session-${byRefresh.sessionId}`)).map((e) => e.type)).toEqual([
          'SessionStarted',
          'SessionRevoked',
        ]);

        const byAccess = await service.login(input.email, input.password);
        env.advanceClock(20 * 60_000);
        try {
          await expect(service.inspectToken(byAccess.token)).rejects.toMatchObject({ code: 'auth.token_expired' });
          await service.logout({ accessToken: byAccess.token });
        } finally {
          env.advanceClock(-20 * 60_000);
        }
        await expect(service.inspectToken(byAccess.token)).rejects.toMatchObject({ code: 'auth.session_revoked' });
        await expect(service.refresh(byAccess.refreshToken)).rejects.toMatchObject({ code: 'auth.session_revoked' });
        await expect(service.logout({})).rejects.toMatchObject({ code: 'auth.missing_token', kind: 'invalid' });
      });

      it('refuses to refresh for a forgotten account, and ends that session', async () => {
        const { input, memberId } = await newMember();
        const signedIn = await service.login(input.email, input.password);
        await service.forgetMember(as(operator), { memberId, reason: 'left' });
        await expect(service.refresh(signedIn.refreshToken)).rejects.toMatchObject({ code: 'auth.account_inactive' });
        expect((await env.store.readStream(`session-${signedIn.sessionId}`)).at(-1)).toMatchObject({
          type: 'SessionRevoked',
          data: { reason: 'account_inactive' },
        });
      });

      it('hears of sessions ended elsewhere at once', async () => {
        const { input } = await newMember();
        const signedIn = await service.login(input.email, input.password);
        await expect(service.verifyToken(signedIn.token)).resolves.toMatchObject({ kind: 'member' });
        service.sessionsEnded([signedIn.sessionId]);
        await expect(service.verifyToken(signedIn.token)).rejects.toMatchObject({ code: 'auth.session_revoked' });
      });

      it('publishes the public key for other services', () => {
        const { keys } = service.jwks();
        expect(keys).toHaveLength(1);
        expect(keys[0]).not.toHaveProperty('d');
      });
    });

    describe('the whole log', () => {
      it('verifies: every stream’s hash chain is intact after all of the above', async () => {
        const byStream = new Map<string, RecordedEvent[]>();
        for (const e of await allEvents()) byStream.set(e.streamName, [...(byStream.get(e.streamName) ?? []), e]);
        expect(byStream.size).toBeGreaterThan(10);
        for (const events of byStream.values()) expect(verifyChain(events)).toBeUndefined();
      });
    });
  });
};
