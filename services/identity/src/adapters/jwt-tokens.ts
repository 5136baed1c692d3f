import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  decodeJwt,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { DomainError, isRoleName, type JsonObject, type PersonRole } from '@workshare/eventsourcing';
import { systemClock, type Clock } from '@workshare/time';
import { MAX_TOKEN_LENGTH } from '../domain/tokens.js';
import {
  tokenSubject,
  type IssuedToken,
  type Jwks,
  type TokenService,
  type TokenSubject,
  type VerifiedToken,
} from '../application/ports.js';

/**
 * Signed tokens (JWT, EdDSA over Ed25519, or ES256 over P-256 when the configured key is an EC
 * key). Claims: iss, aud `workshare`, sub (account id), iat, exp, jti, sid (the session: the
 * login the token was issued in, or refreshed from), kind (member | user), roles (names),
 * regions (the regions the caller coordinates), businessId (a business user's), region (a
 * member's own region). Other services verify them with the public JWKS alone.
 */
export const DEFAULT_ISSUER = 'workshare-identity';
export const AUDIENCE = 'workshare';
/** Access tokens live 15 minutes; a client refreshes them with its refresh token. */
export const DEFAULT_TOKEN_TTL_SECONDS = 15 * 60;
/** The longest token that is read at all (`auth.invalid_token` beyond it): see the domain's tokens. */
export { MAX_TOKEN_LENGTH } from '../domain/tokens.js';

const unauthenticated = (code: string, message: string) => new DomainError(code, message, 'unauthenticated');

/** A token worth verifying at all: a non-empty string of at most MAX_TOKEN_LENGTH characters. */
const assertTokenShape = (token: unknown): void => {
  if (typeof token !== 'string' || token === '') throw unauthenticated('auth.missing_token', 'no token: sign in first');
  if (token.length > MAX_TOKEN_LENGTH)
    throw unauthenticated('auth.invalid_token', `the token is not valid (longer than ${MAX_TOKEN_LENGTH} characters)`);
};

/** A fresh private signing key (Ed25519) as a JWK, for IDENTITY_SIGNING_KEY or the key vault. */
export const generateSigningKey = (): JsonObject =>
  generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as JsonObject;

const algorithmOf = (jwk: JsonObject): 'EdDSA' | 'ES256' => {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  throw new DomainError(
    'identity.invalid_signing_key',
    'the signing key must be an Ed25519 (OKP) or P-256 (EC) private JWK',
    'invalid',
  );
};

/** Parses IDENTITY_SIGNING_KEY (a private JWK as JSON). */
export const parseSigningKey = (text: string): JsonObject => {
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw new DomainError(
      'identity.invalid_signing_key',
      'IDENTITY_SIGNING_KEY is not JSON (a private JWK is expected)',
      'invalid',
    );
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk) || typeof (jwk as JsonObject).d !== 'string') {
    throw new DomainError(
      'identity.invalid_signing_key',
      'IDENTITY_SIGNING_KEY must be a private JWK (with "d")',
      'invalid',
    );
  }
  algorithmOf(jwk as JsonObject);
  return jwk as JsonObject;
};

const claimsOf = (caller: TokenSubject): JWTPayload => ({
  kind: caller.kind,
  roles: [...new Set(caller.roles.map((r) => r.kind))],
  regions: [...caller.regions],
  ...(caller.businessId !== undefined ? { businessId: caller.businessId } : {}),
  ...(caller.homeRegion !== undefined ? { region: caller.homeRegion } : {}),
});

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v): v is string => typeof v === 'string' && v !== '') ? value : undefined;

/** The caller a verified payload speaks for; refuses a payload whose claims do not fit together. */
export const callerFromClaims = (payload: JWTPayload): TokenSubject => {
  const bad = (why: string) => unauthenticated('auth.invalid_token', `token claims are not valid: ${why}`);
  const { sub, kind, businessId, region } = payload;
  const names = strings(payload.roles);
  const regions = strings(payload.regions);
  if (typeof sub !== 'string' || sub === '') throw bad('no subject');
  if (kind !== 'member' && kind !== 'user') throw bad('unknown account kind');
  if (!names || !names.every(isRoleName)) throw bad('roles');
  if (!regions) throw bad('regions');
  if (names.includes('coordinator') !== regions.length > 0) throw bad('coordinator role and regions disagree');
  if (names.includes('business') !== (typeof businessId === 'string' && businessId !== ''))
    throw bad('business role and businessId disagree');
  if (region !== undefined && typeof region !== 'string') throw bad('region');
  const roles: PersonRole[] = names.flatMap((name): PersonRole[] => {
    switch (name) {
      case 'coordinator':
        return regions.map((regionId) => ({ kind: 'coordinator', regionId }));
      case 'business':
        return [{ kind: 'business', businessId: businessId as string }];
      default:
        return [{ kind: name }];
    }
  });
  return tokenSubject(sub, kind, roles, region);
};

/** The session (`sid`) and token id (`jti`) a payload carries, when it carries them. */
const idsOf = (payload: JWTPayload): { sessionId: string | undefined; tokenId: string | undefined } => ({
  sessionId: typeof payload.sid === 'string' && payload.sid !== '' ? payload.sid : undefined,
  tokenId: typeof payload.jti === 'string' && payload.jti !== '' ? payload.jti : undefined,
});

const verifyError = (error: unknown): DomainError => {
  if (error instanceof DomainError) return error;
  if (error instanceof joseErrors.JWTExpired)
    return unauthenticated('auth.token_expired', 'the token has expired: sign in again');
  if (error instanceof joseErrors.JOSEError)
    return unauthenticated('auth.invalid_token', `the token is not valid (${error.code})`);
  return unauthenticated('auth.invalid_token', 'the token is not valid');
};

export interface TokenOptions {
  readonly issuer?: string;
  readonly ttlSeconds?: number;
  /** The platform's clock, which tokens are issued and checked on (default systemClock; tests pass a fixed one). */
  readonly now?: Clock;
  /** How many verified tokens are remembered until they expire (default 10,000; 0: none). */
  readonly verifiedCacheSize?: number;
}

export const DEFAULT_VERIFIED_CACHE_SIZE = 10_000;

/**
 * Tokens are issued and verified here. A token that verified once is remembered (an LRU cache,
 * lru-cache, bounded) until it expires: a token's signature and claims never change,
 * so a second check would only cost time (every gRPC call carries one). Whether its account
 * still exists and which roles it holds now is the service's business, checked on every call.
 */
export class JwtTokenService implements TokenService {
  private readonly verified: LRUCache<string, VerifiedToken> | undefined;

  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    private readonly publicJwk: JsonObject,
    private readonly algorithm: 'EdDSA' | 'ES256',
    private readonly issuer: string,
    private readonly ttlSeconds: number,
    private readonly now: Clock,
    cacheSize: number,
  ) {
    this.verified = cacheSize > 0 ? new LRUCache({ max: cacheSize }) : undefined;
  }

  static async create(privateJwk: JsonObject, options: TokenOptions = {}): Promise<JwtTokenService> {
    const algorithm = algorithmOf(privateJwk);
    const privateKey = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' });
    const publicKey = createPublicKey(privateKey);
    const exported = publicKey.export({ format: 'jwk' }) as JsonObject;
    const kid = await calculateJwkThumbprint(exported as JWK);
    const publicJwk: JsonObject = { ...exported, kid, alg: algorithm, use: 'sig' };
    return new JwtTokenService(
      privateKey,
      publicKey,
      publicJwk,
      algorithm,
      options.issuer ?? DEFAULT_ISSUER,
      options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
      options.now ?? systemClock,
      options.verifiedCacheSize ?? DEFAULT_VERIFIED_CACHE_SIZE,
    );
  }

  async issue(caller: TokenSubject, session?: { readonly sessionId: string }): Promise<IssuedToken> {
    if (caller.id.startsWith('system:'))
      throw new DomainError('auth.no_token_for_system', 'the system does not sign in', 'rule');
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAt = issuedAt + this.ttlSeconds;
    const tokenId = randomUUID();
    const claims = claimsOf(caller);
    if (session !== undefined) claims.sid = session.sessionId;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: this.algorithm, kid: this.publicJwk.kid as string, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(AUDIENCE)
      .setSubject(caller.id)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(tokenId)
      .sign(this.privateKey);
    return { token, expiresAt: new Date(expiresAt * 1000), tokenId };
  }

  async sessionOf(
    token: string,
  ): Promise<{ accountId: string; sessionId: string | undefined; tokenId: string | undefined }> {
    assertTokenShape(token);
    let issuedAt: unknown;
    try {
      issuedAt = decodeJwt(token).iat;
    } catch (error) {
      throw verifyError(error);
    }
    if (typeof issuedAt !== 'number') throw unauthenticated('auth.invalid_token', 'the token is not valid (no iat)');
    try {
      // Checked as at its issue: the signature, issuer and audience hold, whatever its expiry.
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer: this.issuer,
        audience: AUDIENCE,
        algorithms: [this.algorithm],
        currentDate: new Date(issuedAt * 1000),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      return { accountId: callerFromClaims(payload).id, ...idsOf(payload) };
    } catch (error) {
      throw verifyError(error);
    }
  }

  async verify(token: string): Promise<TokenSubject> {
    return (await this.inspect(token)).caller;
  }

  async inspect(token: string): Promise<VerifiedToken> {
    assertTokenShape(token);
    const now = this.now();
    const known = this.verified?.get(token);
    if (known !== undefined && known.expiresAt.getTime() > now.getTime()) return known;
    let result: VerifiedToken;
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer: this.issuer,
        audience: AUDIENCE,
        algorithms: [this.algorithm],
        currentDate: now,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      result = {
        caller: callerFromClaims(payload),
        expiresAt: new Date((payload.exp as number) * 1000),
        ...idsOf(payload),
      };
    } catch (error) {
      if (known !== undefined) this.verified?.delete(token);
      throw verifyError(error);
    }
    this.verified?.set(token, result);
    return result;
  }

  jwks(): Jwks {
    return { keys: [this.publicJwk] };
  }
}

/**
 * Verification for other services, with the identity service's public JWKS only:
 * `const verify = createTokenVerifier({ jwks }); const caller = await verify(token)`.
 */
export const createTokenVerifier = (options: {
  jwks: Jwks;
  issuer?: string;
  /** The clock the tokens' expiry is checked on (default the system's). */
  now?: Clock;
}): ((token: string) => Promise<TokenSubject>) => {
  const keys = createLocalJWKSet({ keys: options.jwks.keys as unknown as JWK[] });
  const issuer = options.issuer ?? DEFAULT_ISSUER;
  return async (token) => {
    assertTokenShape(token);
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience: AUDIENCE,
        algorithms: ['EdDSA', 'ES256'],
        ...(options.now ? { currentDate: options.now() } : {}),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      return callerFromClaims(payload);
    } catch (error) {
      throw verifyError(error);
    }
  };
};
