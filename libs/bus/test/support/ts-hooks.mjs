// Module hooks that let a child process run this package's TypeScript sources directly, as jest
// does for the tests: `.ts` files are compiled by swc on load, `./x.js` imports find `./x.ts`, and
// `@workshare/<name>` resolves to libs/<name>/src/index.ts. Used by the relay fault test, whose
// relay runs in a process of its own so that it can be killed with SIGKILL.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';
import { transform } from '@swc/core';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

export async function resolve(specifier, context, nextResolve) {
  const workspace = /^@workshare\/([a-z-]+)$/.exec(specifier);
  if (workspace) {
    const file = join(repoRoot, 'libs', workspace[1], 'src', 'index.ts');
    if (existsSync(file)) return { url: pathToFileURL(file).href, shortCircuit: true };
  }
  if (
    /^\.{1,2}\//.test(specifier) &&
    specifier.endsWith('.js') &&
    context.parentURL &&
    context.parentURL.endsWith('.ts')
  ) {
    const url = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.endsWith('.ts')) {
    const filename = fileURLToPath(url);
    const { code } = await transform(readFileSync(filename, 'utf8'), {
      filename,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022', keepClassNames: true },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    });
    return { format: 'module', source: code, shortCircuit: true };
  }
  return nextLoad(url, context);
}
