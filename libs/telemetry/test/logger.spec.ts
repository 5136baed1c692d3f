import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import {
  createLogger,
  logLevelFrom,
  PERSONAL_DATA_KEYS,
  REDACTED,
  startTestTelemetry,
  withSpan,
  type LoggerOptions,
  type TestTelemetry,
} from '../src/index.js';

let telemetry: TestTelemetry;

beforeAll(async () => {
  telemetry = await startTestTelemetry({ serviceName: 'logger-test' });
});
afterAll(() => telemetry.shutdown());

/** A logger whose JSON lines land in an array. */
const capture = (options: Omit<LoggerOptions, 'destination'> = {}) => {
  const lines: string[] = [];
  const logger = createLogger('identity.members', {
    ...options,
    destination: { write: (line: string) => void lines.push(line) },
  });
  const records = (): Record<string, unknown>[] => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
};

describe('createLogger', () => {
  it('logs an error under err with its type, message, stack, code and causes, whatever else it holds', () => {
    const { logger, records } = capture();
    // Like a gRPC error: a numeric code, string details, and an object graph with a cycle.
    const graph: Record<string, unknown> = { name: 'call' };
    graph.self = { back: graph, socket: { graph } };
    const root = new TypeError('the pool is closed');
    const error = Object.assign(new Error('13 INTERNAL: the request could not be completed', { cause: root }), {
      code: 13,
      details: 'the request could not be completed',
      call: graph,
    });
    logger.error({ err: error, requestId: 'req-1' }, 'request failed');
    const [record] = records();
    expect(record).toMatchObject({
      requestId: 'req-1',
      err: {
        type: 'Error',
        message: '13 INTERNAL: the request could not be completed',
        code: 13,
        details: 'the request could not be completed',
        cause: { type: 'TypeError', message: 'the pool is closed' },
      },
    });
    expect((record!.err as { stack: string }).stack).toMatch(/\n\s+at /);
    expect(record!.err).not.toHaveProperty('call');
    expect(JSON.stringify(record)).not.toMatch(/unable to serialize/);
  });

  it('logs a thrown value that is not an Error as its type and text', () => {
    const { logger, records } = capture();
    logger.warn({ err: 'just a string' }, 'odd');
    expect(records()[0]).toMatchObject({ err: { type: 'string', value: 'just a string' } });
  });

  it('writes one JSON line per record with level, ISO time, logger name and message', () => {
    const { logger, records } = capture();
    logger.info({ memberId: 'm-1' }, 'member registered');
    const [record] = records();
    expect(record).toMatchObject({
      level: 'info',
      logger: 'identity.members',
      memberId: 'm-1',
      msg: 'member registered',
    });
    expect(String(record?.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('mixes in the trace and span ids of the active span', () => {
    const { logger, records } = capture();
    const ids = withSpan('RegisterMember', {}, (span) => {
      logger.info('inside');
      return span.spanContext();
    });
    context.with(ROOT_CONTEXT, () => logger.info('outside'));
    const [inside, outside] = records();
    expect(inside).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId, trace_flags: '01' });
    expect(telemetry.trace(String(inside?.trace_id)).map((s) => s.name)).toEqual(['RegisterMember']);
    expect(outside).not.toHaveProperty('trace_id');
    expect(outside).not.toHaveProperty('span_id');
  });

  it('censors personal data at the top level, nested, in arrays and in child bindings: ids stay', () => {
    const { logger, lines, records } = capture();
    const member = {
      memberId: 'm-7',
      name: '佐藤 花子',
      email: 'hanako@example.jp',
      phone: '090-1234-5678',
      address: { postalCode: '018-3201', line: '藤里町藤琴字藤琴 1' },
      bankAccount: { bankCode: '0117', branchCode: '201', accountNumber: '1234567', accountHolderKana: 'ｻﾄｳ ﾊﾅｺ' },
    };
    logger.info({ member }, 'member registered');
    logger.info(
      { command: { type: 'RegisterMember', payload: { email: 'yuki@example.jp', name: '鈴木 由紀' } } },
      'command',
    );
    logger.info({ team: [{ memberId: 'm-8', name: '高橋 美咲' }] }, 'team');
    logger.info(
      { req: { headers: { authorization: 'Bearer eyJhbGciOi.secret.sig' } }, password: 'hunter2', token: 'tok' },
      'call',
    );
    logger.child({ email: 'child@example.jp', requestId: 'r-1' }).warn('child');

    const text = lines.join('');
    for (const secret of [
      '佐藤',
      'hanako@example.jp',
      '090-1234-5678',
      '018-3201',
      '1234567',
      'ｻﾄｳ',
      'yuki@example.jp',
      '鈴木',
      '高橋',
      'eyJhbGciOi',
      'hunter2',
      'tok"',
      'child@example.jp',
    ]) {
      expect(text).not.toContain(secret);
    }
    const [first, second, third, fourth, fifth] = records();
    expect(first).toMatchObject({
      member: { memberId: 'm-7', name: REDACTED, email: REDACTED, address: REDACTED, bankAccount: REDACTED },
    });
    expect(second).toMatchObject({ command: { type: 'RegisterMember', payload: { email: REDACTED, name: REDACTED } } });
    expect(third).toMatchObject({ team: [{ memberId: 'm-8', name: REDACTED }] });
    expect(fourth).toMatchObject({
      req: { headers: { authorization: REDACTED } },
      password: REDACTED,
      token: REDACTED,
    });
    expect(fifth).toMatchObject({ email: REDACTED, requestId: 'r-1', msg: 'child' });
  });

  it('covers the personal data DESIGN names: name, address, bank account, and credentials', () => {
    for (const key of [
      'name',
      'address',
      'email',
      'bankAccount',
      'accountNumber',
      'password',
      'token',
      'authorization',
    ])
      expect(PERSONAL_DATA_KEYS).toContain(key);
  });

  it('takes its level from LOG_LEVEL, refusing unknown levels', () => {
    expect(logLevelFrom({})).toBe('info');
    expect(logLevelFrom({ LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(() => logLevelFrom({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);

    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'warn';
    try {
      const { logger, records } = capture();
      logger.info('dropped');
      logger.warn('kept');
      expect(records().map((r) => r.msg)).toEqual(['kept']);
    } finally {
      if (previous === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previous;
    }
  });
});
