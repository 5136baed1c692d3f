import { CommandHandler, type CommandHandlerOptions } from '../src/command-handler.js';
import type { Decider } from '../src/decider.js';
import type { EventMetadata, RecordedEvent } from '../src/envelope.js';
import { DomainError, WrongExpectedVersionError } from '../src/errors.js';
import { verifyChain } from '../src/hash.js';
import { isUuid, uuidv7Time } from '../src/uuid.js';
import { InMemoryEventStore } from './fixtures/in-memory-event-store.js';
import {
  assign,
  assigned,
  complete,
  completed,
  handedOff,
  handOff,
  taskAssignedV1,
  taskDecider,
  taskUpcaster,
  type Task,
  type TaskCommand,
  type TaskEvent,
} from './fixtures/task.js';

const STREAM = 'task-t1';
const NOW = new Date('2025-04-01T09:00:00.000Z');
const now = () => NOW;

type Options = Partial<CommandHandlerOptions<TaskCommand, TaskEvent, Task>>;

const handlerOn = (store: InMemoryEventStore, options: Options = {}) =>
  new CommandHandler<TaskCommand, TaskEvent, Task>({ store, decider: taskDecider, retryDelayMs: 0, ...options });

/** A decider that counts its decisions. */
const countingDecider = (): Decider<TaskCommand, TaskEvent, Task> & {
  decide: jest.Mock<TaskEvent[], [TaskCommand, Task]>;
} => ({
  ...taskDecider,
  decide: jest.fn((command: TaskCommand, state: Task) => taskDecider.decide(command, state)),
});

const contentOf = (events: readonly RecordedEvent[]) => events.map(({ type, data }) => ({ type, data }));

/** Another writer that always gets in first: it appends one event just before each of our appends. */
const rivalBeforeEveryAppend = (store: InMemoryEventStore) =>
  store.beforeEachAppend(async (stream, attempt) => {
    await store.append(stream, [handedOff('t1', 'someone', `rival-${attempt}`, 'got there first')]);
  });

describe('CommandHandler', () => {
  describe('load', () => {
    it('gives the initial state and no version for an empty stream', async () => {
      // given
      const handler = handlerOn(new InMemoryEventStore());

      // when
      const loaded = await handler.load(STREAM);

      // then
      expect(loaded).toEqual({ state: { holder: undefined, completed: false }, version: undefined, events: [] });
    });

    it('folds the stored events and reports the version of the last one', async () => {
      // given
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako'), handedOff('t1', 'hanako', 'yuki', 'sick child')]);

      // when
      const loaded = await handlerOn(store).load(STREAM);

      // then
      expect(loaded.state).toEqual({ holder: 'yuki', completed: false });
      expect(loaded.version).toBe(1);
      expect(loaded.events.map((e) => e.streamVersion)).toEqual([0, 1]);
    });
  });

  describe('handle', () => {
    it('appends the first events of a stream with no_stream, at version 0', async () => {
      // given
      const store = new InMemoryEventStore();

      // when
      const result = await handlerOn(store).handle(STREAM, assign('t1', 'hanako'), { now });

      // then
      expect(store.appendAttempts).toEqual([{ stream: STREAM, expectedVersion: 'no_stream', outcome: 'appended' }]);
      expect(contentOf(store.stored(STREAM))).toEqual([assigned('t1', 'hanako')]);
      expect(result.streamVersion).toBe(0);
      expect(result.alreadyHandled).toBe(false);
      expect(result.state).toEqual({ holder: 'hanako', completed: false });
      expect(result.events).toEqual(store.stored(STREAM));
    });

    it('appends to an existing stream expecting the version it loaded', async () => {
      // given
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako'), handedOff('t1', 'hanako', 'yuki', 'sick child')]);

      // when
      const result = await handlerOn(store).handle(STREAM, handOff('t1', 'ken', 'shift change'));

      // then
      expect(store.appendAttempts).toEqual([{ stream: STREAM, expectedVersion: 1, outcome: 'appended' }]);
      expect(result.streamVersion).toBe(2);
      expect(contentOf(result.events)).toEqual([handedOff('t1', 'yuki', 'ken', 'shift change')]);
      expect(result.events[0]?.streamVersion).toBe(2);
    });

    it('appends every event of one decision in a single append', async () => {
      // given
      const store = new InMemoryEventStore();

      // when
      const result = await handlerOn(store).handle(STREAM, complete('t1', 'ken'));

      // then
      expect(store.appendAttempts).toHaveLength(1);
      expect(contentOf(store.stored(STREAM))).toEqual([assigned('t1', 'ken'), completed('t1', 'ken')]);
      expect(result.streamVersion).toBe(1);
      expect(result.state).toEqual({ holder: 'ken', completed: true });
    });

    it("reads occurred-at from the handler's clock, a command's own clock coming first; the ids stay on the real time", async () => {
      // given
      const store = new InMemoryEventStore();
      const past = new Date('2026-11-04T01:00:00.000Z');
      const handler = handlerOn(store, { now: () => past });
      const before = Date.now();

      // when
      await handler.handle(STREAM, assign('t1', 'hanako'));
      await handler.handle(STREAM, complete('t1', 'hanako'), { now });

      // then
      const [first, second] = store.stored(STREAM);
      expect(first?.occurredAt).toEqual(past);
      expect(second?.occurredAt).toEqual(NOW);
      expect(uuidv7Time(first!.id).getTime()).toBeGreaterThanOrEqual(before);
    });

    it('gives new events UUIDv7 ids and the clock time, and keeps the hash chain intact', async () => {
      // given
      const store = new InMemoryEventStore();
      const handler = handlerOn(store);
      const before = Date.now();

      // when
      await handler.handle(STREAM, assign('t1', 'hanako'), { now });
      await handler.handle(STREAM, complete('t1', 'hanako'), { now });

      // then
      const stored = store.stored(STREAM);
      for (const event of stored) {
        expect(isUuid(event.id)).toBe(true);
        expect(event.id[14]).toBe('7');
        expect(uuidv7Time(event.id).getTime()).toBeGreaterThanOrEqual(before);
        expect(event.occurredAt).toEqual(NOW);
      }
      expect(new Set(stored.map((e) => e.id)).size).toBe(2);
      expect(verifyChain(stored)).toBeUndefined();
    });

    it('appends nothing when the decider decides nothing', async () => {
      // given
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako')]);

      // when: assigning the task to the one who already holds it
      const result = await handlerOn(store).handle(STREAM, assign('t1', 'hanako'));

      // then
      expect(store.appendAttempts).toEqual([]);
      expect(store.stored(STREAM)).toHaveLength(1);
      expect(result).toEqual({
        state: { holder: 'hanako', completed: false },
        events: [],
        streamVersion: 0,
        alreadyHandled: false,
      });
    });

    it('lets a DomainError from the decider through and stores nothing', async () => {
      // given
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako')]);

      // when
      const outcome = handlerOn(store).handle(STREAM, complete('t1', 'yuki'));

      // then
      await expect(outcome).rejects.toBeInstanceOf(DomainError);
      await expect(outcome).rejects.toMatchObject({ code: 'task.not_held', kind: 'forbidden' });
      expect(store.appendAttempts).toEqual([]);
      expect(contentOf(store.stored(STREAM))).toEqual([assigned('t1', 'hanako')]);
    });

    it('stores nothing on an empty stream when the first command is refused', async () => {
      // given
      const store = new InMemoryEventStore();

      // when
      const outcome = handlerOn(store).handle(STREAM, handOff('t1', 'yuki', 'sick child'));

      // then
      await expect(outcome).rejects.toMatchObject({ code: 'task.not_assigned' });
      expect(store.stored(STREAM)).toEqual([]);
    });
  });

  describe('a decision function instead of a command (state => events)', () => {
    it('decides on the state it loaded, reading the stream once, and stamps the context as metadata', async () => {
      // given
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako')]);
      const reads = store.readStreamCalls;
      const seen: Task[] = [];

      // when
      const result = await handlerOn(store).handle(
        STREAM,
        (state) => {
          seen.push(state);
          return state.holder === 'hanako' ? [handedOff('t1', 'hanako', 'yuki', 'sick child')] : [];
        },
        {
          context: { actor: { id: 'coordinator-1', roles: [] }, correlationId: 'c-1', traceparent: 'tp' },
          commandId: 'k-1',
        },
      );

      // then
      expect(seen).toEqual([{ holder: 'hanako', completed: false }]);
      expect(store.readStreamCalls - reads).toBe(1);
      expect(result.state.holder).toBe('yuki');
      expect(store.stored(STREAM)[1]!.metadata).toEqual({
        actor: 'coordinator-1',
        correlationId: 'c-1',
        traceparent: 'tp',
        commandId: 'k-1',
      });
    });

    it('decides again on the fresher state after a version conflict', async () => {
      // given
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako')]);
      let rivalDone = false;
      store.beforeEachAppend(async (stream) => {
        if (rivalDone) return;
        rivalDone = true;
        await store.append(stream, [handedOff('t1', 'hanako', 'ken', 'rival')]);
      });
      const holders: (string | undefined)[] = [];

      // when
      await handlerOn(store).handle(STREAM, (state) => {
        holders.push(state.holder);
        return [handedOff('t1', state.holder!, 'yuki', 'sick child')];
      });

      // then
      expect(holders).toEqual(['hanako', 'ken']);
      expect(contentOf(store.stored(STREAM)).at(-1)).toEqual(handedOff('t1', 'ken', 'yuki', 'sick child'));
    });

    it('a refusal of the decision is thrown and nothing is stored', async () => {
      const store = new InMemoryEventStore();
      await expect(
        handlerOn(store).handle(STREAM, () => {
          throw new DomainError('task.not_held', 'no one holds it');
        }),
      ).rejects.toMatchObject({ code: 'task.not_held' });
      expect(store.stored(STREAM)).toEqual([]);
    });
  });

  describe('version conflicts', () => {
    it('retries after a concurrent write and decides again on the fresh state', async () => {
      // given: while we decide, hanako hands the task to yuki
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako')]);
      store.beforeEachAppend(async (stream, attempt) => {
        if (attempt === 1) await store.append(stream, [handedOff('t1', 'hanako', 'yuki', 'sick child')]);
      });

      // when: a coordinator hands the task to ken
      const result = await handlerOn(store).handle(STREAM, handOff('t1', 'ken', 'shift change'));

      // then: the hand-off is from yuki, who held the task when it was finally decided
      expect(store.appendAttempts).toEqual([
        { stream: STREAM, expectedVersion: 0, outcome: 'conflict' },
        { stream: STREAM, expectedVersion: 1, outcome: 'appended' },
      ]);
      expect(store.readStreamCalls).toBe(2);
      expect(contentOf(result.events)).toEqual([handedOff('t1', 'yuki', 'ken', 'shift change')]);
      expect(contentOf(store.stored(STREAM))).toEqual([
        assigned('t1', 'hanako'),
        handedOff('t1', 'hanako', 'yuki', 'sick child'),
        handedOff('t1', 'yuki', 'ken', 'shift change'),
      ]);
      expect(result.streamVersion).toBe(2);
      expect(result.state).toEqual({ holder: 'ken', completed: false });
      expect(verifyChain(store.stored(STREAM))).toBeUndefined();
    });

    it('refuses on retry when the fresh state no longer allows the command', async () => {
      // given: while we decide, hanako completes the task
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako')]);
      store.beforeEachAppend(async (stream, attempt) => {
        if (attempt === 1) await store.append(stream, [completed('t1', 'hanako')]);
      });

      // when
      const outcome = handlerOn(store).handle(STREAM, handOff('t1', 'ken', 'shift change'));

      // then
      await expect(outcome).rejects.toMatchObject({ code: 'task.completed' });
      expect(contentOf(store.stored(STREAM))).toEqual([assigned('t1', 'hanako'), completed('t1', 'hanako')]);
    });

    it.each([0, 1, 3])(
      'gives up with WrongExpectedVersionError after maxRetries + 1 attempts (maxRetries %i)',
      async (maxRetries) => {
        // given
        const store = new InMemoryEventStore();
        await store.seed(STREAM, [assigned('t1', 'hanako')]);
        rivalBeforeEveryAppend(store);

        // when
        const outcome = handlerOn(store, { maxRetries }).handle(STREAM, handOff('t1', 'ken', 'shift change'));

        // then
        await expect(outcome).rejects.toBeInstanceOf(WrongExpectedVersionError);
        expect(store.appendAttempts).toHaveLength(maxRetries + 1);
        expect(store.appendAttempts.every((a) => a.outcome === 'conflict')).toBe(true);
        expect(store.readStreamCalls).toBe(maxRetries + 1);
        expect(store.stored(STREAM).some((e) => e.data['to'] === 'ken')).toBe(false);
      },
    );

    it('retries 3 times by default (4 attempts)', async () => {
      // given
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako')]);
      rivalBeforeEveryAppend(store);

      // when
      const outcome = new CommandHandler({ store, decider: taskDecider, retryDelayMs: 0 }).handle(
        STREAM,
        handOff('t1', 'ken', 'x'),
      );

      // then
      await expect(outcome).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(store.appendAttempts).toHaveLength(4);
    });

    it('succeeds on the last attempt allowed', async () => {
      // given: conflicts on the first 2 attempts, with 2 retries allowed
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako')]);
      store.beforeEachAppend(async (stream, attempt) => {
        if (attempt <= 2) await store.append(stream, [handedOff('t1', 'someone', `rival-${attempt}`, 'first')]);
      });

      // when
      const result = await handlerOn(store, { maxRetries: 2 }).handle(STREAM, handOff('t1', 'ken', 'shift change'));

      // then
      expect(store.appendAttempts.map((a) => a.outcome)).toEqual(['conflict', 'conflict', 'appended']);
      expect(contentOf(result.events)).toEqual([handedOff('t1', 'rival-2', 'ken', 'shift change')]);
      expect(result.streamVersion).toBe(3);
    });

    it('waits before retrying', async () => {
      // given: a 40 ms base delay, with jitter between half and one and a half times it
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako')]);
      store.beforeEachAppend(async (stream, attempt) => {
        if (attempt === 1) await store.append(stream, [handedOff('t1', 'hanako', 'yuki', 'x')]);
      });
      const started = performance.now();

      // when
      await handlerOn(store, { retryDelayMs: 40 }).handle(STREAM, handOff('t1', 'ken', 'y'));

      // then
      expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    });

    it('does not retry other store errors', async () => {
      // given
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako')]);
      store.beforeEachAppend(() => {
        throw new Error('connection reset');
      });

      // when
      const outcome = handlerOn(store).handle(STREAM, handOff('t1', 'ken', 'x'));

      // then
      await expect(outcome).rejects.toThrow('connection reset');
      expect(store.appendAttempts).toEqual([{ stream: STREAM, expectedVersion: 0, outcome: 'failed' }]);
      expect(store.readStreamCalls).toBe(1);
    });
  });

  describe("the caller's expected version", () => {
    it('reports a stale expected version without deciding, appending or retrying', async () => {
      // given
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako'), handedOff('t1', 'hanako', 'yuki', 'sick child')]);
      const decider = countingDecider();

      // when
      const error: unknown = await handlerOn(store, { decider })
        .handle(STREAM, handOff('t1', 'ken', 'x'), { expectedVersion: 0 })
        .catch((e: unknown) => e);

      // then
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ stream: STREAM, expected: '0', actual: 1 });
      expect(decider.decide).not.toHaveBeenCalled();
      expect(store.appendAttempts).toEqual([]);
      expect(store.readStreamCalls).toBe(1);
      expect(store.stored(STREAM)).toHaveLength(2);
    });

    it.each<[string, number, number | 'no_stream']>([
      ['no_stream for a stream that has events', 1, 'no_stream'],
      ['a version for an empty stream', 0, 0],
      ['a version ahead of the stream', 1, 3],
    ])('reports %s', async (_label, existing, expectedVersion) => {
      // given
      const store = new InMemoryEventStore();
      if (existing > 0) await store.seed(STREAM, [assigned('t1', 'hanako')]);

      // when
      const outcome = handlerOn(store).handle(STREAM, complete('t1', 'hanako'), { expectedVersion });

      // then
      await expect(outcome).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(store.appendAttempts).toEqual([]);
    });

    it.each<[string, number, number | 'no_stream']>([
      ['no_stream for an empty stream', 0, 'no_stream'],
      ['the version of the last event', 1, 0],
    ])('accepts %s', async (_label, existing, expectedVersion) => {
      // given
      const store = new InMemoryEventStore();
      if (existing > 0) await store.seed(STREAM, [assigned('t1', 'hanako')]);

      // when
      const result = await handlerOn(store).handle(STREAM, complete('t1', 'hanako'), { expectedVersion });

      // then
      expect(store.appendAttempts).toEqual([{ stream: STREAM, expectedVersion, outcome: 'appended' }]);
      expect(result.state.completed).toBe(true);
    });

    it('reports a conflict at append time instead of retrying', async () => {
      // given: the caller's version is right when loaded, but another writer gets in before the append
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako')]);
      store.beforeEachAppend(async (stream, attempt) => {
        if (attempt === 1) await store.append(stream, [handedOff('t1', 'hanako', 'yuki', 'sick child')]);
      });

      // when
      const outcome = handlerOn(store).handle(STREAM, handOff('t1', 'ken', 'x'), { expectedVersion: 0 });

      // then
      await expect(outcome).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(store.appendAttempts).toEqual([{ stream: STREAM, expectedVersion: 0, outcome: 'conflict' }]);
      expect(store.readStreamCalls).toBe(1);
      expect(contentOf(store.stored(STREAM))).toEqual([
        assigned('t1', 'hanako'),
        handedOff('t1', 'hanako', 'yuki', 'sick child'),
      ]);
    });
  });

  describe('idempotency by command id', () => {
    it('answers a repeated command id with the original events, without deciding or storing again', async () => {
      // given
      const store = new InMemoryEventStore();
      const decider = countingDecider();
      const handler = handlerOn(store, { decider });
      const first = await handler.handle(STREAM, assign('t1', 'hanako'), { commandId: 'cmd-1' });

      // when
      const second = await handler.handle(STREAM, assign('t1', 'hanako'), { commandId: 'cmd-1' });

      // then
      expect(second.alreadyHandled).toBe(true);
      expect(second.events).toEqual(first.events);
      expect(second.streamVersion).toBe(0);
      expect(second.state).toEqual({ holder: 'hanako', completed: false });
      expect(decider.decide).toHaveBeenCalledTimes(1);
      expect(store.appendAttempts).toHaveLength(1);
      expect(store.stored(STREAM)).toHaveLength(1);
    });

    it('returns all the events the command produced, and only those, with the current state', async () => {
      // given
      const store = new InMemoryEventStore();
      const handler = handlerOn(store);
      await handler.handle(STREAM, assign('t1', 'hanako'), { commandId: 'cmd-0' });
      const original = await handler.handle(STREAM, handOff('t1', 'yuki', 'sick child'), { commandId: 'cmd-1' });
      await handler.handle(STREAM, complete('t1', 'yuki'), { commandId: 'cmd-2' });

      // when
      const repeated = await handler.handle(STREAM, handOff('t1', 'yuki', 'sick child'), { commandId: 'cmd-1' });

      // then
      expect(repeated.alreadyHandled).toBe(true);
      expect(repeated.events.map((e) => e.id)).toEqual(original.events.map((e) => e.id));
      expect(repeated.streamVersion).toBe(2);
      expect(repeated.state).toEqual({ holder: 'yuki', completed: true });
    });

    it('returns every event of a multi-event command', async () => {
      // given
      const store = new InMemoryEventStore();
      const handler = handlerOn(store);
      const first = await handler.handle(STREAM, complete('t1', 'ken'), { commandId: 'cmd-1' });

      // when
      const second = await handler.handle(STREAM, complete('t1', 'ken'), { commandId: 'cmd-1' });

      // then
      expect(second.alreadyHandled).toBe(true);
      expect(contentOf(second.events)).toEqual([assigned('t1', 'ken'), completed('t1', 'ken')]);
      expect(second.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    });

    it('decides a different command id anew', async () => {
      // given
      const store = new InMemoryEventStore();
      const handler = handlerOn(store);
      await handler.handle(STREAM, assign('t1', 'hanako'), { commandId: 'cmd-1' });

      // when
      const other = await handler.handle(STREAM, handOff('t1', 'yuki', 'sick child'), { commandId: 'cmd-2' });

      // then
      expect(other.alreadyHandled).toBe(false);
      expect(store.stored(STREAM)).toHaveLength(2);
    });

    it('answers a repeated command id even when its expected version is now stale (retry after a lost answer)', async () => {
      // given
      const store = new InMemoryEventStore();
      const handler = handlerOn(store);
      const first = await handler.handle(STREAM, assign('t1', 'hanako'), {
        commandId: 'cmd-1',
        expectedVersion: 'no_stream',
      });

      // when
      const retried = await handler.handle(STREAM, assign('t1', 'hanako'), {
        commandId: 'cmd-1',
        expectedVersion: 'no_stream',
      });

      // then
      expect(retried.alreadyHandled).toBe(true);
      expect(retried.events).toEqual(first.events);
    });

    it('notices on retry that another replica handled the same command id meanwhile', async () => {
      // given: the same command, handled by another replica while we decide
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [assigned('t1', 'hanako')]);
      store.beforeEachAppend(async (stream, attempt) => {
        if (attempt === 1) {
          await store.append(stream, [
            { ...handedOff('t1', 'hanako', 'yuki', 'sick child'), metadata: { commandId: 'cmd-1' } },
          ]);
        }
      });

      // when
      const result = await handlerOn(store).handle(STREAM, handOff('t1', 'yuki', 'sick child'), { commandId: 'cmd-1' });

      // then
      expect(result.alreadyHandled).toBe(true);
      expect(contentOf(result.events)).toEqual([handedOff('t1', 'hanako', 'yuki', 'sick child')]);
      expect(store.appendAttempts.map((a) => a.outcome)).toEqual(['conflict']);
      expect(store.stored(STREAM)).toHaveLength(2);
    });
  });

  describe('a command that creates its stream (assumeNewStream)', () => {
    it('appends without reading the stream first', async () => {
      const store = new InMemoryEventStore();
      const result = await handlerOn(store).handle(STREAM, assign('t1', 'hanako'), { assumeNewStream: true, now });
      expect(contentOf(result.events)).toEqual(contentOf([assigned('t1', 'hanako')] as unknown as RecordedEvent[]));
      expect(result.streamVersion).toBe(0);
      expect(store.readStreamCalls).toBe(0);
    });

    it('reads the stream and decides again when it exists after all (even when the empty stream would refuse), with no wait', async () => {
      const store = new InMemoryEventStore();
      await store.append(STREAM, [assigned('t1', 'hanako')]);
      const decider = countingDecider();
      const result = await handlerOn(store, { decider, retryDelayMs: 10_000 }).handle(
        STREAM,
        handOff('t1', 'yuki', 'sick child'),
        { assumeNewStream: true, now },
      );
      expect(result.streamVersion).toBe(1);
      expect(store.readStreamCalls).toBe(1);
    });

    it('answers a retried request from the stream, as without the option', async () => {
      const store = new InMemoryEventStore();
      const handler = handlerOn(store);
      const first = await handler.handle(STREAM, assign('t1', 'hanako'), {
        assumeNewStream: true,
        commandId: 'c-1',
        now,
      });
      const again = await handler.handle(STREAM, assign('t1', 'hanako'), {
        assumeNewStream: true,
        commandId: 'c-1',
        now,
      });
      expect(again.alreadyHandled).toBe(true);
      expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
      expect(await store.readStream(STREAM)).toHaveLength(1);
    });
  });

  describe('metadata', () => {
    it('stamps actor, correlation id, causation id, traceparent and command id on every stored event', async () => {
      // given
      const store = new InMemoryEventStore();
      const metadata: EventMetadata = {
        actor: 'member-ken',
        correlationId: 'flow-42',
        causationId: 'evt-9',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      };

      // when
      await handlerOn(store).handle(STREAM, complete('t1', 'ken'), { metadata, commandId: 'cmd-7', now });

      // then
      const stored = store.stored(STREAM);
      expect(stored).toHaveLength(2);
      for (const event of stored) {
        expect(event.metadata).toStrictEqual({ ...metadata, commandId: 'cmd-7' });
        expect(event.occurredAt).toEqual(NOW);
      }
    });

    it('adds no command id when none was given', async () => {
      // given
      const store = new InMemoryEventStore();

      // when
      await handlerOn(store).handle(STREAM, assign('t1', 'hanako'), { metadata: { actor: 'coordinator-1' } });

      // then
      expect(store.stored(STREAM)[0]?.metadata).toStrictEqual({ actor: 'coordinator-1' });
    });

    it("leaves the caller's metadata object as it was", async () => {
      // given
      const metadata: EventMetadata = Object.freeze({ actor: 'coordinator-1' });

      // when
      await handlerOn(new InMemoryEventStore()).handle(STREAM, assign('t1', 'hanako'), {
        metadata,
        commandId: 'cmd-1',
      });

      // then
      expect(metadata).toStrictEqual({ actor: 'coordinator-1' });
    });
  });

  describe('upcasting', () => {
    it('upcasts stored events before folding them', async () => {
      // given: the assignment was written in schema v1 ({ member })
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [taskAssignedV1('t1', 'hanako')]);

      // when
      const result = await handlerOn(store, { upcast: taskUpcaster }).handle(
        STREAM,
        handOff('t1', 'yuki', 'sick child'),
      );

      // then
      expect(contentOf(result.events)).toEqual([handedOff('t1', 'hanako', 'yuki', 'sick child')]);
    });

    it('cannot make sense of old events without the upcaster', async () => {
      // given
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [taskAssignedV1('t1', 'hanako')]);

      // when
      const outcome = handlerOn(store).handle(STREAM, handOff('t1', 'yuki', 'sick child'));

      // then
      await expect(outcome).rejects.toMatchObject({ code: 'task.not_assigned' });
    });

    it('loads upcast events but leaves the stored ones as written', async () => {
      // given
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [taskAssignedV1('t1', 'hanako')]);

      // when
      const loaded = await handlerOn(store, { upcast: taskUpcaster }).load(STREAM);

      // then
      expect(loaded.events.map(({ schemaVersion, data }) => ({ schemaVersion, data }))).toEqual([
        { schemaVersion: 2, data: { taskId: 't1', to: 'hanako' } },
      ]);
      expect(loaded.state.holder).toBe('hanako');
      expect(store.stored(STREAM).map(({ schemaVersion, data }) => ({ schemaVersion, data }))).toEqual([
        { schemaVersion: 1, data: { taskId: 't1', member: 'hanako' } },
      ]);
    });

    it('answers a repeated command id with its events upcast', async () => {
      // given
      const store = new InMemoryEventStore();
      await store.seed(STREAM, [{ ...taskAssignedV1('t1', 'hanako'), metadata: { commandId: 'cmd-1' } }]);

      // when
      const result = await handlerOn(store, { upcast: taskUpcaster }).handle(STREAM, assign('t1', 'hanako'), {
        commandId: 'cmd-1',
      });

      // then
      expect(result.alreadyHandled).toBe(true);
      expect(contentOf(result.events)).toEqual([assigned('t1', 'hanako')]);
    });

    it('writes new events in their current schema version, so they read back as written', async () => {
      // given
      const store = new InMemoryEventStore();
      const handler = handlerOn(store, { upcast: taskUpcaster });

      // when: the handler writes a (current, v2) assignment, then decides on it
      await handler.handle(STREAM, assign('t1', 'hanako'));
      const result = await handler.handle(STREAM, handOff('t1', 'yuki', 'sick child'));

      // then
      expect(store.stored(STREAM).map((e) => [e.type, e.schemaVersion])).toEqual([
        ['TaskAssigned', 2],
        ['TaskHandedOff', 1],
      ]);
      expect(contentOf(result.events)).toEqual([handedOff('t1', 'hanako', 'yuki', 'sick child')]);
    });
  });
});
