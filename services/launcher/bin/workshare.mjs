#!/usr/bin/env node
// The `workshare` command (src/main.ts: the whole platform; `workshare read-models ...`:
// src/read-models.ts; `workshare audit ...`: the accountant's questions, src/audit-main.ts).
// npm links this file at install time, before anything is built, so that `npx workshare` finds
// it; it builds the workspace once if the command is not built yet, then runs it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ENTRIES = { 'read-models': 'read-models-main.js', audit: 'audit-main.js' };
const entry = Object.hasOwn(ENTRIES, process.argv[2] ?? '') ? ENTRIES[process.argv[2]] : 'main.js';
const cli = new URL(`../dist/src/${entry}`, import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('workshare is not built yet: building the workspace (npm run build) first\n');
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (built.status !== 0 || !existsSync(cli)) {
    process.stderr.write('workshare: the build failed; run `npm run build` at the repository root and try again\n');
    process.exit(1);
  }
}
await import(cli.href);
