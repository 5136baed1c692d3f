import { DeciderSpecification, type Actor } from '@workshare/eventsourcing';
import { auditQueryDecider, auditQueryStream, mayAudit, type RecordQuery } from '../../src/domain/audit-query.js';

const spec = DeciderSpecification.for(auditQueryDecider);
const at = new Date('2026-12-01T01:00:00.000Z');
const accountant: Actor = { id: 'acc-1', roles: [{ kind: 'accountant' }] };
const coordinator: Actor = { id: 'co-1', roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'fujisato' }] };
const ask = (
  by: Actor,
  parameters: Record<string, string> = { taskId: 't-1', at: '2026-11-04T10:30+09:00' },
): RecordQuery => ({
  type: 'RecordQuery',
  queryId: 'q-1',
  query: 'whoHeld',
  parameters,
  by,
  at,
});

describe('recording an audit query', () => {
  it('records who asked what, with which parameters, when', () => {
    spec
      .given([])
      .when(ask(accountant))
      .then([
        {
          type: 'AuditQueried',
          data: {
            queryId: 'q-1',
            actorId: 'acc-1',
            roles: ['accountant'],
            query: 'whoHeld',
            parameters: { taskId: 't-1', at: '2026-11-04T10:30+09:00' },
            at: '2026-12-01T01:00:00.000Z',
          },
        },
      ]);
  });

  it("keeps a coordinator's region among her roles, and only the roles that let her ask", () => {
    spec
      .given([])
      .when(ask(coordinator, {}))
      .then([
        {
          type: 'AuditQueried',
          data: {
            queryId: 'q-1',
            actorId: 'co-1',
            roles: ['coordinator:fujisato'],
            query: 'whoHeld',
            parameters: {},
            at: at.toISOString(),
          },
        },
      ]);
  });

  it('records a query once: the same query id again changes nothing', () => {
    const [recorded] = auditQueryDecider.decide(ask(accountant), auditQueryDecider.initialState());
    spec.given([recorded!]).when(ask(accountant)).thenNothing();
  });

  it.each([
    ['a member', { id: 'm-1', roles: [{ kind: 'member' }] }],
    ['a business user', { id: 'b-1', roles: [{ kind: 'business', businessId: 'biz-1' }] }],
    ['someone with no role', { id: 'x-1', roles: [] }],
    ['the platform itself', { id: 'system:team-scheduling', roles: [{ kind: 'system' }] }],
  ] as [string, Actor][])('refuses %s', (_who, by) => {
    spec.given([]).when(ask(by)).thenThrows('audit.forbidden', 'forbidden');
    expect(mayAudit(by)).toBe(false);
  });

  it('keeps each query in a stream of its own', () => {
    expect(auditQueryStream('q-1')).toBe('auditquery-q-1');
  });
});
