import type { Caller } from '@workshare/grpc';
import {
  readsAsBusiness,
  requireAccess,
  requireOwnBusinessOrAnyOf,
  requireRegionStaff,
  requireSelfOrAnyOf,
  requireSelfOrCoordinator,
  requireSubmitter,
} from '../../src/index.js';

const coordinator: Caller = { subject: 'c1', roles: [{ role: 'member' }, { role: 'coordinator', region: 'fujisato' }] };
const business: Caller = { subject: 'b1', roles: [{ role: 'business', businessId: 'biz-1' }] };
const member: Caller = { subject: 'm1', roles: [{ role: 'member' }] };

describe('access at the edge', () => {
  it('a route open to any verified caller lets everyone in', () => {
    expect(() => requireAccess(member, 'authenticated')).not.toThrow();
  });

  it('a route for some roles lets in a holder of any of them, and refuses others with auth.forbidden_role', () => {
    expect(() => requireAccess(coordinator, ['business', 'coordinator'])).not.toThrow();
    expect(() => requireAccess(business, ['coordinator'])).toThrow(
      expect.objectContaining({ code: 'auth.forbidden_role', kind: 'forbidden' }),
    );
    expect(() => requireAccess(member, ['business', 'coordinator', 'accountant', 'operator'])).toThrow(
      expect.objectContaining({ code: 'auth.forbidden_role' }),
    );
  });

  it('a business submits only for a business she acts for; a coordinator only in her region', () => {
    expect(() => requireSubmitter(business, 'biz-1', 'fujisato')).not.toThrow();
    expect(() => requireSubmitter(business, 'biz-2', 'fujisato')).toThrow(
      expect.objectContaining({ code: 'auth.forbidden_business' }),
    );
    expect(() => requireSubmitter(coordinator, 'biz-9', 'fujisato')).not.toThrow();
    expect(() => requireSubmitter(coordinator, 'biz-9', 'setagaya')).toThrow(
      expect.objectContaining({ code: 'auth.forbidden_region' }),
    );
  });

  it('a member acts on her own schedule only; a coordinator on any member’s (the service checks her region)', () => {
    expect(() => requireSelfOrCoordinator(member, 'm1')).not.toThrow();
    expect(() => requireSelfOrCoordinator(member, 'm2')).toThrow(
      expect.objectContaining({ code: 'auth.forbidden_member', kind: 'forbidden', details: { memberId: 'm2' } }),
    );
    expect(() => requireSelfOrCoordinator(coordinator, 'm2')).not.toThrow();
    expect(() => requireSelfOrCoordinator(business, 'm1')).toThrow(
      expect.objectContaining({ code: 'auth.forbidden_member' }),
    );
  });

  it('a region’s people: operators and the accountant everywhere, a coordinator in her region only', () => {
    const operator: Caller = { subject: 'o1', roles: [{ role: 'operator' }] };
    const accountant: Caller = { subject: 'a1', roles: [{ role: 'accountant' }] };
    expect(() => requireRegionStaff(operator, 'setagaya')).not.toThrow();
    expect(() => requireRegionStaff(accountant, 'setagaya')).not.toThrow();
    expect(() => requireRegionStaff(coordinator, 'fujisato')).not.toThrow();
    expect(() => requireRegionStaff(coordinator, 'setagaya')).toThrow(
      expect.objectContaining({ code: 'auth.forbidden_region', details: { regionId: 'setagaya' } }),
    );
  });

  it('what is a member’s own (her week, her statement): she herself, or the roles named', () => {
    const accountant: Caller = { subject: 'a1', roles: [{ role: 'accountant' }] };
    expect(() => requireSelfOrAnyOf(member, 'm1', ['accountant', 'operator'])).not.toThrow();
    expect(() => requireSelfOrAnyOf(accountant, 'm1', ['accountant', 'operator'])).not.toThrow();
    expect(() => requireSelfOrAnyOf(member, 'm2', ['accountant', 'operator'])).toThrow(
      expect.objectContaining({ code: 'auth.forbidden_member', details: { memberId: 'm2' } }),
    );
    // A coordinator reads her members' weeks, never their statements.
    expect(() => requireSelfOrAnyOf(coordinator, 'm2', ['coordinator', 'accountant'])).not.toThrow();
    expect(() => requireSelfOrAnyOf(coordinator, 'm2', ['accountant', 'operator'])).toThrow(
      expect.objectContaining({ code: 'auth.forbidden_member' }),
    );
  });

  it('what is addressed to a business (its invoice): a user acting for it, or the roles named', () => {
    const operator: Caller = { subject: 'o1', roles: [{ role: 'operator' }] };
    expect(() => requireOwnBusinessOrAnyOf(business, 'biz-1', ['accountant', 'operator'])).not.toThrow();
    expect(() => requireOwnBusinessOrAnyOf(operator, 'biz-1', ['accountant', 'operator'])).not.toThrow();
    expect(() => requireOwnBusinessOrAnyOf(business, 'biz-2', ['accountant', 'operator'])).toThrow(
      expect.objectContaining({ code: 'auth.forbidden_business', details: { businessId: 'biz-2' } }),
    );
    expect(() => requireOwnBusinessOrAnyOf(member, 'biz-1', ['accountant', 'operator'])).toThrow(
      expect.objectContaining({ code: 'auth.forbidden_business' }),
    );
  });

  it('a business user holding no role of the cooperative reads a job’s team as its business', () => {
    expect(readsAsBusiness(business)).toBe(true);
    expect(readsAsBusiness(coordinator)).toBe(false);
    expect(readsAsBusiness(member)).toBe(false);
    expect(
      readsAsBusiness({ subject: 'x', roles: [{ role: 'business', businessId: 'b' }, { role: 'operator' }] }),
    ).toBe(false);
  });
});
