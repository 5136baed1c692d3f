import { DomainError, isUuid } from '@workshare/eventsourcing';
import { createClient, type CreateClientOptions, type ServiceClient } from '@workshare/grpc';
import { IdentityTextsClient, openPersonalTexts } from '@workshare/identity';
import { identityV1 } from '@workshare/proto';
import type { PersonalText } from '../../contract.js';
import type { PersonalTexts, PersonNames, StoredText, TextsAsker } from '../../application/ports.js';

/**
 * Identity over gRPC, with the asker's own token (identity applies its rules to her): members'
 * names (GetMember: her name when identity shows it to the asker, redacted once she is
 * forgotten, withheld otherwise) and personal texts (OpenTexts, in batches: a sealed hand-off
 * reason opens for those identity lets read it). Nothing is cached beyond one answer.
 */
export interface IdentityPeopleOptions {
  readonly identityAddress: string;
  /** How many GetMember calls run at a time (default 8). */
  readonly concurrency?: number;
  readonly client?: Omit<CreateClientOptions, 'token'>;
}

const { PersonalDataStatus } = identityV1;

const mapLimited = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};

const WITHHELD: PersonalText = { kind: 'withheld' };

export class IdentityPeople implements PersonNames, PersonalTexts {
  private readonly client: ServiceClient<typeof identityV1.IdentityServiceService>;
  private readonly textsClient: IdentityTextsClient;
  private readonly concurrency: number;

  constructor(options: IdentityPeopleOptions) {
    this.client = createClient(identityV1.IdentityServiceClient, options.identityAddress, {
      deadlineMs: 5_000,
      ...options.client,
    });
    this.textsClient = new IdentityTextsClient({
      identityAddress: options.identityAddress,
      ...(options.client ? { client: options.client } : {}),
    });
    this.concurrency = options.concurrency ?? 8;
  }

  async names(
    ids: readonly string[],
    asker: { readonly token?: string | undefined },
  ): Promise<Map<string, PersonalText>> {
    const names = new Map<string, PersonalText>();
    // Only a member id has a name to ask for: an actor may be the platform (`system:<service>`), a
    // tool or a user; those are shown by their id and role, and never make the answer fail.
    await mapLimited([...new Set(ids)].filter(isUuid), this.concurrency, async (memberId) => {
      try {
        const { member } = await this.client.getMember({ memberId }, { token: asker.token });
        if (member === undefined) return;
        switch (member.personalDataStatus) {
          case PersonalDataStatus.PERSONAL_DATA_STATUS_INCLUDED:
            names.set(memberId, { kind: 'text', text: member.personalData?.name ?? '' });
            break;
          case PersonalDataStatus.PERSONAL_DATA_STATUS_FORGOTTEN:
            names.set(memberId, { kind: 'redacted' });
            break;
          default:
            names.set(memberId, WITHHELD);
        }
      } catch (error) {
        // Not a member (a user, an operator): no name. Not hers to read: withheld.
        if (error instanceof DomainError && error.kind === 'not_found') return;
        if (error instanceof DomainError && error.kind === 'forbidden') names.set(memberId, WITHHELD);
        else throw error;
      }
    });
    return names;
  }

  async open(texts: readonly StoredText[], asker: TextsAsker): Promise<PersonalText[]> {
    const shown = await openPersonalTexts(
      this.textsClient,
      asker,
      texts.map((t) => t.stored),
    );
    return shown.map((t): PersonalText => {
      switch (t.status) {
        case 'readable':
          return { kind: 'text', text: t.text };
        case 'redacted':
          return { kind: 'redacted' };
        default:
          return WITHHELD;
      }
    });
  }

  close(): void {
    this.client.close();
    this.textsClient.close();
  }
}
