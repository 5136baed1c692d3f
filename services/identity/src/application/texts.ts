import {
  characterCount,
  coordinates,
  assertStorableText,
  DomainError,
  ForbiddenError,
  isAccountant,
  isOperator,
  isUuid,
  ValidationError,
  type Actor,
  type CommandContext,
} from '@workshare/eventsourcing';
import { memberStream, type AccountState } from '../domain/account.js';
import { MAX_PERSONAL_TEXT_LENGTH } from '../request-limits.js';
import type { OpenedText } from '../texts.js';
import type { IdentityCore } from './identity-core.js';

/**
 * Free texts other services keep about a member (a hand-off's reason and progress note, an
 * unavailability's reason, a time correction's reason), sealed with her own data key like her
 * personal data: the service stores the sealed text, never the text, and once she is forgotten
 * nobody reads them again (crypto-shredding). Sealing and opening write nothing.
 */
export const TEXT_LIMITS = Object.freeze({
  /** Characters of one text (a progress note has at most 2,000). */
  textLength: MAX_PERSONAL_TEXT_LENGTH,
  /** Texts sealed in one call. */
  textsPerSeal: 16,
  /** Texts opened in one call. */
  textsPerOpen: 500,
});

export interface SealTextsInput {
  /** The member the texts are about. */
  readonly ownerId: string;
  readonly texts: readonly string[];
}

/** A sealed text and the member it was sealed for. */
export interface SealedTextRef {
  readonly ownerId: string;
  readonly sealed: string;
}

export type { OpenedText } from '../texts.js';

type Registered = Extract<AccountState, { status: 'active' | 'forgotten' }>;

/** Who writes about a member (and so may seal a text about her): herself, a coordinator of her region, an operator. */
export const mayWriteAbout = (actor: Actor, member: { id: string; regionId: string }): boolean =>
  actor.id === member.id || isOperator(actor) || coordinates(actor, member.regionId);

/** Who reads what was written about her: those who write it, and the accountant (read-only). */
export const mayReadAbout = (actor: Actor, member: { id: string; regionId: string }): boolean =>
  mayWriteAbout(actor, member) || isAccountant(actor);

export class PersonalTexts {
  constructor(private readonly core: IdentityCore) {}

  async seal(context: CommandContext, { ownerId, texts }: SealTextsInput): Promise<string[]> {
    const { core } = this;
    const actor = await core.readerOf(context);
    if (!Array.isArray(texts) || texts.length === 0)
      throw new ValidationError('personal_text.required', 'at least one text to seal', { field: 'texts' });
    if (texts.length > TEXT_LIMITS.textsPerSeal)
      throw new ValidationError(
        'personal_text.too_many',
        `at most ${TEXT_LIMITS.textsPerSeal} texts are sealed in one call`,
        { field: 'texts', maxItems: TEXT_LIMITS.textsPerSeal },
      );
    texts.forEach((text, i) => {
      if (typeof text !== 'string')
        throw new ValidationError('personal_text.invalid', 'a text is a string', { field: `texts[${i}]` });
      assertStorableText(text, `texts[${i}]`);
      if (characterCount(text, TEXT_LIMITS.textLength) > TEXT_LIMITS.textLength)
        throw new ValidationError(
          'personal_text.too_long',
          `a sealed text has at most ${TEXT_LIMITS.textLength} characters`,
          { field: `texts[${i}]`, maxLength: TEXT_LIMITS.textLength },
        );
    });
    const { account } = await core.knownAccount('member', ownerId);
    const owner = { id: account.id, regionId: account.profile!.regionId };
    if (!mayWriteAbout(actor, owner))
      throw new ForbiddenError('personal_text.forbidden', 'you may not write about this member');
    const forgotten = () =>
      new DomainError('personal_text.owner_forgotten', 'this member was forgotten: nothing is kept about her', 'rule');
    if (account.status === 'forgotten') throw forgotten();
    const sealed: string[] = [];
    for (const text of texts) {
      const one = await core.options.protector.sealText(memberStream(account.id), text);
      if (one === undefined) throw forgotten();
      sealed.push(one);
    }
    return sealed;
  }

  async open(context: CommandContext, texts: readonly SealedTextRef[]): Promise<OpenedText[]> {
    const { core } = this;
    const actor = await core.readerOf(context);
    if (!Array.isArray(texts)) throw new ValidationError('personal_text.invalid', 'a list of sealed texts');
    if (texts.length > TEXT_LIMITS.textsPerOpen)
      throw new ValidationError(
        'personal_text.too_many',
        `at most ${TEXT_LIMITS.textsPerOpen} texts are opened in one call`,
        { field: 'texts', maxItems: TEXT_LIMITS.textsPerOpen },
      );
    const owners = new Map<string, Registered | undefined>();
    for (const { ownerId } of texts) {
      if (owners.has(ownerId)) continue;
      const entry = isUuid(ownerId) ? await core.directory.account(memberStream(ownerId)) : undefined;
      const state = entry?.state;
      owners.set(
        ownerId,
        state !== undefined && state.status !== 'unregistered' && state.kind === 'member' ? state : undefined,
      );
    }
    const opened: OpenedText[] = [];
    for (const { ownerId, sealed } of texts) {
      const owner = owners.get(ownerId);
      if (owner === undefined || !mayReadAbout(actor, { id: owner.id, regionId: owner.profile!.regionId })) {
        opened.push({ status: 'withheld' });
        continue;
      }
      if (owner.status === 'forgotten') {
        opened.push({ status: 'redacted' });
        continue;
      }
      const text = await core.options.protector.openText(
        memberStream(owner.id),
        typeof sealed === 'string' ? sealed : '',
      );
      opened.push(text.status === 'shredded' ? { status: 'redacted' } : text);
    }
    return opened;
  }
}
