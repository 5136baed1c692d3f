import { DomainError } from '@workshare/eventsourcing';
import {
  checkPasswordPolicy,
  normaliseEmail,
  parseAddress,
  parseBankAccount,
  parseName,
} from '../../src/domain/personal-data.js';

const account = { bankCode: '0001', branchCode: '123', type: 'ordinary', number: '1234567', holder: 'フジワラ ヨウコ' };

const codeOf = (work: () => unknown): string | undefined => {
  try {
    work();
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return `${error.kind}:${error.code}`;
    throw error;
  }
};

describe('personal data checks', () => {
  describe('bank account', () => {
    it('accepts a well-formed account', () => {
      expect(parseBankAccount(account)).toEqual(account);
    });

    it('normalises full-width digits, half-width katakana and full-width spaces', () => {
      expect(parseBankAccount({ ...account, number: '１２３４５６７', holder: 'ﾌｼﾞﾜﾗ　ﾖｳｺ' })).toEqual(account);
    });

    it.each([
      ['6 digits', '123456'],
      ['8 digits', '12345678'],
      ['a letter', '123456a'],
      ['nothing', ''],
      ['a number type that lost its leading zero', 123456],
    ])('refuses an account number of %s: exactly 7 digits', (_what, number) => {
      expect(codeOf(() => parseBankAccount({ ...account, number }))).toBe('invalid:bank_account.invalid_number');
    });

    it.each([
      ['bankCode', '001', 'bank_account.invalid_bank_code'],
      ['bankCode', '00011', 'bank_account.invalid_bank_code'],
      ['branchCode', '12', 'bank_account.invalid_branch_code'],
      ['branchCode', '1234', 'bank_account.invalid_branch_code'],
      ['type', 'savings', 'bank_account.invalid_type'],
      ['holder', '藤原 陽子', 'bank_account.invalid_holder'],
      ['holder', 'FUJIWARA YOKO', 'bank_account.invalid_holder'],
      ['holder', 'ふじわら ようこ', 'bank_account.invalid_holder'],
      ['holder', '  ', 'bank_account.invalid_holder'],
    ])('refuses %s %j', (field, value, code) => {
      expect(codeOf(() => parseBankAccount({ ...account, [field]: value }))).toBe(`invalid:${code}`);
    });

    it('refuses a missing account', () => {
      expect(codeOf(() => parseBankAccount(undefined))).toBe('invalid:bank_account.required');
    });
  });

  describe('email', () => {
    it('normalises case and spaces', () => {
      expect(normaliseEmail('  Yoko.Fujiwara@Fujisato.Example ')).toBe('yoko.fujiwara@fujisato.example');
    });

    it.each(['', 'yoko', 'yoko@', '@fujisato.example', 'yoko@fujisato', 'yo ko@fujisato.example', 'a@b@c.example'])(
      'refuses %j',
      (email) => {
        expect(codeOf(() => normaliseEmail(email))).toBe('invalid:personal_data.invalid_email');
      },
    );
  });

  describe('name, address, password', () => {
    it('collapses spaces in names and addresses and refuses empty ones', () => {
      expect(parseName(' 藤原　陽子 ')).toBe('藤原 陽子');
      expect(codeOf(() => parseName(' '))).toBe('invalid:personal_data.name_required');
      expect(codeOf(() => parseName('x'.repeat(101)))).toBe('invalid:personal_data.name_too_long');
      expect(parseAddress('秋田県山本郡藤里町藤琴  1')).toBe('秋田県山本郡藤里町藤琴 1');
      expect(codeOf(() => parseAddress(''))).toBe('invalid:personal_data.address_required');
      expect(codeOf(() => parseAddress('x'.repeat(301)))).toBe('invalid:personal_data.address_too_long');
    });

    it('asks for passwords of 10 to 200 characters, counted as characters, not bytes', () => {
      expect(checkPasswordPolicy('ふじさとのしらかみさんち')).toBe('ふじさとのしらかみさんち');
      expect(codeOf(() => checkPasswordPolicy('ふじさと'))).toBe('invalid:password.too_short');
      expect(codeOf(() => checkPasswordPolicy(undefined))).toBe('invalid:password.too_short');
      expect(codeOf(() => checkPasswordPolicy('x'.repeat(201)))).toBe('invalid:password.too_long');
    });
  });
});

describe('personal data that cannot be stored', () => {
  it.each([
    ['a name with a NUL', () => parseName('藤原\u0000陽子')],
    ['a name with a lone surrogate', () => parseName('藤原\ud800')],
    ['an address with a NUL', () => parseAddress('藤里町\u0000藤琴')],
    ['an email with a NUL', () => normaliseEmail('yoko\u0000@fujisato.example')],
    ['an email with a lone surrogate', () => normaliseEmail('yoko\udc00@fujisato.example')],
    ['a password with a NUL', () => checkPasswordPolicy('correct horse\u0000battery')],
    ['a holder name with a NUL', () => parseBankAccount({ ...account, holder: 'フジワラ\u0000ヨウコ' })],
  ])('refuses %s: text.invalid_characters', (_what, work) => {
    expect(codeOf(work)).toBe('invalid:text.invalid_characters');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(parseName('𠮷'.repeat(100))).toBe('𠮷'.repeat(100));
    expect(codeOf(() => parseName('𠮷'.repeat(101)))).toBe('invalid:personal_data.name_too_long');
  });
});
