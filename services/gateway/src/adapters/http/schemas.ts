/**
 * The JSON schemas of the public API: fastify validates requests with them (ajv, no type
 * coercion in bodies, unknown fields refused), serializes answers with them, and @fastify/swagger
 * turns them into the OpenAPI document. Shared shapes have an `$id` and become
 * `components.schemas`.
 */
import { EDGE_CODES } from './problem.js';

export const WORK_CATEGORIES = [
  'data_entry',
  'transcription',
  'writing',
  'design',
  'translation',
  'illustration',
  'proofreading',
] as const;
export const PRICING_KINDS = ['fixed_price', 'hourly'] as const;
export const JOB_STATUSES = [
  'submitted',
  'quoted',
  'accepted',
  'declined',
  'in_progress',
  'delivered',
  'inspected',
  'closed',
  'cancelled',
] as const;
export const PLAN_STATUSES = ['proposed', 'confirmed', 'rework_needed', 'cancelled'] as const;
export const ROLE_NAMES = ['member', 'coordinator', 'business', 'accountant', 'operator'] as const;
export const ASSIGNMENT_STATUSES = ['assigned', 'unassignable', 'waiting'] as const;
export const HISTORY_KINDS = ['assigned', 'released', 'handed_off', 'overridden', 'unassignable', 'paired'] as const;

export type WorkCategoryName = (typeof WORK_CATEGORIES)[number];
export type PricingKindName = (typeof PRICING_KINDS)[number];
export type JobStatusName = (typeof JOB_STATUSES)[number];
export type PlanStatusName = (typeof PLAN_STATUSES)[number];
export type AssignmentStatusName = (typeof ASSIGNMENT_STATUSES)[number];
export type HistoryKindName = (typeof HISTORY_KINDS)[number];

const TIME_IN =
  'RFC 3339 date-time with an offset (any offset: `2026-04-30T17:00:00+09:00` and `2026-04-30T08:00:00Z` are the same instant); stored as UTC.';
const TIME_OUT = 'ISO-8601 in Asia/Tokyo with its +09:00 offset (the same instant the service stores in UTC).';

/** Integer yen: JSON numbers, never fractional or negative, within what a JSON number holds exactly. */
const yen = (description: string) =>
  ({
    type: 'integer',
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    description: `${description} Integer yen, tax excluded.`,
  }) as const;
const timeIn = (description: string) =>
  ({ type: 'string', format: 'date-time', maxLength: 64, description: `${description} ${TIME_IN}` }) as const;
const timeOut = (description: string) => ({ type: 'string', description: `${description} ${TIME_OUT}` }) as const;
const text = (maxLength: number, description: string, minLength = 1) =>
  ({ type: 'string', minLength, maxLength, description }) as const;
const id = (description: string) =>
  ({ type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7E]+$', description }) as const;
const regionId = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: '^[a-z][a-z0-9_-]*$',
  description: 'A region slug, e.g. `fujisato`.',
} as const;
const townId = {
  type: 'string',
  minLength: 3,
  maxLength: 130,
  pattern: '^[a-z][a-z0-9_-]*/[a-z][a-z0-9_-]*$',
  description: 'A town as `<region>/<town>`, e.g. `fujisato/fujikoto`.',
} as const;
const skills = {
  type: 'array',
  maxItems: 50,
  items: text(100, 'A skill, e.g. `data entry`.'),
  description: 'The skills the work needs.',
} as const;
const minutes = (description: string) => ({ type: 'integer', minimum: 1, maximum: 1_000_000, description }) as const;
const version = (description: string) =>
  ({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description }) as const;
const taskKey = {
  type: 'string',
  minLength: 1,
  maxLength: 40,
  pattern: '^[A-Za-z0-9_-]+$',
  description: "Names the task within its plan (letters, digits, '-' and '_').",
} as const;

// ---- shared answers --------------------------------------------------------------------------

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: `An error, as RFC 9457 problem details (\`application/problem+json\`). \`code\` is stable; \`type\` is \`urn:workshare:problem:<code>\`. The services' codes (e.g. \`job.not_quotable\`, \`job.forbidden\`, \`plan.cycle\`) pass through as they are, with the status of their kind: invalid 400, not allowed 403, not found 404, conflict 409, broken rule 422, unauthenticated 401. The gateway's own codes: ${Object.entries(
    EDGE_CODES,
  )
    .map(([code, { status, meaning }]) => `\`${code}\` (${status}: ${meaning})`)
    .join('; ')}.`,
  required: ['type', 'title', 'status', 'detail', 'code', 'instance', 'requestId'],
  properties: {
    type: { type: 'string', description: '`urn:workshare:problem:<code>`' },
    title: { type: 'string', description: 'The HTTP status, in words.' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'What went wrong, for a person; never internals.' },
    code: { type: 'string', description: 'The stable dotted code, e.g. `job.not_quotable`.' },
    instance: { type: 'string', description: 'The path of the request.' },
    requestId: { type: 'string', description: 'The request id (also in the X-Request-Id header).' },
    errors: {
      type: 'array',
      description: 'The fields the request got wrong (validation problems).',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
    details: {
      type: 'object',
      additionalProperties: true,
      description: "The service's details about the error, when it gave any.",
    },
  },
} as const;

export const callerSchema = {
  $id: 'Caller',
  type: 'object',
  description: 'Whom a token identifies, and her roles.',
  required: ['subject', 'roles'],
  properties: {
    subject: { type: 'string', description: 'The user id (a member id for a member).' },
    roles: {
      type: 'array',
      items: {
        type: 'object',
        required: ['role'],
        properties: {
          role: { type: 'string', enum: ROLE_NAMES },
          region: { type: 'string', description: 'The region a coordinator runs.' },
          businessId: { type: 'string', description: 'The business a business user acts for.' },
        },
      },
    },
  },
} as const;

const quoteSchema = {
  type: ['object', 'null'],
  description: "The coordinator's quote; null until quoted.",
  required: ['amountYen', 'estimatedMinutes', 'deliveryDate', 'note', 'quotedAt', 'quotedBy'],
  properties: {
    amountYen: yen('The fee (for hourly work, the estimated fee).'),
    estimatedMinutes: { type: 'integer', description: 'The total work the job needs.' },
    deliveryDate: timeOut('When the cooperative will deliver.'),
    note: { type: 'string' },
    quotedAt: timeOut('When it was quoted.'),
    quotedBy: { type: 'string' },
  },
} as const;

export const orderTermsSchema = {
  $id: 'OrderTerms',
  type: 'object',
  description: 'The order terms fixed when the quote is accepted (フリーランス法 §3).',
  required: ['feeYen', 'deliveryDate', 'inspectionDate', 'paymentDate', 'acceptedAt'],
  properties: {
    feeYen: yen('The fee.'),
    deliveryDate: timeOut('When the work is delivered.'),
    inspectionDate: timeOut('The business inspects by this date.'),
    paymentDate: timeOut('Payment is due by this date, within 60 days of delivery.'),
    acceptedAt: timeOut('When the quote was accepted.'),
  },
} as const;

export const jobSchema = {
  $id: 'Job',
  type: 'object',
  description: 'A job, as the caller may see it.',
  required: [
    'jobId',
    'businessId',
    'title',
    'description',
    'workCategory',
    'pricing',
    'amountYen',
    'deadline',
    'regionId',
    'localOnlyTownId',
    'skills',
    'status',
    'quote',
    'terms',
    'inspections',
    'reason',
    'submittedAt',
    'updatedAt',
    'version',
  ],
  properties: {
    jobId: { type: 'string', format: 'uuid' },
    businessId: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    workCategory: { type: 'string', enum: WORK_CATEGORIES },
    pricing: {
      type: 'object',
      required: ['kind'],
      properties: {
        kind: { type: 'string', enum: PRICING_KINDS },
        hourlyRateYen: yen('Per hour, for hourly work only.'),
      },
    },
    amountYen: yen('The budget the business states.'),
    deadline: timeOut('The latest delivery the business accepts.'),
    regionId: { type: 'string' },
    localOnlyTownId: {
      type: ['string', 'null'],
      description: 'Set when the job must be done in this town by people of this town.',
    },
    skills: { type: 'array', items: { type: 'string' } },
    status: { type: 'string', enum: JOB_STATUSES },
    quote: quoteSchema,
    terms: { anyOf: [{ $ref: 'OrderTerms#' }, { type: 'null' }], description: 'Null until the quote is accepted.' },
    inspections: {
      type: 'array',
      description: 'Every inspection, oldest first.',
      items: {
        type: 'object',
        required: ['accepted', 'reason', 'inspectedAt', 'inspectedBy'],
        properties: {
          accepted: { type: 'boolean' },
          reason: { type: 'string' },
          inspectedAt: timeOut('When.'),
          inspectedBy: { type: 'string' },
        },
      },
    },
    reason: { type: ['string', 'null'], description: 'Why the quote was declined or the job cancelled.' },
    submittedAt: timeOut('When the job was submitted.'),
    updatedAt: timeOut('When the job last changed.'),
    version: { type: 'integer', description: "The job stream's version." },
  },
} as const;

export const planSchema = {
  $id: 'Plan',
  type: 'object',
  description: "A job's plan of tasks.",
  required: [
    'jobId',
    'regionId',
    'localOnlyTownId',
    'status',
    'tasks',
    'round',
    'jobEstimatedMinutes',
    'jobDeadline',
    'maxTaskMinutes',
    'reworkReason',
    'cancelReason',
    'version',
  ],
  properties: {
    jobId: { type: 'string' },
    regionId: { type: 'string' },
    localOnlyTownId: { type: ['string', 'null'] },
    status: { type: 'string', enum: PLAN_STATUSES },
    tasks: {
      type: 'array',
      description: "The confirmed rounds' tasks, then the open round's.",
      items: {
        type: 'object',
        required: ['taskId', 'key', 'title', 'estimatedMinutes', 'skills', 'dependsOn', 'deadline', 'round'],
        properties: {
          taskId: { type: ['string', 'null'], description: 'Set once the round is confirmed.' },
          key: { type: 'string' },
          title: { type: 'string' },
          estimatedMinutes: { type: 'integer' },
          skills: { type: 'array', items: { type: 'string' } },
          dependsOn: {
            type: 'array',
            items: { type: 'string' },
            description: 'Keys (task ids once confirmed) of the tasks to do first.',
          },
          deadline: timeOut('The task is done by then.'),
          round: { type: 'integer' },
        },
      },
    },
    round: { type: 'integer', description: 'The round that is open or last confirmed.' },
    jobEstimatedMinutes: { type: 'integer' },
    jobDeadline: timeOut("The job's deadline."),
    maxTaskMinutes: { type: 'integer', description: 'The longest a task may be (one window).' },
    reworkReason: { type: ['string', 'null'], description: 'Why rework is needed, when it is.' },
    cancelReason: {
      type: ['string', 'null'],
      description: 'Why the job was cancelled, when it was (nothing more is planned).',
    },
    version: { type: 'integer', description: "The plan stream's version: send it back as expectedVersion." },
  },
} as const;

/** A planned span of work; null when there is none. */
const spanSchema = (description: string) =>
  ({
    type: ['object', 'null'],
    description,
    required: ['start', 'end'],
    properties: { start: timeOut('It starts.'), end: timeOut('It ends.') },
  }) as const;

/** Why nobody could take a task: one entry per reason, each with its stable code. */
const reasonsSchema = (description: string) =>
  ({
    type: 'array',
    description,
    items: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'A stable code, e.g. `schedule.no_skill_in_town`.' },
        message: { type: 'string' },
      },
    },
  }) as const;

export const scheduledTaskSchema = {
  $id: 'ScheduledTask',
  type: 'object',
  description: 'A task of a job as team scheduling holds it: who does it and when, or why nobody can.',
  required: [
    'taskId',
    'jobId',
    'title',
    'estimatedMinutes',
    'skills',
    'dependsOn',
    'deadline',
    'status',
    'memberId',
    'span',
    'reasons',
    'traineeMemberId',
    'teamRegionId',
  ],
  properties: {
    taskId: { type: 'string' },
    jobId: { type: 'string' },
    title: { type: 'string' },
    estimatedMinutes: { type: 'integer' },
    skills: { type: 'array', items: { type: 'string' } },
    dependsOn: { type: 'array', items: { type: 'string' }, description: 'The task ids to do first.' },
    deadline: timeOut('The task is done by then.'),
    status: {
      type: 'string',
      enum: ASSIGNMENT_STATUSES,
      description:
        '`assigned` (memberId and span set), `unassignable` (see reasons) or `waiting` (planned, not scheduled yet).',
    },
    memberId: { type: ['string', 'null'], description: 'The member who holds it; null unless assigned.' },
    span: spanSchema('When she plans to do it (one of her weekly windows); null unless assigned.'),
    reasons: reasonsSchema('Why nobody could take it (unassignable only; otherwise empty).'),
    traineeMemberId: {
      type: ['string', 'null'],
      description: 'A new member shadowing the holder, when paired for training.',
    },
    teamRegionId: {
      type: ['string', 'null'],
      description: "The region of the holder's team (a partner region's, for a shared job).",
    },
  },
} as const;

export const taskHistoryEntrySchema = {
  $id: 'TaskHistoryEntry',
  type: 'object',
  description: 'One fact of a task’s history, with who did it and why.',
  required: ['kind', 'memberId', 'fromMemberId', 'actor', 'reason', 'progressNote', 'at', 'span', 'reasons'],
  properties: {
    kind: { type: 'string', enum: HISTORY_KINDS },
    memberId: {
      type: ['string', 'null'],
      description: 'The member the fact is about (the new holder, the trainee...).',
    },
    fromMemberId: { type: ['string', 'null'], description: 'Who held the task before, for a hand-off or an override.' },
    actor: { type: 'string', description: 'Who did it (a user id, or the service itself).' },
    reason: {
      type: ['string', 'null'],
      description: 'The reason given; for `unassignable`, the codes of `reasons` joined by ", ".',
    },
    progressNote: { type: ['string', 'null'], description: 'What was done so far, for a hand-off.' },
    at: timeOut('When it happened.'),
    span: spanSchema('The span planned by an assignment; null for other facts.'),
    reasons: reasonsSchema('For `unassignable`: why nobody could take the task; otherwise empty.'),
  },
} as const;

export const SHARED_SCHEMAS = [
  problemSchema,
  callerSchema,
  orderTermsSchema,
  jobSchema,
  planSchema,
  scheduledTaskSchema,
  taskHistoryEntrySchema,
] as const;

// ---- per route -----------------------------------------------------------------------------

const PROBLEM_RESPONSES = {
  '4XX': { $ref: 'Problem#', description: 'The request was refused (application/problem+json).' },
  '5XX': { $ref: 'Problem#', description: 'The gateway or a service behind it failed (application/problem+json).' },
} as const;

/** The answers of a route: the success ones given, and problems for every error. */
export const responses = <T extends Record<string, unknown>>(success: T) => ({ ...success, ...PROBLEM_RESPONSES });

export const NO_CONTENT = { 204: { type: 'null', description: 'Done; nothing to say.' } } as const;

export const jobIdParams = {
  type: 'object',
  required: ['jobId'],
  additionalProperties: false,
  properties: { jobId: { type: 'string', format: 'uuid', description: 'The job id (a UUID).' } },
} as const;

export const idempotencyHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      pattern: '^[\\x21-\\x7E]+$',
      description:
        'Makes the command safe to retry: a request repeated with the same key is answered with the first outcome and applied once. Without it, each request is a new command.',
    },
  },
} as const;

export const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: { email: text(320, 'The login email.'), password: text(1024, 'The password.') },
} as const;

export const loginAnswer = {
  type: 'object',
  required: ['accessToken', 'expiresAt', 'caller'],
  properties: {
    accessToken: { type: 'string', description: 'Send it as `Authorization: Bearer <accessToken>`.' },
    expiresAt: timeOut('When the token stops being accepted.'),
    caller: { $ref: 'Caller#' },
  },
} as const;

export const regionsAnswer = {
  type: 'object',
  required: ['regions'],
  properties: {
    regions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['regionId', 'name', 'prefecture', 'towns'],
        properties: {
          regionId: { type: 'string', description: 'e.g. `fujisato`' },
          name: { type: 'string', description: 'e.g. 藤里町' },
          prefecture: { type: 'string', description: 'ISO 3166-2, e.g. `JP-05`' },
          towns: {
            type: 'array',
            items: {
              type: 'object',
              required: ['townId', 'name'],
              properties: {
                townId: { type: 'string', description: '`<region>/<town>`, e.g. `fujisato/fujikoto`' },
                name: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
} as const;

export const submitJobBody = {
  type: 'object',
  additionalProperties: false,
  required: [
    'businessId',
    'title',
    'description',
    'workCategory',
    'pricing',
    'amountYen',
    'deadline',
    'regionId',
    'skills',
  ],
  properties: {
    businessId: id('The business the job is for (a business user: one she acts for).'),
    title: text(200, 'What the work is, in a line.'),
    description: text(20_000, 'The work in full.', 0),
    workCategory: { type: 'string', enum: WORK_CATEGORIES },
    pricing: {
      type: 'object',
      additionalProperties: false,
      required: ['kind'],
      description: '`{"kind":"fixed_price"}` (請負) or `{"kind":"hourly","hourlyRateYen":1500}` (準委任).',
      properties: {
        kind: { type: 'string', enum: PRICING_KINDS },
        hourlyRateYen: yen('Per hour; hourly pricing only.'),
      },
      if: { properties: { kind: { const: 'hourly' } } },
      then: { required: ['hourlyRateYen'] },
      else: { not: { required: ['hourlyRateYen'] } },
    },
    amountYen: yen('The budget.'),
    deadline: timeIn('The latest delivery the business accepts.'),
    regionId,
    localOnlyTownId: {
      ...townId,
      description: `${townId.description} Only when the job must be done in this town by people of this town.`,
    },
    skills,
  },
} as const;

export const submitJobAnswer = {
  type: 'object',
  required: ['jobId'],
  properties: { jobId: { type: 'string', format: 'uuid' } },
} as const;

export const listJobsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    regionId,
    businessId: id('Only this business’s jobs.'),
    status: { type: 'string', enum: JOB_STATUSES },
    pageSize: {
      type: 'integer',
      minimum: 1,
      maximum: 200,
      description: 'At most this many jobs (the service’s default when absent).',
    },
    pageToken: {
      type: 'string',
      minLength: 1,
      maxLength: 512,
      description: 'The `nextPageToken` of the previous page.',
    },
  },
} as const;

export const jobListAnswer = {
  type: 'object',
  required: ['jobs', 'nextPageToken'],
  properties: {
    jobs: { type: 'array', items: { $ref: 'Job#' }, description: 'Newest first.' },
    nextPageToken: {
      type: ['string', 'null'],
      description: 'Pass as pageToken for the next page; null on the last page.',
    },
  },
} as const;

export const quoteBody = {
  type: 'object',
  additionalProperties: false,
  required: ['amountYen', 'estimatedMinutes', 'deliveryDate'],
  properties: {
    amountYen: yen('The fee (for hourly work, the estimated fee).'),
    estimatedMinutes: minutes('The total work the job needs, in minutes.'),
    deliveryDate: timeIn('When the cooperative will deliver; at or before the deadline.'),
    note: text(4_000, 'For the business.', 0),
  },
} as const;

export const acceptAnswer = {
  type: 'object',
  required: ['jobId', 'terms'],
  properties: { jobId: { type: 'string' }, terms: { $ref: 'OrderTerms#' } },
} as const;

export const reasonBody = (what: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['reason'],
    properties: { reason: text(4_000, what) },
  }) as const;

export const deliverBody = {
  type: 'object',
  additionalProperties: false,
  properties: { note: text(4_000, 'For the business.', 0) },
} as const;

export const inspectionBody = {
  type: 'object',
  additionalProperties: false,
  required: ['accepted'],
  properties: {
    accepted: {
      type: 'boolean',
      description: 'true: the delivered work is accepted (検収); false: it goes back for rework.',
    },
    reason: text(4_000, 'Why the work is rejected (required by the service when accepted is false).', 0),
  },
} as const;

export const revisePlanBody = {
  type: 'object',
  additionalProperties: false,
  required: ['expectedVersion', 'tasks'],
  properties: {
    expectedVersion: version('The plan version you edited; a newer plan refuses the revision (409).'),
    tasks: {
      type: 'array',
      maxItems: 200,
      description: "The open round's tasks, replacing its drafts.",
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'title', 'estimatedMinutes', 'skills', 'dependsOn', 'deadline'],
        properties: {
          key: taskKey,
          title: text(200, 'What the task is.'),
          estimatedMinutes: minutes('Minutes; at most the plan’s maxTaskMinutes.'),
          skills,
          dependsOn: { type: 'array', maxItems: 200, items: taskKey, description: 'Keys of the tasks to do first.' },
          deadline: timeIn("At or before the job's deadline."),
        },
      },
    },
  },
} as const;

export const confirmPlanBody = {
  type: 'object',
  additionalProperties: false,
  required: ['expectedVersion'],
  properties: { expectedVersion: version('The plan version you confirm.') },
} as const;

export const healthAnswer = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string' } },
} as const;

export const readyAnswer = {
  type: 'object',
  required: ['status', 'upstreams'],
  properties: {
    status: { type: 'string' },
    upstreams: { type: 'object', additionalProperties: { type: 'string' }, description: 'Each service’s gRPC health.' },
  },
} as const;

// ---- schedules ---------------------------------------------------------------------------------

const uuidParams = (name: string, description: string) =>
  ({
    type: 'object',
    required: [name],
    additionalProperties: false,
    properties: { [name]: { type: 'string', format: 'uuid', description } },
  }) as const;

export const taskIdParams = uuidParams('taskId', 'The task id (a UUID).');
export const memberIdParams = uuidParams('memberId', 'The member id (a UUID).');

const memberId = (description: string) => ({ type: 'string', format: 'uuid', description }) as const;

export const memberScheduleQuery = {
  type: 'object',
  additionalProperties: false,
  description: 'Both or neither: without them, the current Tokyo week (Monday 00:00 to the next Monday 00:00, +09:00).',
  properties: {
    from: timeIn(
      'From this instant. Send a `+` offset as `%2B`; a bare `+`, which a query string reads as a space, is taken back as the offset.',
    ),
    to: timeIn('Until this instant; after from.'),
  },
  dependencies: { from: ['to'], to: ['from'] },
} as const;

export const holderQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    at: timeIn(
      'The instant asked about (default: now). Send a `+` offset as `%2B` (a bare `+` is taken back as the offset too).',
    ),
  },
} as const;

export const handOffBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: {
    reason: text(4_000, 'Why she cannot go on (e.g. a sick child).'),
    progressNote: text(4_000, 'What is done so far, for the teammate who takes over.', 0),
  },
} as const;

export const unavailabilityBody = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'reason'],
  properties: {
    from: timeIn('Unavailable from this instant.'),
    to: timeIn('Until this instant; after from.'),
    reason: text(4_000, 'Why (e.g. a sick child for three days).'),
  },
} as const;

export const overrideAssignmentBody = {
  type: 'object',
  additionalProperties: false,
  required: ['memberId', 'reason'],
  properties: {
    memberId: memberId('The qualified member who takes the task.'),
    reason: text(4_000, 'Why the coordinator overrides the schedule.'),
  },
} as const;

export const wishedHoursBody = {
  type: 'object',
  additionalProperties: false,
  required: ['minutesPerWeek'],
  properties: {
    minutesPerWeek: {
      type: 'integer',
      minimum: 1,
      maximum: 10_080,
      description: 'Minutes a week she wishes to work (a week holds 10,080).',
    },
  },
} as const;

export const grantSkillBody = {
  type: 'object',
  additionalProperties: false,
  required: ['skill', 'jobId', 'reason'],
  properties: {
    skill: text(100, 'The skill granted, e.g. `transcription`.'),
    jobId: { type: 'string', format: 'uuid', description: 'The inspected job whose work shows the skill.' },
    reason: text(4_000, 'Why the coordinator grants it.'),
  },
} as const;

export const traineeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['traineeMemberId', 'reason'],
  properties: {
    traineeMemberId: memberId('The new member who shadows the holder.'),
    reason: text(4_000, 'Why they are paired.'),
  },
} as const;

export const shareJobBody = {
  type: 'object',
  additionalProperties: false,
  required: ['partnerRegionId', 'reason'],
  properties: {
    partnerRegionId: {
      ...regionId,
      description: 'The partner region whose team may work on the job, e.g. `setagaya`.',
    },
    reason: text(4_000, 'Why the job is shared.'),
  },
} as const;

const tasks = (description: string) => ({ type: 'array', items: { $ref: 'ScheduledTask#' }, description }) as const;

export const tasksAnswer = (description: string) =>
  ({ type: 'object', required: ['tasks'], properties: { tasks: tasks(description) } }) as const;

export const jobScheduleAnswer = {
  type: 'object',
  required: ['tasks', 'loads'],
  properties: {
    tasks: tasks('Every task of the job, assigned, unassignable or waiting.'),
    loads: {
      type: 'array',
      description: "Each member's planned minutes on the job, beside the minutes a week she wishes to work.",
      items: {
        type: 'object',
        required: ['memberId', 'assignedMinutes', 'wishedMinutesPerWeek'],
        properties: {
          memberId: { type: 'string' },
          assignedMinutes: { type: 'integer' },
          wishedMinutesPerWeek: { type: 'integer' },
        },
      },
    },
  },
} as const;

export const taskAnswer = {
  type: 'object',
  required: ['task'],
  properties: { task: { $ref: 'ScheduledTask#' } },
} as const;

export const historyAnswer = {
  type: 'object',
  required: ['entries'],
  properties: { entries: { type: 'array', items: { $ref: 'TaskHistoryEntry#' }, description: 'Oldest first.' } },
} as const;

export const holderAnswer = {
  type: 'object',
  required: ['memberId'],
  properties: {
    memberId: { type: ['string', 'null'], description: 'Who held the task at that instant; null when nobody did.' },
  },
} as const;
