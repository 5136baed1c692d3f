import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import {
  callerHasRole,
  DomainError,
  ValidationError,
  WrongExpectedVersionError,
  type ErrorKind,
} from '@workshare/eventsourcing';
import { identityV1 } from '@workshare/proto';
import {
  bearerToken,
  DeadlineExceededError,
  defineService,
  ERROR_CODE_KEY,
  ERROR_DETAILS_KEY,
  fromServiceError,
  INTERNAL_MESSAGE,
  jsonLogger,
  kindOfStatus,
  RpcError,
  serviceNameOf,
  splitMethodPath,
  statusOfKind,
  toServerError,
  UnavailableError,
  type Caller,
} from '../src/index.js';

const KINDS: readonly ErrorKind[] = [
  'invalid',
  'rule',
  'conflict',
  'not_found',
  'forbidden',
  'unauthenticated',
  'exhausted',
];
const METHOD = '/workshare.identity.v1.IdentityService/GetMember';

/** What a grpc-js client reports for the response a server made of `response`. */
const asReceived = (response: ReturnType<typeof toServerError>['response']): ServiceError =>
  Object.assign(new Error(response.details), {
    code: response.code ?? status.UNKNOWN,
    details: response.details ?? '',
    metadata: response.metadata ?? new Metadata(),
  });

describe('DomainError → status (server side)', () => {
  it.each([
    ['invalid', status.INVALID_ARGUMENT],
    ['rule', status.FAILED_PRECONDITION],
    ['conflict', status.ABORTED],
    ['not_found', status.NOT_FOUND],
    ['forbidden', status.PERMISSION_DENIED],
    ['unauthenticated', status.UNAUTHENTICATED],
    ['exhausted', status.RESOURCE_EXHAUSTED],
  ] as const)('%s → %s', (kind, code) => {
    expect(statusOfKind(kind)).toBe(code);
    expect(kindOfStatus(code)).toBe(kind);
    const { response, errorCode, unexpected } = toServerError(new DomainError(`x.${kind}`, 'why', kind, { n: 1 }));
    expect(response.code).toBe(code);
    expect(response.details).toBe('why');
    expect(response.metadata?.get(ERROR_CODE_KEY)).toEqual([`x.${kind}`]);
    expect(response.metadata?.get(ERROR_DETAILS_KEY)).toEqual(['{"n":1}']);
    expect(errorCode).toBe(`x.${kind}`);
    expect(unexpected).toBe(false);
  });

  it('maps a version conflict from the store to ABORTED with its details', () => {
    const { response } = toServerError(new WrongExpectedVersionError('member-1', '3', 4));
    expect(response.code).toBe(status.ABORTED);
    expect(response.metadata?.get(ERROR_CODE_KEY)).toEqual(['eventstore.wrong_expected_version']);
    expect(JSON.parse(response.metadata?.get(ERROR_DETAILS_KEY)[0] as string)).toEqual({
      stream: 'member-1',
      expected: '3',
      actual: 4,
    });
  });

  it('escapes details to printable ASCII JSON that parses back to the same value', () => {
    const details = { name: '藤里 花子', note: 'line\nbreak\u0001', emoji: '🌾' };
    const { response } = toServerError(new ValidationError('member.bad', 'bad', details));
    const json = response.metadata?.get(ERROR_DETAILS_KEY)[0] as string;
    expect(json).toMatch(/^[\x20-\x7e]+$/);
    expect(JSON.parse(json)).toEqual(details);
  });

  it('sends no details header for empty details, and replaces oversized or unserializable ones', () => {
    expect(toServerError(new DomainError('a.b', 'm', 'rule')).response.metadata?.get(ERROR_DETAILS_KEY)).toEqual([]);
    const big = toServerError(new DomainError('a.b', 'm', 'rule', { blob: 'x'.repeat(10_000) }));
    expect(big.response.metadata?.get(ERROR_DETAILS_KEY)).toEqual(['{"truncated":true}']);
    const odd = toServerError(new DomainError('a.b', 'm', 'rule', { amount: 10n }));
    expect(odd.response.metadata?.get(ERROR_DETAILS_KEY)).toEqual(['{"unserializable":true}']);
  });

  it('keeps an error code legal as a header value', () => {
    expect(
      toServerError(new DomainError('bad code\u00e9', 'm', 'rule')).response.metadata?.get(ERROR_CODE_KEY),
    ).toEqual(['bad_code_']);
  });

  it('answers anything else as INTERNAL with a fixed message, and flags it for the logs', () => {
    for (const thrown of [new Error('password=hunter2'), 'a string', { code: 5 }, undefined]) {
      const { response, unexpected, errorCode } = toServerError(thrown);
      expect(response).toMatchObject({ code: status.INTERNAL, details: INTERNAL_MESSAGE });
      expect(response.metadata).toBeUndefined();
      expect(unexpected).toBe(true);
      expect(errorCode).toBeUndefined();
    }
  });

  it('keeps a deadline that ran out downstream as DEADLINE_EXCEEDED', () => {
    const { response, unexpected } = toServerError(
      new DeadlineExceededError(status.DEADLINE_EXCEEDED, 'late', '/a.B/C'),
    );
    expect(response.code).toBe(status.DEADLINE_EXCEEDED);
    expect(unexpected).toBe(false);
  });
});

describe('status → DomainError (client side)', () => {
  it.each(KINDS)('a %s error makes the round trip with its code, kind, message and details', (kind) => {
    const sent = new DomainError(`x.${kind}`, `message of ${kind}`, kind, { memberId: 'm-1', town: '藤琴' });
    const received = fromServiceError(asReceived(toServerError(sent).response), METHOD);
    expect(received).toBeInstanceOf(DomainError);
    expect(received).toMatchObject({ code: sent.code, kind, message: sent.message, details: sent.details });
  });

  it('makes an RpcError of a status without x-error-code, with typed classes for deadline and unavailability', () => {
    const plain = (code: status, metadata = new Metadata()): ServiceError =>
      Object.assign(new Error('x'), { code, details: 'detail', metadata });
    expect(fromServiceError(plain(status.DEADLINE_EXCEEDED), METHOD)).toBeInstanceOf(DeadlineExceededError);
    expect(fromServiceError(plain(status.UNAVAILABLE), METHOD)).toBeInstanceOf(UnavailableError);
    const internal = fromServiceError(plain(status.INTERNAL), METHOD);
    expect(internal).toBeInstanceOf(RpcError);
    expect(internal).toMatchObject({
      status: status.INTERNAL,
      statusName: 'INTERNAL',
      method: METHOD,
      message: `${METHOD}: INTERNAL: detail`,
    });
    // A code on a status that no kind maps to is not a DomainError.
    const odd = new Metadata();
    odd.set(ERROR_CODE_KEY, 'x.y');
    expect(fromServiceError(plain(status.INTERNAL, odd), METHOD)).toBeInstanceOf(RpcError);
  });

  it('tolerates details that are not a JSON object', () => {
    for (const raw of ['not json', '[1,2]', '"text"', 'null']) {
      const metadata = new Metadata();
      metadata.set(ERROR_CODE_KEY, 'x.y');
      metadata.set(ERROR_DETAILS_KEY, raw);
      const error = fromServiceError(
        Object.assign(new Error('x'), { code: status.NOT_FOUND, details: 'gone', metadata }),
        METHOD,
      );
      expect(error).toMatchObject({ code: 'x.y', kind: 'not_found', details: {} });
    }
  });
});

describe('bearer tokens and roles', () => {
  const metadataWith = (value?: string): Metadata => {
    const metadata = new Metadata();
    if (value !== undefined) metadata.set('authorization', value);
    return metadata;
  };

  it('reads the token of "Bearer <token>", whatever the case of the scheme', () => {
    expect(bearerToken(metadataWith('Bearer abc.def.ghi'))).toBe('abc.def.ghi');
    expect(bearerToken(metadataWith('bearer   abc'))).toBe('abc');
    expect(bearerToken(metadataWith())).toBeUndefined();
  });

  it.each(['Basic abc', 'Bearer', 'Bearer ', 'Bearer a b', 'abc'])(
    'refuses the header "%s" as unauthenticated',
    (value) => {
      expect(() => bearerToken(metadataWith(value))).toThrow(
        expect.objectContaining({ code: 'auth.malformed_authorization', kind: 'unauthenticated' }),
      );
    },
  );

  it('scopes a coordinator to her region and a business user to her business', () => {
    const yuki: Caller = { subject: 'yuki', roles: [{ role: 'coordinator', region: 'fujisato' }, { role: 'member' }] };
    const shop: Caller = { subject: 'kato', roles: [{ role: 'business', businessId: 'b-1' }] };
    expect(callerHasRole(yuki, 'coordinator')).toBe(true);
    expect(callerHasRole(yuki, 'coordinator', { region: 'fujisato' })).toBe(true);
    expect(callerHasRole(yuki, 'coordinator', { region: 'setagaya' })).toBe(false);
    expect(callerHasRole(yuki, 'accountant')).toBe(false);
    expect(callerHasRole(shop, 'business', { businessId: 'b-1' })).toBe(true);
    expect(callerHasRole(shop, 'business', { businessId: 'b-2' })).toBe(false);
    expect(callerHasRole(undefined, 'member')).toBe(false);
  });
});

describe('service definitions', () => {
  it('names the service and method of a path', () => {
    expect(splitMethodPath(METHOD)).toEqual({ service: 'workshare.identity.v1.IdentityService', method: 'GetMember' });
    expect(serviceNameOf(identityV1.IdentityServiceService)).toBe('workshare.identity.v1.IdentityService');
  });

  it('types a public method context with a caller that may be missing, any other with a caller', () => {
    const registration = defineService(
      identityV1.IdentityServiceService,
      {
        listRegions: async (_request, ctx) => {
          // @ts-expect-error: a public method may be called without a token.
          const subject: string = ctx.caller.subject;
          return { regions: [{ region: subject, name: '', prefecture: '', towns: [] }] };
        },
        getMember: async (request, ctx) => ({
          member: identityV1.Member.fromPartial({ memberId: `${request.memberId}:${ctx.caller.subject}` }),
        }),
        login: async () => ({
          accessToken: '',
          expiresAt: undefined,
          caller: undefined,
          refreshToken: '',
          refreshExpiresAt: undefined,
        }),
        refresh: async () => ({
          accessToken: '',
          expiresAt: undefined,
          caller: undefined,
          refreshToken: '',
          refreshExpiresAt: undefined,
        }),
        logout: async () => ({}),
        registerMember: async () => ({ memberId: '' }),
        updateAvailability: async () => ({}),
        forgetMember: async () => ({}),
        registerUser: async () => ({ userId: '' }),
        grantRole: async () => ({}),
        revokeRole: async () => ({}),
        registerBusiness: async () => ({ businessId: '' }),
        getBusiness: async () => ({ business: undefined }),
        // @ts-expect-error: VerifyToken's handler must answer a VerifyTokenResponse, not a GetMemberResponse.
        verifyToken: async () => ({ member: undefined }),
      },
      { publicMethods: ['listRegions'] },
    );
    expect(registration.publicMethods).toEqual(['listRegions']);
    defineService(identityV1.IdentityServiceService, registration.implementation as never, {
      // @ts-expect-error: only methods of the service can be public.
      publicMethods: ['noSuchMethod'],
    });
  });
});

describe('the default logger', () => {
  it('writes JSON lines at its level and above, with its bindings', () => {
    const lines: string[] = [];
    const logger = jsonLogger('info', { service: 'identity' }, (line) => void lines.push(line));
    logger.debug({ a: 1 }, 'hidden');
    logger.child?.({ rpc: METHOD }).warn({ memberId: 'm-1' }, 'shown');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 'warn',
      service: 'identity',
      rpc: METHOD,
      memberId: 'm-1',
      msg: 'shown',
    });
  });
});
