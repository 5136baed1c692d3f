import { openEventStore } from '@workshare/eventstore';
import { describeTeamSchedulingGrpc } from './team-scheduling-grpc.suite.js';

describeTeamSchedulingGrpc('embedded store in memory', async () => {
  const store = await openEventStore('embedded:memory');
  return { store, close: () => store.close() };
});
