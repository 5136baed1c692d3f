import { DomainError, parseRole, roleKey, ROLE_NAMES } from '@workshare/eventsourcing';
import { officePrefecture, REGIONS, requireRegion, requireTown } from '../../src/domain/regions.js';
import { GRANTABLE_ROLE_NAMES, isGrantable } from '../../src/domain/roles.js';

describe('regions and towns (seeded data)', () => {
  it('serves Fujisato from the Akita office and Setagaya and Chofu from the Tokyo office', () => {
    expect(REGIONS.map((r) => [r.id, officePrefecture(r.id)])).toEqual([
      ['fujisato', 'akita'],
      ['setagaya', 'tokyo'],
      ['chofu', 'tokyo'],
    ]);
  });

  it('names every town <region>/<town>, three to a region', () => {
    expect(REGIONS.find((r) => r.id === 'fujisato')!.towns.map((t) => `${t.id} ${t.nameJa}`)).toEqual([
      'fujisato/fujikoto 藤琴',
      'fujisato/kasuge 粕毛',
      'fujisato/tara 太良',
    ]);
    for (const region of REGIONS) {
      expect(region.towns).toHaveLength(3);
      for (const town of region.towns) expect(requireTown(town.id)).toBe(town);
    }
  });

  it('refuses unknown regions and towns with their own codes', () => {
    expect(() => requireRegion('osaka')).toThrow(expect.objectContaining({ code: 'region.unknown', kind: 'invalid' }));
    expect(() => requireTown('osaka/namba')).toThrow(expect.objectContaining({ code: 'region.unknown' }));
    expect(() => requireTown('chofu/kasuge')).toThrow(expect.objectContaining({ code: 'town.unknown' }));
    expect(() => requireTown('/kasuge')).toThrow(expect.objectContaining({ code: 'town.unknown' }));
  });
});

describe('roles from untrusted input', () => {
  it.each([
    [{ kind: 'member' }, 'member'],
    [{ kind: 'operator', regionId: 'ignored' }, 'operator'],
    [{ kind: 'coordinator', regionId: 'fujisato' }, 'coordinator:fujisato'],
    [{ kind: 'business', businessId: 'b-1' }, 'business:b-1'],
  ])('reads %j', (input, key) => {
    expect(roleKey(parseRole(input))).toBe(key);
  });

  it.each([null, 'operator', { kind: 'king' }, { kind: 'coordinator' }, { kind: 'business', businessId: '' }])(
    'refuses %j',
    (input) => {
      expect(() => parseRole(input)).toThrow(DomainError);
      expect(() => parseRole(input)).toThrow(expect.objectContaining({ code: 'role.invalid', kind: 'invalid' }));
    },
  );
});

describe('which roles are granted', () => {
  it('grants every role but member, which comes with a member registration', () => {
    expect(GRANTABLE_ROLE_NAMES).toEqual(ROLE_NAMES.filter((name) => name !== 'member'));
    expect(isGrantable({ kind: 'member' })).toBe(false);
    expect(isGrantable({ kind: 'coordinator', regionId: 'fujisato' })).toBe(true);
    expect(isGrantable({ kind: 'business', businessId: 'b-1' })).toBe(true);
    expect(isGrantable({ kind: 'accountant' })).toBe(true);
    expect(isGrantable({ kind: 'operator' })).toBe(true);
  });
});
