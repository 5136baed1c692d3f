/**
 * The identity service's published contract for other packages (the gateway's schemas): its
 * enums and limits, pure values with no I/O, written once in the domain.
 *   import { PERSONAL_DATA_LIMITS } from '@workshare/identity/contract';
 */
export { MAX_WINDOWS } from './domain/availability.js';
export { MAX_REASON_LENGTH, MAX_SKILLS, MAX_SKILL_LENGTH } from './domain/account.js';
export { MAX_BUSINESS_ADDRESS, MAX_BUSINESS_NAME } from './domain/business.js';
export { LIMITS as PERSONAL_DATA_LIMITS } from './domain/personal-data.js';
