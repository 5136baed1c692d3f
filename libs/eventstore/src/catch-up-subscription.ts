import { performance } from 'node:perf_hooks';
import {
  breathe,
  comparePositions,
  START,
  type EventStore,
  type GlobalPosition,
  type Subscription,
  type SubscriptionOptions,
} from '@workshare/eventsourcing';
import type { LogPage, PagedLog } from './reading.js';
import { assertCategories } from './validation.js';

/**
 * What a subscription reads through: readPage when the store has it (both adapters), else readAll
 * (then its position moves with the events it gets alone).
 */
type Store = Pick<EventStore, 'readAll' | 'headPosition' | 'readCheckpoint' | 'storeCheckpoint'> & Partial<PagedLog>;

/**
 * A durable catch-up subscription over any store's global log: resume from the saved
 * checkpoint, hand each event to the handler in log order, save the checkpoint after each
 * page (or at most every `checkpointIntervalMs`, and on stop), then poll (or wake on a local
 * append) once caught up. At-least-once: after a crash, the events since the last checkpoint
 * are delivered again, so handlers must be idempotent. With `categories`, only those categories'
 * events are delivered, and the position moves on to each page's end (`LogPage.end`), past the
 * other categories' events that read went through.
 */
export class CatchUpSubscription implements Subscription {
  readonly done: Promise<void>;
  private position: GlobalPosition = START;
  private stopping = false;
  private finished = false;
  private wake: (() => void) | undefined;
  private readonly waiters: { target: GlobalPosition; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private readonly unlisten: () => void;
  private readonly categories: readonly string[] | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: SubscriptionOptions,
    /** Registers a callback the store calls after a local append; returns the unregistration. */
    listen: (wake: () => void) => () => void,
  ) {
    if (!options.subscriptionId || typeof options.subscriptionId !== 'string')
      throw new TypeError('a subscription needs a subscriptionId');
    this.categories = assertCategories(options.categories);
    this.unlisten = listen(() => this.wake?.());
    this.done = this.run();
    this.done.catch((error: unknown) => {
      for (const w of this.waiters.splice(0)) w.reject(error);
      options.onError?.(error);
    });
  }

  private async run(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    const pollMs = this.options.pollIntervalMs ?? 100;
    const saveEveryMs = this.options.checkpointIntervalMs ?? 0;
    let saved: GlobalPosition | undefined;
    let savedAt = Number.NEGATIVE_INFINITY;
    const save = async (): Promise<void> => {
      if (saved !== undefined && comparePositions(saved, this.position) >= 0) return;
      const position = this.position;
      await this.store.storeCheckpoint(this.options.subscriptionId, position);
      saved = position;
      savedAt = performance.now();
    };
    try {
      this.position = (await this.store.readCheckpoint(this.options.subscriptionId)) ?? START;
      saved = this.position;
      while (!this.stopping) {
        const page = await this.read(batchSize);
        let failed = true;
        try {
          let handledAll = true;
          for (const event of page.events) {
            if (this.stopping) {
              handledAll = false;
              break;
            }
            await this.options.handle(event);
            this.position = event.position;
            await breathe(); // a long page of quick handlers still lets timers and I/O run
          }
          // Past the other categories' events this read went through (a filtered page ends there).
          if (handledAll && comparePositions(page.end, this.position) > 0) this.position = page.end;
          failed = false;
        } finally {
          // After a failure, what was handled is saved at once: it is not delivered again.
          if (failed || performance.now() - savedAt >= saveEveryMs) await save();
        }
        this.settleWaiters();
        if (page.events.length < batchSize && !this.stopping)
          await this.idle(
            saveEveryMs > 0 && comparePositions(saved ?? START, this.position) < 0
              ? Math.min(pollMs, saveEveryMs)
              : pollMs,
          );
      }
      await save();
    } finally {
      this.finished = true;
      this.unlisten();
    }
  }

  private async read(limit: number): Promise<LogPage> {
    const options = {
      after: this.position,
      limit,
      ...(this.categories === undefined ? {} : { categories: this.categories }),
    };
    if (this.store.readPage) return this.store.readPage(options);
    const events = await this.store.readAll(options);
    return { events, end: events[events.length - 1]?.position ?? this.position };
  }

  private settleWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (comparePositions(this.position, w.target) >= 0) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  async caughtUp(): Promise<void> {
    const target = await this.store.headPosition();
    if (comparePositions(this.position, target) >= 0) return;
    if (this.finished) {
      await this.done;
      throw new Error(`subscription ${this.options.subscriptionId} has stopped`);
    }
    await new Promise<void>((resolve, reject) => {
      this.waiters.push({ target, resolve, reject });
      this.wake?.();
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.done.catch(() => undefined);
    for (const w of this.waiters.splice(0)) w.reject(new Error(`subscription ${this.options.subscriptionId} stopped`));
  }
}

/**
 * The subscriptions one store instance runs: each is woken at once by an append made through
 * that instance (other writers are seen at the next poll), and all stop when the store closes.
 */
export class LocalSubscriptions {
  private readonly listeners = new Set<() => void>();
  private readonly running = new Set<CatchUpSubscription>();

  start(store: Store, options: SubscriptionOptions): Subscription {
    const subscription = new CatchUpSubscription(store, options, (wake) => {
      this.listeners.add(wake);
      return () => this.listeners.delete(wake);
    });
    this.running.add(subscription);
    subscription.done.catch(() => undefined).finally(() => this.running.delete(subscription));
    return subscription;
  }

  /** Tells every subscription that new events were appended. */
  appended(): void {
    for (const wake of this.listeners) wake();
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.running].map((s) => s.stop()));
    this.listeners.clear();
  }
}
