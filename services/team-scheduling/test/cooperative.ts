/**
 * The test cooperative (a real identity with real tokens, from @workshare/identity) as this
 * service's facade sees its people: each actor's Caller, as identity's VerifyToken gives it.
 */
import { IdentityTokenVerifierClient } from '@workshare/grpc';
import type { TestActor, TestCooperative } from '@workshare/identity';
import type { Caller, RequestContext } from '../src/application/caller.js';
import { randomUUID } from 'node:crypto';

export type Person = 'operator' | 'accountant' | 'coordinator' | 'setagayaCoordinator' | 'business' | 'otherBusiness' | 'setagayaBusiness' | 'member';
export const PEOPLE: readonly Person[] = ['operator', 'accountant', 'coordinator', 'setagayaCoordinator', 'business', 'otherBusiness', 'setagayaBusiness', 'member'];

export interface Cast {
  readonly callers: Readonly<Record<Person, Caller>>;
  readonly actors: Readonly<Record<Person, TestActor>>;
  /** A fresh request of this person: a new request id. */
  request(person: Person, requestId?: string): RequestContext;
}

export const castOf = async (coop: TestCooperative): Promise<Cast> => {
  const verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
  try {
    const actors = Object.fromEntries(PEOPLE.map((p) => [p, coop[p]])) as Record<Person, TestActor>;
    const callers = Object.fromEntries(await Promise.all(PEOPLE.map(async (p) => [p, await verifier.verify(actors[p].token)] as const))) as Record<Person, Caller>;
    return { callers, actors, request: (_person, requestId = randomUUID()) => ({ requestId }) };
  } finally {
    verifier.close();
  }
};

