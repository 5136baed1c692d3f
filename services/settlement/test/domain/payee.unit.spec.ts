import { DeciderSpecification, parseRegistrationNumber } from '@workshare/eventsourcing';
import { payeeDecider, payeeStream, type PayeeEvent, type RegisterPayee } from '../../src/domain/payee.js';
import { accountant, coordinator, member, operator } from './deciders-fixtures.js';

const spec = DeciderSpecification.for(payeeDecider);
const HANAKO = '0191f0a0-0000-7000-8000-000000000001';
const NUMBER = 'T1234567890123';

const register = (overrides: Partial<RegisterPayee> = {}): RegisterPayee => ({
  type: 'RegisterPayee',
  memberId: HANAKO,
  invoiceRegistrationNumber: NUMBER,
  member: { contractType: 'contractor', forgotten: false },
  by: accountant,
  ...overrides,
});

const registered = (invoiceRegistrationNumber: string | null, by = accountant.id): PayeeEvent => ({
  type: 'PayeeRegistered',
  data: { memberId: HANAKO, invoiceRegistrationNumber, registeredBy: by },
});

describe('a payee (payee-<memberId>): a contractor’s own registration number', () => {
  it('is named after the member', () => {
    expect(payeeStream(HANAKO)).toBe(`payee-${HANAKO}`);
  });

  it.each([
    ['the accountant', accountant],
    ['an operator', operator],
  ])('given nothing, %s records her number', (_who, by) => {
    spec
      .given([])
      .when(register({ by }))
      .then([registered(NUMBER, by.id)]);
  });

  it('normalises the number as people write it (hyphens, spaces, full-width digits, a lower-case t)', () => {
    spec
      .given([])
      .when(register({ invoiceRegistrationNumber: 't１-２３４５-６７８９-０１２３' }))
      .then([registered(NUMBER)]);
  });

  it('checks an individual’s number for its form only (no published check digit)', () => {
    // As a corporation's, 1234567890123 would fail its check digit (that would be 9, not 1).
    expect(() => parseRegistrationNumber(NUMBER, 'corporation', 'settlement')).toThrow(
      expect.objectContaining({ code: 'settlement.registration_number_check_digit' }),
    );
    spec
      .given([])
      .when(register())
      .then([registered(NUMBER)]);
  });

  it('given a number, the same number again changes nothing', () => {
    spec
      .given([registered(NUMBER)])
      .when(register())
      .thenNothing();
  });

  it('given a number, null records that she has none any more', () => {
    spec
      .given([registered(NUMBER)])
      .when(register({ invoiceRegistrationNumber: null }))
      .then([registered(null)]);
    const state = [registered(NUMBER), registered(null)].reduce(payeeDecider.evolve, payeeDecider.initialState());
    expect(state).toEqual({ recorded: true, invoiceRegistrationNumber: null });
  });

  it('given nothing, null changes nothing (a member has no number until one is recorded)', () => {
    spec
      .given([])
      .when(register({ invoiceRegistrationNumber: null }))
      .thenNothing();
  });

  it('given a number, another number replaces it', () => {
    spec
      .given([registered(NUMBER)])
      .when(register({ invoiceRegistrationNumber: 'T9999999999999' }))
      .then([registered('T9999999999999')]);
  });

  it.each([
    ['a coordinator', coordinator],
    ['the member herself', member],
  ])('refuses %s (settlement.forbidden)', (_who, by) => {
    spec.given([]).when(register({ by })).thenThrows('settlement.forbidden', 'forbidden');
  });

  it.each(['T123456789012', 'X1234567890123', '1234567890123', 'T12345678901234', ''])(
    'refuses %j: not T and 13 digits (settlement.registration_number_malformed)',
    (number) => {
      spec
        .given([])
        .when(register({ invoiceRegistrationNumber: number }))
        .thenThrows('settlement.registration_number_malformed', 'invalid');
    },
  );

  it('refuses a member identity has not published (settlement.member_not_found)', () => {
    spec
      .given([])
      .when(register({ member: undefined }))
      .thenThrows('settlement.member_not_found', 'not_found');
  });

  it('refuses a forgotten member (settlement.member_forgotten)', () => {
    spec
      .given([])
      .when(register({ member: { contractType: 'contractor', forgotten: true } }))
      .thenThrows('settlement.member_forgotten', 'rule');
  });

  it('refuses a number for an employee: wages carry no consumption tax (settlement.payee_not_contractor)', () => {
    spec
      .given([])
      .when(register({ member: { contractType: 'employee', forgotten: false } }))
      .thenThrows('settlement.payee_not_contractor', 'rule');
  });
});
