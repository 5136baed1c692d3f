import type { KeyVault } from '../../src/application/ports.js';

/** What every key vault adapter must do; run on the in-memory, embedded and PostgreSQL vaults. */
export const describeKeyVaultContract = (
  name: string,
  open: () => Promise<KeyVault>,
  close: (vault: KeyVault) => Promise<void> = (v) => v.close(),
): void => {
  describe(`key vault contract: ${name}`, () => {
    let vault: KeyVault;
    let n = 0;
    const owner = () => `member-contract-${Date.now().toString(36)}-${n++}`;
    beforeAll(async () => {
      vault = await open();
    });
    afterAll(async () => {
      await close(vault);
    });

    it('knows nothing of an owner it never saw', async () => {
      await expect(vault.fetchKey(owner())).resolves.toEqual({ state: 'absent' });
    });

    it('gives back the wrapped key it stored', async () => {
      const id = owner();
      await vault.storeKey(id, 'v1.wrapped.key.tag');
      await expect(vault.fetchKey(id)).resolves.toEqual({ state: 'active', wrapped: 'v1.wrapped.key.tag' });
    });

    it('refuses a second key for an owner, and keeps the first', async () => {
      const id = owner();
      await vault.storeKey(id, 'first');
      await expect(vault.storeKey(id, 'second')).rejects.toMatchObject({ code: 'identity.data_key_exists' });
      await expect(vault.fetchKey(id)).resolves.toEqual({ state: 'active', wrapped: 'first' });
    });

    it('destroys a key for good, keeping a tombstone with the time; destroying again changes nothing', async () => {
      const id = owner();
      await vault.storeKey(id, 'doomed');
      const before = Date.now() - 60_000;
      await vault.destroyKey(id);
      const destroyed = await vault.fetchKey(id);
      expect(destroyed.state).toBe('destroyed');
      if (destroyed.state !== 'destroyed') return;
      expect(destroyed.destroyedAt.getTime()).toBeGreaterThan(before);
      expect(JSON.stringify(destroyed)).not.toContain('doomed');
      await vault.destroyKey(id);
      await expect(vault.fetchKey(id)).resolves.toEqual(destroyed);
      await expect(vault.storeKey(id, 'resurrected')).rejects.toMatchObject({ code: 'identity.data_key_exists' });
    });

    it('tombstones an owner destroyed before any key was stored', async () => {
      const id = owner();
      await vault.destroyKey(id);
      await expect(vault.fetchKey(id)).resolves.toMatchObject({ state: 'destroyed' });
    });

    it('keeps the first of several secrets stored under one name', async () => {
      const name = `secret-${owner()}`;
      await expect(vault.storeSecretOnce(name, 'one')).resolves.toBe('one');
      await expect(vault.storeSecretOnce(name, 'two')).resolves.toBe('one');
      const racing = await Promise.all([
        vault.storeSecretOnce(`${name}-race`, 'a'),
        vault.storeSecretOnce(`${name}-race`, 'b'),
      ]);
      expect(racing[0]).toBe(racing[1]);
    });
  });
};
