import { DomainError, type Actor } from '@workshare/eventsourcing';
import { accountStream, type Account } from '../domain/account.js';
import { normaliseEmail } from '../domain/personal-data.js';
import { emailReservationStream } from '../domain/reservation.js';
import type { IdentityCore } from './identity-core.js';
import {
  actorOfSubject,
  tokenSubject,
  type IssuedToken,
  type Jwks,
  type TokenSubject,
  type VerifiedToken,
} from './ports.js';
import { sessionOfRefreshToken, type IssuedRefreshToken } from './sessions.js';

export interface LoginResult extends IssuedToken, IssuedRefreshToken {
  /** Whom the token speaks for. */
  readonly caller: TokenSubject;
  /** The same as the use cases' actor (`{ actor }` is the context of her commands). */
  readonly actor: Actor;
}

/** What ends a session at logout: its refresh token, or an access token of it. */
export interface LogoutInput {
  readonly refreshToken?: string | undefined;
  readonly accessToken?: string | undefined;
}

const invalidCredentials = () =>
  new DomainError('auth.invalid_credentials', 'email or password is wrong', 'unauthenticated');

const sessionEnded = () =>
  new DomainError('auth.session_revoked', 'this session has ended: sign in again', 'unauthenticated');

/**
 * Tokens: signing in (an access token of 15 minutes and a refresh token, in a session of their
 * own), refreshing, signing out, and checking what a token says. Public calls: they need no token.
 */
export class Tokens {
  constructor(private readonly core: IdentityCore) {}

  /**
   * Email and password → a signed access token and a refresh token, in a new session. Every
   * failure is the same `auth.invalid_credentials` after the same amount of work (an unknown
   * email is checked against a dummy hash); an email that cannot be one (a NUL, invalid
   * Unicode) is an unknown email.
   */
  async login(email: string, password: string): Promise<LoginResult> {
    const { core } = this;
    const { passwords, emailIndex, protector } = core.options;
    const refuse = async (): Promise<never> => {
      await passwords.verify(typeof password === 'string' ? password : '', undefined);
      throw invalidCredentials();
    };
    let digest: string;
    try {
      digest = emailIndex.digest(normaliseEmail(email));
    } catch {
      return refuse();
    }
    const { state: reservation } = await core.emails.load(emailReservationStream(digest));
    if (reservation.holder === undefined) return refuse();
    const { state } = await core.accounts.load(reservation.holder);
    if (state.status !== 'active') return refuse();
    const unsealed = await protector.open(reservation.holder, state.personalData);
    if (unsealed.status !== 'readable') return refuse();
    const hash = unsealed.data.passwordHash;
    if (typeof password !== 'string' || typeof hash !== 'string' || !(await passwords.verify(password, hash)))
      throw invalidCredentials();
    return this.signIn(state, await core.sessions.start({ id: state.id, kind: state.kind }));
  }

  /** An access token for the account as stored now, in the session given. */
  private async signIn(account: Account, session: IssuedRefreshToken): Promise<LoginResult> {
    const caller = tokenSubject(account.id, account.kind, account.roles, account.profile?.regionId);
    const issued = await this.core.options.tokens.issue(caller, { sessionId: session.sessionId });
    return { ...issued, ...session, caller, actor: actorOfSubject(caller) };
  }

  /**
   * A refresh token → a new access token (with the roles held now) and the next refresh token;
   * the one given is spent. A refresh token spent before ends its session
   * (`auth.refresh_token_reused`); an account forgotten since ends it too
   * (`auth.account_inactive`).
   */
  async refresh(refreshToken: string): Promise<LoginResult> {
    const { core } = this;
    let account: Account | undefined;
    const next = await core.sessions.refresh(refreshToken, async (session) => {
      const { state } = await core.accounts.load(accountStream(session.accountKind, session.accountId));
      if (state.status !== 'active' || state.id !== session.accountId || state.kind !== session.accountKind) {
        const sessionId = sessionOfRefreshToken(refreshToken);
        if (sessionId !== undefined) await core.sessions.end(sessionId, 'account_inactive');
        throw new DomainError('auth.account_inactive', 'this account no longer exists', 'unauthenticated');
      }
      account = state;
    });
    if (account === undefined)
      throw new DomainError('auth.account_inactive', 'this account no longer exists', 'unauthenticated');
    return this.signIn(account, next);
  }

  /**
   * Ends the session of a refresh token, or of an access token (its signature must hold; it
   * may have expired). Every token of the session is refused from then on, here at once and in
   * every other service as soon as it hears SessionRevoked. Logging out twice is no error.
   */
  async logout(input: LogoutInput): Promise<{ sessionId: string; accountId: string }> {
    const { core } = this;
    let sessionId: string | undefined;
    if (input.refreshToken !== undefined && input.refreshToken !== '') {
      sessionId = sessionOfRefreshToken(input.refreshToken);
      if (sessionId === undefined)
        throw new DomainError('auth.invalid_refresh_token', 'the refresh token is not valid', 'unauthenticated');
    } else if (input.accessToken !== undefined && input.accessToken !== '') {
      sessionId = (await core.options.tokens.sessionOf(input.accessToken)).sessionId;
      if (sessionId === undefined)
        throw new DomainError(
          'auth.no_session',
          'this token was issued before sessions existed: it ends when it expires',
          'rule',
        );
    } else {
      throw new DomainError(
        'auth.missing_token',
        'give the refresh token or an access token of the session',
        'invalid',
      );
    }
    const { accountId } = await core.sessions.end(sessionId, 'logout');
    return { sessionId, accountId };
  }

  /** Whom a token speaks for (signature, issuer, audience, expiry and claims checked, its session not ended). */
  async verify(token: string): Promise<TokenSubject> {
    const verified = await this.core.options.tokens.inspect(token);
    await this.assertSessionGoesOn(verified);
    return verified.caller;
  }

  /**
   * A token checked in full: its signature, issuer, audience and expiry, its session not ended,
   * then its account, which must still exist (not forgotten). Answers whom it speaks for with
   * the roles she holds now (a role revoked since the token was issued is gone), the token's
   * expiry, its session and its id.
   */
  async inspect(token: string): Promise<VerifiedToken> {
    const verified = await this.core.options.tokens.inspect(token);
    await this.assertSessionGoesOn(verified);
    const account = await this.core.activeAccountOf(actorOfSubject(verified.caller));
    return {
      caller: tokenSubject(account.id, account.kind, account.roles, account.profile?.regionId),
      expiresAt: verified.expiresAt,
      sessionId: verified.sessionId,
      tokenId: verified.tokenId,
    };
  }

  private async assertSessionGoesOn(verified: VerifiedToken): Promise<void> {
    const { sessionId } = verified;
    if (sessionId === undefined) return;
    // Known in memory on every call but a session's first (and after its cache time): no read.
    const ended = this.core.sessions.knownEnded(sessionId) ?? (await this.core.sessions.hasEnded(sessionId));
    if (ended) throw sessionEnded();
  }

  /** The public keys other services verify tokens with. */
  jwks(): Jwks {
    return this.core.options.tokens.jwks();
  }
}
