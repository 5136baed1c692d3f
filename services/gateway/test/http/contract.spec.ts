/**
 * One contract at the edge: every limit of the OpenAPI document is the domain's own constant
 * (the document is walked whole, every limit found must be accounted for); every answer fastify
 * itself produces is problem+json; every text of every route is storable text (fatal UTF-8, no
 * NUL, no lone surrogate), refused with 400 `text.invalid_characters` before anything is called,
 * as a fast-check property over every text field of every route.
 */
import { randomUUID } from 'node:crypto';
import { MAX_REQUEST_ID_LENGTH, textFault } from '@workshare/eventsourcing';
import { ID_MAX_LENGTH, LoginAttemptLimiter } from '@workshare/grpc';
import {
  MAX_BUSINESS_ADDRESS,
  MAX_BUSINESS_NAME,
  MAX_REASON_LENGTH,
  MAX_SKILLS,
  MAX_SKILL_LENGTH,
  MAX_REFRESH_TOKEN_LENGTH,
  MAX_WINDOWS,
  PERSONAL_DATA_LIMITS,
  REGISTRATION_NUMBER_PATTERN,
} from '@workshare/identity/contract';
import { LIMITS, MAX_PAGE_SIZE } from '@workshare/job-intake/contract';
import { CONFIG_LIMITS } from '@workshare/settlement/contract';
import { PLAN_LIMITS } from '@workshare/task-decomposition/contract';
import { LIMITS as SCHEDULING_LIMITS } from '@workshare/team-scheduling/contract';
import { LIMITS as TIME_LIMITS } from '@workshare/time-tracking/contract';
import fc from 'fast-check';
import Fastify from 'fastify';
import type { Access } from '../../src/application/access.js';
import { connectUpstreams } from '../../src/adapters/grpc/upstreams.js';
import { registerRoutes } from '../../src/adapters/http/routes.js';
import { EDGE_LIMITS, SHARED_SCHEMAS } from '../../src/adapters/http/schemas.js';
import { expectProblem, headOf, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let document: OpenApi;

interface SchemaNode {
  readonly type?: string | string[];
  readonly format?: string;
  readonly pattern?: string;
  readonly enum?: unknown[];
  readonly const?: unknown;
  readonly properties?: Record<string, SchemaNode>;
  readonly required?: string[];
  readonly items?: SchemaNode;
  readonly anyOf?: SchemaNode[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly [keyword: string]: unknown;
}
interface Operation {
  readonly operationId: string;
  readonly tags: string[];
  readonly parameters?: { name: string; in: string; required?: boolean; schema: SchemaNode }[];
  readonly requestBody?: { content: Record<string, { schema: SchemaNode }> };
  readonly responses: Record<string, unknown>;
  readonly security?: unknown[];
}
interface OpenApi {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { schemas: Record<string, SchemaNode> };
}

beforeAll(async () => {
  // Many requests: the rate limit is not under test here.
  h = await startHarness({ bodyLimitBytes: 4 * 1024, rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } });
  document = (await h.call('GET', '/openapi.json')).json() as OpenApi;
});
afterAll(async () => h?.close());

const operations = (): { method: string; path: string; operation: Operation }[] =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method, path, operation })),
  );

// ---- limits ------------------------------------------------------------------------------------

const LIMIT_KEYWORDS = ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems'] as const;
type LimitKeyword = (typeof LIMIT_KEYWORDS)[number];

/** What each service says a field may be, by the operation's tag, the field's name and the keyword. */
const SERVICE_LIMITS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  auth: {
    'email.maxLength': PERSONAL_DATA_LIMITS.email,
    'password.maxLength': PERSONAL_DATA_LIMITS.passwordMax,
    'refreshToken.maxLength': MAX_REFRESH_TOKEN_LENGTH,
  },
  jobs: {
    'title.maxLength': LIMITS.titleLength,
    'description.maxLength': LIMITS.descriptionLength,
    'skills.maxItems': LIMITS.skills,
    'skills[].maxLength': LIMITS.skillLength,
    'reason.maxLength': LIMITS.reasonLength,
    'note.maxLength': LIMITS.noteLength,
    'amountYen.minimum': Number(LIMITS.minAmountYen),
    'amountYen.maximum': Number(LIMITS.maxAmountYen),
    'hourlyRateYen.minimum': Number(LIMITS.minAmountYen),
    'hourlyRateYen.maximum': Number(LIMITS.maxAmountYen),
    'estimatedMinutes.minimum': LIMITS.minEstimatedMinutes,
    'estimatedMinutes.maximum': LIMITS.maxEstimatedMinutes,
    'pageSize.maximum': MAX_PAGE_SIZE,
  },
  plans: {
    'tasks.maxItems': PLAN_LIMITS.tasksPerPlan,
    'title.maxLength': PLAN_LIMITS.taskTitleLength,
    'key.maxLength': PLAN_LIMITS.taskKeyLength,
    'dependsOn.maxItems': PLAN_LIMITS.tasksPerPlan,
    'dependsOn[].maxLength': PLAN_LIMITS.taskKeyLength,
    'estimatedMinutes.maximum': PLAN_LIMITS.maxTaskMaxMinutes,
    'skills.maxItems': PLAN_LIMITS.skillsPerTask,
    'skills[].maxLength': PLAN_LIMITS.skillLength,
  },
  schedules: {
    'reason.maxLength': SCHEDULING_LIMITS.reasonLength,
    'progressNote.maxLength': SCHEDULING_LIMITS.progressNoteLength,
    'skill.maxLength': SCHEDULING_LIMITS.skillLength,
    'minutesPerWeek.maximum': SCHEDULING_LIMITS.maxWishedMinutesPerWeek,
  },
  people: {
    'reason.maxLength': MAX_REASON_LENGTH,
    'skills.maxItems': MAX_SKILLS,
    'skills[].maxLength': MAX_SKILL_LENGTH,
    'windows.maxItems': MAX_WINDOWS,
    'personalData.name.maxLength': PERSONAL_DATA_LIMITS.name,
    'personalData.address.maxLength': PERSONAL_DATA_LIMITS.address,
    'personalData.email.maxLength': PERSONAL_DATA_LIMITS.email,
    'bankAccount.holderNameKana.maxLength': PERSONAL_DATA_LIMITS.name,
    'password.minLength': PERSONAL_DATA_LIMITS.passwordMin,
    'password.maxLength': PERSONAL_DATA_LIMITS.passwordMax,
    'name.maxLength': MAX_BUSINESS_NAME,
    'address.maxLength': MAX_BUSINESS_ADDRESS,
  },
  time: {
    'reason.maxLength': TIME_LIMITS.reasonLength,
  },
  settlement: {
    'issuerName.maxLength': CONFIG_LIMITS.issuerName,
    'address.maxLength': CONFIG_LIMITS.address,
    'bankNameKana.maxLength': CONFIG_LIMITS.kanaText,
    'branchNameKana.maxLength': CONFIG_LIMITS.kanaText,
    'requesterNameKana.maxLength': CONFIG_LIMITS.kanaText,
    'zenginRequesterCode.maxLength': CONFIG_LIMITS.zenginRequesterCodeDigits,
    'marginBasisPoints.minimum': CONFIG_LIMITS.marginBasisPoints.min,
    'marginBasisPoints.maximum': CONFIG_LIMITS.marginBasisPoints.max,
    'payDay.minimum': CONFIG_LIMITS.payDay.min,
    'payDay.maximum': CONFIG_LIMITS.payDay.max,
    'officePrefecture.maxLength': CONFIG_LIMITS.regionId,
  },
};

/** The limits the edge sets on what no service bounds (ids, keys, times as text...), by the shape of the field. */
const edgeLimit = (name: string, node: SchemaNode, keyword: LimitKeyword): number | undefined => {
  if (keyword === 'maxLength') {
    if (node.format === 'date-time') return EDGE_LIMITS.timeLength;
    if (name === 'idempotency-key') return MAX_REQUEST_ID_LENGTH;
    if (node.pattern === '^[\\x21-\\x7E]+$') return ID_MAX_LENGTH;
    if (name === 'regionId' || name === 'partnerRegionId') return EDGE_LIMITS.regionIdLength;
    if (name === 'localOnlyTownId' || name === 'townId') return EDGE_LIMITS.townIdLength;
    if (name === 'pageToken') return EDGE_LIMITS.pageTokenLength;
    if (name === 'registrationNumber' || name === 'invoiceRegistrationNumber')
      return EDGE_LIMITS.registrationNumberLength;
    // Fixed-width codes: their pattern says the width.
    const width = /\{(\d+)\}\$$/.exec(node.pattern ?? '')?.[1];
    if (width !== undefined) return Number(width) + (node.pattern?.startsWith('^JP-') ? 3 : 0);
    if (name === 'start' || name === 'end') return EDGE_LIMITS.timeOfDayLength;
  }
  // `a/b` at the least.
  if (keyword === 'minLength' && (name === 'localOnlyTownId' || name === 'townId')) return 3;
  // A text that may be empty, or must not be; a count or version that starts at 0 or 1.
  if (keyword === 'minLength' || keyword === 'minimum' || keyword === 'minItems')
    return node[keyword] === 0 || node[keyword] === 1 ? (node[keyword] as number) : undefined;
  if (keyword === 'maximum' && name.endsWith('ersion')) return Number.MAX_SAFE_INTEGER;
  return undefined;
};

/** Every limit in a schema: `[field path, keyword, value, node]`, names as `skills[]`, `personalData.name`. */
const limitsOf = (node: SchemaNode, path: string): [string, LimitKeyword, number, SchemaNode][] => {
  const found: [string, LimitKeyword, number, SchemaNode][] = [];
  for (const keyword of LIMIT_KEYWORDS)
    if (typeof node[keyword] === 'number') found.push([path, keyword, node[keyword] as number, node]);
  for (const [name, child] of Object.entries(node.properties ?? {}))
    found.push(...limitsOf(child, path === '' ? name : `${path}.${name}`));
  if (node.items !== undefined) found.push(...limitsOf(node.items, `${path}[]`));
  for (const branch of node.anyOf ?? []) found.push(...limitsOf(branch, path));
  return found;
};

describe('the limits of /openapi.json', () => {
  it('every limit of every request and answer is the domain’s constant (or one the edge sets on ids, keys and times)', () => {
    const checked: string[] = [];
    const unexplained: string[] = [];
    const wrong: string[] = [];
    const check = (
      tag: string,
      where: string,
      path: string,
      keyword: LimitKeyword,
      value: number,
      node: SchemaNode,
    ) => {
      const names = path.split('.');
      const field = names.at(-1) ?? path;
      const service = SERVICE_LIMITS[tag] ?? {};
      // The most specific name first: `personalData.name`, then `name`.
      const expected =
        service[`${names.slice(-2).join('.')}.${keyword}`] ??
        service[`${field}.${keyword}`] ??
        edgeLimit(field.replace(/\[\]$/, ''), node, keyword);
      const label = `${where} ${path} ${keyword}=${value}`;
      if (expected === undefined) unexplained.push(label);
      else if (expected !== value) wrong.push(`${label}, the domain says ${expected}`);
      else checked.push(label);
    };
    for (const { method, path, operation } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      const tag = operation.tags[0] ?? '';
      for (const parameter of operation.parameters ?? [])
        for (const [field, keyword, value, node] of limitsOf(parameter.schema, parameter.name))
          check(tag, `${where} ${parameter.in}`, field, keyword, value, node);
      for (const { schema } of Object.values(operation.requestBody?.content ?? {}))
        for (const [field, keyword, value, node] of limitsOf(schema, ''))
          check(tag, `${where} body`, field, keyword, value, node);
      for (const [status, answer] of Object.entries(operation.responses))
        for (const { schema } of Object.values(
          (answer as { content?: Record<string, { schema: SchemaNode }> }).content ?? {},
        ))
          for (const [field, keyword, value, node] of limitsOf(schema, ''))
            check(tag, `${where} ${status}`, field, keyword, value, node);
    }
    for (const [name, schema] of Object.entries(document.components.schemas))
      for (const [field, keyword, value, node] of limitsOf(schema, ''))
        check('', `#/components/schemas/${name}`, field, keyword, value, node);

    expect(wrong).toEqual([]);
    expect(unexplained).toEqual([]);
    // The document was walked, not skipped: the known disagreements are among what was checked.
    expect(checked).toEqual(
      expect.arrayContaining([
        `POST /v1/jobs body description maxLength=${LIMITS.descriptionLength}`,
        `POST /v1/jobs body amountYen minimum=${Number(LIMITS.minAmountYen)}`,
        `POST /v1/jobs body skills maxItems=${LIMITS.skills}`,
        `POST /v1/jobs body skills[] maxLength=${LIMITS.skillLength}`,
        `POST /v1/jobs/{jobId}/quote body estimatedMinutes maximum=${LIMITS.maxEstimatedMinutes}`,
        `POST /v1/jobs/{jobId}/quote body note maxLength=${LIMITS.noteLength}`,
        `POST /v1/jobs/{jobId}/cancel body reason maxLength=${LIMITS.reasonLength}`,
        `POST /v1/tasks/{taskId}/hand-off body reason maxLength=${SCHEDULING_LIMITS.reasonLength}`,
        `POST /v1/members/{memberId}/time-entries/{entryId}/correct body reason maxLength=${TIME_LIMITS.reasonLength}`,
        `POST /v1/members/{memberId}/time-entries/{entryId}/delete body reason maxLength=${TIME_LIMITS.reasonLength}`,
        `PUT /v1/regions/{regionId}/settlement-config body issuerName maxLength=${CONFIG_LIMITS.issuerName}`,
        `PUT /v1/regions/{regionId}/settlement-config body payerAccount.bankNameKana maxLength=${CONFIG_LIMITS.kanaText}`,
        `PUT /v1/regions/{regionId}/settlement-config body marginBasisPoints maximum=${CONFIG_LIMITS.marginBasisPoints.max}`,
        `PUT /v1/regions/{regionId}/settlement-config body payDay maximum=${CONFIG_LIMITS.payDay.max}`,
      ]),
    );
    expect(checked.length).toBeGreaterThan(100);
  });
});

// ---- what fastify answers itself -----------------------------------------------------------------

describe('every answer fastify produces itself is problem+json', () => {
  const job = () => `/v1/jobs/${randomUUID()}`;

  it('404 unknown route, 415 media type, 413 too large, 400 JSON, 400 schema, 400 a URL that does not decode', async () => {
    expectProblem(await h.call('GET', '/v1/nowhere'), 404, 'route.not_found');
    expectProblem(await h.call('DELETE', '/v1/jobs'), 404, 'route.not_found');
    const as = h.coop.coordinator;
    expectProblem(
      await h.call('POST', `${job()}/quote`, { as, payload: 'amountYen=1', headers: { 'content-type': 'text/plain' } }),
      415,
      'request.unsupported_media_type',
    );
    expectProblem(
      await h.call('POST', `${job()}/quote`, {
        as,
        payload: 'x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'request.unsupported_media_type',
    );
    expectProblem(
      await h.call('POST', `${job()}/quote`, { as, body: { note: 'x'.repeat(8 * 1024) } }),
      413,
      'request.too_large',
    );
    expectProblem(
      await h.call('POST', `${job()}/quote`, { as, payload: '{"amountYen": 1,' }),
      400,
      'request.malformed_json',
    );
    expectProblem(await h.call('POST', `${job()}/quote`, { as, payload: '' }), 400, 'request.malformed_json');
    expectProblem(
      await h.call('POST', `${job()}/quote`, { as, payload: '{"__proto__": {"x": 1}}' }),
      400,
      'request.malformed_json',
    );
    const invalid = expectProblem(
      await h.call('POST', `${job()}/quote`, { as, body: { amountYen: 'one' } }),
      400,
      'request.invalid',
    );
    expect(invalid.errors).toEqual(expect.arrayContaining([{ field: 'body.amountYen', message: expect.any(String) }]));
    expectProblem(await h.call('GET', '/v1/jobs/%E0%A4%A', { as }), 400, 'request.malformed');
  });
});

// ---- storable text -----------------------------------------------------------------------------

type Who = 'operator' | 'coordinator' | 'business' | 'member' | 'accountant';

/** Each route's access, as registerRoutes declares it (`POST /v1/jobs/:jobId/quote` → its roles). */
const ACCESS = new Map<string, Access | undefined>();

/** A caller the route lets through its roles (the refusal must be the text's, not the role's). */
const callerFor = (method: string, path: string): Who | undefined => {
  const access = ACCESS.get(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
  if (access === undefined || access === 'public') return undefined;
  if (access === 'authenticated') return 'member';
  return access.find((role): role is Who => role !== 'operator') ?? 'operator';
};

const fieldName = (path: (string | number)[]): string =>
  path.reduce<string>((name, part) => (typeof part === 'number' ? `${name}[${part}]` : `${name}.${part}`), 'body');

const HH = ['09:00', '12:00'];
/** A value of a schema that passes it (patterns of the API by example). */
const sample = (node: SchemaNode, name: string): unknown => {
  if (node.anyOf !== undefined) return sample(node.anyOf[0] as SchemaNode, name);
  if (name === 'role') return 'accountant';
  if (node.enum !== undefined) return node.enum[0];
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        (node.required ?? []).map((key) => [key, sample((node.properties ?? {})[key] as SchemaNode, key)]),
      );
    case 'array':
      return node.items === undefined ? [] : [sample(node.items, name)];
    case 'integer':
    case 'number':
      return Math.max(node.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'string':
      if (node.format === 'uuid') return randomUUID();
      if (node.format === 'date-time') return new Date(Date.now() + 10 * 86_400_000).toISOString();
      if (name === 'end') return HH[1];
      if (name === 'start') return HH[0];
      switch (node.pattern) {
        case undefined:
          return name === 'password' ? 'a-long-enough-password' : 'some text';
        case '^[a-z][a-z0-9_-]*$':
          return 'fujisato';
        case '^[a-z][a-z0-9_-]*/[a-z][a-z0-9_-]*$':
          return 'fujisato/fujikoto';
        case '^JP-[0-9]{2}$':
          return 'JP-05';
        case REGISTRATION_NUMBER_PATTERN:
          return 'T1234567890123';
        default: {
          // `[0-9]{4}`, or `[0-9]{1,10}` (its least).
          const width = /\[0-9\]\{(\d+)(?:,\d+)?\}/.exec(node.pattern)?.[1];
          return width !== undefined ? '1'.repeat(Number(width)) : 'key-1';
        }
      }
    default:
      return null;
  }
};

/** Every string of a body schema, as a path of keys and indexes into the sample body. */
const stringFields = (node: SchemaNode, path: (string | number)[] = []): (string | number)[][] => {
  if (node.anyOf !== undefined) return node.anyOf.flatMap((branch) => stringFields(branch, path));
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  if (type === 'string' || (node.enum !== undefined && typeof node.enum[0] === 'string')) return [path];
  if (type === 'array' && node.items !== undefined) return stringFields(node.items, [...path, 0]);
  if (type === 'object')
    return Object.entries(node.properties ?? {}).flatMap(([key, child]) => stringFields(child, [...path, key]));
  return [];
};

const setAt = (value: unknown, path: (string | number)[], text: string): unknown => {
  if (path.length === 0) return text;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof head === 'number') return [setAt((value as unknown[] | undefined)?.[0], rest, text)];
  const object = (value ?? {}) as Record<string, unknown>;
  return { ...object, [head]: setAt(object[head], rest, text) };
};

/** Text that cannot be stored: a NUL or a lone surrogate somewhere in it. */
const unstorable = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff'),
    fc.string({ maxLength: 8 }),
  )
  .map(([before, bad, after]) => `${before}${bad}${after}`)
  .filter((text) => textFault(text) !== undefined);

const snapshot = () => [
  h.doubles.jobIntake.snapshot(),
  h.doubles.taskDecomposition.snapshot(),
  h.doubles.teamScheduling.snapshot(),
  h.doubles.jobIntake.calls.length,
  h.doubles.taskDecomposition.calls.length,
  h.doubles.teamScheduling.calls.length,
];

/** What identity holds of the regions' people (it records no calls): before and after must be the same. */
const people = async () =>
  Promise.all(
    ['fujisato', 'setagaya'].flatMap((region) => [
      h.call('GET', `/v1/regions/${region}/members`, { as: h.coop.operator }).then((r) => r.body),
      h.call('GET', `/v1/regions/${region}/businesses`, { as: h.coop.operator }).then((r) => r.body),
    ]),
  );

const PATH_SAMPLES: Readonly<Record<string, string>> = {
  regionId: 'fujisato',
  month: '2026-11',
  weekStart: '2026-11-09',
  vendor: 'freee',
};
const urlOf = (path: string): string =>
  path.replace(/\{(\w+)\}/g, (_m, name: string) => PATH_SAMPLES[name] ?? randomUUID());

describe('text that can be stored', () => {
  beforeAll(async () => {
    // The roles each route lets through, from the routes themselves (/openapi.json does not say them).
    const probe = Fastify();
    for (const schema of SHARED_SCHEMAS) probe.addSchema(schema);
    probe.addHook('onRoute', (route) => {
      for (const method of [route.method].flat())
        ACCESS.set(`${method} ${route.url}`, (route.config as { access?: Access } | undefined)?.access);
    });
    const upstreams = connectUpstreams({
      identityAddress: '127.0.0.1:1',
      jobIntakeAddress: '127.0.0.1:1',
      taskDecompositionAddress: '127.0.0.1:1',
      teamSchedulingAddress: '127.0.0.1:1',
      timeTrackingAddress: '127.0.0.1:1',
      settlementAddress: '127.0.0.1:1',
      auditAddress: '127.0.0.1:1',
    });
    await probe.register(async (api) => registerRoutes(api, upstreams, { loginLimiter: new LoginAttemptLimiter() }));
    await probe.ready();
    upstreams.close();
    await probe.close();
  });

  it('every text field of every route: NUL or a lone surrogate (a JSON \\ud800 escape) is 400 text.invalid_characters, nothing called or stored', async () => {
    const fields = operations().flatMap(({ method, path, operation }) => {
      const schema = operation.requestBody?.content['application/json']?.schema;
      if (schema === undefined) return [];
      return stringFields(schema).map((field) => ({ method, path, schema, field }));
    });
    expect(fields.length).toBeGreaterThan(50);
    // The bodies the property starts from pass their schemas: the text is all that is wrong in them.
    for (const { method, path } of operations()) {
      const schema = document.paths[path]?.[method]?.requestBody?.content['application/json']?.schema;
      if (schema === undefined) continue;
      const as = callerFor(method, path);
      const response = await h.call(method.toUpperCase(), urlOf(path), {
        ...(as !== undefined ? { as: h.coop[as] } : {}),
        body: sample(schema, ''),
      });
      expect({ route: `${method} ${path}`, code: (response.json() as { code?: string }).code }).not.toEqual({
        route: `${method} ${path}`,
        code: 'request.invalid',
      });
    }
    const peopleBefore = await people();
    // Time tracking and settlement, real services on the store: nothing reaches them, nothing is appended.
    const head = await headOf(h.store);
    for (const { method, path, schema, field } of fields) {
      const as = callerFor(method, path);
      await fc.assert(
        fc.asyncProperty(unstorable, async (text) => {
          const before = snapshot();
          const body = setAt(sample(schema, ''), field, text);
          const response = await h.call(method.toUpperCase(), urlOf(path), {
            ...(as !== undefined ? { as: h.coop[as] } : {}),
            body,
          });
          const problem = expectProblem(response, 400, 'text.invalid_characters');
          expect(problem.errors).toEqual([{ field: fieldName(field), message: expect.any(String) }]);
          expect(snapshot()).toEqual(before);
        }),
        { numRuns: 8 },
      );
    }
    expect(await people()).toEqual(peopleBefore);
    expect(await headOf(h.store)).toEqual(head);
  });

  it('a NUL in a query or a path parameter: 400 text.invalid_characters, nothing called', async () => {
    const before = snapshot();
    expectProblem(
      await h.call('GET', '/v1/jobs?pageToken=a%00b', { as: h.coop.business }),
      400,
      'text.invalid_characters',
    );
    expectProblem(await h.call('GET', '/v1/jobs/%00', { as: h.coop.business }), 400, 'text.invalid_characters');
    expectProblem(
      await h.call('GET', '/v1/me/week?weekStart=2026-11-09%00', { as: h.coop.member }),
      400,
      'text.invalid_characters',
    );
    expectProblem(
      await h.call('GET', '/v1/regions/fujisato/settlements/2026-11/invoices/a%00b.pdf', { as: h.coop.accountant }),
      400,
      'text.invalid_characters',
    );
    expectProblem(
      await h.call('POST', '/v1/users/x%00y/roles', {
        as: h.coop.operator,
        body: { role: 'accountant', reason: 'audit' },
      }),
      400,
      'text.invalid_characters',
    );
    expect(snapshot()).toEqual(before);
  });

  it('a body that is not UTF-8: 400 text.invalid_characters, nothing called, on every route that takes a body', async () => {
    const before = snapshot();
    const peopleBefore = await people();
    const head = await headOf(h.store);
    for (const { method, path, operation } of operations()) {
      const schema = operation.requestBody?.content['application/json']?.schema;
      if (schema === undefined) continue;
      const as = callerFor(method, path);
      const [field] = stringFields(schema);
      if (field === undefined) continue;
      // A text field's value replaced by bytes that are not UTF-8: an overlong '/', a lone continuation byte.
      const [head, tail] = JSON.stringify(setAt(sample(schema, ''), field, 'MARK')).split('MARK') as [string, string];
      const payload = Buffer.concat([Buffer.from(head), Buffer.from([0x61, 0xc0, 0xaf, 0x80]), Buffer.from(tail)]);
      const response = await h.app.inject({
        method: method.toUpperCase() as 'POST',
        url: urlOf(path),
        headers: {
          'content-type': 'application/json',
          ...(as !== undefined ? { authorization: `Bearer ${h.coop[as].token}` } : {}),
        },
        payload,
      });
      expectProblem(response, 400, 'text.invalid_characters');
    }
    expect(snapshot()).toEqual(before);
    expect(await people()).toEqual(peopleBefore);
    expect(await headOf(h.store)).toEqual(head);
  });
});
