import { openEventStore } from '@workshare/eventstore';
import { describeJobIntakeTextInput } from './text-input.suite.js';

describeJobIntakeTextInput('embedded store in memory', async () => {
  const store = await openEventStore('embedded:memory');
  return { store, close: () => store.close() };
});
