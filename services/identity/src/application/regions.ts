import { PREFECTURES, REGIONS } from '../domain/regions.js';
import type { RegionView } from './views.js';

/** The regions served, their towns and offices. Public reference data: no caller needed. */
export const listRegions = (): RegionView[] =>
  REGIONS.map((r) => ({
    id: r.id,
    name: r.name,
    nameJa: r.nameJa,
    office: { name: r.office.name, nameJa: r.office.nameJa, prefecture: { ...PREFECTURES[r.office.prefecture] } },
    towns: r.towns.map((t) => ({ id: t.id, name: t.name, nameJa: t.nameJa })),
  }));
