import { contentDigest, uuidv7 } from '@workshare/eventsourcing';
import { prepareEvents } from '../src/validation.js';

describe('preparing events for an append', () => {
  it('computes the same digest as contentDigest, from the strings it sends', () => {
    const occurredAt = new Date('2026-04-01T00:00:00.000Z');
    const [e] = prepareEvents('task-藤里-1', [
      {
        id: uuidv7().toUpperCase(),
        type: 'TaskHandedOff',
        schemaVersion: 3,
        data: { z: [1, { b: 2, a: '"quoted"' }], a: null, 町: '藤琴' },
        metadata: { traceparent: 'tp', actor: 'hanako', causationId: undefined },
        occurredAt,
      },
    ]);
    expect(e).toBeDefined();
    expect(e!.id).toBe(e!.id.toLowerCase());
    expect(e!.metadata).toEqual({ traceparent: 'tp', actor: 'hanako' });
    expect(JSON.parse(e!.dataJson)).toEqual({ z: [1, { b: 2, a: '"quoted"' }], a: null, 町: '藤琴' });
    expect(e!.digest).toBe(
      contentDigest({
        id: e!.id,
        streamName: 'task-藤里-1',
        type: 'TaskHandedOff',
        schemaVersion: 3,
        occurredAt,
        data: e!.data,
        metadata: e!.metadata,
      }),
    );
  });

  it('gives the same digest whatever the key order', () => {
    const occurredAt = new Date();
    const id = uuidv7();
    const [a] = prepareEvents('task-1', [
      { id, type: 'A', data: { x: 1, y: 2 }, metadata: { p: 1, q: 2 }, occurredAt },
    ]);
    const [b] = prepareEvents('task-1', [
      { id, type: 'A', data: { y: 2, x: 1 }, metadata: { q: 2, p: 1 }, occurredAt },
    ]);
    expect(a!.digest).toBe(b!.digest);
  });
});
