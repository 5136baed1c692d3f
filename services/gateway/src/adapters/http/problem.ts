import { DomainError, type ErrorKind } from '@workshare/eventsourcing';
import { DeadlineExceededError, UnavailableError } from '@workshare/grpc';

/** The media type of every error the gateway answers (RFC 9457). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** One field a request got wrong: where (`body.tasks[0].key`, `querystring.pageSize`) and what. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** An RFC 9457 problem as the gateway answers it; `code` is the stable dotted code clients rely on. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance: string;
  readonly requestId: string;
  /** The fields a request got wrong (validation problems only). */
  readonly errors?: readonly FieldError[];
  /** What the service said about the error beyond its code (its DomainError details), when anything. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** `urn:workshare:problem:job.not_quotable`: a problem type is its code, so one needs no web page to be stable. */
export const problemType = (code: string): string => `urn:workshare:problem:${code}`;

/**
 * An error the edge itself answers with a given status and code (body too large, rate limited,
 * upstream unavailable...): the errors that are not a DomainError of some service.
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: {
      readonly errors?: readonly FieldError[];
      readonly retryAfterSeconds?: number;
      readonly details?: Readonly<Record<string, unknown>>;
    } = {},
  ) {
    super(message);
  }
}

/** DESIGN §2: the HTTP status of each kind of DomainError. */
export const STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  rule: 422,
  conflict: 409,
  not_found: 404,
  forbidden: 403,
  unauthenticated: 401,
  exhausted: 429,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** What every code of the edge means, for the OpenAPI document and the README. */
export const EDGE_CODES: Readonly<Record<string, { readonly status: number; readonly meaning: string }>> = {
  'request.invalid': { status: 400, meaning: 'the request does not match its schema (see `errors`)' },
  'request.malformed_json': { status: 400, meaning: 'the body is not JSON (or is empty while declared JSON)' },
  'request.malformed': {
    status: 400,
    meaning: 'the request is broken at the HTTP level (a wrong Content-Length, a URL that does not decode)',
  },
  'text.invalid_characters': {
    status: 400,
    meaning:
      'a text of the request cannot be stored: a NUL, a lone surrogate (a JSON `\\ud800` escape), or a body that is not UTF-8 (see `errors`)',
  },
  'auth.token_missing': { status: 401, meaning: 'no `Authorization: Bearer <token>` header' },
  'auth.malformed_authorization': { status: 401, meaning: 'the Authorization header is not `Bearer <token>`' },
  'auth.invalid_token': {
    status: 401,
    meaning: 'the token is expired, forged or of a forgotten user (identity may answer a more precise auth.* code)',
  },
  'auth.forbidden_role': { status: 403, meaning: 'the caller holds none of the roles the route needs' },
  'auth.forbidden_business': { status: 403, meaning: 'a business user asked for a business she does not act for' },
  'auth.forbidden_region': { status: 403, meaning: 'a coordinator asked for a region she does not run' },
  'auth.forbidden_member': {
    status: 403,
    meaning:
      'a member asked for another member’s schedule, unavailability, wished hours, week, time entries or payment statement',
  },
  'route.not_found': { status: 404, meaning: 'no such route (or not with this method)' },
  'request.too_large': { status: 413, meaning: 'the body is larger than the limit (64 KiB by default)' },
  'request.unsupported_media_type': { status: 415, meaning: 'the body is not `application/json`' },
  'request.rate_limited': {
    status: 429,
    meaning: 'too many requests from this identity (or address, before login); see Retry-After',
  },
  'auth.too_many_attempts': {
    status: 429,
    meaning:
      'too many failed sign-ins for this account or from this address: every sign-in is refused, the right password too, until Retry-After (`details.retryAfterSeconds`)',
  },
  'request.timeout': { status: 408, meaning: 'the request did not arrive whole in time' },
  'request.headers_too_large': {
    status: 431,
    meaning: 'the request headers are larger than the gateway reads (16 KiB in all)',
  },
  'gateway.shutting_down': {
    status: 503,
    meaning: 'this gateway is stopping; send the request again (another instance takes it); see Retry-After',
  },
  'upstream.unavailable': { status: 503, meaning: 'a service behind the gateway cannot be reached' },
  'upstream.timeout': { status: 504, meaning: 'a service behind the gateway did not answer in time' },
  internal: {
    status: 500,
    meaning: 'something failed that the caller cannot fix; the request id finds it in the logs',
  },
};

/** How the gateway answers an error: the problem, the headers that go with it, and whether it is the gateway's fault. */
export interface ProblemAnswer {
  readonly problem: Problem;
  readonly headers: Readonly<Record<string, string>>;
  /** A 5xx that is not an upstream outage: worth an error log line with the cause. */
  readonly unexpected: boolean;
}

/** The fields of fastify's validation errors (ajv's), as `errors` of a problem. */
interface AjvError {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** `/tasks/0/key` under `body` → `body.tasks[0].key`. */
const fieldPath = (context: string, pointer: string, child?: unknown): string => {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (typeof child === 'string') segments.push(child);
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : `${path}.${s}`), context);
};

export const fieldErrorsOf = (context: string, validation: readonly AjvError[]): FieldError[] =>
  validation.map((e) => {
    // `dependencies` (a field that needs another, as `from` needs `to`) names the missing one as `required` does.
    const child =
      e.keyword === 'required' || e.keyword === 'dependencies'
        ? e.params?.missingProperty
        : e.keyword === 'additionalProperties'
          ? e.params?.additionalProperty
          : undefined;
    const message = e.keyword === 'additionalProperties' ? 'is not a known field' : (e.message ?? 'is invalid');
    return { field: fieldPath(context, e.instancePath ?? '', child), message };
  });

interface FastifyLikeError {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly validation?: unknown;
  readonly validationContext?: unknown;
}

const isFieldErrorList = (value: unknown): value is FieldError[] =>
  Array.isArray(value) &&
  value.every(
    (e) =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as FieldError).field === 'string' &&
      typeof (e as FieldError).message === 'string',
  );

/** The edge's own answer: status, code, detail. */
const edge = (
  status: number,
  code: string,
  detail: string,
  extra: Partial<Pick<Problem, 'errors' | 'details'>> = {},
) => ({ status, code, detail, ...extra });

/**
 * Any error met while answering a request, as a problem (DESIGN §2 and the gateway's own codes):
 * a DomainError by its kind with its code as the service gave it; fastify's parsing and
 * validation errors as `request.*`; an upstream outage or timeout as 503 / 504; anything else
 * as 500 `internal`, its message kept for the log only.
 */
export const answerFor = (
  error: unknown,
  context: { readonly instance: string; readonly requestId: string },
): ProblemAnswer => {
  const headers: Record<string, string> = {};
  let unexpected = false;
  let shape: {
    status: number;
    code: string;
    detail: string;
    errors?: readonly FieldError[];
    details?: Readonly<Record<string, unknown>>;
  };

  if (error instanceof DomainError) {
    const { errors, ...rest } = error.details;
    const fieldErrors = isFieldErrorList(errors) ? errors : undefined;
    const details = fieldErrors === undefined ? error.details : rest;
    shape = {
      status: STATUS_OF_KIND[error.kind] ?? 500,
      code: error.code,
      detail: error.message,
      ...(fieldErrors !== undefined ? { errors: fieldErrors } : {}),
      ...(Object.keys(details).length > 0 ? { details } : {}),
    };
    // Too many attempts (a sign-in limited by identity or the edge): when to come back.
    const retryAfter = error.details.retryAfterSeconds;
    if (error.kind === 'exhausted' && typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter > 0)
      headers['retry-after'] = String(Math.ceil(retryAfter));
  } else if (error instanceof HttpProblem) {
    shape = edge(error.status, error.code, error.message, {
      ...(error.options.errors !== undefined ? { errors: error.options.errors } : {}),
      ...(error.options.details !== undefined ? { details: error.options.details } : {}),
    });
    if (error.options.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.options.retryAfterSeconds);
  } else if (error instanceof UnavailableError) {
    shape = edge(503, 'upstream.unavailable', 'a service behind the gateway cannot be reached; try again shortly');
    headers['retry-after'] = '1';
  } else if (error instanceof DeadlineExceededError) {
    shape = edge(504, 'upstream.timeout', 'a service behind the gateway did not answer in time');
  } else {
    const e = (typeof error === 'object' && error !== null ? error : {}) as FastifyLikeError;
    const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
    if (Array.isArray(e.validation)) {
      const where = typeof e.validationContext === 'string' ? e.validationContext : 'request';
      shape = edge(400, 'request.invalid', `the ${where} does not match its schema`, {
        errors: fieldErrorsOf(where, e.validation as AjvError[]),
      });
    } else {
      switch (e.code) {
        case 'FST_ERR_CTP_INVALID_JSON_BODY':
        case 'FST_ERR_CTP_EMPTY_JSON_BODY':
          shape = edge(400, 'request.malformed_json', 'the body is not valid JSON');
          break;
        case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
          shape = edge(415, 'request.unsupported_media_type', 'the body must be application/json');
          break;
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
          shape = edge(413, 'request.too_large', 'the body is larger than the gateway accepts');
          break;
        default:
          if (status >= 400 && status < 500) {
            shape = edge(400, 'request.malformed', 'the request is malformed');
          } else {
            unexpected = true;
            shape = edge(500, 'internal', 'the request could not be completed; quote the request id when reporting it');
          }
      }
    }
  }

  if (shape.status === 401)
    headers['www-authenticate'] =
      shape.code === 'auth.token_missing'
        ? 'Bearer realm="workshare"'
        : 'Bearer realm="workshare", error="invalid_token"';
  return {
    problem: {
      type: problemType(shape.code),
      title: TITLES[shape.status] ?? 'Error',
      status: shape.status,
      detail: shape.detail,
      code: shape.code,
      instance: context.instance,
      requestId: context.requestId,
      ...(shape.errors !== undefined ? { errors: shape.errors } : {}),
      ...(shape.details !== undefined ? { details: shape.details } : {}),
    },
    headers,
    unexpected,
  };
};

/**
 * The answer to a request Node's HTTP parser refused before fastify saw it (headers too large, a
 * broken request line, a request that did not arrive in time), as raw HTTP bytes: problem+json
 * like every other error, with a request id of its own; the connection closes after it.
 */
export const clientErrorResponse = (error: { readonly code?: unknown }, requestId: string): string => {
  const [status, code, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'request.headers_too_large', 'the request headers are larger than the gateway reads']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request.timeout', 'the request did not arrive whole in time']
        : [400, 'request.malformed', 'the request is malformed'];
  const problem: Problem = {
    type: problemType(code),
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    instance: '/',
    requestId,
  };
  const body = JSON.stringify(problem);
  return [
    `HTTP/1.1 ${status} ${TITLES[status]}`,
    `Content-Type: ${PROBLEM_MEDIA_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
};
