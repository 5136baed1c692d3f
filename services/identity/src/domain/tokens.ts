/**
 * The longest token that is read at all (`auth.invalid_token` beyond it): the tokens identity
 * issues are a few hundred characters, and gRPC metadata holds 8 KB in all.
 */
export const MAX_TOKEN_LENGTH = 4096;
