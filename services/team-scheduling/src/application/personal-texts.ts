import type { CommandContext } from '@workshare/eventsourcing';
import { openPersonalTexts, type PersonalTexts, type ShownText } from '@workshare/identity/texts';
import type { PersonalText } from '../domain/text.js';

/**
 * The port a member's free texts go through (identity's, `@workshare/identity/texts`): the
 * application seals her reasons and progress notes with her key before any event holds them,
 * and opens them, in one batch per read, for the caller as identity lets her read them. Over
 * gRPC in production (IdentityTextsClient, at IDENTITY_ADDRESS), identity's facade in process in
 * tests beside a real identity (identityServiceTexts).
 */
export type { PersonalTexts, ShownText } from '@workshare/identity/texts';

/** Her texts (checked already), each sealed for her but an empty one (nothing to seal), in one call. */
export const sealHers = async (
  texts: PersonalTexts,
  context: CommandContext,
  ownerId: string,
  values: readonly string[],
): Promise<PersonalText[]> => {
  const toSeal = values.filter((v) => v !== '');
  const sealed = await texts.seal(context, ownerId, toSeal);
  let next = 0;
  return values.map((v) => (v === '' ? '' : sealed[next++]!));
};

/** Every value (a PersonalText of an event) as the caller may read it, in one batch. */
export const shownTo = (
  texts: PersonalTexts,
  context: CommandContext,
  values: readonly unknown[],
): Promise<ShownText[]> => openPersonalTexts(texts, context, values);
