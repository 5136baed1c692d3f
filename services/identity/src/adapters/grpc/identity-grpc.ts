import {
  defineService,
  REQUEST_ID_LIMIT,
  startGrpcServer,
  type AuthenticatedCallContext,
  type GrpcServer,
  type Logger,
  type ServiceRegistration,
} from '@workshare/grpc';
import { fileDescriptorProtos, identityV1 } from '@workshare/proto';
import type { RequestContext } from '../../application/caller.js';
import type { IdentityService } from '../../application/identity-service.js';
import { MAX_REASON_LENGTH, MAX_SKILL_LENGTH } from '../../domain/account.js';
import { MAX_BUSINESS_ADDRESS, MAX_BUSINESS_NAME } from '../../domain/business.js';
import { LIMITS } from '../../domain/personal-data.js';
import { MAX_TOKEN_LENGTH } from '../jwt-tokens.js';
import {
  availabilityOf,
  businessMessage,
  callerMessage,
  memberMessage,
  regionMessage,
  registerBusinessInput,
  registerMemberInput,
  requestIdOf,
  requiredText,
  roleOf,
} from './messages.js';
import { IdentityTokenVerifier } from './token-verifier.js';

/** The methods callable without a token: the regions (public reference data) and signing in. */
export const PUBLIC_METHODS = ['listRegions', 'login'] as const;

/**
 * The longest each text field of a request may be, from the domain's limits, with the domain's
 * code: the host refuses a longer value before the handler runs (lengths in characters, as
 * sent; the domain checks again after normalising). Every other string field is an id, a slug,
 * a code or a time of day, at most ID_MAX_LENGTH (128) characters.
 */
const NAME = { maxLength: LIMITS.name, code: 'personal_data.name_too_long' };
const ADDRESS = { maxLength: LIMITS.address, code: 'personal_data.address_too_long' };
const EMAIL = { maxLength: LIMITS.email, code: 'personal_data.invalid_email' };
const PASSWORD = { maxLength: LIMITS.passwordMax, code: 'password.too_long' };
const HOLDER = { maxLength: LIMITS.name, code: 'bank_account.invalid_holder' };
const SKILL = { maxLength: MAX_SKILL_LENGTH, code: 'member.invalid_skill' };
const ROLE_REASON = { maxLength: MAX_REASON_LENGTH, code: 'role.reason_required' };
const FORGET_REASON = { maxLength: MAX_REASON_LENGTH, code: 'account.reason_required' };
const TOKEN = { maxLength: MAX_TOKEN_LENGTH, code: 'auth.invalid_token' };

export const IDENTITY_REQUEST_LIMITS = {
  fields: {
    registerMember: {
      requestId: REQUEST_ID_LIMIT,
      'skills[]': SKILL,
      'personalData.name': NAME,
      'personalData.address': ADDRESS,
      'personalData.email': EMAIL,
      'personalData.bankAccount.holderNameKana': HOLDER,
      password: PASSWORD,
    },
    updateAvailability: { requestId: REQUEST_ID_LIMIT },
    forgetMember: { requestId: REQUEST_ID_LIMIT, reason: FORGET_REASON },
    registerUser: { requestId: REQUEST_ID_LIMIT, name: NAME, email: EMAIL, password: PASSWORD },
    grantRole: { requestId: REQUEST_ID_LIMIT, reason: ROLE_REASON },
    revokeRole: { requestId: REQUEST_ID_LIMIT, reason: ROLE_REASON },
    registerBusiness: {
      requestId: REQUEST_ID_LIMIT,
      name: { maxLength: MAX_BUSINESS_NAME, code: 'business.name_too_long' },
      address: { maxLength: MAX_BUSINESS_ADDRESS, code: 'business.address_too_long' },
    },
    login: { email: EMAIL, password: PASSWORD },
    verifyToken: { token: TOKEN },
  },
} as const;

/** What a command passes to the facade: its request id (idempotency) and the call's trace. */
const commandContext = (requestId: string, ctx: AuthenticatedCallContext): RequestContext => ({
  commandId: requestId,
  ...(ctx.traceparent !== undefined ? { traceparent: ctx.traceparent } : {}),
});

/**
 * The identity service over gRPC (proto/workshare/identity/v1/identity.proto): the host checks
 * every request's text first (IDENTITY_REQUEST_LIMITS; NUL, invalid Unicode, timestamps), then
 * each RPC checks the rest at the edge (see messages.ts), calls the facade as the verified caller,
 * and maps the answer back. Errors are the facade's DomainErrors, mapped to status codes by
 * the host (DESIGN §2). Logs carry ids, never personal data.
 */
export const identityGrpcService = (service: IdentityService, verifier: IdentityTokenVerifier): ServiceRegistration => {
  const as = (ctx: AuthenticatedCallContext) => verifier.callerOf(ctx.caller);
  return defineService(
    identityV1.IdentityServiceService,
    {
      listRegions: async () => ({ regions: service.listRegions().map(regionMessage) }),

      registerMember: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const input = registerMemberInput(request);
        const { memberId } = await service.registerMember(as(ctx), input, commandContext(requestId, ctx));
        ctx.logger.info({ memberId, by: ctx.caller.subject }, 'member registered');
        return { memberId };
      },

      getMember: async (request, ctx) => {
        const memberId = requiredText(request.memberId, 'member_id');
        return { member: memberMessage(await service.getMember(as(ctx), memberId)) };
      },

      updateAvailability: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const memberId = requiredText(request.memberId, 'member_id');
        const availability = availabilityOf(request.availability);
        const { changed } = await service.updateAvailability(
          as(ctx),
          memberId,
          availability,
          commandContext(requestId, ctx),
        );
        ctx.logger.info({ memberId, changed, by: ctx.caller.subject }, 'availability updated');
        return {};
      },

      forgetMember: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const memberId = requiredText(request.memberId, 'member_id');
        const reason = requiredText(request.reason, 'reason');
        await service.forgetMember(as(ctx), memberId, reason, commandContext(requestId, ctx));
        ctx.logger.info({ memberId, by: ctx.caller.subject }, 'member forgotten');
        return {};
      },

      registerUser: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const { userId } = await service.registerUser(
          as(ctx),
          { name: request.name, email: request.email, password: request.password },
          commandContext(requestId, ctx),
        );
        ctx.logger.info({ userId, by: ctx.caller.subject }, 'user registered');
        return { userId };
      },

      grantRole: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const accountId = requiredText(request.userId, 'user_id');
        const role = roleOf(request.role);
        const reason = requiredText(request.reason, 'reason');
        await service.grantRole(as(ctx), accountId, role, reason, commandContext(requestId, ctx));
        ctx.logger.info({ accountId, role: role.kind, by: ctx.caller.subject }, 'role granted');
        return {};
      },

      revokeRole: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const accountId = requiredText(request.userId, 'user_id');
        const role = roleOf(request.role);
        const reason = requiredText(request.reason, 'reason');
        await service.revokeRole(as(ctx), accountId, role, reason, commandContext(requestId, ctx));
        ctx.logger.info({ accountId, role: role.kind, by: ctx.caller.subject }, 'role revoked');
        return {};
      },

      registerBusiness: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const input = registerBusinessInput(request);
        const { businessId } = await service.registerBusiness(as(ctx), input, commandContext(requestId, ctx));
        ctx.logger.info({ businessId, by: ctx.caller.subject }, 'business registered');
        return { businessId };
      },

      getBusiness: async (request, ctx) => {
        const businessId = requiredText(request.businessId, 'business_id');
        return { business: businessMessage(await service.getBusiness(as(ctx), businessId)) };
      },

      login: async (request) => {
        const { token, expiresAt, caller } = await service.login(request.email, request.password);
        return { accessToken: token, expiresAt, caller: callerMessage(caller) };
      },

      verifyToken: async (request) => {
        const token = requiredText(request.token, 'token');
        const { caller, expiresAt } = await service.inspectToken(token);
        return { caller: callerMessage(caller), expiresAt };
      },
    },
    { publicMethods: PUBLIC_METHODS, limits: IDENTITY_REQUEST_LIMITS },
  );
};

export interface StartIdentityGrpcOptions {
  readonly service: IdentityService;
  /** 0 takes any free port (see the answer's `port`). */
  readonly port: number;
  /** `0.0.0.0` (default: a pod) or `127.0.0.1` (the one-process launcher). */
  readonly host?: string;
  /** Default: the host's own JSON lines on stderr, warnings and up. */
  readonly logger?: Logger;
  /** On shutdown, how long health answers NOT_SERVING before calls stop being taken (default 0). */
  readonly drainDelayMs?: number;
}

/**
 * Starts the identity gRPC server: the IdentityService RPCs, grpc.health.v1 and server
 * reflection. `shutdown(graceMs)` drains the calls in flight (see @workshare/grpc).
 */
export const startIdentityGrpc = (options: StartIdentityGrpcOptions): Promise<GrpcServer> => {
  const verifier = new IdentityTokenVerifier(options.service);
  return startGrpcServer({
    name: 'identity',
    port: options.port,
    host: options.host ?? '0.0.0.0',
    services: [identityGrpcService(options.service, verifier)],
    verifier,
    descriptors: fileDescriptorProtos,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.drainDelayMs !== undefined ? { drainDelayMs: options.drainDelayMs } : {}),
  });
};
