import { NotFoundError } from '@workshare/eventsourcing';
import { createClient, type CreateClientOptions, type ServiceClient } from '@workshare/grpc';
import { identityV1 } from '@workshare/proto';
import { LRUCache } from 'lru-cache';
import type { BusinessRecord, IdentityLookup } from '../../application/ports.js';
import type { RegionRef } from '../../domain/job.js';

export interface IdentityGrpcLookupOptions {
  /** host:port of the identity service. */
  readonly identityAddress: string;
  /** How long the regions are remembered (default 5 minutes): reference data that seldom changes. */
  readonly regionsTtlMs?: number;
  /** How long a business found is remembered (default 60 s): its existence and region. */
  readonly businessTtlMs?: number;
  /** The clock of the TTLs, in ms (tests move it); default the process's monotonic clock. */
  readonly now?: () => number;
  readonly client?: Omit<CreateClientOptions, 'token'>;
}

export const DEFAULT_REGIONS_TTL_MS = 5 * 60_000;
export const DEFAULT_BUSINESS_TTL_MS = 60_000;
const MAX_BUSINESSES_REMEMBERED = 10_000;

/** A fetch answers undefined only when it was aborted, which these caches never do. */
const answered = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error('identity lookup: the fetch was aborted');
  return value;
};

/** The one key of the regions' cache: ListRegions has no argument. */
const REGIONS = 'regions';

/**
 * Identity over gRPC: ListRegions (public) and GetBusiness (asked with the caller's own token, so
 * identity applies its own rules to her). Identity's errors come back as the DomainErrors it threw
 * (business.not_found...). Both are remembered in LRU caches with a TTL (lru-cache): the regions
 * for a while, a business found for a minute (job intake needs only that it exists and its region,
 * facts that do not depend on who asks; who may act for it is the decider's to say). A failure is
 * never remembered. `fetch` asks identity once for callers asking the same thing at the same time
 * (single flight): they share its answer, or its failure.
 */
export class IdentityGrpcLookup implements IdentityLookup {
  private readonly client: ServiceClient<typeof identityV1.IdentityServiceService>;
  private readonly regionsCache: LRUCache<typeof REGIONS, readonly RegionRef[]>;
  private readonly businesses: LRUCache<string, BusinessRecord, string | undefined>;

  constructor(options: IdentityGrpcLookupOptions) {
    this.client = createClient(identityV1.IdentityServiceClient, options.identityAddress, {
      deadlineMs: 3_000,
      ...options.client,
    });
    // ttlResolution 0: the clock is read on every check, so a TTL ends when the clock says so.
    const clock = { ttlResolution: 0, ...(options.now !== undefined ? { perf: { now: options.now } } : {}) };
    this.regionsCache = new LRUCache<typeof REGIONS, readonly RegionRef[]>({
      max: 1,
      ttl: options.regionsTtlMs ?? DEFAULT_REGIONS_TTL_MS,
      ...clock,
      fetchMethod: async () => {
        const response = await this.client.listRegions({});
        return response.regions.map((r): RegionRef => ({
          id: r.region,
          townIds: r.towns.map((t) => `${r.region}/${t.town}`),
        }));
      },
    });
    this.businesses = new LRUCache<string, BusinessRecord, string | undefined>({
      max: MAX_BUSINESSES_REMEMBERED,
      ttl: options.businessTtlMs ?? DEFAULT_BUSINESS_TTL_MS,
      ...clock,
      fetchMethod: async (businessId, _stale, { context: token }) => {
        const response = await this.client.getBusiness({ businessId }, { token });
        const business = response.business;
        if (business === undefined || business.businessId === '')
          throw new NotFoundError('business.not_found', `no business ${businessId}`);
        return { businessId: business.businessId, regionId: business.region };
      },
    });
  }

  async regions(): Promise<readonly RegionRef[]> {
    return answered(await this.regionsCache.fetch(REGIONS));
  }

  async business(businessId: string, token: string | undefined): Promise<BusinessRecord> {
    return answered(await this.businesses.fetch(businessId, { context: token }));
  }

  close(): void {
    this.client.close();
  }
}
