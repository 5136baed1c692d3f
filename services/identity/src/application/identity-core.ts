import {
  CommandHandler,
  commandKey,
  DomainError,
  isMember,
  isUuid,
  NotFoundError,
  preview,
  uuidv7,
  ValidationError,
  type Actor,
  type CommandContext,
  type Decision,
  type DomainEvent,
  type EventStore,
  type ProjectionStore,
  type JsonObject,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { systemClock, type Clock } from '@workshare/time';
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
} from '../domain/account.js';
import { businessDecider, type BusinessCommand, type BusinessEvent, type BusinessState } from '../domain/business.js';
import {
  emailReservation,
  emailReservationStream,
  operatorBootstrapReservation,
  registrationNumberReservation,
  type ReservationCommand,
  type ReservationEvent,
  type ReservationState,
} from '../domain/reservation.js';
import { IdentityDirectory } from './directory.js';
import { Sessions } from './sessions.js';
import type { EmailIndex, PasswordHasher, PersonalDataProtector, TokenService } from './ports.js';

export interface IdentityServiceOptions {
  readonly store: EventStore;
  /** Where the directory (a durable read model) keeps its state and checkpoint: identity's schema. */
  readonly projections: ProjectionStore;
  readonly protector: PersonalDataProtector;
  readonly emailIndex: EmailIndex;
  readonly passwords: PasswordHasher;
  readonly tokens: TokenService;
  /**
   * The platform's clock (default systemClock): the events' occurred-at, sessions' expiry, the
   * sign-in limits (tests pass a fixed one).
   */
  readonly now?: Clock;
  /** Ids of new members, users and businesses (UUIDv7 by default; derived from the request id when a command has one). */
  readonly newId?: () => string;
  /**
   * Queries (GetMember, lists, who is calling) are answered from a durable read model held in memory;
   * writes made through this process show at once, writes of other processes (other pods)
   * within this many ms (default 100). See IdentityDirectory.
   */
  readonly readStalenessMs?: number;
  /** How long a session's refresh tokens work after its login (default 7 days). */
  readonly refreshTtlSeconds?: number;
  /** How long this process trusts that a session goes on before reading it again (default 30 s). */
  readonly sessionCacheMs?: number;
}

type Reservations = CommandHandler<ReservationCommand, ReservationEvent, ReservationState>;

/** A registration's steps, for `registerAccount`. */
export interface AccountRegistration {
  /** The account's stream (`member-<id>`, `user-<id>`). */
  readonly stream: string;
  readonly emailDigest: string;
  /** The registration, decided already (`registration` of the account domain). */
  readonly decision: Decision<AccountEvent, AccountState>;
  /** The data key the personal data was sealed with, not stored yet. */
  readonly dataKey: { persist(): Promise<void> };
  readonly context: CommandContext;
  readonly commandId: string | undefined;
}

/**
 * What the use cases share: the store's command handlers (one per decider), the directory
 * (the queries' read model), the ports, and the steps every use case takes the same way: who
 * acts (her account as stored now), the command id of a request, the registration workflow.
 */
export class IdentityCore {
  readonly accounts: CommandHandler<AccountCommand, AccountEvent, AccountState>;
  readonly businesses: CommandHandler<BusinessCommand, BusinessEvent, BusinessState>;
  readonly emails: Reservations;
  readonly registrationNumbers: Reservations;
  readonly bootstrap: Reservations;
  readonly directory: IdentityDirectory;
  /** Sessions (a login and the tokens refreshed from it), and which have ended. */
  readonly sessions: Sessions;
  readonly now: Clock;
  readonly newId: () => string;
  /** Registrations in flight, by stream: a retry arriving while its first attempt runs shares its outcome. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(readonly options: IdentityServiceOptions) {
    const { store } = options;
    this.now = options.now ?? systemClock;
    const now = this.now;
    this.accounts = new CommandHandler({ store, decider: accountDecider, now });
    this.businesses = new CommandHandler({ store, decider: businessDecider, now });
    this.emails = new CommandHandler({ store, decider: emailReservation, now });
    this.registrationNumbers = new CommandHandler({ store, decider: registrationNumberReservation, now });
    this.bootstrap = new CommandHandler({ store, decider: operatorBootstrapReservation, now });
    this.directory = new IdentityDirectory(
      store,
      options.projections,
      options.readStalenessMs !== undefined ? { maxStalenessMs: options.readStalenessMs } : {},
    );
    this.newId = options.newId ?? (() => uuidv7());
    this.sessions = new Sessions({
      store,
      now: this.now,
      ...(options.refreshTtlSeconds !== undefined ? { refreshTtlSeconds: options.refreshTtlSeconds } : {}),
      ...(options.sessionCacheMs !== undefined ? { cacheMs: options.sessionCacheMs } : {}),
    });
  }

  // ---- who acts -------------------------------------------------------------------------------

  /** The account stream of the acting person: a member's (she holds `member`) or a user's. */
  streamOfActor(actor: Actor): string {
    if (typeof actor !== 'object' || actor === null || !isUuid(actor.id))
      throw new DomainError('auth.unauthenticated', 'sign in first', 'unauthenticated');
    return isMember(actor) ? memberStream(actor.id) : userStream(actor.id);
  }

  /**
   * The acting account with the roles it holds now, as stored (not those of the token, which
   * may be hours old): a revoked role or a forgotten account stops working here at once.
   */
  async actorOf(context: CommandContext): Promise<Actor> {
    const { state } = await this.accounts.load(this.streamOfActor(context.actor));
    if (state.status !== 'active')
      throw new DomainError('auth.account_inactive', 'this account no longer exists', 'unauthenticated');
    return { id: state.id, roles: state.roles };
  }

  /** For queries: the acting account as the directory knows it (see readStalenessMs). */
  async activeAccountOf(actor: Actor): Promise<Account> {
    const stream = this.streamOfActor(actor);
    await this.directory.ensureFresh();
    const entry = await this.directory.account(stream);
    if (entry === undefined || entry.state.status !== 'active')
      throw new DomainError('auth.account_inactive', 'this account no longer exists', 'unauthenticated');
    return entry.state;
  }

  async readerOf(context: CommandContext): Promise<Actor> {
    const account = await this.activeAccountOf(context.actor);
    return { id: account.id, roles: account.roles };
  }

  /** A person's command is known on its streams by `<caller id>:<request id>`; none without a request id. */
  commandIdOf(context: CommandContext): string | undefined {
    return context.requestId === undefined ? undefined : commandKey(context.actor.id, context.requestId);
  }

  // ---- lookups --------------------------------------------------------------------------------

  assertId(what: string, id: string): string {
    if (!isUuid(id)) throw new ValidationError(`${what}.invalid_id`, `${preview(id)} is not a ${what} id`);
    return id;
  }

  /** A member or user as the directory knows it (queries), or `<kind>.not_found`. */
  async knownAccount(kind: AccountKind, id: string): Promise<{ account: Account; registeredAt: Date }> {
    this.assertId(kind, id);
    const entry = await this.directory.account(accountStream(kind, id));
    if (entry === undefined || entry.state.status === 'unregistered' || entry.state.kind !== kind)
      throw new NotFoundError(`${kind}.not_found`, `no ${kind} ${id}`);
    return { account: entry.state, registeredAt: entry.registeredAt };
  }

  /** A member or a user: where an account id lives. */
  async locateAccount(accountId: string): Promise<string> {
    this.assertId('account', accountId);
    for (const stream of [memberStream(accountId), userStream(accountId)]) {
      if ((await this.options.store.streamVersion(stream)) !== undefined) return stream;
    }
    throw new NotFoundError('account.not_found', `no account ${accountId}`);
  }

  /** Tells the directory of events just appended (write-through). */
  observe(events: readonly RecordedEvent[]): Promise<void> {
    return this.directory.observe(events as RecordedEvent[]);
  }

  // ---- the registration workflow ----------------------------------------------------------------

  /**
   * A registration, the one way for members and users (and the first operator), each step
   * through a CommandHandler:
   * 1. the email is reserved for the account's stream (its own stream, `accountEmail-<digest>`,
   *    decided by the reservation decider: taken by someone else, the registration is refused
   *    and nothing is stored; held by this very stream already, a retry, nothing new);
   * 2. the data key the personal data was sealed with is kept (once per stream: of two twin
   *    attempts of one request in two processes, the second stops here);
   * 3. the registration, decided already, is appended on the account's fresh stream, known by
   *    the request's command id.
   * Should a step after the first fail, what this attempt did is undone: the key destroyed, the
   * email released (a decided Release), so that no email is left held by nobody. A twin of the
   * same request that got there first answers for this one.
   */
  async registerAccount(steps: AccountRegistration): Promise<void> {
    const { stream, context, commandId } = steps;
    const emailStream = emailReservationStream(steps.emailDigest);
    const reserved = await this.emails.handle(
      emailStream,
      { type: 'Reserve', owner: stream },
      { context, now: this.now },
    );
    let keyKept = false;
    try {
      await steps.dataKey.persist();
      keyKept = true;
      const result = await this.accounts.handle(stream, steps.decision, {
        context,
        now: this.now,
        assumeNewStream: true,
        ...(commandId !== undefined ? { commandId } : {}),
      });
      await this.observe(result.events);
    } catch (error) {
      if ((await this.handledBefore(this.accounts, stream, commandId).catch(() => undefined)) !== undefined) return;
      if (keyKept) await this.options.protector.shred(stream).catch(() => undefined);
      // Only what this attempt reserved (a twin or an earlier attempt of the same request holds it otherwise).
      if (reserved.events.length > 0)
        await this.releaseIfHeld(this.emails, emailStream, stream, 'the registration did not complete', context).catch(
          () => undefined,
        );
      throw error;
    }
  }

  /** Runs `work` for a stream unless it runs already, in which case its outcome is shared (a retry racing its first attempt). */
  once<T>(stream: string, work: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(stream);
    if (running !== undefined) return running as Promise<T>;
    const started = work().finally(() => this.inFlight.delete(stream));
    this.inFlight.set(stream, started);
    return started;
  }

  /**
   * Whether a request was applied on a stream before (CommandHandler's idempotency by command
   * id, with nothing to decide): a retry is answered from what the first attempt did.
   */
  async handledBefore<C, E extends DomainEvent, S>(
    handler: CommandHandler<C, E, S>,
    stream: string,
    commandId: string | undefined,
  ): Promise<{ state: S } | undefined> {
    if (commandId === undefined) return undefined;
    const probe = await handler.handle(stream, () => [], { commandId, now: this.now });
    return probe.alreadyHandled ? { state: probe.state } : undefined;
  }

  /** Releases a unique value (email, registration number) if `owner` still holds it (a retry finds it released). */
  async releaseIfHeld(
    handler: Reservations,
    reservationStream: string,
    owner: string,
    reason: string,
    context: CommandContext,
  ): Promise<void> {
    await handler.handle(
      reservationStream,
      { type: 'Release', owner, reason, ifHeld: true },
      { context, now: this.now },
    );
  }

  /** Seals personal data with a new data key for `owner` (kept only when the registration goes ahead). */
  seal(owner: string, data: JsonObject): { sealed: string; dataKey: { persist(): Promise<void> } } {
    const dataKey = this.options.protector.newKey(owner);
    return { sealed: dataKey.seal(data), dataKey };
  }
}
