/**
 * `workshare audit …`: its command line, read into one request (pure: nothing is asked of the
 * services here). Every audit question is a subcommand; the options say where the services are,
 * who asks, and how the answer is written.
 */
import { preview, ValidationError } from '@workshare/eventsourcing';
import { AUDIT_SUBJECTS, CSV_ENCODINGS, type AuditSubject, type CsvEncoding } from '../contract.js';
import { parseYen } from '../domain/parsing.js';

export const AUDIT_CLI_USAGE = `usage: workshare audit <command> [arguments] [options]

The accountant's questions of the history, answered by the audit service (every question is
itself recorded: who asked what, when). Times are shown in Tokyo time; an instant given as a
date (2026-10-01) or a Tokyo wall time (2026-10-01 09:30, 2026-10-01T09:30) is read in
Asia/Tokyo, one with an offset (2026-10-01T00:30Z) as it is.

commands:
  history <job|task|member|business|settlement> <id> [--limit N]
                                      every event of it, with actor and reason (a settlement:
                                      <region>.<YYYY-MM>, e.g. fujisato.2026-10)
  who-held <task> <instant>           who held the task then
  timeline <job>                      who held each of the job's tasks over time, hand-offs marked
  hand-offs <region> <from> <to>      every hand-off in the period and region, with its reasons
                                      where you may read them
  reconcile <region> <YYYY-MM>        every yen of the month's invoices, statements, transfers and
                                      journal lines traced to its jobs, tasks and approved time
  as-of <stream> <instant>            a stream's state and events as of the instant (replayed)
  search [--from D] [--to D] [--min YEN] [--max YEN] [--counterparty TEXT] [--limit N]
                                      documents by date, amount and counterparty, combined
                                      (a date in --to counts through its end)
  corrections [--from D] [--to D] [--region R]
                                      every correction with its before and after
  verify [--from D] [--to D]          recomputes the log's hash chains and checks them against
                                      the seals (exit 1 when anything is broken)
  queries [--limit N]                 the audit queries asked (who, what, when)
  rebuild [<read model> | --all]      rebuilds the audit's query tables from zero (operators),
                                      a progress bar on stderr

options:
  --format table|csv                  (default table)
  --encoding utf-8|shift_jis          CSV's encoding (default utf-8, with a BOM; CRLF)
  --output FILE                       write the answer to FILE instead of stdout
  --email EMAIL                       sign in as EMAIL (or WORKSHARE_EMAIL); the password is read
                                      from WORKSHARE_PASSWORD, or from stdin with --password-stdin
  --password-stdin                    read the password from the first line of stdin
                                      (WORKSHARE_TOKEN, an access token, signs in without either)
  --audit HOST:PORT                   the audit service (AUDIT_ADDRESS, default 127.0.0.1:50064)
  --identity HOST:PORT                identity, to sign in (IDENTITY_ADDRESS, default 127.0.0.1:50051)
  -h, --help                          this text

exit codes: 0 answered (verify: intact), 1 verify found breaks, 2 bad command line,
3 not signed in (bad credentials, expired token), 4 not allowed, 5 not found,
6 refused by the service (bad input), 7 the services could not be reached or failed`;

export const DEFAULT_AUDIT_ADDRESS = '127.0.0.1:50064';
export const DEFAULT_IDENTITY_ADDRESS = '127.0.0.1:50051';

/** What was asked, with the arguments each question takes (instants as ISO-8601 text). */
export type AuditCliQuestion =
  | { readonly command: 'history'; readonly subject: AuditSubject; readonly id: string; readonly limit?: number }
  | { readonly command: 'who-held'; readonly taskId: string; readonly at: string }
  | { readonly command: 'timeline'; readonly jobId: string }
  | { readonly command: 'hand-offs'; readonly regionId: string; readonly from: string; readonly to: string }
  | { readonly command: 'reconcile'; readonly regionId: string; readonly month: string }
  | { readonly command: 'as-of'; readonly stream: string; readonly at: string }
  | {
      readonly command: 'search';
      readonly from?: string;
      readonly to?: string;
      readonly minYen?: number;
      readonly maxYen?: number;
      readonly counterparty?: string;
      readonly limit?: number;
    }
  | { readonly command: 'corrections'; readonly from?: string; readonly to?: string; readonly regionId?: string }
  | { readonly command: 'verify'; readonly from?: string; readonly to?: string }
  | { readonly command: 'queries'; readonly limit?: number }
  | { readonly command: 'rebuild'; readonly readModel?: string };

export type AuditCliCommand = AuditCliQuestion['command'];

export interface AuditCliOptions {
  readonly format: 'table' | 'csv';
  readonly encoding: CsvEncoding;
  readonly output?: string;
  readonly auditAddress: string;
  readonly identityAddress: string;
  /** How she signs in: a token (WORKSHARE_TOKEN), or an email with a password from the environment or stdin. */
  readonly credentials:
    | { readonly kind: 'token'; readonly token: string }
    | { readonly kind: 'password'; readonly email: string; readonly password: string | 'stdin' };
}

export type ParsedAuditCli =
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly question: AuditCliQuestion; readonly options: AuditCliOptions }
  | { readonly kind: 'error'; readonly message: string };

/** A command line's mistake: its message is printed with the usage, exit code 2. */
export class AuditCliUsageError extends Error {
  override readonly name = 'AuditCliUsageError';
}

const fail = (message: string): never => {
  throw new AuditCliUsageError(message);
};

const TOKYO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TOKYO_WALL_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)$/;
const DAY_MS = 86_400_000;

/**
 * An instant as the service takes it (ISO-8601 with an offset): a date is 00:00 of that Tokyo
 * day (or of the next, `endOfDay`, for the end of a period), a wall time without an offset a
 * Tokyo one; text with an offset is passed on as it is (the service checks it).
 */
export const instantOf = (text: string, name: string, endOfDay = false): string => {
  const value = text.trim();
  if (value === '') return fail(`${name}: an instant is needed (2026-10-01, 2026-10-01 09:30 or ISO-8601)`);
  const date = TOKYO_DATE.exec(value);
  if (date !== null) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())
      return fail(`${name}: ${preview(text)} is no day of the calendar`);
    const start = new Date(`${value}T00:00:00+09:00`);
    return new Date(start.getTime() + (endOfDay ? DAY_MS : 0)).toISOString();
  }
  const wall = TOKYO_WALL_TIME.exec(value);
  if (wall !== null) return `${wall[1]}T${wall[2]}+09:00`;
  return value;
};

const positiveInteger = (text: string, name: string, max: number): number => {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max)
    return fail(`${name}: ${preview(text)} is not a whole number from 1 to ${max.toLocaleString('en')}`);
  return Number(text);
};

const yen = (text: string, name: string): number => {
  try {
    return parseYen(text, name);
  } catch (error) {
    if (error instanceof ValidationError) return fail(`${name}: ${error.message}`);
    throw error;
  }
};

const FLAGS_WITH_VALUES = new Set([
  '--format',
  '--encoding',
  '--output',
  '--email',
  '--audit',
  '--identity',
  '--from',
  '--to',
  '--min',
  '--max',
  '--counterparty',
  '--limit',
  '--region',
]);
const FLAGS_ALONE = new Set(['--password-stdin', '--all', '--help', '-h']);

/** Which flags each command takes, besides the options every command takes. */
const COMMAND_FLAGS: Readonly<Record<AuditCliCommand, readonly string[]>> = {
  history: ['--limit'],
  'who-held': [],
  timeline: [],
  'hand-offs': [],
  reconcile: [],
  'as-of': [],
  search: ['--from', '--to', '--min', '--max', '--counterparty', '--limit'],
  corrections: ['--from', '--to', '--region'],
  verify: ['--from', '--to'],
  queries: ['--limit'],
  rebuild: ['--all'],
};
const COMMON_FLAGS = ['--format', '--encoding', '--output', '--email', '--audit', '--identity', '--password-stdin'];

const isCommand = (value: string): value is AuditCliCommand => Object.hasOwn(COMMAND_FLAGS, value);

/** Splits `--flag value`, `--flag=value` and positional arguments; unknown flags are refused. */
const split = (args: readonly string[]): { positional: string[]; flags: Map<string, string> } => {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (FLAGS_ALONE.has(name)) {
      if (eq > 0) fail(`${name} takes no value`);
      flags.set(name, '');
    } else if (FLAGS_WITH_VALUES.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) fail(`${name} needs a value`);
      if (flags.has(name)) fail(`${name} is given twice`);
      flags.set(name, value!);
    } else fail(`unknown option ${preview(name)}`);
  }
  return { positional, flags };
};

const questionOf = (
  command: AuditCliCommand,
  positional: readonly string[],
  flags: Map<string, string>,
): AuditCliQuestion => {
  const want = (count: number, shape: string): void => {
    if (positional.length !== count)
      fail(
        `${command} takes ${count === 0 ? 'no arguments' : shape}${positional.length > count ? `, not ${preview(positional.slice(count).join(' '))}` : ''}`,
      );
  };
  const flag = (name: string): string | undefined => flags.get(name);
  const limit = (max: number) =>
    flag('--limit') === undefined ? {} : { limit: positiveInteger(flag('--limit')!, '--limit', max) };
  const period = (endName = '--to') => ({
    ...(flag('--from') !== undefined ? { from: instantOf(flag('--from')!, '--from') } : {}),
    ...(flag(endName) !== undefined ? { to: instantOf(flag(endName)!, endName, true) } : {}),
  });
  switch (command) {
    case 'history': {
      want(2, '<job|task|member|business|settlement> <id>');
      const [subject, id] = positional as [string, string];
      if (!(AUDIT_SUBJECTS as readonly string[]).includes(subject))
        fail(`history of ${preview(subject)}: one of ${AUDIT_SUBJECTS.join(', ')}`);
      return { command, subject: subject as AuditSubject, id, ...limit(1_000) };
    }
    case 'who-held':
      want(2, '<task> <instant>');
      return { command, taskId: positional[0]!, at: instantOf(positional[1]!, 'the instant') };
    case 'timeline':
      want(1, '<job>');
      return { command, jobId: positional[0]! };
    case 'hand-offs': {
      want(3, '<region> <from> <to>');
      const [regionId, from, to] = positional as [string, string, string];
      return { command, regionId, from: instantOf(from, 'from'), to: instantOf(to, 'to', true) };
    }
    case 'reconcile': {
      want(2, '<region> <YYYY-MM>');
      const [regionId, month] = positional as [string, string];
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) fail(`reconcile: ${preview(month)} is not a month YYYY-MM`);
      return { command, regionId, month };
    }
    case 'as-of':
      want(2, '<stream> <instant>');
      return { command, stream: positional[0]!, at: instantOf(positional[1]!, 'the instant') };
    case 'search': {
      want(0, '');
      const min = flag('--min') === undefined ? undefined : yen(flag('--min')!, '--min');
      const max = flag('--max') === undefined ? undefined : yen(flag('--max')!, '--max');
      if (min !== undefined && max !== undefined && min > max) fail(`--min ${min} is more than --max ${max}`);
      const counterparty = flag('--counterparty');
      if (counterparty !== undefined && counterparty.trim() === '') fail('--counterparty needs some text');
      return {
        command,
        ...period(),
        ...(min !== undefined ? { minYen: min } : {}),
        ...(max !== undefined ? { maxYen: max } : {}),
        ...(counterparty !== undefined ? { counterparty: counterparty.trim() } : {}),
        ...limit(5_000),
      };
    }
    case 'corrections':
      want(0, '');
      return { command, ...period(), ...(flag('--region') !== undefined ? { regionId: flag('--region')! } : {}) };
    case 'verify':
      want(0, '');
      return { command, ...period() };
    case 'queries':
      want(0, '');
      return { command, ...limit(1_000) };
    case 'rebuild':
      if (flags.has('--all')) {
        want(0, '');
        return { command };
      }
      want(1, '<read model> or --all');
      return { command, readModel: positional[0]! };
  }
};

/**
 * Reads `workshare audit`'s arguments (those after `audit`) and the environment into one
 * request, or says what is wrong with them.
 */
export const parseAuditCli = (
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedAuditCli => {
  try {
    const { positional, flags } = split(args);
    if (flags.has('--help') || flags.has('-h') || positional[0] === 'help') return { kind: 'help' };
    const [command, ...rest] = positional;
    if (command === undefined) return fail('no command given');
    if (!isCommand(command)) return fail(`no command ${preview(command)}`);
    const allowed = new Set([...COMMON_FLAGS, ...COMMAND_FLAGS[command]]);
    for (const name of flags.keys()) if (!allowed.has(name)) fail(`${command} takes no ${name}`);
    const question = questionOf(command, rest, flags);

    const format = flags.get('--format') ?? 'table';
    if (format !== 'table' && format !== 'csv') return fail(`--format ${preview(format)}: table or csv`);
    const encoding = flags.get('--encoding') ?? 'utf-8';
    if (!(CSV_ENCODINGS as readonly string[]).includes(encoding))
      fail(`--encoding ${preview(encoding)}: ${CSV_ENCODINGS.join(' or ')}`);
    if (flags.has('--encoding') && format !== 'csv') fail('--encoding is for --format csv');
    const output = flags.get('--output');
    if (output !== undefined && output.trim() === '') fail('--output needs a file name');

    const token = env.WORKSHARE_TOKEN?.trim();
    const email = (flags.get('--email') ?? env.WORKSHARE_EMAIL)?.trim();
    let credentials: AuditCliOptions['credentials'];
    if (email !== undefined && email !== '') {
      const password = flags.has('--password-stdin') ? 'stdin' : env.WORKSHARE_PASSWORD;
      if (password === undefined || password === '')
        fail(`signing in as ${email} needs a password: WORKSHARE_PASSWORD, or --password-stdin`);
      credentials = { kind: 'password', email, password: password! };
    } else if (token !== undefined && token !== '') credentials = { kind: 'token', token };
    else return fail('who asks? --email (or WORKSHARE_EMAIL) with a password, or WORKSHARE_TOKEN');

    return {
      kind: 'run',
      question,
      options: {
        format,
        encoding: encoding as CsvEncoding,
        ...(output !== undefined ? { output } : {}),
        auditAddress: flags.get('--audit') ?? (env.AUDIT_ADDRESS?.trim() || DEFAULT_AUDIT_ADDRESS),
        identityAddress: flags.get('--identity') ?? (env.IDENTITY_ADDRESS?.trim() || DEFAULT_IDENTITY_ADDRESS),
        credentials: credentials!,
      },
    };
  } catch (error) {
    if (error instanceof AuditCliUsageError) return { kind: 'error', message: error.message };
    throw error;
  }
};
