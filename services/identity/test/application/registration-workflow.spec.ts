/**
 * The registration workflow's compensation: when a step after the email's reservation fails
 * (the data key cannot be kept, the account cannot be appended), what the attempt did is undone
 * through decided commands (the email released, the key destroyed), so that no email is left
 * held by nobody and a later registration of the same email goes through. A retry of the same
 * request answers the first outcome.
 */
import type { EventStore } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { InMemoryKeyVault } from '../../src/adapters/in-memory-key-vault.js';
import { MasterKey } from '../../src/adapters/master-key.js';
import { commandKey, idForCommand } from '../../src/application/command-ids.js';
import type { IdentityService } from '../../src/application/identity-service.js';
import type { TokenSubject } from '../../src/application/ports.js';
import { openIdentityService, type IdentityRuntime } from '../../src/open-identity.js';
import { as } from '../support/context.js';
import { memberInput } from './identity-service.suite.js';

const PASSWORD = 'correct horse battery staple';

describe('the registration workflow', () => {
  let store: EventStore;
  let runtime: IdentityRuntime;
  let service: IdentityService;
  let operator: TokenSubject;
  const vault = new InMemoryKeyVault();
  /** Appends to account streams fail while this is set (the store goes away between two steps). */
  let failAccountAppends = false;
  let failKeys = false;

  beforeAll(async () => {
    store = await openEventStore('embedded:memory');
    const flaky = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'append')
          return (stream: string, ...rest: unknown[]) => {
            if (failAccountAppends && /^(member|user)-/.test(stream))
              return Promise.reject(new Error('the store went away'));
            return (target.append as (...args: unknown[]) => unknown)(stream, ...rest);
          };
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const keys = new Proxy(vault, {
      get(target, property, receiver) {
        if (property === 'storeKey' && failKeys) return () => Promise.reject(new Error('the key vault went away'));
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    runtime = await openIdentityService({
      env: { IDENTITY_MASTER_KEY: MasterKey.generate().toBase64() },
      storeUrl: 'embedded:memory',
      store: flaky,
      keyVault: keys,
      scryptCost: { N: 1024, r: 8, p: 1 },
    });
    service = runtime.service;
    await service.bootstrapOperator({ name: '北村 彩', email: 'aya@workflow.example', password: PASSWORD });
    operator = (await service.login('aya@workflow.example', PASSWORD)).caller;
  });
  afterAll(async () => {
    await runtime.close();
    await store.close();
  });

  /** The email reservation events of the member a request of the operator registers (her stream is their owner). */
  const reservationOf = async (requestId: string): Promise<string[]> => {
    const owner = `member-${idForCommand('member', commandKey(operator.id, requestId))}`;
    const types: string[] = [];
    for await (const e of store.streamAll())
      if (e.streamName.startsWith('accountEmail-') && e.data.owner === owner) types.push(e.type);
    return types;
  };

  it('releases the email when the account cannot be appended, and destroys the key it kept', async () => {
    const input = memberInput();
    const keys = vault.size;
    failAccountAppends = true;
    try {
      await expect(service.registerMember(as(operator, { requestId: 'append-fails' }), input)).rejects.toThrow(
        'the store went away',
      );
    } finally {
      failAccountAppends = false;
    }
    expect(await reservationOf('append-fails')).toEqual(['ReservationMade', 'ReservationReleased']);
    // The key kept for the account was destroyed (a tombstone): no readable key is left behind.
    expect(vault.size).toBe(keys + 1);
    // The email is free: a new request registers her.
    const { memberId } = await service.registerMember(as(operator, { requestId: 'append-works' }), input);
    await expect(service.login(input.email, input.password)).resolves.toMatchObject({ caller: { id: memberId } });
  });

  it('releases the email when the data key cannot be kept, and appends nothing', async () => {
    const input = memberInput();
    failKeys = true;
    try {
      await expect(service.registerMember(as(operator, { requestId: 'key-fails' }), input)).rejects.toThrow(
        'the key vault went away',
      );
    } finally {
      failKeys = false;
    }
    expect(await reservationOf('key-fails')).toEqual(['ReservationMade', 'ReservationReleased']);
    // The same request again goes through now: nothing of the first attempt is in its way.
    const { memberId } = await service.registerMember(as(operator, { requestId: 'key-fails' }), input);
    await expect(service.getMember(as(operator), memberId)).resolves.toMatchObject({
      personalData: { status: 'readable', email: input.email },
    });
    // And a retry answers the registration it made.
    const head = await store.headPosition();
    await expect(service.registerMember(as(operator, { requestId: 'key-fails' }), input)).resolves.toEqual({
      memberId,
    });
    expect(await store.headPosition()).toEqual(head);
  });
});
