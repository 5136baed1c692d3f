import { openEventStore } from '@workshare/eventstore';
import { dropSchemas, uniqueSchema, withPostgres } from '../postgres.js';
import { describeJobIntakeGrpc } from './job-intake-grpc.suite.js';

withPostgres('job intake over gRPC on PostgreSQL', (url) => {
  const schema = uniqueSchema('grpc_store');
  afterAll(async () => {
    await dropSchemas(url, [schema]);
  });

  describeJobIntakeGrpc('PostgreSQL store, a schema of its own', async () => {
    const store = await openEventStore(url, { schema });
    return { store, close: () => store.close() };
  });
});
