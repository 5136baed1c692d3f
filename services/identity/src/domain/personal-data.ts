import { assertStorableText, characterCount, ValidationError } from '@workshare/eventsourcing';

/**
 * Personal data (APPI): never stored in plain text. The application checks it with these pure
 * functions, then seals it with the person's own data key before it enters any event
 * (crypto-shredding: destroying the key makes it unreadable, the history stays).
 */

/** Account for bank transfers (総合振込): the Zengin codes and the holder's name in katakana. */
export type BankAccount = {
  /** 金融機関コード, 4 digits. */
  readonly bankCode: string;
  /** 支店コード, 3 digits. */
  readonly branchCode: string;
  /** 預金種目: 普通 ordinary or 当座 current. */
  readonly type: 'ordinary' | 'current';
  /** 口座番号, exactly 7 digits (shorter numbers are written with leading zeros). */
  readonly number: string;
  /** 口座名義, katakana (full-width after normalisation), as the bank holds it. */
  readonly holder: string;
};

/** A member's personal data, as sealed into her MemberRegistered event. */
export type MemberPersonalData = {
  readonly name: string;
  readonly address: string;
  readonly email: string;
  readonly bankAccount: BankAccount;
  readonly passwordHash: string;
};

/** A user's (operator, accountant, business user) personal data. */
export type UserPersonalData = {
  readonly name: string;
  readonly email: string;
  readonly passwordHash: string;
};

export const LIMITS = Object.freeze({ name: 100, address: 300, email: 254, passwordMin: 10, passwordMax: 200 });

/**
 * Text as it is kept: storable (no NUL, no invalid Unicode: `text.invalid_characters`, checked
 * before anything else looks at it), NFKC, single spaces, trimmed.
 */
const text = (value: unknown, field: string): string =>
  typeof value === 'string' ? assertStorableText(value, field).normalize('NFKC').replace(/\s+/g, ' ').trim() : '';

export const parseName = (value: unknown): string => {
  const name = text(value, 'name');
  if (name === '') throw new ValidationError('personal_data.name_required', 'a name is required');
  if (characterCount(name, LIMITS.name) > LIMITS.name)
    throw new ValidationError('personal_data.name_too_long', `a name has at most ${LIMITS.name} characters`);
  return name;
};

export const parseAddress = (value: unknown): string => {
  const address = text(value, 'address');
  if (address === '') throw new ValidationError('personal_data.address_required', 'an address is required');
  if (characterCount(address, LIMITS.address) > LIMITS.address) {
    throw new ValidationError('personal_data.address_too_long', `an address has at most ${LIMITS.address} characters`);
  }
  return address;
};

// Deliberately plain: one @, no spaces, a dotted domain. Deliverability is proven by mail, not by regex.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/**
 * The email as it is compared and indexed: trimmed, NFKC, lower-cased (mailboxes at the
 * providers members use are case-insensitive). Refused with `personal_data.invalid_email`.
 */
export const normaliseEmail = (value: unknown): string => {
  const email =
    typeof value === 'string' ? assertStorableText(value, 'email').normalize('NFKC').trim().toLowerCase() : '';
  if (!EMAIL.test(email) || characterCount(email, LIMITS.email) > LIMITS.email) {
    throw new ValidationError('personal_data.invalid_email', 'not an email address (name@example.jp)');
  }
  return email;
};

const digits = (value: unknown): string =>
  typeof value === 'string' ? value.normalize('NFKC').trim() : typeof value === 'number' ? String(value) : '';

// Full-width katakana (ァ..ヴ, ヵ, ヶ, ヷ..ヺ), the long vowel mark, and single spaces between words.
const KATAKANA_NAME = /^[\u30A1-\u30FA\u30FC]+( [\u30A1-\u30FA\u30FC]+)*$/;

/**
 * Checks a bank account: bank code 4 digits (`bank_account.invalid_bank_code`), branch code 3
 * digits (`bank_account.invalid_branch_code`), type ordinary or current
 * (`bank_account.invalid_type`), number exactly 7 digits (`bank_account.invalid_number`),
 * holder in katakana (`bank_account.invalid_holder`; half-width katakana and full-width
 * spaces are normalised to full-width katakana and single spaces).
 */
export const parseBankAccount = (input: unknown): BankAccount => {
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError(
      'bank_account.required',
      'a bank account is required: {bankCode, branchCode, type, number, holder}',
    );
  }
  const { bankCode, branchCode, type, number, holder } = input as Record<string, unknown>;
  const bank = digits(bankCode);
  if (!/^\d{4}$/.test(bank))
    throw new ValidationError('bank_account.invalid_bank_code', 'the bank code (金融機関コード) is 4 digits');
  const branch = digits(branchCode);
  if (!/^\d{3}$/.test(branch))
    throw new ValidationError('bank_account.invalid_branch_code', 'the branch code (支店コード) is 3 digits');
  if (type !== 'ordinary' && type !== 'current') {
    throw new ValidationError('bank_account.invalid_type', 'the account type is "ordinary" (普通) or "current" (当座)');
  }
  const accountNumber = digits(number);
  if (!/^\d{7}$/.test(accountNumber)) {
    throw new ValidationError(
      'bank_account.invalid_number',
      'the account number (口座番号) is exactly 7 digits (pad a shorter one with leading zeros)',
    );
  }
  const holderName = text(holder, 'bank_account.holder');
  if (!KATAKANA_NAME.test(holderName)) {
    throw new ValidationError(
      'bank_account.invalid_holder',
      'the account holder (口座名義) is written in katakana, as the bank holds it (ヤマダ ハナコ)',
    );
  }
  return { bankCode: bank, branchCode: branch, type, number: accountNumber, holder: holderName };
};

/** Length is what makes a password strong; no composition rules (NIST SP 800-63B). */
export const checkPasswordPolicy = (password: unknown): string => {
  if (typeof password === 'string') assertStorableText(password, 'password');
  if (typeof password !== 'string' || [...password].length < LIMITS.passwordMin) {
    throw new ValidationError('password.too_short', `a password has at least ${LIMITS.passwordMin} characters`);
  }
  if ([...password].length > LIMITS.passwordMax) {
    throw new ValidationError('password.too_long', `a password has at most ${LIMITS.passwordMax} characters`);
  }
  return password;
};
