import { openEventStore } from '@workshare/eventstore';
import { dropSchemas, uniqueSchema, withPostgres } from '../postgres.js';
import { describeTeamSchedulingTextInput } from './text-input.suite.js';

withPostgres('what the gRPC host refuses before team scheduling on PostgreSQL', (url) => {
  const schema = uniqueSchema('text_input');
  afterAll(async () => {
    await dropSchemas(url, [schema]);
  });

  describeTeamSchedulingTextInput('PostgreSQL store, a schema of its own', async () => {
    const store = await openEventStore(url, { schema });
    return { store, close: () => store.close() };
  });
});
