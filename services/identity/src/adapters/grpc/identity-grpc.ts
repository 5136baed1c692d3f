import type { DomainError } from '@workshare/eventsourcing';
import {
  clientAddressOf,
  commandContextOf,
  DEFAULT_LOGIN_ATTEMPT_LIMITS,
  defineService,
  LoginAttemptLimiter,
  startServiceGrpc,
  type GrpcServer,
  type ServiceGrpcOptions,
  type ServiceRegistration,
} from '@workshare/grpc';
import { fileDescriptorProtos, identityV1 } from '@workshare/proto';
import type { IdentityService, LoginResult, OpenedText } from '../../application/identity-service.js';
import { IDENTITY_REQUEST_LIMITS } from '../../request-limits.js';
import {
  availabilityOf,
  businessMessage,
  callerMessage,
  memberMessage,
  memberSummaryMessage,
  regionMessage,
  registerBusinessInput,
  registerMemberInput,
  requestIdOf,
  requiredText,
  roleOf,
} from './messages.js';
import { IdentityTokenVerifier } from './token-verifier.js';

/** The methods callable without a token: the regions (public reference data), signing in, refreshing and out. */
export const PUBLIC_METHODS = ['listRegions', 'login', 'refresh', 'logout'] as const;

/** A wrong email or password (what counts as a failed sign-in attempt). */
const isWrongCredentials = (error: unknown): boolean =>
  (error as Partial<DomainError> | undefined)?.code === 'auth.invalid_credentials';

export interface IdentityGrpcOptions {
  /** Sign-in attempts per account and per client address (default: LoginAttemptLimiter's defaults, on the service's clock). */
  readonly loginLimiter?: LoginAttemptLimiter;
}

export { IDENTITY_REQUEST_LIMITS } from '../../request-limits.js';

/**
 * The identity service over gRPC (proto/workshare/identity/v1/identity.proto): the host checks
 * every request's text first (IDENTITY_REQUEST_LIMITS; NUL, invalid Unicode, timestamps), then
 * each RPC checks the rest at the edge (see messages.ts), calls the facade with the call's
 * context (commandContextOf: the verified caller as the actor, the request id, the token, the
 * trace), and maps the answer back. Errors are the facade's DomainErrors, mapped to status codes
 * by the host (DESIGN §2). Logs carry ids, never personal data.
 */
export const identityGrpcService = (
  service: IdentityService,
  options: IdentityGrpcOptions = {},
): ServiceRegistration => {
  const loginLimiter =
    options.loginLimiter ?? new LoginAttemptLimiter(DEFAULT_LOGIN_ATTEMPT_LIMITS, { now: service.now });
  return defineService(
    identityV1.IdentityServiceService,
    {
      listRegions: async () => ({ regions: service.listRegions().map(regionMessage) }),

      registerMember: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const input = registerMemberInput(request);
        const { memberId } = await service.registerMember(context, input);
        ctx.logger.info({ memberId, by: ctx.caller.subject }, 'member registered');
        return { memberId };
      },

      getMember: async (request, ctx) => {
        const memberId = requiredText(request.memberId, 'member_id');
        return { member: memberMessage(await service.getMember(commandContextOf(ctx), memberId)) };
      },

      listMembers: async (request, ctx) => {
        const region = requiredText(request.region, 'region');
        const members = await service.listMembers(commandContextOf(ctx), region);
        return { members: members.map(memberSummaryMessage) };
      },

      updateAvailability: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const memberId = requiredText(request.memberId, 'member_id');
        const availability = availabilityOf(request.availability);
        const { changed } = await service.updateAvailability(context, { memberId, availability });
        ctx.logger.info({ memberId, changed, by: ctx.caller.subject }, 'availability updated');
        return {};
      },

      forgetMember: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const memberId = requiredText(request.memberId, 'member_id');
        const reason = requiredText(request.reason, 'reason');
        await service.forgetMember(context, { memberId, reason });
        ctx.logger.info({ memberId, by: ctx.caller.subject }, 'member forgotten');
        return {};
      },

      registerUser: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const { userId } = await service.registerUser(context, {
          name: request.name,
          email: request.email,
          password: request.password,
        });
        ctx.logger.info({ userId, by: ctx.caller.subject }, 'user registered');
        return { userId };
      },

      grantRole: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const accountId = requiredText(request.userId, 'user_id');
        const role = roleOf(request.role);
        const reason = requiredText(request.reason, 'reason');
        await service.grantRole(context, { accountId, role, reason });
        ctx.logger.info({ accountId, role: role.kind, by: ctx.caller.subject }, 'role granted');
        return {};
      },

      revokeRole: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const accountId = requiredText(request.userId, 'user_id');
        const role = roleOf(request.role);
        const reason = requiredText(request.reason, 'reason');
        await service.revokeRole(context, { accountId, role, reason });
        ctx.logger.info({ accountId, role: role.kind, by: ctx.caller.subject }, 'role revoked');
        return {};
      },

      registerBusiness: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const input = registerBusinessInput(request);
        const { businessId } = await service.registerBusiness(context, input);
        ctx.logger.info({ businessId, by: ctx.caller.subject }, 'business registered');
        return { businessId };
      },

      getBusiness: async (request, ctx) => {
        const businessId = requiredText(request.businessId, 'business_id');
        return { business: businessMessage(await service.getBusiness(commandContextOf(ctx), businessId)) };
      },

      listBusinesses: async (request, ctx) => {
        const region = request.region.trim() === '' ? undefined : request.region;
        const businesses = await service.listBusinesses(commandContextOf(ctx), region);
        return { businesses: businesses.map(businessMessage) };
      },

      login: async (request, ctx) => {
        // Limited per account and per address (the gateway sends its client's), before any password is checked.
        const attempt = { email: request.email, address: clientAddressOf(ctx) };
        const signedIn = await loginLimiter.attempt(
          attempt,
          () => service.login(request.email, request.password),
          isWrongCredentials,
        );
        return signedInMessage(signedIn);
      },

      refresh: async (request) => {
        const refreshToken = requiredText(request.refreshToken, 'refresh_token');
        return signedInMessage(await service.refresh(refreshToken));
      },

      logout: async (request, ctx) => {
        const { sessionId, accountId } = await service.logout({
          refreshToken: request.refreshToken,
          accessToken: request.accessToken,
        });
        ctx.logger.info({ sessionId, accountId }, 'signed out');
        return {};
      },

      sealTexts: async (request, ctx) => {
        const ownerId = requiredText(request.ownerId, 'owner_id');
        const sealed = await service.sealTexts(commandContextOf(ctx), { ownerId, texts: request.texts });
        return { sealed };
      },

      openTexts: async (request, ctx) => {
        const opened = await service.openTexts(
          commandContextOf(ctx),
          request.texts.map((t) => ({ ownerId: t.ownerId, sealed: t.sealed })),
        );
        return { texts: opened.map(openedTextMessage) };
      },

      verifyToken: async (request) => {
        const token = requiredText(request.token, 'token');
        const { caller, expiresAt, sessionId, tokenId } = await service.inspectToken(token);
        return { caller: callerMessage(caller), expiresAt, sessionId: sessionId ?? '', tokenId: tokenId ?? '' };
      },
    },
    { publicMethods: PUBLIC_METHODS, limits: IDENTITY_REQUEST_LIMITS },
  );
};

const OPENED_TEXT_STATUS = {
  readable: identityV1.OpenedTextStatus.OPENED_TEXT_STATUS_READABLE,
  redacted: identityV1.OpenedTextStatus.OPENED_TEXT_STATUS_REDACTED,
  withheld: identityV1.OpenedTextStatus.OPENED_TEXT_STATUS_WITHHELD,
  unreadable: identityV1.OpenedTextStatus.OPENED_TEXT_STATUS_UNREADABLE,
} as const;

const openedTextMessage = (opened: OpenedText) => ({
  status: OPENED_TEXT_STATUS[opened.status],
  text: opened.status === 'readable' ? opened.text : '',
});

/** A sign-in's answer on the wire (Login and Refresh alike). */
const signedInMessage = (signedIn: LoginResult) => ({
  accessToken: signedIn.token,
  expiresAt: signedIn.expiresAt,
  caller: callerMessage(signedIn.caller),
  refreshToken: signedIn.refreshToken,
  refreshExpiresAt: signedIn.refreshExpiresAt,
});

/** As every service's: identity checks its callers' tokens itself (it signs them), so no verifier is given. */
export type StartIdentityGrpcOptions = Omit<ServiceGrpcOptions<IdentityService>, 'verifier'> & IdentityGrpcOptions;

/**
 * Starts the identity gRPC server: the IdentityService RPCs, grpc.health.v1 and server
 * reflection. `shutdown(graceMs)` drains the calls in flight (see @workshare/grpc).
 */
export const startIdentityGrpc = (options: StartIdentityGrpcOptions): Promise<GrpcServer> =>
  startServiceGrpc(
    'identity',
    (service) => identityGrpcService(service, options.loginLimiter ? { loginLimiter: options.loginLimiter } : {}),
    fileDescriptorProtos,
    { ...options, verifier: new IdentityTokenVerifier(options.service) },
  );
