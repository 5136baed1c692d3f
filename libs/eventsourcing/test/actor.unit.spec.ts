import { callerRoleOf, parseRole, roleKey, roleOf, SYSTEM_ACTORS } from '../src/actor.js';
import { contextOfEvent, eventMetadataOf } from '../src/context.js';
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

describe('one caller model: contexts, metadata, system actors, roles from input', () => {
  it("a command context maps to its events' metadata in one place", () => {
    const actor = { id: 'coordinator-1', roles: [] };
    expect(
      eventMetadataOf(
        { actor, correlationId: 'c', causationId: 'e', traceparent: 't', token: 'secret', requestId: 'r' },
        'k',
      ),
    ).toEqual({
      actor: 'coordinator-1',
      correlationId: 'c',
      causationId: 'e',
      traceparent: 't',
      commandId: 'k',
    });
    expect(eventMetadataOf({ actor })).toEqual({ actor: 'coordinator-1' });
  });

  it('a process manager acts in the conversation of the event it reacts to', () => {
    const actor = SYSTEM_ACTORS.processManager('job-intake');
    const event = { id: 'ev-1', metadata: { correlationId: 'flow-1', traceparent: 'tp' } } as never;
    expect(contextOfEvent(actor, event)).toEqual({
      actor,
      causationId: 'ev-1',
      correlationId: 'flow-1',
      traceparent: 'tp',
    });
    expect(contextOfEvent(actor, { id: 'ev-2', metadata: {} } as never)).toEqual({
      actor,
      causationId: 'ev-2',
      correlationId: 'ev-2',
    });
  });

  it('one system actor per purpose', () => {
    expect(SYSTEM_ACTORS.processManager('team-scheduling')).toEqual({
      id: 'system:team-scheduling',
      roles: [{ kind: 'system' }],
    });
    expect(SYSTEM_ACTORS.bootstrap).toEqual({ id: 'system:bootstrap', roles: [{ kind: 'operator' }] });
    expect(SYSTEM_ACTORS.demoSeed).toEqual({ id: 'system:demo-seed', roles: [] });
  });

  it("roles from untrusted input, and between the token shape and the deciders' shape", () => {
    expect(parseRole({ kind: 'coordinator', regionId: 'fujisato' })).toEqual({
      kind: 'coordinator',
      regionId: 'fujisato',
    });
    expect(() => parseRole({ kind: 'system' })).toThrow('not a role');
    expect(() => parseRole({ kind: 'coordinator' })).toThrow('needs a regionId');
    expect(roleKey({ kind: 'business', businessId: 'b1' })).toBe('business:b1');
    for (const role of [
      { kind: 'operator' },
      { kind: 'coordinator', regionId: 'chofu' },
      { kind: 'business', businessId: 'b' },
    ] as const) {
      expect(roleOf(callerRoleOf(role))).toEqual(role);
    }
  });
});
