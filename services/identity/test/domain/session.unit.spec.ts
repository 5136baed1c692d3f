import { DeciderSpecification } from '@workshare/eventsourcing';
import { sessionDecider, type SessionCommand, type SessionEvent } from '../../src/domain/session.js';
import { MEMBER } from './fixtures.js';

const spec = DeciderSpecification.for(sessionDecider);
const SESSION = '01900000-0000-7000-8000-00000000d001';
const EXPIRES = '2026-04-08T00:00:00.000Z';
const [A, B, C] = ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)];

const started: SessionEvent = {
  type: 'SessionStarted',
  data: { sessionId: SESSION, accountId: MEMBER, accountKind: 'member', refreshTokenDigest: A, expiresAt: EXPIRES },
};
const refreshed = (digest: string): SessionEvent => ({
  type: 'SessionRefreshed',
  data: { sessionId: SESSION, accountId: MEMBER, refreshTokenDigest: digest },
});
const revoked = (reason: 'logout' | 'refresh_token_reused' | 'account_inactive'): SessionEvent => ({
  type: 'SessionRevoked',
  data: { sessionId: SESSION, accountId: MEMBER, reason },
});
const refresh = (presented: string, next: string, now = '2026-04-02T00:00:00.000Z'): SessionCommand => ({
  type: 'RefreshSession',
  presented,
  next,
  now: new Date(now),
});

describe('session decider', () => {
  it('starts a session with the digest of its first refresh token, once', () => {
    const start: SessionCommand = {
      type: 'StartSession',
      sessionId: SESSION,
      accountId: MEMBER,
      accountKind: 'member',
      refreshTokenDigest: A,
      expiresAt: new Date(EXPIRES),
    };
    spec.given([]).when(start).then([started]);
    spec.given([started]).when(start).thenThrows('session.exists');
  });

  it('rotates on refresh: the token in force is spent, the next takes its place', () => {
    spec
      .given([started])
      .when(refresh(A, B))
      .then([refreshed(B)]);
    spec
      .given([started, refreshed(B)])
      .when(refresh(B, C))
      .then([refreshed(C)]);
  });

  it('ends the session when a spent refresh token is presented again (two holders of it)', () => {
    spec
      .given([started, refreshed(B)])
      .when(refresh(A, C))
      .then([revoked('refresh_token_reused')]);
  });

  it('refuses a token never in force, one of an unknown session, and one past the session’s end', () => {
    spec.given([started]).when(refresh(C, B)).thenThrows('auth.invalid_refresh_token');
    spec.given([]).when(refresh(A, B)).thenThrows('auth.invalid_refresh_token');
    spec
      .given([started])
      .when(refresh(A, B, EXPIRES))
      .thenThrows('auth.refresh_token_expired');
  });

  it('never comes back once ended: no refresh, a second end is nothing', () => {
    for (const reason of ['logout', 'refresh_token_reused', 'account_inactive'] as const) {
      spec
        .given([started, revoked(reason)])
        .when(refresh(A, B))
        .thenThrows('auth.session_revoked');
      spec
        .given([started, revoked(reason)])
        .when({ type: 'EndSession', reason: 'logout' })
        .thenNothing();
    }
    spec
      .given([started])
      .when({ type: 'EndSession', reason: 'logout' })
      .then([revoked('logout')]);
    spec.given([]).when({ type: 'EndSession', reason: 'logout' }).thenThrows('auth.invalid_refresh_token');
  });
});
