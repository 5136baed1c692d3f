import { openEventStore } from '@workshare/eventstore';
import { describeSettlementGrpc } from './settlement-grpc.suite.js';

describeSettlementGrpc('embedded store in memory', async () => {
  const store = await openEventStore('embedded:memory');
  return { store, close: () => store.close() };
});
