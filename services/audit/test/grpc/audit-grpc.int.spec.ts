import { openEventStore } from '@workshare/eventstore';
import { throwAwayDatabase, withPostgres } from '../postgres.js';
import { describeAuditGrpc } from './audit-grpc.suite.js';

withPostgres('the audit over gRPC on PostgreSQL', (url) => {
  describeAuditGrpc('PostgreSQL store, a database of its own', async () => {
    const database = await throwAwayDatabase(url, 'grpc');
    const store = await openEventStore(database.url);
    return {
      store,
      close: async () => {
        await store.close();
        await database.drop();
      },
    };
  });
});
