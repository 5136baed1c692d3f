import { parsePublished, SETTLEMENT_PUBLISHED_EVENTS } from '@workshare/contracts';
import { DeciderSpecification, type RecordedEvent } from '@workshare/eventsourcing';
import fc from 'fast-check';
import { closeMonth } from '../../src/domain/close.js';
import { closeInputDigest, settlementToJson } from '../../src/domain/codec.js';
import {
  checkClose,
  endOfTokyoMonth,
  monthDecider,
  monthOfStream,
  monthStream,
  nextMonth,
  previousMonth,
  type CloseMonth,
  type MonthEvent,
} from '../../src/domain/month.js';
import {
  accountant,
  business,
  coordinator,
  member,
  operator,
  setagayaCoordinator,
  tokyo,
} from './deciders-fixtures.js';
import { novemberInput } from './month-fixtures.js';

const spec = DeciderSpecification.for(monthDecider);
const input = novemberInput();

const close = (overrides: Partial<CloseMonth> = {}): CloseMonth => ({
  type: 'CloseMonth',
  regionId: 'fujisato',
  month: '2026-11',
  at: input.closedAt,
  by: coordinator,
  configured: true,
  closedMonths: [],
  input,
  ...overrides,
});

const closed = (by = coordinator.id): MonthEvent => ({
  type: 'MonthClosed',
  data: { ...settlementToJson(closeMonth(input)), inputDigest: closeInputDigest(input), closedBy: by },
});

describe('a month of a region (settlement-<regionId>.<YYYY-MM>)', () => {
  it('is named after the region and the month, and read back from its name', () => {
    expect(monthStream('fujisato', '2026-11')).toBe('settlement-fujisato.2026-11');
    expect(monthOfStream('settlement-fujisato.2026-11')).toEqual({ regionId: 'fujisato', month: '2026-11' });
    expect(monthOfStream('region_settlement-fujisato')).toBeUndefined();
  });

  it('counts months across years', () => {
    expect([nextMonth('2026-12'), nextMonth('2026-09'), previousMonth('2027-01'), previousMonth('2026-10')]).toEqual([
      '2027-01',
      '2026-10',
      '2026-12',
      '2026-09',
    ]);
    expect(endOfTokyoMonth('2026-11').toISOString()).toBe('2026-11-30T15:00:00.000Z');
  });

  it.each([
    ['a coordinator of the region', coordinator],
    ['an operator', operator],
  ])(
    'given an open month, %s closes it: MonthClosed is the whole settlement as JSON with its input’s digest',
    (_who, by) => {
      spec
        .given([])
        .when(close({ by }))
        .then([closed(by.id)]);
    },
  );

  it('stores the close exactly as closeMonth computed it, and reads it back as it was', () => {
    const [event] = monthDecider.decide(close(), monthDecider.initialState());
    const state = monthDecider.evolve(monthDecider.initialState(), event!);
    expect(state).toEqual({
      status: 'closed',
      settlement: closeMonth(input),
      inputDigest: closeInputDigest(input),
      closedBy: coordinator.id,
    });
    expect(event!.data.inputDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(event!.data.totals).toMatchObject({ billedYen: '4000' }); // ⌊120 min × ¥2,000 / 60⌋
  });

  it('follows its published schema (MonthClosed v1: a summary of the stored data, no personal data)', () => {
    const [event] = monthDecider.decide(close(), monthDecider.initialState());
    const recorded = {
      id: '0191f0a0-0000-7000-8000-00000000e001',
      type: event!.type,
      schemaVersion: 1,
      streamName: monthStream('fujisato', '2026-11'),
      streamVersion: 0,
      position: { commit: 1n, prepare: 1n },
      data: event!.data,
      metadata: {},
      occurredAt: input.closedAt,
      recordedAt: input.closedAt,
      hash: '',
      previousHash: '',
    } satisfies RecordedEvent;
    const parsed = parsePublished(SETTLEMENT_PUBLISHED_EVENTS, recorded);
    expect(parsed).toMatchObject({ ok: true, value: { streamId: 'fujisato.2026-11' } });
  });

  it('closes at the first instant after the Tokyo month (00:00 Asia/Tokyo of the 1st)', () => {
    spec
      .given([])
      .when(close({ at: tokyo('2026-12-01T00:00:00') }))
      .then([closed()]);
  });

  it('given a region whose latest close is the month before, closes the next month', () => {
    spec
      .given([])
      .when(close({ closedMonths: ['2026-09', '2026-10'] }))
      .then([closed()]);
  });

  describe('refuses, storing nothing', () => {
    it.each([
      ['the accountant (she reads the books, never writes them)', accountant],
      ['a coordinator of another region', setagayaCoordinator],
      ['a member', member],
      ['a business', business],
    ])('%s: settlement.forbidden', (_who, by) => {
      spec.given([]).when(close({ by })).thenThrows('settlement.forbidden', 'forbidden');
    });

    it.each(['2026-13', '2026-1', '26-11', '2026-11-01', ''])(
      'a month %j that is not YYYY-MM: settlement.invalid_month',
      (month) => {
        spec.given([]).when(close({ month })).thenThrows('settlement.invalid_month', 'invalid');
      },
    );

    it('a closed month: settlement.month_closed (a closed month never changes)', () => {
      spec.given([closed()]).when(close()).thenThrows('settlement.month_closed', 'rule');
    });

    it('a month not over in Tokyo at the command’s time: settlement.month_not_over (23:59:59 of its last day)', () => {
      const error = spec
        .given([])
        .when(close({ at: tokyo('2026-11-30T23:59:59') }))
        .thenThrows('settlement.month_not_over', 'rule');
      expect(error.details).toMatchObject({ endsAt: '2026-11-30T15:00:00.000Z' });
    });

    it('a region without configuration: settlement.region_not_configured', () => {
      spec
        .given([])
        .when(close({ configured: false }))
        .thenThrows('settlement.region_not_configured', 'rule');
    });

    it('a month after a month still open: settlement.previous_month_open, naming the month to close first', () => {
      const error = spec
        .given([])
        .when(close({ closedMonths: ['2026-08', '2026-09'] }))
        .thenThrows('settlement.previous_month_open', 'rule');
      expect(error.details).toMatchObject({ closeFirst: '2026-10' });
    });

    it('a month before the region’s first close: settlement.before_first_close', () => {
      const error = spec
        .given([])
        .when(close({ closedMonths: ['2026-12', '2027-01'] }))
        .thenThrows('settlement.before_first_close', 'rule');
      expect(error.details).toMatchObject({ firstClosedMonth: '2026-12' });
    });
  });

  it('property: with closed months F..L, only the month after L may close (and any month that is over when none is closed)', () => {
    const month = fc
      .record({ year: fc.integer({ min: 2024, max: 2030 }), m: fc.integer({ min: 1, max: 12 }) })
      .map(({ year, m }) => `${year}-${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(month, fc.integer({ min: 0, max: 14 }), month, (first, count, target) => {
        const closedMonths: string[] = [];
        for (let m = first, i = 0; i < count; i++, m = nextMonth(m)) closedMonths.push(m);
        const request = {
          regionId: 'fujisato',
          month: target,
          at: tokyo('2031-06-01T00:00:00'),
          by: operator,
          configured: true,
          closedMonths,
        };
        const allowed = count === 0 || target === nextMonth(closedMonths[closedMonths.length - 1]!);
        if (allowed) expect(() => checkClose(request, { status: 'open' })).not.toThrow();
        else expect(() => checkClose(request, { status: 'open' })).toThrow();
      }),
    );
  });
});
