import fc from 'fast-check';
import { commandKey, MAX_REQUEST_ID_LENGTH, nameBasedUuid } from '../src/command-ids.js';

describe('request ids and command keys', () => {
  it('keys a request by its caller: `<caller>:<request id>`', () => {
    expect(commandKey('user-1', 'f3a1')).toBe('user-1:f3a1');
  });

  it.each([
    ['', 'empty'],
    ['with space', 'a space'],
    ['é', 'not ASCII'],
    ['x'.repeat(MAX_REQUEST_ID_LENGTH + 1), 'too long'],
  ])('refuses %j (%s)', (requestId) => {
    expect(() => commandKey('user-1', requestId)).toThrow(
      expect.objectContaining({ code: 'request.invalid_request_id', kind: 'invalid' }),
    );
  });

  it('takes the longest request id allowed', () => {
    expect(commandKey('u', 'x'.repeat(MAX_REQUEST_ID_LENGTH))).toHaveLength(MAX_REQUEST_ID_LENGTH + 2);
  });
});

describe('name-based UUIDs', () => {
  it('are version 8, variant 10, and never change for a name (ids already stored depend on it)', () => {
    expect(nameBasedUuid('workshare-task/job-1/1/entry-1')).toBe(nameBasedUuid('workshare-task/job-1/1/entry-1'));
    // SHA-256("abc") begins ba7816bf 8f01cfea 414140de 5dae2223: version and variant bits set.
    expect(nameBasedUuid('abc')).toBe('ba7816bf-8f01-8fea-8141-40de5dae2223');
    expect(nameBasedUuid('abc')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differ for different names', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => a === b || nameBasedUuid(a) !== nameBasedUuid(b)));
  });
});
