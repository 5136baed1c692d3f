/**
 * deploy/k8s/dev-secrets.sh: writes the files the dev overlay's secretGenerator reads, in the
 * formats the services expect, keeps them across runs, and keeps them out of git.
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { k8sDir } from './support/k8s.js';

const script = path.join(k8sDir, 'dev-secrets.sh');

describe('dev-secrets.sh', () => {
  let dir = '';
  const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8');
  const runScript = (): string => {
    const result = spawnSync('sh', [script, dir], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`dev-secrets.sh failed: ${result.stderr}`);
    return result.stdout;
  };

  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(tmpdir(), 'workshare-secrets-')), 'secrets');
  });
  afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('writes exactly the files the dev overlay turns into Secrets', () => {
    runScript();
    const overlay = parseYaml(readFileSync(path.join(k8sDir, 'overlays/dev/kustomization.yaml'), 'utf8')) as {
      secretGenerator: { name: string; files: string[] }[];
    };
    const files = overlay.secretGenerator.flatMap((g) => g.files.map((f) => f.split('=').at(-1) ?? ''));
    expect(files.sort()).toEqual([
      'secrets/eventstore-url',
      'secrets/identity-master-key',
      'secrets/identity-signing-key.jwk',
      'secrets/postgres-password',
      'secrets/seal-key.pem',
    ]);
    for (const file of files) expect(statSync(path.join(path.dirname(dir), file)).isFile()).toBe(true);
  });

  it('the master key is base64 of 32 random bytes', () => {
    runScript();
    const key = read('identity-master-key');
    expect(key).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
  });

  it('the signing key is a private Ed25519 JWK (what identity accepts) that signs what its public half verifies', () => {
    runScript();
    const jwk = JSON.parse(read('identity-signing-key.jwk')) as Record<string, string>;
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(Buffer.from(jwk.d ?? '', 'base64url')).toHaveLength(32);
    const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    const signature = sign(null, Buffer.from('token'), privateKey);
    expect(verify(null, Buffer.from('token'), createPublicKey(privateKey), signature)).toBe(true);
    expect(verify(null, Buffer.from('tokens'), createPublicKey(privateKey), signature)).toBe(false);
  });

  it('the seal key is a PKCS#8 PEM Ed25519 private key (what the audit’s WORKSHARE_SEAL_KEY takes) that signs what its public half verifies', () => {
    runScript();
    const pem = read('seal-key.pem');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    const privateKey = createPrivateKey(pem);
    expect(privateKey.asymmetricKeyType).toBe('ed25519');
    const signature = sign(null, Buffer.from('seal'), privateKey);
    expect(verify(null, Buffer.from('seal'), createPublicKey(privateKey), signature)).toBe(true);
    expect(verify(null, Buffer.from('seals'), createPublicKey(privateKey), signature)).toBe(false);
    expect(statSync(path.join(dir, 'seal-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('the event store URL carries the generated PostgreSQL password; no value ends in a newline', () => {
    runScript();
    const password = read('postgres-password');
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    expect(read('eventstore-url')).toBe(`postgres://workshare:${password}@postgres:5432/workshare`);
    for (const name of ['postgres-password', 'eventstore-url', 'identity-master-key', 'identity-signing-key.jwk'])
      expect(read(name).endsWith('\n')).toBe(false);
  });

  it('keeps existing secrets on a second run; a deleted password is regenerated and the URL follows', () => {
    runScript();
    const names = [
      'postgres-password',
      'identity-master-key',
      'identity-signing-key.jwk',
      'eventstore-url',
      'seal-key.pem',
    ];
    const first = names.map(read);
    expect(runScript()).toMatch(/kept/);
    expect(names.map(read)).toEqual(first);

    unlinkSync(path.join(dir, 'postgres-password'));
    runScript();
    const password = read('postgres-password');
    expect(password).not.toBe(first[0]);
    expect(read('eventstore-url')).toContain(`:${password}@`);
    expect(read('identity-master-key')).toBe(first[1]);
  });

  it('the files are readable by their owner only', () => {
    runScript();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, 'identity-master-key')).mode & 0o777).toBe(0o600);
  });

  it('the default folder is git-ignored', () => {
    expect(readFileSync(path.join(k8sDir, '.gitignore'), 'utf8').split('\n')).toContain('overlays/dev/secrets/');
    expect(readFileSync(script, 'utf8')).toContain('dir=${1:-"$here/overlays/dev/secrets"}');
  });
});
