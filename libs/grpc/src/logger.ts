/**
 * The little a gRPC host needs of a logger; a pino logger fits it. Log ids, never personal data.
 */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  /** A logger adding `bindings` to every line (pino's child). */
  child?(bindings: Record<string, unknown>): Logger;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Readonly<Record<Level, number>> = { debug: 20, info: 30, warn: 40, error: 50 };

/**
 * JSON lines on stderr at `level` and above (default: `warn`): what a host logs when the
 * service gave it no logger of its own.
 */
export const jsonLogger = (
  level: Level = 'warn',
  bindings: Record<string, unknown> = {},
  write: (line: string) => void = (line) => void process.stderr.write(line),
): Logger => {
  const at =
    (l: Level) =>
    (fields: object, message?: string): void => {
      if (ORDER[l] < ORDER[level]) return;
      write(
        `${JSON.stringify({ level: l, time: new Date().toISOString(), ...bindings, ...fields, ...(message === undefined ? {} : { msg: message }) })}\n`,
      );
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => jsonLogger(level, { ...bindings, ...more }, write),
  };
};

/** An error as log fields: its name, message and stack (an unknown error's message stays here, not on the wire). */
export const errorFields = (error: unknown): Record<string, unknown> =>
  error instanceof Error
    ? { err: { type: error.name, message: error.message, stack: error.stack } }
    : { err: { value: String(error) } };
