/**
 * `workshare audit`'s command line, read without asking any service: each question with its
 * arguments, the options and their defaults, who asks, and every mistake refused with a line
 * that says what is wrong.
 */
import fc from 'fast-check';
import { auditV1 } from '@workshare/proto';
import { AUDIT_CLI_USAGE, instantOf, parseAuditCli, type ParsedAuditCli } from '../../src/cli/args.js';
import { exportRequestFor } from '../../src/cli/connect.js';

const ENV = { WORKSHARE_EMAIL: 'makoto.sasaki@accounting.example', WORKSHARE_PASSWORD: 'fujisato-demo' };

const run = (line: string, env: Record<string, string | undefined> = ENV): ParsedAuditCli =>
  parseAuditCli(line === '' ? [] : line.split(' '), env);

const question = (line: string, env?: Record<string, string | undefined>) => {
  const parsed = run(line, env);
  if (parsed.kind !== 'run') throw new Error(`not a run: ${JSON.stringify(parsed)}`);
  return parsed.question;
};

const error = (line: string, env?: Record<string, string | undefined>): string => {
  const parsed = run(line, env);
  if (parsed.kind !== 'error') throw new Error(`not refused: ${JSON.stringify(parsed)}`);
  return parsed.message;
};

describe('workshare audit: the questions', () => {
  it('history of each subject, with a limit', () => {
    for (const subject of ['job', 'task', 'member', 'business', 'settlement'] as const)
      expect(question(`history ${subject} x-1`)).toEqual({ command: 'history', subject, id: 'x-1' });
    expect(question('history settlement fujisato.2026-10 --limit 50')).toEqual({
      command: 'history',
      subject: 'settlement',
      id: 'fujisato.2026-10',
      limit: 50,
    });
  });

  it('who held a task at an instant: a Tokyo wall time, a date, or ISO-8601 with an offset', () => {
    expect(question('who-held t-1 2026-10-05T19:30')).toEqual({
      command: 'who-held',
      taskId: 't-1',
      at: '2026-10-05T19:30+09:00',
    });
    expect(question('who-held t-1 2026-10-05')).toMatchObject({ at: '2026-10-04T15:00:00.000Z' });
    expect(question('who-held t-1 2026-10-05T10:30:00Z')).toMatchObject({ at: '2026-10-05T10:30:00Z' });
    expect(parseAuditCli(['who-held', 't-1', '2026-10-05 19:30'], ENV)).toMatchObject({
      question: { at: '2026-10-05T19:30+09:00' },
    });
  });

  it('hand-offs of a region in a period (a date as its end counts through that day), a reconciliation, a stream as of an instant, a timeline', () => {
    expect(question('hand-offs fujisato 2026-10-01 2026-10-31')).toEqual({
      command: 'hand-offs',
      regionId: 'fujisato',
      from: '2026-09-30T15:00:00.000Z',
      to: '2026-10-31T15:00:00.000Z',
    });
    expect(question('reconcile fujisato 2026-10')).toEqual({
      command: 'reconcile',
      regionId: 'fujisato',
      month: '2026-10',
    });
    expect(question('as-of timesheet-m1 2026-10-02T12:00+09:00')).toEqual({
      command: 'as-of',
      stream: 'timesheet-m1',
      at: '2026-10-02T12:00+09:00',
    });
    expect(question('timeline j-1')).toEqual({ command: 'timeline', jobId: 'j-1' });
  });

  it('search combines dates, amounts (12,000 or ¥12000) and a counterparty; corrections and verification take a period', () => {
    expect(
      parseAuditCli(
        [
          'search',
          '--from',
          '2026-10-01',
          '--to=2026-10-31',
          '--min',
          '¥12,000',
          '--max',
          '100000',
          '--counterparty',
          '白神',
          '--limit',
          '20',
        ],
        ENV,
      ),
    ).toMatchObject({
      question: {
        command: 'search',
        from: '2026-09-30T15:00:00.000Z',
        to: '2026-10-31T15:00:00.000Z',
        minYen: 12_000,
        maxYen: 100_000,
        counterparty: '白神',
        limit: 20,
      },
    });
    expect(question('search')).toEqual({ command: 'search' });
    expect(question('corrections --region fujisato --from 2026-10-01')).toEqual({
      command: 'corrections',
      regionId: 'fujisato',
      from: '2026-09-30T15:00:00.000Z',
    });
    expect(question('verify')).toEqual({ command: 'verify' });
    expect(question('queries --limit 5')).toEqual({ command: 'queries', limit: 5 });
    expect(question('rebuild --all')).toEqual({ command: 'rebuild' });
    expect(question('rebuild history')).toEqual({ command: 'rebuild', readModel: 'history' });
  });
});

describe('workshare audit: options and who asks', () => {
  it('defaults: a table on stdout, UTF-8, the conventional addresses, the email and password from the environment', () => {
    expect(run('verify')).toEqual({
      kind: 'run',
      question: { command: 'verify' },
      options: {
        format: 'table',
        encoding: 'utf-8',
        auditAddress: '127.0.0.1:50064',
        identityAddress: '127.0.0.1:50051',
        credentials: { kind: 'password', email: ENV.WORKSHARE_EMAIL, password: ENV.WORKSHARE_PASSWORD },
      },
    });
  });

  it('CSV in Shift_JIS to a file; addresses from flags or AUDIT_ADDRESS and IDENTITY_ADDRESS', () => {
    expect(
      run('reconcile fujisato 2026-10 --format csv --encoding shift_jis --output r.csv --audit 10.0.0.5:50064', {
        ...ENV,
        IDENTITY_ADDRESS: 'identity:50051',
      }),
    ).toMatchObject({
      options: {
        format: 'csv',
        encoding: 'shift_jis',
        output: 'r.csv',
        auditAddress: '10.0.0.5:50064',
        identityAddress: 'identity:50051',
      },
    });
    expect(run('verify', { ...ENV, AUDIT_ADDRESS: 'audit:50064' })).toMatchObject({
      options: { auditAddress: 'audit:50064' },
    });
  });

  it('signs in with --email and the password on stdin, or a token from WORKSHARE_TOKEN', () => {
    expect(run('verify --email a@b.example --password-stdin', {})).toMatchObject({
      options: { credentials: { kind: 'password', email: 'a@b.example', password: 'stdin' } },
    });
    expect(run('verify', { WORKSHARE_TOKEN: 'eyJ.x.y' })).toMatchObject({
      options: { credentials: { kind: 'token', token: 'eyJ.x.y' } },
    });
  });

  it('--help, help, and the usage names every command and exit code', () => {
    expect(run('--help')).toEqual({ kind: 'help' });
    expect(run('help')).toEqual({ kind: 'help' });
    expect(run('search -h')).toEqual({ kind: 'help' });
    for (const command of [
      'history',
      'who-held',
      'hand-offs',
      'reconcile',
      'as-of',
      'search',
      'corrections',
      'verify',
      'queries',
      'rebuild',
    ])
      expect(AUDIT_CLI_USAGE).toContain(`  ${command}`);
    expect(AUDIT_CLI_USAGE).toMatch(/exit codes: 0 answered/);
  });
});

describe('workshare audit: mistakes refused, saying what is wrong', () => {
  it.each([
    ['', 'no command given'],
    ['audit-everything', 'no command "audit-everything"'],
    ['history jobs j-1', 'history of "jobs": one of job, task, member, business, settlement'],
    ['history job', 'history takes <job|task|member|business|settlement> <id>'],
    ['who-held t-1', 'who-held takes <task> <instant>'],
    ['who-held t-1 2026-02-30', 'the instant: "2026-02-30" is no day of the calendar'],
    ['reconcile fujisato 2026-13', 'reconcile: "2026-13" is not a month YYYY-MM'],
    ['reconcile fujisato 2026-10 extra', 'reconcile takes <region> <YYYY-MM>, not "extra"'],
    ['search --min -5', '--min: "-5" is not a whole amount of yen'],
    ['search --min abc', '--min: '],
    ['search --min 500 --max 100', '--min 500 is more than --max 100'],
    ['search --limit 0', '--limit: "0" is not a whole number from 1 to 5,000'],
    ['search --counterparty', '--counterparty needs a value'],
    ['verify --limit 3', 'verify takes no --limit'],
    ['verify --format xml', '--format "xml": table or csv'],
    ['verify --encoding latin1 --format csv', '--encoding "latin1": utf-8 or shift_jis'],
    ['verify --encoding shift_jis', '--encoding is for --format csv'],
    ['verify --colour', 'unknown option "--colour"'],
    ['verify --format csv --format table', '--format is given twice'],
    ['rebuild', 'rebuild takes <read model> or --all'],
  ])('%s → %s', (line, message) => {
    expect(error(line)).toContain(message);
  });

  it('refuses to ask without someone asking: no email and no token, or an email without a password', () => {
    expect(error('verify', {})).toBe('who asks? --email (or WORKSHARE_EMAIL) with a password, or WORKSHARE_TOKEN');
    expect(error('verify --email a@b.example', {})).toBe(
      'signing in as a@b.example needs a password: WORKSHARE_PASSWORD, or --password-stdin',
    );
  });
});

describe('instants as the accountant types them', () => {
  it('a Tokyo date is 00:00 in Tokyo (15:00 UTC the day before); as the end of a period, the next day’s', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2099-12-30T00:00:00Z'), noInvalidDate: true }),
        (date) => {
          const day = new Date(date.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
          const start = instantOf(day, 'd');
          expect(new Date(start).getTime()).toBe(Date.parse(`${day}T00:00:00+09:00`));
          expect(new Date(instantOf(day, 'd', true)).getTime() - new Date(start).getTime()).toBe(86_400_000);
        },
      ),
    );
  });

  it('a Tokyo wall time gets the +09:00 offset; text with an offset is passed on untouched', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
        const time = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
        expect(instantOf(`2026-10-05 ${time}`, 'at')).toBe(`2026-10-05T${time}+09:00`);
        expect(instantOf(`2026-10-05T${time}Z`, 'at')).toBe(`2026-10-05T${time}Z`);
      }),
    );
  });

  it('any text that is no date of the calendar is refused before anything is asked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 29, max: 31 }), (month, day) => {
        const text = `2026-${String(month).padStart(2, '0')}-${day}`;
        const exists = new Date(Date.UTC(2026, month - 1, day)).getUTCMonth() === month - 1;
        const parsed = run(`who-held t ${text}`);
        expect(parsed.kind).toBe(exists ? 'run' : 'error');
      }),
    );
  });
});

describe('each question as the audit’s Export asks it', () => {
  it('maps every command to its query, the encoding asked, a verification run afresh', () => {
    const ask = (line: string, encoding: 'utf-8' | 'shift_jis' = 'utf-8') => {
      const q = question(line);
      if (q.command === 'rebuild') throw new Error('rebuild is no question');
      return exportRequestFor(q, encoding);
    };
    expect(ask('history settlement fujisato.2026-10 --limit 5', 'shift_jis')).toEqual({
      encoding: auditV1.CsvEncoding.CSV_ENCODING_SHIFT_JIS,
      history: { subject: auditV1.Subject.SUBJECT_SETTLEMENT, id: 'fujisato.2026-10', limit: 5, after: '' },
    });
    expect(ask('who-held t-1 2026-10-05T19:30')).toEqual({
      encoding: auditV1.CsvEncoding.CSV_ENCODING_UTF8,
      whoHeld: { taskId: 't-1', at: '2026-10-05T19:30+09:00' },
    });
    expect(ask('search --min 1000 --counterparty 白神')).toMatchObject({
      search: { from: '', to: '', minYen: '1000', maxYen: '', counterparty: '白神', limit: 0 },
    });
    expect(ask('verify')).toMatchObject({ verification: { from: '', to: '', fresh: true } });
    expect(ask('reconcile fujisato 2026-10')).toMatchObject({
      reconciliation: { regionId: 'fujisato', month: '2026-10' },
    });
    expect(ask('hand-offs fujisato 2026-10-01 2026-10-31')).toMatchObject({ handOffs: { regionId: 'fujisato' } });
    expect(ask('as-of timesheet-m 2026-10-02')).toMatchObject({ streamAsOf: { stream: 'timesheet-m' } });
    expect(ask('corrections --region fujisato')).toMatchObject({
      corrections: { regionId: 'fujisato', from: '', to: '' },
    });
    expect(ask('queries')).toMatchObject({ queries: { limit: 0 } });
    expect(ask('timeline j-1')).toMatchObject({ jobTimeline: { jobId: 'j-1' } });
  });
});
