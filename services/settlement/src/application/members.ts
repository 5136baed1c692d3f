import { IDENTITY_PUBLISHED_EVENTS } from '@workshare/contracts';
import {
  DurableReadModel,
  type DurableReadModelOptions,
  type ProjectionDefinition,
  type ProjectionStore,
  type ReadModelSource,
  type RecordedEvent,
  type StreamViews,
} from '@workshare/eventsourcing';
import type { ContractType, MemberFacts } from '../domain/model.js';
import {
  evolve as evolvePayee,
  initialState as initialPayee,
  type PayeeEvent,
  type PayeeState,
} from '../domain/payee.js';
import { publishedEventOf } from './published.js';

/** Members: identity's `member` streams and settlement's own `payee` streams (raise the version when the folding changes). */
export const MEMBERS_PROJECTION: ProjectionDefinition = {
  name: 'members',
  version: 1,
  categories: ['member', 'payee'],
};

/** A member as identity publishes her: her region, her contract, whether she was forgotten. */
export interface MemberView {
  readonly registered: { readonly regionId: string; readonly contractType: ContractType } | null;
  readonly forgotten: boolean;
}

const UNKNOWN: MemberView = { registered: null, forgotten: false };

/**
 * One more event of a member stream. Only identity's published events are read
 * (IDENTITY_PUBLISHED_EVENTS: MemberRegistered gives her region and contract type,
 * MemberForgotten marks her forgotten); every other event of the stream only moves its version.
 * No personal data is published, so none is kept.
 */
export const projectMember = (known: MemberView | undefined, event: RecordedEvent): MemberView => {
  const view = known ?? UNKNOWN;
  const published = publishedEventOf(IDENTITY_PUBLISHED_EVENTS, event);
  if (published === undefined) return view;
  switch (published.type) {
    case 'MemberRegistered':
      return { ...view, registered: { regionId: published.data.regionId, contractType: published.data.contractType } };
    case 'MemberForgotten':
      return { ...view, forgotten: true };
    default:
      return view;
  }
};

const PAYEE_EVENTS = new Set<string>(['PayeeRegistered']);

/**
 * The members settlement pays, as a durable read model (settlement's schema, with its
 * checkpoint): identity's published member events, and each member's own registration number as
 * settlement records it (`payee-<memberId>`, written through by this process's appends).
 */
export class Members extends DurableReadModel {
  private readonly members: StreamViews<MemberView>;
  private readonly payees: StreamViews<PayeeState>;

  constructor(store: ReadModelSource, projections: ProjectionStore, options: DurableReadModelOptions = {}) {
    super(store, projections, MEMBERS_PROJECTION, options);
    this.members = this.streamViews<MemberView>('members', {
      accepts: (event) => event.streamName.startsWith('member-'),
      project: projectMember,
    });
    this.payees = this.streamViews<PayeeState>('payees', {
      accepts: (event) => event.streamName.startsWith('payee-') && PAYEE_EVENTS.has(event.type),
      project: (known, event) =>
        evolvePayee(known ?? initialPayee(), { type: event.type, data: event.data } as PayeeEvent),
    });
  }

  protected async apply(event: RecordedEvent): Promise<void> {
    await this.members.apply(event);
    await this.payees.apply(event);
  }

  /** The member as identity published her (undefined when no MemberRegistered was seen). */
  member(
    memberId: string,
  ): { readonly contractType: ContractType; readonly regionId: string; readonly forgotten: boolean } | undefined {
    const view = this.members.get(`member-${memberId}`)?.view;
    if (view?.registered == null) return undefined;
    return { ...view.registered, forgotten: view.forgotten };
  }

  /** Her own registration number as recorded (null: none). */
  invoiceRegistrationNumber(memberId: string): string | null {
    return this.payees.get(`payee-${memberId}`)?.view.invoiceRegistrationNumber ?? null;
  }

  /** What the close reads of a member; undefined when identity has published no registration of her. */
  facts(memberId: string): MemberFacts | undefined {
    const member = this.member(memberId);
    if (member === undefined) return undefined;
    return {
      memberId,
      regionId: member.regionId,
      contractType: member.contractType,
      invoiceRegistrationNumber: this.invoiceRegistrationNumber(memberId),
      forgotten: member.forgotten,
    };
  }
}
