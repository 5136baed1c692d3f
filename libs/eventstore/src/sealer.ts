/**
 * The log sealer: reads the log forward and seals it at intervals and at once after events that
 * call for it (a month's close), signing each seal with a key the database never holds and
 * keeping it in sinks outside the database (README, "Tamper evidence").
 */
import {
  formatPosition,
  GENESIS_HASH,
  InProcessLocks,
  parsePosition,
  START,
  type EventStore,
  type GlobalPosition,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import {
  lastTrustedSeal,
  LOG_START,
  logLink,
  sealDigest,
  signSeal,
  type Seal,
  type SealKey,
  type SealReason,
  type SealSink,
  type SealTip,
} from './seals.js';

export interface LogSealerOptions {
  store: Pick<EventStore, 'readAll'> & Partial<Pick<EventStore, 'locks'>>;
  key: SealKey;
  /** Where seals are kept: the first is the primary, that the sealer resumes from; at least one. */
  sinks: readonly SealSink[];
  /** Seal at most this often when there are new events (default 60,000 ms). */
  intervalMs?: number;
  /** How often to look for new events (default 1,000 ms). */
  pollIntervalMs?: number;
  /** Events that close a month: each is sealed at once, the seal ending at it (reason 'month-close'). */
  monthClose?: (event: RecordedEvent) => boolean;
  /** Told of each seal kept by the primary sink. */
  onSeal?: (seal: Seal) => void;
  /** Told of errors the sealer goes on after (a sink or the store unreachable): it tries again. */
  onError?: (error: unknown) => void;
  /** The clock of `sealedAt` and of the interval (default: the system clock). */
  now?: () => Date;
  /** Events per read (default 1,000). */
  pageSize?: number;
}

/** The lease a sealer holds while it runs: one sealer per store. */
export const SEALER_LEASE = 'eventstore:log-sealer';

/** Waits `ms`, or less if `signal` aborts meanwhile. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const wake = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    signal.addEventListener('abort', wake, { once: true });
  });

export class LogSealer {
  /** Resolves once the sealer holds its lease and has resumed from its primary sink's last seal. */
  readonly ready: Promise<void>;
  /** Resolves when the sealer has stopped; rejects when it could not start (a broken seal log). */
  readonly done: Promise<void>;

  private readonly stopping = new AbortController();
  private readonly intervalMs: number;
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;
  private readonly now: () => Date;
  private lastSeal: Seal | undefined;
  private position: GlobalPosition = START;
  private logHash = LOG_START;
  private events = 0;
  private unsealed = 0;
  private tips = new Map<string, SealTip>();
  private lastSealAt = 0;
  /** A seal that is due at the current position (a month's close whose seal could not be kept yet). */
  private owed: SealReason | undefined;
  /** Seals a secondary sink has not kept yet. */
  private readonly behind = new Map<SealSink, Seal[]>();
  private turn: Promise<unknown> = Promise.resolve();
  private markReady!: () => void;
  private failReady!: (error: unknown) => void;

  private constructor(private readonly options: LogSealerOptions) {
    if (options.sinks.length === 0) throw new TypeError('a log sealer needs at least one seal sink');
    this.intervalMs = options.intervalMs ?? 60_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.pageSize = options.pageSize ?? 1_000;
    for (const [name, value] of [
      ['intervalMs', this.intervalMs],
      ['pollIntervalMs', this.pollIntervalMs],
    ] as const)
      if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`${name} ${value} is not a whole number ≥ 1`);
    this.now = options.now ?? (() => new Date());
    this.ready = new Promise((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    this.ready.catch(() => undefined);
    const locks = options.store.locks ?? new InProcessLocks();
    this.done = locks.withLocks([SEALER_LEASE], () => this.run());
    this.done.catch((error: unknown) => this.failReady(error));
  }

  /** Starts a sealer: it takes the store's sealer lease (waiting for another sealer to stop), resumes, and runs until stop(). */
  static start(options: LogSealerOptions): LogSealer {
    return new LogSealer(options);
  }

  /** The last seal kept (by the primary sink). */
  get last(): Seal | undefined {
    return this.lastSeal;
  }

  /**
   * Seals everything readable now (a month's close, a test, an operator): answers the new seal,
   * or the last one when no event came after it (it covers them all already).
   */
  async sealNow(reason: SealReason = 'manual'): Promise<Seal | undefined> {
    await this.ready;
    if (this.stopping.signal.aborted) throw new Error('the log sealer is stopped');
    return this.exclusive(async () => {
      await this.catchUp();
      if (this.unsealed > 0) await this.seal(reason);
      return this.lastSeal;
    });
  }

  /** Stops after the work in hand; the lease is let go. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.markReady();
    await this.done.catch(() => undefined);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work);
    this.turn = result.catch(() => undefined);
    return result;
  }

  private async run(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    await this.resume();
    this.markReady();
    while (!this.stopping.signal.aborted) {
      try {
        await this.exclusive(() => this.tick());
      } catch (error) {
        this.options.onError?.(error);
      }
      await sleep(this.pollIntervalMs, this.stopping.signal);
    }
    await this.turn;
  }

  private async resume(): Promise<void> {
    const [primary, ...others] = this.options.sinks;
    const last = await lastTrustedSeal(primary!, this.options.key.publicKey);
    if (last !== undefined) {
      this.lastSeal = last;
      this.position = parsePosition(last.position);
      this.logHash = last.logHash;
      this.events = last.events;
    }
    this.lastSealAt = this.now().getTime();
    // Secondary sinks get the seals they miss (they may have been unreachable).
    const kept = others.length > 0 ? ((await primary!.readAll()) as Seal[]) : [];
    for (const sink of others) {
      try {
        const theirs = await lastTrustedSeal(sink, this.options.key.publicKey);
        const missing = kept.filter((s) => s.sequence > (theirs?.sequence ?? 0));
        if (missing.length > 0) this.behind.set(sink, missing);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
    await this.deliverBehind();
  }

  private async tick(): Promise<void> {
    await this.deliverBehind();
    await this.catchUp();
    if (this.unsealed > 0 && this.now().getTime() - this.lastSealAt >= this.intervalMs) await this.seal('interval');
  }

  /** Reads every event after the position, sealing at once after each month's close. */
  private async catchUp(): Promise<void> {
    if (this.owed !== undefined) await this.seal(this.owed);
    for (;;) {
      const page = await this.options.store.readAll({ after: this.position, limit: this.pageSize });
      for (const event of page) {
        this.fold(event);
        if (this.options.monthClose?.(event)) {
          this.owed = 'month-close';
          await this.seal('month-close');
        }
      }
      if (page.length < this.pageSize || this.stopping.signal.aborted) return;
    }
  }

  private fold(e: RecordedEvent): void {
    const position = formatPosition(e.position);
    this.logHash = logLink(this.logHash, {
      commit: e.position.commit.toString(),
      prepare: e.position.prepare.toString(),
      stream: e.streamName,
      version: e.streamVersion,
      id: e.id,
      recordedAtMs: e.recordedAt.getTime(),
      previousHash: e.previousHash,
      hash: e.hash,
    });
    this.events++;
    this.unsealed++;
    this.position = e.position;
    this.tips.set(e.streamName, { stream: e.streamName, version: e.streamVersion, hash: e.hash, position, id: e.id });
  }

  private async seal(reason: SealReason): Promise<void> {
    const [primary, ...others] = this.options.sinks;
    const seal = signSeal(
      {
        sequence: (this.lastSeal?.sequence ?? 0) + 1,
        position: formatPosition(this.position),
        events: this.events,
        logHash: this.logHash,
        previous: this.lastSeal ? sealDigest(this.lastSeal) : GENESIS_HASH,
        tips: [...this.tips.values()].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0)),
        sealedAt: this.now().toISOString(),
        reason,
      },
      this.options.key,
    );
    await primary!.append(seal);
    this.lastSeal = seal;
    this.tips = new Map();
    this.unsealed = 0;
    this.owed = undefined;
    this.lastSealAt = this.now().getTime();
    for (const sink of others) this.behind.set(sink, [...(this.behind.get(sink) ?? []), seal]);
    await this.deliverBehind();
    this.options.onSeal?.(seal);
  }

  private async deliverBehind(): Promise<void> {
    for (const [sink, seals] of this.behind) {
      try {
        while (seals.length > 0) {
          await sink.append(seals[0]!);
          seals.shift();
        }
        this.behind.delete(sink);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
  }
}
