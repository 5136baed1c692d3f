import {
  actorOf,
  actsFor,
  coordinates,
  isAccountant,
  isMember,
  isOperator,
  isSystem,
  systemActor,
} from '../src/actor.js';

describe('the actor a verified caller becomes', () => {
  it('keeps the roles the deciders know, with their scope', () => {
    const actor = actorOf({
      subject: 'u-1',
      roles: [
        { role: 'member' },
        { role: 'coordinator', region: 'fujisato' },
        { role: 'business', businessId: 'b-1' },
        { role: 'accountant' },
        { role: 'operator' },
      ],
    });
    expect(actor).toEqual({
      id: 'u-1',
      roles: [
        { kind: 'member' },
        { kind: 'coordinator', regionId: 'fujisato' },
        { kind: 'business', businessId: 'b-1' },
        { kind: 'accountant' },
        { kind: 'operator' },
      ],
    });
    expect([isMember(actor), isAccountant(actor), isOperator(actor), isSystem(actor)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect([coordinates(actor, 'fujisato'), coordinates(actor, 'setagaya')]).toEqual([true, false]);
    expect([actsFor(actor, 'b-1'), actsFor(actor, 'b-2')]).toEqual([true, false]);
  });

  it('never lets a token grant the system role, and drops roles missing their scope or unknown', () => {
    expect(
      actorOf({
        subject: 'u',
        roles: [
          { role: 'system' },
          { role: 'coordinator' },
          { role: 'business' },
          { role: 'janitor' },
          { role: 'member' },
        ],
      }),
    ).toEqual({
      id: 'u',
      roles: [{ kind: 'member' }],
    });
  });

  it('refuses a caller without a subject as unauthenticated', () => {
    expect(() => actorOf({ subject: ' ', roles: [] })).toThrow(
      expect.objectContaining({ code: 'auth.unauthenticated', kind: 'unauthenticated' }),
    );
    expect(() => actorOf(null as never)).toThrow(expect.objectContaining({ kind: 'unauthenticated' }));
  });

  it('a service acting on its own is system:<service>, and nothing else', () => {
    const actor = systemActor('job-intake');
    expect(actor).toEqual({ id: 'system:job-intake', roles: [{ kind: 'system' }] });
    expect([isSystem(actor), isOperator(actor), coordinates(actor, 'fujisato')]).toEqual([true, false, false]);
    expect(Object.isFrozen(actor)).toBe(true);
  });
});
