/**
 * Migration 4 (the category column and its index) on a log written before it: the events already
 * stored get their category, and filtered reads and appends go on as on a fresh store.
 */
import { categoryOf } from '@workshare/eventsourcing';
import { embeddedDriver } from '../src/pglite-driver.js';
import { MIGRATIONS, sqlFor } from '../src/schema.js';
import { SqlEventStore, encodeAppendBatch, splitStatements } from '../src/sql-event-store.js';
import { prepareEvents } from '../src/validation.js';

describe('migration 4: stream categories', () => {
  it('gives the events stored before it their category, for filtered reads', async () => {
    const db = embeddedDriver('memory');
    const schema = 'eventstore';
    // A store as it was before migration 4: migrations 1 to 3 and events appended through its functions.
    await db.transaction(async (query) => {
      await query(`CREATE SCHEMA ${schema}`);
      await query(`CREATE TABLE ${schema}.migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      for (const migration of MIGRATIONS.filter((m) => m.version < 4)) {
        for (const statement of splitStatements(sqlFor(migration, schema))) await query(statement);
        await query(`INSERT INTO ${schema}.migrations (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
      }
    });
    for (const [stream, count] of [
      ['job-1', 2],
      ['jobBoard-1', 1],
      ['member-1', 3],
      ['job-2', 1],
    ] as const) {
      const prepared = prepareEvents(
        stream,
        Array.from({ length: count }, (_, i) => ({ type: 'Before', data: { i } })),
      );
      await db.query(`SELECT * FROM ${schema}.append_events($1, 'any', NULL, $2::jsonb)`, [
        stream,
        encodeAppendBatch(prepared),
      ]);
    }
    const store = await SqlEventStore.open(db, { schema });
    try {
      const versions = await db.query<{ version: number }>(`SELECT version FROM ${schema}.migrations ORDER BY version`);
      expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
      await store.append('job-3', [{ type: 'After', data: {} }]);
      const jobs = await store.readAll({ categories: ['job'] });
      expect(jobs.map((e) => [e.streamName, e.type])).toEqual([
        ['job-1', 'Before'],
        ['job-1', 'Before'],
        ['job-2', 'Before'],
        ['job-3', 'After'],
      ]);
      const all = await store.readAll();
      expect(await store.readAll({ categories: ['member', 'jobBoard'] })).toEqual(
        all.filter((e) => ['member', 'jobBoard'].includes(categoryOf(e.streamName))),
      );
    } finally {
      await store.close();
    }
  });
});
