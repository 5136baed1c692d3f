import { NotFoundError, type CommandContext } from '@workshare/eventsourcing';
import { businessRegistration, businessStream, type BusinessState } from '../domain/business.js';
import type { EntityType } from '../domain/registration-number.js';
import { registrationNumberStream } from '../domain/reservation.js';
import { idForCommand } from './command-ids.js';
import type { IdentityCore } from './identity-core.js';
import type { BusinessView } from './views.js';

export interface RegisterBusinessInput {
  readonly name: string;
  readonly registrationNumber: string;
  /** Default `corporation` (whose registration number carries a check digit). */
  readonly entityType?: EntityType;
  readonly regionId: string;
  /** A corporation's address (optional; never a sole proprietor's, which is personal data). */
  readonly address?: string;
}

type Registered = Extract<BusinessState, { status: 'registered' }>;

export const businessView = (state: Registered): BusinessView => ({
  businessId: state.id,
  name: state.name,
  registrationNumber: state.registrationNumber,
  entityType: state.entityType,
  regionId: state.regionId,
  ...(state.address !== undefined ? { address: state.address } : {}),
});

/** Businesses: their registration (with a unique registration number) and reading them, public facts. */
export class Businesses {
  constructor(private readonly core: IdentityCore) {}

  /**
   * By an operator or a coordinator of the business's region. The registration is decided
   * first (refused here: nothing stored), then its registration number is reserved (its own
   * stream: another business holding it refuses this one) and the registration appended on the
   * business's fresh stream; should that fail, the number is released again (a decided
   * Release). The business's id follows from the caller and the request id: a retry answers
   * the business the first attempt registered.
   */
  async register(context: CommandContext, input: RegisterBusinessInput): Promise<BusinessView> {
    const { core } = this;
    const commandId = core.commandIdOf(context);
    const businessId = commandId === undefined ? core.newId() : idForCommand('business', commandId);
    const stream = businessStream(businessId);
    return core.once(stream, () => this.registerOnce(context, businessId, commandId, input));
  }

  private async registerOnce(
    context: CommandContext,
    businessId: string,
    commandId: string | undefined,
    input: RegisterBusinessInput,
  ): Promise<BusinessView> {
    const { core } = this;
    const stream = businessStream(businessId);
    const actor = await core.actorOf(context);
    const earlier = await core.handledBefore(core.businesses, stream, commandId);
    if (earlier !== undefined && earlier.state.status === 'registered') return businessView(earlier.state);
    const { registered, decision } = businessRegistration({
      type: 'RegisterBusiness',
      businessId,
      name: input.name,
      registrationNumber: input.registrationNumber,
      entityType: input.entityType ?? 'corporation',
      regionId: input.regionId,
      ...(input.address !== undefined ? { address: input.address } : {}),
      by: actor,
    });
    const numberStream = registrationNumberStream(registered.data.registrationNumber);
    const reserved = await core.registrationNumbers.handle(
      numberStream,
      { type: 'Reserve', owner: stream },
      { context, now: core.now },
    );
    try {
      const result = await core.businesses.handle(stream, decision, {
        context,
        now: core.now,
        assumeNewStream: true,
        ...(commandId !== undefined ? { commandId } : {}),
      });
      await core.observe(result.events);
      return businessView(result.state as Registered);
    } catch (error) {
      // A twin of this very request (same request id) may have registered it meanwhile: its outcome is ours.
      const twin = await core.handledBefore(core.businesses, stream, commandId).catch(() => undefined);
      if (twin !== undefined && twin.state.status === 'registered') return businessView(twin.state);
      if (reserved.events.length === 0) throw error;
      await core
        .releaseIfHeld(
          core.registrationNumbers,
          numberStream,
          stream,
          'the business registration did not complete',
          context,
        )
        .catch(() => undefined);
      throw error;
    }
  }

  /** Businesses are public facts (registration numbers are published): any signed-in caller. */
  async get(context: CommandContext, businessId: string): Promise<BusinessView> {
    const { core } = this;
    await core.readerOf(context);
    const entry = await core.directory.business(businessStream(core.assertId('business', businessId)));
    if (entry === undefined || entry.state.status !== 'registered')
      throw new NotFoundError('business.not_found', `no business ${businessId}`);
    return businessView(entry.state);
  }

  /** The businesses of a region, or of every region: any signed-in caller. */
  async list(context: CommandContext, regionId?: string): Promise<BusinessView[]> {
    await this.core.readerOf(context);
    return this.core.directory.businessesOf(regionId).map(businessView);
  }
}
