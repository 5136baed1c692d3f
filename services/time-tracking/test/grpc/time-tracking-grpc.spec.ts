import { openEventStore } from '@workshare/eventstore';
import { describeTimeTrackingGrpc } from './time-tracking-grpc.suite.js';

describeTimeTrackingGrpc('embedded store in memory', async () => {
  const store = await openEventStore('embedded:memory');
  return { store, close: () => store.close() };
});
