import { openEventStore } from '@workshare/eventstore';
import { describeJobIntakeGrpc } from './job-intake-grpc.suite.js';

describeJobIntakeGrpc('embedded store in memory', async () => {
  const store = await openEventStore('embedded:memory');
  return { store, close: () => store.close() };
});
