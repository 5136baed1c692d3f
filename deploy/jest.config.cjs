// kubernetes-models and its @kubernetes-models/* helpers ship as ES modules exported under the
// "import" condition only, which jest's CommonJS resolver does not follow: map their
// specifiers to the files and compile them to CommonJS with the tests (as the preset does for
// jose).
const path = require('node:path');
const preset = require('../jest.preset.cjs');

const modules = path.join(__dirname, '..', 'node_modules');

module.exports = {
  ...preset,
  moduleNameMapper: {
    // kubernetes-models/apps/v1/Deployment → one model class
    '^kubernetes-models/(.+)/([A-Z][A-Za-z0-9]*)$': path.join(modules, 'kubernetes-models/$1/$2.js'),
    // kubernetes-models/apps/v1, kubernetes-models/v1 → a group version's index
    '^kubernetes-models/(.+)$': path.join(modules, 'kubernetes-models/$1/index.js'),
    '^@kubernetes-models/(base|validate)$': path.join(modules, '@kubernetes-models/$1/dist/index.js'),
    '^@kubernetes-models/validate/runtime/(.+)$': path.join(modules, '@kubernetes-models/validate/dist/runtime/$1.js'),
    '^@kubernetes-models/apimachinery/_schemas/(.+)$': path.join(
      modules,
      '@kubernetes-models/apimachinery/_schemas/$1.js',
    ),
    ...preset.moduleNameMapper,
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|kubernetes-models|@kubernetes-models|is-cidr|cidr-regex)/)'],
};
