import { actsFor, coordinates, isAccountant, isOperator, type Actor } from '@workshare/eventsourcing';

/**
 * Who may read what of a closed month (DESIGN §1: the files are for the accountant and
 * operators only; APPI: pay is read by those who need it):
 * - the whole settlement, the Zengin transfer file, the journals and the payroll CSV: the
 *   accountant and operators;
 * - an invoice: also the business it is addressed to (a user acting for it);
 * - a payment statement: also the member it pays.
 * A region's coordinator closes its month but reads none of it (she sees the close's totals in
 * the answer to her close); she and the accountant may read the region's configuration.
 */
export const mayReadFiles = (actor: Actor): boolean => isOperator(actor) || isAccountant(actor);

export const mayReadInvoice = (actor: Actor, businessId: string): boolean =>
  mayReadFiles(actor) || actsFor(actor, businessId);

export const mayReadStatement = (actor: Actor, memberId: string): boolean =>
  mayReadFiles(actor) || actor.id === memberId;

export const mayReadRegionConfig = (actor: Actor, regionId: string): boolean =>
  mayReadFiles(actor) || coordinates(actor, regionId);
