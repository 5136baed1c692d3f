import { jetstream } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { encodeEnvelope, NatsEventBus, subjectFor, type EventRelay } from '../src/index.js';
import { busContract, collectingLogger } from './contract.js';
import { deleteStreams, uniqueName, withNats } from './support/nats.js';

withNats('bus contract: nats', (url) => {
  const stream = uniqueName('BUS_CONTRACT');
  const prefix = uniqueName('buscontract');
  let store: EventStore;
  let bus: NatsEventBus;
  let relay: EventRelay;
  let replays = 0;

  busContract(
    'nats',
    async () => {
      store = await openEventStore('embedded:memory');
      bus = NatsEventBus.start({ url, stream, subjectPrefix: prefix, log: collectingLogger() });
      relay = bus.startRelay({ store, pollIntervalMs: 10 });
      await bus.ready;
      return {
        store,
        bus,
        subjectPrefix: prefix,
        // The relay publishing the whole log again after JetStream's duplicate window has passed
        // (new message ids): only the consumers' ledger stands between them and a second handling.
        // Another process: its own connection to the same stream, no relay.
        another: async () => NatsEventBus.start({ url, stream, subjectPrefix: prefix, log: collectingLogger() }),
        replay: async () => {
          replays++;
          const js = jetstream(await bus.connection());
          for await (const event of store.streamAll()) {
            if (event.streamName.startsWith('deadletter-')) continue;
            const h = headers();
            h.set('Workshare-Stream', event.streamName);
            await js.publish(subjectFor(prefix, event.streamName.split('-')[0]!, event.type), encodeEnvelope(event), {
              msgID: `${event.id}:replay:${replays}`,
              headers: h,
            });
          }
        },
      };
    },
    async () => {
      await relay?.stop();
      await bus?.close();
      await store?.close();
      await deleteStreams(url, [stream, `KV_${stream}_ledger`]);
    },
  );
});
