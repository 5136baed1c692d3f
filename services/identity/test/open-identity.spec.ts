import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyLog } from '@workshare/eventstore';
import { generateSigningKey } from '../src/adapters/jwt-tokens.js';
import { InMemoryKeyVault } from '../src/adapters/in-memory-key-vault.js';
import { MasterKey } from '../src/adapters/master-key.js';
import { openIdentityService } from '../src/open-identity.js';
import { memberInput } from './application/identity-service.suite.js';
import { as } from './support/context.js';

const PASSWORD = 'correct horse battery staple';
const FAST = { N: 1024, r: 8, p: 1 };

describe('openIdentityService (composition root)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'identity-open-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps everything in the embedded store’s folder across restarts: members, keys, and the signing key', async () => {
    const url = `embedded:${dir}`;
    const first = await openIdentityService({ env: {}, storeUrl: url, scryptCost: FAST });
    await first.service.bootstrapOperator({ name: '北村 彩', email: 'aya@polaris.example', password: PASSWORD });
    const operator = (await first.service.login('aya@polaris.example', PASSWORD)).caller;
    const input = memberInput();
    const { memberId } = await first.service.registerMember(as(operator), input);
    const { token } = await first.service.login(input.email, input.password);
    const jwks = first.service.jwks();
    await first.close();

    const second = await openIdentityService({ env: {}, storeUrl: url, scryptCost: FAST });
    try {
      expect(second.service.jwks()).toEqual(jwks);
      const caller = await second.service.verifyToken(token);
      await expect(second.service.getMember(as(caller), memberId)).resolves.toMatchObject({
        personalData: { status: 'readable', name: input.name },
      });
      await expect(
        second.service.bootstrapOperator({ name: 'x', email: 'x@polaris.example', password: PASSWORD }),
      ).rejects.toMatchObject({
        code: 'identity.already_bootstrapped',
      });
      const verification = await verifyLog(second.store);
      expect(verification.breaks).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('refuses to start with a master key other than the one the vault was set up with', async () => {
    const url = `embedded:${dir}`;
    const first = await openIdentityService({
      env: { IDENTITY_MASTER_KEY: MasterKey.generate().toBase64() },
      storeUrl: url,
      scryptCost: FAST,
    });
    await first.close();
    await expect(
      openIdentityService({
        env: { IDENTITY_MASTER_KEY: MasterKey.generate().toBase64() },
        storeUrl: url,
        scryptCost: FAST,
      }),
    ).rejects.toMatchObject({
      code: 'identity.master_key_mismatch',
    });
  });

  it('signs with IDENTITY_SIGNING_KEY and names itself after IDENTITY_ISSUER when set', async () => {
    const signingKey = generateSigningKey();
    const runtime = await openIdentityService({
      env: { IDENTITY_SIGNING_KEY: JSON.stringify(signingKey), IDENTITY_ISSUER: 'fujisato-test' },
      storeUrl: 'embedded:memory',
      scryptCost: FAST,
    });
    try {
      expect(runtime.service.jwks().keys[0]).toMatchObject({ x: signingKey.x });
      await runtime.service.bootstrapOperator({ name: '北村 彩', email: 'aya@polaris.example', password: PASSWORD });
      const { token } = await runtime.service.login('aya@polaris.example', PASSWORD);
      expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toMatchObject({
        iss: 'fujisato-test',
      });
    } finally {
      await runtime.close();
    }
  });

  it('asks for a key vault database when the store is KurrentDB', async () => {
    await expect(
      openIdentityService({
        env: { IDENTITY_MASTER_KEY: MasterKey.generate().toBase64() },
        storeUrl: 'kurrentdb://127.0.0.1:1?tls=false',
        store: {} as never,
      }),
    ).rejects.toMatchObject({ code: 'identity.key_vault_url_missing' });
  });

  it('asks where the read models are to be kept when the store is KurrentDB', async () => {
    await expect(
      openIdentityService({
        env: { IDENTITY_MASTER_KEY: MasterKey.generate().toBase64() },
        storeUrl: 'kurrentdb://127.0.0.1:1?tls=false',
        store: {} as never,
        keyVault: new InMemoryKeyVault(),
      }),
    ).rejects.toMatchObject({ code: 'projections.store_required' });
  });
});
