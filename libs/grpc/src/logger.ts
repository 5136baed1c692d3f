import { createLogger, type Logger } from '@workshare/telemetry/logger';

/** The platform's one logger type: pino's, as @workshare/telemetry creates it. Log ids, never personal data. */
export type { Logger } from '@workshare/telemetry/logger';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * A pino logger (@workshare/telemetry's: ISO time, level as a word, trace ids, personal data
 * censored) at `level` and above (default: `warn`), writing JSON lines to stderr or to
 * `write`: what a host logs to when the service gave it no logger of its own.
 */
export const jsonLogger = (
  level: Level = 'warn',
  bindings: Record<string, string | number | boolean> = {},
  write: (line: string) => void = (line) => void process.stderr.write(line),
): Logger => createLogger('grpc', { level, bindings, destination: { write } });

/**
 * An error as log fields: pino's error serializer writes its type, message, stack and causes
 * (an unknown error's message stays in the log, never on the wire).
 */
export const errorFields = (error: unknown): Record<string, unknown> =>
  error instanceof Error ? { err: error } : { err: { value: String(error) } };
