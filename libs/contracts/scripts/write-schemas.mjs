// Writes the JSON Schema of every published event version that has no committed file yet
// (`schemas/<producer>/<Type>.v<version>.json`), from the built catalogues (`npm run build`
// first). An existing file is never rewritten: a published version does not change.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { PUBLISHED_CATALOGUES, jsonSchemaOf } = await import(path.join(root, 'dist', 'src', 'index.js'));

for (const [producer, catalogue] of Object.entries(PUBLISHED_CATALOGUES)) {
  mkdirSync(path.join(root, 'schemas', producer), { recursive: true });
  for (const entry of catalogue) {
    const file = path.join(root, 'schemas', producer, `${entry.type}.v${entry.schemaVersion}.json`);
    if (existsSync(file)) continue;
    writeFileSync(file, `${JSON.stringify(jsonSchemaOf(entry), null, 2)}\n`);
    console.log(`wrote ${path.relative(root, file)}`);
  }
}
