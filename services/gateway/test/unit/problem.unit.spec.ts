import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '@workshare/eventsourcing';
import { DeadlineExceededError, RpcError, UnavailableError } from '@workshare/grpc';
import { status } from '@grpc/grpc-js';
import { answerFor, HttpProblem } from '../../src/index.js';

const context = { instance: '/v1/jobs/42', requestId: 'req-1' };
const answer = (error: unknown) => answerFor(error, context);

describe('errors as problems (RFC 9457)', () => {
  it.each([
    [new ValidationError('job.invalid_title', 'title is empty'), 400],
    [new DomainError('job.not_quotable', 'the job is closed', 'rule'), 422],
    [new DomainError('plan.version_mismatch', 'moved on', 'conflict'), 409],
    [new NotFoundError('job.not_found', 'no such job'), 404],
    [new ForbiddenError('job.forbidden', 'not yours'), 403],
    [new DomainError('auth.invalid_token', 'expired', 'unauthenticated'), 401],
  ])('a DomainError keeps its code and takes the status of its kind: %s → %i', (error, expected) => {
    const { problem, unexpected } = answer(error);
    expect(problem).toEqual({
      type: `urn:workshare:problem:${error.code}`,
      title: expect.any(String),
      status: expected,
      detail: error.message,
      code: error.code,
      instance: '/v1/jobs/42',
      requestId: 'req-1',
    });
    expect(unexpected).toBe(false);
  });

  it('401 comes with WWW-Authenticate: Bearer (invalid_token when a token was refused)', () => {
    expect(answer(new DomainError('auth.token_missing', 'none', 'unauthenticated')).headers).toEqual({
      'www-authenticate': 'Bearer realm="workshare"',
    });
    expect(
      answer(new DomainError('auth.invalid_token', 'bad', 'unauthenticated')).headers['www-authenticate'],
    ).toContain('error="invalid_token"');
  });

  it('a DomainError’s field list becomes `errors`, its other details `details`', () => {
    const withFields = answer(
      new ValidationError('request.invalid', 'bad', { errors: [{ field: 'body.x', message: 'is wrong' }] }),
    ).problem;
    expect(withFields.errors).toEqual([{ field: 'body.x', message: 'is wrong' }]);
    expect(withFields.details).toBeUndefined();
    expect(answer(new ValidationError('plan.invalid', 'bad', { reasons: ['a cycle'] })).problem.details).toEqual({
      reasons: ['a cycle'],
    });
  });

  it('fastify validation errors name each field: body.tasks[0].key, body.title (missing), body.colour (unknown)', () => {
    const error = Object.assign(new Error('invalid'), {
      statusCode: 400,
      validationContext: 'body',
      validation: [
        { instancePath: '/tasks/0/key', keyword: 'pattern', params: {}, message: 'must match pattern' },
        {
          instancePath: '',
          keyword: 'required',
          params: { missingProperty: 'title' },
          message: "must have required property 'title'",
        },
        {
          instancePath: '',
          keyword: 'additionalProperties',
          params: { additionalProperty: 'colour' },
          message: 'must NOT have additional properties',
        },
      ],
    });
    const { problem } = answer(error);
    expect(problem).toMatchObject({ status: 400, code: 'request.invalid' });
    expect(problem.errors).toEqual([
      { field: 'body.tasks[0].key', message: 'must match pattern' },
      { field: 'body.title', message: "must have required property 'title'" },
      { field: 'body.colour', message: 'is not a known field' },
    ]);
  });

  it('a field that needs another names the missing one (querystring.to when only from is given)', () => {
    const error = Object.assign(new Error('invalid'), {
      statusCode: 400,
      validationContext: 'querystring',
      validation: [
        {
          instancePath: '',
          keyword: 'dependencies',
          params: { property: 'from', missingProperty: 'to', depsCount: 1, deps: 'to' },
          message: 'must have property to when property from is present',
        },
      ],
    });
    expect(answer(error).problem.errors).toEqual([
      { field: 'querystring.to', message: 'must have property to when property from is present' },
    ]);
  });

  it.each([
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 'request.malformed_json'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 'request.malformed_json'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'request.unsupported_media_type'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'request.too_large'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'request.malformed'],
  ])('fastify’s %s → %i %s', (code, expected, problemCode) => {
    const statusCode =
      code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 415 : code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 413 : 400;
    expect(answer(Object.assign(new Error('x'), { code, statusCode })).problem).toMatchObject({
      status: expected,
      code: problemCode,
    });
  });

  it('upstream outages: unavailable 503 (Retry-After), deadline 504; neither is "unexpected"', () => {
    const down = answer(new UnavailableError(status.UNAVAILABLE, 'connect refused', '/x/Y'));
    expect(down.problem).toMatchObject({ status: 503, code: 'upstream.unavailable' });
    expect(down.headers['retry-after']).toBe('1');
    expect(down.unexpected).toBe(false);
    expect(answer(new DeadlineExceededError(status.DEADLINE_EXCEEDED, 'late', '/x/Y')).problem).toMatchObject({
      status: 504,
      code: 'upstream.timeout',
    });
  });

  it('anything else is 500 internal, its message kept out of the answer', () => {
    for (const error of [
      new Error('password=hunter2'),
      new RpcError(status.INTERNAL, 'stack trace here', '/x/Y'),
      'a string',
      undefined,
    ]) {
      const { problem, unexpected } = answer(error);
      expect(problem).toMatchObject({ status: 500, code: 'internal' });
      expect(JSON.stringify(problem)).not.toMatch(/hunter2|stack trace/);
      expect(unexpected).toBe(true);
    }
  });

  it('the edge’s own problems carry their status, code and Retry-After', () => {
    const limited = answer(new HttpProblem(429, 'request.rate_limited', 'slow down', { retryAfterSeconds: 17 }));
    expect(limited.problem).toMatchObject({
      status: 429,
      code: 'request.rate_limited',
      title: 'Too Many Requests',
      detail: 'slow down',
    });
    expect(limited.headers).toEqual({ 'retry-after': '17' });
  });
});
