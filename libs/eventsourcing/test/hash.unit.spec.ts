import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../src/envelope.js';
import {
  CHAIN_START,
  chainHash,
  chainLink,
  chainLinkFault,
  contentDigest,
  DOWNGRADE_FAULT,
  GENESIS_HASH,
  hashSchemeOf,
  verifyChain,
  type DigestInput,
  type HashScheme,
} from '../src/hash.js';
import { uuidv7 } from '../src/uuid.js';

const STREAM = 'task-t1';

/**
 * Writes a stream as a store would: each event's hash chains the previous one, from GENESIS_HASH,
 * under hash scheme 2 (recorded-at covered), or scheme 1 for the versions below `legacyUntil`.
 */
const buildStream = (count: number, stream = STREAM, legacyUntil = 0): RecordedEvent[] => {
  const events: RecordedEvent[] = [];
  let previousHash = GENESIS_HASH;
  for (let version = 0; version < count; version++) {
    const content: DigestInput = {
      id: uuidv7(),
      streamName: stream,
      type: version === 0 ? 'TaskAssigned' : 'TaskHandedOff',
      schemaVersion: 1,
      occurredAt: new Date(Date.UTC(2025, 3, 1, 9, version)),
      data: { taskId: 't1', to: `member-${version}`, hours: version * 1.5, tags: ['a', 'b'] },
      metadata: { actor: 'coordinator-1', correlationId: 'flow-1' },
    };
    const recordedAt = new Date(Date.UTC(2025, 3, 1, 9, version, 1, 250));
    const hash =
      version < legacyUntil
        ? chainHash(previousHash, version, contentDigest(content))
        : chainHash(previousHash, version, contentDigest(content), recordedAt);
    events.push({
      ...content,
      streamVersion: version,
      position: { commit: BigInt(100 + version), prepare: 0n },
      recordedAt,
      hash,
      previousHash,
    });
    previousHash = hash;
  }
  return events;
};

const changed = (events: readonly RecordedEvent[], index: number, patch: Partial<RecordedEvent>): RecordedEvent[] =>
  events.map((e, i) => (i === index ? { ...e, ...patch } : e));

const at = (events: readonly RecordedEvent[], index: number): RecordedEvent => {
  const event = events[index];
  if (!event) throw new Error(`no event at ${index}`);
  return event;
};

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('GENESIS_HASH', () => {
  it('is 64 zeros, the width of a hex SHA-256', () => {
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });
});

describe('chainHash', () => {
  it('is, given the recorded-at (scheme 2), the SHA-256 of "<previous hash>:<version>:<digest>:<recorded-at ms>"', () => {
    // given
    const digest = sha256('some content');
    const recordedAt = new Date('2026-04-30T15:00:00.123Z');

    // when
    const hash = chainHash(GENESIS_HASH, 0, digest, recordedAt);

    // then
    expect(hash).toBe(sha256(`${GENESIS_HASH}:0:${digest}:${recordedAt.getTime()}`));
    expect(chainHash(GENESIS_HASH, 0, digest, recordedAt.getTime())).toBe(hash);
    expect(chainHash(GENESIS_HASH, 0, digest, recordedAt.getTime() + 1)).not.toBe(hash);
  });

  it('is, without a recorded-at (scheme 1), the SHA-256 of "<previous hash>:<version>:<digest>"', () => {
    // given
    const digest = sha256('some content');

    // when
    const hash = chainHash(GENESIS_HASH, 0, digest);

    // then
    expect(hash).toBe(sha256(`${GENESIS_HASH}:0:${digest}`));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with each of its inputs', () => {
    const digest = sha256('x');
    const base = chainHash(GENESIS_HASH, 3, digest);
    expect(chainHash('1'.repeat(64), 3, digest)).not.toBe(base);
    expect(chainHash(GENESIS_HASH, 4, digest)).not.toBe(base);
    expect(chainHash(GENESIS_HASH, 3, sha256('y'))).not.toBe(base);
  });
});

describe('contentDigest', () => {
  const event = (): DigestInput => ({
    id: '017f22e2-79b0-7cc3-98c4-dc0c0c07398f',
    streamName: STREAM,
    type: 'TaskAssigned',
    schemaVersion: 2,
    occurredAt: new Date('2025-04-01T09:00:00.000Z'),
    data: { taskId: 't1', to: 'hanako', detail: { a: 1, b: [1, 2] } },
    metadata: { actor: 'coordinator-1', correlationId: 'flow-1' },
  });

  it('does not depend on key order in data or metadata (a database may reorder keys)', () => {
    // given
    const original = event();
    const reordered: DigestInput = {
      ...original,
      data: { detail: { b: [1, 2], a: 1 }, to: 'hanako', taskId: 't1' },
      metadata: { correlationId: 'flow-1', actor: 'coordinator-1' },
    };

    // then
    expect(contentDigest(reordered)).toBe(contentDigest(original));
  });

  it('covers what the event says, not where it landed', () => {
    // given
    const [first] = buildStream(1);
    if (!first) throw new Error('empty stream');
    const elsewhere: RecordedEvent = { ...first, position: { commit: 999n, prepare: 7n }, recordedAt: new Date(0) };

    // then
    expect(contentDigest(elsewhere)).toBe(contentDigest(first));
  });

  it.each<[string, Partial<DigestInput>]>([
    ['id', { id: '017f22e2-79b0-7cc3-98c4-dc0c0c07398e' }],
    ['stream', { streamName: 'task-t2' }],
    ['type', { type: 'TaskCompleted' }],
    ['schema version', { schemaVersion: 3 }],
    ['occurred-at', { occurredAt: new Date('2025-04-01T09:00:00.001Z') }],
    ['data', { data: { taskId: 't1', to: 'yuki', detail: { a: 1, b: [1, 2] } } }],
    ['data array order', { data: { taskId: 't1', to: 'hanako', detail: { a: 1, b: [2, 1] } } }],
    ['metadata', { metadata: { actor: 'coordinator-2', correlationId: 'flow-1' } }],
  ])('changes when the %s changes', (_field, patch) => {
    expect(contentDigest({ ...event(), ...patch })).not.toBe(contentDigest(event()));
  });
});

describe('verifyChain', () => {
  it('accepts an intact stream', () => {
    // given
    const events = buildStream(5);

    // then
    expect(verifyChain(events)).toBeUndefined();
  });

  it('accepts an empty stream', () => {
    expect(verifyChain([])).toBeUndefined();
  });

  it('accepts any iterable, read once', () => {
    // given
    const events = buildStream(3);
    function* once() {
      yield* events;
    }

    // then
    expect(verifyChain(once())).toBeUndefined();
  });

  it('accepts an event whose data came back with its keys reordered', () => {
    // given
    const events = buildStream(3);
    const original = at(events, 1);
    const reordered = Object.fromEntries(Object.entries(original.data).reverse());

    // then
    expect(verifyChain(changed(events, 1, { data: reordered }))).toBeUndefined();
  });

  it('reports tampered data at that event', () => {
    // given
    const events = buildStream(4);
    const tampered = changed(events, 2, { data: { ...at(events, 2).data, hours: 99 } });

    // when
    const found = verifyChain(tampered);

    // then
    expect(found).toEqual({
      streamVersion: 2,
      eventId: at(events, 2).id,
      reason: 'content does not match its hash (changed after it was written)',
    });
  });

  it('reports tampered metadata at that event', () => {
    // given
    const events = buildStream(4);
    const tampered = changed(events, 1, { metadata: { ...at(events, 1).metadata, actor: 'someone-else' } });

    // then
    expect(verifyChain(tampered)).toEqual({
      streamVersion: 1,
      eventId: at(events, 1).id,
      reason: 'content does not match its hash (changed after it was written)',
    });
  });

  it.each<[string, (e: RecordedEvent) => Partial<RecordedEvent>]>([
    ['type', () => ({ type: 'TaskCompleted' })],
    ['schema version', (e) => ({ schemaVersion: e.schemaVersion + 1 })],
    ['occurred-at', (e) => ({ occurredAt: new Date(e.occurredAt.getTime() + 1) })],
    ['stream name (moved to another stream)', () => ({ streamName: 'task-t2' })],
    ['id', () => ({ id: uuidv7() })],
    ['metadata gaining a field', (e) => ({ metadata: { ...e.metadata, causationId: 'x' } })],
  ])('reports a tampered %s', (_field, patch) => {
    // given
    const events = buildStream(3);

    // when
    const found = verifyChain(changed(events, 0, patch(at(events, 0))));

    // then
    expect(found?.streamVersion).toBe(0);
    expect(found?.reason).toMatch(/content does not match/);
  });

  it('reports only the first break when several events were changed', () => {
    // given
    const events = buildStream(5);
    const tampered = changed(changed(events, 3, { data: { x: 1 } }), 1, { data: { y: 2 } });

    // then
    expect(verifyChain(tampered)?.streamVersion).toBe(1);
  });

  it('reports a missing event as a version gap where it was', () => {
    // given
    const events = buildStream(4);
    const withoutSecond = events.filter((_, i) => i !== 1);

    // when
    const found = verifyChain(withoutSecond);

    // then
    expect(found).toEqual({ streamVersion: 2, eventId: at(events, 2).id, reason: 'expected version 1' });
  });

  it('reports a stream whose first event is missing', () => {
    // given
    const events = buildStream(3).slice(1);

    // then
    expect(verifyChain(events)).toEqual({ streamVersion: 1, eventId: at(events, 0).id, reason: 'expected version 0' });
  });

  it('reports a reordered pair at the first event out of place', () => {
    // given
    const events = buildStream(4);
    const swapped = [at(events, 0), at(events, 2), at(events, 1), at(events, 3)];

    // then
    expect(verifyChain(swapped)).toEqual({ streamVersion: 2, eventId: at(events, 2).id, reason: 'expected version 1' });
  });

  it('reports a reordered pair even when their version numbers were swapped back into sequence', () => {
    // given: events 1 and 2 trade places and versions, so the versions read 0, 1, 2, 3
    const events = buildStream(4);
    const swapped = [
      at(events, 0),
      { ...at(events, 2), streamVersion: 1 },
      { ...at(events, 1), streamVersion: 2 },
      at(events, 3),
    ];

    // when
    const found = verifyChain(swapped);

    // then
    expect(found).toEqual({
      streamVersion: 1,
      eventId: at(events, 2).id,
      reason: 'previous hash does not match the event before',
    });
  });

  it('reports a wrong previous hash', () => {
    // given
    const events = buildStream(3);
    const tampered = changed(events, 2, { previousHash: 'f'.repeat(64) });

    // then
    expect(verifyChain(tampered)).toEqual({
      streamVersion: 2,
      eventId: at(events, 2).id,
      reason: 'previous hash does not match the event before',
    });
  });

  it('reports a first event that does not chain to the genesis hash', () => {
    // given: a consistent stream, but chained from somewhere other than the genesis hash
    const events = buildStream(2);
    const fakeStart = '1'.repeat(64);
    const first = at(events, 0);
    const rechained = {
      ...first,
      previousHash: fakeStart,
      hash: chainHash(fakeStart, 0, contentDigest(first), first.recordedAt),
    };

    // then
    expect(verifyChain([rechained])).toEqual({
      streamVersion: 0,
      eventId: first.id,
      reason: 'previous hash does not match the event before',
    });
  });

  it('catches an event rewritten together with its own hash, at the event after it', () => {
    // given: the forger recomputes the changed event's hash, but cannot rewrite its successor's link
    const events = buildStream(4);
    const target = at(events, 1);
    const forged = { ...target, data: { ...target.data, to: 'forger' } };
    const forgedWithHash = {
      ...forged,
      hash: chainHash(target.previousHash, 1, contentDigest(forged), forged.recordedAt),
    };

    // when
    const found = verifyChain(changed(events, 1, forgedWithHash));

    // then
    expect(found).toEqual({
      streamVersion: 2,
      eventId: at(events, 2).id,
      reason: 'previous hash does not match the event before',
    });
  });

  it('catches a hash that is not the chain of the content, even when the next link agrees with it', () => {
    // given: event 1's hash replaced by garbage, and event 2 relinked to that garbage
    const events = buildStream(3);
    const garbage = 'a'.repeat(64);
    const tampered = changed(changed(events, 1, { hash: garbage }), 2, { previousHash: garbage });

    // then
    expect(verifyChain(tampered)).toEqual({
      streamVersion: 1,
      eventId: at(events, 1).id,
      reason: 'content does not match its hash (changed after it was written)',
    });
  });
});

describe('hash schemes', () => {
  it('reports a changed recorded-at of a scheme-2 event at that event', () => {
    // given
    const events = buildStream(3);
    const moved = changed(events, 1, { recordedAt: new Date(at(events, 1).recordedAt.getTime() + 1) });

    // then
    expect(verifyChain(moved)).toEqual({
      streamVersion: 1,
      eventId: at(events, 1).id,
      reason: 'content does not match its hash (changed after it was written)',
    });
  });

  it('accepts a stream written under scheme 1 before scheme 2 (rows older than the store migration)', () => {
    // given: versions 0 and 1 of scheme 1, then 2 and 3 of scheme 2
    const events = buildStream(4, STREAM, 2);

    // then
    expect(verifyChain(events)).toBeUndefined();
    expect(events.map((e) => hashSchemeOf(e.previousHash, e))).toEqual<(HashScheme | undefined)[]>([1, 1, 2, 2]);
  });

  it('does not cover the recorded-at of a scheme-1 event (the seals do)', () => {
    // given
    const events = buildStream(2, STREAM, 2);

    // then
    expect(verifyChain(changed(events, 1, { recordedAt: new Date(0) }))).toBeUndefined();
  });

  it('refuses a scheme-1 event after a scheme-2 one in the same stream (a downgrade)', () => {
    // given: event 1 rehashed under scheme 1, its successor relinked: every link holds but the scheme goes back
    const events = buildStream(3);
    const second = at(events, 1);
    const downgraded = { ...second, hash: chainHash(second.previousHash, 1, contentDigest(second)) };
    const third = at(events, 2);
    const relinked = {
      ...third,
      previousHash: downgraded.hash,
      hash: chainHash(downgraded.hash, 2, contentDigest(third), third.recordedAt),
    };

    // then
    expect(verifyChain([at(events, 0), downgraded, relinked])).toEqual({
      streamVersion: 1,
      eventId: second.id,
      reason: DOWNGRADE_FAULT,
    });
  });

  it('chainLink answers the tail after an intact event, with its scheme', () => {
    // given
    const [first] = buildStream(1);

    // when
    const link = chainLink(CHAIN_START, first!);

    // then
    expect(link).toEqual({ tail: { version: 0, hash: first!.hash, scheme: 2 } });
    expect(chainLinkFault(CHAIN_START, first!)).toBeUndefined();
  });

  it('hashSchemeOf answers undefined for a hash of neither scheme, and refuses scheme 1 when asked for the newest only', () => {
    // given
    const [legacy] = buildStream(1, STREAM, 1);

    // then
    expect(hashSchemeOf(GENESIS_HASH, legacy!)).toBe(1);
    expect(hashSchemeOf(GENESIS_HASH, legacy!, true)).toBeUndefined();
    expect(hashSchemeOf(GENESIS_HASH, { ...legacy!, hash: 'b'.repeat(64) })).toBeUndefined();
  });
});
