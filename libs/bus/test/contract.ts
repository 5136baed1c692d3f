import { createLogger, type Logger } from '@workshare/telemetry/logger';
/**
 * The bus contract: every adapter (embedded, NATS JetStream) passes these tests.
 * Each test uses stream categories (= contexts) and consumer names of its own, so the tests of one
 * file share a store and a bus without seeing each other's events.
 */
import { randomBytes } from 'node:crypto';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import type { EventMetadata, EventStore, RecordedEvent } from '@workshare/eventsourcing';
import type { Delivery, EventBus, Heard } from '../src/index.js';
import { useAsyncContext } from './support/context-manager.js';
import { eventually, sleep } from './support/wait.js';

export interface BusFixture {
  readonly store: EventStore;
  readonly bus: EventBus;
  /** Subjects are `<subjectPrefix>.<context>.<EventType>`. */
  readonly subjectPrefix: string;
  /**
   * Makes every stored event reach `consumer` again, as after a crash before its progress was
   * saved (embedded: its cursor rewound; NATS: the log published again past the duplicate window).
   * The consumer is stopped meanwhile.
   */
  replay(consumer: string): Promise<void>;
  /** Another process's bus over the same events (embedded: the same store; NATS: the same stream), closed by the caller. */
  another(): Promise<EventBus>;
}

/** Keeps the bus's log lines (the platform's pino logger, at debug) for assertions instead of printing them. */
export const collectingLogger = (): Logger & {
  lines: { level: string; message: string; fields: Record<string, unknown> }[];
} => {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const write = (line: string): void => {
    const { level, msg, time: _time, logger: _logger, ...fields } = JSON.parse(line) as Record<string, unknown>;
    lines.push({ level: String(level), message: String(msg), fields });
  };
  return Object.assign(createLogger('bus', { level: 'debug', destination: { write } }), { lines });
};

interface Received {
  event: RecordedEvent;
  delivery: Delivery;
  at: number;
}

const recorder = (behaviour?: (event: RecordedEvent, delivery: Delivery) => void) => {
  const received: Received[] = [];
  return {
    received,
    handle: (event: RecordedEvent, delivery: Delivery) => {
      received.push({ event, delivery, at: Date.now() });
      behaviour?.(event, delivery);
    },
  };
};

export const busContract = (adapter: string, setup: () => Promise<BusFixture>, teardown: () => Promise<void>): void => {
  describe(`bus contract: ${adapter}`, () => {
    let f: BusFixture;
    const run = randomBytes(2).toString('hex');
    let n = 0;
    /** A context (stream category) and a consumer name no other test uses. */
    const fresh = () => {
      n++;
      return { context: `t${n}x${run}`, consumer: `c${n}_${run}` };
    };
    const append = async (
      stream: string,
      types: readonly string[],
      metadata: EventMetadata = {},
    ): Promise<RecordedEvent[]> =>
      (
        await f.store.append(
          stream,
          types.map((type, i) => ({ type, data: { n: i, stream }, metadata })),
        )
      ).events as RecordedEvent[];

    beforeAll(async () => {
      f = await setup();
    }, 120_000);
    afterAll(async () => {
      await teardown();
    }, 60_000);

    it('delivers each event of the wanted contexts once, with its subject, context and first attempt', async () => {
      const { context, consumer } = fresh();
      const other = fresh().context;
      const r = recorder();
      const sub = f.bus.subscribe({ consumer, filter: { contexts: [context] }, handle: r.handle });
      try {
        await sub.ready;
        const wanted = [
          ...(await append(`${context}-1`, ['ThingHappened', 'ThingHappened'])),
          ...(await append(`${context}-2`, ['OtherHappened'])),
        ];
        await append(`${other}-1`, ['ThingHappened']);
        await eventually('three events', () => r.received.length >= 3);
        await sleep(300); // room for a wrong extra delivery to show up
        expect(r.received.map((x) => x.event.id).sort()).toEqual(wanted.map((e) => e.id).sort());
        for (const { event, delivery } of r.received) {
          expect(delivery).toMatchObject({
            consumer,
            attempt: 1,
            context,
            subject: `${f.subjectPrefix}.${context}.${event.type}`,
          });
          const stored = wanted.find((e) => e.id === event.id)!;
          expect(event.streamName).toBe(stored.streamName);
          expect(event.streamVersion).toBe(stored.streamVersion);
          expect(event.position).toEqual(stored.position);
          expect(event.data).toEqual(stored.data);
          expect(event.hash).toBe(stored.hash);
          expect(event.recordedAt.getTime()).toBe(stored.recordedAt.getTime());
        }
      } finally {
        await sub.stop();
      }
    });

    it('filters by event type across contexts, and by types and contexts together', async () => {
      const a = fresh();
      const b = fresh();
      const c = fresh();
      const byType = recorder();
      const byBoth = recorder();
      const sub1 = f.bus.subscribe({
        consumer: a.consumer,
        filter: { types: ['Task.Created'] },
        handle: byType.handle,
      });
      const sub2 = f.bus.subscribe({
        consumer: b.consumer,
        filter: { types: ['Wanted', 'AlsoWanted'], contexts: [a.context, b.context] },
        handle: byBoth.handle,
      });
      try {
        await Promise.all([sub1.ready, sub2.ready]);
        const created = [
          ...(await append(`${a.context}-1`, ['Task.Created', 'Wanted'])),
          ...(await append(`${c.context}-1`, ['Task.Created', 'Wanted'])),
        ];
        const both = [
          ...(await append(`${b.context}-1`, ['AlsoWanted', 'Unwanted'])),
          ...(await append(`${c.context}-2`, ['AlsoWanted'])),
        ];
        const typeIds = created.filter((e) => e.type === 'Task.Created').map((e) => e.id);
        const bothIds = [created[1]!.id, both[0]!.id];
        await eventually('both consumers', () => byType.received.length >= 2 && byBoth.received.length >= 2);
        await sleep(300);
        expect(byType.received.map((x) => x.event.id).sort()).toEqual([...typeIds].sort());
        expect(byType.received.map((x) => x.delivery.subject).sort()).toEqual(
          [`${f.subjectPrefix}.${a.context}.Task_Created`, `${f.subjectPrefix}.${c.context}.Task_Created`].sort(),
        );
        expect(byBoth.received.map((x) => x.event.id).sort()).toEqual([...bothIds].sort());
      } finally {
        await Promise.all([sub1.stop(), sub2.stop()]);
      }
    });

    it('hands the events of one stream over in stream order', async () => {
      const { context, consumer } = fresh();
      const r = recorder();
      const sub = f.bus.subscribe({ consumer, filter: { contexts: [context] }, handle: r.handle });
      try {
        await sub.ready;
        for (let i = 0; i < 5; i++) await append(`${context}-1`, ['Step', 'Step']);
        await eventually('ten events', () => r.received.length >= 10);
        expect(r.received.map((x) => x.event.streamVersion)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      } finally {
        await sub.stop();
      }
    });

    it('is durable: a consumer started again resumes after what it handled', async () => {
      const { context, consumer } = fresh();
      const first = recorder();
      const sub1 = f.bus.subscribe({ consumer, filter: { contexts: [context] }, handle: first.handle });
      await sub1.ready;
      const before = await append(`${context}-1`, ['Before', 'Before']);
      await eventually('first two', () => first.received.length >= 2);
      await sub1.stop();
      const after = await append(`${context}-1`, ['After', 'After']);
      const second = recorder();
      const sub2 = f.bus.subscribe({ consumer, filter: { contexts: [context] }, handle: second.handle });
      try {
        await sub2.ready;
        await eventually('the two new events', () => second.received.length >= 2);
        await sleep(300);
        expect(first.received.map((x) => x.event.id)).toEqual(before.map((e) => e.id));
        expect(second.received.map((x) => x.event.id)).toEqual(after.map((e) => e.id));
      } finally {
        await sub2.stop();
      }
    });

    it('remembers what a consumer handled: events delivered again are not handled again', async () => {
      const { context, consumer } = fresh();
      const first = recorder();
      const sub1 = f.bus.subscribe({ consumer, filter: { contexts: [context] }, handle: first.handle });
      await sub1.ready;
      const handled = await append(`${context}-1`, ['Handled', 'Handled', 'Handled']);
      await eventually('three events', () => first.received.length >= 3);
      await sub1.stop();
      await f.replay(consumer);
      const second = recorder();
      const sub2 = f.bus.subscribe({ consumer, filter: { contexts: [context] }, handle: second.handle });
      try {
        await sub2.ready;
        const [marker] = await append(`${context}-1`, ['Marker']);
        await eventually('the marker', () => second.received.some((x) => x.event.id === marker!.id));
        await sleep(300);
        expect(first.received.map((x) => x.event.id)).toEqual(handled.map((e) => e.id));
        expect(second.received.map((x) => x.event.id)).toEqual([marker!.id]);
      } finally {
        await sub2.stop();
      }
    });

    it('retries a failing handler with backoff and stops once it succeeds', async () => {
      const { context, consumer } = fresh();
      const r = recorder((_event, delivery) => {
        if (delivery.attempt < 3) throw new Error(`not yet (attempt ${delivery.attempt})`);
      });
      const sub = f.bus.subscribe({
        consumer,
        filter: { contexts: [context] },
        handle: r.handle,
        maxDeliveries: 4,
        backoffMs: [150, 300],
      });
      try {
        await sub.ready;
        const [event] = await append(`${context}-1`, ['Flaky']);
        await eventually('the third attempt', () => r.received.length >= 3);
        await sleep(600);
        expect(r.received.map((x) => x.delivery.attempt)).toEqual([1, 2, 3]);
        expect(r.received.every((x) => x.event.id === event!.id && x.delivery.maxDeliveries === 4)).toBe(true);
        // The waits follow the backoff (timer slack allowed below, never above: a missing backoff fails).
        expect(r.received[1]!.at - r.received[0]!.at).toBeGreaterThanOrEqual(130);
        expect(r.received[2]!.at - r.received[1]!.at).toBeGreaterThanOrEqual(280);
        expect(await f.bus.deadLetters(consumer)).toEqual([]);
      } finally {
        await sub.stop();
      }
    });

    it('dead-letters an event whose handler keeps failing, with the reason and attempts, and moves on', async () => {
      const { context, consumer } = fresh();
      const r = recorder((event) => {
        if (event.type === 'Poison') throw new Error('printer on fire');
      });
      const sub = f.bus.subscribe({
        consumer,
        filter: { contexts: [context] },
        handle: r.handle,
        maxDeliveries: 3,
        backoffMs: (failedAttempt) => failedAttempt * 40,
      });
      try {
        await sub.ready;
        const [poison] = await append(`${context}-1`, ['Poison'], {
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        });
        const [fine] = await append(`${context}-2`, ['Fine']);
        await eventually('the dead letter', async () => (await f.bus.deadLetters(consumer)).length >= 1);
        await eventually('the next event', () => r.received.some((x) => x.event.id === fine!.id));
        await sleep(500); // a dead letter is never handed to the handler again
        const letters = await f.bus.deadLetters(consumer);
        expect(letters).toHaveLength(1);
        expect(letters[0]).toMatchObject({ consumer, attempts: 3 });
        expect(letters[0]!.reason).toContain('printer on fire');
        expect(letters[0]!.event.id).toBe(poison!.id);
        expect(letters[0]!.event.type).toBe('Poison');
        expect(letters[0]!.event.metadata.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
        expect(letters[0]!.deadLetteredAt).toBeInstanceOf(Date);
        const poisonAttempts = r.received.filter((x) => x.event.id === poison!.id).map((x) => x.delivery.attempt);
        expect(poisonAttempts).toEqual([1, 2, 3]);
        expect(r.received.filter((x) => x.event.id === fine!.id)).toHaveLength(1);
      } finally {
        await sub.stop();
      }
    });

    it('keeps dead letters apart per consumer and never delivers them as events', async () => {
      const { context, consumer } = fresh();
      const everything = fresh().consumer;
      const failing = f.bus.subscribe({
        consumer,
        filter: { contexts: [context] },
        handle: () => Promise.reject(new Error('nope')),
        maxDeliveries: 1,
      });
      const all = recorder();
      const watcher = f.bus.subscribe({ consumer: everything, handle: all.handle });
      try {
        await Promise.all([failing.ready, watcher.ready]);
        const [event] = await append(`${context}-1`, ['Doomed']);
        await eventually('the dead letter', async () => (await f.bus.deadLetters(consumer)).length === 1);
        const [marker] = await append(`${context}-2`, ['Marker']);
        await eventually('the marker', () => all.received.some((x) => x.event.id === marker!.id));
        await sleep(300);
        expect((await f.bus.deadLetters(consumer))[0]).toMatchObject({
          attempts: 1,
          reason: expect.stringContaining('nope'),
        });
        expect(await f.bus.deadLetters(everything)).toEqual([]);
        const seen = all.received.filter((x) => x.event.streamName.startsWith(`${context}-`)).map((x) => x.event.id);
        expect(seen).toEqual([event!.id, marker!.id]);
        expect(
          all.received.every(
            (x) => x.delivery.context !== 'deadletter' && !x.event.streamName.startsWith('deadletter-'),
          ),
        ).toBe(true);
      } finally {
        await Promise.all([failing.stop(), watcher.stop()]);
      }
    });

    it('carries the W3C traceparent from the event metadata to the handler', async () => {
      const { context, consumer } = fresh();
      const r = recorder();
      const sub = f.bus.subscribe({ consumer, filter: { contexts: [context] }, handle: r.handle });
      try {
        await sub.ready;
        const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
        const [traced] = await append(`${context}-1`, ['Traced'], { traceparent, correlationId: 'corr-1' });
        const [untraced] = await append(`${context}-2`, ['Untraced']);
        await eventually('both events', () => r.received.length >= 2);
        const got = (id: string) => r.received.find((x) => x.event.id === id)!;
        expect(got(traced!.id).delivery.traceparent).toBe(traceparent);
        expect(got(traced!.id).event.metadata).toMatchObject({ traceparent, correlationId: 'corr-1' });
        expect(got(untraced!.id).delivery.traceparent).toBeUndefined();
      } finally {
        await sub.stop();
      }
    });

    it('runs the handler inside the trace the event was recorded under', async () => {
      useAsyncContext();
      const { context: ctx, consumer } = fresh();
      const seen: (string | undefined)[] = [];
      const sub = f.bus.subscribe({
        consumer,
        filter: { contexts: [ctx] },
        handle: () => {
          const span = trace.getSpanContext(context.active());
          seen.push(span && isSpanContextValid(span) ? span.traceId : undefined);
        },
      });
      try {
        await sub.ready;
        await append(`${ctx}-1`, ['Traced'], {
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        });
        await append(`${ctx}-2`, ['Untraced']);
        await eventually('both events', () => seen.length >= 2);
        expect(seen).toEqual(['0af7651916cd43dd8448eb211c80319c', undefined]);
      } finally {
        await sub.stop();
      }
    });

    it('gives every consumer its own copy and its own ledger', async () => {
      const a = fresh();
      const b = fresh();
      const ra = recorder();
      const rb = recorder((_e, d) => {
        if (d.attempt === 1) throw new Error('b fails once');
      });
      const subA = f.bus.subscribe({ consumer: a.consumer, filter: { contexts: [a.context] }, handle: ra.handle });
      const subB = f.bus.subscribe({
        consumer: b.consumer,
        filter: { contexts: [a.context] },
        handle: rb.handle,
        backoffMs: [50],
      });
      try {
        await Promise.all([subA.ready, subB.ready]);
        const [event] = await append(`${a.context}-1`, ['Shared']);
        await eventually('both consumers', () => ra.received.length >= 1 && rb.received.length >= 2);
        await sleep(300);
        expect(ra.received.map((x) => x.delivery.attempt)).toEqual([1]);
        expect(rb.received.map((x) => x.delivery.attempt)).toEqual([1, 2]);
        expect([...ra.received, ...rb.received].every((x) => x.event.id === event!.id)).toBe(true);
      } finally {
        await Promise.all([subA.stop(), subB.stop()]);
      }
    });

    it('refuses bad subscriptions before starting anything', () => {
      const handle = () => undefined;
      expect(() => f.bus.subscribe({ consumer: 'has space', handle })).toThrow(TypeError);
      expect(() => f.bus.subscribe({ consumer: 'dots.are.subjects', handle })).toThrow(TypeError);
      expect(() => f.bus.subscribe({ consumer: `ok_${run}`, handle, maxDeliveries: 0 })).toThrow(/maxDeliveries/);
      expect(() => f.bus.subscribe({ consumer: `ok_${run}`, handle, backoffMs: [-1] })).toThrow(/backoffMs/);
      expect(() => f.bus.subscribe({ consumer: `ok_${run}`, handle, filter: { contexts: ['a.b'] } })).toThrow(
        TypeError,
      );
    });

    describe('listeners', () => {
      const hearing = () => {
        const heard: { event: RecordedEvent; heard: Heard }[] = [];
        return { heard, handle: (event: RecordedEvent, h: Heard) => void heard.push({ event, heard: h }) };
      };

      it('hear every matching event appended once they are ready, none from before, with subject and context', async () => {
        const { context, consumer } = fresh();
        const before = await append(`${context}-1`, ['ThingHappened']);
        // On NATS the relay publishes a moment after the append: once a consumer has it, it is out.
        const seen = recorder();
        const first = f.bus.subscribe({ consumer, filter: { contexts: [context] }, handle: seen.handle });
        await eventually('the first event published', () => seen.received.length >= 1);
        await first.stop();
        const h = hearing();
        const listener = f.bus.listen({ name: consumer, filter: { contexts: [context] }, handle: h.handle });
        try {
          await listener.ready;
          const after = [
            ...(await append(`${context}-1`, ['ThingHappened', 'OtherHappened'])),
            ...(await append(`${context}-2`, ['ThingHappened'])),
          ];
          await append(`${fresh().context}-1`, ['ThingHappened']);
          await eventually('three events heard', () => h.heard.length >= 3);
          await sleep(300);
          expect(h.heard.map((x) => x.event.id).sort()).toEqual(after.map((e) => e.id).sort());
          expect(h.heard.some((x) => x.event.id === before[0]!.id)).toBe(false);
          for (const { event, heard } of h.heard) {
            expect(heard).toEqual({ context, subject: `${f.subjectPrefix}.${context}.${event.type}` });
            expect(event.data).toEqual(after.find((e) => e.id === event.id)!.data);
          }
          const ofStream1 = h.heard.filter((x) => x.event.streamName === `${context}-1`);
          expect(ofStream1.map((x) => x.event.streamVersion)).toEqual([1, 2]);
        } finally {
          await listener.stop();
        }
      });

      it('each hear every event for itself: two on this bus and one on another process bus, beside a durable consumer', async () => {
        const { context, consumer } = fresh();
        const other = await f.another();
        const [a, b, c, durable] = [hearing(), hearing(), hearing(), recorder()];
        const filter = { types: ['Revoked', 'Forgotten'], contexts: [context, `${context}u`] };
        const listeners = [
          f.bus.listen({ name: `${consumer}_a`, filter, handle: a.handle }),
          f.bus.listen({ name: `${consumer}_a`, filter, handle: b.handle }),
          other.listen({ name: `${consumer}_a`, filter, handle: c.handle }),
        ];
        const sub = f.bus.subscribe({ consumer, filter, handle: durable.handle });
        try {
          await Promise.all([...listeners.map((l) => l.ready), sub.ready]);
          const events = [
            ...(await append(`${context}-1`, ['Revoked', 'Unrelated'])),
            ...(await append(`${context}u-1`, ['Forgotten'])),
          ];
          await append(`${fresh().context}-1`, ['Revoked']);
          const wanted = events.filter((e) => e.type !== 'Unrelated').map((e) => e.id);
          await eventually(
            'every listener heard both',
            () => [a, b, c].every((x) => x.heard.length >= 2) && durable.received.length >= 2,
          );
          await sleep(300);
          for (const x of [a, b, c]) expect(x.heard.map((h) => h.event.id).sort()).toEqual([...wanted].sort());
          expect(durable.received.map((r) => r.event.id).sort()).toEqual([...wanted].sort());
        } finally {
          await Promise.all([...listeners.map((l) => l.stop()), sub.stop()]);
          await other.close();
        }
      });

      it('pass an event whose handler throws and hear the next ones; hear nothing once stopped', async () => {
        const { context, consumer } = fresh();
        const heard: string[] = [];
        const listener = f.bus.listen({
          name: consumer,
          filter: { contexts: [context] },
          handle: (event) => {
            heard.push(event.type);
            if (event.type === 'Bad') throw new Error('cannot');
          },
        });
        await listener.ready;
        await append(`${context}-1`, ['Bad', 'Good']);
        await eventually('both heard', () => heard.length >= 2);
        expect(heard).toEqual(['Bad', 'Good']);
        await listener.stop();
        await append(`${context}-1`, ['Late']);
        await sleep(300);
        expect(heard).toEqual(['Bad', 'Good']);
      });

      it('are refused with a bad name or context before anything starts', () => {
        const handle = () => undefined;
        expect(() => f.bus.listen({ name: 'has space', handle })).toThrow(TypeError);
        expect(() => f.bus.listen({ name: `ok_${run}`, handle, filter: { contexts: ['a.b'] } })).toThrow(TypeError);
      });
    });

    it('refuses a second subscription of the same consumer on one bus', async () => {
      const { consumer } = fresh();
      const sub = f.bus.subscribe({ consumer, handle: () => undefined });
      try {
        expect(() => f.bus.subscribe({ consumer, handle: () => undefined })).toThrow(/already subscribed/);
      } finally {
        await sub.stop();
      }
    });
  });
};
