import { ForbiddenError, type Actor, type Decider, type Role } from '@workshare/eventsourcing';
import type { AuditQueryKind } from '../contract.js';

/**
 * A query of the audit, recorded before it is answered (stream `auditquery-<queryId>`, one
 * event): who asked (her id and roles), what, with which parameters, when. The accountant,
 * operators and coordinators may ask; anyone else is refused and nothing is recorded.
 */

export const AUDIT_QUERY_CATEGORY = 'auditquery';
export const auditQueryStream = (queryId: string): string => `${AUDIT_QUERY_CATEGORY}-${queryId}`;

export interface RecordQuery {
  readonly type: 'RecordQuery';
  readonly queryId: string;
  readonly query: AuditQueryKind;
  /** The query's parameters as asked (texts). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly by: Actor;
  readonly at: Date;
}

export type AuditQueried = {
  readonly type: 'AuditQueried';
  readonly data: {
    queryId: string;
    actorId: string;
    /** Her roles when she asked: `accountant`, `operator`, `coordinator:<region>`. */
    roles: string[];
    query: string;
    parameters: Record<string, string>;
    at: string;
  };
};

export type AuditQueryEvent = AuditQueried;

export type AuditQueryState = { readonly status: 'none' } | { readonly status: 'recorded'; readonly query: string };

/** The roles that may ask the audit anything. */
const auditRole = (role: Role): boolean =>
  role.kind === 'accountant' || role.kind === 'operator' || role.kind === 'coordinator';

export const mayAudit = (actor: Actor): boolean => actor.roles.some(auditRole);

const roleText = (role: Role): string =>
  role.kind === 'coordinator'
    ? `coordinator:${role.regionId}`
    : role.kind === 'business'
      ? `business:${role.businessId}`
      : role.kind;

export const decide = (command: RecordQuery, state: AuditQueryState): AuditQueryEvent[] => {
  if (!mayAudit(command.by))
    throw new ForbiddenError('audit.forbidden', 'only the accountant, operators and coordinators may ask the audit');
  if (state.status === 'recorded') return [];
  return [
    {
      type: 'AuditQueried',
      data: {
        queryId: command.queryId,
        actorId: command.by.id,
        roles: command.by.roles.filter(auditRole).map(roleText),
        query: command.query,
        parameters: { ...command.parameters },
        at: command.at.toISOString(),
      },
    },
  ];
};

export const evolve = (_state: AuditQueryState, event: AuditQueryEvent): AuditQueryState => ({
  status: 'recorded',
  query: event.data.query,
});

export const initialState = (): AuditQueryState => ({ status: 'none' });

export const auditQueryDecider: Decider<RecordQuery, AuditQueryEvent, AuditQueryState> = {
  decide,
  evolve,
  initialState,
};
