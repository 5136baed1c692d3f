import { DomainError, type ErrorKind } from '@workshare/eventsourcing';
import { identityV1 } from '@workshare/proto';
import {
  defineService,
  unauthenticated,
  type CallContext,
  type Caller,
  type ServiceClient,
  type TokenVerifier,
} from '../../src/index.js';

// A test implementation of the identity contract whose GetMember does what its member id
// says, to drive the host through every path: `throw:<kind>`, `crash`, `slow:<ms>`,
// `whoami`, `downstream:<id>`. It is not the identity service (services/identity is).

export type IdentityDefinition = typeof identityV1.IdentityServiceService;

export const TOKENS: Readonly<Record<string, Caller>> = {
  'token-hanako': { subject: 'hanako', roles: [{ role: 'member' }] },
  'token-yuki': { subject: 'yuki', roles: [{ role: 'coordinator', region: 'fujisato' }, { role: 'member' }] },
};

/** Knows the tokens of TOKENS; refuses any other as a real verifier would. */
export const testVerifier = (verified: string[] = []): TokenVerifier => ({
  verify: async (token) => {
    verified.push(token);
    const caller = TOKENS[token];
    if (caller === undefined) throw unauthenticated('auth.token_invalid', 'the token is not valid');
    return caller;
  },
});

export const KINDS: readonly ErrorKind[] = [
  'invalid',
  'rule',
  'conflict',
  'not_found',
  'forbidden',
  'unauthenticated',
  'exhausted',
];

export interface Probe {
  calls: Record<string, number>;
  contexts: CallContext[];
  /** Member ids of slow calls whose signal was aborted, and of those that ran to the end. */
  aborted: string[];
  completed: string[];
}

export const newProbe = (): Probe => ({ calls: {}, contexts: [], aborted: [], completed: [] });

const member = (memberId: string, extra: Partial<identityV1.Member> = {}): identityV1.Member =>
  identityV1.Member.fromPartial({
    memberId,
    region: 'fujisato',
    town: 'fujikoto',
    officePrefecture: 'JP-05',
    contractType: identityV1.ContractType.CONTRACT_TYPE_CONTRACTOR,
    skills: ['transcription'],
    status: identityV1.MemberStatus.MEMBER_STATUS_ACTIVE,
    personalDataStatus: identityV1.PersonalDataStatus.PERSONAL_DATA_STATUS_WITHHELD,
    ...extra,
  });

const waitFor = (ms: number, signal: AbortSignal): Promise<boolean> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => resolve(true), ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });

const notUsedHere = async (): Promise<never> => {
  throw new DomainError('test.not_used', 'this method is not used by the host tests', 'rule');
};

export const testIdentityService = (
  probe: Probe,
  downstream: () => ServiceClient<IdentityDefinition> | undefined = () => undefined,
) =>
  defineService(
    identityV1.IdentityServiceService,
    {
      listRegions: async (_request, ctx) => {
        probe.calls.listRegions = (probe.calls.listRegions ?? 0) + 1;
        probe.contexts.push(ctx);
        return {
          regions: [{ region: 'fujisato', name: ctx.caller?.subject ?? 'anonymous', prefecture: 'JP-05', towns: [] }],
        };
      },
      login: async (request) => ({
        accessToken: `token-${request.email}`,
        caller: undefined,
        expiresAt: undefined,
        refreshToken: '',
        refreshExpiresAt: undefined,
      }),
      getMember: async ({ memberId }, ctx) => {
        probe.calls.getMember = (probe.calls.getMember ?? 0) + 1;
        probe.contexts.push(ctx);
        const [verb, argument = ''] = memberId.split(':', 2);
        switch (verb) {
          case 'throw': {
            const kind = argument as ErrorKind;
            throw new DomainError(`test.${kind}`, `a ${kind} error for 藤里`, kind, {
              memberId,
              town: '藤琴',
              limit: 7,
            });
          }
          case 'crash':
            throw new Error('secret: 藤里 花子, 秋田県山本郡藤里町');
          case 'slow': {
            const finished = await waitFor(Number(argument), ctx.signal);
            (finished ? probe.completed : probe.aborted).push(memberId);
            return { member: member(memberId) };
          }
          case 'whoami':
            return {
              member: member(ctx.caller.subject, {
                skills: ctx.caller.roles.map((r) => (r.region ? `${r.role}@${r.region}` : r.role)),
                town: ctx.traceparent ?? '',
                registeredAt: ctx.deadline,
              }),
            };
          case 'downstream': {
            const client = downstream();
            if (client === undefined) throw new Error('no downstream client');
            return client.getMember({ memberId: argument }, ctx.downstream);
          }
          default:
            return { member: member(memberId) };
        }
      },
      registerMember: notUsedHere,
      listMembers: notUsedHere,
      listBusinesses: notUsedHere,
      updateAvailability: notUsedHere,
      forgetMember: notUsedHere,
      registerUser: notUsedHere,
      grantRole: notUsedHere,
      revokeRole: notUsedHere,
      registerBusiness: notUsedHere,
      getBusiness: notUsedHere,
      verifyToken: notUsedHere,
      refresh: notUsedHere,
      logout: notUsedHere,
      sealTexts: notUsedHere,
      openTexts: notUsedHere,
    },
    { publicMethods: ['listRegions', 'login'] },
  );
