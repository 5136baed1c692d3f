import { START, type EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { cursorCheckpointId, EmbeddedEventBus } from '../src/index.js';
import { busContract, collectingLogger } from './contract.js';

let store: EventStore;
let bus: EmbeddedEventBus;

busContract(
  'embedded',
  async () => {
    store = await openEventStore('embedded:memory');
    bus = new EmbeddedEventBus({ store, pollIntervalMs: 20, log: collectingLogger() });
    return {
      store,
      bus,
      subjectPrefix: 'workshare',
      // A crash after handling but before the cursor was saved: the cursor goes back to the start.
      replay: (consumer) => store.storeCheckpoint(cursorCheckpointId(consumer), START),
      // Another process on the same store: a bus of its own over it.
      another: async () => new EmbeddedEventBus({ store, pollIntervalMs: 20, log: collectingLogger() }),
    };
  },
  async () => {
    await bus.close();
    await store.close();
  },
);
