import fc from 'fast-check';
import {
  corporateCheckDigit,
  corporateRegistrationNumber,
  DomainError,
  parseRegistrationNumber,
  REGISTRATION_NUMBER_PATTERN,
  ValidationError,
} from '../src/index.js';

const base12 = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }).map((d) => d.join(''));

const refusal = (run: () => unknown): DomainError | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
};

describe('qualified-invoice registration number (shared rule)', () => {
  it('the National Tax Agency’s number (T7000012050002) passes, with check digit 7', () => {
    expect(corporateCheckDigit('000012050002')).toBe(7);
    expect(parseRegistrationNumber('T7000012050002', 'corporation', 'settlement')).toBe('T7000012050002');
  });

  it('refuses with the caller’s code prefix, as an invalid argument, naming the field when given', () => {
    const malformed = refusal(() => parseRegistrationNumber('T12', 'corporation', 'settlement', 'registrationNumber'));
    expect(malformed).toBeInstanceOf(ValidationError);
    expect(malformed?.code).toBe('settlement.registration_number_malformed');
    expect(malformed?.kind).toBe('invalid');
    expect(malformed?.details).toEqual({ field: 'registrationNumber', registrationNumber: 'T12' });

    const wrongCheck = refusal(() => parseRegistrationNumber('T6000012050002', 'corporation', 'business'));
    expect(wrongCheck?.code).toBe('business.registration_number_check_digit');
    expect(wrongCheck?.details).toEqual({ registrationNumber: 'T6000012050002' });
  });

  it('normalises how people write it (full-width digits, hyphens, spaces, a lower-case t)', () => {
    expect(parseRegistrationNumber(' ｔ７-００００-１２０５-０００２ ', 'corporation', 'x')).toBe('T7000012050002');
  });

  it('a sole proprietor’s digits are checked for their form only', () => {
    expect(parseRegistrationNumber('T6000012050002', 'sole_proprietor', 'settlement')).toBe('T6000012050002');
    expect(refusal(() => parseRegistrationNumber('T600001205000', 'sole_proprietor', 'settlement'))?.code).toBe(
      'settlement.registration_number_malformed',
    );
  });

  it('every number built from a base passes and matches the stored pattern; every other check digit is refused', () => {
    fc.assert(
      fc.property(base12, fc.integer({ min: 0, max: 9 }), (base, check) => {
        const number = corporateRegistrationNumber(base);
        expect(number).toMatch(new RegExp(REGISTRATION_NUMBER_PATTERN));
        expect(parseRegistrationNumber(number, 'corporation', 'p')).toBe(number);
        const other = refusal(() => parseRegistrationNumber(`T${check}${base}`, 'corporation', 'p'));
        expect(other?.code).toBe(check === corporateCheckDigit(base) ? undefined : 'p.registration_number_check_digit');
      }),
    );
  });
});
