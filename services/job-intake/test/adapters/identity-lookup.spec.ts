/** Identity over gRPC, against a real identity: what is remembered, and for how long. */
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import { IdentityGrpcLookup } from '../../src/adapters/identity/identity-lookup.js';

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

describe('IdentityGrpcLookup', () => {
  it('finds a business and remembers it for its TTL only (identity is not asked again meanwhile)', async () => {
    let now = Date.now();
    const lookup = new IdentityGrpcLookup({
      identityAddress: coop.identityAddress,
      businessTtlMs: 1_000,
      now: () => now,
    });
    try {
      await expect(lookup.business(coop.businesses.fujisato, coop.business.token)).resolves.toEqual({
        businessId: coop.businesses.fujisato,
        regionId: 'fujisato',
      });
      // A token identity would refuse: answered from memory, so identity was not asked.
      await expect(lookup.business(coop.businesses.fujisato, 'not-a-token')).resolves.toMatchObject({
        regionId: 'fujisato',
      });
      now += 1_001;
      await expect(lookup.business(coop.businesses.fujisato, 'not-a-token')).rejects.toMatchObject({
        kind: 'unauthenticated',
      });
    } finally {
      lookup.close();
    }
  });

  it('asks identity once for callers asking at the same time (single flight), and they share its answer', async () => {
    const lookup = new IdentityGrpcLookup({ identityAddress: coop.identityAddress });
    try {
      // The second caller's token would be refused: it is answered by the first caller's call.
      const [first, second] = await Promise.all([
        lookup.business(coop.businesses.fujisato, coop.business.token),
        lookup.business(coop.businesses.fujisato, 'not-a-token'),
      ]);
      expect(second).toEqual(first);
      const [regions, again] = await Promise.all([lookup.regions(), lookup.regions()]);
      expect(again).toBe(regions);
    } finally {
      lookup.close();
    }
  });

  it('does not remember a business that is not there', async () => {
    const lookup = new IdentityGrpcLookup({ identityAddress: coop.identityAddress });
    try {
      const unknown = '00000000-0000-7000-8000-000000000000';
      await expect(lookup.business(unknown, coop.operator.token)).rejects.toMatchObject({ kind: 'not_found' });
      await expect(lookup.business(unknown, coop.operator.token)).rejects.toMatchObject({ kind: 'not_found' });
    } finally {
      lookup.close();
    }
  });

  it('gives the regions with their towns as <region>/<town>', async () => {
    const lookup = new IdentityGrpcLookup({ identityAddress: coop.identityAddress });
    try {
      const regions = await lookup.regions();
      expect(regions.find((r) => r.id === 'fujisato')?.townIds).toContain('fujisato/kasuge');
    } finally {
      lookup.close();
    }
  });
});
