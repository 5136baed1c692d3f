/**
 * Seeded randomness for the benches' generated data (mulberry32): the same seed gives the same
 * draws in the same order, so two runs of a bench load the same history and compare.
 */
export interface Random {
  /** [0, 1) */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** A version-4 UUID drawn from the generator. */
  uuid(): string;
}

export const seededRandom = (seed: number): Random => {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += int(0, 15).toString(16);
    return s;
  };
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)] as (typeof items)[number],
    chance: (p) => next() < p,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(0, 3)]}${hex(3)}-${hex(12)}`,
  };
};

/** Common Japanese surnames with their katakana reading (a 口座名義 is written in katakana). */
export const JAPANESE_SURNAMES: readonly (readonly [string, string])[] = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['田中', 'タナカ'],
  ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'],
  ['山本', 'ヤマモト'],
  ['中村', 'ナカムラ'],
  ['小林', 'コバヤシ'],
  ['加藤', 'カトウ'],
  ['藤原', 'フジワラ'],
  ['工藤', 'クドウ'],
  ['佐々木', 'ササキ'],
  ['斎藤', 'サイトウ'],
  ['三浦', 'ミウラ'],
  ['菅原', 'スガワラ'],
];

/** Common Japanese given names with their katakana reading. */
export const JAPANESE_GIVEN_NAMES: readonly (readonly [string, string])[] = [
  ['花子', 'ハナコ'],
  ['陽子', 'ヨウコ'],
  ['美咲', 'ミサキ'],
  ['翔太', 'ショウタ'],
  ['健一', 'ケンイチ'],
  ['由美', 'ユミ'],
  ['大輔', 'ダイスケ'],
  ['彩', 'アヤ'],
  ['拓也', 'タクヤ'],
  ['恵', 'メグミ'],
  ['直樹', 'ナオキ'],
  ['優子', 'ユウコ'],
  ['雄一', 'ユウイチ'],
  ['千尋', 'チヒロ'],
];

/** `n` decimal digits drawn from `random`. */
export const randomDigits = (random: Random, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(random.int(0, 9));
  return s;
};
