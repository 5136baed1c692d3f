/**
 * How every other service knows its caller: IdentityTokenVerifierClient (libs/grpc) asks this
 * identity over gRPC, against the test cooperative's real tokens.
 */
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { IdentityTokenVerifierClient } from '@workshare/grpc';
import { startTestCooperative, type TestCooperative } from '../../src/testing.js';

let store: EventStore;
let coop: TestCooperative;

beforeAll(async () => {
  store = await openEventStore('embedded:memory');
  coop = await startTestCooperative({ store });
});
afterAll(async () => {
  await coop?.close();
  await store?.close();
});

describe('IdentityTokenVerifierClient', () => {
  it('gives the caller and her roles as identity holds them', async () => {
    const verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
    try {
      await expect(verifier.verify(coop.coordinator.token)).resolves.toEqual({
        subject: coop.coordinator.id,
        roles: [{ role: 'member' }, { role: 'coordinator', region: 'fujisato' }],
      });
      await expect(verifier.verify(coop.business.token)).resolves.toEqual({
        subject: coop.business.id,
        roles: [{ role: 'business', businessId: coop.businesses.fujisato }],
      });
      const member = await verifier.verify(coop.member.token);
      expect(member.roles).toEqual([{ role: 'member' }]);
    } finally {
      verifier.close();
    }
  });

  it('refuses a forged token as unauthenticated, with identity’s code', async () => {
    const verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
    try {
      const [header, payload] = coop.operator.token.split('.');
      await expect(verifier.verify(`${header}.${payload}.AAAA`)).rejects.toMatchObject({ kind: 'unauthenticated' });
    } finally {
      verifier.close();
    }
  });

  it('remembers a verified token for its TTL only, then asks again (a revoked role reaches it)', async () => {
    let now = Date.now();
    const verifier = new IdentityTokenVerifierClient({
      identityAddress: coop.identityAddress,
      cacheTtlMs: 1_000,
      now: () => now,
    });
    try {
      const first = await verifier.verify(coop.accountant.token);
      expect(await verifier.verify(coop.accountant.token)).toBe(first);
      now += 1_001;
      const again = await verifier.verify(coop.accountant.token);
      expect(again).not.toBe(first);
      expect(again).toEqual(first);
    } finally {
      verifier.close();
    }
  });

  it('reports identity being down as an outage, not a refusal', async () => {
    const verifier = new IdentityTokenVerifierClient({
      identityAddress: '127.0.0.1:1',
      client: { retries: 0, deadlineMs: 500 },
    });
    try {
      const error = await verifier.verify(coop.operator.token).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as { kind?: string }).kind).not.toBe('unauthenticated');
    } finally {
      verifier.close();
    }
  });
});

describe('the test cooperative', () => {
  it('offers a token that identity signed and that has expired', async () => {
    const verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
    try {
      const error = await verifier.verify(coop.expiredToken).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'unauthenticated' });
      expect((error as { code: string }).code).toMatch(/expired/);
    } finally {
      verifier.close();
    }
  });
});
