/**
 * Qualified-invoice registration numbers (適格請求書発行事業者登録番号): the rule (the form `T`
 * + 13 digits, a corporation's check digit) is written once in @workshare/eventsourcing and
 * shared with settlement; identity refuses a business's number with its own codes,
 * `business.registration_number_malformed` and `business.registration_number_check_digit`.
 */
import { parseRegistrationNumber as parseRegistrationNumberWithCodes, type EntityType } from '@workshare/eventsourcing';

export {
  corporateCheckDigit,
  corporateRegistrationNumber,
  ENTITY_TYPES,
  REGISTRATION_NUMBER_PATTERN,
  type EntityType,
} from '@workshare/eventsourcing';

/**
 * Reads a registration number as people write it (`T1234567890123`, `t1-2345-6789-0123`,
 * full-width digits) and returns it as `T` + 13 digits, or refuses it:
 * `business.registration_number_malformed` when it is not T + 13 digits,
 * `business.registration_number_check_digit` when a corporation's check digit does not match.
 */
export const parseRegistrationNumber = (input: string, entityType: EntityType): string =>
  parseRegistrationNumberWithCodes(input, entityType, 'business');
