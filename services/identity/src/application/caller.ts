import type { AccountKind } from '../domain/account.js';
import type { Actor, Role } from '../domain/roles.js';

/**
 * Who is calling, as a verified token says (or the system itself, for the bootstrap). Flat
 * fields for other services' convenience: `regions` are the regions the caller coordinates,
 * `businessId` the business she acts for, `homeRegion` a member's own region.
 */
export interface Caller {
  readonly id: string;
  readonly kind: AccountKind | 'system';
  readonly roles: readonly Role[];
  readonly regions: readonly string[];
  readonly businessId?: string;
  readonly homeRegion?: string;
}

export const makeCaller = (id: string, kind: Caller['kind'], roles: readonly Role[], homeRegion?: string): Caller => {
  const regions = roles.flatMap((r) => (r.kind === 'coordinator' ? [r.regionId] : []));
  const business = roles.find((r): r is Extract<Role, { kind: 'business' }> => r.kind === 'business');
  return {
    id,
    kind,
    roles: [...roles],
    regions,
    ...(business ? { businessId: business.businessId } : {}),
    ...(homeRegion !== undefined ? { homeRegion } : {}),
  };
};

export const actorOf = (caller: Caller): Actor => ({ id: caller.id, roles: caller.roles });

/** The identity service itself, for the one-time bootstrap of the first operator. */
export const SYSTEM_ACTOR: Actor = Object.freeze({
  id: 'system:bootstrap',
  roles: Object.freeze([{ kind: 'operator' }]) as readonly Role[],
});

/** What a caller may pass along with a write so that its events can be traced. */
export interface RequestContext {
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly traceparent?: string;
  /** A client's id for the request: a retry with the same id is answered, not done twice. */
  readonly commandId?: string;
}
