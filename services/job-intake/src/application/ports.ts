import type { RegionRef } from '../domain/job.js';

/** A business as identity records it: enough to know it exists and which region serves it. */
export interface BusinessRecord {
  readonly businessId: string;
  readonly regionId: string;
}

/**
 * What job intake asks identity (which owns regions, towns and businesses). The adapter calls
 * identity over gRPC; regions are reference data and may be cached.
 */
export interface IdentityLookup {
  /** The regions served and their towns (`<region>/<town>`). */
  regions(): Promise<readonly RegionRef[]>;
  /** The business, asked with the caller's own token; `business.not_found` (not_found) when there is none. */
  business(businessId: string, token: string | undefined): Promise<BusinessRecord>;
}
