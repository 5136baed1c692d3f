/**
 * Members' regions from identity's published MemberRegistered (the test cooperative registers
 * its members on the store): what says who coordinates a member's time.
 */
import type { EventStore, ProjectionStore } from '@workshare/eventsourcing';
import { openEventStore, openServiceProjections } from '@workshare/eventstore';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import { MemberRegions } from '../../src/application/member-regions.js';

let store: EventStore;
let coop: TestCooperative;
let projections: ProjectionStore;

beforeAll(async () => {
  store = await openEventStore('embedded:memory');
  coop = await startTestCooperative({ store });
  projections = await openServiceProjections(store, 'time-tracking');
});
afterAll(async () => {
  await projections?.close();
  await coop?.close();
  await store?.close();
});

describe('member regions', () => {
  it('knows each member’s region from MemberRegistered, and nobody else’s', async () => {
    const regions = new MemberRegions(store, projections, { maxStalenessMs: 0 });
    await regions.catchUp();
    expect(regions.regionOf(coop.member.id)).toBe('fujisato');
    expect(regions.regionOf(coop.coordinator.id)).toBe('fujisato');
    expect(regions.regionOf(coop.setagayaCoordinator.id)).toBe('setagaya');
    // Users who are not members (the accountant, a business user) have no member stream.
    expect(regions.regionOf(coop.accountant.id)).toBeUndefined();
    expect(regions.regionOf(coop.business.id)).toBeUndefined();
    await regions.flush();

    const restarted = new MemberRegions(store, projections, { maxStalenessMs: 0 });
    await restarted.ready();
    expect(restarted.regionOf(coop.member.id)).toBe('fujisato');
    await restarted.flush();
  });
});
