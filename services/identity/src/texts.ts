/**
 * `@workshare/identity/texts`: free texts about a member that other services keep (a hand-off's
 * reason and progress note, an unavailability's reason, a time correction's reason), sealed with
 * her own data key by identity, so that forgetting her (crypto-shredding) makes them unreadable
 * like her name, address and bank account. What a service needs to seal and open them: the
 * shape a sealed text has in its events, the port its application layer takes, and the gRPC
 * client that is that port (identity's SealTexts and OpenTexts).
 */

import type { Actor } from '@workshare/eventsourcing';

/** A text sealed by identity with the data key of the member `sealedFor` (as events keep it). */
export interface SealedText {
  /** The member the text is about: whose key sealed it. */
  readonly sealedFor: string;
  /** `v1.<nonce>.<ciphertext>.<tag>` (AES-256-GCM, base64url), bound to her. */
  readonly sealed: string;
}

/**
 * A free text as an event holds it: a string is kept in clear (the platform's own words, such
 * as `member left the team`, or a text written before texts were sealed), a SealedText is a
 * person's words sealed with the member's key.
 */
export type PersonalText = string | SealedText;

/**
 * A sealed text as a caller reads it: the text; `redacted` once its member is forgotten (for
 * good); `withheld` when it is not the caller's to read (only the member herself, a coordinator
 * of her region, the accountant and operators read them); `unreadable` when it does not open
 * (changed, or moved from another member's event).
 */
export type OpenedText =
  | { readonly status: 'readable'; readonly text: string }
  | { readonly status: 'redacted' }
  | { readonly status: 'withheld' }
  | { readonly status: 'unreadable' };

/**
 * For whom a text is sealed or opened: the person a service acts for, as its command's context
 * has her (CommandContext of @workshare/eventsourcing fits): her bearer token, which the gRPC
 * client passes on, and the actor, which identity's facade in the same process takes.
 */
export interface TextsCaller {
  readonly actor: Actor;
  readonly token?: string | undefined;
}

/**
 * The port a service's application layer seals and opens texts through: IdentityTextsClient
 * over gRPC, or identityServiceTexts over identity's facade in the same process.
 */
export interface PersonalTexts {
  /** Seals texts about the member `ownerId`, for the caller (herself, a coordinator of her region, an operator). */
  seal(caller: TextsCaller, ownerId: string, texts: readonly string[]): Promise<SealedText[]>;
  /** Opens sealed texts for the caller, one answer per text, in order (any number: batched). */
  open(caller: TextsCaller, texts: readonly SealedText[]): Promise<OpenedText[]>;
}

export const isSealedText = (value: unknown): value is SealedText =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { sealedFor?: unknown }).sealedFor === 'string' &&
  typeof (value as { sealed?: unknown }).sealed === 'string';

/** A free text as a read shows it: `text` is empty unless `status` is `readable`. */
export interface ShownText {
  readonly status: OpenedText['status'];
  readonly text: string;
}

/**
 * Every value as the caller may read it, in order, with one OpenTexts batch for the
 * sealed ones (a text sealed twice is opened once): a string is shown as it is, a sealed text
 * opened. Anything else (a malformed value) shows as unreadable.
 */
export const openPersonalTexts = async (
  texts: PersonalTexts,
  caller: TextsCaller,
  values: readonly unknown[],
): Promise<ShownText[]> => {
  const sealed = new Map<string, SealedText>();
  const keyOf = (t: SealedText) => `${t.sealedFor}\u0000${t.sealed}`;
  for (const value of values) if (isSealedText(value)) sealed.set(keyOf(value), value);
  const asked = [...sealed.values()];
  const answers = asked.length === 0 ? [] : await texts.open(caller, asked);
  const opened = new Map(asked.map((t, i) => [keyOf(t), answers[i] ?? ({ status: 'unreadable' } as const)]));
  return values.map((value): ShownText => {
    if (typeof value === 'string') return { status: 'readable', text: value };
    if (!isSealedText(value)) return { status: 'unreadable', text: '' };
    const answer = opened.get(keyOf(value)) ?? { status: 'unreadable' };
    return answer.status === 'readable' ? answer : { status: answer.status, text: '' };
  });
};

export {
  IdentityTextsClient,
  OPEN_TEXTS_BATCH,
  type IdentityTextsClientOptions,
} from './adapters/grpc/texts-client.js';
