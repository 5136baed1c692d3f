import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import { currentTraceIds } from './tracing.js';

export type { Logger } from 'pino';

/** What a redacted value reads as in a log line. */
export const REDACTED = '[redacted]';

/**
 * Keys whose values never reach a log: personal data (APPI: name, address, contact, bank
 * account, birth date) and credentials. Logs carry ids, never personal data.
 */
export const PERSONAL_DATA_KEYS: readonly string[] = [
  // who she is
  'name',
  'fullName',
  'firstName',
  'lastName',
  'familyName',
  'givenName',
  'displayName',
  'kana',
  'nameKana',
  'birthDate',
  'dateOfBirth',
  // where and how to reach her
  'address',
  'postalCode',
  'zipCode',
  'phone',
  'phoneNumber',
  'tel',
  'email',
  'emailAddress',
  // where her money goes
  'bankAccount',
  'bank',
  'bankName',
  'branch',
  'branchCode',
  'accountNumber',
  'accountHolder',
  'accountHolderKana',
  'accountType',
  // her encrypted record as a whole
  'personalData',
  // credentials
  'password',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'secret',
  'clientSecret',
  'apiKey',
  'privateKey',
  'authorization',
  'cookie',
];

/** How deep under the top level the keys are looked for (`member.bankAccount`, `req.headers.authorization`, ...). */
const NESTING = 3;

/** The pino redaction paths: every key at the top level and under up to three levels of nesting (arrays included). */
export const REDACTED_PATHS: readonly string[] = PERSONAL_DATA_KEYS.flatMap((key) =>
  Array.from({ length: NESTING + 1 }, (_, depth) => `${'*.'.repeat(depth)}${key}`),
);

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** LOG_LEVEL (default `info`); an unknown level is refused rather than guessed. */
export function logLevelFrom(env: Readonly<Record<string, string | undefined>> = process.env): Level | 'silent' {
  const raw = env.LOG_LEVEL?.trim().toLowerCase();
  if (raw === undefined || raw === '') return 'info';
  if (!LEVELS.includes(raw))
    throw new TypeError(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);
  return raw as Level | 'silent';
}

export interface LoggerOptions {
  /** Default: LOG_LEVEL, else `info`. */
  level?: Level | 'silent';
  /** Where JSON lines go (default stdout); tests pass a stream that collects them. */
  destination?: DestinationStream;
  /** Fields on every line of this logger (ids only). */
  bindings?: Record<string, string | number | boolean>;
}

/** How many causes of an error a log line follows. */
const MAX_CAUSES = 5;

/**
 * An error as a log line shows it: its type, message, stack, code, a gRPC error's details and its
 * causes, and nothing else. An error's other properties may hold whole object graphs (a gRPC
 * error's metadata and call, a socket), which would leave the line with "[unable to serialize,
 * circular reference is too complex to analyze]" instead of the cause.
 */
export const serializeError = (error: unknown, depth = 0): Record<string, unknown> => {
  if (!(error instanceof Error)) return { type: typeof error, value: String(error) };
  const e = error as Error & { code?: unknown; kind?: unknown; details?: unknown };
  return {
    type: e.name,
    message: e.message,
    stack: e.stack,
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : {}),
    ...(typeof e.kind === 'string' ? { kind: e.kind } : {}),
    ...(typeof e.details === 'string' ? { details: e.details } : {}),
    ...(e.cause !== undefined && depth < MAX_CAUSES ? { cause: serializeError(e.cause, depth + 1) } : {}),
  };
};

/**
 * A pino logger writing JSON lines to stdout: ISO UTC time, level as a word, `logger` (the
 * name given here), the active span's `trace_id` / `span_id` / `trace_flags`, and personal
 * data censored (see PERSONAL_DATA_KEYS), errors under `err` as serializeError writes them.
 */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const settings: pino.LoggerOptions = {
    level: options.level ?? logLevelFrom(),
    // `name` is a personal-data key, so the logger's own name is `logger`.
    base: { logger: name, ...options.bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError },
    redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
    mixin: () => {
      const ids = currentTraceIds();
      return ids === undefined
        ? {}
        : { trace_id: ids.traceId, span_id: ids.spanId, trace_flags: `0${ids.traceFlags.toString(16)}`.slice(-2) };
    },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}
