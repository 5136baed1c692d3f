import { trace } from '@opentelemetry/api';
import {
  assertSubjectPrefix,
  backoffDelay,
  categoryContext,
  contextFor,
  contextFromTraceparent,
  deadLetterSubject,
  describeError,
  isBusInternalStream,
  matchesFilter,
  resolveSubscribeOptions,
  subjectFilterFor,
  subjectFor,
} from '../src/index.js';
import { DomainError } from '@workshare/eventsourcing';

describe('subjects', () => {
  it('are <prefix>.<context>.<EventType>, with dots of an event type turned into underscores', () => {
    expect(subjectFor('workshare', 'identity', 'MemberRegistered')).toBe('workshare.identity.MemberRegistered');
    expect(subjectFor('workshare', 'tasks', 'Task.Created')).toBe('workshare.tasks.Task_Created');
    expect(deadLetterSubject('workshare', 'settlement-projector')).toBe('workshare.deadletter.settlement-projector');
  });

  it('take the context from the stream category by default, and refuse a context that is no subject token', () => {
    expect(categoryContext('member-42')).toBe('member');
    expect(categoryContext('timesheet-m1-202604')).toBe('timesheet');
    expect(contextFor(() => 'identity', 'member-42')).toBe('identity');
    expect(() => contextFor(() => 'iden.tity', 'member-42')).toThrow(TypeError);
    expect(() => contextFor(() => 'deadletter', 'member-42')).toThrow(/reserved/);
    expect(isBusInternalStream('deadletter-projector')).toBe(true);
    expect(isBusInternalStream('member-42')).toBe(false);
    expect(() => assertSubjectPrefix('workshare.test')).not.toThrow();
    expect(() => assertSubjectPrefix('work share')).toThrow(TypeError);
    expect(() => assertSubjectPrefix('workshare.>')).toThrow(TypeError);
  });
});

describe('a consumer filter', () => {
  it('becomes one exact JetStream subject filter when it names at most one type and one context', () => {
    expect(subjectFilterFor('ws', undefined)).toBe('ws.*.*');
    expect(subjectFilterFor('ws', { types: ['JobAccepted'] })).toBe('ws.*.JobAccepted');
    expect(subjectFilterFor('ws', { contexts: ['identity'] })).toBe('ws.identity.*');
    expect(subjectFilterFor('ws', { types: ['Task.Created'], contexts: ['tasks'] })).toBe('ws.tasks.Task_Created');
  });

  it('becomes the widest subject otherwise, the bus checking the rest itself', () => {
    expect(subjectFilterFor('ws', { types: ['A', 'B'], contexts: ['identity'] })).toBe('ws.identity.*');
    expect(subjectFilterFor('ws', { types: ['A'], contexts: ['x', 'y'] })).toBe('ws.*.A');
    expect(matchesFilter({ types: ['A', 'B'], contexts: ['x'] }, 'x', 'B')).toBe(true);
    expect(matchesFilter({ types: ['A', 'B'], contexts: ['x'] }, 'y', 'B')).toBe(false);
    expect(matchesFilter({ types: ['A', 'B'] }, 'y', 'C')).toBe(false);
    // Task.Created and Task_Created share a subject token; only the exact type matches.
    expect(matchesFilter({ types: ['Task.Created'] }, 'x', 'Task_Created')).toBe(false);
    expect(matchesFilter({}, 'x', 'Anything')).toBe(true);
    expect(matchesFilter(undefined, 'x', 'Anything')).toBe(true);
  });
});

describe('backoff', () => {
  it('takes the n-th wait after the n-th failed attempt, repeating the last one', () => {
    const schedule = [100, 500, 2_000];
    expect([1, 2, 3, 4, 9].map((n) => backoffDelay(schedule, n))).toEqual([100, 500, 2_000, 2_000, 2_000]);
  });

  it('accepts a function of the failed attempt, and never waits a negative or non-finite time', () => {
    expect([1, 2, 3].map((n) => backoffDelay((a) => 2 ** a * 10, n))).toEqual([20, 40, 80]);
    expect(backoffDelay(() => -5, 1)).toBe(0);
    expect(backoffDelay(() => Number.NaN, 1)).toBe(0);
    expect(backoffDelay([], 1)).toBe(0);
  });
});

describe('subscribe options', () => {
  const handle = () => undefined;

  it('default to 5 deliveries, a growing backoff and 16 events at a time', () => {
    const resolved = resolveSubscribeOptions({ consumer: 'billing-projector', handle });
    expect(resolved).toMatchObject({ consumer: 'billing-projector', maxDeliveries: 5, concurrency: 16 });
    expect(backoffDelay(resolved.backoffMs, 1)).toBeLessThan(backoffDelay(resolved.backoffMs, 4));
  });

  it('are refused when the consumer name is no durable name or the numbers make no sense', () => {
    expect(() => resolveSubscribeOptions({ consumer: '', handle })).toThrow(TypeError);
    expect(() => resolveSubscribeOptions({ consumer: 'a*b', handle })).toThrow(TypeError);
    expect(() => resolveSubscribeOptions({ consumer: 'ok', handle, maxDeliveries: 1.5 })).toThrow(/maxDeliveries/);
    expect(() => resolveSubscribeOptions({ consumer: 'ok', handle, concurrency: 0 })).toThrow(/concurrency/);
  });
});

describe('dead-letter reasons', () => {
  it('name the error, its stable code when it has one, and its message, on one line of bounded length', () => {
    expect(describeError(new DomainError('task.not_assigned', 'task t1 is not assigned'))).toBe(
      'DomainError [task.not_assigned]: task t1 is not assigned',
    );
    expect(describeError(new TypeError('bad'))).toBe('TypeError: bad');
    expect(describeError('plain')).toBe('plain');
    expect(describeError(new Error('x'.repeat(5_000))).length).toBe(2_000);
  });
});

describe('trace context', () => {
  it('makes a valid traceparent the remote parent of the consumer span', () => {
    const parent = trace.getSpanContext(
      contextFromTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'),
    );
    expect(parent).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
    });
  });

  it('ignores a missing or malformed one', () => {
    expect(trace.getSpanContext(contextFromTraceparent(undefined))).toBeUndefined();
    expect(
      trace.getSpanContext(contextFromTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01')),
    ).toBeUndefined();
    expect(trace.getSpanContext(contextFromTraceparent('not a traceparent'))).toBeUndefined();
  });
});
