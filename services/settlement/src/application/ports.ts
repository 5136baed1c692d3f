import type { ZenginBankAccount } from '../domain/files/zengin.js';
import type { BusinessFacts, PrefectureId } from '../domain/model.js';

/**
 * What settlement asks identity (which owns regions, businesses and members' personal data). The
 * adapter calls identity over gRPC; only the regions are reference data that may be remembered.
 */
export interface IdentityLookup {
  /** The prefecture of the region's office (`akita`, `tokyo`: whose minimum wage binds its employees); undefined when identity serves no such region. */
  officePrefecture(regionId: string): Promise<PrefectureId | undefined>;
  /**
   * The businesses as invoices name them (name, registration number), asked with the caller's
   * own token; `settlement.business_not_found` (not_found) for one identity does not know.
   */
  businesses(businessIds: readonly string[], token: string | undefined): Promise<BusinessFacts[]>;
  /**
   * The members' bank accounts, asked with the caller's own token (identity lets the accountant
   * and operators read them), for the one file being written: never cached, stored or logged. A
   * member whose account cannot be read (forgotten) is absent from the map.
   */
  bankAccounts(memberIds: readonly string[], token: string | undefined): Promise<Map<string, ZenginBankAccount>>;
  /** A member's name for her statement, asked with the caller's own token; undefined once she was forgotten. */
  memberName(memberId: string, token: string | undefined): Promise<string | undefined>;
}
