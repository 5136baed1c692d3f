import { actorOf, isUuid } from '@workshare/eventsourcing';
import { mayView, seesAllJobs } from '../../src/application/access.js';
import { commandKey, jobIdForCommand } from '../../src/application/command-ids.js';

const job = { businessId: 'b-1', regionId: 'fujisato' };

describe('who sees a job', () => {
  it.each([
    ['its business', { subject: 'u', roles: [{ role: 'business', businessId: 'b-1' }] }, true],
    [
      'a coordinator of its region',
      { subject: 'u', roles: [{ role: 'member' }, { role: 'coordinator', region: 'fujisato' }] },
      true,
    ],
    ['the accountant', { subject: 'u', roles: [{ role: 'accountant' }] }, true],
    ['an operator', { subject: 'u', roles: [{ role: 'operator' }] }, true],
    ['another business', { subject: 'u', roles: [{ role: 'business', businessId: 'b-2' }] }, false],
    ['a coordinator of another region', { subject: 'u', roles: [{ role: 'coordinator', region: 'setagaya' }] }, false],
    ['a member', { subject: 'u', roles: [{ role: 'member' }] }, false],
    ['a caller claiming the system role', { subject: 'u', roles: [{ role: 'system' }] }, false],
  ])('%s: %s', (_, caller, expected) => {
    expect(mayView(actorOf(caller), job)).toBe(expected);
  });

  it('only the accountant and operators see every job', () => {
    expect(seesAllJobs(actorOf({ subject: 'u', roles: [{ role: 'accountant' }] }))).toBe(true);
    expect(seesAllJobs(actorOf({ subject: 'u', roles: [{ role: 'coordinator', region: 'fujisato' }] }))).toBe(false);
  });
});

describe('request ids', () => {
  it('derives one job id per caller and request id', () => {
    const id = jobIdForCommand(commandKey('u-1', 'req-1'));
    expect(isUuid(id)).toBe(true);
    expect(jobIdForCommand(commandKey('u-1', 'req-1'))).toBe(id);
    expect(jobIdForCommand(commandKey('u-2', 'req-1'))).not.toBe(id);
    expect(() => commandKey('u-1', '')).toThrow(expect.objectContaining({ code: 'request.invalid_request_id' }));
  });
});
