/**
 * Identity over gRPC, against a real identity (the test cooperative): the regions' offices (their
 * ISO codes as settlement's prefecture ids, remembered for a while), businesses as invoices name
 * them, bank accounts and names read with the caller's own token (identity decides who may).
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { startIdentityGrpc, startTestCooperative, type TestCooperative } from '@workshare/identity';
import { IdentityGrpcLookup, PREFECTURE_OF_ISO_CODE } from '../../src/adapters/identity/identity-lookup.js';

let store: EventStore;
let coop: TestCooperative;
let lookup: IdentityGrpcLookup;

beforeAll(async () => {
  store = await openEventStore('embedded:memory');
  coop = await startTestCooperative({ store });
  lookup = new IdentityGrpcLookup({ identityAddress: coop.identityAddress });
});
afterAll(async () => {
  lookup?.close();
  await coop?.close();
  await store?.close();
});

describe('identity over gRPC', () => {
  it('reads every prefecture’s ISO 3166-2 code as its id (identity’s JP-05 is akita, JP-13 tokyo)', () => {
    expect(Object.keys(PREFECTURE_OF_ISO_CODE)).toHaveLength(47);
    expect([PREFECTURE_OF_ISO_CODE['JP-01'], PREFECTURE_OF_ISO_CODE['JP-05'], PREFECTURE_OF_ISO_CODE['JP-13']]).toEqual(
      ['hokkaido', 'akita', 'tokyo'],
    );
    expect(PREFECTURE_OF_ISO_CODE['JP-47']).toBe('okinawa');
  });

  it('answers the office prefecture of each region identity serves, and nothing for another', async () => {
    await expect(lookup.officePrefecture('fujisato')).resolves.toBe('akita');
    await expect(lookup.officePrefecture('setagaya')).resolves.toBe('tokyo');
    await expect(lookup.officePrefecture('atlantis')).resolves.toBeUndefined();
  });

  it('remembers the offices for its TTL, and never a failure', async () => {
    let now = 0;
    // A server of identity's own for this test, stopped and started again on its port.
    let server = await startIdentityGrpc({ service: coop.service, port: 0, host: '127.0.0.1' });
    const port = server.port;
    await server.shutdown(0);
    const lookup = new IdentityGrpcLookup({
      identityAddress: `127.0.0.1:${port}`,
      now: () => now,
      regionsTtlMs: 1_000,
      // Reconnect at once once the server is back (grpc-js waits a second by default).
      client: {
        deadlineMs: 2_000,
        retries: 5,
        backoff: { initialMs: 20, maxMs: 100 },
        channelOptions: { 'grpc.initial_reconnect_backoff_ms': 10, 'grpc.max_reconnect_backoff_ms': 50 },
      },
    });
    try {
      await expect(lookup.officePrefecture('fujisato')).rejects.toBeDefined();
      server = await startIdentityGrpc({ service: coop.service, port, host: '127.0.0.1' });
      // The failure was not remembered: identity answers now.
      await expect(lookup.officePrefecture('fujisato')).resolves.toBe('akita');
      await server.shutdown(0);
      now = 999;
      await expect(lookup.officePrefecture('setagaya')).resolves.toBe('tokyo');
      now = 1_000;
      await expect(lookup.officePrefecture('fujisato')).rejects.toBeDefined();
    } finally {
      lookup.close();
      await server.shutdown(0);
    }
  });

  it('answers businesses as invoices name them, asked with the caller’s token', async () => {
    const [business] = await lookup.businesses(
      [coop.businesses.fujisato, coop.businesses.fujisato],
      coop.accountant.token,
    );
    expect(business).toMatchObject({ businessId: coop.businesses.fujisato, name: '白神木工 (test)' });
    expect(business!.registrationNumber).toMatch(/^T\d{13}$/);
    await expect(lookup.businesses([randomUUID()], coop.accountant.token)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('reads a bank account for the accountant; a coordinator, whom identity shows none, gets none', async () => {
    const accounts = await lookup.bankAccounts([coop.member.id], coop.accountant.token);
    expect(accounts.get(coop.member.id)).toEqual({
      bankCode: '9999',
      branchCode: '001',
      type: 'ordinary',
      number: '0012345',
      holder: 'テスト メンバー',
    });
    expect((await lookup.bankAccounts([coop.member.id], coop.coordinator.token)).size).toBe(0);
  });

  it('reads a member’s name for her own statement', async () => {
    await expect(lookup.memberName(coop.member.id, coop.member.token)).resolves.toBe('Test member');
  });
});
