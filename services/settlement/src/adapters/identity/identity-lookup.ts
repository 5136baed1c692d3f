import { DomainError, NotFoundError } from '@workshare/eventsourcing';
import { createClient, type CreateClientOptions, type ServiceClient } from '@workshare/grpc';
import { identityV1 } from '@workshare/proto';
import type { ZenginBankAccount } from '../../domain/files/zengin.js';
import type { BusinessFacts, PrefectureId } from '../../domain/model.js';
import type { IdentityLookup } from '../../application/ports.js';

export interface IdentityGrpcLookupOptions {
  /** host:port of the identity service. */
  readonly identityAddress: string;
  /** How long the regions' offices are remembered (default 5 minutes): reference data that seldom changes. */
  readonly regionsTtlMs?: number;
  /** The clock of the TTL, in ms (tests move it); default the process's monotonic clock. */
  readonly now?: () => number;
  /** How many calls to identity one lookup makes at a time (default 8). */
  readonly concurrency?: number;
  readonly client?: Omit<CreateClientOptions, 'token'>;
}

export const DEFAULT_REGIONS_TTL_MS = 5 * 60_000;

/**
 * ISO 3166-2 codes of Japan's prefectures (identity's Region.prefecture, `JP-05`) as the
 * prefecture ids settlement's minimum-wage table is keyed by (`akita`).
 */
export const PREFECTURE_OF_ISO_CODE: Readonly<Record<string, PrefectureId>> = Object.freeze(
  Object.fromEntries(
    [
      'hokkaido',
      'aomori',
      'iwate',
      'miyagi',
      'akita',
      'yamagata',
      'fukushima',
      'ibaraki',
      'tochigi',
      'gunma',
      'saitama',
      'chiba',
      'tokyo',
      'kanagawa',
      'niigata',
      'toyama',
      'ishikawa',
      'fukui',
      'yamanashi',
      'nagano',
      'gifu',
      'shizuoka',
      'aichi',
      'mie',
      'shiga',
      'kyoto',
      'osaka',
      'hyogo',
      'nara',
      'wakayama',
      'tottori',
      'shimane',
      'okayama',
      'hiroshima',
      'yamaguchi',
      'tokushima',
      'kagawa',
      'ehime',
      'kochi',
      'fukuoka',
      'saga',
      'nagasaki',
      'kumamoto',
      'oita',
      'miyazaki',
      'kagoshima',
      'okinawa',
    ].map((id, i) => [`JP-${String(i + 1).padStart(2, '0')}`, id]),
  ),
);

/** Runs `work` over `items`, at most `limit` at a time, answering in the items' order. */
const mapLimited = async <T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};

const { BankAccountType, PersonalDataStatus } = identityV1;

/**
 * Identity over gRPC: ListRegions (public; the offices' prefectures remembered for a while, a
 * failure never remembered, callers asking at the same time sharing one call), GetBusiness and
 * GetMember (asked with the caller's own token, so identity applies its own rules to her:
 * identity's errors come back as the DomainErrors it threw). Bank accounts go straight from
 * identity's answer into the map handed to the file writer: never cached, never logged.
 */
export class IdentityGrpcLookup implements IdentityLookup {
  private readonly client: ServiceClient<typeof identityV1.IdentityServiceService>;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly concurrency: number;
  private offices: { readonly at: number; readonly value: Promise<ReadonlyMap<string, PrefectureId>> } | undefined;

  constructor(options: IdentityGrpcLookupOptions) {
    this.client = createClient(identityV1.IdentityServiceClient, options.identityAddress, {
      deadlineMs: 5_000,
      ...options.client,
    });
    this.ttlMs = options.regionsTtlMs ?? DEFAULT_REGIONS_TTL_MS;
    this.now = options.now ?? (() => performance.now());
    this.concurrency = options.concurrency ?? 8;
  }

  async officePrefecture(regionId: string): Promise<PrefectureId | undefined> {
    return (await this.regionOffices()).get(regionId);
  }

  private regionOffices(): Promise<ReadonlyMap<string, PrefectureId>> {
    const now = this.now();
    if (this.offices !== undefined && now - this.offices.at < this.ttlMs) return this.offices.value;
    const value = this.client.listRegions({}).then(
      (response) =>
        new Map(
          response.regions.flatMap((r) => {
            const prefecture = PREFECTURE_OF_ISO_CODE[r.prefecture];
            return prefecture === undefined ? [] : [[r.region, prefecture] as const];
          }),
        ),
    );
    const entry = { at: now, value };
    this.offices = entry;
    value.catch(() => {
      if (this.offices === entry) this.offices = undefined;
    });
    return value;
  }

  async businesses(businessIds: readonly string[], token: string | undefined): Promise<BusinessFacts[]> {
    return mapLimited([...new Set(businessIds)].sort(), this.concurrency, async (businessId) => {
      const { business } = await this.client.getBusiness({ businessId }, { token });
      if (business === undefined || business.businessId === '')
        throw new NotFoundError('settlement.business_not_found', `identity knows no business ${businessId}`, {
          businessId,
        });
      return { businessId, name: business.name, registrationNumber: business.registrationNumber };
    });
  }

  async bankAccounts(memberIds: readonly string[], token: string | undefined): Promise<Map<string, ZenginBankAccount>> {
    const accounts = new Map<string, ZenginBankAccount>();
    await mapLimited([...new Set(memberIds)], this.concurrency, async (memberId) => {
      const { member } = await this.client.getMember({ memberId }, { token });
      const account = member?.personalData?.bankAccount;
      if (member?.personalDataStatus !== PersonalDataStatus.PERSONAL_DATA_STATUS_INCLUDED || account === undefined)
        return;
      const type =
        account.accountType === BankAccountType.BANK_ACCOUNT_TYPE_ORDINARY
          ? 'ordinary'
          : account.accountType === BankAccountType.BANK_ACCOUNT_TYPE_CHECKING
            ? 'current'
            : undefined;
      // The message names the member, never her account.
      if (type === undefined)
        throw new DomainError(
          'settlement.bank_account_unsupported',
          `member ${memberId}'s account is of a kind the transfer file does not take (普通 or 当座 only)`,
          'rule',
          { memberId },
        );
      accounts.set(memberId, {
        bankCode: account.bankCode,
        branchCode: account.branchCode,
        type,
        number: account.accountNumber,
        holder: account.holderNameKana,
      });
    });
    return accounts;
  }

  async memberName(memberId: string, token: string | undefined): Promise<string | undefined> {
    const { member } = await this.client.getMember({ memberId }, { token });
    if (member?.personalDataStatus !== PersonalDataStatus.PERSONAL_DATA_STATUS_INCLUDED) return undefined;
    return member.personalData?.name;
  }

  close(): void {
    this.client.close();
  }
}
