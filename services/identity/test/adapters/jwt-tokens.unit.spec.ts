import { createPrivateKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import type { JsonObject } from '@workshare/eventsourcing';
import {
  callerFromClaims,
  createTokenVerifier,
  generateSigningKey,
  JwtTokenService,
  parseSigningKey,
} from '../../src/adapters/jwt-tokens.js';
import { tokenSubject } from '../../src/application/ports.js';

const ID = '01900000-0000-7000-8000-000000000001';
const coordinator = tokenSubject(
  ID,
  'member',
  [{ kind: 'member' }, { kind: 'coordinator', regionId: 'fujisato' }],
  'fujisato',
);
const businessUser = tokenSubject(ID, 'user', [{ kind: 'business', businessId: 'b-1' }]);
const at = (iso: string) => () => new Date(iso);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const payloadOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('signed tokens', () => {
  let tokens: JwtTokenService;
  beforeAll(async () => {
    tokens = await JwtTokenService.create(generateSigningKey());
  });

  it('issues a token that verifies back to the same caller, with the documented claims', async () => {
    const { token, expiresAt } = await tokens.issue(coordinator);
    await expect(tokens.verify(token)).resolves.toEqual(coordinator);
    const claims = payloadOf(token);
    expect(claims).toMatchObject({
      iss: 'workshare-identity',
      aud: 'workshare',
      sub: ID,
      kind: 'member',
      roles: ['member', 'coordinator'],
      regions: ['fujisato'],
      region: 'fujisato',
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(15 * 60);
    expect(expiresAt.getTime()).toBe((claims.exp as number) * 1000);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({
      alg: 'EdDSA',
      kid: tokens.jwks().keys[0]!.kid,
    });
  });

  it('carries a business user’s business', async () => {
    const { token } = await tokens.issue(businessUser);
    expect(payloadOf(token)).toMatchObject({ roles: ['business'], businessId: 'b-1', regions: [] });
    await expect(tokens.verify(token)).resolves.toEqual(businessUser);
  });

  it('carries its session and its own id, and names them whether it has expired or not', async () => {
    const key = generateSigningKey();
    const issuer = await JwtTokenService.create(key, { now: at('2026-01-05T00:00:00Z') });
    const { token, tokenId } = await issuer.issue(coordinator, { sessionId: 'session-7' });
    expect(payloadOf(token)).toMatchObject({ sid: 'session-7', jti: tokenId });
    await expect(issuer.inspect(token)).resolves.toMatchObject({ sessionId: 'session-7', tokenId });
    const later = await JwtTokenService.create(key, { now: at('2026-01-06T00:00:00Z') });
    await expect(later.inspect(token)).rejects.toMatchObject({ code: 'auth.token_expired' });
    await expect(later.sessionOf(token)).resolves.toEqual({ accountId: ID, sessionId: 'session-7', tokenId });
    // Expired or not, the signature must hold, and the issuer must be this one.
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = Buffer.from(signature, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    await expect(later.sessionOf(`${header}.${payload}.${flipped.toString('base64url')}`)).rejects.toMatchObject({
      code: 'auth.invalid_token',
    });
    const stranger = await JwtTokenService.create(generateSigningKey());
    await expect(stranger.sessionOf(token)).rejects.toMatchObject({ code: 'auth.invalid_token' });
    const { token: sessionless } = await issuer.issue(coordinator);
    await expect(issuer.sessionOf(sessionless)).resolves.toMatchObject({ sessionId: undefined });
  });

  it('refuses an expired token (the same key, the clock 15 minutes and a second on)', async () => {
    const key = generateSigningKey();
    const issuer = await JwtTokenService.create(key, { now: at('2026-01-05T00:00:00Z') });
    const { token } = await issuer.issue(coordinator);
    await expect(
      (await JwtTokenService.create(key, { now: at('2026-01-05T00:14:59Z') })).verify(token),
    ).resolves.toEqual(coordinator);
    await expect(
      (await JwtTokenService.create(key, { now: at('2026-01-05T00:15:01Z') })).verify(token),
    ).rejects.toMatchObject({
      code: 'auth.token_expired',
      kind: 'unauthenticated',
    });
  });

  it('remembers a verified token until it expires, and refuses it after, from memory or not', async () => {
    let clock = new Date('2026-01-05T00:00:00Z');
    const service = await JwtTokenService.create(generateSigningKey(), { now: () => clock });
    const { token, expiresAt, tokenId } = await service.issue(coordinator);
    await expect(service.inspect(token)).resolves.toEqual({
      caller: coordinator,
      expiresAt,
      sessionId: undefined,
      tokenId,
    });
    const remembered = await service.inspect(token);
    expect(await service.inspect(token)).toBe(remembered);
    clock = new Date(expiresAt.getTime());
    await expect(service.inspect(token)).rejects.toMatchObject({ code: 'auth.token_expired' });
    clock = new Date(expiresAt.getTime() - 1000);
    await expect(service.verify(token)).resolves.toEqual(coordinator);
  });

  it('remembers a bounded number of tokens, and a tampered one never', async () => {
    const service = await JwtTokenService.create(generateSigningKey(), { verifiedCacheSize: 1 });
    const first = (await service.issue(coordinator)).token;
    const second = (await service.issue(businessUser)).token;
    const a = await service.inspect(first);
    await service.inspect(second); // pushes the first out
    expect(await service.inspect(first)).not.toBe(a);
    expect(await service.inspect(first)).toEqual(a);
    const [header, payload, signature] = first.split('.') as [string, string, string];
    const flipped = Buffer.from(signature, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    await expect(service.inspect(`${header}.${payload}.${flipped.toString('base64url')}`)).rejects.toMatchObject({
      code: 'auth.invalid_token',
    });
  });

  it('refuses a token whose claims were changed (an extra role), or whose signature was', async () => {
    const { token } = await tokens.issue(tokenSubject(ID, 'member', [{ kind: 'member' }], 'fujisato'));
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const promoted = b64({
      ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
      roles: ['member', 'operator'],
    });
    await expect(tokens.verify(`${header}.${promoted}.${signature}`)).rejects.toMatchObject({
      code: 'auth.invalid_token',
      kind: 'unauthenticated',
    });
    const flipped = Buffer.from(signature, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    await expect(tokens.verify(`${header}.${payload}.${flipped.toString('base64url')}`)).rejects.toMatchObject({
      code: 'auth.invalid_token',
    });
  });

  it('refuses a token signed with another key, an unsigned one, and garbage', async () => {
    const stranger = await JwtTokenService.create(generateSigningKey());
    await expect(tokens.verify((await stranger.issue(coordinator)).token)).rejects.toMatchObject({
      code: 'auth.invalid_token',
    });
    const unsigned = new UnsecuredJWT({ kind: 'member', roles: ['operator'], regions: [] })
      .setSubject(ID)
      .setIssuer('workshare-identity')
      .setAudience('workshare')
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode();
    await expect(tokens.verify(unsigned)).rejects.toMatchObject({ code: 'auth.invalid_token' });
    await expect(tokens.verify('not.a.token')).rejects.toMatchObject({ code: 'auth.invalid_token' });
    await expect(tokens.verify('')).rejects.toMatchObject({ code: 'auth.missing_token' });
  });

  it('refuses a token of another issuer or audience, even with the right key', async () => {
    const key = generateSigningKey();
    const other = await JwtTokenService.create(key, { issuer: 'someone-else' });
    const ours = await JwtTokenService.create(key);
    await expect(ours.verify((await other.issue(coordinator)).token)).rejects.toMatchObject({
      code: 'auth.invalid_token',
    });
    const foreignAudience = await new SignJWT({ kind: 'member', roles: ['member'], regions: [] })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject(ID)
      .setIssuer('workshare-identity')
      .setAudience('another-platform')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(createPrivateKey({ key: key as JsonWebKey, format: 'jwk' }));
    await expect(ours.verify(foreignAudience)).rejects.toMatchObject({ code: 'auth.invalid_token' });
  });

  it('lets other services verify with the public JWKS alone (no private part published)', async () => {
    const jwks = tokens.jwks();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const verify = createTokenVerifier({ jwks });
    await expect(verify((await tokens.issue(coordinator)).token)).resolves.toEqual(coordinator);
    const stranger = await JwtTokenService.create(generateSigningKey());
    await expect(verify((await stranger.issue(coordinator)).token)).rejects.toMatchObject({
      code: 'auth.invalid_token',
    });
  });

  it('signs ES256 with a P-256 key from IDENTITY_SIGNING_KEY', async () => {
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const es = await JwtTokenService.create(parseSigningKey(JSON.stringify(jwk)));
    const { token } = await es.issue(coordinator);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'ES256' });
    await expect(createTokenVerifier({ jwks: es.jwks() })(token)).resolves.toEqual(coordinator);
  });

  it('refuses a signing key that is not a private Ed25519 or P-256 JWK', () => {
    expect(() => parseSigningKey('{')).toThrow(expect.objectContaining({ code: 'identity.invalid_signing_key' }));
    const publicOnly: JsonObject = { ...generateSigningKey() };
    delete publicOnly.d;
    expect(() => parseSigningKey(JSON.stringify(publicOnly))).toThrow(
      expect.objectContaining({ code: 'identity.invalid_signing_key' }),
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    expect(() => parseSigningKey(JSON.stringify(rsa))).toThrow(
      expect.objectContaining({ code: 'identity.invalid_signing_key' }),
    );
  });

  it('refuses claims that do not fit together', () => {
    const base = { sub: ID, kind: 'member', roles: ['member'], regions: [] };
    expect(callerFromClaims(base)).toEqual(tokenSubject(ID, 'member', [{ kind: 'member' }]));
    for (const bad of [
      { ...base, sub: '' },
      { ...base, kind: 'system' },
      { ...base, roles: ['member', 'king'] },
      { ...base, roles: ['coordinator'] },
      { ...base, regions: ['fujisato'] },
      { ...base, roles: ['business'] },
      { ...base, businessId: 'b-1' },
      { ...base, regions: 'fujisato' },
    ]) {
      expect(() => callerFromClaims(bad)).toThrow(expect.objectContaining({ code: 'auth.invalid_token' }));
    }
  });
});
