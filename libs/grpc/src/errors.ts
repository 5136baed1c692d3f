import { Metadata, status, type ServerErrorResponse, type ServiceError } from '@grpc/grpc-js';
import { DomainError, ForbiddenError, NotFoundError, ValidationError, type ErrorKind } from '@workshare/eventsourcing';

/** Trailing metadata holding a DomainError's stable code, e.g. `task.not_assigned`. */
export const ERROR_CODE_KEY = 'x-error-code';
/** Trailing metadata holding a DomainError's details as JSON (ASCII: other characters \u-escaped). */
export const ERROR_DETAILS_KEY = 'x-error-details';

/** DESIGN §2: which status code reports which kind of DomainError. */
const STATUS_OF_KIND: Readonly<Record<ErrorKind, status>> = {
  invalid: status.INVALID_ARGUMENT,
  rule: status.FAILED_PRECONDITION,
  conflict: status.ABORTED,
  not_found: status.NOT_FOUND,
  forbidden: status.PERMISSION_DENIED,
  unauthenticated: status.UNAUTHENTICATED,
  exhausted: status.RESOURCE_EXHAUSTED,
};

const KIND_OF_STATUS: ReadonlyMap<status, ErrorKind> = new Map(
  (Object.entries(STATUS_OF_KIND) as [ErrorKind, status][]).map(([kind, code]) => [code, kind]),
);

export const statusOfKind = (kind: ErrorKind): status => STATUS_OF_KIND[kind];
export const kindOfStatus = (code: status): ErrorKind | undefined => KIND_OF_STATUS.get(code);
export const statusName = (code: number): string => status[code] ?? `STATUS_${code}`;

/** What an unknown error becomes on the wire: its message may hold anything, so it stays in the logs. */
export const INTERNAL_MESSAGE = 'internal error';
/** Details larger than this are replaced by `{ "truncated": true }` (metadata travels in headers). */
export const MAX_DETAILS_BYTES = 8 * 1024;

// Metadata values of non-binary keys must be printable ASCII.
const asciiJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const asciiCode = (code: string): string => code.replace(/[^\x21-\x7e]/g, '_');

const detailsJson = (details: Readonly<Record<string, unknown>>): string | undefined => {
  if (Object.keys(details).length === 0) return undefined;
  let json: string;
  try {
    json = asciiJson(details);
  } catch {
    return asciiJson({ unserializable: true });
  }
  return json.length > MAX_DETAILS_BYTES ? asciiJson({ truncated: true }) : json;
};

/** A failed call that carries no DomainError: the status code, its name, and the method called. */
export class RpcError extends Error {
  override readonly name: string = 'RpcError';
  constructor(
    readonly status: status,
    message: string,
    /** The full method path, e.g. `/workshare.identity.v1.IdentityService/GetMember`. */
    readonly method: string,
    readonly metadata: Metadata = new Metadata(),
  ) {
    super(`${method}: ${statusName(status)}: ${message}`);
  }
  get statusName(): string {
    return statusName(this.status);
  }
}

/** The call's deadline passed before it was answered. */
export class DeadlineExceededError extends RpcError {
  override readonly name: string = 'DeadlineExceededError';
}

/** The server could not be reached (after the retries the client allows). */
export class UnavailableError extends RpcError {
  override readonly name: string = 'UnavailableError';
}

const isStatus = (value: unknown): value is status =>
  typeof value === 'number' && statusName(value) !== `STATUS_${value}`;

export const isServiceError = (error: unknown): error is ServiceError =>
  error instanceof Error &&
  isStatus((error as Partial<ServiceError>).code) &&
  (error as Partial<ServiceError>).metadata instanceof Metadata;

/** The status code and trailers a server answers for an error thrown by a handler. */
export interface MappedError {
  response: ServerErrorResponse;
  /** The DomainError's code, when it was one. */
  errorCode: string | undefined;
  /** Not a DomainError nor a known transport failure: log it, it is a bug or an outage. */
  unexpected: boolean;
}

/**
 * DESIGN §2 on the server side: a DomainError becomes the status of its kind, its message the
 * status message, its code and details trailing metadata. A deadline that ran out downstream
 * stays DEADLINE_EXCEEDED; anything else is INTERNAL with a fixed message, never its own.
 */
export const toServerError = (error: unknown): MappedError => {
  if (error instanceof DomainError) {
    const metadata = new Metadata();
    metadata.set(ERROR_CODE_KEY, asciiCode(error.code));
    const details = detailsJson(error.details);
    if (details !== undefined) metadata.set(ERROR_DETAILS_KEY, details);
    const code = statusOfKind(error.kind);
    return {
      response: { name: 'DomainError', message: error.message, code, details: error.message, metadata },
      errorCode: error.code,
      unexpected: false,
    };
  }
  if (error instanceof DeadlineExceededError) {
    return {
      response: {
        name: 'DeadlineExceededError',
        message: 'deadline exceeded downstream',
        code: status.DEADLINE_EXCEEDED,
        details: 'deadline exceeded downstream',
      },
      errorCode: undefined,
      unexpected: false,
    };
  }
  return {
    response: { name: 'Error', message: INTERNAL_MESSAGE, code: status.INTERNAL, details: INTERNAL_MESSAGE },
    errorCode: undefined,
    unexpected: true,
  };
};

const firstString = (metadata: Metadata, key: string): string | undefined => {
  const value = metadata.get(key)[0];
  return typeof value === 'string' ? value : undefined;
};

const parseDetails = (json: string | undefined): Record<string, unknown> => {
  if (json === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
};

/** A DomainError of the same code and kind (and class, for the kinds that have one) as the server threw. */
const domainError = (code: string, message: string, kind: ErrorKind, details: Record<string, unknown>): DomainError => {
  switch (kind) {
    case 'invalid':
      return new ValidationError(code, message, details);
    case 'not_found':
      return new NotFoundError(code, message, details);
    case 'forbidden':
      return new ForbiddenError(code, message, details);
    default:
      return new DomainError(code, message, kind, details);
  }
};

/**
 * DESIGN §2 on the client side: a failed call whose trailers carry `x-error-code` becomes the
 * DomainError the server threw (same code, kind and details), so a service calling another
 * sees the same typed error; any other failure becomes an RpcError (DeadlineExceededError,
 * UnavailableError for those two codes).
 */
export const fromServiceError = (error: ServiceError, method: string): DomainError | RpcError => {
  const code = firstString(error.metadata, ERROR_CODE_KEY);
  const kind = kindOfStatus(error.code);
  if (code !== undefined && kind !== undefined) {
    return domainError(code, error.details, kind, parseDetails(firstString(error.metadata, ERROR_DETAILS_KEY)));
  }
  if (error.code === status.DEADLINE_EXCEEDED)
    return new DeadlineExceededError(error.code, error.details, method, error.metadata);
  if (error.code === status.UNAVAILABLE) return new UnavailableError(error.code, error.details, method, error.metadata);
  return new RpcError(error.code, error.details, method, error.metadata);
};
