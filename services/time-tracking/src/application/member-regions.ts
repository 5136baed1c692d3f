import { IDENTITY_PUBLISHED_EVENTS, parsePublished } from '@workshare/contracts';
import {
  DurableReadModel,
  type DurableReadModelOptions,
  type ProjectionDefinition,
  type ProjectionStore,
  type ReadModelSource,
  type RecordedEvent,
  type StreamViews,
} from '@workshare/eventsourcing';

/** Identity's published MemberRegistered, read from the `member` streams (raise the version when the folding changes). */
export const MEMBER_REGIONS_PROJECTION: ProjectionDefinition = {
  name: 'member-regions',
  version: 1,
  categories: ['member'],
};

/** A member's region as identity published it; undefined until her MemberRegistered is read. */
export interface MemberRegion {
  readonly memberId: string;
  readonly regionId?: string;
}

const MEMBER_PREFIX = 'member-';

/**
 * Folds one event of a `member-<id>` stream through identity's published catalogue only:
 * MemberRegistered gives her region; every other event leaves it (identity's internal events,
 * personal data among them, are never read). An event the contract refuses is passed over.
 */
export const projectMember = (known: MemberRegion | undefined, event: RecordedEvent): MemberRegion => {
  const view = known ?? { memberId: event.streamName.slice(MEMBER_PREFIX.length) };
  const parsed = parsePublished(IDENTITY_PUBLISHED_EVENTS, event);
  if (!parsed.ok || parsed.value.type !== 'MemberRegistered') return view;
  return { memberId: parsed.value.data.memberId, regionId: parsed.value.data.regionId };
};

/**
 * Members' regions, from identity's published MemberRegistered: who may correct a member's
 * time and approve her week (a coordinator of her region). A durable read model in time
 * tracking's schema, one document per member stream.
 */
export class MemberRegions extends DurableReadModel {
  private readonly members: StreamViews<MemberRegion>;

  constructor(store: ReadModelSource, projections: ProjectionStore, options: DurableReadModelOptions = {}) {
    super(store, projections, MEMBER_REGIONS_PROJECTION, options);
    this.members = this.streamViews<MemberRegion>('members', {
      // Every event of the stream, so that its versions follow one another (only published ones are read).
      accepts: (event) => event.streamName.startsWith(MEMBER_PREFIX),
      project: projectMember,
    });
  }

  protected apply(event: RecordedEvent): Promise<void> {
    return this.members.apply(event);
  }

  /** Her region, or undefined when identity has published none. */
  regionOf(memberId: string): string | undefined {
    return this.members.get(`${MEMBER_PREFIX}${memberId}`)?.view.regionId;
  }
}
