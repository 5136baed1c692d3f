import { coordinates, isAccountant, isOperator, type Actor } from '@workshare/eventsourcing';
import type { BankAccount, MemberPersonalData } from '../domain/personal-data.js';
import type { MemberAccess, ReadablePersonalData } from './views.js';

/**
 * Who may read a member, and how much of her personal data (APPI: only those who need it).
 * She herself and operators: everything. Her region's coordinator runs her work: name and
 * contact, not her bank account. The accountant pays her: name, address (for payment
 * records) and bank account, read-only. Everyone else: nothing.
 */
export const memberAccess = (actor: Actor, member: { id: string; regionId: string }): MemberAccess | undefined => {
  if (actor.id === member.id) return 'self';
  if (isOperator(actor)) return 'operator';
  if (coordinates(actor, member.regionId)) return 'coordinator';
  if (isAccountant(actor)) return 'accountant';
  return undefined;
};

const VISIBLE: Readonly<Record<MemberAccess, { email: boolean; address: boolean; bankAccount: boolean }>> = {
  self: { email: true, address: true, bankAccount: true },
  operator: { email: true, address: true, bankAccount: true },
  coordinator: { email: true, address: true, bankAccount: false },
  accountant: { email: false, address: true, bankAccount: true },
};

export const visiblePersonalData = (
  access: MemberAccess,
  data: Omit<MemberPersonalData, 'passwordHash'>,
): ReadablePersonalData => {
  const see = VISIBLE[access];
  const view: { status: 'readable'; name: string; email?: string; address?: string; bankAccount?: BankAccount } = {
    status: 'readable',
    name: data.name,
  };
  if (see.email) view.email = data.email;
  if (see.address) view.address = data.address;
  if (see.bankAccount) view.bankAccount = { ...data.bankAccount };
  return view;
};

/** Lists of a region's members: its coordinators, operators, the accountant. */
export const mayListMembers = (actor: Actor, regionId: string): boolean =>
  isOperator(actor) || isAccountant(actor) || coordinates(actor, regionId);
