import { coordinatedRegions, ForbiddenError, isAccountant, isOperator, type Actor } from '@workshare/eventsourcing';
import type { AuditScope } from './ports.js';

/**
 * Who may ask the audit what (DESIGN §1, the accountant's reading rights; APPI for personal texts):
 * - the accountant reads everything and changes nothing (the audit has no command but recording
 *   its own queries);
 * - operators read everything;
 * - a region's coordinator reads what concerns her region only: its jobs and their tasks, its
 *   members, its businesses, its months; the streams of those;
 * - members and businesses may not ask (`audit.forbidden`).
 * Personal texts (hand-off reasons, notes) are shown to those identity lets read them (the
 * member, her region's coordinators, the accountant, operators); a forgotten member's are redacted.
 */

export const forbidden = (what: string): ForbiddenError => new ForbiddenError('audit.forbidden', `you may not ${what}`);

/** What the actor may see, or `audit.forbidden` when she may not ask at all. */
export const scopeOf = (actor: Actor): AuditScope => {
  if (isOperator(actor) || isAccountant(actor)) return { kind: 'all' };
  const regionIds = coordinatedRegions(actor);
  if (regionIds.length > 0) return { kind: 'regions', regionIds };
  throw forbidden('ask the audit: it is for the accountant, operators and coordinators');
};

/** Whether something of this region (null: of no region, such as a user's account) is in the scope. */
export const inScope = (scope: AuditScope, regionId: string | null | undefined): boolean =>
  scope.kind === 'all' || (typeof regionId === 'string' && scope.regionIds.includes(regionId));

/** Refuses what is outside the scope, saying what (an unknown subject's region is none: only `all` sees it). */
export const checkInScope = (scope: AuditScope, regionId: string | null | undefined, what: string): void => {
  if (!inScope(scope, regionId)) throw forbidden(`read ${what}: it is not of your region`);
};

/** Whether the asker reads the audit's own log of queries: all of it, or her own queries only. */
export const queriesScope = (
  actor: Actor,
): { readonly kind: 'all' } | { readonly kind: 'own'; readonly actorId: string } =>
  isOperator(actor) || isAccountant(actor) ? { kind: 'all' } : { kind: 'own', actorId: actor.id };
