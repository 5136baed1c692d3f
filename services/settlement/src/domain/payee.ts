/**
 * A member as a payee: her own qualified-invoice registration number (適格請求書発行事業者の登録番号),
 * or none, on the stream `payee-<memberId>`. It decides a contractor's pay: registered, she is
 * paid her fee plus 10% consumption tax and the journal books the purchase as qualified;
 * unregistered (免税), the fee alone, and the journal books it with the transitional credit.
 * Pure: the command carries the caller and what identity published of the member.
 *
 * - An operator or the accountant records it (`settlement.forbidden` for anyone else): it is a
 *   fact of the books, checked against the 公表サイト by the people who keep them.
 * - The number is `T` + 13 digits as people write it (hyphens, spaces, full-width digits are
 *   normalised; `settlement.registration_number_malformed` otherwise). An individual's number
 *   carries no check digit anyone has published (settlement-formats.md §3, conf. L): only its
 *   form is checked. `null` records that she has none (any more).
 * - The member must be known (`settlement.member_not_found`, from identity's MemberRegistered),
 *   not forgotten (`settlement.member_forgotten`), and a contractor to hold a number
 *   (`settlement.payee_not_contractor`: an employee is paid wages, which carry no consumption tax).
 * - The same number again changes nothing (no event).
 */
import {
  DomainError,
  ForbiddenError,
  isAccountant,
  isOperator,
  NotFoundError,
  type Actor,
  type Decider,
} from '@workshare/eventsourcing';
import type { ContractType } from './model.js';
import { parsePayeeRegistrationNumber } from './registration-number.js';

export const PAYEE_CATEGORY = 'payee';

/** The stream of a member's payee record. */
export const payeeStream = (memberId: string): string => `${PAYEE_CATEGORY}-${memberId}`;

export interface RegisterPayee {
  readonly type: 'RegisterPayee';
  readonly memberId: string;
  /** As the caller wrote it, or null: she has no registration number. */
  readonly invoiceRegistrationNumber: string | null;
  /** The member as identity published her (MemberRegistered, MemberForgotten); undefined when unknown. */
  readonly member: { readonly contractType: ContractType; readonly forgotten: boolean } | undefined;
  readonly by: Actor;
}

export type PayeeCommand = RegisterPayee;

export type PayeeRegistered = {
  readonly type: 'PayeeRegistered';
  readonly data: { memberId: string; invoiceRegistrationNumber: string | null; registeredBy: string };
};

export type PayeeEvent = PayeeRegistered;

export interface PayeeState {
  /** Whether anything was ever recorded. */
  readonly recorded: boolean;
  readonly invoiceRegistrationNumber: string | null;
}

export const PAYEE_EVENT_TYPES: readonly PayeeEvent['type'][] = ['PayeeRegistered'];

export const initialState = (): PayeeState => ({ recorded: false, invoiceRegistrationNumber: null });

export const decide = (command: PayeeCommand, state: PayeeState): PayeeEvent[] => {
  const { by, member, memberId } = command;
  if (!isOperator(by) && !isAccountant(by))
    throw new ForbiddenError('settlement.forbidden', 'only an operator or the accountant records a payee');
  if (member === undefined)
    throw new NotFoundError('settlement.member_not_found', `no member ${memberId}`, { memberId });
  if (member.forgotten)
    throw new DomainError('settlement.member_forgotten', `member ${memberId} was forgotten`, 'rule', { memberId });
  const number =
    command.invoiceRegistrationNumber === null
      ? null
      : parsePayeeRegistrationNumber(command.invoiceRegistrationNumber, 'invoiceRegistrationNumber');
  if (number !== null && member.contractType !== 'contractor')
    throw new DomainError(
      'settlement.payee_not_contractor',
      `member ${memberId} is an employee: wages carry no consumption tax, so no registration number is recorded`,
      'rule',
      { memberId },
    );
  if (state.invoiceRegistrationNumber === number) return [];
  return [{ type: 'PayeeRegistered', data: { memberId, invoiceRegistrationNumber: number, registeredBy: by.id } }];
};

export const evolve = (state: PayeeState, event: PayeeEvent): PayeeState => {
  switch (event.type) {
    case 'PayeeRegistered':
      return { recorded: true, invoiceRegistrationNumber: event.data.invoiceRegistrationNumber };
    default:
      return state;
  }
};

export const payeeDecider: Decider<PayeeCommand, PayeeEvent, PayeeState> = { decide, evolve, initialState };
