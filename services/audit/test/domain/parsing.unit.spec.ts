import fc from 'fast-check';
import {
  parseCounterparty,
  parseInstant,
  parseLimit,
  parseMonth,
  parseOptionalPeriod,
  parsePeriod,
  parseSettlementId,
  parseStreamName,
  parseSubjectId,
  parseYen,
  tokyoMinute,
} from '../../src/domain/parsing.js';

const refused = (run: () => unknown, code: string) => expect(run).toThrow(expect.objectContaining({ code }));

describe('instants', () => {
  it('reads ISO-8601 with Z or an offset, to the millisecond', () => {
    expect(parseInstant('2026-11-04T09:30+09:00').toISOString()).toBe('2026-11-04T00:30:00.000Z');
    expect(parseInstant('2026-11-04T00:30:15.250Z').toISOString()).toBe('2026-11-04T00:30:15.250Z');
    expect(parseInstant('2026-11-04T00:30:15.123456789-05:00').toISOString()).toBe('2026-11-04T05:30:15.123Z');
  });

  it('refuses a date alone, a local time, a day that does not exist, anything else', () => {
    for (const bad of ['2026-11-04', '2026-11-04T09:30', '2026-02-30T00:00Z', '2026-13-01T00:00Z', 'now', '', 42, null])
      refused(() => parseInstant(bad), 'audit.invalid_at');
    refused(() => parseInstant('x', 'from'), 'audit.invalid_from');
  });

  it('reads back every instant it writes, in UTC and in Tokyo', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }),
        (date) => {
          expect(parseInstant(date.toISOString()).getTime()).toBe(date.getTime());
          const tokyo = new Date(date.getTime() + 9 * 3600_000).toISOString().slice(0, -1);
          expect(parseInstant(`${tokyo}+09:00`).getTime()).toBe(date.getTime());
        },
      ),
    );
  });

  it('never throws anything but its own refusal on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        try {
          parseInstant(text);
        } catch (error) {
          expect(error).toMatchObject({ code: 'audit.invalid_at' });
        }
      }),
    );
  });

  it('shows an instant to the minute in Tokyo', () => {
    expect(tokyoMinute(new Date('2026-11-04T00:30:59.999Z'))).toBe('2026-11-04 09:30');
    expect(tokyoMinute(new Date('2026-11-30T15:00:00Z'))).toBe('2026-12-01 00:00');
  });
});

describe('periods and months', () => {
  it('takes a period whose start is before its end', () => {
    expect(parsePeriod('2026-11-01T00:00+09:00', '2026-12-01T00:00+09:00').from.toISOString()).toBe(
      '2026-10-31T15:00:00.000Z',
    );
    refused(() => parsePeriod('2026-12-01T00:00Z', '2026-11-01T00:00Z'), 'audit.invalid_period');
    refused(() => parsePeriod('2026-12-01T00:00Z', '2026-12-01T00:00Z'), 'audit.invalid_period');
    expect(parseOptionalPeriod(undefined, '')).toEqual({});
  });

  it("gives a Tokyo month's instants", () => {
    expect(parseMonth('2026-11')).toEqual({
      month: '2026-11',
      from: new Date('2026-10-31T15:00:00Z'),
      to: new Date('2026-11-30T15:00:00Z'),
    });
    for (const bad of ['2026-1', '2026-13', '2026-00', '26-11', '1969-12', 202611])
      refused(() => parseMonth(bad), 'audit.invalid_month');
  });

  it('every month YYYY-MM is a Tokyo month that follows the one before without a gap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1970, max: 9998 }), fc.integer({ min: 1, max: 12 }), (year, m) => {
        const month = `${year}-${String(m).padStart(2, '0')}`;
        const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
        expect(parseMonth(month).to).toEqual(parseMonth(next).from);
        expect(parseMonth(month).from.getTime()).toBeLessThan(parseMonth(month).to.getTime());
      }),
    );
  });

  it('reads a settlement id <region>.<YYYY-MM>', () => {
    expect(parseSettlementId('fujisato.2026-11')).toEqual({ regionId: 'fujisato', month: '2026-11' });
    for (const bad of ['fujisato', 'Fujisato.2026-11', 'fujisato.2026-13', '.2026-11'])
      refused(() => parseSettlementId(bad), 'audit.invalid_id');
  });
});

describe('amounts of yen', () => {
  it('reads whole yen as people write them', () => {
    for (const [text, yen] of [
      ['12000', 12000],
      ['12,000', 12000],
      ['¥12,000', 12000],
      ['￥1,234,567', 1234567],
      ['12000円', 12000],
      ['１２０００', 12000],
      [0, 0],
      [48000, 48000],
    ] as const)
      expect(parseYen(text, 'min_yen')).toBe(yen);
  });

  it('refuses fractions, negatives, bad groupings and numbers past the safe range', () => {
    for (const bad of ['12.5', '-1', '1,00', '12,0000', 'abc', '', 1.5, -3, '99999999999999999999', null])
      refused(() => parseYen(bad, 'max_yen'), 'audit.invalid_max_yen');
  });

  it('reads back every whole amount, grouped or not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (yen) => {
        expect(parseYen(yen, 'min_yen')).toBe(yen);
        expect(parseYen(String(yen), 'min_yen')).toBe(yen);
        expect(parseYen(`¥${yen.toLocaleString('en-US')}`, 'min_yen')).toBe(yen);
      }),
    );
  });
});

describe('names and ids', () => {
  it('checks subject ids by kind', () => {
    expect(parseSubjectId('job', '0194D5A0-0000-7000-8000-000000000001')).toBe('0194d5a0-0000-7000-8000-000000000001');
    expect(parseSubjectId('settlement', 'fujisato.2026-11')).toBe('fujisato.2026-11');
    refused(() => parseSubjectId('task', 'not-an-id'), 'audit.invalid_id');
  });

  it('checks stream names, limits and counterparties', () => {
    expect(parseStreamName('schedule-0194d5a0-0000-7000-8000-000000000001')).toBe(
      'schedule-0194d5a0-0000-7000-8000-000000000001',
    );
    expect(parseStreamName('settlement-fujisato.2026-11')).toBe('settlement-fujisato.2026-11');
    for (const bad of ['schedule', '-x', 'a b-c', 'x-' + 'y'.repeat(300)])
      refused(() => parseStreamName(bad), 'audit.invalid_stream');
    expect(parseLimit(undefined, 200, 1000)).toBe(200);
    refused(() => parseLimit(1001, 200, 1000), 'audit.invalid_limit');
    refused(() => parseLimit(1.5, 200, 1000), 'audit.invalid_limit');
    expect(parseCounterparty(' ＡＢＣ商店 ')).toBe('ABC商店');
    refused(() => parseCounterparty('x'.repeat(101)), 'audit.invalid_counterparty');
  });

  it('normalises any counterparty text or refuses it cleanly', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        try {
          const parsed = parseCounterparty(text);
          if (parsed !== undefined) expect(parsed.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toMatchObject({ code: 'audit.invalid_counterparty' });
        }
      }),
    );
  });
});
