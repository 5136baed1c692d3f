#!/usr/bin/env node
// Builds @workshare/proto: generates src/gen/ (scripts/generate.mjs), then compiles to dist/
// unless dist/ was already compiled from exactly these sources (a stamp in dist/). Packages
// that use the generated code (libs/grpc) run it before their own build, so each works from a
// fresh clone on its own, and a second run costs a hash, not a compile.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(packageDir, 'dist/.inputs-sha256');
const require = createRequire(import.meta.url);

const run = (args) => {
  const result = spawnSync(process.execPath, args, { cwd: packageDir, stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const filesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });

run([join(packageDir, 'scripts/generate.mjs')]);

const inputs = [
  ...filesUnder(join(packageDir, 'src')),
  join(packageDir, 'tsconfig.build.json'),
  join(packageDir, '../../tsconfig.base.json'),
  join(packageDir, 'package.json'),
  require.resolve('typescript/package.json'),
].sort();
const hash = createHash('sha256');
for (const file of inputs)
  hash
    .update(`${relative(packageDir, file)}\0`)
    .update(readFileSync(file))
    .update('\0');
const digest = hash.digest('hex');

if (!process.argv.includes('--force') && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === digest) {
  console.log('dist is up to date with src');
  process.exit(0);
}
run([require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
writeFileSync(stampFile, `${digest}\n`);
console.log('compiled src to dist');
