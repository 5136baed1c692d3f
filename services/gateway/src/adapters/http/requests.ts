import { randomUUID } from 'node:crypto';
import { ValidationError } from '@workshare/eventsourcing';
import type { FastifyRequest } from 'fastify';

/** The OpenAPI security of a route that needs a bearer token. */
export const BEARER = [{ bearerAuth: [] }];

/** `Authorization: Bearer <token>`: the token. */
export const BEARER_TOKEN = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** The request id of a command: the caller's Idempotency-Key (a retry is answered with the first outcome), else a new one. */
export const commandIdOf = (request: FastifyRequest): string => {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' ? key : randomUUID();
};

/** Commands that take no body accept none (or `{}`): anything else is a mistake worth telling. */
export const refuseBody = async (request: FastifyRequest): Promise<void> => {
  const body: unknown = request.body;
  if (body === undefined || body === null) return;
  if (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0) return;
  throw new ValidationError('request.invalid', 'this command takes no body', {
    errors: [{ field: 'body', message: 'must be empty' }],
  });
};

/**
 * Query strings are text and ajv coerces nothing here, so the one number of a query is read as
 * one when it is all digits (anything else stays text and fails its schema).
 */
export const readPageSize = async (request: FastifyRequest): Promise<void> => {
  const query = request.query as Record<string, unknown>;
  if (typeof query.pageSize === 'string' && /^\d{1,9}$/.test(query.pageSize)) query.pageSize = Number(query.pageSize);
};

/** A date-time whose `+hh:mm` offset a query string decoded as ` hh:mm`. */
const SPACED_OFFSET = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?) (\d{2}:\d{2})$/;

/**
 * A `+` left unencoded in a query string reads as a space, so `?from=2026-04-06T00:00:00+09:00`
 * arrives as `... 09:00`: such a time gets its `+` back (nothing else is touched, and the schema
 * still checks the result).
 */
export const readQueryTimes = async (request: FastifyRequest): Promise<void> => {
  const query = request.query as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) {
    if (typeof value === 'string') query[name] = value.replace(SPACED_OFFSET, '$1+$2');
  }
};
