import { parsePublished, SETTLEMENT_PUBLISHED_EVENTS } from '@workshare/contracts';
import { DeciderSpecification, fold, type JsonObject, type RecordedEvent } from '@workshare/eventsourcing';
import { LIMITS, prepareEvents } from '@workshare/eventstore';
import fc from 'fast-check';
import { closeMonth } from '../../src/domain/close.js';
import { closeInputDigest, CodecError, settlementToJson } from '../../src/domain/codec.js';
import type { CloseInput } from '../../src/domain/model.js';
import {
  checkClose,
  CLOSE_LIMITS,
  closeEvents,
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
import { BUSINESS, HANAKO, novemberInput, regionInput } from './month-fixtures.js';

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

/** The events of November's close: its parts, then MonthClosed. */
const closed = (by = coordinator.id, of: CloseInput = input): MonthEvent[] =>
  closeEvents(closeMonth(of), { inputDigest: closeInputDigest(of), closedBy: by });

/** An event as the store hands it back (for parsePublished). */
const recorded = (event: MonthEvent, streamVersion = 0): RecordedEvent => ({
  id: '0191f0a0-0000-7000-8000-00000000e001',
  type: event.type,
  schemaVersion: 1,
  streamName: monthStream('fujisato', '2026-11'),
  streamVersion,
  position: { commit: 1n, prepare: 1n },
  data: event.data,
  metadata: {},
  occurredAt: input.closedAt,
  recordedAt: input.closedAt,
  hash: '',
  previousHash: '',
});

const bytesOf = (data: JsonObject): number => Buffer.byteLength(JSON.stringify(data), 'utf8');

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
    'given an open month, %s closes it: the settlement in parts, then MonthClosed with its input’s digest',
    (_who, by) => {
      spec.given([]).when(close({ by })).then(closed(by.id));
    },
  );

  it('stores the close exactly as closeMonth computed it, in parts then MonthClosed, and reads it back as it was', () => {
    const events = monthDecider.decide(close(), monthDecider.initialState());
    expect(events.map((e) => e.type)).toEqual([
      'InvoicesIssued',
      'StatementsIssued',
      'JobsSettled',
      'JournalRecorded',
      'MonthClosed',
    ]);
    const json = settlementToJson(closeMonth(input));
    expect(events.slice(0, 4).map((e) => e.data)).toEqual([
      { invoices: json.invoices },
      { statements: json.statements },
      { jobs: json.jobs },
      { journal: json.journal },
    ]);
    expect(fold(monthDecider, events)).toEqual({
      status: 'closed',
      settlement: closeMonth(input),
      inputDigest: closeInputDigest(input),
      closedBy: coordinator.id,
    });
    const summary = events[4]!.data;
    expect(summary.inputDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.totals).toMatchObject({ billedYen: '4000' }); // ⌊120 min × ¥2,000 / 60⌋
    expect(summary).toMatchObject({
      regionId: 'fujisato',
      month: '2026-11',
      closedAt: json.closedAt,
      config: json.config,
      payDay: json.payDay,
      findings: json.findings,
      invoices: [
        { invoiceNumber: 'INV-fujisato-202611-001', recipient: { businessId: BUSINESS }, amountDueYen: '4400' },
      ],
      statements: [{ statementNumber: 'PAY-fujisato-202611-0001', memberId: HANAKO }],
      parts: { events: 4, invoices: 1, statements: 1, jobs: 1, journal: (json.journal as unknown[]).length },
      closedBy: coordinator.id,
    });
  });

  it('follows its published schema (MonthClosed v1: a summary of the stored data, no personal data); its parts are its own', () => {
    const events = monthDecider.decide(close(), monthDecider.initialState());
    const last = events[events.length - 1]!;
    expect(last.type).toBe('MonthClosed');
    const parsed = parsePublished(SETTLEMENT_PUBLISHED_EVENTS, recorded(last, events.length - 1));
    expect(parsed).toMatchObject({ ok: true, value: { streamId: 'fujisato.2026-11' } });
    for (const part of events.slice(0, -1))
      expect(parsePublished(SETTLEMENT_PUBLISHED_EVENTS, recorded(part))).toMatchObject({
        ok: false,
        error: { code: 'contract.unpublished_event' },
      });
  });

  it('closes at the first instant after the Tokyo month (00:00 Asia/Tokyo of the 1st)', () => {
    spec
      .given([])
      .when(close({ at: tokyo('2026-12-01T00:00:00') }))
      .then(closed());
  });

  it('given a region whose latest close is the month before, closes the next month', () => {
    spec
      .given([])
      .when(close({ closedMonths: ['2026-09', '2026-10'] }))
      .then(closed());
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
      spec.given(closed()).when(close()).thenThrows('settlement.month_closed', 'rule');
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

describe('a close too large for one event (cut into parts, appended together)', () => {
  const big = regionInput(800, 80);
  const settlement = closeMonth(big);
  const events = closed(coordinator.id, big);
  const json = settlementToJson(settlement);
  const typesOf = (list: readonly MonthEvent[]) => {
    const counts: Record<string, number> = {};
    for (const e of list) counts[e.type] = (counts[e.type] ?? 0) + 1;
    return counts;
  };

  it('cuts 800 members’ settlement into parts of each list within CLOSE_LIMITS, MonthClosed last, all one append can take', () => {
    expect(bytesOf(json)).toBeGreaterThan(LIMITS.eventBytes); // one MonthClosed would be refused
    expect(typesOf(events)).toEqual({
      InvoicesIssued: 1,
      StatementsIssued: 3,
      JobsSettled: 1,
      JournalRecorded: 2,
      MonthClosed: 1,
    });
    expect(events[events.length - 1]!.type).toBe('MonthClosed');
    for (const part of events.slice(0, -1)) expect(bytesOf(part.data)).toBeLessThanOrEqual(CLOSE_LIMITS.partBytes + 16);
    // Each list whole and in order across its parts.
    const runs = (list: 'invoices' | 'statements' | 'jobs' | 'journal') =>
      events.flatMap((e) => (Array.isArray(e.data[list]) && e.type !== 'MonthClosed' ? e.data[list] : []));
    expect(runs('statements')).toEqual(json.statements);
    expect(runs('journal')).toEqual(json.journal);
    expect(events[events.length - 1]!.data.parts).toEqual({
      events: 7,
      invoices: 80,
      statements: 800,
      jobs: 240,
      journal: settlement.journal.length,
    });
    // The store takes them as the command handler appends them (with the command's metadata).
    const metadata = { actorId: coordinator.id, commandId: `${coordinator.id}:close-2026-11`, correlationId: 'c' };
    expect(() =>
      prepareEvents(
        monthStream('fujisato', '2026-11'),
        events.map((e) => ({ type: e.type, data: e.data, metadata, occurredAt: big.closedAt })),
      ),
    ).not.toThrow();
  });

  it('reads the settlement back whole from its parts; MonthClosed follows its published schema', () => {
    expect(fold(monthDecider, events)).toEqual({
      status: 'closed',
      settlement,
      inputDigest: closeInputDigest(big),
      closedBy: coordinator.id,
    });
    const last = events[events.length - 1]!;
    const parsed = parsePublished(SETTLEMENT_PUBLISHED_EVENTS, recorded(last, events.length - 1));
    expect(parsed.ok).toBe(true);
    if (parsed.ok && parsed.value.type === 'MonthClosed') {
      expect(parsed.value.data.statements).toHaveLength(800);
      expect(parsed.value.data.invoices.map((i) => i.invoiceNumber)).toEqual(
        settlement.invoices.map((i) => i.invoiceNumber),
      );
    }
  });

  it('packs by the measured size of each item: smaller parts give more events, each item whole', () => {
    const small = regionInput(120, 12);
    const limits = { ...CLOSE_LIMITS, partBytes: 8 * 1024 };
    const cut = closeEvents(closeMonth(small), { inputDigest: closeInputDigest(small), closedBy: 'u' }, limits);
    const parts = cut.slice(0, -1);
    expect(parts.length).toBeGreaterThan(10);
    for (const part of parts) {
      const [list] = Object.values(part.data) as unknown[][];
      // A run is within the budget, or a single item over it.
      expect(bytesOf(part.data) <= limits.partBytes + 16 || list!.length === 1).toBe(true);
    }
    expect(cut[cut.length - 1]!.data.parts).toMatchObject({ events: parts.length });
    expect(fold(monthDecider, cut)).toMatchObject({ status: 'closed', settlement: closeMonth(small) });
  });

  describe('refuses a close its events cannot carry: settlement.close_too_large, nothing stored', () => {
    const small = regionInput(120, 12);
    const smallSettlement = closeMonth(small);
    const cut = (limits: Partial<typeof CLOSE_LIMITS>) => () =>
      closeEvents(
        smallSettlement,
        { inputDigest: closeInputDigest(small), closedBy: 'u' },
        { ...CLOSE_LIMITS, ...limits },
      );

    it('more events than one append takes', () => {
      expect(cut({ events: 20, partBytes: 2 * 1024 })).toThrow(
        expect.objectContaining({
          code: 'settlement.close_too_large',
          details: expect.objectContaining({ limit: 20 }),
        }),
      );
    });

    it('an invoice or a statement alone over the size of an event', () => {
      expect(cut({ partBytes: 100, eventBytes: 200 })).toThrow(
        expect.objectContaining({
          code: 'settlement.close_too_large',
          details: expect.objectContaining({ list: 'invoices' }),
        }),
      );
    });

    it('a MonthClosed over the size of an event (its summary grows with the statements)', () => {
      const smallJson = settlementToJson(smallSettlement);
      const largestItem = Math.max(
        ...(['invoices', 'statements', 'jobs', 'journal'] as const).flatMap((list) =>
          (smallJson[list] as JsonObject[]).map((item) => bytesOf(item)),
        ),
      );
      expect(cut({ partBytes: largestItem, eventBytes: largestItem + 2 })).toThrow(
        expect.objectContaining({
          code: 'settlement.close_too_large',
          message: expect.stringContaining('MonthClosed'),
        }),
      );
    });
  });

  it('holds CLOSE_LIMITS within the store’s LIMITS (events per append, bytes per event)', () => {
    expect(CLOSE_LIMITS.events).toBeLessThanOrEqual(LIMITS.eventsPerAppend);
    expect(CLOSE_LIMITS.partBytes).toBeLessThanOrEqual(512 * 1024);
    expect(CLOSE_LIMITS.eventBytes).toBeLessThan(LIMITS.eventBytes);
  });

  describe('reads back only a whole close (CodecError otherwise: what was stored is read as it was, or not at all)', () => {
    const statementsAt = events.findIndex((e) => e.type === 'StatementsIssued');

    it('a part missing', () => {
      const missing = events.filter((_, i) => i !== statementsAt);
      expect(() => fold(monthDecider, missing)).toThrow(CodecError);
      expect(() => fold(monthDecider, missing)).toThrow(/parts\.events/);
    });

    it('a statement missing from its part', () => {
      const statements = events[statementsAt]!.data.statements as JsonObject[];
      const short = events.map((e, i) =>
        i === statementsAt ? { ...e, data: { statements: statements.slice(1) } } : e,
      );
      expect(() => fold(monthDecider, short)).toThrow(/MonthClosed\.parts\.statements/);
    });

    it('a summary that does not number the parts’ statements', () => {
      const last = events[events.length - 1]!;
      const summary = last.data.statements as JsonObject[];
      const renumbered = [
        ...events.slice(0, -1),
        {
          ...last,
          data: { ...last.data, statements: [{ ...summary[0]!, statementNumber: 'PAY-x' }, ...summary.slice(1)] },
        },
      ];
      expect(() => fold(monthDecider, renumbered)).toThrow(/MonthClosed\.statements\[0\]\.statementNumber/);
    });

    it('an event after MonthClosed (a closed month never changes)', () => {
      expect(() => fold(monthDecider, [...events, events[0]!])).toThrow(CodecError);
    });
  });

  it('reads a MonthClosed of the first layout (the whole settlement in the one event) as it was', () => {
    const whole: MonthEvent = {
      type: 'MonthClosed',
      data: { ...settlementToJson(closeMonth(input)), inputDigest: closeInputDigest(input), closedBy: 'u' },
    };
    expect(fold(monthDecider, [whole])).toEqual({
      status: 'closed',
      settlement: closeMonth(input),
      inputDigest: closeInputDigest(input),
      closedBy: 'u',
    });
  });
});
