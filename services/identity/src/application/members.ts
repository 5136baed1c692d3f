import { ForbiddenError, type CommandContext, type JsonObject } from '@workshare/eventsourcing';
import { memberStream, registration, type Account, type ContractType } from '../domain/account.js';
import type { AvailabilityWindow } from '../domain/availability.js';
import {
  checkPasswordPolicy,
  normaliseEmail,
  parseAddress,
  parseBankAccount,
  parseName,
  type BankAccount,
  type MemberPersonalData,
} from '../domain/personal-data.js';
import { memberAccess, mayListMembers, visiblePersonalData } from './access.js';
import { forgetAccount, stringField } from './accounts.js';
import { idForCommand } from './command-ids.js';
import type { IdentityCore } from './identity-core.js';
import type { MemberSummary, MemberView } from './views.js';

export interface RegisterMemberInput {
  readonly name: string;
  readonly address: string;
  readonly email: string;
  readonly password: string;
  readonly bankAccount: BankAccount;
  /** `<region>/<town>`, e.g. `fujisato/fujikoto`. */
  readonly townId: string;
  readonly contractType: ContractType;
  readonly skills: readonly string[];
  readonly availability: readonly AvailabilityWindow[];
}

export interface UpdateAvailabilityInput {
  readonly memberId: string;
  readonly availability: readonly AvailabilityWindow[];
}

export interface AvailabilityUpdated {
  readonly memberId: string;
  readonly availability: AvailabilityWindow[];
  readonly changed: boolean;
}

/**
 * Members: registration (by an operator or a coordinator of her region), reading her (as much
 * of her personal data as the reader needs), a region's list, her weekly availability, and
 * forgetting her.
 */
export class Members {
  constructor(private readonly core: IdentityCore) {}

  /**
   * Registers a member of a region: her personal data is checked (pure domain functions) and
   * sealed with a key of her own, the registration decided (who may register her, every rule
   * on her profile: refused here, nothing stored), then the registration workflow reserves
   * her email and appends it (IdentityCore.registerAccount). Her id follows from the caller
   * and the request id: a retry answers the member the first attempt registered.
   */
  async register(context: CommandContext, input: RegisterMemberInput): Promise<{ memberId: string }> {
    const { core } = this;
    const commandId = core.commandIdOf(context);
    const memberId = commandId === undefined ? core.newId() : idForCommand('member', commandId);
    const stream = memberStream(memberId);
    return core.once(stream, async () => {
      if ((await core.handledBefore(core.accounts, stream, commandId)) === undefined)
        await this.registerNew(context, memberId, commandId, input);
      return { memberId };
    });
  }

  private async registerNew(
    context: CommandContext,
    memberId: string,
    commandId: string | undefined,
    input: RegisterMemberInput,
  ): Promise<void> {
    const { core } = this;
    const actor = await core.actorOf(context);
    const stream = memberStream(memberId);
    const personal = {
      name: parseName(input.name),
      address: parseAddress(input.address),
      email: normaliseEmail(input.email),
      bankAccount: parseBankAccount(input.bankAccount),
    };
    const password = checkPasswordPolicy(input.password);
    const emailDigest = core.options.emailIndex.digest(personal.email);
    const facts = {
      type: 'RegisterMember',
      memberId,
      townId: input.townId,
      contractType: input.contractType,
      skills: input.skills,
      availability: input.availability,
      emailDigest,
      by: actor,
    } as const;
    const data: MemberPersonalData = { ...personal, passwordHash: await core.options.passwords.hash(password) };
    const { sealed, dataKey } = core.seal(stream, data as unknown as JsonObject);
    // Refused here (authorisation, the profile's rules) before anything is reserved or kept.
    const decision = registration({ ...facts, personalData: sealed });
    await core.registerAccount({ stream, emailDigest, decision, dataKey, context, commandId });
  }

  async get(context: CommandContext, memberId: string): Promise<MemberView> {
    const { core } = this;
    const actor = await core.readerOf(context);
    const { account, registeredAt } = await core.knownAccount('member', memberId);
    const profile = account.profile!;
    const access = memberAccess(actor, { id: account.id, regionId: profile.regionId });
    if (!access) throw new ForbiddenError('member.forbidden', 'you may not read this member');
    if (account.status === 'forgotten') {
      return {
        memberId: account.id,
        status: 'forgotten',
        access,
        regionId: profile.regionId,
        registeredAt,
        personalData: { status: 'forgotten' },
      };
    }
    const unsealed = await core.options.protector.open(memberStream(account.id), account.personalData);
    return {
      memberId: account.id,
      status: 'active',
      access,
      regionId: profile.regionId,
      townId: profile.townId,
      prefecture: profile.prefecture,
      contractType: profile.contractType,
      skills: [...profile.skills],
      availability: profile.availability.map((w) => ({ ...w })),
      timeZone: 'Asia/Tokyo',
      roles: account.roles.map((r) => ({ ...r })),
      registeredAt,
      personalData:
        unsealed.status === 'shredded'
          ? { status: 'forgotten' }
          : visiblePersonalData(access, {
              name: stringField(unsealed.data, 'name'),
              address: stringField(unsealed.data, 'address'),
              email: stringField(unsealed.data, 'email'),
              bankAccount: unsealed.data.bankAccount as unknown as BankAccount,
            }),
    };
  }

  /** A region's members, without personal data: for its coordinators, operators and the accountant. */
  async list(context: CommandContext, regionId: string): Promise<MemberSummary[]> {
    const { core } = this;
    const actor = await core.readerOf(context);
    if (!mayListMembers(actor, regionId))
      throw new ForbiddenError('member.forbidden', `you may not list the members of ${regionId}`);
    return core.directory.memberEntriesOf(regionId).map(({ state: m, registeredAt }): MemberSummary => {
      const p = m.profile!;
      return m.status === 'forgotten'
        ? { memberId: m.id, status: 'forgotten', regionId: p.regionId, registeredAt }
        : {
            memberId: m.id,
            status: 'active',
            regionId: p.regionId,
            townId: p.townId,
            prefecture: p.prefecture,
            contractType: p.contractType,
            skills: [...p.skills],
            availability: p.availability.map((w) => ({ ...w })),
            roles: m.roles.map((r) => ({ ...r })),
            registeredAt,
          };
    });
  }

  /** By the member herself, a coordinator of her region or an operator; the same week again changes nothing. */
  async updateAvailability(
    context: CommandContext,
    { memberId, availability }: UpdateAvailabilityInput,
  ): Promise<AvailabilityUpdated> {
    const { core } = this;
    const actor = await core.actorOf(context);
    const commandId = core.commandIdOf(context);
    const result = await core.accounts.handle(
      memberStream(core.assertId('member', memberId)),
      { type: 'UpdateAvailability', availability, by: actor },
      { context, now: core.now, ...(commandId !== undefined ? { commandId } : {}) },
    );
    await core.observe(result.events);
    const state = result.state as Account;
    return {
      memberId,
      availability: state.profile!.availability.map((w) => ({ ...w })),
      changed: result.events.length > 0,
    };
  }

  /**
   * Crypto-shredding (APPI): by the member herself or an operator, with a reason. Her data key
   * is destroyed and MemberForgotten appended: her events stay (their hash chain still
   * verifies) but her personal data can never be read again. Her email is released.
   */
  forget(context: CommandContext, { memberId, reason }: { memberId: string; reason: string }): Promise<void> {
    return forgetAccount(this.core, 'member', context, { accountId: memberId, reason });
  }
}
