import {
  CommandHandler,
  DomainError,
  ForbiddenError,
  isUuid,
  NotFoundError,
  uuidv7,
  ValidationError,
  type EventMetadata,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import {
  accountDecider,
  accountStream,
  memberStream,
  userStream,
  type Account,
  type AccountCommand,
  type AccountEvent,
  type AccountKind,
  type AccountState,
  type ContractType,
  type RegisterMember,
  type RegisterUser,
} from '../domain/account.js';
import type { AvailabilityWindow } from '../domain/availability.js';
import {
  businessDecider,
  businessStream,
  type BusinessEvent,
  type BusinessState,
  type RegisterBusiness,
} from '../domain/business.js';
import {
  checkPasswordPolicy,
  normaliseEmail,
  parseAddress,
  parseBankAccount,
  parseName,
  type BankAccount,
  type MemberPersonalData,
  type UserPersonalData,
} from '../domain/personal-data.js';
import { PREFECTURES, REGIONS } from '../domain/regions.js';
import type { EntityType } from '../domain/registration-number.js';
import {
  emailReservation,
  emailReservationStream,
  OPERATOR_BOOTSTRAP_STREAM,
  operatorBootstrapReservation,
  registrationNumberReservation,
  registrationNumberStream,
  type ReservationCommand,
  type ReservationEvent,
  type ReservationState,
} from '../domain/reservation.js';
import { parseRole, type Actor, type Role } from '../domain/roles.js';
import { memberAccess, mayListMembers, visiblePersonalData } from './access.js';
import { makeCaller, SYSTEM_ACTOR, type Caller, type RequestContext } from './caller.js';
import { commandKey, idForCommand } from './command-ids.js';
import { IdentityDirectory } from './directory.js';
import type {
  EmailIndex,
  IssuedToken,
  Jwks,
  PasswordHasher,
  PersonalDataProtector,
  TokenService,
  VerifiedToken,
} from './ports.js';
import type { BusinessView, MemberSummary, MemberView, RegionView, UserView } from './views.js';

export interface IdentityServiceOptions {
  readonly store: EventStore;
  readonly protector: PersonalDataProtector;
  readonly emailIndex: EmailIndex;
  readonly passwords: PasswordHasher;
  readonly tokens: TokenService;
  /** Clock for the events' occurred-at (tests pass a fixed one). */
  readonly now?: () => Date;
  /** Ids of new members, users and businesses (UUIDv7 by default; derived from the request id when a command has one). */
  readonly newId?: () => string;
  /**
   * Queries (GetMember, lists, who is calling) are answered from an in-memory read model;
   * writes made through this process show at once, writes of other processes (other pods)
   * within this many ms (default 100). See IdentityDirectory.
   */
  readonly readStalenessMs?: number;
}

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

export interface RegisterUserInput {
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

export interface RegisterBusinessInput {
  readonly name: string;
  readonly registrationNumber: string;
  /** Default `corporation` (whose registration number carries a check digit). */
  readonly entityType?: EntityType;
  readonly regionId: string;
  /** A corporation's address (optional; never a sole proprietor's, which is personal data). */
  readonly address?: string;
}

export interface LoginResult extends IssuedToken {
  readonly caller: Caller;
}

export type DemoSeedClaim = 'claimed' | 'seeded' | 'incomplete';

const DEMO_SEED_STREAM = 'identityDemoSeed-fujisato';

const invalidCredentials = () =>
  new DomainError('auth.invalid_credentials', 'email or password is wrong', 'unauthenticated');

const businessView = (state: Extract<BusinessState, { status: 'registered' }>): BusinessView => ({
  businessId: state.id,
  name: state.name,
  registrationNumber: state.registrationNumber,
  entityType: state.entityType,
  regionId: state.regionId,
  ...(state.address !== undefined ? { address: state.address } : {}),
});

const stringField = (data: JsonObject, field: string): string => {
  const value = data[field];
  if (typeof value !== 'string')
    throw new DomainError('identity.personal_data_unreadable', `sealed personal data has no ${field}`, 'rule');
  return value;
};

/**
 * The identity service's application facade: every method takes the calling identity (a
 * verified token's Caller) and authorises it, loads the streams it needs, runs the pure
 * deciders and appends. Bad input is refused before anything is stored: the deciders are run
 * once as a dry run (they are pure) before an email is reserved or a key is kept.
 *
 * Commands load their streams from the store and authorise the caller with the roles stored
 * now. Queries are answered from the directory (an in-memory read model: see its comment),
 * which this facade tells of every event it appends. A command given a request id
 * (`context.commandId`) is applied once: a retry answers the first outcome.
 */
export class IdentityService {
  private readonly accounts: CommandHandler<AccountCommand, AccountEvent, AccountState>;
  private readonly businesses: CommandHandler<RegisterBusiness, BusinessEvent, BusinessState>;
  private readonly emails: CommandHandler<ReservationCommand, ReservationEvent, ReservationState>;
  private readonly registrationNumbers: CommandHandler<ReservationCommand, ReservationEvent, ReservationState>;
  private readonly bootstrap: CommandHandler<ReservationCommand, ReservationEvent, ReservationState>;
  private readonly directory: IdentityDirectory;
  private readonly now: () => Date;
  private readonly newId: () => string;
  /** Registrations in flight by stream: a retry arriving while its first attempt runs waits for it. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly options: IdentityServiceOptions) {
    const { store } = options;
    this.accounts = new CommandHandler({ store, decider: accountDecider });
    this.businesses = new CommandHandler({ store, decider: businessDecider });
    this.emails = new CommandHandler({ store, decider: emailReservation });
    this.registrationNumbers = new CommandHandler({ store, decider: registrationNumberReservation });
    this.bootstrap = new CommandHandler({ store, decider: operatorBootstrapReservation });
    this.directory = new IdentityDirectory(
      store,
      options.readStalenessMs !== undefined ? { maxStalenessMs: options.readStalenessMs } : {},
    );
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? (() => uuidv7());
  }

  // ---- reference data ---------------------------------------------------------------------

  /** The regions served, their towns and offices. Public reference data: no caller needed. */
  listRegions(): RegionView[] {
    return REGIONS.map((r) => ({
      id: r.id,
      name: r.name,
      nameJa: r.nameJa,
      office: { name: r.office.name, nameJa: r.office.nameJa, prefecture: { ...PREFECTURES[r.office.prefecture] } },
      towns: r.towns.map((t) => ({ id: t.id, name: t.name, nameJa: t.nameJa })),
    }));
  }

  // ---- accounts -----------------------------------------------------------------------------

  /** The first operator of a new installation, once ever (`identity.already_bootstrapped` after). */
  async bootstrapOperator(input: RegisterUserInput): Promise<{ userId: string }> {
    const personal = this.parseUser(input);
    const userId = this.newId();
    const stream = userStream(userId);
    const command = (personalData: string): RegisterUser => ({
      type: 'RegisterUser',
      userId,
      emailDigest: personal.emailDigest,
      personalData,
      by: SYSTEM_ACTOR,
    });
    accountDecider.decide(command(''), accountDecider.initialState());
    const metadata = this.metadata(SYSTEM_ACTOR);
    await this.bootstrap.handle(
      OPERATOR_BOOTSTRAP_STREAM,
      { type: 'Reserve', owner: stream },
      { metadata, now: this.now },
    );
    await this.register(stream, personal.emailDigest, command, personal.seal, metadata);
    const granted = await this.accounts.handle(
      stream,
      {
        type: 'GrantRole',
        role: { kind: 'operator' },
        reason: 'first operator of this installation (bootstrap)',
        by: SYSTEM_ACTOR,
      },
      { metadata, now: this.now },
    );
    await this.directory.observe(granted.events);
    return { userId };
  }

  /** Registers a member of a region: by an operator or a coordinator of that region. */
  async registerMember(
    caller: Caller,
    input: RegisterMemberInput,
    context?: RequestContext,
  ): Promise<{ memberId: string }> {
    const actor = await this.actorOf(caller);
    const key = this.commandKeyOf(actor.id, context);
    const memberId = key === undefined ? this.newId() : idForCommand('member', key);
    const stream = memberStream(memberId);
    return this.once(stream, async () => {
      if (key !== undefined && (await this.handledBefore(stream, key))) return { memberId };
      await this.registerNewMember(actor, memberId, input, this.metadata(actor, context), key);
      return { memberId };
    });
  }

  private async registerNewMember(
    actor: Actor,
    memberId: string,
    input: RegisterMemberInput,
    metadata: EventMetadata,
    key: string | undefined,
  ): Promise<void> {
    const email = normaliseEmail(input.email);
    const personal = {
      name: parseName(input.name),
      address: parseAddress(input.address),
      email,
      bankAccount: parseBankAccount(input.bankAccount),
    };
    const password = checkPasswordPolicy(input.password);
    const stream = memberStream(memberId);
    const emailDigest = this.options.emailIndex.digest(email);
    const command = (personalData: string): RegisterMember => ({
      type: 'RegisterMember',
      memberId,
      townId: input.townId,
      contractType: input.contractType,
      skills: input.skills,
      availability: input.availability,
      emailDigest,
      personalData,
      by: actor,
    });
    // Dry run: authorisation and every rule on the profile, before anything is hashed or kept.
    accountDecider.decide(command(''), accountDecider.initialState());
    const seal = async (): Promise<JsonObject> => {
      const data: MemberPersonalData = { ...personal, passwordHash: await this.options.passwords.hash(password) };
      return data as unknown as JsonObject;
    };
    await this.register(stream, emailDigest, command, seal, metadata, key);
  }

  /** Registers a user (staff, accountant, business user): operators only. Roles are granted after. */
  async registerUser(caller: Caller, input: RegisterUserInput, context?: RequestContext): Promise<{ userId: string }> {
    const actor = await this.actorOf(caller);
    const key = this.commandKeyOf(actor.id, context);
    const userId = key === undefined ? this.newId() : idForCommand('user', key);
    const stream = userStream(userId);
    return this.once(stream, async () => {
      if (key !== undefined && (await this.handledBefore(stream, key))) return { userId };
      const personal = this.parseUser(input);
      const command = (personalData: string): RegisterUser => ({
        type: 'RegisterUser',
        userId,
        emailDigest: personal.emailDigest,
        personalData,
        by: actor,
      });
      accountDecider.decide(command(''), accountDecider.initialState());
      await this.register(stream, personal.emailDigest, command, personal.seal, this.metadata(actor, context), key);
      return { userId };
    });
  }

  async getMember(caller: Caller, memberId: string): Promise<MemberView> {
    const actor = await this.readerOf(caller);
    const { account, registeredAt } = await this.knownAccount('member', memberId);
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
    const unsealed = await this.options.protector.open(memberStream(account.id), account.personalData);
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

  /** A user's own account, or any user's for an operator. */
  async getUser(caller: Caller, userId: string): Promise<UserView> {
    const actor = await this.readerOf(caller);
    const { account } = await this.knownAccount('user', userId);
    if (actor.id !== account.id && !actor.roles.some((r) => r.kind === 'operator'))
      throw new ForbiddenError('user.forbidden', 'you may not read this user');
    if (account.status === 'forgotten')
      return { userId: account.id, status: 'forgotten', personalData: { status: 'forgotten' } };
    const unsealed = await this.options.protector.open(userStream(account.id), account.personalData);
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

  /** A region's members, without personal data: for its coordinators, operators and the accountant. */
  async listMembers(caller: Caller, regionId: string): Promise<MemberSummary[]> {
    const actor = await this.readerOf(caller);
    if (!mayListMembers(actor, regionId))
      throw new ForbiddenError('member.forbidden', `you may not list the members of ${regionId}`);
    const members = this.directory.membersOf(regionId);
    return members.map((m): MemberSummary => {
      const p = m.profile!;
      return m.status === 'forgotten'
        ? { memberId: m.id, status: 'forgotten', regionId: p.regionId }
        : {
            memberId: m.id,
            status: 'active',
            regionId: p.regionId,
            townId: p.townId,
            contractType: p.contractType,
            skills: [...p.skills],
            availability: p.availability.map((w) => ({ ...w })),
            roles: m.roles.map((r) => ({ ...r })),
          };
    });
  }

  async updateAvailability(
    caller: Caller,
    memberId: string,
    availability: readonly AvailabilityWindow[],
    context?: RequestContext,
  ): Promise<{ memberId: string; availability: AvailabilityWindow[]; changed: boolean }> {
    const actor = await this.actorOf(caller);
    this.assertId('member', memberId);
    const result = await this.accounts.handle(
      memberStream(memberId),
      { type: 'UpdateAvailability', availability, by: actor },
      this.handleOptions(actor, context),
    );
    await this.directory.observe(result.events);
    const state = result.state as Account;
    return {
      memberId,
      availability: state.profile!.availability.map((w) => ({ ...w })),
      changed: result.events.length > 0,
    };
  }

  /** Operators grant roles to members and users; every grant is an event with its actor and reason. */
  async grantRole(
    caller: Caller,
    accountId: string,
    role: Role,
    reason: string,
    context?: RequestContext,
  ): Promise<{ roles: Role[] }> {
    const actor = await this.actorOf(caller);
    const parsed = parseRole(role);
    if (parsed.kind === 'business') {
      const { state } = await this.businesses.load(businessStream(this.assertId('business', parsed.businessId)));
      if (state.status !== 'registered')
        throw new NotFoundError('business.not_found', `no business ${parsed.businessId}`);
    }
    const stream = await this.locateAccount(accountId);
    const result = await this.accounts.handle(
      stream,
      { type: 'GrantRole', role: parsed, reason, by: actor },
      this.handleOptions(actor, context),
    );
    await this.directory.observe(result.events);
    return { roles: (result.state as Account).roles.map((r) => ({ ...r })) };
  }

  async revokeRole(
    caller: Caller,
    accountId: string,
    role: Role,
    reason: string,
    context?: RequestContext,
  ): Promise<{ roles: Role[] }> {
    const actor = await this.actorOf(caller);
    const parsed = parseRole(role);
    const stream = await this.locateAccount(accountId);
    const result = await this.accounts.handle(
      stream,
      { type: 'RevokeRole', role: parsed, reason, by: actor },
      this.handleOptions(actor, context),
    );
    await this.directory.observe(result.events);
    return { roles: (result.state as Account).roles.map((r) => ({ ...r })) };
  }

  /**
   * Crypto-shredding (APPI): by the member herself or an operator, with a reason. Her data key
   * is destroyed, then MemberForgotten is appended: her events stay (their hash chain still
   * verifies) but her personal data can never be read again. Her email is released.
   */
  forgetMember(caller: Caller, memberId: string, reason: string, context?: RequestContext): Promise<void> {
    return this.forget('member', caller, memberId, reason, context);
  }

  forgetUser(caller: Caller, userId: string, reason: string, context?: RequestContext): Promise<void> {
    return this.forget('user', caller, userId, reason, context);
  }

  // ---- businesses ---------------------------------------------------------------------------

  /** By an operator or a coordinator of the business's region; the registration number is unique. */
  async registerBusiness(
    caller: Caller,
    input: RegisterBusinessInput,
    context?: RequestContext,
  ): Promise<BusinessView> {
    const actor = await this.actorOf(caller);
    const key = this.commandKeyOf(actor.id, context);
    const businessId = key === undefined ? this.newId() : idForCommand('business', key);
    const stream = businessStream(businessId);
    const earlier = async (): Promise<BusinessView | undefined> => {
      if (key === undefined) return undefined;
      const { state, events } = await this.businesses.load(stream);
      return state.status === 'registered' && events.some((e) => e.metadata.commandId === key)
        ? businessView(state)
        : undefined;
    };
    return this.once(stream, async () => {
      const before = await earlier();
      if (before !== undefined) return before;
      const command: RegisterBusiness = {
        type: 'RegisterBusiness',
        businessId,
        name: input.name,
        registrationNumber: input.registrationNumber,
        entityType: input.entityType ?? 'corporation',
        regionId: input.regionId,
        ...(input.address !== undefined ? { address: input.address } : {}),
        by: actor,
      };
      const [decided] = businessDecider.decide(command, businessDecider.initialState());
      const metadata = this.metadata(actor, context);
      const numberStream = registrationNumberStream(decided!.data.registrationNumber);
      await this.registrationNumbers.handle(
        numberStream,
        { type: 'Reserve', owner: stream },
        { metadata, now: this.now },
      );
      try {
        const result = await this.businesses.handle(stream, command, {
          expectedVersion: 'no_stream',
          metadata,
          now: this.now,
          ...(key !== undefined ? { commandId: key } : {}),
        });
        await this.directory.observe(result.events);
        return businessView(result.state as Extract<BusinessState, { status: 'registered' }>);
      } catch (error) {
        // A twin of this very request (same request id) may have registered it meanwhile: its outcome is ours.
        const twin = await earlier().catch(() => undefined);
        if (twin !== undefined) return twin;
        // Best effort: if this fails, the number stays reserved by a business that does not exist, which only blocks its reuse.
        await this.releaseReservation(
          this.registrationNumbers,
          numberStream,
          stream,
          'the business registration did not complete',
          metadata,
        ).catch(() => undefined);
        throw error;
      }
    });
  }

  /** Businesses are public facts (registration numbers are published): any signed-in caller. */
  async getBusiness(caller: Caller, businessId: string): Promise<BusinessView> {
    await this.readerOf(caller);
    const entry = await this.directory.business(businessStream(this.assertId('business', businessId)));
    if (entry === undefined || entry.state.status !== 'registered')
      throw new NotFoundError('business.not_found', `no business ${businessId}`);
    return businessView(entry.state);
  }

  async listBusinesses(caller: Caller, regionId?: string): Promise<BusinessView[]> {
    await this.readerOf(caller);
    return this.directory.businessesOf(regionId).map(businessView);
  }

  // ---- tokens -------------------------------------------------------------------------------

  /**
   * Email and password → a signed token. Every failure is the same `auth.invalid_credentials`
   * after the same amount of work (an unknown email is checked against a dummy hash).
   */
  async login(email: string, password: string): Promise<LoginResult> {
    const refuse = async (): Promise<never> => {
      await this.options.passwords.verify(typeof password === 'string' ? password : '', undefined);
      throw invalidCredentials();
    };
    let digest: string;
    try {
      digest = this.options.emailIndex.digest(normaliseEmail(email));
    } catch {
      return refuse();
    }
    const { state: reservation } = await this.emails.load(emailReservationStream(digest));
    if (reservation.holder === undefined) return refuse();
    const { state } = await this.accounts.load(reservation.holder);
    if (state.status !== 'active') return refuse();
    const unsealed = await this.options.protector.open(reservation.holder, state.personalData);
    if (unsealed.status !== 'readable') return refuse();
    const hash = unsealed.data.passwordHash;
    if (
      typeof password !== 'string' ||
      typeof hash !== 'string' ||
      !(await this.options.passwords.verify(password, hash))
    )
      throw invalidCredentials();
    const caller = makeCaller(state.id, state.kind, state.roles, state.profile?.regionId);
    return { ...(await this.options.tokens.issue(caller)), caller };
  }

  /** The caller a token speaks for (signature, issuer, audience, expiry and claims checked). */
  verifyToken(token: string): Promise<Caller> {
    return this.options.tokens.verify(token);
  }

  /**
   * A token checked in full: its signature, issuer, audience and expiry, then its account,
   * which must still exist (not forgotten). Answers the caller with the roles she holds now
   * (a role revoked since the token was issued is gone) and the token's expiry.
   */
  async inspectToken(token: string): Promise<VerifiedToken> {
    const { caller, expiresAt } = await this.options.tokens.inspect(token);
    const account = await this.activeAccountOf(caller);
    return { caller: makeCaller(account.id, account.kind, account.roles, account.profile?.regionId), expiresAt };
  }

  /** The public keys other services verify tokens with. */
  jwks(): Jwks {
    return this.options.tokens.jwks();
  }

  // ---- the demo seed's guard (for the launcher) ---------------------------------------------

  /** Claims the one-time demo seed: `claimed` (go ahead), `seeded` (done before), `incomplete` (begun, never finished). */
  async claimDemoSeed(): Promise<DemoSeedClaim> {
    try {
      await this.options.store.append(
        DEMO_SEED_STREAM,
        [{ type: 'DemoSeedStarted', data: {}, metadata: { actor: SYSTEM_ACTOR.id } }],
        {
          expectedVersion: 'no_stream',
        },
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'eventstore.wrong_expected_version') throw error;
      const events = await this.options.store.readStream(DEMO_SEED_STREAM);
      return events.some((e) => e.type === 'DemoSeedCompleted') ? 'seeded' : 'incomplete';
    }
  }

  async completeDemoSeed(): Promise<void> {
    await this.options.store.append(
      DEMO_SEED_STREAM,
      [{ type: 'DemoSeedCompleted', data: {}, metadata: { actor: SYSTEM_ACTOR.id } }],
      { expectedVersion: 0 },
    );
  }

  // ---- internals ----------------------------------------------------------------------------

  /**
   * The acting account with the roles it holds now (not those of the token, which may be hours
   * old): a revoked role or a forgotten account stops working here at once.
   */
  private async actorOf(caller: Caller): Promise<Actor> {
    const { state } = await this.accounts.load(this.callerStream(caller));
    if (state.status !== 'active')
      throw new DomainError('auth.account_inactive', 'this account no longer exists', 'unauthenticated');
    return { id: state.id, roles: state.roles };
  }

  /** The caller's account stream; refuses anything that is not a signed-in member or user. */
  private callerStream(caller: Caller): string {
    if (
      typeof caller !== 'object' ||
      caller === null ||
      (caller.kind !== 'member' && caller.kind !== 'user') ||
      !isUuid(caller.id)
    ) {
      throw new DomainError('auth.unauthenticated', 'sign in first', 'unauthenticated');
    }
    return accountStream(caller.kind, caller.id);
  }

  /**
   * The caller's account as the directory knows it (queries): active, with the roles it holds
   * as of the last write through this process or pass over the log (see readStalenessMs).
   */
  private async activeAccountOf(caller: Caller): Promise<Account> {
    const stream = this.callerStream(caller);
    await this.directory.ensureFresh();
    const entry = await this.directory.account(stream);
    if (entry === undefined || entry.state.status !== 'active')
      throw new DomainError('auth.account_inactive', 'this account no longer exists', 'unauthenticated');
    return entry.state;
  }

  private async readerOf(caller: Caller): Promise<Actor> {
    const account = await this.activeAccountOf(caller);
    return { id: account.id, roles: account.roles };
  }

  /** A member or user as the directory knows it (queries), or `<kind>.not_found`. */
  private async knownAccount(kind: AccountKind, id: string): Promise<{ account: Account; registeredAt: Date }> {
    this.assertId(kind, id);
    const entry = await this.directory.account(accountStream(kind, id));
    if (entry === undefined || entry.state.status === 'unregistered' || entry.state.kind !== kind)
      throw new NotFoundError(`${kind}.not_found`, `no ${kind} ${id}`);
    return { account: entry.state, registeredAt: entry.registeredAt };
  }

  /** The command key of a request (`<caller>:<request id>`), or undefined for a command without a request id. */
  private commandKeyOf(callerId: string, context: RequestContext | undefined): string | undefined {
    return context?.commandId === undefined ? undefined : commandKey(callerId, context.commandId);
  }

  /** Whether the stream holds events of this command key (the request was applied before). */
  private async handledBefore(stream: string, key: string): Promise<boolean> {
    const events: RecordedEvent[] = await this.options.store.readStream(stream);
    return events.some((e) => e.metadata.commandId === key);
  }

  /** Runs `work` for a stream unless it runs already, in which case its outcome is shared (a retry racing its first attempt). */
  private once<T>(stream: string, work: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(stream);
    if (running !== undefined) return running as Promise<T>;
    const started = work().finally(() => this.inFlight.delete(stream));
    this.inFlight.set(stream, started);
    return started;
  }

  /** Releases a unique value (email, registration number) if `owner` still holds it (a retry finds it released). */
  private async releaseReservation(
    handler: CommandHandler<ReservationCommand, ReservationEvent, ReservationState>,
    reservationStream: string,
    owner: string,
    reason: string,
    metadata: EventMetadata,
  ): Promise<void> {
    const { state } = await handler.load(reservationStream);
    if (state.holder === owner)
      await handler.handle(reservationStream, { type: 'Release', owner, reason }, { metadata, now: this.now });
  }

  private parseUser(input: RegisterUserInput): { emailDigest: string; seal: () => Promise<JsonObject> } {
    const name = parseName(input.name);
    const email = normaliseEmail(input.email);
    const password = checkPasswordPolicy(input.password);
    return {
      emailDigest: this.options.emailIndex.digest(email),
      seal: async () => {
        const data: UserPersonalData = { name, email, passwordHash: await this.options.passwords.hash(password) };
        return data as unknown as JsonObject;
      },
    };
  }

  /**
   * Reserve the email (refused if taken: nothing stored), keep the data key, append the
   * registration. If a later step fails, the earlier ones are undone: the email is released
   * and the key destroyed if this attempt stored it. With a command key, a twin attempt of
   * the same request that got there first answers for this one.
   */
  private async register(
    stream: string,
    emailDigest: string,
    command: (personalData: string) => AccountCommand,
    personalData: () => Promise<JsonObject>,
    metadata: EventMetadata,
    key?: string,
  ): Promise<void> {
    const dataKey = this.options.protector.newKey(stream);
    const sealed = dataKey.seal(await personalData());
    const emailStream = emailReservationStream(emailDigest);
    await this.emails.handle(emailStream, { type: 'Reserve', owner: stream }, { metadata, now: this.now });
    let keyStored = false;
    try {
      await dataKey.persist();
      keyStored = true;
      const result = await this.accounts.handle(stream, command(sealed), {
        expectedVersion: 'no_stream',
        metadata,
        now: this.now,
        ...(key !== undefined ? { commandId: key } : {}),
      });
      await this.directory.observe(result.events);
    } catch (error) {
      if (key !== undefined && (await this.handledBefore(stream, key).catch(() => false))) return;
      if (keyStored) await this.options.protector.shred(stream).catch(() => undefined);
      await this.releaseReservation(
        this.emails,
        emailStream,
        stream,
        'the registration did not complete',
        metadata,
      ).catch(() => undefined);
      throw error;
    }
  }

  private async forget(
    kind: AccountKind,
    caller: Caller,
    id: string,
    reason: string,
    context?: RequestContext,
  ): Promise<void> {
    const stream = accountStream(kind, this.assertId(kind, id));
    this.callerStream(caller); // a signed-in member or user, or refused
    const key = this.commandKeyOf(caller.id, context);
    if (key !== undefined) {
      // A retry: answered before the caller is loaded, since she may be the one forgotten.
      const { state, events } = await this.accounts.load(stream);
      if (state.status === 'forgotten' && events.some((e) => e.metadata.commandId === key)) {
        await this.directory.observe(events);
        await this.releaseReservation(
          this.emails,
          emailReservationStream(state.emailDigest),
          stream,
          'the account was forgotten',
          { actor: caller.id },
        );
        return;
      }
    }
    const actor = await this.actorOf(caller);
    const account = await this.existingAccount(kind, id);
    const command: AccountCommand = { type: 'ForgetAccount', reason, by: actor };
    // Dry run: a refused command must not destroy the key.
    accountDecider.decide(command, account);
    await this.options.protector.shred(stream);
    const options = this.handleOptions(actor, context);
    const result = await this.accounts.handle(stream, command, options);
    await this.directory.observe(result.events);
    await this.releaseReservation(
      this.emails,
      emailReservationStream(account.emailDigest),
      stream,
      'the account was forgotten',
      options.metadata,
    );
  }

  private assertId(what: string, id: string): string {
    if (!isUuid(id)) throw new ValidationError(`${what}.invalid_id`, `${JSON.stringify(id)} is not a ${what} id`);
    return id;
  }

  private async existingAccount(kind: AccountKind, id: string): Promise<Account> {
    this.assertId(kind, id);
    const { state } = await this.accounts.load(accountStream(kind, id));
    if (state.status === 'unregistered' || state.kind !== kind)
      throw new NotFoundError(`${kind}.not_found`, `no ${kind} ${id}`);
    return state;
  }

  /** A member or a user: where an account id lives. */
  private async locateAccount(accountId: string): Promise<string> {
    this.assertId('account', accountId);
    for (const stream of [memberStream(accountId), userStream(accountId)]) {
      if ((await this.options.store.streamVersion(stream)) !== undefined) return stream;
    }
    throw new NotFoundError('account.not_found', `no account ${accountId}`);
  }

  private metadata(actor: Actor, context?: RequestContext): EventMetadata {
    const metadata: EventMetadata = { actor: actor.id };
    if (context?.correlationId) metadata.correlationId = context.correlationId;
    if (context?.causationId) metadata.causationId = context.causationId;
    if (context?.traceparent) metadata.traceparent = context.traceparent;
    return metadata;
  }

  private handleOptions(actor: Actor, context?: RequestContext) {
    const key = this.commandKeyOf(actor.id, context);
    return {
      metadata: this.metadata(actor, context),
      now: this.now,
      ...(key !== undefined ? { commandId: key } : {}),
    };
  }
}
