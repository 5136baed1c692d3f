import { createClient, type CreateClientOptions, type ServiceClient } from '@workshare/grpc';
import { identityV1 } from '@workshare/proto';
import type { OpenedText, PersonalTexts, SealedText, TextsCaller } from '../../texts.js';

export interface IdentityTextsClientOptions {
  /** host:port of the identity service (a service's IDENTITY_ADDRESS). */
  readonly identityAddress: string;
  readonly client?: Omit<CreateClientOptions, 'token'>;
}

/** How many texts one OpenTexts call carries (identity's limit); longer lists go in several calls. */
export const OPEN_TEXTS_BATCH = 500;

const { OpenedTextStatus } = identityV1;

const openedOf = (message: identityV1.OpenedText | undefined): OpenedText => {
  switch (message?.status) {
    case OpenedTextStatus.OPENED_TEXT_STATUS_READABLE:
      return { status: 'readable', text: message.text };
    case OpenedTextStatus.OPENED_TEXT_STATUS_REDACTED:
      return { status: 'redacted' };
    case OpenedTextStatus.OPENED_TEXT_STATUS_WITHHELD:
      return { status: 'withheld' };
    default:
      return { status: 'unreadable' };
  }
};

/**
 * Identity's SealTexts and OpenTexts over gRPC, each call with the token of the person the
 * calling service acts for (the caller's `token`) (identity applies its own rules to her): what other services use to
 * keep a member's free texts sealed with her key, and to show them to those who may read them.
 * Neither call writes anything, so retries (UNAVAILABLE) are safe. Errors come back as the
 * DomainErrors identity threw.
 */
export class IdentityTextsClient implements PersonalTexts {
  private readonly client: ServiceClient<typeof identityV1.IdentityServiceService>;

  constructor(options: IdentityTextsClientOptions) {
    this.client = createClient(identityV1.IdentityServiceClient, options.identityAddress, {
      deadlineMs: 5_000,
      ...options.client,
    });
  }

  async seal(caller: TextsCaller, ownerId: string, texts: readonly string[]): Promise<SealedText[]> {
    if (texts.length === 0) return [];
    const { sealed } = await this.client.sealTexts({ ownerId, texts: [...texts] }, { token: caller.token });
    if (sealed.length !== texts.length) throw new Error(`identity sealed ${sealed.length} texts of ${texts.length}`);
    return sealed.map((one) => ({ sealedFor: ownerId, sealed: one }));
  }

  async open(caller: TextsCaller, texts: readonly SealedText[]): Promise<OpenedText[]> {
    const opened: OpenedText[] = [];
    for (let from = 0; from < texts.length; from += OPEN_TEXTS_BATCH) {
      const batch = texts.slice(from, from + OPEN_TEXTS_BATCH);
      const answer = await this.client.openTexts(
        { texts: batch.map((t) => ({ ownerId: t.sealedFor, sealed: t.sealed })) },
        { token: caller.token },
      );
      batch.forEach((_, i) => opened.push(openedOf(answer.texts[i])));
    }
    return opened;
  }

  close(): void {
    this.client.close();
  }
}
