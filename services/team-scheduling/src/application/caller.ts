import { DomainError } from '@workshare/eventsourcing';
import type { Actor, ScheduleRole } from '../domain/actor.js';

/**
 * Who is calling, as a verified token says (identity's VerifyToken, through the gRPC host):
 * the subject and her roles. The same shape as the gRPC host's caller, kept here so the
 * application does not depend on a transport.
 */
export interface Caller {
  readonly subject: string;
  readonly roles: readonly { readonly role: string; readonly region?: string; readonly businessId?: string }[];
}

/** What a command carries besides its input: its request id (idempotency) and its trace. */
export interface RequestContext {
  /** The caller's id for this request: a retry with the same id is answered with the first outcome. */
  readonly requestId: string;
  readonly traceparent?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

const roleOf = (role: Caller['roles'][number]): ScheduleRole | undefined => {
  switch (role.role) {
    case 'operator':
    case 'accountant':
    case 'member':
      return { kind: role.role };
    case 'coordinator':
      return role.region ? { kind: 'coordinator', regionId: role.region } : undefined;
    case 'business':
      return role.businessId ? { kind: 'business', businessId: role.businessId } : undefined;
    default:
      // A role this service does not know gives no right here (never `system`: no token carries it).
      return undefined;
  }
};

/** The domain's actor for a caller; a caller without a subject is not signed in. */
export const actorOf = (caller: Caller): Actor => {
  if (typeof caller !== 'object' || caller === null || typeof caller.subject !== 'string' || caller.subject.trim() === '') {
    throw new DomainError('auth.unauthenticated', 'sign in first', 'unauthenticated');
  }
  return { id: caller.subject, roles: (caller.roles ?? []).map(roleOf).filter((r): r is ScheduleRole => r !== undefined) };
};
