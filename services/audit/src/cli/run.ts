/**
 * `workshare audit …`: signs in, asks the audit service one question, writes the answer as an
 * aligned table or as CSV (UTF-8 with a BOM, or Shift_JIS) to stdout or a file. Errors are one
 * line on stderr and an exit code (args.ts: AUDIT_CLI_USAGE). The service is reached through an
 * AuditCliConnector (connect.ts: the audit gRPC service with the client @workshare/audit
 * exports, whose Export answers every question as the one table of toAuditTable; the audit's
 * ops ReadModels service for a rebuild).
 */
import { DomainError } from '@workshare/eventsourcing';
import { decodeUtf8, encodeCsv, parseCsv } from '@workshare/files';
import type { AuditTable, CsvEncoding, VerificationReport } from '../contract.js';
import { AUDIT_CLI_USAGE, parseAuditCli, type AuditCliOptions, type AuditCliQuestion } from './args.js';
import { progressBar, renderTable } from './render.js';

/**
 * A question answered: its table as CSV bytes in the encoding asked for (the service's Export),
 * and, for a verification, the report's status and breaks (they set the exit code).
 */
export interface AuditCliAnswer {
  readonly csv: Uint8Array;
  readonly verification?: Pick<VerificationReport, 'status' | 'checkedEvents' | 'breaks'>;
}

/** A question of the service (every command but `rebuild`). */
export type AuditCliServiceQuestion = Exclude<AuditCliQuestion, { readonly command: 'rebuild' }>;

/** Where a rebuild stands. */
export interface AuditRebuildProgress {
  readonly readModel: string;
  readonly events: number;
  readonly fraction: number;
  readonly done: boolean;
}

/** One signed-in session with the audit service. */
export interface AuditCliConnection {
  ask(question: AuditCliServiceQuestion, encoding: CsvEncoding): Promise<AuditCliAnswer>;
  /** Rebuilds one read model, or every one, reporting progress until done; answers what was rebuilt. */
  rebuild(
    readModel: string | undefined,
    progress: (p: AuditRebuildProgress) => void,
  ): Promise<readonly { readonly readModel: string; readonly events: number; readonly seconds: number }[]>;
  close(): void;
}

export interface AuditCliConnector {
  /** An access token for these credentials (identity's Login), or the token given. */
  signIn(options: AuditCliOptions, password: string | undefined): Promise<string>;
  connect(options: AuditCliOptions, token: string): AuditCliConnection;
}

export interface AuditCliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The answer (text, or CSV bytes). */
  readonly stdout: (chunk: string | Uint8Array) => void;
  /** Messages: errors, the file written. */
  readonly stderr: (line: string) => void;
  /** Progress, redrawn in place on a terminal. */
  readonly progress: (line: string, done: boolean) => void;
  /** The first line of stdin (--password-stdin). */
  readonly readStdinLine: () => Promise<string>;
  readonly writeFile: (path: string, bytes: Uint8Array) => Promise<void>;
}

export const EXIT = {
  ok: 0,
  broken: 1,
  usage: 2,
  unauthenticated: 3,
  forbidden: 4,
  notFound: 5,
  refused: 6,
  failed: 7,
} as const;

/** The exit code and the line said for an error of the services. */
export const describeFailure = (error: unknown): { readonly code: number; readonly message: string } => {
  if (error instanceof DomainError) {
    const code =
      error.kind === 'unauthenticated'
        ? EXIT.unauthenticated
        : error.kind === 'forbidden'
          ? EXIT.forbidden
          : error.kind === 'not_found'
            ? EXIT.notFound
            : EXIT.refused;
    return { code, message: `${error.message} (${error.code})` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: EXIT.failed, message };
};

/** The table a UTF-8 CSV export holds (its BOM dropped, its header the columns). */
export const tableOfCsv = (csv: Uint8Array): AuditTable => {
  const [columns = [], ...rows] = parseCsv(decodeUtf8(csv).replace(/^\uFEFF/, ''));
  return { columns, rows: rows.filter((row) => !(row.length === 1 && row[0] === '')) };
};

const write = async (options: AuditCliOptions, io: AuditCliIo, bytes: string | Uint8Array): Promise<void> => {
  if (options.output === undefined) return io.stdout(bytes);
  await io.writeFile(options.output, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  io.stderr(`written to ${options.output}`);
};

/** Runs the command (the arguments after `audit`); answers its exit code. */
export const runAuditCli = async (
  args: readonly string[],
  io: AuditCliIo,
  connector: AuditCliConnector,
): Promise<number> => {
  const parsed = parseAuditCli(args, io.env);
  if (parsed.kind === 'help') {
    io.stdout(`${AUDIT_CLI_USAGE}\n`);
    return EXIT.ok;
  }
  if (parsed.kind === 'error') {
    io.stderr(`workshare audit: ${parsed.message}`);
    io.stderr('(workshare audit --help lists the commands and options)');
    return EXIT.usage;
  }
  const { question, options } = parsed;
  let connection: AuditCliConnection | undefined;
  try {
    const password =
      options.credentials.kind === 'password'
        ? options.credentials.password === 'stdin'
          ? (await io.readStdinLine()).replace(/\r?\n$/, '')
          : options.credentials.password
        : undefined;
    if (password !== undefined && password === '') {
      io.stderr('workshare audit: no password on stdin');
      return EXIT.usage;
    }
    const token = await connector.signIn(options, password);
    connection = connector.connect(options, token);
    if (question.command === 'rebuild') {
      const rebuilt = await connection.rebuild(question.readModel, (p) =>
        io.progress(
          `audit/${p.readModel.padEnd(20)} ${progressBar(p.fraction)}  ${p.events.toLocaleString('en')} events`,
          p.done,
        ),
      );
      const table: AuditTable = {
        columns: ['read model', 'events', 'seconds'],
        rows: rebuilt.map((r) => [`audit/${r.readModel}`, String(r.events), r.seconds.toFixed(1)]),
      };
      await write(options, io, options.format === 'csv' ? encodeCsv(table, options.encoding) : renderTable(table));
      return EXIT.ok;
    }
    const answer = await connection.ask(question, options.format === 'csv' ? options.encoding : 'utf-8');
    await write(options, io, options.format === 'csv' ? answer.csv : renderTable(tableOfCsv(answer.csv)));
    if (answer.verification !== undefined && answer.verification.status !== 'intact') {
      io.stderr(
        `the log is broken: ${answer.verification.breaks.length} break(s) found in ${answer.verification.checkedEvents.toLocaleString('en')} events`,
      );
      return EXIT.broken;
    }
    return EXIT.ok;
  } catch (error) {
    const { code, message } = describeFailure(error);
    io.stderr(`workshare audit: ${message}`);
    return code;
  } finally {
    connection?.close();
  }
};
