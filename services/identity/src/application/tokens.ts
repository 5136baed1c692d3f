import { DomainError, type Actor } from '@workshare/eventsourcing';
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

export interface LoginResult extends IssuedToken {
  /** Whom the token speaks for. */
  readonly caller: TokenSubject;
  /** The same as the use cases' actor (`{ actor }` is the context of her commands). */
  readonly actor: Actor;
}

const invalidCredentials = () =>
  new DomainError('auth.invalid_credentials', 'email or password is wrong', 'unauthenticated');

/** Tokens: signing in, and checking what a token says. Public calls: they need no token. */
export class Tokens {
  constructor(private readonly core: IdentityCore) {}

  /**
   * Email and password → a signed token. Every failure is the same `auth.invalid_credentials`
   * after the same amount of work (an unknown email is checked against a dummy hash); an email
   * that cannot be one (a NUL, invalid Unicode) is an unknown email.
   */
  async login(email: string, password: string): Promise<LoginResult> {
    const { core } = this;
    const { passwords, emailIndex, protector, tokens } = core.options;
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
    const caller = tokenSubject(state.id, state.kind, state.roles, state.profile?.regionId);
    return { ...(await tokens.issue(caller)), caller, actor: actorOfSubject(caller) };
  }

  /** Whom a token speaks for (signature, issuer, audience, expiry and claims checked). */
  verify(token: string): Promise<TokenSubject> {
    return this.core.options.tokens.verify(token);
  }

  /**
   * A token checked in full: its signature, issuer, audience and expiry, then its account,
   * which must still exist (not forgotten). Answers whom it speaks for with the roles she holds
   * now (a role revoked since the token was issued is gone) and the token's expiry.
   */
  async inspect(token: string): Promise<VerifiedToken> {
    const { caller, expiresAt } = await this.core.options.tokens.inspect(token);
    const account = await this.core.activeAccountOf(actorOfSubject(caller));
    return { caller: tokenSubject(account.id, account.kind, account.roles, account.profile?.regionId), expiresAt };
  }

  /** The public keys other services verify tokens with. */
  jwks(): Jwks {
    return this.core.options.tokens.jwks();
  }
}
