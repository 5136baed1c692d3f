import { performance } from 'node:perf_hooks';
import type { EventStore, GlobalPosition, RecordedEvent } from '@workshare/eventsourcing';
import { accountDecider, type AccountEvent, type AccountState } from '../domain/account.js';
import { businessDecider, type BusinessEvent, type BusinessState } from '../domain/business.js';

const ACCOUNT_EVENTS = new Set<string>(['MemberRegistered', 'UserRegistered', 'MemberAvailabilityUpdated', 'RoleGranted', 'RoleRevoked', 'MemberForgotten', 'UserForgotten']);
const BUSINESS_EVENTS = new Set<string>(['BusinessRegistered']);

/** One stream as the directory knows it: its folded state, the version it is folded to, when it began. */
export interface DirectoryEntry<State> {
  readonly state: State;
  readonly version: number;
  /** When the stream's first event (the registration) occurred. */
  readonly registeredAt: Date;
}

type Kind = 'account' | 'business';

const kindOf = (streamName: string): Kind | undefined =>
  streamName.startsWith('member-') || streamName.startsWith('user-') ? 'account' : streamName.startsWith('business-') ? 'business' : undefined;

export interface DirectoryOptions {
  /**
   * How old what a read sees may be, at most, for writes made by other processes (other pods
   * of this service): a read waits for a pass over the global log when the last one began
   * longer ago than this. Writes made through this process are seen at once (write-through).
   * 0: every read waits for a pass that began after it.
   */
  readonly maxStalenessMs?: number;
}

export const DEFAULT_MAX_STALENESS_MS = 100;

/**
 * The read model behind the queries: every account's and business's state, folded with the
 * deciders' own evolve. It learns of changes two ways:
 * - **write-through**: the service hands it the events it has just appended (`observe`), so
 *   what this process wrote is read back at once (a revoked role, a forgotten member);
 * - **catch-up**: passes over the global log from where the last one stopped, shared by the
 *   reads waiting for them, for what other processes wrote.
 * An event is applied only when it is the next version of its stream; an event further ahead
 * (a gap: another process wrote in between) makes the directory reload that stream. It can
 * be rebuilt at any time by starting from nothing. Reads cost no store query while the last
 * pass is younger than `maxStalenessMs`: that is what keeps GetMember close to an empty handler.
 */
export class IdentityDirectory {
  private after: GlobalPosition | undefined;
  private readonly accounts = new Map<string, DirectoryEntry<AccountState>>();
  private readonly businesses = new Map<string, DirectoryEntry<BusinessState>>();
  private readonly maxStalenessMs: number;
  /** When the last completed pass began (performance.now()). */
  private freshAsOf = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | undefined;
  /** When the running pass began. */
  private runningSince = Number.NEGATIVE_INFINITY;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly store: Pick<EventStore, 'readAll' | 'readStream'>,
    options: DirectoryOptions = {},
  ) {
    this.maxStalenessMs = options.maxStalenessMs ?? DEFAULT_MAX_STALENESS_MS;
    if (!(this.maxStalenessMs >= 0)) throw new RangeError(`maxStalenessMs ${this.maxStalenessMs} is not a duration`);
  }

  /**
   * Resolves once the directory holds everything logged up to `maxStalenessMs` ago (or later):
   * at once when the last pass is recent enough, else with a pass begun within the bound (the
   * one running, or the next). Once half the bound has gone by, a read also starts a pass in
   * the background, so that under steady load reads seldom wait at all.
   */
  ensureFresh(): Promise<void> {
    const now = performance.now();
    const age = now - this.freshAsOf;
    if (age <= this.maxStalenessMs) {
      if (age > this.maxStalenessMs / 2 && this.running === undefined) this.catchUp().catch(() => undefined);
      return Promise.resolve();
    }
    if (this.running !== undefined && this.runningSince >= now - this.maxStalenessMs) return this.running;
    return this.catchUp();
  }

  /**
   * A pass over the log that begins after this call; calls made while a pass runs share the
   * next one (one query serves them all).
   */
  catchUp(): Promise<void> {
    if (this.running === undefined) {
      this.runningSince = performance.now();
      this.running = this.pass().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    if (this.queued === undefined) {
      const after = this.running;
      this.queued = after
        .catch(() => undefined)
        .then(() => {
          this.queued = undefined;
          return this.catchUp();
        });
    }
    return this.queued;
  }

  private async pass(): Promise<void> {
    const began = performance.now();
    const limit = 1000;
    for (;;) {
      const events = await this.store.readAll({ ...(this.after ? { after: this.after } : {}), limit });
      for (const event of events) {
        await this.apply(event);
        this.after = event.position;
      }
      if (events.length < limit) break;
    }
    this.freshAsOf = Math.max(this.freshAsOf, began);
  }

  /** Write-through: events this process has just appended (in stream order). */
  async observe(events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) await this.apply(event);
  }

  private async apply(event: RecordedEvent): Promise<void> {
    const kind = kindOf(event.streamName);
    if (kind === 'account' && ACCOUNT_EVENTS.has(event.type)) {
      await this.applyTo(this.accounts, event, (state, e) => accountDecider.evolve(state, e as unknown as AccountEvent), accountDecider.initialState);
    } else if (kind === 'business' && BUSINESS_EVENTS.has(event.type)) {
      await this.applyTo(this.businesses, event, (state, e) => businessDecider.evolve(state, e as unknown as BusinessEvent), businessDecider.initialState);
    }
  }

  private async applyTo<S>(
    map: Map<string, DirectoryEntry<S>>,
    event: RecordedEvent,
    evolve: (state: S, event: RecordedEvent) => S,
    initial: () => S,
  ): Promise<void> {
    const known = map.get(event.streamName);
    const expected = known === undefined ? 0 : known.version + 1;
    if (event.streamVersion < expected) return; // seen already (write-through, then the log)
    if (event.streamVersion > expected) {
      await this.reload(event.streamName);
      return;
    }
    map.set(event.streamName, {
      state: evolve(known?.state ?? initial(), event),
      version: event.streamVersion,
      registeredAt: known?.registeredAt ?? event.occurredAt,
    });
  }

  /** Reads one stream from the store and replaces what the directory knows of it. */
  async reload(streamName: string): Promise<void> {
    const kind = kindOf(streamName);
    if (kind === undefined) return;
    const events = await this.store.readStream(streamName);
    const first = events[0];
    const last = events[events.length - 1];
    if (first === undefined || last === undefined) return;
    if (kind === 'account') {
      const current = this.accounts.get(streamName);
      if (current !== undefined && current.version >= last.streamVersion) return;
      let state = accountDecider.initialState();
      for (const e of events) if (ACCOUNT_EVENTS.has(e.type)) state = accountDecider.evolve(state, e as unknown as AccountEvent);
      this.accounts.set(streamName, { state, version: last.streamVersion, registeredAt: first.occurredAt });
    } else {
      const current = this.businesses.get(streamName);
      if (current !== undefined && current.version >= last.streamVersion) return;
      let state = businessDecider.initialState();
      for (const e of events) if (BUSINESS_EVENTS.has(e.type)) state = businessDecider.evolve(state, e as unknown as BusinessEvent);
      this.businesses.set(streamName, { state, version: last.streamVersion, registeredAt: first.occurredAt });
    }
  }

  /**
   * An account (`member-<id>` or `user-<id>`) as of the last pass or write; one the directory
   * has not seen is read from the store (it may have been registered by another process a
   * moment ago).
   */
  async account(streamName: string): Promise<DirectoryEntry<AccountState> | undefined> {
    if (!this.accounts.has(streamName)) await this.reload(streamName);
    return this.accounts.get(streamName);
  }

  async business(streamName: string): Promise<DirectoryEntry<BusinessState> | undefined> {
    if (!this.businesses.has(streamName)) await this.reload(streamName);
    return this.businesses.get(streamName);
  }

  membersOf(regionId: string): Extract<AccountState, { status: 'active' | 'forgotten' }>[] {
    const members: Extract<AccountState, { status: 'active' | 'forgotten' }>[] = [];
    for (const [stream, { state }] of this.accounts) {
      if (stream.startsWith('member-') && state.status !== 'unregistered' && state.profile?.regionId === regionId) members.push(state);
    }
    return members;
  }

  businessesOf(regionId: string | undefined): Extract<BusinessState, { status: 'registered' }>[] {
    const list: Extract<BusinessState, { status: 'registered' }>[] = [];
    for (const { state } of this.businesses.values()) {
      if (state.status === 'registered' && (regionId === undefined || state.regionId === regionId)) list.push(state);
    }
    return list;
  }
}
