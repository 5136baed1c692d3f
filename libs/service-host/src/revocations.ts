import type { BusSubscription, EventBus } from '@workshare/bus';
import { categoriesOf, IDENTITY_ACCESS_REVOCATIONS, parsePublished, publishedTypes } from '@workshare/contracts';
import type { RecordedEvent } from '@workshare/eventsourcing';
import type { AccessRevocation, AccessRevocationListener } from '@workshare/grpc';
import type { ServiceLogger } from './definition.js';

/** The listener's name (logs, and the prefix of its NATS consumers). */
export const ACCESS_REVOCATIONS_LISTENER = 'access-revocations';

/** What a published access revocation of identity ends, or undefined for an event that is none (or breaks its schema). */
export const accessRevocationOf = (event: RecordedEvent): AccessRevocation | undefined => {
  const parsed = parsePublished(IDENTITY_ACCESS_REVOCATIONS, event);
  if (!parsed.ok) return undefined;
  const { value } = parsed;
  switch (value.type) {
    case 'RoleRevoked':
      return { subjects: [value.data.accountId] };
    case 'MemberForgotten':
      return { subjects: [value.data.memberId] };
    case 'UserForgotten':
      return { subjects: [value.data.userId] };
    case 'SessionRevoked':
      return { sessions: [value.data.sessionId] };
  }
};

export interface AccessRevocationOptions {
  readonly bus: EventBus;
  /** What must forget (the process's IdentityTokenVerifierClient, identity's sessions). */
  readonly listeners: readonly AccessRevocationListener[];
  readonly logger: ServiceLogger;
  /** Told of each revocation once it was passed on (tests, benchmarks). */
  readonly onRevocation?: (revocation: AccessRevocation, event: RecordedEvent) => void;
}

/**
 * Identity's access revocations (RoleRevoked, MemberForgotten, UserForgotten, SessionRevoked:
 * IDENTITY_ACCESS_REVOCATIONS of @workshare/contracts) heard by this process for itself
 * (`bus.listen`: every process gets every one, none is shared out as a durable consumer's
 * would be), each passed to every listener as the accounts, sessions or tokens it ends. Wired
 * once by the runners for every process that checks tokens. An event that does not follow its
 * published schema, or a gap in what was heard (the listener started again), makes every
 * listener forget everything.
 */
export const listenForAccessRevocations = (options: AccessRevocationOptions): BusSubscription => {
  const { listeners, logger } = options;
  const forgetEverything = (why: string): void => {
    logger.warn({ listener: ACCESS_REVOCATIONS_LISTENER }, `${why}: every token is checked again`);
    for (const listener of listeners) listener.revokeAll();
  };
  return options.bus.listen({
    name: ACCESS_REVOCATIONS_LISTENER,
    filter: {
      types: publishedTypes(IDENTITY_ACCESS_REVOCATIONS),
      contexts: [...new Set(IDENTITY_ACCESS_REVOCATIONS.flatMap((entry) => categoriesOf(entry)))],
    },
    handle: (event) => {
      const revocation = accessRevocationOf(event);
      if (revocation === undefined) return forgetEverything(`${event.type} ${event.id} does not follow its schema`);
      for (const listener of listeners) listener.revoke(revocation);
      options.onRevocation?.(revocation, event);
    },
    onGap: () => forgetEverything('access revocations may have been missed'),
  });
};
