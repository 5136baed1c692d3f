/**
 * One replica of the relay: connected to NATS from the start, it asks for the lease and, once it
 * holds it, publishes the store's log from the relay's durable checkpoint (EventRelay of
 * @workshare/bus: each event's hash and link verified first). Replicas that do not hold the
 * lease stand by, asking again every retry interval.
 */
import {
  ChainFaultError,
  describeChainFault,
  NatsEventBus,
  openEventBus,
  type BusFault,
  type EventRelay,
  type RelayOptions,
} from '@workshare/bus';
import type { EventStore } from '@workshare/eventsourcing';
import type { WorkerHealth } from '@workshare/service-host';
import type { Logger } from '@workshare/telemetry/logger';
import { PostgresLease, type HeldLease, type LeaseOptions } from './lease.js';

/** Where a replica is: standing by, publishing (it holds the lease), stopped at a bad row for good, or stopped. */
export type RelayState = 'standby' | 'publishing' | 'faulted' | 'stopped';

export interface RelayWorkerOptions {
  /** The event store whose log is published (a PostgreSQL store: the lease is in its database). */
  readonly store: EventStore;
  readonly natsUrl: string;
  /** The lease: the store's PostgreSQL URL, the lease id and the retry interval. */
  readonly lease: Omit<LeaseOptions, 'log'>;
  readonly log: Logger;
  /** Further settings of the relay (checkpoint id, page size, ...). */
  readonly relay?: Omit<RelayOptions, 'store'>;
  /** NATS stream and subject prefix (default NATS_STREAM and NATS_SUBJECT_PREFIX, else WORKSHARE and workshare). */
  readonly nats?: { readonly stream?: string; readonly subjectPrefix?: string };
}

type Outcome =
  | { readonly kind: 'lost'; readonly error: Error }
  | { readonly kind: 'ended' }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'stop' };

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * A relay replica. Its health (`serving`) is true while it stands by or publishes, and false
 * once the relay stopped at an event that fails its hash-chain check: then it keeps the lease
 * (so no other replica publishes past that event either), answers NOT_SERVING and logs why,
 * until it is stopped. Losing the lease (its session ended, a check failed) stops publishing at
 * once and makes it stand by again.
 */
export class RelayWorker implements WorkerHealth {
  readonly bus: NatsEventBus;
  private readonly lease: PostgresLease;
  private current: RelayState = 'standby';
  private readonly listeners = new Set<(serving: boolean) => void>();
  private relay: EventRelay | undefined;
  private stopping = false;
  private signalStop: () => void = () => undefined;
  private readonly stopRequested = new Promise<Outcome>(
    (resolve) => (this.signalStop = () => resolve({ kind: 'stop' })),
  );
  private readonly running: Promise<void>;
  private stopped: Promise<void> | undefined;

  constructor(private readonly options: RelayWorkerOptions) {
    const bus = openEventBus({
      store: options.store,
      natsUrl: options.natsUrl,
      relay: false,
      log: options.log,
      ...(options.nats ? { nats: options.nats } : {}),
    });
    if (!(bus instanceof NatsEventBus)) throw new Error('the relay publishes to NATS: NATS_URL must be set');
    this.bus = bus;
    this.lease = new PostgresLease({ ...options.lease, log: options.log });
    this.running = this.run().catch((error: unknown) => {
      options.log.fatal({ error: messageOf(error) }, `relay stopped on an unexpected error: ${messageOf(error)}`);
      this.setState('faulted');
    });
  }

  get state(): RelayState {
    return this.current;
  }

  /** Health: true while standing by or publishing; false once stopped for good at a bad row (or stopped). */
  get serving(): boolean {
    return this.current === 'standby' || this.current === 'publishing';
  }

  onChange(listener: (serving: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Where the relay stopped at an event that fails its hash-chain check (empty while healthy). */
  faults(): readonly BusFault[] {
    return this.bus.faults();
  }

  /** The relay publishing now (this replica holds the lease), if any. */
  get publishing(): EventRelay | undefined {
    return this.current === 'publishing' ? this.relay : undefined;
  }

  private setState(state: RelayState): void {
    if (this.current === 'faulted' && state !== 'stopped') return; // stopped for good
    const before = this.serving;
    this.current = state;
    if (this.serving !== before) for (const listener of this.listeners) listener(this.serving);
  }

  private async run(): Promise<void> {
    const { log } = this.options;
    while (!this.stopping) {
      const held = await this.lease.acquire();
      if (held === undefined) return;
      if (this.stopping) return held.release();
      const outcome = await this.publish(held);
      if (outcome === 'stop') return;
      log.info({ lease: this.lease.name }, 'relay standing by again');
    }
  }

  /** Publishes while this replica holds the lease; 'again' when it should stand by and ask again. */
  private async publish(held: HeldLease): Promise<'stop' | 'again'> {
    const { log, store } = this.options;
    this.setState('publishing');
    const relay = this.bus.startRelay({ ...this.options.relay, store });
    this.relay = relay;
    log.info(
      { lease: this.lease.name, relayId: relay.relayId },
      `relay holds the lease ${this.lease.name}: publishing the store's log from checkpoint ${relay.relayId}`,
    );
    const outcome: Outcome = await Promise.race([
      held.lost.then((error): Outcome => ({ kind: 'lost', error })),
      relay.done.then(
        (): Outcome => ({ kind: 'ended' }),
        (error: unknown): Outcome => ({ kind: 'failed', error }),
      ),
      this.stopRequested,
    ]);
    switch (outcome.kind) {
      case 'stop':
        await relay.stop();
        log.info({ lease: this.lease.name, ...relay.stats }, 'relay stopped publishing; letting go of the lease');
        await held.release();
        return 'stop';
      case 'lost':
        // PostgreSQL may already have given the lock to a standby: stop publishing at once.
        log.error(
          { lease: this.lease.name, error: outcome.error.message },
          `relay lost its lease (${outcome.error.message}): it stops publishing`,
        );
        await relay.stop();
        this.setState('standby');
        return 'again';
      case 'failed': {
        const fault = outcome.error instanceof ChainFaultError ? outcome.error.fault : this.faults()[0];
        if (fault === undefined) {
          log.error({ error: messageOf(outcome.error) }, `relay stopped: ${messageOf(outcome.error)}`);
          await held.release();
          this.setState('standby');
          return 'again';
        }
        this.setState('faulted');
        log.error(
          {
            lease: this.lease.name,
            streamName: fault.streamName,
            streamVersion: fault.streamVersion,
            eventId: fault.eventId,
            position: fault.position,
            reason: fault.reason,
          },
          `relay stopped for good: ${describeChainFault(fault)}. Health answers NOT_SERVING; this replica keeps the ` +
            'lease, so no replica publishes past that event. Repair the store (npx workshare-store verify), then restart the relay',
        );
        // Held until stopped (or the session ends): the standbys would only stop at the same event.
        await Promise.race([this.stopRequested, held.lost]);
        await held.release();
        return 'stop';
      }
      case 'ended':
        await held.release();
        this.setState('standby');
        return 'again';
    }
  }

  /** Stops publishing (the page in hand is published and checkpointed), lets go of the lease, closes NATS. */
  stop(): Promise<void> {
    return (this.stopped ??= (async () => {
      this.stopping = true;
      this.signalStop();
      await this.lease.close(); // stops a standby's asking; a held lease is released by the loop
      await this.running;
      await this.bus.close();
      this.setState('stopped');
    })());
  }
}
