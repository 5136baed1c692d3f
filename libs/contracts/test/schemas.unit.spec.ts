/**
 * A published schema version never changes: its JSON Schema is committed under
 * `schemas/<producer>/<Type>.v<version>.json`, and the schema in the code must equal it. A
 * change a consumer would notice is a new version, published next to the old one; a version is
 * withdrawn only by removing its committed file on purpose.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { jsonSchemaOf, PUBLISHED_CATALOGUES, type Catalogue } from '../src/index.js';

const SCHEMAS = path.join(__dirname, '..', 'schemas');
const fileOf = (producer: string, type: string, version: number) =>
  path.join(SCHEMAS, producer, `${type}.v${version}.json`);

const catalogues = Object.entries(PUBLISHED_CATALOGUES) as [string, Catalogue][];

describe.each(catalogues)('the events %s publishes', (producer, catalogue) => {
  it('are declared by their producer, each type at consecutive versions from 1, once each', () => {
    expect(catalogue.every((e) => e.producer === producer)).toBe(true);
    const types = [...new Set(catalogue.map((e) => e.type))];
    for (const type of types) {
      const versions = catalogue.filter((e) => e.type === type).map((e) => e.schemaVersion);
      expect({ type, versions: [...versions].sort((a, b) => a - b) }).toEqual({
        type,
        versions: versions.map((_, i) => i + 1),
      });
    }
  });

  it.each(catalogue.map((e) => [`${e.type} v${e.schemaVersion}`, e] as const))(
    '%s: the schema equals the committed one (change it by publishing a new version)',
    (_name, entry) => {
      const committed = JSON.parse(readFileSync(fileOf(producer, entry.type, entry.schemaVersion), 'utf8')) as unknown;
      expect(jsonSchemaOf(entry)).toEqual(committed);
    },
  );

  it('has no committed schema left without its published version', () => {
    const committed = readdirSync(path.join(SCHEMAS, producer)).sort();
    expect(committed).toEqual(catalogue.map((e) => `${e.type}.v${e.schemaVersion}.json`).sort());
  });
});

it('every producer with committed schemas has a catalogue', () => {
  expect(readdirSync(SCHEMAS).sort()).toEqual(Object.keys(PUBLISHED_CATALOGUES).sort());
});
