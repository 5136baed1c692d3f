import { openEventStore } from '@workshare/eventstore';
import type { EventStore } from '@workshare/eventsourcing';
import { EmbeddedEventBus, NatsEventBus, openEventBus } from '../src/index.js';
import { collectingLogger } from './contract.js';

describe('openEventBus', () => {
  let store: EventStore;
  beforeAll(async () => {
    store = await openEventStore('embedded:memory');
  });
  afterAll(async () => {
    await store.close();
  });

  it('gives the embedded bus when no NATS server is configured', async () => {
    const bus = openEventBus({ store, natsUrl: undefined, log: collectingLogger() });
    expect(bus).toBeInstanceOf(EmbeddedEventBus);
    expect(bus.kind).toBe('embedded');
    await bus.close();
  });

  it('gives the NATS bus, with a relay for the store, when a server is configured (reachable or not yet)', async () => {
    const log = collectingLogger();
    const bus = openEventBus({
      store,
      natsUrl: 'nats://127.0.0.1:1',
      log,
      nats: { connectRetry: { initialDelayMs: 20, maxDelayMs: 20 } },
    });
    expect(bus).toBeInstanceOf(NatsEventBus);
    expect(bus.kind).toBe('nats');
    await bus.close();
  });

  it('gives a process without a store (the gateway) a NATS bus to listen on, and no embedded bus', async () => {
    const bus = openEventBus({
      natsUrl: 'nats://127.0.0.1:1',
      log: collectingLogger(),
      nats: { connectRetry: { initialDelayMs: 20, maxDelayMs: 20 } },
    });
    expect(bus).toBeInstanceOf(NatsEventBus);
    await bus.close();
    expect(() => openEventBus({ natsUrl: undefined })).toThrow(/reads an event store/);
  });
});
