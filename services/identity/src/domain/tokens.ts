/**
 * The longest token that is read at all (`auth.invalid_token` beyond it): the tokens identity
 * issues are a few hundred characters, and gRPC metadata holds 8 KB in all.
 */
export const MAX_TOKEN_LENGTH = 4096;

/** The longest refresh token read at all (`auth.invalid_refresh_token` beyond it): identity's are 80 characters. */
export const MAX_REFRESH_TOKEN_LENGTH = 128;
