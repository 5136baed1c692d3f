/**
 * Qualified-invoice registration numbers as settlement reads them: the one rule of
 * @workshare/eventsourcing (`T` + 13 digits; a corporation's first digit checks the other twelve),
 * refused with settlement's codes `settlement.registration_number_malformed` and
 * `settlement.registration_number_check_digit`. The cooperative (the issuer of every invoice) is
 * a corporation: its check digit is verified. A member's own number (an individual's) is checked
 * for its form only: no source says individuals' numbers carry the corporate check digit
 * (reference §3, conf. L), so they are checked against the NTA's 公表サイト instead.
 */
import { parseRegistrationNumber as parseWithCodes, type EntityType } from '@workshare/eventsourcing';

export const SETTLEMENT_CODE_PREFIX = 'settlement';

export const parseRegistrationNumber = (input: string, entityType: EntityType, field?: string): string =>
  parseWithCodes(input, entityType, SETTLEMENT_CODE_PREFIX, field);

/** The cooperative's number (a corporation's): form and check digit. */
export const parseIssuerRegistrationNumber = (input: string, field = 'registrationNumber'): string =>
  parseRegistrationNumber(input, 'corporation', field);

/** A contractor's own number (an individual's, 個人事業者): form only. */
export const parsePayeeRegistrationNumber = (input: string, field = 'invoiceRegistrationNumber'): string =>
  parseRegistrationNumber(input, 'sole_proprietor', field);
