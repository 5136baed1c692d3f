import type { IdentityService } from '../application/identity-service.js';
import { TEXT_LIMITS } from '../application/texts.js';
import type { PersonalTexts } from '../texts.js';

/**
 * The texts port over identity's facade in the same process (no gRPC): the caller's actor is
 * taken as identity's use cases take every context, and identity's own rules apply to her
 * (who may seal, who may read). For a process that runs identity itself, and for other
 * services' tests beside a real identity.
 */
export const identityServiceTexts = (identity: IdentityService): PersonalTexts => ({
  seal: async (caller, ownerId, texts) =>
    texts.length === 0
      ? []
      : (await identity.sealTexts({ actor: caller.actor }, { ownerId, texts })).map((sealed) => ({
          sealedFor: ownerId,
          sealed,
        })),
  open: async (caller, texts) => {
    const opened = [];
    for (let from = 0; from < texts.length; from += TEXT_LIMITS.textsPerOpen)
      opened.push(
        ...(await identity.openTexts(
          { actor: caller.actor },
          texts.slice(from, from + TEXT_LIMITS.textsPerOpen).map((t) => ({ ownerId: t.sealedFor, sealed: t.sealed })),
        )),
      );
    return opened;
  },
});
