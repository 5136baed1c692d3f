import type { AuthenticatedCallContext } from '../src/index.js';
import { commandContextOf } from '../src/index.js';

const call = (traceparent?: string) =>
  ({
    caller: { subject: 'u-1', roles: [{ role: 'coordinator', region: 'fujisato' }, { role: 'unknown' }] },
    token: 'token-1',
    traceparent,
  }) as unknown as AuthenticatedCallContext;

describe('commandContextOf', () => {
  it('is the verified caller as the actor, the request id, the token and the trace of the call', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(commandContextOf(call(traceparent), 'req-1')).toEqual({
      actor: { id: 'u-1', roles: [{ kind: 'coordinator', regionId: 'fujisato' }] },
      requestId: 'req-1',
      token: 'token-1',
      traceparent,
    });
  });

  it('leaves out what the call does not carry (a query has no request id)', () => {
    expect(commandContextOf(call())).toEqual({
      actor: { id: 'u-1', roles: [{ kind: 'coordinator', regionId: 'fujisato' }] },
      token: 'token-1',
    });
  });
});
