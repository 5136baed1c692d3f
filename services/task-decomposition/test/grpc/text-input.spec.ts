import { openEventStore } from '@workshare/eventstore';
import { describeTaskDecompositionTextInput } from './text-input.suite.js';

describeTaskDecompositionTextInput('embedded store in memory', async () => {
  const store = await openEventStore('embedded:memory');
  return { store, close: () => store.close() };
});
