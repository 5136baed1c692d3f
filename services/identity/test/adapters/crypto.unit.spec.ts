import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, seal, SealError } from '../../src/adapters/aes-gcm.js';
import { EnvelopeEncryption } from '../../src/adapters/envelope-encryption.js';
import { InMemoryKeyVault } from '../../src/adapters/in-memory-key-vault.js';
import { hmacEmailIndex, MASTER_KEY_FILE, MasterKey, resolveMasterKey } from '../../src/adapters/master-key.js';
import { ScryptPasswordHasher } from '../../src/adapters/scrypt-password-hasher.js';

const key = Buffer.alloc(32, 7);

describe('AES-256-GCM sealing', () => {
  it('opens what it sealed, with the same key and place', () => {
    const sealed = seal(key, Buffer.from('藤原 陽子'), 'member-1');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('藤原');
    expect(open(key, sealed, 'member-1').toString()).toBe('藤原 陽子');
  });

  it('uses a fresh nonce each time: the same data never seals the same', () => {
    expect(seal(key, Buffer.from('x'), 'a')).not.toBe(seal(key, Buffer.from('x'), 'a'));
  });

  it('refuses another key, another place, or any change of the text', () => {
    const sealed = seal(key, Buffer.from('1234567'), 'member-1');
    expect(() => open(Buffer.alloc(32, 8), sealed, 'member-1')).toThrow(SealError);
    expect(() => open(key, sealed, 'member-2')).toThrow(SealError);
    const parts = sealed.split('.');
    const ciphertext = Buffer.from(parts[2]!, 'base64url');
    ciphertext[0] = ciphertext[0]! ^ 1;
    expect(() =>
      open(key, [parts[0], parts[1], ciphertext.toString('base64url'), parts[3]].join('.'), 'member-1'),
    ).toThrow(SealError);
    expect(() => open(key, 'garbage', 'member-1')).toThrow(SealError);
  });
});

describe('envelope encryption (one data key per person)', () => {
  it('seals with a draft key, opens once the key is persisted, and never after it is shredded', async () => {
    const vault = new InMemoryKeyVault();
    const protector = new EnvelopeEncryption(vault, MasterKey.generate());
    const draft = protector.newKey('member-1');
    const sealed = draft.seal({ name: '藤原 陽子' });
    await expect(protector.open('member-1', sealed)).rejects.toMatchObject({ code: 'identity.data_key_missing' });
    await draft.persist();
    await expect(protector.open('member-1', sealed)).resolves.toEqual({
      status: 'readable',
      data: { name: '藤原 陽子' },
    });
    await protector.shred('member-1');
    await expect(protector.open('member-1', sealed)).resolves.toEqual({ status: 'shredded' });
  });

  it('keeps the data key wrapped by the master key, bound to its owner', async () => {
    const vault = new InMemoryKeyVault();
    const master = MasterKey.generate();
    const protector = new EnvelopeEncryption(vault, master);
    const draft = protector.newKey('member-1');
    const sealed = draft.seal({ name: 'x' });
    await draft.persist();
    const stored = await vault.fetchKey('member-1');
    if (stored.state !== 'active') throw new Error('expected an active key');
    // Moved to another owner, the wrapped key does not open.
    await vault.storeKey('member-2', stored.wrapped);
    await expect(protector.open('member-2', sealed)).rejects.toThrow(SealError);
    // Another master key cannot unwrap it.
    await expect(new EnvelopeEncryption(vault, MasterKey.generate()).open('member-1', sealed)).rejects.toThrow(
      SealError,
    );
  });

  it('keeps data keys in use unwrapped in memory, a bounded number, and drops a key as it shreds it', async () => {
    const vault = new InMemoryKeyVault();
    let fetches = 0;
    const counting = Object.assign(Object.create(vault) as InMemoryKeyVault, {
      fetchKey: (ownerId: string) => {
        fetches++;
        return vault.fetchKey(ownerId);
      },
    });
    const protector = new EnvelopeEncryption(counting, MasterKey.generate(), 2);
    const sealed: Record<string, string> = {};
    for (const owner of ['member-1', 'member-2', 'member-3']) {
      const draft = protector.newKey(owner);
      sealed[owner] = draft.seal({ owner });
      await draft.persist();
    }
    await protector.open('member-1', sealed['member-1']!);
    await protector.open('member-1', sealed['member-1']!);
    expect(fetches).toBe(1);
    await protector.open('member-2', sealed['member-2']!);
    await protector.open('member-3', sealed['member-3']!); // the cache holds two: member-1 goes
    expect(fetches).toBe(3);
    await protector.open('member-1', sealed['member-1']!);
    expect(fetches).toBe(4);
    await protector.shred('member-1');
    await expect(protector.open('member-1', sealed['member-1']!)).resolves.toEqual({ status: 'shredded' });
    expect(fetches).toBe(5);
  });

  it('refuses a second key for the same owner', async () => {
    const protector = new EnvelopeEncryption(new InMemoryKeyVault(), MasterKey.generate());
    await protector.newKey('member-1').persist();
    await expect(protector.newKey('member-1').persist()).rejects.toMatchObject({ code: 'identity.data_key_exists' });
  });
});

describe('master key', () => {
  it('reads base64 of exactly 32 bytes, and nothing else', () => {
    const text = MasterKey.generate().toBase64();
    expect(MasterKey.fromBase64(text).toBase64()).toBe(text);
    expect(() => MasterKey.fromBase64(Buffer.alloc(16).toString('base64'))).toThrow(
      expect.objectContaining({ code: 'identity.invalid_master_key' }),
    );
    expect(() => MasterKey.fromBase64('not base64 at all!')).toThrow(
      expect.objectContaining({ code: 'identity.invalid_master_key' }),
    );
  });

  it('comes from IDENTITY_MASTER_KEY when set', () => {
    const text = MasterKey.generate().toBase64();
    expect(resolveMasterKey({ IDENTITY_MASTER_KEY: text }, 'postgres://x@y/z').toBase64()).toBe(text);
  });

  it('is required for a store other than the embedded one', () => {
    expect(() => resolveMasterKey({}, 'postgres://x@y/z')).toThrow(
      expect.objectContaining({ code: 'identity.master_key_missing' }),
    );
  });

  it('is generated once for an embedded store folder, kept there readable by its owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'identity-master-'));
    try {
      const first = resolveMasterKey({}, `embedded:${dir}`);
      const second = resolveMasterKey({}, `embedded:${dir}`);
      expect(second.toBase64()).toBe(first.toBase64());
      const file = join(dir, MASTER_KEY_FILE);
      expect(readFileSync(file, 'utf8').trim()).toBe(first.toBase64());
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keys the email index: the same email gives the same digest under one master key only', () => {
    const master = MasterKey.generate();
    const index = hmacEmailIndex(master);
    expect(index.digest('yoko@fujisato.example')).toMatch(/^[0-9a-f]{64}$/);
    expect(index.digest('yoko@fujisato.example')).toBe(
      hmacEmailIndex(MasterKey.fromBase64(master.toBase64())).digest('yoko@fujisato.example'),
    );
    expect(index.digest('yoko@fujisato.example')).not.toBe(
      hmacEmailIndex(MasterKey.generate()).digest('yoko@fujisato.example'),
    );
    expect(index.digest('yoko@fujisato.example')).not.toBe(index.digest('misaki@fujisato.example'));
  });
});

describe('scrypt passwords', () => {
  const hasher = new ScryptPasswordHasher({ N: 1024, r: 8, p: 1 });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hasher.hash('しらかみ山地のぶな林');
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    await expect(hasher.verify('しらかみ山地のぶな林', hash)).resolves.toBe(true);
    await expect(hasher.verify('しらかみ山地のぶな', hash)).resolves.toBe(false);
  });

  it('salts each hash: the same password hashes differently', async () => {
    expect(await hasher.hash('correct horse battery')).not.toBe(await hasher.hash('correct horse battery'));
  });

  it('answers false, after the same work, when there is no hash (unknown account) or a malformed one', async () => {
    await expect(hasher.verify('anything at all', undefined)).resolves.toBe(false);
    await expect(hasher.verify('anything at all', 'md5$abc')).resolves.toBe(false);
  });

  it('verifies hashes made at another cost (the cost travels with the hash)', async () => {
    const hash = await new ScryptPasswordHasher({ N: 2048, r: 8, p: 1 }).hash('raised cost later');
    await expect(hasher.verify('raised cost later', hash)).resolves.toBe(true);
  });
});
