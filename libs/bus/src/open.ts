import type { Logger } from '@workshare/telemetry/logger';
import type { EventStore } from '@workshare/eventsourcing';
import type { ContextOf, EventBus } from './bus.js';
import { EmbeddedEventBus } from './embedded-bus.js';
import { NatsEventBus, type NatsEventBusOptions } from './nats/nats-bus.js';
import type { RelayOptions } from './nats/relay.js';

export interface OpenEventBusOptions {
  /**
   * The service's event store: the embedded bus reads it directly; on NATS the relay publishes
   * it. A process without a store (the gateway) opens a NATS bus only, without a relay, to listen.
   */
  store?: EventStore;
  /** NATS server; default NATS_URL. Unset: the embedded in-process bus. */
  natsUrl?: string | undefined;
  contextOf?: ContextOf;
  log?: Logger;
  /** NATS only: run a relay publishing `store`'s log (default true); `false` where another process relays. */
  relay?: boolean | Omit<RelayOptions, 'store'>;
  /** NATS only: further settings (stream, prefix, ledger, retry). */
  nats?: Omit<NatsEventBusOptions, 'url' | 'contextOf' | 'log'>;
}

/**
 * Chooses the bus from configuration, never code (DESIGN §2): NATS JetStream when NATS_URL (or
 * `natsUrl`) is set, with a relay publishing the store's log; else the embedded bus on the store.
 */
export const openEventBus = (options: OpenEventBusOptions): EventBus => {
  const url = 'natsUrl' in options ? options.natsUrl : process.env.NATS_URL;
  const common = {
    ...(options.contextOf ? { contextOf: options.contextOf } : {}),
    ...(options.log ? { log: options.log } : {}),
  };
  if (!url) {
    if (options.store === undefined)
      throw new TypeError('the embedded bus reads an event store: give one, or NATS_URL');
    return new EmbeddedEventBus({ store: options.store, ...common });
  }
  // NATS_STREAM and NATS_SUBJECT_PREFIX set apart one platform's events on a shared NATS
  // server (a test run, a second environment); the defaults are WORKSHARE and workshare.
  const env = process.env;
  const fromEnv = {
    ...(env.NATS_STREAM ? { stream: env.NATS_STREAM } : {}),
    ...(env.NATS_SUBJECT_PREFIX ? { subjectPrefix: env.NATS_SUBJECT_PREFIX } : {}),
  };
  const bus = NatsEventBus.start({ ...fromEnv, ...options.nats, url, ...common });
  if (options.relay !== false && options.store !== undefined)
    bus.startRelay({ ...(typeof options.relay === 'object' ? options.relay : {}), store: options.store });
  return bus;
};
