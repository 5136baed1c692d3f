import { ValidationError } from '@workshare/eventsourcing';
import { openEventStore } from '../src/open.js';
import { splitStatements } from '../src/sql-event-store.js';
import { MIGRATIONS, sqlFor } from '../src/schema.js';

describe('choosing an adapter from EVENTSTORE_URL', () => {
  it.each([['mysql://localhost/db'], ['nonsense'], ['embedded:'], ['']])(
    'refuses %j with a clear error',
    async (url) => {
      const error: unknown = await openEventStore(url).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe('eventstore.invalid_url');
    },
  );

  it('never echoes a password from the URL', async () => {
    const error: unknown = await openEventStore('mongodb://admin:s3cret@db/x').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('opens an in-memory embedded store', async () => {
    const store = await openEventStore('embedded:memory');
    expect(store.kind).toBe('embedded');
    await store.close();
  });
});

describe('migration statements', () => {
  it('keep the append function body whole', () => {
    const statements = MIGRATIONS.flatMap((m) => splitStatements(sqlFor(m, 'eventstore')));
    const functions = statements.filter((s) => s.includes('CREATE OR REPLACE FUNCTION'));
    // Migrations 2, 3 and 5 create the same two append functions (3 and 5 bring an older store up to
    // date); 6 the trigger function that refuses changes to events.
    expect(functions.map((s) => /CREATE OR REPLACE FUNCTION eventstore\.(\w+)/.exec(s)?.[1])).toEqual([
      'append_events',
      'append_event',
      'append_events',
      'append_event',
      'append_events',
      'append_event',
      'refuse_event_change',
    ]);
    const fn = functions.filter((s) => s.includes('.append_event'));
    // Both take the store's appender lock before they write, and refuse to run after their transaction has an id.
    for (const f of fn) expect(f).toContain(`pg_advisory_xact_lock_shared(4243, hashtext('eventstore'))`);
    for (const f of fn) expect(f).toContain('pg_current_xact_id_if_assigned()');
    for (const f of functions) expect(f).toMatch(/\$fn\$;$/);
    expect(statements.filter((s) => s.startsWith('CREATE TABLE'))).toHaveLength(2);
  });
});
