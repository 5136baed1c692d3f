import type { CommandContext, DurableReadModel, PersonRole } from '@workshare/eventsourcing';
import type { Clock } from '@workshare/time';
import { Businesses, type RegisterBusinessInput } from './businesses.js';
import { IdentityCore, type IdentityServiceOptions } from './identity-core.js';
import {
  Members,
  type AvailabilityUpdated,
  type RegisterMemberInput,
  type UpdateAvailabilityInput,
} from './members.js';
import type { Jwks, TokenSubject, VerifiedToken } from './ports.js';
import { listRegions } from './regions.js';
import type { Sessions } from './sessions.js';
import { PersonalTexts, type OpenedText, type SealedTextRef, type SealTextsInput } from './texts.js';
import { Tokens, type LoginResult, type LogoutInput } from './tokens.js';
import { UsersAndRoles, type RegisterUserInput, type RoleInput } from './users.js';
import type { BusinessView, MemberSummary, MemberView, RegionView, UserView } from './views.js';

export type { IdentityServiceOptions } from './identity-core.js';
export type { RegisterMemberInput, UpdateAvailabilityInput, AvailabilityUpdated } from './members.js';
export type { RegisterUserInput, RoleInput } from './users.js';
export type { RegisterBusinessInput } from './businesses.js';
export type { LoginResult, LogoutInput } from './tokens.js';
export type { OpenedText, SealedTextRef, SealTextsInput } from './texts.js';

/**
 * The identity service's application facade, one line per use case: every method takes the
 * command's context (who acts, the request id, the trace: CommandContext, built by the gRPC
 * adapter with commandContextOf) and its input. Nothing is authorised or decided here: the use
 * cases (members, users and roles, businesses, tokens, regions) run the deciders on their
 * streams through CommandHandler, with the actor's roles as stored now. A request id makes a
 * command idempotent: a retry answers the first outcome. Queries are answered from the
 * directory (a read model of the log). The public calls (regions, login, tokens) and the
 * bootstrap of the first operator (the platform acting, SYSTEM_ACTORS.bootstrap) take no context.
 */
export class IdentityService {
  private readonly members: Members;
  private readonly users: UsersAndRoles;
  private readonly businesses: Businesses;
  private readonly tokens: Tokens;
  private readonly sessions: Sessions;
  private readonly texts: PersonalTexts;
  /** Its durable read models (the directory), for the ops API. */
  readonly readModels: readonly DurableReadModel[];
  /** The platform's clock it decides on (its gRPC adapter counts sign-in attempts on it too). */
  readonly now: Clock;

  constructor(options: IdentityServiceOptions) {
    const core = new IdentityCore(options);
    this.now = core.now;
    this.readModels = [core.directory];
    this.sessions = core.sessions;
    this.members = new Members(core);
    this.users = new UsersAndRoles(core);
    this.businesses = new Businesses(core);
    this.tokens = new Tokens(core);
    this.texts = new PersonalTexts(core);
  }

  // ---- regions (public) ---------------------------------------------------------------------

  listRegions(): RegionView[] {
    return listRegions();
  }

  // ---- members ------------------------------------------------------------------------------

  registerMember(context: CommandContext, input: RegisterMemberInput): Promise<{ memberId: string }> {
    return this.members.register(context, input);
  }

  getMember(context: CommandContext, memberId: string): Promise<MemberView> {
    return this.members.get(context, memberId);
  }

  listMembers(context: CommandContext, regionId: string): Promise<MemberSummary[]> {
    return this.members.list(context, regionId);
  }

  updateAvailability(context: CommandContext, input: UpdateAvailabilityInput): Promise<AvailabilityUpdated> {
    return this.members.updateAvailability(context, input);
  }

  forgetMember(context: CommandContext, input: { memberId: string; reason: string }): Promise<void> {
    return this.members.forget(context, input);
  }

  // ---- free texts about a member, sealed with her key (other services' reasons and notes) ----

  sealTexts(context: CommandContext, input: SealTextsInput): Promise<string[]> {
    return this.texts.seal(context, input);
  }

  openTexts(context: CommandContext, texts: readonly SealedTextRef[]): Promise<OpenedText[]> {
    return this.texts.open(context, texts);
  }

  // ---- users and roles ----------------------------------------------------------------------

  bootstrapOperator(input: RegisterUserInput): Promise<{ userId: string }> {
    return this.users.bootstrapOperator(input);
  }

  registerUser(context: CommandContext, input: RegisterUserInput): Promise<{ userId: string }> {
    return this.users.register(context, input);
  }

  getUser(context: CommandContext, userId: string): Promise<UserView> {
    return this.users.get(context, userId);
  }

  grantRole(context: CommandContext, input: RoleInput): Promise<{ roles: PersonRole[] }> {
    return this.users.grantRole(context, input);
  }

  revokeRole(context: CommandContext, input: RoleInput): Promise<{ roles: PersonRole[] }> {
    return this.users.revokeRole(context, input);
  }

  forgetUser(context: CommandContext, input: { userId: string; reason: string }): Promise<void> {
    return this.users.forget(context, input);
  }

  // ---- businesses ---------------------------------------------------------------------------

  registerBusiness(context: CommandContext, input: RegisterBusinessInput): Promise<BusinessView> {
    return this.businesses.register(context, input);
  }

  getBusiness(context: CommandContext, businessId: string): Promise<BusinessView> {
    return this.businesses.get(context, businessId);
  }

  listBusinesses(context: CommandContext, regionId?: string): Promise<BusinessView[]> {
    return this.businesses.list(context, regionId);
  }

  // ---- tokens (public) ----------------------------------------------------------------------

  login(email: string, password: string): Promise<LoginResult> {
    return this.tokens.login(email, password);
  }

  refresh(refreshToken: string): Promise<LoginResult> {
    return this.tokens.refresh(refreshToken);
  }

  logout(input: LogoutInput): Promise<{ sessionId: string; accountId: string }> {
    return this.tokens.logout(input);
  }

  verifyToken(token: string): Promise<TokenSubject> {
    return this.tokens.verify(token);
  }

  inspectToken(token: string): Promise<VerifiedToken> {
    return this.tokens.inspect(token);
  }

  jwks(): Jwks {
    return this.tokens.jwks();
  }

  // ---- what this process hears of other processes' revocations ------------------------------

  /** Sessions ended elsewhere (another pod's logout, heard on the bus): their tokens are refused here at once. */
  sessionsEnded(sessionIds: readonly string[]): void {
    this.sessions.ended(sessionIds);
  }

  /** Revocations may have been missed (the bus listener started again): what was known of sessions going on is read again. */
  forgetSessionsGoingOn(): void {
    this.sessions.forgetGoingOn();
  }
}
