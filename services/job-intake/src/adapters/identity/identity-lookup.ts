import { NotFoundError } from '@workshare/eventsourcing';
import { createClient, type CreateClientOptions, type ServiceClient } from '@workshare/grpc';
import { identityV1 } from '@workshare/proto';
import type { BusinessRecord, IdentityLookup } from '../../application/ports.js';
import type { RegionRef } from '../../domain/job.js';

export interface IdentityGrpcLookupOptions {
  /** host:port of the identity service. */
  readonly identityAddress: string;
  /** How long the regions are remembered (default 5 minutes): reference data that seldom changes. */
  readonly regionsTtlMs?: number;
  /** How long a business found is remembered (default 60 s): its existence and region. */
  readonly businessTtlMs?: number;
  readonly now?: () => number;
  readonly client?: Omit<CreateClientOptions, 'token'>;
}

export const DEFAULT_REGIONS_TTL_MS = 5 * 60_000;
export const DEFAULT_BUSINESS_TTL_MS = 60_000;
const MAX_BUSINESSES_REMEMBERED = 10_000;

/**
 * Identity over gRPC: ListRegions (public, remembered for a while; a failure is not
 * remembered) and GetBusiness (asked with the caller's own token, so identity applies its own
 * rules to her). Identity's errors come back as the DomainErrors it threw (business.not_found...).
 * A business found is remembered for a minute: job intake needs only that it exists and its
 * region, facts that do not depend on who asks (who may act for it is the decider's to say).
 */
export class IdentityGrpcLookup implements IdentityLookup {
  private readonly client: ServiceClient<typeof identityV1.IdentityServiceService>;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private cached: { readonly regions: readonly RegionRef[]; readonly until: number } | undefined;
  private pending: Promise<readonly RegionRef[]> | undefined;
  private readonly businessTtlMs: number;
  private readonly businesses = new Map<string, { readonly record: BusinessRecord; readonly until: number }>();

  constructor(options: IdentityGrpcLookupOptions) {
    this.client = createClient(identityV1.IdentityServiceClient, options.identityAddress, {
      deadlineMs: 3_000,
      ...options.client,
    });
    this.ttlMs = options.regionsTtlMs ?? DEFAULT_REGIONS_TTL_MS;
    this.businessTtlMs = options.businessTtlMs ?? DEFAULT_BUSINESS_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  regions(): Promise<readonly RegionRef[]> {
    if (this.cached !== undefined && this.cached.until > this.now()) return Promise.resolve(this.cached.regions);
    this.pending ??= this.client
      .listRegions({})
      .then((response) => {
        const regions = response.regions.map((r): RegionRef => ({
          id: r.region,
          townIds: r.towns.map((t) => `${r.region}/${t.town}`),
        }));
        this.cached = { regions, until: this.now() + this.ttlMs };
        return regions;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  async business(businessId: string, token: string | undefined): Promise<BusinessRecord> {
    const known = this.businesses.get(businessId);
    if (known !== undefined && known.until > this.now()) return known.record;
    const response = await this.client.getBusiness({ businessId }, { token });
    const business = response.business;
    if (business === undefined || business.businessId === '')
      throw new NotFoundError('business.not_found', `no business ${businessId}`);
    const record = { businessId: business.businessId, regionId: business.region };
    if (this.businesses.size >= MAX_BUSINESSES_REMEMBERED)
      this.businesses.delete(this.businesses.keys().next().value as string);
    this.businesses.set(businessId, { record, until: this.now() + this.businessTtlMs });
    return record;
  }

  close(): void {
    this.client.close();
  }
}
