import { ValidationError } from '@workshare/eventsourcing';

/**
 * The areas the cooperative serves, their towns and the office each region belongs to. Seeded
 * as data: a new region is a new entry here (and a release), not an event, because other
 * services key their streams and settlements by these ids.
 */
export type PrefectureId = 'akita' | 'tokyo';

export type Prefecture = { readonly id: PrefectureId; readonly name: string; readonly nameJa: string };

export type Town = {
  /** `<region>/<town>`, romanised: `fujisato/fujikoto`. */
  readonly id: string;
  readonly regionId: string;
  readonly name: string;
  readonly nameJa: string;
};

export type Region = {
  readonly id: string;
  readonly name: string;
  readonly nameJa: string;
  /** The cooperative's office the region's members belong to (it decides the minimum wage). */
  readonly office: { readonly name: string; readonly nameJa: string; readonly prefecture: PrefectureId };
  readonly towns: readonly Town[];
};

export const PREFECTURES: Readonly<Record<PrefectureId, Prefecture>> = Object.freeze({
  akita: { id: 'akita', name: 'Akita', nameJa: '秋田県' },
  tokyo: { id: 'tokyo', name: 'Tokyo', nameJa: '東京都' },
});

const towns = (regionId: string, list: ReadonlyArray<readonly [string, string, string]>): Town[] =>
  list.map(([id, name, nameJa]) => ({ id: `${regionId}/${id}`, regionId, name, nameJa }));

export const REGIONS: readonly Region[] = Object.freeze([
  {
    id: 'fujisato',
    name: 'Fujisato',
    nameJa: '秋田県山本郡藤里町',
    office: { name: 'Akita office', nameJa: '秋田事務所', prefecture: 'akita' },
    towns: towns('fujisato', [
      ['fujikoto', 'Fujikoto', '藤琴'],
      ['kasuge', 'Kasuge', '粕毛'],
      ['tara', 'Tara', '太良'],
    ]),
  },
  {
    id: 'setagaya',
    name: 'Setagaya',
    nameJa: '東京都世田谷区',
    office: { name: 'Tokyo office', nameJa: '東京事務所', prefecture: 'tokyo' },
    towns: towns('setagaya', [
      ['sangenjaya', 'Sangenjaya', '三軒茶屋'],
      ['shimokitazawa', 'Shimokitazawa', '下北沢'],
      ['futakotamagawa', 'Futako-Tamagawa', '二子玉川'],
    ]),
  },
  {
    id: 'chofu',
    name: 'Chofu',
    nameJa: '東京都調布市',
    office: { name: 'Tokyo office', nameJa: '東京事務所', prefecture: 'tokyo' },
    towns: towns('chofu', [
      ['kokuryo', 'Kokuryo', '国領'],
      ['sengawa', 'Sengawa', '仙川'],
      ['jindaiji', 'Jindaiji', '深大寺'],
    ]),
  },
]);

export const findRegion = (regionId: string): Region | undefined => REGIONS.find((r) => r.id === regionId);

/** The region, or a ValidationError `region.unknown`. */
export const requireRegion = (regionId: string): Region => {
  const region = findRegion(regionId);
  if (!region) {
    throw new ValidationError(
      'region.unknown',
      `unknown region ${JSON.stringify(regionId)} (known: ${REGIONS.map((r) => r.id).join(', ')})`,
      {
        regionId,
      },
    );
  }
  return region;
};

/**
 * The town of residence named `<region>/<town>`: its region must be known (`region.unknown`),
 * then the town within it (`town.unknown`).
 */
export const requireTown = (townId: string): Town => {
  const slash = townId.indexOf('/');
  if (slash <= 0) {
    throw new ValidationError(
      'town.unknown',
      `town ${JSON.stringify(townId)} is not <region>/<town>, such as fujisato/fujikoto`,
      { townId },
    );
  }
  const region = requireRegion(townId.slice(0, slash));
  const town = region.towns.find((t) => t.id === townId);
  if (!town) {
    throw new ValidationError(
      'town.unknown',
      `unknown town ${JSON.stringify(townId)} in region ${region.id} (known: ${region.towns.map((t) => t.id).join(', ')})`,
      { townId, regionId: region.id },
    );
  }
  return town;
};

/** The prefecture of the office a region's members belong to. */
export const officePrefecture = (regionId: string): PrefectureId => requireRegion(regionId).office.prefecture;
