import fc from 'fast-check';
import { DomainError } from '@workshare/eventsourcing';
import {
  corporateCheckDigit,
  corporateRegistrationNumber,
  parseRegistrationNumber,
} from '../../src/domain/registration-number.js';

const base12 = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }).map((d) => d.join(''));

const refusal = (input: string): string | undefined => {
  try {
    parseRegistrationNumber(input, 'corporation');
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
};

describe('qualified-invoice registration number', () => {
  describe('the corporate number check digit (9 − Σ P_n·Q_n mod 9, P_1 the lowest digit, Q 1,2,1,2…)', () => {
    it.each([
      // The National Tax Agency (国税庁): 7000012050002.
      ['000012050002', 7],
      // A sum that is a multiple of 9 gives 9, never 0.
      ['000000000000', 9],
      // Only the lowest digit, weight 1: 9 − (1 mod 9) = 8.
      ['000000000001', 8],
      // The second lowest, weight 2: 9 − (2 mod 9) = 7.
      ['000000000010', 7],
      // The highest (n = 12, even), weight 2: 9 − (2·9 mod 9) = 9.
      ['900000000000', 9],
      // Mixed: 1,2,…: sum = Σ P_n·Q_n over 123456789012 from the right = 2·1+1·2+0·1+9·2+8·1+7·2+6·1+5·2+4·1+3·2+2·1+1·2 = 74 → 9 − 2 = 7.
      ['123456789012', 7],
    ])('base %s has check digit %d', (base, check) => {
      expect(corporateCheckDigit(base)).toBe(check);
    });

    it('refuses a base that is not 12 digits', () => {
      expect(() => corporateCheckDigit('12345')).toThrow(TypeError);
    });
  });

  describe('properties', () => {
    it('a number built from any 12-digit corporate base passes, and reads back as itself', () => {
      fc.assert(
        fc.property(base12, (base) => {
          const number = corporateRegistrationNumber(base);
          expect(number).toMatch(/^T[1-9]\d{12}$/);
          expect(parseRegistrationNumber(number, 'corporation')).toBe(number);
        }),
      );
    });

    it('any single-digit change is refused, except 0↔9 among the twelve, which mod 9 cannot see', () => {
      fc.assert(
        fc.property(
          base12,
          fc.integer({ min: 0, max: 12 }),
          fc.integer({ min: 1, max: 9 }),
          (base, position, shift) => {
            const number = corporateRegistrationNumber(base);
            const digits = number.slice(1).split('').map(Number);
            const old = digits[position]!;
            const changed = (old + shift) % 10;
            digits[position] = changed;
            const altered = `T${digits.join('')}`;
            const invisible = position > 0 && old + changed === 9 && (old === 0 || old === 9);
            expect(refusal(altered)).toBe(invisible ? undefined : 'business.registration_number_check_digit');
          },
        ),
        { numRuns: 2000 },
      );
    });

    it('the check digit itself never takes a value other than the one computed', () => {
      fc.assert(
        fc.property(base12, fc.integer({ min: 0, max: 9 }), (base, check) => {
          const valid = check === corporateCheckDigit(base);
          expect(refusal(`T${check}${base}`)).toBe(valid ? undefined : 'business.registration_number_check_digit');
        }),
      );
    });
  });

  describe('form', () => {
    it('refuses anything but T and 13 digits, saying so', () => {
      expect(() => parseRegistrationNumber('T123', 'corporation')).toThrow(/is not "T" followed by 13 digits/);
      expect(refusal('X7000012050002')).toBe('business.registration_number_malformed');
      expect(refusal('T 7000 0120 5000 2')).toBeUndefined();
    });

    it('does not check a sole proprietor’s digits beyond their form', () => {
      expect(parseRegistrationNumber('T6000012050002', 'sole_proprietor')).toBe('T6000012050002');
      expect(() => parseRegistrationNumber('T600001205000', 'sole_proprietor')).toThrow(DomainError);
    });
  });
});
