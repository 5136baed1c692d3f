import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

// The contract checks of proto/ (buf lint, buf breaking against the previous commit) run here
// so that `npm test` runs them; the other cases prove the checks can fail.

const packageDir = resolve(__dirname, '..');
const repoDir = resolve(packageDir, '../..');
const moduleDir = join(repoDir, 'proto');
const checkScript = join(packageDir, 'scripts/proto-check.mjs');
const bufBin = join(dirname(require.resolve('@bufbuild/buf/package.json')), 'bin/buf');

const run = (command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> =>
  spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, PROTO_BREAKING_AGAINST: '' } });
const buf = (args: readonly string[], cwd: string): SpawnSyncReturns<string> =>
  run(process.execPath, [bufBin, ...args], cwd);
const outputOf = (r: SpawnSyncReturns<string>): string => `${r.stdout}${r.stderr}`;

const scratchDirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'workshare-proto-test-'));
  scratchDirs.push(dir);
  return dir;
};
/** A copy of the real module to change. */
const copyOfModule = (): string => {
  const dir = join(scratch(), 'proto');
  cpSync(moduleDir, dir, { recursive: true });
  return dir;
};
const identityProto = (module: string): string => join(module, 'workshare/identity/v1/identity.proto');
const edit = (file: string, from: string, to: string): void => {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
  writeFileSync(file, text.replace(from, to));
};

afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

describe('proto/ contract checks', () => {
  it('pass on the repository: buf lint, and buf breaking against the previous commit (or a printed reason to skip it)', () => {
    const result = run(process.execPath, [checkScript], packageDir);
    console.log(`proto:check\n${outputOf(result).trim()}`);
    expect(outputOf(result)).toContain('buf lint: ok');
    expect(outputOf(result)).toMatch(/buf breaking(?: against .*: ok|: skipped: .+)/);
    expect(result.status).toBe(0);
  });

  it('buf lint applies the STANDARD rules: a badly named field and an enum without a zero UNSPECIFIED value fail', () => {
    const module = copyOfModule();
    edit(
      identityProto(module),
      'string member_id = 1;\n  // The region she works in',
      'string memberId = 1;\n  // The region she works in',
    );
    edit(identityProto(module), 'ROLE_KIND_UNSPECIFIED = 0;', 'ROLE_KIND_NONE = 0;');
    const result = buf(['lint'], module);
    expect(result.status).not.toBe(0);
    expect(outputOf(result)).toContain('Field name "memberId" should be lower_snake_case');
    expect(outputOf(result)).toContain('Enum zero value name "ROLE_KIND_NONE" should be suffixed with "_UNSPECIFIED"');
  });

  it('buf breaking applies the FILE rules: a deleted field and a renumbered one are breaking, a new field is not', () => {
    const module = copyOfModule();
    const before = join(scratch(), 'before.binpb');
    expect(buf(['build', '-o', before], moduleDir).status).toBe(0);

    edit(
      identityProto(module),
      'string holder_name_kana = 5;',
      'string holder_name_kana = 5;\n  string nickname_kana = 6;',
    );
    const compatible = buf(['breaking', '--against', before], module);
    expect(outputOf(compatible)).toBe('');
    expect(compatible.status).toBe(0);

    edit(identityProto(module), '  string password = 2;\n}', '}');
    edit(identityProto(module), 'string token = 1;', 'string token = 2;');
    const breaking = buf(['breaking', '--against', before], module);
    expect(breaking.status).not.toBe(0);
    expect(outputOf(breaking)).toContain(
      'Previously present field "2" with name "password" on message "LoginRequest" was deleted',
    );
    expect(outputOf(breaking)).toContain(
      'Previously present field "1" with name "token" on message "VerifyTokenRequest" was deleted',
    );
  });
});

describe('proto:check against the previous commit of a git history', () => {
  const git = (repo: string, ...args: string[]): void => {
    const r = run(
      'git',
      [
        '-C',
        repo,
        '-c',
        'user.name=Proto Check',
        '-c',
        'user.email=proto@example.invalid',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ],
      repo,
    );
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${outputOf(r)}`);
  };
  const check = (repo: string): SpawnSyncReturns<string> =>
    run(process.execPath, [checkScript, '--repo', repo], packageDir);

  it('skips on a first commit and on a previous commit without a module, then catches a breaking change', () => {
    if (run('git', ['--version'], tmpdir()).status !== 0) {
      console.log('git is not installed: the scratch-history checks of proto:check cannot run here');
      return;
    }
    const repo = scratch();
    git(repo, 'init', '--quiet', '--initial-branch=main');
    writeFileSync(join(repo, 'README.md'), 'a repository\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '--quiet', '-m', 'first');

    cpSync(moduleDir, join(repo, 'proto'), { recursive: true });
    const first = check(repo);
    expect(outputOf(first)).toMatch(/buf breaking: skipped: there is no commit HEAD~1/);
    expect(first.status).toBe(0);

    git(repo, 'add', '.');
    git(repo, 'commit', '--quiet', '-m', 'contracts');
    const noModule = check(repo);
    expect(outputOf(noModule)).toMatch(
      /skipped: the previous commit HEAD~1 \([0-9a-f]+\) has no buf module in proto\//,
    );
    expect(noModule.status).toBe(0);

    edit(
      identityProto(join(repo, 'proto')),
      'string holder_name_kana = 5;',
      'string holder_name_kana = 5;\n  string nickname_kana = 6;',
    );
    git(repo, 'commit', '--quiet', '-am', 'a new field');
    const compatible = check(repo);
    expect(outputOf(compatible)).toMatch(/buf breaking against HEAD~1 \([0-9a-f]+\): ok/);
    expect(compatible.status).toBe(0);

    edit(identityProto(join(repo, 'proto')), 'string nickname_kana = 6;', 'int32 nickname_kana = 6;');
    git(repo, 'commit', '--quiet', '-am', 'a changed type');
    const breaking = check(repo);
    expect(outputOf(breaking)).toMatch(/buf breaking against HEAD~1 .*: FAILED/);
    expect(outputOf(breaking)).toContain(
      '"nickname_kana" on message "BankAccount" changed type from "string" to "int32"',
    );
    expect(breaking.status).toBe(1);
  });

  it('skips outside a git checkout, saying so', () => {
    const dir = scratch();
    cpSync(moduleDir, join(dir, 'proto'), { recursive: true });
    const result = check(dir);
    expect(outputOf(result)).toContain(`buf breaking: skipped: ${dir} is not a git checkout`);
    expect(result.status).toBe(0);
  });

  it('fails when buf lint fails', () => {
    const dir = scratch();
    cpSync(moduleDir, join(dir, 'proto'), { recursive: true });
    edit(identityProto(join(dir, 'proto')), 'service IdentityService {', 'service Identity {');
    const result = check(dir);
    expect(outputOf(result)).toContain('buf lint: FAILED');
    expect(outputOf(result)).toContain('Service name "Identity" should be suffixed with "Service"');
    expect(result.status).toBe(1);
  });
});
