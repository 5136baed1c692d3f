import { DomainError, type JsonObject } from '@workshare/eventsourcing';
import { SealError } from './aes-gcm.js';
import { generateSigningKey, parseSigningKey } from './jwt-tokens.js';
import type { MasterKey } from './master-key.js';
import type { KeyVault } from '../application/ports.js';

export const SIGNING_KEY_SECRET = 'token-signing-key';

/**
 * The private key tokens are signed with: IDENTITY_SIGNING_KEY when set (a private JWK),
 * otherwise one generated on first start and kept in the key vault, wrapped by the master key
 * (the first of several processes starting together wins; the others use its key).
 */
export const loadSigningKey = async (
  env: Readonly<Record<string, string | undefined>>,
  vault: KeyVault,
  master: MasterKey,
): Promise<JsonObject> => {
  const configured = env.IDENTITY_SIGNING_KEY;
  if (configured !== undefined && configured.trim() !== '') return parseSigningKey(configured);
  const purpose = `secret:${SIGNING_KEY_SECRET}`;
  const candidate = master.wrap(Buffer.from(JSON.stringify(generateSigningKey()), 'utf8'), purpose);
  const stored = await vault.storeSecretOnce(SIGNING_KEY_SECRET, candidate);
  try {
    return parseSigningKey(master.unwrap(stored, purpose).toString('utf8'));
  } catch (error) {
    if (error instanceof SealError) {
      throw new DomainError(
        'identity.master_key_mismatch',
        'the token signing key in the key vault does not open with this master key: IDENTITY_MASTER_KEY is not the one this store was set up with',
        'rule',
      );
    }
    throw error;
  }
};
