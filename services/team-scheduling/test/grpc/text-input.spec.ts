import { openEventStore } from '@workshare/eventstore';
import { describeTeamSchedulingTextInput } from './text-input.suite.js';

describeTeamSchedulingTextInput('embedded store in memory', async () => {
  const store = await openEventStore('embedded:memory');
  return { store, close: () => store.close() };
});
