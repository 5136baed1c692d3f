#!/usr/bin/env node
// The `workshare-store` command (src/cli.ts). npm links this file at install time, before
// anything is built, so that `npx workshare-store` finds it; it builds the workspace once (output on stderr) if
// the command is not built yet, then runs it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('workshare-store is not built yet: building the workspace (npm run build) first\n');
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (built.status !== 0 || !existsSync(cli)) {
    process.stderr.write(
      'workshare-store: the build failed; run `npm run build` at the repository root and try again\n',
    );
    process.exit(1);
  }
}
await import(cli.href);
