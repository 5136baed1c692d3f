import { randomUUID } from 'node:crypto';
import { ValidationError } from '@workshare/eventsourcing';
import type { Caller, CallSettings } from '@workshare/grpc';
import type { FastifyRequest } from 'fastify';
import { callSettings } from '../grpc/upstreams.js';

/** The OpenAPI security of a route that needs a bearer token. */
export const BEARER = [{ bearerAuth: [] }];

/** `Authorization: Bearer <token>`: the token. */
export const BEARER_TOKEN = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** The verified caller of a route that is not public (app.ts's hooks refused the request otherwise). */
export const callerOf = (request: FastifyRequest): Caller => request.caller as Caller;

/** The settings of a service call made for the request: the caller's token passed on, and the request id. */
export const settingsOf = (request: FastifyRequest): CallSettings => callSettings(request.id, request.token);

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
 * The integer fields of a query string (`minYen`, `limit`...), read as numbers when they are all
 * digits; anything else stays text and fails its schema, which names the field.
 */
export const readQueryIntegers =
  (names: readonly string[]) =>
  async (request: FastifyRequest): Promise<void> => {
    const query = request.query as Record<string, unknown>;
    for (const name of names) {
      const value = query[name];
      if (typeof value === 'string' && /^\d{1,15}$/.test(value)) query[name] = Number(value);
    }
  };

/** Query strings are text and ajv coerces nothing here: a list's `pageSize` is read as a number when it is all digits. */
export const readPageSize = readQueryIntegers(['pageSize']);

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
