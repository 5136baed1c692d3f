import { coordinates, isAccountant, isOperator, type Actor } from '@workshare/eventsourcing';

/**
 * Who may read a member's timesheet: she herself, a coordinator of her region, the accountant
 * (read-only, for the books) and operators. A coordinator of another region may not.
 */
export const mayViewSheet = (actor: Actor, memberId: string, memberRegionId: string | undefined): boolean =>
  actor.id === memberId ||
  isOperator(actor) ||
  isAccountant(actor) ||
  (memberRegionId !== undefined && coordinates(actor, memberRegionId));

/** Who may read a region's approved time of a month: operators, the accountant, a coordinator of the region. */
export const mayViewRegionTime = (actor: Actor, regionId: string): boolean =>
  isOperator(actor) || isAccountant(actor) || coordinates(actor, regionId);
