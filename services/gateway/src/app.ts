import { randomUUID } from 'node:crypto';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import {
  IdentityTokenVerifierClient,
  LoginAttemptLimiter,
  unauthenticated,
  type Caller,
  type LoginAttemptLimits,
  type TokenVerifier,
} from '@workshare/grpc';
import { TEXT_INVALID_CHARACTERS, textFault } from '@workshare/eventsourcing';
import { createLogger } from '@workshare/telemetry';
import { systemClock, type Clock } from '@workshare/time';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { requireAccess, type Access } from './application/access.js';
import { connectUpstreams, type Upstreams } from './adapters/grpc/upstreams.js';
import {
  answerFor,
  clientErrorResponse,
  HttpProblem,
  PROBLEM_MEDIA_TYPE,
  type FieldError,
} from './adapters/http/problem.js';
import { BEARER_TOKEN } from './adapters/http/requests.js';
import { registerRoutes } from './adapters/http/routes.js';
import { registerPageRoutes } from './adapters/http/page-routes.js';
import { SHARED_SCHEMAS } from './adapters/http/schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller (routes that are not public only). */
    caller: Caller | undefined;
    /** Her bearer token, passed on to the services (they authorise again). */
    token: string | undefined;
    /** Why the token was refused; answered only after rate limiting, so floods of bad tokens are limited too. */
    authFailure: unknown;
  }
  interface FastifyContextConfig {
    /** Who may call the route (see application/access.ts); a route without it is public. */
    access?: Access;
  }
}

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
export const DEFAULT_RATE_LIMIT = { max: 300, timeWindowMs: 60_000 } as const;

export interface GatewayOptions {
  /** host:port of each service's gRPC API. */
  readonly identityAddress: string;
  readonly jobIntakeAddress: string;
  readonly taskDecompositionAddress: string;
  readonly teamSchedulingAddress: string;
  readonly timeTrackingAddress: string;
  readonly settlementAddress: string;
  readonly auditAddress: string;
  /** Requests per identity (or client address, before login) per window (default 300 a minute). */
  readonly rateLimit?: { readonly max: number; readonly timeWindowMs: number };
  /** The largest body accepted (default 64 KiB); larger is 413 `request.too_large`. */
  readonly bodyLimitBytes?: number;
  /** Default: @workshare/telemetry's pino logger (LOG_LEVEL), personal data and credentials redacted. */
  readonly logger?: FastifyBaseLogger;
  /**
   * Default: identity's VerifyToken, each answer remembered up to 30 s (an
   * IdentityTokenVerifierClient of the gateway's own, which hears no revocations: a process
   * gives the one whose cache listens on the bus, see service.ts).
   */
  readonly verifier?: TokenVerifier;
  /** Failed sign-ins allowed per account and per client address (default LoginAttemptLimiter's: 10 and 100 in 15 minutes). */
  readonly loginLimits?: LoginAttemptLimits;
  /** Each gRPC call's deadline, retries included (default 5,000 ms). */
  readonly upstreamDeadlineMs?: number;
  /** Where clients reach the API, for the OpenAPI document's `servers` (default http://localhost:8080). */
  readonly publicUrl?: string;
  /**
   * The platform's clock (default systemClock): the current week of a member's schedule, who
   * holds a task now, the sign-in limits, and the expiry of the tokens its own verifier remembers.
   * The rate limit counts real time. (A member's current week of time and whether a month is over
   * are time tracking's and settlement's to read on their clocks: the gateway passes no time.)
   */
  readonly now?: Clock;
}

export const DEFAULT_PUBLIC_URL = 'http://localhost:8080';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** 400 `text.invalid_characters`, naming each field. */
const invalidCharacters = (errors: readonly FieldError[]): HttpProblem =>
  new HttpProblem(400, TEXT_INVALID_CHARACTERS, 'the request holds text that cannot be stored (NUL, invalid Unicode)', {
    errors,
  });

/** Every string of a parsed request (object keys too) that cannot be stored, as field errors. */
const unstorableTexts = (path: string, value: unknown, found: FieldError[] = []): FieldError[] => {
  if (found.length >= 20) return found;
  if (typeof value === 'string') {
    const fault = textFault(value);
    if (fault !== undefined)
      found.push({ field: path, message: fault === 'nul' ? 'holds a NUL character' : 'holds invalid Unicode' });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => unstorableTexts(`${path}[${index}]`, item, found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (textFault(key) !== undefined)
        found.push({ field: path, message: 'has a field name with invalid characters' });
      else unstorableTexts(`${path}.${key}`, item, found);
    }
  }
  return found;
};

/** A sane incoming X-Request-Id is kept (printable ASCII, at most 128 characters); any other is replaced. */
const SANE_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

const pathOf = (url: string): string => url.split('?', 1)[0] ?? url;

/**
 * The HTTP gateway (DESIGN §2): JSON over HTTP for businesses, coordinators and the accountant;
 * gRPC to the services behind it, never their stores. Every request gets a request id; callers
 * are verified by identity and checked for the route's roles; requests are rate limited per
 * identity; bodies are size-limited and validated by schema; every error is problem+json.
 * Closing the instance closes the gRPC clients.
 */
export const buildGateway = async (options: GatewayOptions): Promise<FastifyInstance> => {
  const upstreams: Upstreams = connectUpstreams({
    ...options,
    ...(options.upstreamDeadlineMs !== undefined ? { deadlineMs: options.upstreamDeadlineMs } : {}),
  });
  const ownVerifier =
    options.verifier === undefined
      ? new IdentityTokenVerifierClient({ identityAddress: options.identityAddress, clock: options.now ?? systemClock })
      : undefined;
  const verifier: TokenVerifier = options.verifier ?? (ownVerifier as TokenVerifier);
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const release = (): void => {
    upstreams.close();
    ownVerifier?.close();
  };
  try {
    return await assemble(options, upstreams, verifier, rateLimit, release);
  } catch (error) {
    release();
    throw error;
  }
};

const assemble = async (
  options: GatewayOptions,
  upstreams: Upstreams,
  verifier: TokenVerifier,
  rateLimit: { readonly max: number; readonly timeWindowMs: number },
  release: () => void,
): Promise<FastifyInstance> => {
  const app = Fastify({
    loggerInstance: options.logger ?? createLogger('gateway'),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // The gateway logs one line per answer itself (onResponse): ids and status, no address or body.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    // Node's HTTP parser refuses some requests before fastify sees them: answered problem+json too.
    clientErrorHandler: (error, socket) => {
      if (socket.writable && !(socket as { _httpMessage?: unknown })._httpMessage)
        socket.end(clientErrorResponse(error as { code?: unknown }, randomUUID()));
      else socket.destroy(error);
    },
    // Errors of the router itself (a URL that does not decode): problem+json like every other answer.
    frameworkErrors: (_error, request, routerReply) => {
      const reply = routerReply as unknown as FastifyReply;
      reply.header('x-request-id', request.id);
      const answer = answerFor(new HttpProblem(400, 'request.malformed', 'the request URL is malformed'), {
        instance: pathOf(request.url),
        requestId: request.id,
      });
      reply.code(answer.problem.status).type(PROBLEM_MEDIA_TYPE).send(JSON.stringify(answer.problem));
    },
    // While closing, requests are answered 503 gateway.shutting_down by the onRequest hook below.
    return503OnClosing: false,
    ajv: {
      // A string "100" is not a number, an unknown field is an error (not silently dropped), and
      // every mistake of a request is reported at once (bodies are small: the body limit).
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true, useDefaults: false },
    },
  });

  app.decorateRequest('caller', undefined);
  app.decorateRequest('token', undefined);
  app.decorateRequest('authFailure', undefined);
  // Only JSON bodies: without the text/plain parser, anything else is 415.
  app.removeContentTypeParser('text/plain');
  // JSON decoded as fatal UTF-8: bytes that are not UTF-8 are refused, never turned into U+FFFD and stored.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let decoded: string;
    try {
      decoded = STRICT_UTF8.decode(body as Buffer);
    } catch {
      done(invalidCharacters([{ field: 'body', message: 'is not UTF-8' }]), undefined);
      return;
    }
    parseJson(request, decoded, done);
  });
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);

  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) {
      reply.header('connection', 'close');
      throw new HttpProblem(503, 'gateway.shutting_down', 'this gateway is stopping; send the request again', {
        retryAfterSeconds: 1,
      });
    }
    await authenticate(request, verifier);
  });
  // After the rate limiter (a route-level onRequest hook) and before the body is read.
  app.addHook('preParsing', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return;
    if (request.authFailure !== undefined) throw request.authFailure;
    if (request.caller === undefined)
      throw unauthenticated('auth.token_missing', 'this needs `Authorization: Bearer <token>`');
    requireAccess(request.caller, access);
  });
  // Every text of a request (body, query, path) must be storable: no NUL, no lone surrogate.
  app.addHook('preValidation', async (request) => {
    const faults = [
      ...unstorableTexts('body', request.body),
      ...unstorableTexts('querystring', request.query),
      ...unstorableTexts('params', request.params),
    ];
    if (faults.length > 0) throw invalidCharacters(faults);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'none',
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'answered',
    );
  });

  app.setErrorHandler(async (error, request, reply) => {
    const answer = answerFor(error, { instance: pathOf(request.url), requestId: request.id });
    if (answer.unexpected) request.log.error({ err: error }, 'request failed');
    else if (answer.problem.status >= 500)
      request.log.warn(
        { code: answer.problem.code, upstream: error instanceof Error ? error.message : undefined },
        'upstream failed',
      );
    return reply.code(answer.problem.status).headers(answer.headers).type(PROBLEM_MEDIA_TYPE).send(answer.problem);
  });
  app.setNotFoundHandler(async (request) => {
    throw new HttpProblem(404, 'route.not_found', `no route ${request.method} ${pathOf(request.url)}`);
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Workshare API',
        version: '1.0.0',
        description:
          'The public HTTP API of the Workshare cooperative platform. JSON in camelCase; money is integer yen (JSON numbers named `...Yen`, never fractional, tax excluded unless named tax; never negative but a closed month’s `keptYen`); times are accepted as RFC 3339 with any offset and answered as ISO-8601 in Asia/Tokyo with +09:00 (the same instant); enums are lowercase snake words. The files of a closed month (invoices, statements, the Zengin file, journals, the payroll CSV) and the audit exports (CSV) are downloads in their own media types, as attachments with their file names, never cached. Every error is `application/problem+json` (see the Problem schema for the codes). Every answer carries `X-Request-Id` (yours, if sane, or a new one). Commands accept an `Idempotency-Key` header.',
      },
      servers: [{ url: options.publicUrl ?? DEFAULT_PUBLIC_URL, description: 'The gateway' }],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'A token from POST /v1/auth/login.',
          },
        },
      },
      tags: [
        { name: 'auth', description: 'Signing in, the caller, reference data' },
        { name: 'jobs', description: 'Jobs from businesses, from submission to closing' },
        { name: 'plans', description: 'The plan of tasks a job is cut into' },
        {
          name: 'schedules',
          description: 'Who does which task when: assignments, hand-offs, unavailability, the history of each task',
        },
        { name: 'people', description: "The region's members, their roles, and the businesses it serves" },
        {
          name: 'time',
          description:
            'Members’ time on the tasks they held (a timer, or spans entered afterwards), corrections and deletions with a reason, tasks marked done, and coordinators’ approval of a Tokyo week',
        },
        {
          name: 'settlement',
          description:
            'The close of a region’s Tokyo month: its configuration, payees’ registration numbers, the close, and its documents and files (invoices, statements, the Zengin transfer file, journals, the payroll CSV)',
        },
        {
          name: 'audit',
          description:
            'The accountant’s questions of the whole history, answered by the audit service (read-only, every query recorded): histories, who held a task when, a job’s timeline, hand-offs, a month’s reconciliation, a stream as of an instant, search (date, amount, counterparty), corrections, the log’s verification against its seals, the audit-query log; each as JSON or, with `format=csv`, as a CSV file in UTF-8 or Shift_JIS. The accountant’s web page is `GET /audit`.',
        },
        { name: 'health', description: 'Probes' },
      ],
    },
    // Shared schemas are named by their $id in components.schemas (not def-0, def-1...).
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  // Served from the package's own files: the page loads nothing from the internet.
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null, deepLinking: true } });
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  // The accountant's page, from the package's own files too.
  registerPageRoutes(app);

  await app.register(fastifyRateLimit, {
    max: rateLimit.max,
    timeWindow: rateLimit.timeWindowMs,
    keyGenerator: (request) =>
      request.caller !== undefined ? `subject:${request.caller.subject}` : `address:${request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(
        context.statusCode,
        'request.rate_limited',
        `too many requests: at most ${context.max} per ${Math.round(rateLimit.timeWindowMs / 1000)} s; try again in ${context.after}`,
        {
          retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
        },
      ),
  });

  const now = options.now ?? systemClock;
  const loginLimiter = new LoginAttemptLimiter(options.loginLimits, { now });
  await app.register(async (api) => registerRoutes(api, upstreams, { loginLimiter, now }));

  app.addHook('onClose', async () => release());
  await app.ready();
  return app;
};

/** Reads the bearer token and asks the verifier who it is; a refusal is kept for preParsing to answer. */
const authenticate = async (request: FastifyRequest, verifier: TokenVerifier): Promise<void> => {
  const access = request.routeOptions.config.access;
  if (access === undefined || access === 'public') return;
  const header = request.headers.authorization;
  if (header === undefined) return;
  const token = BEARER_TOKEN.exec(header)?.[1];
  if (token === undefined) {
    request.authFailure = unauthenticated(
      'auth.malformed_authorization',
      'the Authorization header is not "Bearer <token>"',
    );
    return;
  }
  try {
    request.caller = await verifier.verify(token);
    request.token = token;
  } catch (error) {
    request.authFailure = error;
  }
};

export interface StartGatewayOptions extends GatewayOptions {
  /** 0 takes any free port (see `url`). */
  readonly port: number;
  /** Default 127.0.0.1 (loopback only); 0.0.0.0 for every interface (a pod sets HOST=0.0.0.0). */
  readonly host?: string;
}

export interface RunningGateway {
  /** e.g. `http://127.0.0.1:8080` */
  readonly url: string;
  readonly app: FastifyInstance;
  /** Stops taking connections, lets requests in flight finish, closes the gRPC clients. */
  close(): Promise<void>;
}

/** Builds the gateway and listens on host:port. */
export const startGateway = async (options: StartGatewayOptions): Promise<RunningGateway> => {
  const app = await buildGateway(options);
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port, host });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shownHost}:${port}`, app, close: () => app.close() };
};
