import { openEventStore } from '../src/open.js';
import { eventStoreContract } from './contract.js';
import { withPostgres } from './postgres.js';

withPostgres('PostgreSQL contract suite', (url, schema) => {
  eventStoreContract('postgres', async () => openEventStore(await url(), { schema }));
});
