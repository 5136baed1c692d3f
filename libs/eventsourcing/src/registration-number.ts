import { ValidationError } from './errors.js';

/**
 * Qualified-invoice registration numbers (適格請求書発行事業者登録番号): `T` and 13 digits.
 * For a corporation the 13 digits are its corporate number (法人番号), whose first digit is a
 * check digit over the other twelve (法人番号の指定等に関する省令 第2条):
 *
 *   check = 9 − ((Σ_{n=1..12} P_n × Q_n) mod 9)
 *
 * where P_n is the n-th of the twelve digits counted from the LOWEST place (the last digit is
 * P_1) and Q_n is 1 for odd n, 2 for even n. Example: the National Tax Agency, 7000012050002.
 *
 * A mod-9 check cannot see every single-digit error: replacing a 0 by a 9 (or a 9 by a 0)
 * among the twelve changes the sum by 9 or 18, a multiple of 9, and keeps the check digit.
 * Every other single-digit change is caught (the tests pin both facts).
 *
 * For a sole proprietor the digits are assigned by the tax office and carry no check digit we
 * can verify: only the form is checked.
 *
 * One rule for every service that reads these numbers (identity for businesses, settlement for
 * the cooperative and its members): each refuses with its own code prefix.
 */
export type EntityType = 'corporation' | 'sole_proprietor';

export const ENTITY_TYPES: readonly EntityType[] = ['corporation', 'sole_proprietor'];

/**
 * A registration number as it is kept and answered: `T` and 13 digits (a JSON schema
 * `pattern`). As people write it (hyphens, spaces, full-width digits, a lower-case t) it is
 * normalised first: see parseRegistrationNumber.
 */
export const REGISTRATION_NUMBER_PATTERN = '^T\\d{13}$';

/** The check digit (1–9) of a 12-digit corporate number base. */
export const corporateCheckDigit = (base12: string): number => {
  if (!/^\d{12}$/.test(base12))
    throw new TypeError(`a corporate number base is 12 digits, got ${JSON.stringify(base12)}`);
  let sum = 0;
  for (let n = 1; n <= 12; n++) {
    const digit = base12.charCodeAt(12 - n) - 48;
    sum += digit * (n % 2 === 1 ? 1 : 2);
  }
  return 9 - (sum % 9);
};

/** The registration number of a corporation with this 12-digit base: `T<check><base>`. */
export const corporateRegistrationNumber = (base12: string): string => `T${corporateCheckDigit(base12)}${base12}`;

/**
 * Reads a registration number as people write it (`T1234567890123`, `t1-2345-6789-0123`,
 * full-width digits) and returns it as `T` + 13 digits, or refuses it with a code under the
 * caller's prefix (`business`, `settlement`, ...):
 * `<prefix>.registration_number_malformed` when it is not T + 13 digits,
 * `<prefix>.registration_number_check_digit` when a corporation's check digit does not match.
 * Details name the number and, when given, the field it came from.
 */
export const parseRegistrationNumber = (
  input: string,
  entityType: EntityType,
  codePrefix: string,
  field?: string,
): string => {
  const where = field === undefined ? {} : { field };
  const text = typeof input === 'string' ? input.normalize('NFKC').trim().replace(/[-\s]/g, '') : '';
  const m = /^[Tt](\d{13})$/.exec(text);
  if (!m) {
    throw new ValidationError(
      `${codePrefix}.registration_number_malformed`,
      `registration number ${JSON.stringify(input)} is not "T" followed by 13 digits`,
      { ...where, registrationNumber: typeof input === 'string' ? input : null },
    );
  }
  const digits = m[1]!;
  if (entityType === 'corporation') {
    const expected = corporateCheckDigit(digits.slice(1));
    if (Number(digits[0]) !== expected) {
      throw new ValidationError(
        `${codePrefix}.registration_number_check_digit`,
        `registration number T${digits}: its check digit (the first digit) does not match the corporate number that follows; check for a typing error`,
        { ...where, registrationNumber: `T${digits}` },
      );
    }
  }
  return `T${digits}`;
};
