import { isUuid } from '@workshare/eventsourcing';
import fc from 'fast-check';
import { commandKey, idForCommand, MAX_REQUEST_ID_LENGTH } from '../../src/application/command-ids.js';

describe('request ids and the ids they derive', () => {
  it('keys a request by its caller: the same id from two callers is two keys', () => {
    expect(commandKey('op-1', 'r-1')).toBe('op-1:r-1');
    expect(commandKey('op-2', 'r-1')).not.toBe(commandKey('op-1', 'r-1'));
  });

  it.each([[''], ['with space'], ['x'.repeat(MAX_REQUEST_ID_LENGTH + 1)], ['改行\n'], ['ｒｅｑ']])(
    'refuses the request id %j',
    (requestId) => {
      expect(() => commandKey('op-1', requestId)).toThrow(
        expect.objectContaining({ code: 'request.invalid_request_id', kind: 'invalid' }),
      );
    },
  );

  it('derives a stable UUID (version 8) per kind and key, different for any other kind or key', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        const id = idForCommand('member', a);
        expect(isUuid(id)).toBe(true);
        expect(id[14]).toBe('8');
        expect(idForCommand('member', a)).toBe(id);
        expect(idForCommand('user', a)).not.toBe(id);
        if (a !== b) expect(idForCommand('member', b)).not.toBe(id);
      }),
    );
  });
});
