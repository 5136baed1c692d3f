import type { RecordedEvent } from '../src/envelope.js';
import type { JsonObject } from '../src/json.js';
import { createUpcaster, noUpcasting, type UpcastStep } from '../src/upcasting.js';

/**
 * MemberJoined's schema history:
 *   v1 { name }                    → v2 { fullName }
 *   v2 { fullName }                → v3 { fullName, region }   (members before regions were all in "fujisato")
 */
const v1ToV2: UpcastStep = (data) => {
  const { name, ...rest } = data;
  return { ...rest, fullName: name ?? null };
};
const v2ToV3: UpcastStep = (data) => ({ ...data, region: 'fujisato' });

const recorded = (type: string, schemaVersion: number, data: JsonObject): RecordedEvent =>
  Object.freeze({
    id: '017f22e2-79b0-7cc3-98c4-dc0c0c07398f',
    type,
    schemaVersion,
    streamName: 'member-m1',
    streamVersion: 4,
    position: { commit: 10n, prepare: 2n },
    data: Object.freeze(data),
    metadata: { actor: 'coordinator-1' },
    occurredAt: new Date('2025-04-01T09:00:00.000Z'),
    recordedAt: new Date('2025-04-01T09:00:01.000Z'),
    hash: 'a'.repeat(64),
    previousHash: 'b'.repeat(64),
  });

describe('createUpcaster', () => {
  it('brings a v1 event to v3 through every step, in order', () => {
    // given
    const upcast = createUpcaster({ MemberJoined: { 1: v1ToV2, 2: v2ToV3 } });
    const stored = recorded('MemberJoined', 1, { memberId: 'm1', name: 'Hanako Sato' });

    // when
    const current = upcast(stored);

    // then
    expect(current.schemaVersion).toBe(3);
    expect(current.data).toEqual({ memberId: 'm1', fullName: 'Hanako Sato', region: 'fujisato' });
  });

  it('runs only the steps after the stored version', () => {
    // given
    const first = jest.fn(v1ToV2);
    const second = jest.fn(v2ToV3);
    const upcast = createUpcaster({ MemberJoined: { 1: first, 2: second } });

    // when
    const current = upcast(recorded('MemberJoined', 2, { memberId: 'm1', fullName: 'Yuki Mori' }));

    // then
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    expect(current.schemaVersion).toBe(3);
    expect(current.data).toEqual({ memberId: 'm1', fullName: 'Yuki Mori', region: 'fujisato' });
  });

  it('does not depend on the order the steps were declared in', () => {
    // given
    const upcast = createUpcaster({ MemberJoined: { 2: v2ToV3, 1: v1ToV2 } });

    // when
    const current = upcast(recorded('MemberJoined', 1, { memberId: 'm1', name: 'Ken' }));

    // then
    expect(current.data).toEqual({ memberId: 'm1', fullName: 'Ken', region: 'fujisato' });
  });

  it('hands each step the data so far and the event as stored', () => {
    // given
    const second = jest.fn(v2ToV3);
    const stored = recorded('MemberJoined', 1, { memberId: 'm1', name: 'Ken' });
    const upcast = createUpcaster({ MemberJoined: { 1: v1ToV2, 2: second } });

    // when
    upcast(stored);

    // then
    expect(second).toHaveBeenCalledWith({ memberId: 'm1', fullName: 'Ken' }, stored);
  });

  it('returns an event already at its current version untouched (the same object)', () => {
    // given
    const upcast = createUpcaster({ MemberJoined: { 1: v1ToV2, 2: v2ToV3 } });
    const stored = recorded('MemberJoined', 3, { memberId: 'm1', fullName: 'Ken', region: 'north' });

    // then
    expect(upcast(stored)).toBe(stored);
  });

  it('returns events of types it has no steps for untouched (the same object)', () => {
    // given
    const upcast = createUpcaster({ MemberJoined: { 1: v1ToV2 } });
    const stored = recorded('MemberLeft', 1, { memberId: 'm1', name: 'stays as written' });

    // then
    expect(upcast(stored)).toBe(stored);
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])(
    'treats a type named %s like any unknown type',
    (type) => {
      // given
      const upcast = createUpcaster({ MemberJoined: { 1: v1ToV2 } });
      const stored = recorded(type, 1, { a: 1 });

      // then
      expect(upcast(stored)).toBe(stored);
    },
  );

  it('keeps everything but data and schema version, and leaves the stored event as written', () => {
    // given
    const upcast = createUpcaster({ MemberJoined: { 1: v1ToV2, 2: v2ToV3 } });
    const stored = recorded('MemberJoined', 1, { memberId: 'm1', name: 'Ken' });
    const { data: _data, schemaVersion: _version, ...envelope } = stored;

    // when
    const current = upcast(stored);

    // then
    expect(current).not.toBe(stored);
    expect(current).toMatchObject(envelope);
    expect(stored.schemaVersion).toBe(1);
    expect(stored.data).toEqual({ memberId: 'm1', name: 'Ken' });
  });
});

describe('currentVersion', () => {
  it('is the version the last step leads to', () => {
    // given
    const upcast = createUpcaster({ MemberJoined: { 1: v1ToV2, 2: v2ToV3 }, TaskAssigned: { 1: v1ToV2 } });

    // then
    expect(upcast.currentVersion?.('MemberJoined')).toBe(3);
    expect(upcast.currentVersion?.('TaskAssigned')).toBe(2);
  });

  it.each(['MemberLeft', 'toString', '__proto__'])('is 1 for a type without steps (%s)', (type) => {
    expect(createUpcaster({ MemberJoined: { 1: v1ToV2 } }).currentVersion?.(type)).toBe(1);
  });

  it('agrees with upcasting: an event at the current version is left alone', () => {
    // given
    const upcast = createUpcaster({ MemberJoined: { 1: v1ToV2, 2: v2ToV3 } });
    const current = upcast.currentVersion?.('MemberJoined') ?? 0;
    const stored = recorded('MemberJoined', current, { memberId: 'm1', fullName: 'Ken', region: 'north' });

    // then
    expect(upcast(stored)).toBe(stored);
    expect(upcast(recorded('MemberJoined', 1, { name: 'Ken' })).schemaVersion).toBe(current);
  });
});

describe('noUpcasting', () => {
  it('returns every event as it is', () => {
    const stored = recorded('MemberJoined', 1, { name: 'Ken' });
    expect(noUpcasting(stored)).toBe(stored);
  });

  it('claims no schema version (the store writes its default)', () => {
    expect(noUpcasting.currentVersion).toBeUndefined();
  });
});
