import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DomainError } from '@workshare/eventsourcing';
import { CLIENT_ADDRESS_KEY, unauthenticated, type LoginAttemptLimiter } from '@workshare/grpc';
import type { identityV1 } from '@workshare/proto';
import { systemClock, type Clock } from '@workshare/time';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Access } from '../../application/access.js';
import { requireSubmitter } from '../../application/access.js';
import { callSettings, type Upstreams } from '../grpc/upstreams.js';
import { HttpProblem } from './problem.js';
import { BEARER, BEARER_TOKEN, callerOf, commandIdOf, readPageSize, refuseBody, settingsOf } from './requests.js';
import { registerAuditRoutes } from './audit-routes.js';
import { registerPeopleRoutes } from './people-routes.js';
import { registerScheduleRoutes } from './schedule-routes.js';
import { registerSettlementRoutes } from './settlement-routes.js';
import { registerTimeRoutes } from './time-routes.js';
import {
  acceptAnswer,
  confirmPlanBody,
  deliverBody,
  healthAnswer,
  idempotencyHeaders,
  inspectionBody,
  jobIdParams,
  jobListAnswer,
  listJobsQuery,
  loginAnswer,
  loginBody,
  logoutBody,
  NO_CONTENT,
  quoteBody,
  readyAnswer,
  reasonBody,
  refreshBody,
  regionsAnswer,
  responses,
  revisePlanBody,
  submitJobAnswer,
  submitJobBody,
} from './schemas.js';
import { tokyoTime } from './time.js';
import {
  callerView,
  jobListView,
  jobView,
  listJobsRequest,
  loginCallerView,
  orderTermsView,
  quoteJobRequest,
  regionsView,
  requirePlan,
  revisePlanRequest,
  submitJobRequest,
} from './views.js';

const JOB_READERS: Access = ['business', 'coordinator', 'accountant', 'operator'];

/** Every route of the public API; the hooks of app.ts authenticate, authorise and rate-limit them first. */
/** A wrong email or password (what counts as a failed sign-in attempt). */
const isWrongCredentials = (error: unknown): boolean =>
  error instanceof DomainError && error.code === 'auth.invalid_credentials';

/** Login's and Refresh's answer, as the API gives it. */
const signedInView = (answer: identityV1.LoginResponse | identityV1.RefreshResponse) => {
  if (answer.expiresAt === undefined || answer.refreshExpiresAt === undefined)
    throw new Error('identity answered a token without expiry');
  return {
    accessToken: answer.accessToken,
    expiresAt: tokyoTime(answer.expiresAt),
    caller: loginCallerView(answer.caller),
    refreshToken: answer.refreshToken,
    refreshExpiresAt: tokyoTime(answer.refreshExpiresAt),
  };
};

export interface RouteOptions {
  /** Sign-in attempts per account and per client address (the limit identity's Login has too). */
  readonly loginLimiter: LoginAttemptLimiter;
  /** The platform's clock, for the routes that read "now" (default systemClock). */
  readonly now?: Clock;
}

/** Every route of the public API; the hooks of app.ts authenticate, authorise and rate-limit them first. */
export const registerRoutes = (app: FastifyInstance, upstreams: Upstreams, options: RouteOptions): void => {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { identity, jobIntake, taskDecomposition } = upstreams;
  /** A public call to identity on behalf of the client, its address passed on (identity limits sign-ins per address too). */
  const clientSettings = (request: FastifyRequest) => {
    const call = callSettings(request.id, undefined);
    call.metadata?.set(CLIENT_ADDRESS_KEY, request.ip);
    return call;
  };

  // ---- auth ------------------------------------------------------------------------------------

  api.post(
    '/v1/auth/login',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'login',
        tags: ['auth'],
        summary: 'Sign in',
        description:
          'Exchanges an email and password for an access token (15 minutes) and a refresh token (from the identity service). Rate limited per client address; failed sign-ins are limited per account and per address: over the limit every sign-in is refused 429 `auth.too_many_attempts`, the right password too, until `Retry-After`.',
        security: [],
        body: loginBody,
        response: responses({ 200: loginAnswer }),
      },
    },
    async (request) => {
      const { email, password } = request.body;
      const answer = await options.loginLimiter.attempt(
        { email, address: request.ip },
        () => identity.login({ email, password }, clientSettings(request)),
        isWrongCredentials,
      );
      return signedInView(answer);
    },
  );

  api.post(
    '/v1/auth/refresh',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'refresh',
        tags: ['auth'],
        summary: 'New tokens for a refresh token',
        description:
          'Exchanges the refresh token of the last sign-in or refresh for a new access token and the next refresh token; the one sent is spent. A refresh token sent a second time ends its session (401 `auth.refresh_token_reused`): every token of it is refused from then on, in every service within a second. Expired (`auth.refresh_token_expired`), ended (`auth.session_revoked`) or unknown (`auth.invalid_refresh_token`): sign in again.',
        security: [],
        body: refreshBody,
        response: responses({ 200: loginAnswer }),
      },
    },
    async (request) =>
      signedInView(await identity.refresh({ refreshToken: request.body.refreshToken }, clientSettings(request))),
  );

  api.post(
    '/v1/auth/logout',
    {
      config: { access: 'public' },
      // No body at all (signing out with the Authorization header alone) is an empty one.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
      schema: {
        operationId: 'logout',
        tags: ['auth'],
        summary: 'Sign out',
        description:
          'Ends the session: its refresh token and every access token of it are refused from then on, by every service within a second. Send the refresh token in the body, or `Authorization: Bearer <accessToken>` of the session (an expired one will do). Signing out twice is no error.',
        security: [{}, { bearerAuth: [] }],
        body: logoutBody,
        response: responses({ ...NO_CONTENT }),
      },
    },
    async (request, reply) => {
      const header = request.headers.authorization;
      let accessToken = '';
      if (header !== undefined) {
        const token = BEARER_TOKEN.exec(header)?.[1];
        if (token === undefined)
          throw unauthenticated('auth.malformed_authorization', 'the Authorization header is not "Bearer <token>"');
        accessToken = token;
      }
      await identity.logout({ refreshToken: request.body.refreshToken ?? '', accessToken }, clientSettings(request));
      return reply.code(204).send();
    },
  );

  api.get(
    '/v1/regions',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listRegions',
        tags: ['auth'],
        summary: 'The regions served, with their towns',
        security: [],
        response: responses({ 200: regionsAnswer }),
      },
    },
    async (request) => regionsView(await identity.listRegions({}, settingsOf(request))),
  );

  api.get(
    '/v1/me',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'getMe',
        tags: ['auth'],
        summary: 'Who the token identifies',
        security: BEARER,
        response: responses({ 200: { $ref: 'Caller#' } }),
      },
    },
    async (request) => callerView(callerOf(request)),
  );

  // ---- jobs ------------------------------------------------------------------------------------

  api.post(
    '/v1/jobs',
    {
      config: { access: ['business', 'coordinator'] },
      schema: {
        operationId: 'submitJob',
        tags: ['jobs'],
        summary: 'Submit a job',
        description:
          'A business user (for a business she acts for) or a coordinator (in her region) brings a job. Answers 201 with its id and its Location.',
        security: BEARER,
        headers: idempotencyHeaders,
        body: submitJobBody,
        response: responses({ 201: submitJobAnswer }),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      requireSubmitter(caller, request.body.businessId, request.body.regionId);
      const { jobId } = await jobIntake.submitJob(
        submitJobRequest(commandIdOf(request), request.body),
        settingsOf(request),
      );
      return reply
        .code(201)
        .header('location', `/v1/jobs/${encodeURIComponent(jobId)}`)
        .send({ jobId });
    },
  );

  api.get(
    '/v1/jobs',
    {
      config: { access: JOB_READERS },
      preValidation: readPageSize,
      schema: {
        operationId: 'listJobs',
        tags: ['jobs'],
        summary: 'The jobs the caller may see',
        description:
          'A business: its own; a coordinator: her regions’; the accountant and operators: all. Newest first, optionally filtered.',
        security: BEARER,
        querystring: listJobsQuery,
        response: responses({ 200: jobListAnswer }),
      },
    },
    async (request) => jobListView(await jobIntake.listJobs(listJobsRequest(request.query), settingsOf(request))),
  );

  api.get(
    '/v1/jobs/:jobId',
    {
      config: { access: JOB_READERS },
      schema: {
        operationId: 'getJob',
        tags: ['jobs'],
        summary: 'One job',
        security: BEARER,
        params: jobIdParams,
        response: responses({ 200: { $ref: 'Job#' } }),
      },
    },
    async (request) => {
      const { job } = await jobIntake.getJob({ jobId: request.params.jobId }, settingsOf(request));
      if (job === undefined) throw new Error('job intake answered no job');
      return jobView(job);
    },
  );

  api.post(
    '/v1/jobs/:jobId/quote',
    {
      config: { access: ['coordinator'] },
      schema: {
        operationId: 'quoteJob',
        tags: ['jobs'],
        summary: 'Quote a job',
        description:
          'A coordinator of the job’s region quotes it (or quotes it again while the business has not answered).',
        security: BEARER,
        params: jobIdParams,
        headers: idempotencyHeaders,
        body: quoteBody,
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      await jobIntake.quoteJob(
        quoteJobRequest(commandIdOf(request), request.params.jobId, request.body),
        settingsOf(request),
      );
      return reply.code(204).send();
    },
  );

  api.post(
    '/v1/jobs/:jobId/accept',
    {
      config: { access: ['business'] },
      preValidation: refuseBody,
      schema: {
        operationId: 'acceptQuote',
        tags: ['jobs'],
        summary: 'Accept the quote',
        description:
          'The job’s business accepts the quote: the order terms are fixed (fee, delivery, inspection and payment dates). Takes no body.',
        security: BEARER,
        params: jobIdParams,
        headers: idempotencyHeaders,
        response: responses({ 200: acceptAnswer }),
      },
    },
    async (request) => {
      const { terms } = await jobIntake.acceptQuote(
        { requestId: commandIdOf(request), jobId: request.params.jobId },
        settingsOf(request),
      );
      if (terms === undefined) throw new Error('job intake answered no order terms');
      return { jobId: request.params.jobId, terms: orderTermsView(terms) };
    },
  );

  api.post(
    '/v1/jobs/:jobId/decline',
    {
      config: { access: ['business'] },
      schema: {
        operationId: 'declineQuote',
        tags: ['jobs'],
        summary: 'Decline the quote',
        security: BEARER,
        params: jobIdParams,
        headers: idempotencyHeaders,
        body: reasonBody('Why the quote is declined.'),
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      await jobIntake.declineQuote(
        { requestId: commandIdOf(request), jobId: request.params.jobId, reason: request.body.reason },
        settingsOf(request),
      );
      return reply.code(204).send();
    },
  );

  api.post(
    '/v1/jobs/:jobId/start',
    {
      config: { access: ['coordinator'] },
      preValidation: refuseBody,
      schema: {
        operationId: 'startJob',
        tags: ['jobs'],
        summary: 'Start work on an accepted job',
        description:
          'A coordinator of the job’s region (job intake also starts it when its tasks are planned). Takes no body.',
        security: BEARER,
        params: jobIdParams,
        headers: idempotencyHeaders,
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      await jobIntake.startJob({ requestId: commandIdOf(request), jobId: request.params.jobId }, settingsOf(request));
      return reply.code(204).send();
    },
  );

  api.post(
    '/v1/jobs/:jobId/deliver',
    {
      config: { access: ['coordinator'] },
      schema: {
        operationId: 'deliverJob',
        tags: ['jobs'],
        summary: 'Deliver the work to the business',
        security: BEARER,
        params: jobIdParams,
        headers: idempotencyHeaders,
        body: deliverBody,
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      await jobIntake.deliverJob(
        { requestId: commandIdOf(request), jobId: request.params.jobId, note: request.body.note ?? '' },
        settingsOf(request),
      );
      return reply.code(204).send();
    },
  );

  api.post(
    '/v1/jobs/:jobId/inspection',
    {
      config: { access: ['business'] },
      schema: {
        operationId: 'inspectJob',
        tags: ['jobs'],
        summary: 'Inspect delivered work (検収)',
        description:
          'The job’s business accepts the delivered work, or rejects it with a reason (the job goes back for rework).',
        security: BEARER,
        params: jobIdParams,
        headers: idempotencyHeaders,
        body: inspectionBody,
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      const { accepted, reason } = request.body;
      await jobIntake.inspectJob(
        { requestId: commandIdOf(request), jobId: request.params.jobId, accepted, reason: reason ?? '' },
        settingsOf(request),
      );
      return reply.code(204).send();
    },
  );

  api.post(
    '/v1/jobs/:jobId/close',
    {
      config: { access: ['coordinator'] },
      preValidation: refuseBody,
      schema: {
        operationId: 'closeJob',
        tags: ['jobs'],
        summary: 'Close a job whose delivery was accepted',
        description: 'Takes no body.',
        security: BEARER,
        params: jobIdParams,
        headers: idempotencyHeaders,
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      await jobIntake.closeJob({ requestId: commandIdOf(request), jobId: request.params.jobId }, settingsOf(request));
      return reply.code(204).send();
    },
  );

  api.post(
    '/v1/jobs/:jobId/cancel',
    {
      config: { access: ['business', 'coordinator'] },
      schema: {
        operationId: 'cancelJob',
        tags: ['jobs'],
        summary: 'Cancel a job',
        description:
          'Its business or a coordinator of its region while submitted or quoted; a coordinator of its region once accepted, before work starts.',
        security: BEARER,
        params: jobIdParams,
        headers: idempotencyHeaders,
        body: reasonBody('Why the job is cancelled.'),
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      await jobIntake.cancelJob(
        { requestId: commandIdOf(request), jobId: request.params.jobId, reason: request.body.reason },
        settingsOf(request),
      );
      return reply.code(204).send();
    },
  );

  // ---- plans -----------------------------------------------------------------------------------

  api.get(
    '/v1/jobs/:jobId/plan',
    {
      config: { access: JOB_READERS },
      schema: {
        operationId: 'getPlan',
        tags: ['plans'],
        summary: 'The plan of tasks of a job',
        security: BEARER,
        params: jobIdParams,
        response: responses({ 200: { $ref: 'Plan#' } }),
      },
    },
    async (request) =>
      requirePlan((await taskDecomposition.getPlan({ jobId: request.params.jobId }, settingsOf(request))).plan),
  );

  api.put(
    '/v1/jobs/:jobId/plan',
    {
      config: { access: ['coordinator'] },
      schema: {
        operationId: 'revisePlan',
        tags: ['plans'],
        summary: 'Revise the open round of the plan',
        description:
          'A coordinator of the job’s region replaces the open round’s tasks. The plan is checked whole (dependencies form a DAG, each task fits one window, deadlines, estimates adding up): an invalid plan is refused with every reason and nothing stored.',
        security: BEARER,
        params: jobIdParams,
        headers: idempotencyHeaders,
        body: revisePlanBody,
        response: responses({ 200: { $ref: 'Plan#' } }),
      },
    },
    async (request) =>
      requirePlan(
        (
          await taskDecomposition.revisePlan(
            revisePlanRequest(commandIdOf(request), request.params.jobId, request.body),
            settingsOf(request),
          )
        ).plan,
      ),
  );

  api.post(
    '/v1/jobs/:jobId/plan/confirm',
    {
      config: { access: ['coordinator'] },
      schema: {
        operationId: 'confirmPlan',
        tags: ['plans'],
        summary: 'Confirm the open round: its tasks are planned',
        security: BEARER,
        params: jobIdParams,
        headers: idempotencyHeaders,
        body: confirmPlanBody,
        response: responses({ 200: { $ref: 'Plan#' } }),
      },
    },
    async (request) =>
      requirePlan(
        (
          await taskDecomposition.confirmPlan(
            {
              requestId: commandIdOf(request),
              jobId: request.params.jobId,
              expectedVersion: String(request.body.expectedVersion),
            },
            settingsOf(request),
          )
        ).plan,
      ),
  );

  // ---- schedules (schedule-routes.ts) -------------------------------------------------------------

  registerScheduleRoutes(app, upstreams, { now: options.now ?? systemClock });

  // ---- people (people-routes.ts) -----------------------------------------------------------------

  registerPeopleRoutes(app, upstreams);

  // ---- time tracking (time-routes.ts) ------------------------------------------------------------

  registerTimeRoutes(app, upstreams);

  // ---- settlement (settlement-routes.ts) ---------------------------------------------------------

  registerSettlementRoutes(app, upstreams);

  // ---- audit (audit-routes.ts) ----------------------------------------------------------------------

  registerAuditRoutes(app, upstreams);

  // ---- health ----------------------------------------------------------------------------------

  api.get(
    '/healthz',
    {
      config: { access: 'public', rateLimit: false },
      schema: {
        operationId: 'getHealth',
        tags: ['health'],
        summary: 'The gateway process is up',
        security: [],
        response: responses({ 200: healthAnswer }),
      },
    },
    async () => ({ status: 'up' }),
  );

  api.get(
    '/readyz',
    {
      config: { access: 'public', rateLimit: false },
      schema: {
        operationId: 'getReadiness',
        tags: ['health'],
        summary: 'Every service behind the gateway answers its gRPC health check',
        description:
          'identity, job intake, task decomposition, team scheduling, time tracking, settlement and audit; 503 `upstream.unavailable` with each one’s status otherwise.',
        security: [],
        response: responses({ 200: readyAnswer }),
      },
    },
    async () => {
      const upstreamHealth = await upstreams.health();
      if (Object.values(upstreamHealth).every((s) => s === 'serving'))
        return { status: 'ready', upstreams: upstreamHealth };
      throw new HttpProblem(503, 'upstream.unavailable', 'a service behind the gateway is not serving', {
        details: { upstreams: upstreamHealth },
        retryAfterSeconds: 1,
      });
    },
  );
};
