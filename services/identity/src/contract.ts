/**
 * The identity service's published contract for other packages (the gateway's schemas, other
 * services): its enums, limits and patterns, pure values with no I/O, written once in the
 * domain (and the request limits the gRPC host applies, made of them).
 *   import { IDENTITY_REQUEST_LIMITS, PERSONAL_DATA_LIMITS } from '@workshare/identity/contract';
 */
export { IDENTITY_REQUEST_LIMITS } from './request-limits.js';

// Members: contract types, skills, weekly availability, personal data.
export {
  CONTRACT_TYPES,
  MAX_REASON_LENGTH,
  MAX_SKILLS,
  MAX_SKILL_LENGTH,
  type ContractType,
} from './domain/account.js';
export {
  AVAILABILITY_END_PATTERN,
  AVAILABILITY_START_PATTERN,
  AVAILABILITY_TIME_ZONE,
  MAX_WINDOWS,
  WEEKDAYS,
  type Weekday,
} from './domain/availability.js';
export { LIMITS as PERSONAL_DATA_LIMITS } from './domain/personal-data.js';

// Roles: which an operator grants and revokes (`member` comes with a member's registration).
export { GRANTABLE_ROLE_NAMES, type GrantableRoleName } from './domain/roles.js';

// Businesses.
export { MAX_BUSINESS_ADDRESS, MAX_BUSINESS_NAME } from './domain/business.js';
export { ENTITY_TYPES, REGISTRATION_NUMBER_PATTERN, type EntityType } from './domain/registration-number.js';

// Regions and towns (reference data), tokens.
export { REGIONS, type Region, type Town } from './domain/regions.js';
export { MAX_REFRESH_TOKEN_LENGTH, MAX_TOKEN_LENGTH } from './domain/tokens.js';

// The events other services may consume, each at its schema versions (@workshare/contracts):
// only these; every other event of identity is its own.
export {
  IDENTITY_ACCESS_REVOCATIONS as ACCESS_REVOCATIONS,
  IDENTITY_PUBLISHED_EVENTS as PUBLISHED_EVENTS,
  MemberAvailabilityUpdatedV1,
  MemberForgottenV1,
  MemberRegisteredV1,
  RoleRevokedV1,
  SessionRevokedV1,
  UserForgottenV1,
} from '@workshare/contracts';
