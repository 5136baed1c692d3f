import { openEventStore } from '@workshare/eventstore';
import { describeAuditGrpc } from './audit-grpc.suite.js';

describeAuditGrpc('embedded store in memory', async () => {
  const store = await openEventStore('embedded:memory');
  return { store, close: () => store.close() };
});
