// The identity service: regions and towns, members, users and their roles, businesses,
// crypto-shredded personal data, and the signed tokens every service verifies.

// Application: the facade, its inputs and views, the ports.
export {
  IdentityService,
  type IdentityServiceOptions,
  type RegisterMemberInput,
  type UpdateAvailabilityInput,
  type AvailabilityUpdated,
  type RegisterUserInput,
  type RoleInput,
  type RegisterBusinessInput,
  type LoginResult,
} from './application/identity-service.js';
export type * from './application/views.js';
export { tokenSubject, actorOfSubject } from './application/ports.js';
export type {
  TokenSubject,
  KeyVault,
  StoredKey,
  PersonalDataProtector,
  UnsealedText,
  DataKeyDraft,
  Unsealed,
  EmailIndex,
  PasswordHasher,
  TokenService,
  IssuedToken,
  VerifiedToken,
  Jwks,
} from './application/ports.js';
export {
  PersonalTexts as PersonalTextsUseCase,
  TEXT_LIMITS,
  mayReadAbout,
  mayWriteAbout,
} from './application/texts.js';
export type { SealTextsInput, SealedTextRef } from './application/texts.js';
// Free texts about a member sealed with her key, for other services (also `@workshare/identity/texts`).
export {
  IdentityTextsClient,
  OPEN_TEXTS_BATCH,
  isSealedText,
  openPersonalTexts,
  type IdentityTextsClientOptions,
  type OpenedText,
  type PersonalText,
  type PersonalTexts,
  type SealedText,
  type ShownText,
  type TextsCaller,
} from './texts.js';
export { identityServiceTexts } from './adapters/in-process-texts.js';
export { commandKey, idForCommand, MAX_REQUEST_ID_LENGTH } from './application/command-ids.js';
export {
  IdentityDirectory,
  DEFAULT_MAX_STALENESS_MS,
  type DirectoryEntry,
  type DirectoryOptions,
} from './application/directory.js';
export {
  seedDemoCooperative,
  demoAccounts,
  DEMO_COORDINATOR_EMAIL,
  DEMO_BUSINESS_USER_EMAIL,
  DEMO_BUSINESS_USER_EMAILS,
  type DemoCooperative,
  type DemoAccount,
} from './application/demo-seed.js';

// Composition: what the launcher and a service process call.
export { openIdentityService, type OpenIdentityOptions, type IdentityRuntime } from './open-identity.js';
export {
  startIdentityGrpc,
  identityGrpcService,
  PUBLIC_METHODS,
  IDENTITY_REQUEST_LIMITS,
  type StartIdentityGrpcOptions,
} from './adapters/grpc/identity-grpc.js';
export { IdentityTokenVerifier, grpcCallerOf } from './adapters/grpc/token-verifier.js';
export { PREFECTURE_CODES } from './adapters/grpc/messages.js';

// Adapters.
export {
  JwtTokenService,
  DEFAULT_VERIFIED_CACHE_SIZE,
  createTokenVerifier,
  callerFromClaims,
  generateSigningKey,
  parseSigningKey,
  DEFAULT_ISSUER,
  AUDIENCE,
  DEFAULT_TOKEN_TTL_SECONDS,
} from './adapters/jwt-tokens.js';
export { MasterKey, resolveMasterKey, hmacEmailIndex, MASTER_KEY_FILE } from './adapters/master-key.js';
export { EnvelopeEncryption, DEFAULT_KEY_CACHE_SIZE } from './adapters/envelope-encryption.js';
export {
  SqlKeyVault,
  DEFAULT_KEY_VAULT_SCHEMA,
  DEFAULT_HORIZON_WAIT_MS,
  type SqlKeyVaultOptions,
} from './adapters/sql-key-vault.js';
/** For tests only: keys in memory die with the process. */
export { InMemoryKeyVault } from './adapters/in-memory-key-vault.js';
export { ScryptPasswordHasher, DEFAULT_SCRYPT_COST, type ScryptCost } from './adapters/scrypt-password-hasher.js';
export { loadSigningKey } from './adapters/signing-key.js';

// Domain: reference data, roles, and the deciders (for tests and other services' understanding).
export {
  REGIONS,
  PREFECTURES,
  findRegion,
  requireRegion,
  requireTown,
  officePrefecture,
  type Region,
  type Town,
  type Prefecture,
  type PrefectureId,
} from './domain/regions.js';
export { GRANTABLE_ROLE_NAMES, isGrantable, type GrantableRoleName } from './domain/roles.js';
export {
  validateAvailability,
  WEEKDAYS,
  AVAILABILITY_TIME_ZONE,
  type AvailabilityWindow,
  type Weekday,
} from './domain/availability.js';
export {
  parseRegistrationNumber,
  corporateCheckDigit,
  corporateRegistrationNumber,
  type EntityType,
} from './domain/registration-number.js';
export type { BankAccount } from './domain/personal-data.js';
export * from './domain/account.js';
export * from './domain/business.js';
export * from './domain/reservation.js';
/** For other services' tests and benches: a real identity with a small cooperative and real tokens. */
export {
  castOf,
  foundInRelationFiles,
  readRelationFiles,
  type RelationFile,
  type RowQuery,
  startProcessTestCooperative,
  startTestCooperative,
  TEST_PEOPLE,
  type ProcessTestCooperative,
  type TestCast,
  type TestCooperative,
  type TestActor,
  type TestPerson,
  type TestMemberSpec,
} from './testing.js';

// The service's one definition (for runServiceProcess and the launcher).
export { identityDefinition } from './service.js';
