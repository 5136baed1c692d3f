/**
 * The command handler tests lean on this fake: check that its append and readStream keep the
 * store contract, so a passing handler test means something.
 */
import { WrongExpectedVersionError } from '../src/errors.js';
import { verifyChain } from '../src/hash.js';
import type { ExpectedVersion } from '../src/store.js';
import { assigned, completed, handedOff } from './fixtures/task.js';
import { InMemoryEventStore } from './fixtures/in-memory-event-store.js';

const STREAM = 'task-t1';

const storeWith = async (count: number): Promise<InMemoryEventStore> => {
  const store = new InMemoryEventStore();
  const history = [assigned('t1', 'hanako'), handedOff('t1', 'hanako', 'yuki', 'sick'), completed('t1', 'yuki')].slice(
    0,
    count,
  );
  if (history.length > 0) await store.seed(STREAM, history);
  return store;
};

describe('InMemoryEventStore (test fake)', () => {
  it.each<[string, number, ExpectedVersion, boolean]>([
    ['any, empty stream', 0, 'any', true],
    ['any, existing stream', 2, 'any', true],
    ['no_stream, empty stream', 0, 'no_stream', true],
    ['no_stream, existing stream', 1, 'no_stream', false],
    ['stream_exists, empty stream', 0, 'stream_exists', false],
    ['stream_exists, existing stream', 1, 'stream_exists', true],
    ['exact version of the last event', 2, 1, true],
    ['exact version behind', 2, 0, false],
    ['exact version ahead', 2, 2, false],
    ['version 0 on an empty stream', 0, 0, false],
  ])('expected version: %s → accepted: %s', async (_label, existing, expectedVersion, accepted) => {
    // given
    const store = await storeWith(existing);

    // when
    const append = store.append(STREAM, [completed('t1', 'ken')], { expectedVersion });

    // then
    if (accepted) {
      await expect(append).resolves.toMatchObject({ nextExpectedVersion: existing });
      expect(store.stored(STREAM)).toHaveLength(existing + 1);
    } else {
      await expect(append).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(store.stored(STREAM)).toHaveLength(existing);
    }
  });

  it('reports the actual version in the conflict', async () => {
    // given
    const store = await storeWith(2);

    // when
    const error: unknown = await store
      .append(STREAM, [completed('t1', 'ken')], { expectedVersion: 0 })
      .catch((e: unknown) => e);

    // then
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ stream: STREAM, expected: '0', actual: 1 });
  });

  it('numbers events from 0, chains their hashes, and reads them forwards and backwards', async () => {
    // given
    const store = new InMemoryEventStore();

    // when
    await store.append(STREAM, [assigned('t1', 'hanako')], { expectedVersion: 'no_stream' });
    await store.append(STREAM, [handedOff('t1', 'hanako', 'yuki', 'sick'), completed('t1', 'yuki')], {
      expectedVersion: 0,
    });

    // then
    const forwards = await store.readStream(STREAM);
    expect(forwards.map((e) => e.streamVersion)).toEqual([0, 1, 2]);
    expect(verifyChain(forwards)).toBeUndefined();
    expect((await store.readStream(STREAM, { direction: 'backwards' })).map((e) => e.streamVersion)).toEqual([2, 1, 0]);
    expect((await store.readStream(STREAM, { fromVersion: 1, limit: 1 })).map((e) => e.streamVersion)).toEqual([1]);
    expect(await store.readStream('task-unknown')).toEqual([]);
  });

  it('writes nothing of a batch that fails (all or nothing)', async () => {
    // given
    const store = await storeWith(1);
    const [existing] = store.stored(STREAM);

    // when: the second event reuses a stored id
    const append = store.append(STREAM, [completed('t1', 'x'), { ...completed('t1', 'y'), id: existing?.id }]);

    // then
    await expect(append).rejects.toMatchObject({ code: 'eventstore.event_id_conflict' });
    expect(store.stored(STREAM)).toHaveLength(1);
  });

  it('drops metadata fields left undefined, as a database would', async () => {
    // given
    const store = new InMemoryEventStore();

    // when
    await store.append(STREAM, [{ ...assigned('t1', 'hanako'), metadata: { actor: 'a', causationId: undefined } }]);

    // then
    expect(store.stored(STREAM)[0]?.metadata).toStrictEqual({ actor: 'a' });
  });

  it('hands out copies: changing what was read does not change the store', async () => {
    // given
    const store = await storeWith(1);
    const [read] = await store.readStream(STREAM);
    if (!read) throw new Error('nothing read');

    // when
    (read.data as Record<string, unknown>)['to'] = 'mallory';

    // then
    expect(store.stored(STREAM)[0]?.data).toEqual({ taskId: 't1', to: 'hanako' });
  });

  it('records attempts from the code under test, not writes made by a hook', async () => {
    // given
    const store = await storeWith(1);
    store.beforeEachAppend(async (stream, attempt) => {
      if (attempt === 1) await store.append(stream, [handedOff('t1', 'hanako', 'yuki', 'race')]);
    });

    // when
    await expect(store.append(STREAM, [completed('t1', 'hanako')], { expectedVersion: 0 })).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    await store.append(STREAM, [completed('t1', 'yuki')], { expectedVersion: 1 });

    // then
    expect(store.appendAttempts).toEqual([
      { stream: STREAM, expectedVersion: 0, outcome: 'conflict' },
      { stream: STREAM, expectedVersion: 1, outcome: 'appended' },
    ]);
    expect(store.stored(STREAM).map((e) => e.type)).toEqual(['TaskAssigned', 'TaskHandedOff', 'TaskCompleted']);
  });
});
