import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a random 96-bit nonce, as one text: `v1.<nonce>.<ciphertext>.<tag>`
 * (base64url). The additional authenticated data binds a ciphertext to its place (whose data,
 * which purpose), so a sealed value moved to another member's event does not open.
 */
const VERSION = 'v1';

export class SealError extends Error {
  override readonly name = 'SealError';
}

export const seal = (key: Uint8Array, plaintext: Uint8Array, aad: string): string => {
  if (key.length !== 32) throw new SealError('AES-256-GCM needs a 32-byte key');
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [
    VERSION,
    nonce.toString('base64url'),
    ciphertext.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
};

/** The plaintext, or a SealError when the text is malformed, the key wrong, or anything was changed. */
export const open = (key: Uint8Array, sealed: string, aad: string): Buffer => {
  const parts = typeof sealed === 'string' ? sealed.split('.') : [];
  if (parts.length !== 4 || parts[0] !== VERSION)
    throw new SealError('not a sealed value (v1.<nonce>.<ciphertext>.<tag>)');
  const [, nonce, ciphertext, tag] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer, Buffer];
  if (nonce.length !== 12 || tag.length !== 16) throw new SealError('sealed value has a malformed nonce or tag');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new SealError('sealed value does not open: wrong key, or it was changed');
  }
};
