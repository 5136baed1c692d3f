import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { canonicalJson, isJsonObject, jsonProblem, type JsonValue } from '../src/json.js';

/** fast-check's JSON values, as ours (its objects are typed with optional members). Own keys only, "__proto__" included. */
const asJson = (value: unknown): JsonValue => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number')
    return value;
  if (Array.isArray(value)) return value.map(asJson);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asJson(v)]));
  throw new TypeError(`not JSON: ${String(value)}`);
};

const jsonValues = fc.oneof(
  fc.jsonValue().map(asJson),
  fc.jsonValue({ stringUnit: 'binary' }).map(asJson), // lone surrogates, astral characters
);

/** The same value with every object's keys inserted in another order (chosen by the seed). */
const reorderKeys = (value: JsonValue, seed: number): JsonValue => {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v, i) => reorderKeys(v, seed + i));
  const entries = Object.entries(value);
  let state = seed >>> 0;
  for (let i = entries.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [entries[i], entries[j]] = [entries[j] as [string, JsonValue], entries[i] as [string, JsonValue]];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, reorderKeys(v, seed ^ k.length)]));
};

/** JSON cannot tell -0 from 0: after a round trip, -0 is 0. */
const withoutNegativeZero = (value: JsonValue): JsonValue => {
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutNegativeZero);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNegativeZero(v)]));
};

class Money {
  constructor(readonly cents: number) {}
}

describe('jsonProblem', () => {
  it.each<[string, unknown, string]>([
    ['undefined', undefined, '$ is undefined, which JSON cannot hold'],
    ['an undefined member', { a: 1, b: undefined }, '$.b is undefined'],
    ['a hole in an array', Object.assign([1], { 2: 3 }), '$[1] is undefined'],
    ['a function', { f: () => 1 }, '$.f is a function'],
    ['a bigint', { amount: 10n }, '$.amount is a bigint'],
    ['a symbol', [Symbol('s')], '$[0] is a symbol'],
    ['NaN', { n: NaN }, '$.n is NaN'],
    ['Infinity', { n: Infinity }, '$.n is Infinity'],
    ['-Infinity', { n: -Infinity }, '$.n is -Infinity'],
    ['a Date', { at: new Date(0) }, '$.at is a Date, not a plain object'],
    ['a Map', { m: new Map([['k', 1]]) }, '$.m is a Map, not a plain object'],
    ['a Set', { s: new Set([1]) }, '$.s is a Set, not a plain object'],
    ['a class instance', { price: new Money(100) }, '$.price is a Money, not a plain object'],
    ['a boxed string', { s: new String('x') }, '$.s is a String, not a plain object'],
    ['a typed array', { bytes: new Uint8Array(2) }, '$.bytes is a Uint8Array, not a plain object'],
    [
      'a deep problem',
      { job: { tasks: [{ id: 't1' }, { id: 't2', due: new Date(0) }] } },
      '$.job.tasks[1].due is a Date',
    ],
  ])('rejects %s, saying where', (_label, value, expected) => {
    // when
    const problem = jsonProblem(value);

    // then
    expect(problem).toEqual(expect.stringContaining(expected));
    expect(problem?.startsWith(expected.split(' ')[0] as string)).toBe(true);
  });

  it('rejects a circular object, with the path of the reference', () => {
    // given
    const job: Record<string, unknown> = { id: 'j1' };
    job['tasks'] = [{ id: 't1' }, { id: 't2', job }];

    // when
    const problem = jsonProblem(job);

    // then
    expect(problem).toBe('$.tasks[1].job is a circular reference');
  });

  it('rejects a circular array', () => {
    // given
    const list: unknown[] = [1, 2];
    list.push({ back: list });

    // then
    expect(jsonProblem(list)).toBe('$[2].back is a circular reference');
  });

  it('accepts the same object reached twice (shared, not circular)', () => {
    // given
    const address = { city: 'Fujisato' };

    // then
    expect(jsonProblem({ home: address, work: address, both: [address, address] })).toBeUndefined();
  });

  it('starts paths at the given root name', () => {
    expect(jsonProblem({ at: new Date(0) }, 'data')).toBe(
      'data.at is a Date, not a plain object (convert it to a string or number first)',
    );
  });

  it('reports the first problem in key order', () => {
    expect(jsonProblem({ ok: 1, first: NaN, second: undefined })).toBe('$.first is NaN, which JSON cannot hold');
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['true', true],
    ['false', false],
    ['zero', 0],
    ['minus zero', -0],
    ['the largest number', Number.MAX_VALUE],
    ['a string', 'ふじさと'],
    ['an empty object', {}],
    ['an empty array', []],
    ['an object without prototype', Object.assign(Object.create(null) as object, { a: 1 })],
    [
      'plain nested JSON',
      { job: { id: 'j1', tasks: [{ id: 't1', hours: 2.5, done: false, note: null }] }, tags: ['a', 'b'] },
    ],
  ])('accepts %s', (_label, value) => {
    expect(jsonProblem(value)).toBeUndefined();
  });

  it('property: accepts every JSON value', () => {
    fc.assert(
      fc.property(jsonValues, (value) => {
        expect(jsonProblem(value)).toBeUndefined();
      }),
    );
  });

  it('property: finds a non-JSON value wherever it is nested, and names its path', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'grapheme-ascii', minLength: 1 }).filter((k) => k !== '__proto__'),
            fc.nat(5),
          ),
          { maxLength: 6 },
        ),
        (path) => {
          // given: `undefined` buried under that path of keys and indexes
          let value: unknown = undefined;
          let expectedPath = '$';
          for (let i = path.length - 1; i >= 0; i--) {
            const step = path[i] as string | number;
            value = typeof step === 'number' ? [...Array.from({ length: step }, () => 0), value] : { [step]: value };
          }
          for (const step of path) expectedPath += typeof step === 'number' ? `[${step}]` : `.${step}`;

          // when
          const problem = jsonProblem(value);

          // then
          expect(problem).toBe(`${expectedPath} is undefined, which JSON cannot hold`);
        },
      ),
    );
  });
});

describe('isJsonObject', () => {
  it.each<[string, unknown, boolean]>([
    ['a plain object', { a: [1, { b: null }] }, true],
    ['an empty object', {}, true],
    ['an array', [1], false],
    ['null', null, false],
    ['a string', '{}', false],
    ['a Date', new Date(0), false],
    ['an object holding a Date', { at: new Date(0) }, false],
  ])('%s → %s', (_label, value, expected) => {
    expect(isJsonObject(value)).toBe(expected);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order, and adds no whitespace', () => {
    // given
    const value: JsonValue = { b: 1, a: { d: [3, 1, { z: true, y: null }], c: 'x y' } };

    // when
    const text = canonicalJson(value);

    // then
    expect(text).toBe('{"a":{"c":"x y","d":[3,1,{"y":null,"z":true}]},"b":1}');
  });

  it('orders keys by UTF-16 code unit, not numerically or by code point', () => {
    // given: integer-like keys, which JS objects enumerate first and in numeric order
    const value: JsonValue = { z: 1, é: 2, Z: 3, '10': 4, '9': 5, '\uFB01': 6, '\u{1F600}': 7 };

    // when
    const text = canonicalJson(value);

    // then: U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB01
    expect(text).toBe('{"10":4,"9":5,"Z":3,"z":1,"é":2,"\u{1F600}":7,"\uFB01":6}');
  });

  it.each<[string, JsonValue, string]>([
    ['null', null, 'null'],
    ['a boolean', false, 'false'],
    ['minus zero, as JSON writes it', -0, '0'],
    ['a large number', 1e21, '1e+21'],
    ['a fraction', 0.1, '0.1'],
    ['escapes', 'a"b\\c\n\u0001', '"a\\"b\\\\c\\n\\u0001"'],
    ['a lone surrogate', '\uD800', '"\\ud800"'],
    ['an empty object', {}, '{}'],
    ['an empty array', [], '[]'],
    ['a "__proto__" key', JSON.parse('{"__proto__":1,"a":2}') as JsonValue, '{"__proto__":1,"a":2}'],
  ])('writes %s', (_label, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('gives the same text for 0 and -0 (they cannot be told apart once stored)', () => {
    expect(canonicalJson({ balance: -0 })).toBe(canonicalJson({ balance: 0 }));
  });

  it('property: is valid JSON, and parses back to the value (with -0 as 0)', () => {
    fc.assert(
      fc.property(jsonValues, (value) => {
        // when
        const parsed: unknown = JSON.parse(canonicalJson(value));

        // then
        expect(parsed).toEqual(withoutNegativeZero(value));
      }),
      { numRuns: 300 },
    );
  });

  it('property: is the same after a JSON round trip', () => {
    fc.assert(
      fc.property(jsonValues, (value) => {
        // given
        const roundTripped = JSON.parse(JSON.stringify(value)) as JsonValue;

        // then
        expect(canonicalJson(roundTripped)).toBe(canonicalJson(value));
      }),
      { numRuns: 300 },
    );
  });

  it('property: does not depend on the order keys were inserted in', () => {
    fc.assert(
      fc.property(jsonValues, fc.integer(), (value, seed) => {
        // given
        const reordered = reorderKeys(value, seed);

        // then
        expect(canonicalJson(reordered)).toBe(canonicalJson(value));
      }),
      { numRuns: 300 },
    );
  });

  it('property: tells different values apart', () => {
    fc.assert(
      fc.property(jsonValues, jsonValues, (a, b) => {
        // given: different as JSON (key order aside, and 0 and -0 being the same number once stored)
        fc.pre(!isDeepStrictEqual(withoutNegativeZero(a), withoutNegativeZero(b)));

        // then
        expect(canonicalJson(a)).not.toBe(canonicalJson(b));
      }),
    );
  });

  it('sorts keys whatever order they came in (a concrete reordering)', () => {
    // given
    const forwards: JsonValue = { alpha: 1, beta: { x: 1, y: 2 }, gamma: [{ k: 1, j: 2 }] };
    const backwards: JsonValue = { gamma: [{ j: 2, k: 1 }], beta: { y: 2, x: 1 }, alpha: 1 };

    // then
    expect(JSON.stringify(forwards)).not.toBe(JSON.stringify(backwards));
    expect(canonicalJson(backwards)).toBe(canonicalJson(forwards));
  });
});
