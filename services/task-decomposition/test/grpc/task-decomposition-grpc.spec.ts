import { openEventStore } from '@workshare/eventstore';
import { describeTaskDecompositionGrpc } from './task-decomposition-grpc.suite.js';

describeTaskDecompositionGrpc('embedded store in memory', async () => {
  const store = await openEventStore('embedded:memory');
  return { store, close: () => store.close() };
});
