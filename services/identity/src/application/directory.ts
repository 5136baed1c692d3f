import {
  DurableReadModel,
  type DurableReadModelOptions,
  type ProjectionDefinition,
  type ProjectionStore,
  type ReadModelSource,
  type RecordedEvent,
  type StreamView,
  type StreamViews,
} from '@workshare/eventsourcing';
import { accountDecider, type AccountEvent, type AccountState } from '../domain/account.js';
import { businessDecider, type BusinessEvent, type BusinessState } from '../domain/business.js';

const ACCOUNT_EVENTS = new Set<string>([
  'MemberRegistered',
  'UserRegistered',
  'MemberAvailabilityUpdated',
  'RoleGranted',
  'RoleRevoked',
  'MemberForgotten',
  'UserForgotten',
]);
const BUSINESS_EVENTS = new Set<string>(['BusinessRegistered']);

/** One stream as the directory knows it: its folded state, the version it is folded to, when it began. */
export interface DirectoryEntry<State> {
  readonly state: State;
  readonly version: number;
  /** When the stream's first event (the registration) occurred. */
  readonly registeredAt: Date;
}

type Kind = 'account' | 'business';

const entryOf = <S>(known: StreamView<S> | undefined): DirectoryEntry<S> | undefined =>
  known === undefined ? undefined : { state: known.view, version: known.version, registeredAt: known.since };

const kindOf = (streamName: string): Kind | undefined =>
  streamName.startsWith('member-') || streamName.startsWith('user-')
    ? 'account'
    : streamName.startsWith('business-')
      ? 'business'
      : undefined;

/** How stale reads may be for other processes' writes: see LogFollowerOptions. 0: every read waits for a pass. */
export type DirectoryOptions = DurableReadModelOptions;

/** The directory as a durable read model: the account and business streams (raise the version when its folding changes). */
export const DIRECTORY_PROJECTION: ProjectionDefinition = {
  name: 'directory',
  version: 1,
  categories: ['member', 'user', 'business'],
};

export { DEFAULT_MAX_STALENESS_MS } from '@workshare/eventsourcing';

/**
 * The read model behind the queries: every account's and business's state, folded with the
 * deciders' own evolve, kept durably (DurableReadModel: in identity's schema, with its
 * checkpoint; a restart reads only the member, user and business events after it). It learns
 * of changes two ways:
 * - **write-through**: the service hands it the events it has just appended (`observe`), so
 *   what this process wrote is read back at once (a revoked role, a forgotten member);
 * - **catch-up**: passes over the global log from where the last one stopped, shared by the
 *   reads waiting for them, for what other processes wrote.
 * An event is applied only when it is the next version of its stream; an event further ahead
 * (a gap: another process wrote in between) makes the directory reload that stream. It can
 * be rebuilt at any time by starting from nothing. Reads cost no store query while the last
 * pass is younger than `maxStalenessMs`: that is what keeps GetMember close to an empty handler.
 */
export class IdentityDirectory extends DurableReadModel {
  private readonly accounts: StreamViews<AccountState>;
  private readonly businesses: StreamViews<BusinessState>;

  constructor(store: ReadModelSource, projections: ProjectionStore, options: DirectoryOptions = {}) {
    super(store, projections, DIRECTORY_PROJECTION, options);
    this.accounts = this.streamViews<AccountState>('accounts', {
      accepts: (event) => kindOf(event.streamName) === 'account' && ACCOUNT_EVENTS.has(event.type),
      project: (state, event) =>
        accountDecider.evolve(state ?? accountDecider.initialState(), event as unknown as AccountEvent),
    });
    this.businesses = this.streamViews<BusinessState>('businesses', {
      accepts: (event) => kindOf(event.streamName) === 'business' && BUSINESS_EVENTS.has(event.type),
      project: (state, event) =>
        businessDecider.evolve(state ?? businessDecider.initialState(), event as unknown as BusinessEvent),
    });
  }

  protected async apply(event: RecordedEvent): Promise<void> {
    await this.accounts.apply(event);
    await this.businesses.apply(event);
  }

  /** Reads one stream from the store and replaces what the directory knows of it. */
  async reload(streamName: string): Promise<void> {
    const kind = kindOf(streamName);
    if (kind === 'account') await this.accounts.reload(streamName);
    else if (kind === 'business') await this.businesses.reload(streamName);
  }

  /**
   * An account (`member-<id>` or `user-<id>`) as of the last pass or write; one the directory
   * has not seen is read from the store (it may have been registered by another process a
   * moment ago).
   */
  async account(streamName: string): Promise<DirectoryEntry<AccountState> | undefined> {
    await this.ready();
    if (this.accounts.get(streamName) === undefined) await this.reload(streamName);
    return entryOf(this.accounts.get(streamName));
  }

  async business(streamName: string): Promise<DirectoryEntry<BusinessState> | undefined> {
    await this.ready();
    if (this.businesses.get(streamName) === undefined) await this.reload(streamName);
    return entryOf(this.businesses.get(streamName));
  }

  /** A region's members (active and forgotten), oldest registration first. */
  membersOf(regionId: string): Extract<AccountState, { status: 'active' | 'forgotten' }>[] {
    return this.memberEntriesOf(regionId).map((entry) => entry.state);
  }

  /** A region's members with when each was registered, oldest registration first. */
  memberEntriesOf(regionId: string): DirectoryEntry<Extract<AccountState, { status: 'active' | 'forgotten' }>>[] {
    const members: DirectoryEntry<Extract<AccountState, { status: 'active' | 'forgotten' }>>[] = [];
    for (const [stream, known] of this.accounts.entries()) {
      const state = known.view;
      if (stream.startsWith('member-') && state.status !== 'unregistered' && state.profile?.regionId === regionId)
        members.push({ state, version: known.version, registeredAt: known.since });
    }
    return members.sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime());
  }

  businessesOf(regionId: string | undefined): Extract<BusinessState, { status: 'registered' }>[] {
    const list: Extract<BusinessState, { status: 'registered' }>[] = [];
    for (const [, { view: state }] of this.businesses.entries()) {
      if (state.status === 'registered' && (regionId === undefined || state.regionId === regionId)) list.push(state);
    }
    return list;
  }
}
