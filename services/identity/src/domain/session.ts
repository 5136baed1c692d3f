/**
 * A session: one login and the tokens refreshed from it, on its own stream `session-<sessionId>`.
 * It holds the digest of the refresh token in force (never the token itself) and those spent
 * before it; a refresh spends the one in force and puts the next in its place (rotation). A
 * refresh token presented again after it was spent means two holders of it: the session ends
 * (`SessionRevoked`, reason `refresh_token_reused`), and with it every token of it. A logout ends
 * it too; a refresh after the account was forgotten ends it. An ended session never comes back.
 */
import { DomainError, type Decider, type DomainEvent } from '@workshare/eventsourcing';
import type { AccountKind } from './account.js';

export const SESSION_CATEGORY = 'session';
export const sessionStream = (sessionId: string): string => `${SESSION_CATEGORY}-${sessionId}`;

/** Why a session ended. */
export type SessionEndReason = 'logout' | 'refresh_token_reused' | 'account_inactive';

export type SessionStarted = DomainEvent<
  'SessionStarted',
  {
    sessionId: string;
    accountId: string;
    accountKind: AccountKind;
    /** SHA-256 (hex) of the refresh token given at login. */
    refreshTokenDigest: string;
    /** When its refresh tokens stop working (ISO-8601, UTC): the session's end at the latest. */
    expiresAt: string;
  }
>;
export type SessionRefreshed = DomainEvent<
  'SessionRefreshed',
  { sessionId: string; accountId: string; refreshTokenDigest: string }
>;
export type SessionRevoked = DomainEvent<
  'SessionRevoked',
  { sessionId: string; accountId: string; reason: SessionEndReason }
>;
export type SessionEvent = SessionStarted | SessionRefreshed | SessionRevoked;

export type StartSession = {
  readonly type: 'StartSession';
  readonly sessionId: string;
  readonly accountId: string;
  readonly accountKind: AccountKind;
  readonly refreshTokenDigest: string;
  readonly expiresAt: Date;
};
export type RefreshSession = {
  readonly type: 'RefreshSession';
  /** Digest of the refresh token presented. */
  readonly presented: string;
  /** Digest of the next refresh token. */
  readonly next: string;
  readonly now: Date;
};
export type EndSession = { readonly type: 'EndSession'; readonly reason: SessionEndReason };
export type SessionCommand = StartSession | RefreshSession | EndSession;

export type SessionState =
  | { readonly status: 'none' }
  | {
      readonly status: 'active' | 'ended';
      readonly sessionId: string;
      readonly accountId: string;
      readonly accountKind: AccountKind;
      /** Digest of the refresh token in force. */
      readonly current: string;
      /** Digests of the refresh tokens spent. */
      readonly spent: readonly string[];
      readonly expiresAt: Date;
      readonly endReason?: SessionEndReason;
    };

const unauthenticated = (code: string, message: string) => new DomainError(code, message, 'unauthenticated');

/** Not a refresh token of this platform, or not the one in force (and never one that was): sign in again. */
export const invalidRefreshToken = () =>
  unauthenticated('auth.invalid_refresh_token', 'the refresh token is not valid: sign in again');

export const sessionDecider: Decider<SessionCommand, SessionEvent, SessionState> = {
  decide(command, state) {
    switch (command.type) {
      case 'StartSession':
        if (state.status !== 'none')
          throw new DomainError('session.exists', `session ${command.sessionId} exists already`, 'conflict');
        return [
          {
            type: 'SessionStarted',
            data: {
              sessionId: command.sessionId,
              accountId: command.accountId,
              accountKind: command.accountKind,
              refreshTokenDigest: command.refreshTokenDigest,
              expiresAt: command.expiresAt.toISOString(),
            },
          },
        ];
      case 'RefreshSession': {
        if (state.status === 'none') throw invalidRefreshToken();
        if (state.status === 'ended')
          throw unauthenticated('auth.session_revoked', 'this session has ended: sign in again');
        const { sessionId, accountId } = state;
        if (state.spent.includes(command.presented)) {
          // Spent before: someone else holds it too. Neither holder goes on.
          return [{ type: 'SessionRevoked', data: { sessionId, accountId, reason: 'refresh_token_reused' } }];
        }
        if (command.presented !== state.current) throw invalidRefreshToken();
        if (command.now.getTime() >= state.expiresAt.getTime())
          throw unauthenticated('auth.refresh_token_expired', 'the refresh token has expired: sign in again');
        return [{ type: 'SessionRefreshed', data: { sessionId, accountId, refreshTokenDigest: command.next } }];
      }
      case 'EndSession':
        if (state.status === 'none') throw invalidRefreshToken();
        if (state.status === 'ended') return [];
        return [
          {
            type: 'SessionRevoked',
            data: { sessionId: state.sessionId, accountId: state.accountId, reason: command.reason },
          },
        ];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'SessionStarted':
        return {
          status: 'active',
          sessionId: event.data.sessionId,
          accountId: event.data.accountId,
          accountKind: event.data.accountKind,
          current: event.data.refreshTokenDigest,
          spent: [],
          expiresAt: new Date(event.data.expiresAt),
        };
      case 'SessionRefreshed':
        if (state.status === 'none') return state;
        return { ...state, spent: [...state.spent, state.current], current: event.data.refreshTokenDigest };
      case 'SessionRevoked':
        if (state.status === 'none') return state;
        return { ...state, status: 'ended', endReason: event.data.reason };
    }
  },
  initialState: () => ({ status: 'none' }),
};
