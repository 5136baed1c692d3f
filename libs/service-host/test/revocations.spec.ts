/**
 * The listener of identity's access revocations, on the embedded bus over an in-memory store (the
 * NATS path across processes is identity's revocation.int.spec.ts): each published revocation
 * reaches every listener as the accounts or sessions it ends, every process hearing it for
 * itself; other events are not heard; one that breaks its schema makes everything forgotten.
 */
import { EmbeddedEventBus } from '@workshare/bus';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import type { AccessRevocation, AccessRevocationListener } from '@workshare/grpc';
import { createLogger } from '@workshare/telemetry';
import { accessRevocationOf, listenForAccessRevocations } from '../src/index.js';

const MEMBER = '01900000-0000-7000-8000-000000000001';
const USER = '01900000-0000-7000-8000-000000000003';
const SESSION = '01900000-0000-7000-8000-00000000d001';
const logger = createLogger('test', { level: 'silent' });

class Recording implements AccessRevocationListener {
  readonly revoked: AccessRevocation[] = [];
  everything = 0;
  revoke(revocation: AccessRevocation): void {
    this.revoked.push(revocation);
  }
  revokeAll(): void {
    this.everything++;
  }
}

const eventually = async (what: string, check: () => boolean): Promise<void> => {
  const until = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

let store: EventStore;
beforeAll(async () => {
  store = await openEventStore('embedded:memory');
});
afterAll(async () => store.close());

describe('listenForAccessRevocations', () => {
  it('passes every published revocation to every listener; every process hears it for itself', async () => {
    const [a, b, other] = [new Recording(), new Recording(), new Recording()];
    const busA = new EmbeddedEventBus({ store, pollIntervalMs: 10, log: logger });
    const busB = new EmbeddedEventBus({ store, pollIntervalMs: 10, log: logger });
    const heard = listenForAccessRevocations({ bus: busA, listeners: [a, b], logger });
    const elsewhere = listenForAccessRevocations({ bus: busB, listeners: [other], logger });
    try {
      await Promise.all([heard.ready, elsewhere.ready]);
      await store.append(`member-${MEMBER}`, [
        { type: 'MemberAvailabilityUpdated', data: { memberId: MEMBER, availability: [] } },
        {
          type: 'RoleRevoked',
          data: { accountId: MEMBER, role: { kind: 'coordinator', regionId: 'fujisato' }, reason: 'moved' },
        },
        { type: 'MemberForgotten', data: { memberId: MEMBER, forgottenBy: MEMBER, reason: 'left' } },
      ]);
      await store.append(`user-${USER}`, [
        { type: 'RoleRevoked', data: { accountId: USER, role: { kind: 'accountant' }, reason: 'retired' } },
        { type: 'UserForgotten', data: { userId: USER, forgottenBy: 'op', reason: 'left' } },
      ]);
      await store.append(`session-${SESSION}`, [
        { type: 'SessionRevoked', data: { sessionId: SESSION, accountId: MEMBER, reason: 'logout' } },
      ]);
      const expected = [
        { subjects: [MEMBER] },
        { subjects: [MEMBER] },
        { subjects: [USER] },
        { subjects: [USER] },
        { sessions: [SESSION] },
      ];
      await eventually('five revocations, everywhere', () => [a, b, other].every((r) => r.revoked.length >= 5));
      for (const r of [a, b, other]) {
        expect(r.revoked).toEqual(expected);
        expect(r.everything).toBe(0);
      }
    } finally {
      await Promise.all([heard.stop(), elsewhere.stop()]);
      await Promise.all([busA.close(), busB.close()]);
    }
  });

  it('makes every listener forget everything at a revocation that breaks its published schema', async () => {
    const r = new Recording();
    const bus = new EmbeddedEventBus({ store, pollIntervalMs: 10, log: logger });
    const heard = listenForAccessRevocations({ bus, listeners: [r], logger });
    try {
      await heard.ready;
      await store.append(`member-${MEMBER}`, [{ type: 'RoleRevoked', data: { accountId: 'someone else' } }]);
      await eventually('everything forgotten', () => r.everything >= 1);
      expect(r.revoked).toEqual([]);
    } finally {
      await heard.stop();
      await bus.close();
    }
  });

  it('reads nothing else as a revocation', () => {
    const recorded = (type: string, streamName: string, data: Record<string, unknown>) => ({
      id: '01900000-0000-7000-8000-0000000000e1',
      type,
      schemaVersion: 1,
      streamName,
      streamVersion: 0,
      position: { commit: 1n, prepare: 1n },
      data,
      metadata: {},
      occurredAt: new Date(),
      recordedAt: new Date(),
      hash: '',
      previousHash: '',
    });
    expect(accessRevocationOf(recorded('RoleGranted', `member-${MEMBER}`, { accountId: MEMBER }) as never)).toBe(
      undefined,
    );
    expect(
      accessRevocationOf(
        recorded('SessionRevoked', `session-${SESSION}`, { sessionId: SESSION, accountId: MEMBER }) as never,
      ),
    ).toEqual({ sessions: [SESSION] });
  });
});
