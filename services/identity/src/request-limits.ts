import { MAX_REQUEST_ID_LENGTH } from '@workshare/eventsourcing';
import { MAX_REASON_LENGTH, MAX_SKILL_LENGTH } from './domain/account.js';
import { MAX_BUSINESS_ADDRESS, MAX_BUSINESS_NAME } from './domain/business.js';
import { LIMITS } from './domain/personal-data.js';
import { MAX_REFRESH_TOKEN_LENGTH, MAX_TOKEN_LENGTH } from './domain/tokens.js';

/** Characters of a free text sealed for other services (a progress note has at most 2,000). */
export const MAX_PERSONAL_TEXT_LENGTH = 2_000;
/**
 * Characters of a sealed text: `v1.` and the base64url of a 12-byte nonce, of the text's UTF-8
 * (at most 4 bytes a character) and of a 16-byte tag, with the dots between.
 */
export const MAX_SEALED_TEXT_LENGTH = 3 + 16 + 1 + Math.ceil((MAX_PERSONAL_TEXT_LENGTH * 4 * 4) / 3) + 1 + 22;

/**
 * The longest each text field of a request may be, from the domain's limits, with the domain's
 * code: the gRPC host refuses a longer value before the handler runs (lengths in characters,
 * as sent; the domain checks again after normalising), and the HTTP edge builds its schemas
 * from the same numbers. Every other string field is an id, a slug, a code or a time of day,
 * at most ID_MAX_LENGTH (128) characters. Pure values, per RPC (as the implementation names it)
 * and field path (ts-proto's camelCase names: `personalData.name`, `skills[]`).
 */
const REQUEST_ID = { maxLength: MAX_REQUEST_ID_LENGTH, code: 'request.invalid_request_id' } as const;
const NAME = { maxLength: LIMITS.name, code: 'personal_data.name_too_long' } as const;
const ADDRESS = { maxLength: LIMITS.address, code: 'personal_data.address_too_long' } as const;
const EMAIL = { maxLength: LIMITS.email, code: 'personal_data.invalid_email' } as const;
const PASSWORD = { maxLength: LIMITS.passwordMax, code: 'password.too_long' } as const;
const HOLDER = { maxLength: LIMITS.name, code: 'bank_account.invalid_holder' } as const;
const SKILL = { maxLength: MAX_SKILL_LENGTH, code: 'member.invalid_skill' } as const;
const ROLE_REASON = { maxLength: MAX_REASON_LENGTH, code: 'role.reason_required' } as const;
const FORGET_REASON = { maxLength: MAX_REASON_LENGTH, code: 'account.reason_required' } as const;
const TOKEN = { maxLength: MAX_TOKEN_LENGTH, code: 'auth.invalid_token' } as const;
const REFRESH_TOKEN = { maxLength: MAX_REFRESH_TOKEN_LENGTH, code: 'auth.invalid_refresh_token' } as const;
const PERSONAL_TEXT = { maxLength: MAX_PERSONAL_TEXT_LENGTH, code: 'personal_text.too_long' } as const;
const SEALED_TEXT = { maxLength: MAX_SEALED_TEXT_LENGTH, code: 'personal_text.invalid' } as const;

export const IDENTITY_REQUEST_LIMITS = {
  fields: {
    registerMember: {
      requestId: REQUEST_ID,
      'skills[]': SKILL,
      'personalData.name': NAME,
      'personalData.address': ADDRESS,
      'personalData.email': EMAIL,
      'personalData.bankAccount.holderNameKana': HOLDER,
      password: PASSWORD,
    },
    updateAvailability: { requestId: REQUEST_ID },
    forgetMember: { requestId: REQUEST_ID, reason: FORGET_REASON },
    registerUser: { requestId: REQUEST_ID, name: NAME, email: EMAIL, password: PASSWORD },
    grantRole: { requestId: REQUEST_ID, reason: ROLE_REASON },
    revokeRole: { requestId: REQUEST_ID, reason: ROLE_REASON },
    registerBusiness: {
      requestId: REQUEST_ID,
      name: { maxLength: MAX_BUSINESS_NAME, code: 'business.name_too_long' },
      address: { maxLength: MAX_BUSINESS_ADDRESS, code: 'business.address_too_long' },
    },
    login: { email: EMAIL, password: PASSWORD },
    verifyToken: { token: TOKEN },
    refresh: { refreshToken: REFRESH_TOKEN },
    logout: { refreshToken: REFRESH_TOKEN, accessToken: TOKEN },
    sealTexts: { 'texts[]': PERSONAL_TEXT },
    openTexts: { 'texts[].sealed': SEALED_TEXT },
  },
} as const;
