/**
 * The event store contract (DESIGN §2), one suite for every adapter. Each adapter's spec file
 * calls eventStoreContract with a way to open a store. Streams get a unique prefix per test,
 * so the suite also holds on a shared log (KurrentDB's $all).
 */
import fc from 'fast-check';
import {
  categoryOf,
  comparePositions,
  EventContentConflictError,
  EventIdConflictError,
  GENESIS_HASH,
  START,
  uuidv7,
  ValidationError,
  verifyChain,
  WrongExpectedVersionError,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { LIMITS } from '../src/validation.js';

let counter = 0;
/** A prefix no other test (or earlier run against the same database) uses. */
export const uniquePrefix = (): string =>
  `t${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const event = (
  type: string,
  data: Record<string, string | number | boolean | null> = {},
  extra: Partial<NewEvent> = {},
): NewEvent => ({
  type,
  data,
  ...extra,
});

const ofPrefix = (events: RecordedEvent[], prefix: string) =>
  events.filter((e) => e.streamName.startsWith(`${prefix}`));

const readWholeLog = async (store: EventStore, prefix: string): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  for await (const e of store.streamAll({ pageSize: 100 })) if (e.streamName.startsWith(prefix)) out.push(e);
  return out;
};

export interface ContractOptions {
  /**
   * Whether the store refuses an event id already stored in *another* stream. PostgreSQL and
   * embedded do (a unique index); KurrentDB keeps no index by event id, so it cannot.
   */
  uniqueIdsAcrossStreams?: boolean;
}

export const eventStoreContract = (
  name: string,
  open: () => Promise<EventStore>,
  options: ContractOptions = {},
): void => {
  const uniqueIdsAcrossStreams = options.uniqueIdsAcrossStreams ?? true;
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    let p: string;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });
    beforeEach(() => {
      p = uniquePrefix();
    });

    describe('append and read a stream', () => {
      it('numbers a new stream from version 0 and fills the envelope', async () => {
        const before = Date.now();
        const result = await store.append(
          `task-${p}`,
          [
            event(
              'TaskAssigned',
              { taskId: 't1', memberId: 'hanako' },
              {
                metadata: {
                  actor: 'coordinator-1',
                  correlationId: 'c-1',
                  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
                },
              },
            ),
            event(
              'TaskHandedOff',
              { taskId: 't1', from: 'hanako', to: 'yuki', reason: 'sick child' },
              { schemaVersion: 2 },
            ),
          ],
          { expectedVersion: 'no_stream' },
        );
        expect(result.nextExpectedVersion).toBe(1);
        expect(result.idempotent).toBe(false);
        const events = await store.readStream(`task-${p}`);
        expect(events.map((e) => [e.type, e.streamVersion, e.schemaVersion])).toEqual([
          ['TaskAssigned', 0, 1],
          ['TaskHandedOff', 1, 2],
        ]);
        const [first, second] = events as [RecordedEvent, RecordedEvent];
        expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(first.streamName).toBe(`task-${p}`);
        expect(first.data).toEqual({ taskId: 't1', memberId: 'hanako' });
        expect(first.metadata).toEqual({
          actor: 'coordinator-1',
          correlationId: 'c-1',
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        });
        expect(first.recordedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(first.occurredAt.getTime()).toBeGreaterThanOrEqual(before);
        expect(comparePositions(first.position, second.position)).toBeLessThan(0);
        expect(result.events.map((e) => e.id)).toEqual(events.map((e) => e.id));
        expect(result.events.map((e) => e.hash)).toEqual(events.map((e) => e.hash));
        expect(comparePositions(result.position, second.position)).toBe(0);
      });

      it('keeps occurred-at as given and stores times in UTC to the millisecond', async () => {
        const occurredAt = new Date('2026-03-31T15:04:05.678Z'); // 00:04 on April 1st in Tokyo
        await store.append(`timesheet-${p}`, [event('TimeRecorded', { minutes: 40 }, { occurredAt })]);
        const [e] = await store.readStream(`timesheet-${p}`);
        expect(e?.occurredAt.toISOString()).toBe('2026-03-31T15:04:05.678Z');
      });

      it('chains each event to its predecessor by hash, across appends', async () => {
        await store.append(`job-${p}`, [event('JobSubmitted'), event('JobQuoted', { amountYen: 150000 })]);
        await store.append(`job-${p}`, [event('JobAccepted')], { expectedVersion: 1 });
        const events = await store.readStream(`job-${p}`);
        expect(events[0]?.previousHash).toBe(GENESIS_HASH);
        expect(events[1]?.previousHash).toBe(events[0]?.hash);
        expect(events[2]?.previousHash).toBe(events[1]?.hash);
        expect(verifyChain(events)).toBeUndefined();
        const tampered = events.map((e, i) => (i === 1 ? { ...e, data: { amountYen: 1 } } : e));
        expect(verifyChain(tampered)).toMatchObject({ streamVersion: 1 });
      });

      it('reads forwards and backwards, from a version, with a limit', async () => {
        await store.append(
          `task-${p}`,
          Array.from({ length: 10 }, (_, i) => event('Step', { i })),
        );
        const versions = (es: RecordedEvent[]) => es.map((e) => e.streamVersion);
        expect(versions(await store.readStream(`task-${p}`))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(versions(await store.readStream(`task-${p}`, { fromVersion: 7 }))).toEqual([7, 8, 9]);
        expect(versions(await store.readStream(`task-${p}`, { fromVersion: 2, limit: 3 }))).toEqual([2, 3, 4]);
        expect(versions(await store.readStream(`task-${p}`, { direction: 'backwards' }))).toEqual([
          9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
        ]);
        expect(versions(await store.readStream(`task-${p}`, { direction: 'backwards', limit: 2 }))).toEqual([9, 8]);
        expect(
          versions(await store.readStream(`task-${p}`, { direction: 'backwards', fromVersion: 4, limit: 3 })),
        ).toEqual([4, 3, 2]);
        expect(versions(await store.readStream(`task-${p}`, { fromVersion: 10 }))).toEqual([]);
      });

      it('reads an unknown stream as empty, with no version', async () => {
        expect(await store.readStream(`member-${p}`)).toEqual([]);
        expect(await store.streamVersion(`member-${p}`)).toBeUndefined();
        await store.append(`member-${p}`, [event('MemberRegistered'), event('MemberMoved')]);
        expect(await store.streamVersion(`member-${p}`)).toBe(1);
      });
    });

    describe('expected versions', () => {
      const conflict = async (expected: ExpectedVersion, stream: string): Promise<WrongExpectedVersionError> => {
        const before = await store.readStream(stream);
        const error: unknown = await store.append(stream, [event('Refused')], { expectedVersion: expected }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual(before.map((e) => e.id));
        return error as WrongExpectedVersionError;
      };

      it('no_stream: only when the stream has no event', async () => {
        await store.append(`s-${p}`, [event('A')], { expectedVersion: 'no_stream' });
        const error = await conflict('no_stream', `s-${p}`);
        expect(error.code).toBe('eventstore.wrong_expected_version');
        expect(error.kind).toBe('conflict');
        expect(error.actual).toBe(0);
      });

      it('stream_exists: only when it has at least one event', async () => {
        const error = await conflict('stream_exists', `s-${p}`);
        expect(error.actual).toBeUndefined();
        await store.append(`s-${p}`, [event('A')]);
        await expect(store.append(`s-${p}`, [event('B')], { expectedVersion: 'stream_exists' })).resolves.toMatchObject(
          { nextExpectedVersion: 1 },
        );
      });

      it('an exact version: only when the last event has it', async () => {
        await store.append(`s-${p}`, [event('A'), event('B'), event('C')]);
        expect((await conflict(1, `s-${p}`)).actual).toBe(2);
        expect((await conflict(3, `s-${p}`)).actual).toBe(2);
        await expect(store.append(`s-${p}`, [event('D')], { expectedVersion: 2 })).resolves.toMatchObject({
          nextExpectedVersion: 3,
        });
        expect((await conflict(0, `other-${p}`)).actual).toBeUndefined();
      });

      it('any: always, and is the default', async () => {
        await store.append(`s-${p}`, [event('A')], { expectedVersion: 'any' });
        await expect(store.append(`s-${p}`, [event('B')])).resolves.toMatchObject({ nextExpectedVersion: 1 });
      });

      it('of two writers racing with the same version, exactly one wins', async () => {
        await store.append(`s-${p}`, [event('A')]);
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, (_, i) => store.append(`s-${p}`, [event('Racer', { i })], { expectedVersion: 0 })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results)
          if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.streamVersion(`s-${p}`)).toBe(1);
      });
    });

    describe('idempotent appends', () => {
      it('the same append again is a no-op that answers the original positions', async () => {
        const batch = [event('A', {}, { id: uuidv7() }), event('B', {}, { id: uuidv7() })];
        const first = await store.append(`s-${p}`, batch, { expectedVersion: 'no_stream' });
        // A retry after a lost answer: same ids, same expected version, which no longer holds.
        const again = await store.append(`s-${p}`, batch, { expectedVersion: 'no_stream' });
        expect(again.idempotent).toBe(true);
        expect(again.nextExpectedVersion).toBe(first.nextExpectedVersion);
        expect(again.events.map((e) => [e.id, e.streamVersion, e.hash])).toEqual(
          first.events.map((e) => [e.id, e.streamVersion, e.hash]),
        );
        expect(again.events.map((e) => comparePositions(e.position, first.events[e.streamVersion]!.position))).toEqual([
          0, 0,
        ]);
        expect(await store.readStream(`s-${p}`)).toHaveLength(2);
      });

      it('ids are compared case-insensitively', async () => {
        const id = uuidv7();
        await store.append(`s-${p}`, [event('A', {}, { id })]);
        const again = await store.append(`s-${p}`, [event('A', {}, { id: id.toUpperCase() })]);
        expect(again.idempotent).toBe(true);
        expect(await store.readStream(`s-${p}`)).toHaveLength(1);
      });

      it('an id already stored as part of another append to the stream is refused and nothing is stored', async () => {
        const a = uuidv7();
        const b = uuidv7();
        await store.append(`s-${p}`, [event('A', {}, { id: a }), event('B', {}, { id: b })]);
        await expect(store.append(`s-${p}`, [event('B', {}, { id: b }), event('C')])).rejects.toBeInstanceOf(
          EventIdConflictError,
        );
        await expect(store.append(`s-${p}`, [event('C'), event('A', {}, { id: a })])).rejects.toBeInstanceOf(
          EventIdConflictError,
        );
        expect(await store.readStream(`s-${p}`)).toHaveLength(2);
      });

      it('a retry carries the same content: the same id with other data, type, schema version or metadata is refused and the stored event stands', async () => {
        const id = uuidv7();
        const occurredAt = new Date('2026-04-01T00:00:00.000Z');
        const original = event('HoursRecorded', { minutes: 40 }, { id, occurredAt, metadata: { actor: 'member-1' } });
        await store.append(`s-${p}`, [original]);
        const variants: [string, NewEvent][] = [
          ['data', { ...original, data: { minutes: 400 } }],
          ['type', { ...original, type: 'HoursCorrected' }],
          ['schemaVersion', { ...original, schemaVersion: 2 }],
          ['metadata', { ...original, metadata: { actor: 'member-2' } }],
          ['occurredAt', { ...original, occurredAt: new Date('2026-04-01T00:00:01.000Z') }],
        ];
        for (const [field, variant] of variants) {
          const refusal = await store.append(`s-${p}`, [variant]).then(
            () => undefined,
            (error: unknown) => error,
          );
          expect(refusal).toBeInstanceOf(EventContentConflictError);
          expect(refusal).toMatchObject({
            code: 'eventstore.event_content_conflict',
            kind: 'conflict',
            eventId: id,
            differs: [field],
          });
        }
        const [stored, ...more] = await store.readStream(`s-${p}`);
        expect(more).toEqual([]);
        expect(stored).toMatchObject({
          id,
          type: 'HoursRecorded',
          schemaVersion: 1,
          data: { minutes: 40 },
          metadata: { actor: 'member-1' },
        });
        // The very same event again (key order does not matter; occurred-at left out is the try's own instant).
        const again = await store.append(`s-${p}`, [
          { type: 'HoursRecorded', data: { minutes: 40 }, id, metadata: { actor: 'member-1' } },
        ]);
        expect(again.idempotent).toBe(true);
        expect(again.events[0]!.occurredAt.toISOString()).toBe(occurredAt.toISOString());
      });

      it('a retried batch with one event changed is refused whole', async () => {
        const batch = [event('A', { n: 1 }, { id: uuidv7() }), event('B', { n: 2 }, { id: uuidv7() })];
        await store.append(`s-${p}`, batch, { expectedVersion: 'no_stream' });
        await expect(
          store.append(`s-${p}`, [batch[0]!, { ...batch[1]!, data: { n: 3 } }], { expectedVersion: 'no_stream' }),
        ).rejects.toBeInstanceOf(EventContentConflictError);
        expect((await store.readStream(`s-${p}`)).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      });

      (uniqueIdsAcrossStreams ? it : it.skip)(
        'an id already stored in another stream is refused and nothing is stored',
        async () => {
          const a = uuidv7();
          await store.append(`s-${p}`, [event('A', {}, { id: a })]);
          await expect(store.append(`other-${p}`, [event('A', {}, { id: a })])).rejects.toBeInstanceOf(
            EventIdConflictError,
          );
          expect(await store.readStream(`other-${p}`)).toEqual([]);
        },
      );
    });

    describe('bad input is refused whole, with a typed error, and nothing is stored', () => {
      const cases: [string, () => [unknown, unknown, unknown?]][] = [
        ['an empty stream name', () => ['', [event('A')]]],
        ['a stream name without a category', () => ['justanid', [event('A')]]],
        ['a stream name with spaces', () => ['task-has space', [event('A')]]],
        ['a stream name starting with a dash', () => ['-task', [event('A')]]],
        ['a system stream name', () => ['$all-1', [event('A')]]],
        ['a stream name that is not a string', () => [42, [event('A')]]],
        ['a stream name over the limit', () => [`task-${'x'.repeat(LIMITS.streamNameLength)}`, [event('A')]]],
        ['no events', () => ['task-1', []]],
        ['events that are not an array', () => ['task-1', event('A')]],
        ['too many events', () => ['task-1', Array.from({ length: LIMITS.eventsPerAppend + 1 }, () => event('A'))]],
        ['an event over the size limit', () => ['task-1', [event('Big', { blob: 'x'.repeat(LIMITS.eventBytes) })]]],
        ['a function in data', () => ['task-1', [{ type: 'A', data: { f: () => 1 } }]]],
        ['a bigint in data', () => ['task-1', [{ type: 'A', data: { yen: 10n } }]]],
        ['undefined in data', () => ['task-1', [{ type: 'A', data: { note: undefined } }]]],
        ['NaN in data', () => ['task-1', [{ type: 'A', data: { hours: Number.NaN } }]]],
        ['a Date in data', () => ['task-1', [{ type: 'A', data: { at: new Date() } }]]],
        [
          'a circular structure',
          () => {
            const data: Record<string, unknown> = {};
            data.self = data;
            return ['task-1', [{ type: 'A', data }]];
          },
        ],
        ['data that is an array', () => ['task-1', [{ type: 'A', data: [1, 2] }]]],
        ['missing data', () => ['task-1', [{ type: 'A' }]]],
        ['a missing type', () => ['task-1', [{ data: {} }]]],
        ['a type that is not a name', () => ['task-1', [{ type: 'task handed off!', data: {} }]]],
        ['a type that is a number', () => ['task-1', [{ type: 7, data: {} }]]],
        ['a schema version of 0', () => ['task-1', [{ type: 'A', data: {}, schemaVersion: 0 }]]],
        ['a fractional schema version', () => ['task-1', [{ type: 'A', data: {}, schemaVersion: 1.5 }]]],
        ['metadata that is a string', () => ['task-1', [{ type: 'A', data: {}, metadata: 'actor' }]]],
        ['an invalid occurred-at', () => ['task-1', [{ type: 'A', data: {}, occurredAt: new Date('not a date') }]]],
        ['an occurred-at that is a string', () => ['task-1', [{ type: 'A', data: {}, occurredAt: '2026-01-01' }]]],
        ['an id that is not a UUID', () => ['task-1', [{ id: 'evt-1', type: 'A', data: {} }]]],
        [
          'the same id twice in a batch',
          () => {
            const id = uuidv7();
            return ['task-1', [event('A', {}, { id }), event('B', {}, { id })]];
          },
        ],
        ['an unknown expected-version word', () => ['task-1', [event('A')], { expectedVersion: 'latest' }]],
        ['a negative expected version', () => ['task-1', [event('A')], { expectedVersion: -1 }]],
        ['a fractional expected version', () => ['task-1', [event('A')], { expectedVersion: 1.5 }]],
        ['an expected version given as a string', () => ['task-1', [event('A')], { expectedVersion: '3' }]],
        ['a valid event after a bad one', () => ['task-1', [event('Good'), { type: 'Bad', data: { x: undefined } }]]],
      ];

      it.each(cases)('%s', async (_title, make) => {
        const [stream, events, options] = make();
        const unique =
          typeof stream === 'string' && stream.startsWith('task-') ? `task-${p}${stream.slice(5)}` : stream;
        const headBefore = await store.headPosition();
        const error: unknown = await store
          .append(unique as string, events as NewEvent[], options as { expectedVersion: ExpectedVersion })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).code).toMatch(/^eventstore\./);
        expect((error as ValidationError).kind).toBe('invalid');
        expect((error as ValidationError).message.length).toBeGreaterThan(10);
        if (stream === 'task-1') expect(await store.readStream(unique as string)).toEqual([]);
        expect(ofPrefix(await store.readAll({ after: headBefore }), `task-${p}`)).toEqual([]);
      });

      it('refuses bad read arguments with typed errors', async () => {
        await expect(store.readStream('')).rejects.toBeInstanceOf(ValidationError);
        await expect(store.readStream(`task-${p}`, { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
        await expect(store.readStream(`task-${p}`, { fromVersion: -2 })).rejects.toBeInstanceOf(ValidationError);
        await expect(store.readAll({ limit: 1.5 })).rejects.toBeInstanceOf(ValidationError);
        await expect(store.readAll({ after: { commit: 1, prepare: 2 } as never })).rejects.toBeInstanceOf(
          ValidationError,
        );
      });
    });

    describe('the global log', () => {
      it('holds every event once, in an order consistent with every stream, readable from any position', async () => {
        const start = await store.headPosition();
        const streams = ['a', 'b', 'c'].map((s) => `log-${p}${s}`);
        for (let round = 0; round < 4; round++) {
          for (const stream of streams) await store.append(stream, [event('E', { round }), event('F', { round })]);
        }
        const all = ofPrefix(await store.readAll({ after: start, limit: 10_000 }), `log-${p}`);
        expect(all).toHaveLength(24);
        expect(new Set(all.map((e) => e.id)).size).toBe(24);
        for (let i = 1; i < all.length; i++)
          expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBeLessThan(0);
        for (const stream of streams) {
          expect(all.filter((e) => e.streamName === stream).map((e) => e.streamVersion)).toEqual([
            0, 1, 2, 3, 4, 5, 6, 7,
          ]);
        }
        // From the middle: exactly the events after that position.
        const middle = all[11]!.position;
        const rest = ofPrefix(await store.readAll({ after: middle, limit: 10_000 }), `log-${p}`);
        expect(rest.map((e) => e.id)).toEqual(all.slice(12).map((e) => e.id));
        // Page by page, the same sequence.
        const paged: RecordedEvent[] = [];
        let after = start;
        for (;;) {
          const page = await store.readAll({ after, limit: 5 });
          paged.push(...ofPrefix(page, `log-${p}`));
          if (page.length < 5) break;
          after = page[page.length - 1]!.position;
        }
        expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
        expect((await readWholeLog(store, `log-${p}`)).map((e) => e.id)).toEqual(all.map((e) => e.id));
        expect(comparePositions(await store.headPosition(), all[all.length - 1]!.position)).toBeGreaterThanOrEqual(0);
      });

      it('starts at START, before every event', async () => {
        await store.append(`log-${p}`, [event('E')]);
        const [first] = await store.readAll({ after: START, limit: 1 });
        expect(first).toBeDefined();
        expect(comparePositions(START, first!.position)).toBeLessThan(0);
      });
    });

    describe('durable catch-up subscriptions', () => {
      const collect = (target: RecordedEvent[], prefix: string) => (e: RecordedEvent) => {
        if (e.streamName.startsWith(prefix)) target.push(e);
      };

      it('delivers every event in log order, then new ones as they come, and resumes from its checkpoint', async () => {
        await store.append(`sub-${p}a`, [event('E', { n: 1 }), event('E', { n: 2 })]);
        const seen: RecordedEvent[] = [];
        const subscriptionId = `projection-${p}`;
        const first = store.subscribe({
          subscriptionId,
          handle: collect(seen, `sub-${p}`),
          batchSize: 3,
          pollIntervalMs: 20,
        });
        await first.caughtUp();
        expect(seen.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
        await store.append(`sub-${p}b`, [event('E', { n: 3 })]);
        await first.caughtUp();
        expect(seen.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
        await first.stop();
        await first.done;
        const checkpoint = await store.readCheckpoint(subscriptionId);
        expect(checkpoint && comparePositions(checkpoint, seen[2]!.position)).toBeGreaterThanOrEqual(0);

        await store.append(`sub-${p}a`, [event('E', { n: 4 })]);
        const second = store.subscribe({ subscriptionId, handle: collect(seen, `sub-${p}`), pollIntervalMs: 20 });
        await second.caughtUp();
        await second.stop();
        expect(seen.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
      });

      it('a handler that throws stops the subscription; on restart the event comes again', async () => {
        await store.append(`sub-${p}`, [event('E', { n: 1 }), event('Poison', { n: 2 }), event('E', { n: 3 })]);
        const seen: number[] = [];
        const errors: unknown[] = [];
        let poisonous = true;
        const handle = (e: RecordedEvent) => {
          if (!e.streamName.startsWith(`sub-${p}`)) return;
          if (e.type === 'Poison' && poisonous) throw new Error('handler failed on purpose');
          seen.push(e.data.n as number);
        };
        const subscriptionId = `failing-${p}`;
        const failing = store.subscribe({ subscriptionId, handle, pollIntervalMs: 20, onError: (e) => errors.push(e) });
        await expect(failing.done).rejects.toThrow('handler failed on purpose');
        expect(errors).toHaveLength(1);
        expect(seen).toEqual([1]);
        poisonous = false;
        const retry = store.subscribe({ subscriptionId, handle, pollIntervalMs: 20 });
        await retry.caughtUp();
        await retry.stop();
        expect(seen).toEqual([1, 2, 3]);
      });

      it('with a checkpoint interval, saves at the first page, then not before the interval has passed, and always on stop', async () => {
        const subscriptionId = `lazy-${p}`;
        // It starts at the head: its first page is the event below, whatever the log holds before.
        await store.storeCheckpoint(subscriptionId, await store.headPosition());
        await store.append(`lazy-${p}`, [event('E', { n: 1 })]);
        const seen: RecordedEvent[] = [];
        const lazy = store.subscribe({
          subscriptionId,
          handle: collect(seen, `lazy-${p}`),
          pollIntervalMs: 20,
          checkpointIntervalMs: 600_000,
        });
        await lazy.caughtUp();
        // caughtUp() resolves once the events are handled; the page's checkpoint is saved just after.
        let first = await store.readCheckpoint(subscriptionId);
        for (
          let tries = 0;
          (first === undefined || comparePositions(first, seen[0]!.position) < 0) && tries < 250;
          tries++
        ) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          first = await store.readCheckpoint(subscriptionId);
        }
        expect(first && comparePositions(first, seen[0]!.position)).toBeGreaterThanOrEqual(0);
        await store.append(`lazy-${p}`, [event('E', { n: 2 })]);
        await lazy.caughtUp();
        expect(seen.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
        expect(await store.readCheckpoint(subscriptionId)).toEqual(first); // handled, not saved yet
        await lazy.stop();
        const last = await store.readCheckpoint(subscriptionId);
        expect(last && comparePositions(last, seen[1]!.position)).toBeGreaterThanOrEqual(0);
      });

      it('with a checkpoint interval, saves what was handled before a handler throws', async () => {
        const subscriptionId = `lazy-fail-${p}`;
        await store.storeCheckpoint(subscriptionId, await store.headPosition());
        await store.append(`lazy-fail-${p}`, [event('E', { n: 1 }), event('Poison', { n: 2 })]);
        const seen: RecordedEvent[] = [];
        const failing = store.subscribe({
          subscriptionId,
          handle: (e) => {
            if (e.type === 'Poison' && e.streamName === `lazy-fail-${p}`) throw new Error('handler failed on purpose');
            collect(seen, `lazy-fail-${p}`)(e);
          },
          pollIntervalMs: 20,
          checkpointIntervalMs: 600_000,
        });
        await expect(failing.done).rejects.toThrow('handler failed on purpose');
        const saved = await store.readCheckpoint(subscriptionId);
        expect(saved && comparePositions(saved, seen[0]!.position)).toBe(0);
      });

      it('stores and reads checkpoints', async () => {
        expect(await store.readCheckpoint(`cp-${p}`)).toBeUndefined();
        await store.storeCheckpoint(`cp-${p}`, { commit: 12n, prepare: 34n });
        await store.storeCheckpoint(`cp-${p}`, { commit: 56n, prepare: 78n });
        expect(await store.readCheckpoint(`cp-${p}`)).toEqual({ commit: 56n, prepare: 78n });
      });
    });

    describe('reads by category', () => {
      /** A category no other test (or run) uses: the unique prefix is letter-led, letters and digits only. */
      const cat = (name: string) => `${p}${name}`;
      const ids = (events: readonly RecordedEvent[]) => events.map((e) => e.id);
      const invalidCategories: [string, unknown][] = [
        ['an empty list', []],
        ['an empty category', ['']],
        ['a category with a dash', ['job-1']],
        ['a category that is not a string', [42]],
        ['a category that is null', [null]],
        ['a category that does not start with a letter', ['1job']],
        ['a category with a space', ['job board']],
        ['a category longer than a stream name allows', [`j${'x'.repeat(LIMITS.streamNameLength)}`]],
        ['a string instead of a list', 'job'],
        [
          `more than ${LIMITS.categoriesPerRead} categories`,
          Array.from({ length: LIMITS.categoriesPerRead + 1 }, (_, i) => `c${i}`),
        ],
      ];

      /** Streams of four categories (job, jobBoard, member, task), appended interleaved: every event, in log order. */
      const seedCategories = async (): Promise<RecordedEvent[]> => {
        const written: RecordedEvent[] = [];
        for (let round = 0; round < 3; round++) {
          for (const [category, streams] of [
            ['job', 2],
            ['jobBoard', 1],
            ['member', 2],
            ['task', 1],
          ] as const) {
            for (let s = 0; s < streams; s++) {
              const result = await store.append(`${cat(category)}-${s}`, [
                event('E', { round, s }),
                ...(round === 1 ? [event('F', { round, s })] : []),
              ]);
              written.push(...result.events);
            }
          }
        }
        return written.sort((a, b) => comparePositions(a.position, b.position));
      };
      const ofCategories = (events: readonly RecordedEvent[], ...names: string[]) =>
        events.filter((e) => names.map(cat).includes(categoryOf(e.streamName)));

      it('a filtered readAll returns exactly the events of the chosen categories, in global order', async () => {
        const start = await store.headPosition();
        const written = await seedCategories();
        const read = (...names: string[]) => store.readAll({ after: start, limit: 10_000, categories: names.map(cat) });

        const jobs = await read('job');
        expect(jobs).toHaveLength(8);
        expect(ids(jobs)).toEqual(ids(ofCategories(written, 'job')));
        // `job` is a prefix of `jobBoard`: neither reads the other.
        expect(jobs.every((e) => categoryOf(e.streamName) === cat('job'))).toBe(true);
        expect(ids(await read('jobBoard'))).toEqual(ids(ofCategories(written, 'jobBoard')));
        // Several categories: their events interleaved in global order.
        const several = await read('job', 'member', 'job');
        expect(ids(several)).toEqual(ids(ofCategories(written, 'job', 'member')));
        for (let i = 1; i < several.length; i++)
          expect(comparePositions(several[i - 1]!.position, several[i]!.position)).toBeLessThan(0);
        // The same events as the unfiltered log holds, with the same positions and content.
        const unfiltered = ofCategories(await store.readAll({ after: start, limit: 10_000 }), 'job', 'member');
        expect(several).toEqual(unfiltered);
        expect(await read('none')).toEqual([]);
        expect(await store.readAll({ after: START, categories: [cat('none'), cat('alsoNone')] })).toEqual([]);
      });

      it('pages through a filtered read with after and limit, and streamAll reads the same', async () => {
        const start = await store.headPosition();
        const written = await seedCategories();
        const categories = [cat('member'), cat('task')];
        const expected = ids(ofCategories(written, 'member', 'task'));
        expect(expected).toHaveLength(12);

        const paged: RecordedEvent[] = [];
        let after = start;
        for (;;) {
          const page = await store.readAll({ after, limit: 5, categories });
          expect(page.length).toBeLessThanOrEqual(5);
          paged.push(...page);
          if (page.length < 5) break;
          after = page[page.length - 1]!.position;
        }
        expect(ids(paged)).toEqual(expected);
        // From the middle: exactly the matching events after that position (here, of another category).
        const middle = written[Math.floor(written.length / 2)]!;
        expect(ids(await store.readAll({ after: middle.position, categories }))).toEqual(
          ids(ofCategories(written, 'member', 'task').filter((e) => comparePositions(e.position, middle.position) > 0)),
        );

        const streamed: RecordedEvent[] = [];
        for await (const e of store.streamAll({ after: start, pageSize: 2, categories })) streamed.push(e);
        expect(ids(streamed)).toEqual(expected);
        const limited: RecordedEvent[] = [];
        for await (const e of store.streamAll({ after: start, pageSize: 2, limit: 5, categories })) limited.push(e);
        expect(ids(limited)).toEqual(expected.slice(0, 5));
      });

      it('a filtered subscription delivers only its categories, passes other categories, and resumes from its checkpoint without delivering again', async () => {
        await store.append(`${cat('job')}-1`, [event('E', { n: 1 })]);
        await store.append(`${cat('jobBoard')}-1`, [event('E', { n: -1 })]);
        await store.append(`${cat('member')}-1`, [event('E', { n: 2 })]);
        const last = await store.append(`${cat('task')}-1`, [event('E', { n: -2 })]);
        const seen: RecordedEvent[] = [];
        const subscriptionId = `by-category-${p}`;
        const options = {
          subscriptionId,
          handle: (e: RecordedEvent) => void seen.push(e),
          categories: [cat('job'), cat('member')],
          batchSize: 2,
          pollIntervalMs: 20,
        };
        const first = store.subscribe(options);
        // Resolves although the newest events are of other categories.
        await first.caughtUp();
        // Everything it got is of its categories (other tests' events included, on a shared log).
        expect(seen.every((e) => [cat('job'), cat('member')].includes(categoryOf(e.streamName)))).toBe(true);
        expect(seen.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
        await first.stop();
        // The checkpoint is past the last event of the log it read, though that one is of another category.
        const checkpoint = await store.readCheckpoint(subscriptionId);
        expect(checkpoint && comparePositions(checkpoint, last.position)).toBeGreaterThanOrEqual(0);

        await store.append(`${cat('task')}-1`, [event('E', { n: -3 })]);
        await store.append(`${cat('member')}-1`, [event('E', { n: 3 })]);
        const tail = await store.append(`${cat('jobBoard')}-1`, [event('E', { n: -4 })]);
        const second = store.subscribe(options);
        await second.caughtUp();
        await second.stop();
        expect(seen.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
        const after = await store.readCheckpoint(subscriptionId);
        expect(after && comparePositions(after, tail.position)).toBeGreaterThanOrEqual(0);
      });

      it('a filtered subscription whose categories have no events still moves its checkpoint past the others', async () => {
        const subscriptionId = `quiet-${p}`;
        const seen: RecordedEvent[] = [];
        const quiet = store.subscribe({
          subscriptionId,
          handle: (e) => void seen.push(e),
          categories: [cat('quiet')],
          pollIntervalMs: 20,
        });
        await quiet.caughtUp();
        let last = await store.append(`${cat('busy')}-1`, [event('E'), event('E')]);
        last = await store.append(`${cat('busy')}-2`, [event('E')]);
        await quiet.caughtUp();
        await quiet.stop();
        expect(seen).toEqual([]);
        const checkpoint = await store.readCheckpoint(subscriptionId);
        expect(checkpoint && comparePositions(checkpoint, last.position)).toBeGreaterThanOrEqual(0);
      });

      it.each(invalidCategories)(
        'refuses %s with a ValidationError, in readAll, streamAll and subscribe',
        async (_title, categories) => {
          const refused = (error: unknown) => {
            expect(error).toBeInstanceOf(ValidationError);
            expect(error).toMatchObject({ code: 'eventstore.invalid_categories', kind: 'invalid' });
          };
          refused(
            await store.readAll({ categories: categories as string[] }).then(
              () => undefined,
              (e: unknown) => e,
            ),
          );
          const streamed = (async () => {
            for await (const e of store.streamAll({ categories: categories as string[] })) void e;
          })();
          refused(
            await streamed.then(
              () => undefined,
              (e: unknown) => e,
            ),
          );
          let thrown: unknown;
          try {
            const s = store.subscribe({
              subscriptionId: `refused-${p}`,
              handle: () => undefined,
              categories: categories as string[],
            });
            await s.stop();
          } catch (error) {
            thrown = error;
          }
          refused(thrown);
          expect(await store.readCheckpoint(`refused-${p}`)).toBeUndefined();
        },
      );
    });

    describe('behaves like a simple in-memory model (property)', () => {
      type Op = { stream: number; expected: ExpectedVersion; size: number };
      const op = fc.record({
        stream: fc.integer({ min: 0, max: 2 }),
        expected: fc.oneof(
          fc.constantFrom<ExpectedVersion>('any', 'no_stream', 'stream_exists'),
          fc.integer({ min: 0, max: 5 }),
        ),
        size: fc.integer({ min: 1, max: 3 }),
      });

      it('random appends with random expected versions', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops: Op[]) => {
            const run = uniquePrefix();
            const model = new Map<number, string[]>();
            for (const { stream, expected, size } of ops) {
              const name = `prop-${run}${stream}`;
              const stored = model.get(stream) ?? [];
              const current = stored.length === 0 ? undefined : stored.length - 1;
              const ok =
                expected === 'any' ||
                (expected === 'no_stream' && current === undefined) ||
                (expected === 'stream_exists' && current !== undefined) ||
                expected === current;
              const batch = Array.from({ length: size }, () => event('P', {}, { id: uuidv7() }));
              const outcome = await store.append(name, batch, { expectedVersion: expected }).then(
                (r) => r,
                (e: unknown) => e,
              );
              if (ok) {
                expect(outcome).toMatchObject({ nextExpectedVersion: stored.length + size - 1, idempotent: false });
                model.set(stream, [...stored, ...batch.map((e) => e.id!)]);
              } else {
                expect(outcome).toBeInstanceOf(WrongExpectedVersionError);
                expect((outcome as WrongExpectedVersionError).actual).toBe(current);
              }
            }
            for (const [stream, ids] of model) {
              const events = await store.readStream(`prop-${run}${stream}`);
              expect(events.map((e) => e.id)).toEqual(ids);
              expect(verifyChain(events)).toBeUndefined();
              expect(await store.streamVersion(`prop-${run}${stream}`)).toBe(ids.length - 1);
            }
          }),
          { numRuns: 25 },
        );
      });
    });
  });
};
