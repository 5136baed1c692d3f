import { openProjectionStore } from '../src/index.js';
import { withPostgres } from './postgres.js';
import { projectionStoreContract } from './projections.contract.js';

withPostgres('PostgreSQL projection store', (url, schema) => {
  projectionStoreContract('postgres', async () => openProjectionStore({ schema, url: await url() }));
});
