// Shared jest settings for every workspace package: TypeScript through swc, workspace
// libraries resolved to their sources (no build needed to test), ESM-style ".js"
// import suffixes mapped back to the TypeScript files.
const path = require('node:path');

const fs = require('node:fs');

const root = __dirname;

/** `@workshare/<name>` → the package's TypeScript entry, for every library and service. */
/** `@workshare/<name>/contract` → a service's published contract (its enums and limits). */
const workspaceContracts = Object.fromEntries(
  ['services'].flatMap((folder) =>
    fs
      .readdirSync(path.join(root, folder), { withFileTypes: true })
      .filter(
        (entry) => entry.isDirectory() && fs.existsSync(path.join(root, folder, entry.name, 'src', 'contract.ts')),
      )
      .map((entry) => [
        `^@workshare/${entry.name}/contract$`,
        path.join(root, folder, entry.name, 'src', 'contract.ts'),
      ]),
  ),
);

const workspaceSources = Object.fromEntries(
  ['libs', 'services'].flatMap((folder) =>
    fs
      .readdirSync(path.join(root, folder), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, folder, entry.name, 'src', 'index.ts')))
      .map((entry) => [`^@workshare/${entry.name}$`, path.join(root, folder, entry.name, 'src', 'index.ts')]),
  ),
);

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)sx?$': [
      '@swc/jest',
      {
        jsc: { target: 'es2022', parser: { syntax: 'typescript' }, keepClassNames: true },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@workshare/telemetry/logger$': path.join(root, 'libs', 'telemetry', 'src', 'logger.ts'),
    ...workspaceContracts,
    ...workspaceSources,
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  // ESM-only dependencies are compiled to CommonJS with the tests (jose; temporal-polyfill; typebox, whose files are
  // .mjs, under the gateway's schemas; content-disposition, required by @fastify/static under the docs page; cookie,
  // required by fastify.inject).
  transformIgnorePatterns: [
    '/node_modules/(?!(jose|content-disposition|cookie|temporal-polyfill|temporal-utils|typebox)/)',
  ],
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  testTimeout: 60_000,
  maxWorkers: process.env.CI ? 2 : '50%',
};
