#!/usr/bin/env node
// Checks the contracts in proto/ (run by `npm run proto:check` and by test/proto.unit.spec.ts):
//   1. `buf lint` (STANDARD rules, proto/buf.yaml);
//   2. `buf breaking` (FILE rules) of the working tree against the module as it was in the
//      previous commit (`--against <repo>/.git#ref=HEAD~1,subdir=proto`).
// The breaking check is skipped, with the reason printed, where there is nothing to compare
// with: not a git checkout, git missing, no previous commit (first commit, shallow clone), or
// a previous commit without a buf module in proto/. Lint failures and breaking changes fail.
//
// Options: --repo <dir> (default: the repository holding this package),
//          --module <dir> (default: <repo>/proto),
//          --against <git ref> (default: $PROTO_BREAKING_AGAINST or HEAD~1).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const bufBin = join(dirname(require.resolve('@bufbuild/buf/package.json')), 'bin/buf');

const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) {
    console.error(`--${name} needs a value`);
    process.exit(2);
  }
  return value;
};

const repoDir = resolve(option('repo', resolve(packageDir, '../..')));
const moduleDir = resolve(option('module', join(repoDir, 'proto')));
const against = option('against', process.env.PROTO_BREAKING_AGAINST || 'HEAD~1');

const buf = (args) => spawnSync(process.execPath, [bufBin, ...args], { cwd: moduleDir, encoding: 'utf8' });

const git = (args) => {
  const run = spawnSync('git', ['-C', repoDir, ...args], { encoding: 'utf8' });
  return { ok: !run.error && run.status === 0, missing: run.error?.code === 'ENOENT', out: (run.stdout ?? '').trim() };
};

const report = (label, run) => {
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
  if (run.error) {
    console.error(`${label}: could not run buf: ${run.error.message}`);
    return false;
  }
  if (run.status !== 0) {
    console.error(`${label}: FAILED (exit ${run.status ?? run.signal})\n${output}`);
    return false;
  }
  console.log(`${label}: ok${output ? `\n${output}` : ''}`);
  return true;
};

/** Why the breaking check cannot run, or the buf input to compare with. */
const previousModule = () => {
  const version = git(['--version']);
  if (version.missing) return { skip: 'git is not installed' };
  const top = git(['rev-parse', '--show-toplevel']);
  if (!top.ok) return { skip: `${repoDir} is not a git checkout` };
  const gitDir = join(top.out, '.git');
  if (!existsSync(gitDir) || !statSync(gitDir).isDirectory())
    return { skip: `${top.out} has no .git directory (a worktree or submodule)` };
  const subdir = relative(top.out, moduleDir).split(sep).join('/');
  if (subdir === '' || subdir.startsWith('..'))
    return { skip: `${moduleDir} is not inside the git checkout ${top.out}` };
  const commit = git(['rev-parse', '--verify', '--quiet', `${against}^{commit}`]);
  if (!commit.ok) return { skip: `there is no commit ${against} (first commit, or a shallow clone)` };
  const short = commit.out.slice(0, 12);
  if (!git(['cat-file', '-e', `${commit.out}:${subdir}/buf.yaml`]).ok) {
    return { skip: `the previous commit ${against} (${short}) has no buf module in ${subdir}/` };
  }
  const files = git(['ls-tree', '-r', '--name-only', commit.out, '--', `${subdir}/`]);
  if (!files.ok || !files.out.split('\n').some((f) => f.endsWith('.proto'))) {
    return { skip: `the previous commit ${against} (${short}) has no .proto files in ${subdir}/` };
  }
  return { input: `${gitDir}#ref=${commit.out},subdir=${subdir}`, label: `${against} (${short})` };
};

if (!existsSync(join(moduleDir, 'buf.yaml'))) {
  console.error(`no buf module at ${moduleDir}`);
  process.exit(1);
}

let ok = report('buf lint', buf(['lint']));

const previous = previousModule();
if ('skip' in previous) {
  console.log(`buf breaking: skipped: ${previous.skip}`);
} else {
  ok = report(`buf breaking against ${previous.label}`, buf(['breaking', '--against', previous.input])) && ok;
}
process.exit(ok ? 0 : 1);
