import {
  ForbiddenError,
  isOperator,
  NotFoundError,
  parseRole,
  SYSTEM_ACTORS,
  type CommandContext,
  type JsonObject,
  type PersonRole,
} from '@workshare/eventsourcing';
import { registration, userStream, type Account, type AccountCommand } from '../domain/account.js';
import { businessStream } from '../domain/business.js';
import { checkPasswordPolicy, normaliseEmail, parseName, type UserPersonalData } from '../domain/personal-data.js';
import { OPERATOR_BOOTSTRAP_STREAM } from '../domain/reservation.js';
import { idForCommand } from './command-ids.js';
import type { IdentityCore } from './identity-core.js';
import { forgetAccount, stringField } from './accounts.js';
import type { UserView } from './views.js';

export interface RegisterUserInput {
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

/** Granting or revoking a role: to whom (a member's or a user's id), which, and why. */
export interface RoleInput {
  readonly accountId: string;
  readonly role: PersonRole;
  readonly reason: string;
}

/** The context of the one-time bootstrap: the platform acting on its own (SYSTEM_ACTORS.bootstrap). */
const BOOTSTRAP: CommandContext = Object.freeze({ actor: SYSTEM_ACTORS.bootstrap });

/**
 * Users and roles: the cooperative's staff, the accountant and the people of businesses
 * (registered by operators), the first operator of an installation, the roles operators grant
 * and revoke on members and users, forgetting a user.
 */
export class UsersAndRoles {
  constructor(private readonly core: IdentityCore) {}

  /**
   * The first operator of a new installation, once ever (`identity.already_bootstrapped`
   * after): the platform acts (SYSTEM_ACTORS.bootstrap, whose only right is an operator's).
   * The bootstrap is reserved first (its own stream), then the user is registered as any user
   * and made operator; should her registration fail, the bootstrap is released again.
   */
  async bootstrapOperator(input: RegisterUserInput): Promise<{ userId: string }> {
    const { core } = this;
    const userId = core.newId();
    const stream = userStream(userId);
    const { decision, emailDigest, dataKey } = await this.decideUser(BOOTSTRAP, userId, input);
    await core.bootstrap.handle(
      OPERATOR_BOOTSTRAP_STREAM,
      { type: 'Reserve', owner: stream },
      { context: BOOTSTRAP, now: core.now },
    );
    try {
      await core.registerAccount({ stream, emailDigest, decision, dataKey, context: BOOTSTRAP, commandId: undefined });
    } catch (error) {
      await core
        .releaseIfHeld(
          core.bootstrap,
          OPERATOR_BOOTSTRAP_STREAM,
          stream,
          'the registration did not complete',
          BOOTSTRAP,
        )
        .catch(() => undefined);
      throw error;
    }
    const granted = await core.accounts.handle(
      stream,
      {
        type: 'GrantRole',
        role: { kind: 'operator' },
        reason: 'first operator of this installation (bootstrap)',
        by: SYSTEM_ACTORS.bootstrap,
      },
      { context: BOOTSTRAP, now: core.now },
    );
    await core.observe(granted.events);
    return { userId };
  }

  /** Registers a user (staff, accountant, business user): operators only. Roles are granted after. */
  async register(context: CommandContext, input: RegisterUserInput): Promise<{ userId: string }> {
    const { core } = this;
    const commandId = core.commandIdOf(context);
    const userId = commandId === undefined ? core.newId() : idForCommand('user', commandId);
    const stream = userStream(userId);
    return core.once(stream, async () => {
      if ((await core.handledBefore(core.accounts, stream, commandId)) !== undefined) return { userId };
      const actorContext = { ...context, actor: await core.actorOf(context) };
      const { decision, emailDigest, dataKey } = await this.decideUser(actorContext, userId, input);
      await core.registerAccount({ stream, emailDigest, decision, dataKey, context, commandId });
      return { userId };
    });
  }

  /** A user's own account, or any user's for an operator. */
  async get(context: CommandContext, userId: string): Promise<UserView> {
    const { core } = this;
    const actor = await core.readerOf(context);
    const { account } = await core.knownAccount('user', userId);
    if (actor.id !== account.id && !isOperator(actor))
      throw new ForbiddenError('user.forbidden', 'you may not read this user');
    if (account.status === 'forgotten')
      return { userId: account.id, status: 'forgotten', personalData: { status: 'forgotten' } };
    const unsealed = await core.options.protector.open(userStream(account.id), account.personalData);
    return {
      userId: account.id,
      status: 'active',
      roles: account.roles.map((r) => ({ ...r })),
      personalData:
        unsealed.status === 'shredded'
          ? { status: 'forgotten' }
          : {
              status: 'readable',
              name: stringField(unsealed.data, 'name'),
              email: stringField(unsealed.data, 'email'),
            },
    };
  }

  /** Operators grant roles to members and users; every grant is an event with its actor and reason. */
  async grantRole(context: CommandContext, { accountId, role, reason }: RoleInput): Promise<{ roles: PersonRole[] }> {
    const { core } = this;
    const actor = await core.actorOf(context);
    const parsed = parseRole(role);
    if (parsed.kind === 'business') {
      const { state } = await core.businesses.load(businessStream(core.assertId('business', parsed.businessId)));
      if (state.status !== 'registered')
        throw new NotFoundError('business.not_found', `no business ${parsed.businessId}`);
    }
    return this.roleCommand(context, accountId, { type: 'GrantRole', role: parsed, reason, by: actor });
  }

  async revokeRole(context: CommandContext, { accountId, role, reason }: RoleInput): Promise<{ roles: PersonRole[] }> {
    const actor = await this.core.actorOf(context);
    return this.roleCommand(context, accountId, { type: 'RevokeRole', role: parseRole(role), reason, by: actor });
  }

  forget(context: CommandContext, { userId, reason }: { userId: string; reason: string }): Promise<void> {
    return forgetAccount(this.core, 'user', context, { accountId: userId, reason });
  }

  // ---- internals ----------------------------------------------------------------------------

  private async roleCommand(
    context: CommandContext,
    accountId: string,
    command: AccountCommand,
  ): Promise<{ roles: PersonRole[] }> {
    const { core } = this;
    const stream = await core.locateAccount(accountId);
    const commandId = core.commandIdOf(context);
    const result = await core.accounts.handle(stream, command, {
      context,
      now: core.now,
      ...(commandId !== undefined ? { commandId } : {}),
    });
    await core.observe(result.events);
    return { roles: (result.state as Account).roles.map((r) => ({ ...r })) };
  }

  /**
   * A user's registration decided: her personal data checked (pure domain functions), sealed
   * with a key of her own, and the registration decided (refused here: nothing stored).
   */
  private async decideUser(context: CommandContext, userId: string, input: RegisterUserInput) {
    const { core } = this;
    const name = parseName(input.name);
    const email = normaliseEmail(input.email);
    const password = checkPasswordPolicy(input.password);
    const emailDigest = core.options.emailIndex.digest(email);
    const data: UserPersonalData = { name, email, passwordHash: await core.options.passwords.hash(password) };
    const { sealed, dataKey } = core.seal(userStream(userId), data as unknown as JsonObject);
    const decision = registration({
      type: 'RegisterUser',
      userId,
      emailDigest,
      personalData: sealed,
      by: context.actor,
    });
    return { decision, emailDigest, dataKey };
  }
}
