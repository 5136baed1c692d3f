import type { RecordedEvent } from '@workshare/eventsourcing';
import { decodeEnvelope, encodeEnvelope, fromWire, toWire } from '../src/index.js';

const event: RecordedEvent = {
  id: '0192f0a0-7c3e-7000-8000-000000000001',
  type: 'TaskHandedOff',
  schemaVersion: 2,
  streamName: 'task-42',
  streamVersion: 3,
  position: { commit: 18446744073709551557n, prepare: 9007199254740993n },
  data: { taskId: '42', from: 'hanako', to: 'yuki', minutes: 40, note: '子どもの発熱' },
  metadata: {
    actor: 'hanako',
    correlationId: 'c-1',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  },
  occurredAt: new Date('2026-04-01T03:04:05.678Z'),
  recordedAt: new Date('2026-04-01T03:04:05.999Z'),
  hash: 'a'.repeat(64),
  previousHash: 'b'.repeat(64),
};

describe('the wire envelope', () => {
  it('round-trips a recorded event exactly, positions beyond 2^53 included', () => {
    expect(decodeEnvelope(encodeEnvelope(event))).toEqual(event);
  });

  it('carries positions and dates as strings', () => {
    const wire = JSON.parse(new TextDecoder().decode(encodeEnvelope(event))) as Record<string, unknown>;
    expect(wire.position).toBe('18446744073709551557/9007199254740993');
    expect(wire.occurredAt).toBe('2026-04-01T03:04:05.678Z');
    expect(wire.recordedAt).toBe('2026-04-01T03:04:05.999Z');
  });

  it('refuses a payload that is not an envelope, naming what is wrong', () => {
    expect(() => fromWire(null)).toThrow(/not a JSON object/);
    expect(() => fromWire({ ...toWire(event), position: 12 })).toThrow(/position/);
    expect(() => fromWire({ ...toWire(event), position: 'x/y' })).toThrow(/not a log position/);
    expect(() => fromWire({ ...toWire(event), streamVersion: -1 })).toThrow(/streamVersion/);
    expect(() => fromWire({ ...toWire(event), occurredAt: 'yesterday' })).toThrow(/occurredAt/);
    expect(() => fromWire({ ...toWire(event), data: [1, 2] })).toThrow(/data/);
    expect(() => decodeEnvelope(new TextEncoder().encode('{not json'))).toThrow(SyntaxError);
  });
});
