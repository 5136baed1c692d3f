import { corporateRegistrationNumber, DomainError } from '@workshare/eventsourcing';
import {
  DEFAULT_INVOICE_ROUNDING,
  DEFAULT_PAY_TIMING_READING,
  validateRegionSettlementConfig,
  type RegionSettlementConfigInput,
} from '../../src/domain/config.js';
import { parseIssuerRegistrationNumber, parsePayeeRegistrationNumber } from '../../src/domain/registration-number.js';

/** The National Tax Agency's own number: a valid corporate number. */
const VALID = 'T7000012050002';

const input = (overrides: Record<string, unknown> = {}): RegionSettlementConfigInput =>
  ({
    regionId: 'fujisato',
    issuerName: '一般社団法人ポラリス',
    registrationNumber: VALID,
    address: '秋田県山本郡藤里町藤琴字藤琴8',
    payerAccount: {
      bankCode: '0117',
      bankNameKana: 'アキタ',
      branchCode: '123',
      branchNameKana: 'フジサト',
      type: 'ordinary',
      number: '1234567',
    },
    zenginRequesterCode: '0000012345',
    requesterNameKana: 'シヤ)ポラリス',
    marginBasisPoints: 1500,
    payDay: 25,
    officePrefecture: 'akita',
    ...overrides,
  }) as RegionSettlementConfigInput;

const refusal = (overrides: Record<string, unknown>): { code: string; field: unknown } => {
  try {
    validateRegionSettlementConfig(input(overrides));
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.details['field'] };
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('region settlement configuration', () => {
  it('given a complete configuration without rounding or reading, then floor and two_months are its defaults', () => {
    const config = validateRegionSettlementConfig(input());
    expect(config.invoiceRounding).toBe('floor');
    expect(config.payTimingReading).toBe('two_months');
    expect(DEFAULT_INVOICE_ROUNDING).toBe('floor');
    expect(DEFAULT_PAY_TIMING_READING).toBe('two_months');
    expect(config.registrationNumber).toBe(VALID);
  });

  it('normalises: trims texts and writes the registration number as T + 13 digits', () => {
    const config = validateRegionSettlementConfig(
      input({ issuerName: '  ポラリス  ', registrationNumber: 't7-0000-1205-0002', invoiceRounding: 'ceil' }),
    );
    expect(config.issuerName).toBe('ポラリス');
    expect(config.registrationNumber).toBe(VALID);
    expect(config.invoiceRounding).toBe('ceil');
  });

  it('a registration number with a wrong check digit is refused (settlement.registration_number_check_digit)', () => {
    expect(refusal({ registrationNumber: 'T6000012050002' })).toEqual({
      code: 'settlement.registration_number_check_digit',
      field: 'registrationNumber',
    });
    expect(refusal({ registrationNumber: 'T700001205000' })).toEqual({
      code: 'settlement.registration_number_malformed',
      field: 'registrationNumber',
    });
    expect(refusal({ registrationNumber: 7000012050002 })).toEqual({
      code: 'settlement.invalid_config',
      field: 'registrationNumber',
    });
  });

  it.each([
    ['issuerName', { issuerName: '   ' }],
    ['issuerName', { issuerName: 'x'.repeat(201) }],
    ['address', { address: '' }],
    ['regionId', { regionId: 'Fujisato!' }],
    ['payerAccount', { payerAccount: null }],
    ['payerAccount.bankCode', { payerAccount: { ...input().payerAccount, bankCode: '117' } }],
    ['payerAccount.branchCode', { payerAccount: { ...input().payerAccount, branchCode: '12a' } }],
    ['payerAccount.number', { payerAccount: { ...input().payerAccount, number: '123456' } }],
    ['payerAccount.type', { payerAccount: { ...input().payerAccount, type: 'savings' } }],
    ['payerAccount.type', { payerAccount: { ...input().payerAccount, type: undefined } }],
    ['payerAccount.bankNameKana', { payerAccount: { ...input().payerAccount, bankNameKana: '秋田銀行' } }],
    ['zenginRequesterCode', { zenginRequesterCode: '12345678901' }],
    ['zenginRequesterCode', { zenginRequesterCode: '' }],
    ['requesterNameKana', { requesterNameKana: '' }],
    ['requesterNameKana', { requesterNameKana: 'ポラリス協同組合' }],
    ['marginBasisPoints', { marginBasisPoints: -1 }],
    ['marginBasisPoints', { marginBasisPoints: 10_001 }],
    ['marginBasisPoints', { marginBasisPoints: 15.5 }],
    ['payDay', { payDay: 0 }],
    ['payDay', { payDay: 32 }],
    ['invoiceRounding', { invoiceRounding: 'bankers' }],
    ['payTimingReading', { payTimingReading: 'ninety_days' }],
    ['officePrefecture', { officePrefecture: 'osaka' }],
    ['officePrefecture', { officePrefecture: '' }],
  ])('refuses a bad %s with settlement.invalid_config naming the field', (field, overrides) => {
    expect(refusal(overrides)).toEqual({ code: 'settlement.invalid_config', field });
  });

  it('accepts the edges: margin 0 and 10000 bp, pay day 1 and 31, a 10-digit requester code, empty optional bank names', () => {
    for (const overrides of [
      { marginBasisPoints: 0, payDay: 1 },
      { marginBasisPoints: 10_000, payDay: 31, zenginRequesterCode: '1234567890' },
      { payerAccount: { ...input().payerAccount, bankNameKana: '', branchNameKana: '' } },
      { requesterNameKana: 'ぽらりす', payTimingReading: 'strict_60_days', invoiceRounding: 'round_half_up' },
    ])
      expect(() => validateRegionSettlementConfig(input(overrides))).not.toThrow();
  });

  it('a kana refusal says which characters the Zengin file cannot hold', () => {
    try {
      validateRegionSettlementConfig(input({ requesterNameKana: 'ポラリス組合' }));
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      const details = (error as DomainError).details;
      expect(details['reason']).toBe('zengin.invalid_character');
      expect((details['characters'] as { character: string }[]).map((c) => c.character)).toEqual(['組', '合']);
    }
  });
});

describe('registration numbers in settlement', () => {
  it('the issuer’s (a corporation’s) check digit is verified; a member’s number only for its form', () => {
    const built = corporateRegistrationNumber('123456789012');
    expect(parseIssuerRegistrationNumber(built)).toBe(built);
    expect(() => parseIssuerRegistrationNumber('T1123456789012')).toThrow(
      expect.objectContaining({ code: 'settlement.registration_number_check_digit' }),
    );
    expect(parsePayeeRegistrationNumber('T1123456789012')).toBe('T1123456789012');
    expect(() => parsePayeeRegistrationNumber('T11234567890')).toThrow(
      expect.objectContaining({
        code: 'settlement.registration_number_malformed',
        details: expect.objectContaining({ field: 'invoiceRegistrationNumber' }),
      }),
    );
  });
});
