/**
 * The JSON schemas of the public API, written once in TypeBox: fastify validates requests with
 * them (ajv, no type coercion, unknown fields refused), serializes answers with them, the
 * routes get their TypeScript types from them (`@fastify/type-provider-typebox`), and
 * @fastify/swagger turns them into the OpenAPI document. Shared shapes have an `$id` and become
 * `components.schemas`. Enums and limits come from the services' published contracts
 * (`@workshare/<service>/contract`): a limit is never written twice.
 */
import { AUDIT_SUBJECTS, CSV_ENCODINGS } from '@workshare/audit/contract';
import { MAX_REQUEST_ID_LENGTH, ROLE_NAMES } from '@workshare/eventsourcing';
import { ID_MAX_LENGTH } from '@workshare/grpc';
import {
  AVAILABILITY_END_PATTERN,
  AVAILABILITY_START_PATTERN,
  CONTRACT_TYPES,
  GRANTABLE_ROLE_NAMES as GRANTABLE_ROLES,
  MAX_BUSINESS_ADDRESS,
  MAX_BUSINESS_NAME,
  MAX_REASON_LENGTH as IDENTITY_REASON_LENGTH,
  MAX_REFRESH_TOKEN_LENGTH,
  MAX_SKILLS as MEMBER_MAX_SKILLS,
  MAX_SKILL_LENGTH as MEMBER_SKILL_LENGTH,
  MAX_WINDOWS,
  PERSONAL_DATA_LIMITS,
  REGISTRATION_NUMBER_PATTERN,
  WEEKDAYS,
} from '@workshare/identity/contract';
import {
  JOB_STATUSES,
  LIMITS as JOB_LIMITS,
  MAX_PAGE_SIZE,
  PRICING_KINDS,
  WORK_CATEGORIES,
} from '@workshare/job-intake/contract';
import { settlementV1 } from '@workshare/proto';
import {
  CONFIG_LIMITS,
  DEFAULT_INVOICE_ROUNDING,
  DEFAULT_PAY_TIMING_READING,
  JOURNAL_ENCODINGS,
  MEDIA_TYPES,
  MONTH_PATTERN,
  PAY_TIMING_READINGS,
  ROUNDING_RULES,
  type JournalVendor,
} from '@workshare/settlement/contract';
import { PLAN_LIMITS, PLAN_STATUSES } from '@workshare/task-decomposition/contract';
import {
  HISTORY_KINDS,
  LIMITS as SCHEDULING_LIMITS,
  TASK_STATUSES as ASSIGNMENT_STATUSES,
} from '@workshare/team-scheduling/contract';
import {
  ENTRY_SOURCES,
  LIMITS as TIME_LIMITS,
  WEEK_APPROVALS,
  WEEK_START_PATTERN,
} from '@workshare/time-tracking/contract';
import { Type, type Static, type TSchema } from 'typebox';
import { EDGE_CODES, PROBLEM_MEDIA_TYPE } from './problem.js';

export {
  ASSIGNMENT_STATUSES,
  CONTRACT_TYPES,
  ENTRY_SOURCES,
  GRANTABLE_ROLES,
  HISTORY_KINDS,
  JOB_STATUSES,
  PAY_TIMING_READINGS,
  PLAN_STATUSES,
  PRICING_KINDS,
  ROLE_NAMES,
  ROUNDING_RULES,
  WEEK_APPROVALS,
  WEEKDAYS,
  WORK_CATEGORIES,
};
/** How identity answers a member's personal data, her status, her bank account's kind (its proto enums, in the API's words). */
export const PERSONAL_DATA_STATUSES = ['included', 'withheld', 'forgotten'] as const;
export const MEMBER_STATUSES = ['active', 'forgotten'] as const;
/** The accounts pay can go to: 普通 and 当座 (identity refuses a savings account, 貯蓄, which takes no transfers). */
export const BANK_ACCOUNT_TYPES = ['ordinary', 'checking'] as const;

export type WorkCategoryName = (typeof WORK_CATEGORIES)[number];
export type PricingKindName = (typeof PRICING_KINDS)[number];
export type JobStatusName = (typeof JOB_STATUSES)[number];
export type PlanStatusName = (typeof PLAN_STATUSES)[number];
export type AssignmentStatusName = (typeof ASSIGNMENT_STATUSES)[number];
export type HistoryKindName = (typeof HISTORY_KINDS)[number];
export type EntrySourceName = (typeof ENTRY_SOURCES)[number];
export type WeekApprovalName = (typeof WEEK_APPROVALS)[number];
export type RoundingRuleName = (typeof ROUNDING_RULES)[number];
export type PayTimingReadingName = (typeof PAY_TIMING_READINGS)[number];

/**
 * The kinds of the cooperative's own account (the payer of the Zengin file) as settlement's gRPC
 * contract names them, its enum without the prefix: `ordinary` (普通), `current` (当座).
 */
export const PAYER_ACCOUNT_TYPES: readonly string[] = Object.keys(settlementV1.BankAccountType)
  .filter((key) => key.startsWith('BANK_ACCOUNT_TYPE_') && key !== 'BANK_ACCOUNT_TYPE_UNSPECIFIED')
  .map((key) => key.slice('BANK_ACCOUNT_TYPE_'.length).toLowerCase());

/** The journals settlement writes, by vendor (`freee`, `money_forward`, `yayoi`), each in its encoding. */
export const JOURNAL_VENDORS = Object.keys(JOURNAL_ENCODINGS) as JournalVendor[];

/**
 * The limits the edge sets itself, on what no service gives a limit of its own: ids (the gRPC
 * hosts' ID_MAX_LENGTH), Idempotency-Keys (a command's request id), times as text, page tokens.
 */
export const EDGE_LIMITS = Object.freeze({
  idLength: ID_MAX_LENGTH,
  idempotencyKeyLength: MAX_REQUEST_ID_LENGTH,
  timeLength: 64,
  regionIdLength: 64,
  townIdLength: 130,
  pageTokenLength: 512,
  /** Login text is checked by identity; the edge only bounds it (an email, a password identity would accept). */
  loginEmailLength: PERSONAL_DATA_LIMITS.email,
  loginPasswordLength: PERSONAL_DATA_LIMITS.passwordMax,
  /** Registration numbers (適格請求書): `T` and 13 digits. */
  registrationNumberLength: 14,
  /** A time of day, `HH:MM`. */
  timeOfDayLength: 5,
});

const TIME_IN =
  'RFC 3339 date-time with an offset (any offset: `2026-04-30T17:00:00+09:00` and `2026-04-30T08:00:00Z` are the same instant); stored as UTC.';
const TIME_OUT = 'ISO-8601 in Asia/Tokyo with its +09:00 offset (the same instant the service stores in UTC).';
const TEXT_NOTE = 'NUL and invalid Unicode are refused (400 `text.invalid_characters`).';

const nullable = <T extends TSchema>(schema: T, description?: string) =>
  Type.Union([schema, Type.Null()], description === undefined ? {} : { description });

/** Integer yen in a request: within the domain's limits (job intake's LIMITS). */
const yenIn = (description: string) =>
  Type.Integer({
    minimum: Number(JOB_LIMITS.minAmountYen),
    maximum: Number(JOB_LIMITS.maxAmountYen),
    description: `${description} Integer yen, tax excluded.`,
  });
/** Integer yen in an answer. */
const yenOut = (description: string) => Type.Integer({ description: `${description} Integer yen, tax excluded.` });
const timeIn = (description: string) =>
  Type.String({ format: 'date-time', maxLength: EDGE_LIMITS.timeLength, description: `${description} ${TIME_IN}` });
const timeOut = (description: string) => Type.String({ description: `${description} ${TIME_OUT}` });
/** Free text a person types: NUL and lone surrogates are refused (see app.ts). */
const text = (maxLength: number, description: string, minLength = 1) =>
  Type.String({ minLength, maxLength, description: `${description} ${TEXT_NOTE}` });
const id = (description: string) =>
  Type.String({ minLength: 1, maxLength: EDGE_LIMITS.idLength, pattern: '^[\\x21-\\x7E]+$', description });
const uuid = (description: string) => Type.String({ format: 'uuid', description });
const regionIdSchema = (description = 'A region slug, e.g. `fujisato`.') =>
  Type.String({
    minLength: 1,
    maxLength: EDGE_LIMITS.regionIdLength,
    pattern: '^[a-z][a-z0-9_-]*$',
    description,
  });
const townIdSchema = (description = 'A town as `<region>/<town>`, e.g. `fujisato/fujikoto`.') =>
  Type.String({
    minLength: 3,
    maxLength: EDGE_LIMITS.townIdLength,
    pattern: '^[a-z][a-z0-9_-]*/[a-z][a-z0-9_-]*$',
    description,
  });
const version = (description: string) => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });
const taskKey = Type.String({
  minLength: 1,
  maxLength: PLAN_LIMITS.taskKeyLength,
  pattern: PLAN_LIMITS.taskKeyPattern,
  description: "Names the task within its plan (letters, digits, '-' and '_').",
});
const strings = (description?: string) => Type.Array(Type.String(), description === undefined ? {} : { description });

// ---- shared answers --------------------------------------------------------------------------

export const problemSchema = Type.Object(
  {
    type: Type.String({ description: '`urn:workshare:problem:<code>`' }),
    title: Type.String({ description: 'The HTTP status, in words.' }),
    status: Type.Integer(),
    detail: Type.String({ description: 'What went wrong, for a person; never internals.' }),
    code: Type.String({ description: 'The stable dotted code, e.g. `job.not_quotable`.' }),
    instance: Type.String({ description: 'The path of the request.' }),
    requestId: Type.String({ description: 'The request id (also in the X-Request-Id header).' }),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
        description: 'The fields the request got wrong (validation problems).',
      }),
    ),
    details: Type.Optional(
      Type.Object(
        {},
        { additionalProperties: true, description: "The service's details about the error, when it gave any." },
      ),
    ),
  },
  {
    $id: 'Problem',
    description: `An error, as RFC 9457 problem details (\`application/problem+json\`). \`code\` is stable; \`type\` is \`urn:workshare:problem:<code>\`. The services' codes (e.g. \`job.not_quotable\`, \`job.forbidden\`, \`plan.cycle\`) pass through as they are, with the status of their kind: invalid 400, not allowed 403, not found 404, conflict 409, broken rule 422, unauthenticated 401. The gateway's own codes: ${Object.entries(
      EDGE_CODES,
    )
      .map(([code, { status, meaning }]) => `\`${code}\` (${status}: ${meaning})`)
      .join('; ')}.`,
  },
);

const roleSchema = Type.Object({
  role: Type.Enum(ROLE_NAMES),
  region: Type.Optional(Type.String({ description: 'The region a coordinator runs.' })),
  businessId: Type.Optional(Type.String({ description: 'The business a business user acts for.' })),
});

export const callerSchema = Type.Object(
  {
    subject: Type.String({ description: 'The user id (a member id for a member).' }),
    roles: Type.Array(roleSchema),
  },
  { $id: 'Caller', description: 'Whom a token identifies, and her roles.' },
);

const quoteSchema = nullable(
  Type.Object({
    amountYen: yenOut('The fee (for hourly work, the estimated fee).'),
    estimatedMinutes: Type.Integer({ description: 'The total work the job needs.' }),
    deliveryDate: timeOut('When the cooperative will deliver.'),
    note: Type.String(),
    quotedAt: timeOut('When it was quoted.'),
    quotedBy: Type.String(),
  }),
  "The coordinator's quote; null until quoted.",
);

export const orderTermsSchema = Type.Object(
  {
    feeYen: yenOut('The fee.'),
    deliveryDate: timeOut('When the work is delivered.'),
    inspectionDate: timeOut('The business inspects by this date.'),
    paymentDate: timeOut('Payment is due by this date, within 60 days of delivery.'),
    acceptedAt: timeOut('When the quote was accepted.'),
  },
  { $id: 'OrderTerms', description: 'The order terms fixed when the quote is accepted (フリーランス法 §3).' },
);

export const jobSchema = Type.Object(
  {
    jobId: Type.String({ format: 'uuid' }),
    businessId: Type.String(),
    title: Type.String(),
    description: Type.String(),
    workCategory: Type.Enum(WORK_CATEGORIES),
    pricing: Type.Object({
      kind: Type.Enum(PRICING_KINDS),
      hourlyRateYen: Type.Optional(yenOut('Per hour, for hourly work only.')),
    }),
    amountYen: yenOut('The budget the business states.'),
    deadline: timeOut('The latest delivery the business accepts.'),
    regionId: Type.String(),
    localOnlyTownId: nullable(Type.String(), 'Set when the job must be done in this town by people of this town.'),
    skills: strings(),
    status: Type.Enum(JOB_STATUSES),
    quote: quoteSchema,
    terms: nullable(Type.Ref('OrderTerms'), 'Null until the quote is accepted.'),
    inspections: Type.Array(
      Type.Object({
        accepted: Type.Boolean(),
        reason: Type.String(),
        inspectedAt: timeOut('When.'),
        inspectedBy: Type.String(),
      }),
      { description: 'Every inspection, oldest first.' },
    ),
    reason: nullable(Type.String(), 'Why the quote was declined or the job cancelled.'),
    submittedAt: timeOut('When the job was submitted.'),
    updatedAt: timeOut('When the job last changed.'),
    version: Type.Integer({ description: "The job stream's version." }),
  },
  { $id: 'Job', description: 'A job, as the caller may see it.' },
);

export const planSchema = Type.Object(
  {
    jobId: Type.String(),
    regionId: Type.String(),
    localOnlyTownId: nullable(Type.String()),
    status: Type.Enum(PLAN_STATUSES),
    tasks: Type.Array(
      Type.Object({
        taskId: nullable(Type.String(), 'Set once the round is confirmed.'),
        key: Type.String(),
        title: Type.String(),
        estimatedMinutes: Type.Integer(),
        skills: strings(),
        dependsOn: strings('Keys (task ids once confirmed) of the tasks to do first.'),
        deadline: timeOut('The task is done by then.'),
        round: Type.Integer(),
      }),
      { description: "The confirmed rounds' tasks, then the open round's." },
    ),
    round: Type.Integer({ description: 'The round that is open or last confirmed.' }),
    jobEstimatedMinutes: Type.Integer(),
    jobDeadline: timeOut("The job's deadline."),
    maxTaskMinutes: Type.Integer({ description: 'The longest a task may be (one window).' }),
    reworkReason: nullable(Type.String(), 'Why rework is needed, when it is.'),
    cancelReason: nullable(Type.String(), 'Why the job was cancelled, when it was (nothing more is planned).'),
    version: Type.Integer({ description: "The plan stream's version: send it back as expectedVersion." }),
  },
  { $id: 'Plan', description: "A job's plan of tasks." },
);

/** A planned span of work; null when there is none. */
const spanSchema = (description: string) =>
  nullable(Type.Object({ start: timeOut('It starts.'), end: timeOut('It ends.') }), description);

/** Why nobody could take a task: one entry per reason, each with its stable code. */
const reasonsSchema = (description: string) =>
  Type.Array(
    Type.Object({
      code: Type.String({ description: 'A stable code, e.g. `schedule.no_skill_in_town`.' }),
      message: Type.String(),
    }),
    { description },
  );

export const scheduledTaskSchema = Type.Object(
  {
    taskId: Type.String(),
    jobId: Type.String(),
    title: Type.String(),
    estimatedMinutes: Type.Integer(),
    skills: strings(),
    dependsOn: strings('The task ids to do first.'),
    deadline: timeOut('The task is done by then.'),
    status: Type.Enum(ASSIGNMENT_STATUSES, {
      description:
        '`assigned` (memberId and span set), `unassignable` (see reasons) or `waiting` (planned, not scheduled yet).',
    }),
    memberId: nullable(Type.String(), 'The member who holds it; null unless assigned.'),
    span: spanSchema('When she plans to do it (one of her weekly windows); null unless assigned.'),
    reasons: reasonsSchema('Why nobody could take it (unassignable only; otherwise empty).'),
    traineeMemberId: nullable(Type.String(), 'A new member shadowing the holder, when paired for training.'),
    teamRegionId: nullable(Type.String(), "The region of the holder's team (a partner region's, for a shared job)."),
  },
  {
    $id: 'ScheduledTask',
    description: 'A task of a job as team scheduling holds it: who does it and when, or why nobody can.',
  },
);

export const taskHistoryEntrySchema = Type.Object(
  {
    kind: Type.Enum(HISTORY_KINDS),
    memberId: nullable(Type.String(), 'The member the fact is about (the new holder, the trainee...).'),
    fromMemberId: nullable(Type.String(), 'Who held the task before, for a hand-off or an override.'),
    actor: Type.String({ description: 'Who did it (a user id, or the service itself).' }),
    reason: nullable(
      Type.String(),
      'The reason given; for `unassignable`, the codes of `reasons` joined by ", ". Never shown to a business.',
    ),
    progressNote: nullable(Type.String(), 'What was done so far, for a hand-off. Never shown to a business.'),
    at: timeOut('When it happened.'),
    span: spanSchema('The span planned by an assignment; null for other facts.'),
    reasons: reasonsSchema('For `unassignable`: why nobody could take the task; otherwise empty.'),
  },
  { $id: 'TaskHistoryEntry', description: 'One fact of a task’s history, with who did it and why.' },
);

const weeklyWindowOut = Type.Object({
  day: Type.Enum(WEEKDAYS),
  start: Type.String({ description: '`HH:MM`, Asia/Tokyo, included.' }),
  end: Type.String({ description: '`HH:MM`, Asia/Tokyo, excluded (`24:00` ends the day).' }),
});

export const memberSchema = Type.Object(
  {
    memberId: Type.String(),
    regionId: Type.String(),
    townId: Type.String({ description: '`<region>/<town>`' }),
    officePrefecture: Type.String({ description: 'ISO 3166-2, e.g. `JP-05`.' }),
    contractType: Type.Enum(CONTRACT_TYPES, { description: '`contractor` (業務委託) or `employee` (パート雇用).' }),
    skills: strings(),
    windows: Type.Array(weeklyWindowOut, { description: 'Her weekly availability, Asia/Tokyo.' }),
    status: Type.Enum(MEMBER_STATUSES),
    registeredAt: timeOut('When she was registered.'),
    personalDataStatus: Type.Enum(PERSONAL_DATA_STATUSES, {
      description: '`included` (personalData is set), `withheld` (the caller may not read it), `forgotten`.',
    }),
    personalData: nullable(
      Type.Object({
        name: Type.String(),
        address: nullable(Type.String(), 'Null when the caller may not read it.'),
        email: nullable(Type.String(), 'Null when the caller may not read it.'),
        bankAccount: nullable(
          Type.Object({
            bankCode: Type.String(),
            branchCode: Type.String(),
            accountType: Type.Enum(BANK_ACCOUNT_TYPES),
            accountNumber: Type.String(),
            holderNameKana: Type.String(),
          }),
        ),
      }),
      'Only when identity includes it (personalDataStatus `included`).',
    ),
  },
  { $id: 'Member', description: 'A member of a region, as identity lets the caller see her.' },
);

export const businessSchema = Type.Object(
  {
    businessId: Type.String(),
    name: Type.String(),
    registrationNumber: Type.String({ description: 'Qualified-invoice registration number: `T` and 13 digits.' }),
    regionId: Type.String(),
    address: nullable(Type.String(), 'Null when none was registered.'),
  },
  { $id: 'Business', description: 'A business the cooperative works for.' },
);

const tokyoDay = (description: string) => Type.String({ description: `${description} \`YYYY-MM-DD\`, Asia/Tokyo.` });

const dayMinutesSchema = Type.Object({
  day: tokyoDay('The day.'),
  minutes: Type.Integer({ description: 'Minutes of work on that day.' }),
});

export const timeEntrySchema = Type.Object(
  {
    entryId: Type.String(),
    taskId: Type.String(),
    jobId: Type.String(),
    regionId: Type.String({ description: 'The job’s home region.' }),
    start: timeOut('It starts, on a whole minute.'),
    end: timeOut('It ends, on a whole minute.'),
    minutes: Type.Integer({ description: 'Whole minutes: (end − start) / 60 s.' }),
    source: Type.Enum(ENTRY_SOURCES, {
      description: '`timer` (started and stopped) or `manual` (entered afterwards).',
    }),
    days: Type.Array(dayMinutesSchema, {
      description: 'Its minutes on each Tokyo day it touches: a span crossing midnight Tokyo time counts on each day.',
    }),
  },
  { $id: 'TimeEntry', description: 'A span of a member’s work on a task she held throughout.' },
);

export const weekSchema = Type.Object(
  {
    memberId: Type.String(),
    weekStart: tokyoDay('Its Monday,'),
    weekEnd: tokyoDay('Its Sunday,'),
    approval: Type.Enum(WEEK_APPROVALS, {
      description:
        '`open` (never approved), `approved` (by a coordinator of her region: what pay uses), `reopened` (approved, then a correction or deletion touched it: not approved until approved again).',
    }),
    entries: Type.Array(Type.Ref('TimeEntry'), { description: 'The entries starting in the week, earliest first.' }),
    days: Type.Array(dayMinutesSchema, {
      description:
        'Monday to Sunday, each listed (0 when none), and the next Monday when a Sunday-night entry runs past midnight.',
    }),
    totalMinutes: Type.Integer({ description: 'The minutes of the week’s entries.' }),
    timer: nullable(
      Type.Object({
        taskId: Type.String(),
        jobId: Type.String(),
        start: timeOut('It started, on a whole minute.'),
      }),
      'Her running timer, when it started in this week; else null.',
    ),
  },
  { $id: 'Week', description: 'A member’s Tokyo week (Monday 00:00 to the next Monday 00:00, +09:00).' },
);

/** Integer yen in an answer, with or without tax as its description says. */
const yenAmount = (description: string) => Type.Integer({ description: `${description} Integer yen.` });

export const settlementSummarySchema = Type.Object(
  {
    regionId: Type.String(),
    month: Type.String({ description: 'The Tokyo month, `YYYY-MM`.' }),
    closedAt: timeOut('When it was closed.'),
    closedBy: Type.String({ description: 'Who closed it (a user id).' }),
    inputDigest: Type.String({
      description: 'SHA-256 (hex) of the canonical JSON of the facts the close was computed from.',
    }),
    payDay: tokyoDay('The day transfers are made,'),
    billedYen: yenAmount('What the month bills, tax excluded.'),
    taxYen: yenAmount('The invoices’ consumption tax.'),
    marginYen: yenAmount('What the cooperative keeps of what it bills, before top-ups.'),
    topUpYen: yenAmount('Minimum-wage top-ups, paid out of the margin.'),
    keptYen: yenAmount('The margin less the top-ups; may be negative.'),
    payableYen: yenAmount('What the members are paid in all.'),
    invoiceCount: Type.Integer(),
    statementCount: Type.Integer(),
    findings: Type.Array(
      Type.Object({
        code: Type.String({ description: 'e.g. `settlement.payment_late`, `settlement.minimum_wage_topped_up`.' }),
        count: Type.Integer(),
      }),
      { description: 'How many findings of each code the close reported.' },
    ),
  },
  { $id: 'SettlementSummary', description: 'A closed month at a glance (a closed month never changes).' },
);

export const regionSettlementConfigSchema = Type.Object(
  {
    regionId: Type.String(),
    issuerName: Type.String({ description: 'The cooperative entity, as invoices and statements name it.' }),
    registrationNumber: Type.String({ description: 'Its qualified-invoice registration number: `T` and 13 digits.' }),
    address: Type.String(),
    payerAccount: Type.Object({
      bankCode: Type.String(),
      bankNameKana: Type.String({ description: 'Empty when not given.' }),
      branchCode: Type.String(),
      branchNameKana: Type.String({ description: 'Empty when not given.' }),
      type: Type.Enum(PAYER_ACCOUNT_TYPES),
      number: Type.String(),
    }),
    zenginRequesterCode: Type.String({ description: '振込依頼人コード, assigned by the bank.' }),
    requesterNameKana: Type.String({ description: '振込依頼人名.' }),
    marginBasisPoints: Type.Integer({
      description: 'The share of what a job bills that the cooperative keeps (1500 = 15%).',
    }),
    payDay: Type.Integer({ description: 'The day of the month after the close on which members are paid.' }),
    invoiceRounding: Type.Enum(ROUNDING_RULES),
    payTimingReading: Type.Enum(PAY_TIMING_READINGS),
    officePrefecture: Type.String({
      description: 'The prefecture of the region’s office, e.g. `akita`: its minimum wage binds.',
    }),
  },
  { $id: 'RegionSettlementConfig', description: 'Who issues the invoices and pays the members of a region.' },
);

// ---- per route -----------------------------------------------------------------------------

const problemAnswer = (description: string) => ({
  description,
  content: { [PROBLEM_MEDIA_TYPE]: { schema: Type.Ref('Problem') } },
});

const PROBLEM_RESPONSES = {
  '4XX': problemAnswer('The request was refused.'),
  '5XX': problemAnswer('The gateway or a service behind it failed.'),
} as const;

/** The answers of a route: the success ones given, and problems for every error. */
export const responses = <T extends Record<number, unknown>>(success: T) => ({ ...success, ...PROBLEM_RESPONSES });

/** 204: no body at all (the reply is sent without one). */
export const NO_CONTENT = { 204: Type.Unsafe<void>({ type: 'null', description: 'Done; nothing to say.' }) } as const;

export const jobIdParams = Type.Object({ jobId: uuid('The job id (a UUID).') }, { additionalProperties: false });

export const idempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: EDGE_LIMITS.idempotencyKeyLength,
      pattern: '^[\\x21-\\x7E]+$',
      description:
        'Makes the command safe to retry: a request repeated with the same key is answered with the first outcome and applied once. Without it, each request is a new command.',
    }),
  ),
});

export const loginBody = Type.Object(
  {
    email: text(EDGE_LIMITS.loginEmailLength, 'The login email.'),
    password: text(EDGE_LIMITS.loginPasswordLength, 'The password.'),
  },
  { additionalProperties: false },
);

export const loginAnswer = Type.Object({
  accessToken: Type.String({
    description: 'Send it as `Authorization: Bearer <accessToken>`. It lives 15 minutes: refresh it before then.',
  }),
  expiresAt: timeOut('When the access token stops being accepted.'),
  caller: Type.Ref('Caller'),
  refreshToken: Type.String({
    description:
      'Opaque. Exchange it once at `POST /v1/auth/refresh` for new tokens (the answer carries the next one); keep it secret. Used a second time, it ends the session: every token of it is refused.',
  }),
  refreshExpiresAt: timeOut('When the session’s refresh tokens stop working (sign in again then).'),
});

const refreshToken = Type.String({
  minLength: 1,
  maxLength: MAX_REFRESH_TOKEN_LENGTH,
  pattern: '^[\\x21-\\x7E]+$',
  description: 'The refresh token of the last sign-in or refresh.',
});

export const refreshBody = Type.Object({ refreshToken }, { additionalProperties: false });

export const logoutBody = Type.Object(
  {
    refreshToken: Type.Optional(refreshToken),
  },
  {
    additionalProperties: false,
    description:
      'The session’s refresh token; or no body, with `Authorization: Bearer <accessToken>` of the session (it may have expired).',
  },
);

export const regionsAnswer = Type.Object({
  regions: Type.Array(
    Type.Object({
      regionId: Type.String({ description: 'e.g. `fujisato`' }),
      name: Type.String({ description: 'e.g. 藤里町' }),
      prefecture: Type.String({ description: 'ISO 3166-2, e.g. `JP-05`' }),
      towns: Type.Array(
        Type.Object({
          townId: Type.String({ description: '`<region>/<town>`, e.g. `fujisato/fujikoto`' }),
          name: Type.String(),
        }),
      ),
    }),
  ),
});

const jobSkills = Type.Array(text(JOB_LIMITS.skillLength, 'A skill, e.g. `data entry`.'), {
  minItems: 1,
  maxItems: JOB_LIMITS.skills,
  description: 'The skills the work needs.',
});

export const submitJobBody = Type.Object(
  {
    businessId: id('The business the job is for (a business user: one she acts for).'),
    title: text(JOB_LIMITS.titleLength, 'What the work is, in a line.'),
    description: text(JOB_LIMITS.descriptionLength, 'The work in full.', 0),
    workCategory: Type.Enum(WORK_CATEGORIES),
    pricing: Type.Object(
      {
        kind: Type.Enum(PRICING_KINDS),
        hourlyRateYen: Type.Optional(yenIn('Per hour; hourly pricing only.')),
      },
      {
        additionalProperties: false,
        description: '`{"kind":"fixed_price"}` (請負) or `{"kind":"hourly","hourlyRateYen":1500}` (準委任).',
        if: { properties: { kind: { const: 'hourly' } } },
        then: { properties: { hourlyRateYen: {} }, required: ['hourlyRateYen'] },
        else: { not: { properties: { hourlyRateYen: {} }, required: ['hourlyRateYen'] } },
      },
    ),
    amountYen: yenIn('The budget.'),
    deadline: timeIn('The latest delivery the business accepts.'),
    regionId: regionIdSchema(),
    localOnlyTownId: Type.Optional(
      townIdSchema(
        'A town as `<region>/<town>`, e.g. `fujisato/fujikoto`. Only when the job must be done in this town by people of this town.',
      ),
    ),
    skills: jobSkills,
  },
  { additionalProperties: false },
);
export type SubmitJobBody = Static<typeof submitJobBody>;

export const submitJobAnswer = Type.Object({ jobId: Type.String({ format: 'uuid' }) });

export const listJobsQuery = Type.Object(
  {
    regionId: Type.Optional(regionIdSchema()),
    businessId: Type.Optional(id('Only this business’s jobs.')),
    status: Type.Optional(Type.Enum(JOB_STATUSES)),
    pageSize: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_PAGE_SIZE,
        description: 'At most this many jobs (the service’s default when absent).',
      }),
    ),
    pageToken: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: EDGE_LIMITS.pageTokenLength,
        description: 'The `nextPageToken` of the previous page.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ListJobsQuery = Static<typeof listJobsQuery>;

export const jobListAnswer = Type.Object({
  jobs: Type.Array(Type.Ref('Job'), { description: 'Newest first.' }),
  nextPageToken: nullable(Type.String(), 'Pass as pageToken for the next page; null on the last page.'),
});

export const quoteBody = Type.Object(
  {
    amountYen: yenIn('The fee (for hourly work, the estimated fee).'),
    estimatedMinutes: Type.Integer({
      minimum: JOB_LIMITS.minEstimatedMinutes,
      maximum: JOB_LIMITS.maxEstimatedMinutes,
      description: 'The total work the job needs, in minutes.',
    }),
    deliveryDate: timeIn('When the cooperative will deliver; at or before the deadline.'),
    note: Type.Optional(text(JOB_LIMITS.noteLength, 'For the business.', 0)),
  },
  { additionalProperties: false },
);
export type QuoteBody = Static<typeof quoteBody>;

export const acceptAnswer = Type.Object({ jobId: Type.String(), terms: Type.Ref('OrderTerms') });

/** A job's decline or cancellation: job intake's reason. */
export const reasonBody = (what: string) =>
  Type.Object({ reason: text(JOB_LIMITS.reasonLength, what) }, { additionalProperties: false });

export const deliverBody = Type.Object(
  { note: Type.Optional(text(JOB_LIMITS.noteLength, 'For the business.', 0)) },
  { additionalProperties: false },
);

export const inspectionBody = Type.Object(
  {
    accepted: Type.Boolean({
      description: 'true: the delivered work is accepted (検収); false: it goes back for rework.',
    }),
    reason: Type.Optional(
      text(JOB_LIMITS.reasonLength, 'Why the work is rejected (required by the service when accepted is false).', 0),
    ),
  },
  { additionalProperties: false },
);

export const revisePlanBody = Type.Object(
  {
    expectedVersion: version('The plan version you edited; a newer plan refuses the revision (409).'),
    tasks: Type.Array(
      Type.Object(
        {
          key: taskKey,
          title: text(PLAN_LIMITS.taskTitleLength, 'What the task is.'),
          estimatedMinutes: Type.Integer({
            minimum: 1,
            maximum: PLAN_LIMITS.maxTaskMaxMinutes,
            description: 'Minutes; at most the plan’s maxTaskMinutes.',
          }),
          skills: Type.Array(text(PLAN_LIMITS.skillLength, 'A skill, e.g. `data entry`.'), {
            maxItems: PLAN_LIMITS.skillsPerTask,
            description: 'The skills the task needs.',
          }),
          dependsOn: Type.Array(taskKey, {
            maxItems: PLAN_LIMITS.tasksPerPlan,
            description: 'Keys of the tasks to do first.',
          }),
          deadline: timeIn("At or before the job's deadline."),
        },
        { additionalProperties: false },
      ),
      { maxItems: PLAN_LIMITS.tasksPerPlan, description: "The open round's tasks, replacing its drafts." },
    ),
  },
  { additionalProperties: false },
);
export type RevisePlanBody = Static<typeof revisePlanBody>;
export type TaskDraftBody = RevisePlanBody['tasks'][number];

export const confirmPlanBody = Type.Object(
  { expectedVersion: version('The plan version you confirm.') },
  { additionalProperties: false },
);

export const healthAnswer = Type.Object({ status: Type.String() });

export const readyAnswer = Type.Object({
  status: Type.String(),
  upstreams: Type.Record(Type.String(), Type.String(), { description: 'Each service’s gRPC health.' }),
});

// ---- schedules ---------------------------------------------------------------------------------

export const taskIdParams = Type.Object({ taskId: uuid('The task id (a UUID).') }, { additionalProperties: false });
export const memberIdParams = Type.Object(
  { memberId: uuid('The member id (a UUID).') },
  { additionalProperties: false },
);

export const memberScheduleQuery = Type.Object(
  {
    from: Type.Optional(
      timeIn(
        'From this instant. Send a `+` offset as `%2B`; a bare `+`, which a query string reads as a space, is taken back as the offset.',
      ),
    ),
    to: Type.Optional(timeIn('Until this instant; after from.')),
  },
  {
    additionalProperties: false,
    description:
      'Both or neither: without them, the current Tokyo week (Monday 00:00 to the next Monday 00:00, +09:00).',
    dependencies: { from: ['to'], to: ['from'] },
  },
);
export type MemberScheduleQuery = Static<typeof memberScheduleQuery>;

export const holderQuery = Type.Object(
  {
    at: Type.Optional(
      timeIn(
        'The instant asked about (default: now). Send a `+` offset as `%2B` (a bare `+` is taken back as the offset too).',
      ),
    ),
  },
  { additionalProperties: false },
);

const schedulingReason = (description: string) => text(SCHEDULING_LIMITS.reasonLength, description);

export const handOffBody = Type.Object(
  {
    reason: schedulingReason('Why she cannot go on (e.g. a sick child).'),
    progressNote: Type.Optional(
      text(SCHEDULING_LIMITS.progressNoteLength, 'What is done so far, for the teammate who takes over.', 0),
    ),
  },
  { additionalProperties: false },
);
export type HandOffBody = Static<typeof handOffBody>;

export const unavailabilityBody = Type.Object(
  {
    from: timeIn('Unavailable from this instant.'),
    to: timeIn('Until this instant; after from.'),
    reason: schedulingReason('Why (e.g. a sick child for three days).'),
  },
  { additionalProperties: false },
);
export type UnavailabilityBody = Static<typeof unavailabilityBody>;

export const overrideAssignmentBody = Type.Object(
  {
    memberId: uuid('The qualified member who takes the task.'),
    reason: schedulingReason('Why the coordinator overrides the schedule.'),
  },
  { additionalProperties: false },
);

export const wishedHoursBody = Type.Object(
  {
    minutesPerWeek: Type.Integer({
      minimum: 1,
      maximum: SCHEDULING_LIMITS.maxWishedMinutesPerWeek,
      description: 'Minutes a week she wishes to work (a week holds 10,080).',
    }),
  },
  { additionalProperties: false },
);

export const grantSkillBody = Type.Object(
  {
    skill: text(SCHEDULING_LIMITS.skillLength, 'The skill granted, e.g. `transcription`.'),
    jobId: uuid('The inspected job whose work shows the skill.'),
    reason: schedulingReason('Why the coordinator grants it.'),
  },
  { additionalProperties: false },
);

export const traineeBody = Type.Object(
  {
    traineeMemberId: uuid('The new member who shadows the holder.'),
    reason: schedulingReason('Why they are paired.'),
  },
  { additionalProperties: false },
);

export const shareJobBody = Type.Object(
  {
    partnerRegionId: regionIdSchema('The partner region whose team may work on the job, e.g. `setagaya`.'),
    reason: schedulingReason('Why the job is shared.'),
  },
  { additionalProperties: false },
);

const tasks = (description: string) => Type.Array(Type.Ref('ScheduledTask'), { description });

export const tasksAnswer = (description: string) => Type.Object({ tasks: tasks(description) });

export const jobScheduleAnswer = Type.Object({
  tasks: tasks('Every task of the job, assigned, unassignable or waiting.'),
  loads: Type.Array(
    Type.Object({
      memberId: Type.String(),
      assignedMinutes: Type.Integer(),
      wishedMinutesPerWeek: nullable(
        Type.Integer(),
        'The minutes a week she wishes to work; null for a business (the members’ hours are not hers to read).',
      ),
    }),
    { description: "Each member's planned minutes on the job, beside the minutes a week she wishes to work." },
  ),
});

export const taskAnswer = Type.Object({ task: Type.Ref('ScheduledTask') });

export const historyAnswer = Type.Object({
  entries: Type.Array(Type.Ref('TaskHistoryEntry'), { description: 'Oldest first.' }),
});

export const holderAnswer = Type.Object({
  memberId: nullable(Type.String(), 'Who held the task at that instant; null when nobody did.'),
});

// ---- people (identity) ---------------------------------------------------------------------------

export const regionParams = Type.Object(
  { regionId: regionIdSchema('The region slug, e.g. `fujisato`.') },
  { additionalProperties: false },
);
export const userIdParams = Type.Object({ userId: id('A member id or a user id.') }, { additionalProperties: false });

const weeklyWindowIn = Type.Object(
  {
    day: Type.Enum(WEEKDAYS),
    start: Type.String({
      pattern: AVAILABILITY_START_PATTERN,
      maxLength: EDGE_LIMITS.timeOfDayLength,
      description: '`HH:MM`, Asia/Tokyo, included.',
    }),
    end: Type.String({
      pattern: AVAILABILITY_END_PATTERN,
      maxLength: EDGE_LIMITS.timeOfDayLength,
      description: '`HH:MM`, Asia/Tokyo, excluded (`24:00` ends the day); after start.',
    }),
  },
  { additionalProperties: false },
);

export const registerMemberBody = Type.Object(
  {
    townId: townIdSchema('Where she lives, `<region>/<town>` of the region in the path.'),
    officePrefecture: Type.String({
      pattern: '^JP-[0-9]{2}$',
      maxLength: 5,
      description: "ISO 3166-2 of the cooperative's office she belongs to, e.g. `JP-05` (its minimum wage binds).",
    }),
    contractType: Type.Enum(CONTRACT_TYPES, { description: '`contractor` (業務委託) or `employee` (パート雇用).' }),
    skills: Type.Array(text(MEMBER_SKILL_LENGTH, 'A skill, e.g. `data entry`.'), {
      maxItems: MEMBER_MAX_SKILLS,
      description: 'What she can do.',
    }),
    windows: Type.Array(weeklyWindowIn, {
      maxItems: MAX_WINDOWS,
      description: 'Her weekly availability, Asia/Tokyo, never overlapping.',
    }),
    personalData: Type.Object(
      {
        name: text(PERSONAL_DATA_LIMITS.name, 'Her name.'),
        address: text(PERSONAL_DATA_LIMITS.address, 'Her address.'),
        email: text(PERSONAL_DATA_LIMITS.email, 'Her email; also her login.'),
        bankAccount: Type.Object(
          {
            bankCode: Type.String({ pattern: '^[0-9]{4}$', maxLength: 4, description: '金融機関コード: 4 digits.' }),
            branchCode: Type.String({ pattern: '^[0-9]{3}$', maxLength: 3, description: '支店コード: 3 digits.' }),
            accountType: Type.Enum(BANK_ACCOUNT_TYPES),
            accountNumber: Type.String({ pattern: '^[0-9]{7}$', maxLength: 7, description: '口座番号: 7 digits.' }),
            holderNameKana: text(PERSONAL_DATA_LIMITS.name, '口座名義, in katakana.'),
          },
          { additionalProperties: false, description: 'Where her pay goes.' },
        ),
      },
      { additionalProperties: false, description: 'Personal data (APPI): encrypted with her own key by identity.' },
    ),
    password: Type.String({
      minLength: PERSONAL_DATA_LIMITS.passwordMin,
      maxLength: PERSONAL_DATA_LIMITS.passwordMax,
      description: `Her first password. ${TEXT_NOTE}`,
    }),
  },
  { additionalProperties: false },
);
export type RegisterMemberBody = Static<typeof registerMemberBody>;

export const registerMemberAnswer = Type.Object({ memberId: Type.String() });

export const membersAnswer = Type.Object({
  members: Type.Array(
    Type.Object({
      member: Type.Ref('Member'),
      roles: Type.Array(roleSchema),
    }),
    { description: 'Oldest registration first; without personal data.' },
  ),
});

const roleIn = Type.Object(
  {
    role: Type.Enum(GRANTABLE_ROLES),
    regionId: Type.Optional(regionIdSchema('For a coordinator: the region she runs.')),
    businessId: Type.Optional(id('For a business user: the business she acts for.')),
    reason: text(IDENTITY_REASON_LENGTH, 'Why, for the audit trail (never personal data).'),
  },
  { additionalProperties: false },
);
export const grantRoleBody = roleIn;
export const revokeRoleBody = roleIn;
export type RoleBody = Static<typeof roleIn>;

export const registerBusinessBody = Type.Object(
  {
    name: text(MAX_BUSINESS_NAME, 'Its name, as invoices show it.'),
    registrationNumber: Type.String({
      pattern: REGISTRATION_NUMBER_PATTERN,
      maxLength: EDGE_LIMITS.registrationNumberLength,
      description:
        'Qualified-invoice (適格請求書) registration number: `T` and 13 digits (identity checks the check digit).',
    }),
    address: Type.Optional(text(MAX_BUSINESS_ADDRESS, 'Its address.')),
  },
  { additionalProperties: false },
);
export type RegisterBusinessBody = Static<typeof registerBusinessBody>;

export const registerBusinessAnswer = Type.Object({ businessId: Type.String() });

export const businessesAnswer = Type.Object({ businesses: Type.Array(Type.Ref('Business')) });

// ---- time tracking ------------------------------------------------------------------------------

const weekStartSchema = (description: string) =>
  Type.String({ pattern: WEEK_START_PATTERN, description: `${description} \`YYYY-MM-DD\`, Asia/Tokyo.` });
const monthSchema = () =>
  Type.String({
    pattern: MONTH_PATTERN,
    description: 'A Tokyo month, `YYYY-MM` (its first day 00:00 to the next month’s, +09:00).',
  });

export const entryParams = Type.Object(
  { memberId: uuid('Whose timesheet (a member id).'), entryId: uuid('The entry id (a UUID).') },
  { additionalProperties: false },
);

export const memberWeekParams = Type.Object(
  { memberId: uuid('The member id (a UUID).'), weekStart: weekStartSchema('The week’s Monday,') },
  { additionalProperties: false },
);

export const weekQuery = Type.Object(
  { weekStart: Type.Optional(weekStartSchema('The week’s Monday (default: the current Tokyo week’s),')) },
  { additionalProperties: false },
);

export const regionMonthParams = Type.Object(
  { regionId: regionIdSchema('The region slug, e.g. `fujisato`.'), month: monthSchema() },
  { additionalProperties: false },
);

const SPAN_RULES = `Whole minutes (seconds are refused, not rounded: \`time.invalid_span\`); refused with nothing stored when it ends in the future (\`time.span_in_future\`), is not inside one hold of hers on the task (\`time.task_not_held\`), overlaps another of her entries or her running timer (\`time.overlapping_span\`), would put more than ${TIME_LIMITS.maxMinutesPerTokyoDay} minutes into a Tokyo day (\`time.day_limit_exceeded\`), or starts in an approved week (\`time.week_approved\`).`;

export const recordSpanBody = Type.Object(
  {
    start: timeIn('It starts, on a whole minute.'),
    end: timeIn('It ends, on a whole minute; after start, not in the future.'),
  },
  { additionalProperties: false, description: SPAN_RULES },
);
export type RecordSpanBody = Static<typeof recordSpanBody>;

const timeReason = (description: string) => text(TIME_LIMITS.reasonLength, description);

export const correctEntryBody = Type.Object(
  {
    start: timeIn('The entry’s new start, on a whole minute.'),
    end: timeIn('Its new end, on a whole minute.'),
    reason: timeReason('Why it is corrected (kept by time tracking, never published).'),
  },
  { additionalProperties: false },
);
export type CorrectEntryBody = Static<typeof correctEntryBody>;

export const deleteEntryBody = Type.Object(
  { reason: timeReason('Why it is deleted (kept by time tracking, never published).') },
  { additionalProperties: false },
);

export const startWorkAnswer = Type.Object({
  taskId: Type.String(),
  start: timeOut('The timer’s start: the request’s time rounded up to the whole minute.'),
});

export const stopWorkAnswer = Type.Object({
  recorded: Type.Boolean({ description: 'false when the timer ran less than one whole minute (nothing recorded).' }),
  entry: nullable(Type.Ref('TimeEntry'), 'The entry recorded: the whole minutes the timer ran; null when none.'),
});

export const entryAnswer = Type.Object({ entry: Type.Ref('TimeEntry') });

export const reopenedAnswer = Type.Object({
  reopenedWeeks: Type.Array(tokyoDay('A Monday,'), {
    description: 'The approved weeks the change reopened: not approved until a coordinator approves them again.',
  }),
});

export const markDoneAnswer = Type.Object({
  taskId: Type.String(),
  at: timeOut('When the cooperative received her work (day 1 of the 60 of フリーランス法 §4).'),
});

export const approveWeekAnswer = Type.Object({
  memberId: Type.String(),
  weekStart: tokyoDay('Its Monday,'),
  approvedEntries: Type.Integer({ description: 'How many entries the approval holds.' }),
  alreadyApproved: Type.Boolean({
    description: 'The week was approved and unchanged since: nothing was done.',
  }),
});

export const approvedTimeAnswer = Type.Object({
  regionId: Type.String(),
  month: Type.String({ description: 'The Tokyo month, `YYYY-MM`.' }),
  lines: Type.Array(
    Type.Object({
      memberId: Type.String(),
      weekStart: tokyoDay('The Monday of its approved week,'),
      entry: Type.Ref('TimeEntry'),
      minutesInMonth: Type.Integer({ description: 'Its minutes on the month’s Tokyo days.' }),
    }),
    { description: 'Every approved entry of the region’s jobs with minutes in the month, by member, then start.' },
  ),
  members: Type.Array(Type.Object({ memberId: Type.String(), minutes: Type.Integer() }), {
    description: 'Each member’s approved minutes in the month.',
  }),
  totalMinutes: Type.Integer(),
});

// ---- settlement -----------------------------------------------------------------------------------

/** A fixed number of digits, `pattern` and `maxLength` both saying it. */
const digits = (count: number, description: string) =>
  Type.String({ pattern: `^[0-9]{${count}}$`, maxLength: count, description: `${description}: ${count} digits.` });
const kana = (description: string, minLength = 1) => text(CONFIG_LIMITS.kanaText, description, minLength);

export const settlementConfigBody = Type.Object(
  {
    issuerName: text(CONFIG_LIMITS.issuerName, 'The cooperative entity, as invoices and statements name it.'),
    registrationNumber: Type.String({
      pattern: REGISTRATION_NUMBER_PATTERN,
      maxLength: EDGE_LIMITS.registrationNumberLength,
      description:
        'Its qualified-invoice registration number: `T` and its 法人番号 (settlement verifies the check digit: `settlement.registration_number_check_digit`).',
    }),
    address: text(CONFIG_LIMITS.address, 'Its address, as invoices show it.'),
    payerAccount: Type.Object(
      {
        bankCode: digits(4, '金融機関コード'),
        bankNameKana: Type.Optional(kana('The bank’s name in kana (optional in the file).', 0)),
        branchCode: digits(3, '支店コード'),
        branchNameKana: Type.Optional(kana('The branch’s name in kana.', 0)),
        type: Type.Enum(PAYER_ACCOUNT_TYPES, { description: '`ordinary` (普通) or `current` (当座).' }),
        number: digits(7, '口座番号'),
      },
      {
        additionalProperties: false,
        description: 'The cooperative’s account, the payer (振込依頼人) of the Zengin file.',
      },
    ),
    zenginRequesterCode: Type.String({
      pattern: `^[0-9]{1,${CONFIG_LIMITS.zenginRequesterCodeDigits}}$`,
      maxLength: CONFIG_LIMITS.zenginRequesterCodeDigits,
      description: `振込依頼人コード (委託者コード), assigned by the bank: 1 to ${CONFIG_LIMITS.zenginRequesterCodeDigits} digits.`,
    }),
    requesterNameKana: kana(
      `振込依頼人名 in kana: written half-width into the file, at most ${CONFIG_LIMITS.requesterNameBytes} of them.`,
    ),
    marginBasisPoints: Type.Integer({
      minimum: CONFIG_LIMITS.marginBasisPoints.min,
      maximum: CONFIG_LIMITS.marginBasisPoints.max,
      description: 'The share of what a job bills that the cooperative keeps, in basis points (1500 = 15%).',
    }),
    payDay: Type.Integer({
      minimum: CONFIG_LIMITS.payDay.min,
      maximum: CONFIG_LIMITS.payDay.max,
      description:
        'The day of the month after the close on which members are paid (past the month’s end: its last day).',
    }),
    invoiceRounding: Type.Optional(
      Type.Enum(ROUNDING_RULES, {
        description: `How invoice tax is rounded to the yen, once per invoice per rate (default \`${DEFAULT_INVOICE_ROUNDING}\`).`,
      }),
    ),
    payTimingReading: Type.Optional(
      Type.Enum(PAY_TIMING_READINGS, {
        description: `Which reading of フリーランス法 §4 a close applies to contractors’ pay (default \`${DEFAULT_PAY_TIMING_READING}\`): \`two_months\` (the JFTC’s, for a monthly close cut by receipt) or \`strict_60_days\` (the day of receipt counting as day 1).`,
      }),
    ),
    officePrefecture: Type.String({
      pattern: '^[a-z][a-z0-9_-]*$',
      maxLength: CONFIG_LIMITS.regionId,
      description:
        'The prefecture of the region’s office, e.g. `akita` (that of the region’s office in identity): its dated minimum-wage table binds the region’s employees.',
    }),
  },
  { additionalProperties: false },
);
export type SettlementConfigBody = Static<typeof settlementConfigBody>;

export const settlementConfigAnswer = Type.Object({
  config: Type.Ref('RegionSettlementConfig'),
  configuredAt: timeOut('When it was last configured.'),
  configuredBy: Type.String(),
  version: Type.Integer({ description: 'How many changes the configuration holds, minus one.' }),
});

export const payeeBody = Type.Object(
  {
    invoiceRegistrationNumber: nullable(
      Type.String({
        pattern: REGISTRATION_NUMBER_PATTERN,
        maxLength: EDGE_LIMITS.registrationNumberLength,
        description: '`T` and 13 digits (an individual’s number: its form is checked).',
      }),
      'Her own qualified-invoice registration number, or null: she has none (she is paid the fee without consumption tax).',
    ),
  },
  { additionalProperties: false },
);

export const settlementAnswer = Type.Object({
  summary: Type.Ref('SettlementSummary'),
  settlement: Type.Object(
    {},
    {
      additionalProperties: true,
      description:
        'The whole settlement as settlement stores it (the same data as `settlement.json`): money as decimal strings of yen, instants ISO-8601 UTC, days `YYYY-MM-DD` (Asia/Tokyo), keys sorted.',
    },
  ),
});

export const invoiceParams = Type.Object(
  {
    regionId: regionIdSchema('The region slug, e.g. `fujisato`.'),
    month: monthSchema(),
    businessId: id('The business the invoice is addressed to.'),
  },
  { additionalProperties: false },
);

export const statementParams = Type.Object(
  {
    regionId: regionIdSchema('The region slug, e.g. `fujisato`.'),
    month: monthSchema(),
    memberId: uuid('The member it pays.'),
  },
  { additionalProperties: false },
);

export const journalParams = Type.Object(
  {
    regionId: regionIdSchema('The region slug, e.g. `fujisato`.'),
    month: monthSchema(),
    vendor: Type.Enum(JOURNAL_VENDORS, { description: 'The accounting software the journal is for.' }),
  },
  { additionalProperties: false },
);

/** The media types of the downloads, as settlement answers them (its contract's MEDIA_TYPES and encodings). */
export const DOWNLOAD_MEDIA_TYPES = Object.freeze({
  json: MEDIA_TYPES.json,
  pdf: MEDIA_TYPES.pdf,
  zengin: MEDIA_TYPES.zengin,
  journals: [...new Set(JOURNAL_VENDORS.map((vendor) => MEDIA_TYPES.csv(JOURNAL_ENCODINGS[vendor])))],
  payroll: MEDIA_TYPES.csv('UTF-8'),
});

/**
 * A download's answers: 200 with the file's bytes in one of its media types (the Content-Type is
 * the service's), its name in Content-Disposition, never cached; problems for every error.
 */
export const downloadResponses = (description: string, mediaTypes: readonly string[]) =>
  responses({
    200: {
      description,
      headers: {
        'content-disposition': {
          type: 'string',
          description:
            '`attachment; filename="<name>"`, with `filename*=UTF-8\'\'<name>` (RFC 5987) when the name is not plain ASCII.',
        },
        'cache-control': { type: 'string', description: '`no-store`: files of the books are never cached.' },
      },
      content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
    },
  });

// ---- audit ------------------------------------------------------------------------------------------

export { AUDIT_SUBJECTS, CSV_ENCODINGS };
export type AuditSubjectName = (typeof AUDIT_SUBJECTS)[number];
export type CsvEncodingName = (typeof CSV_ENCODINGS)[number];

/** The documents of a month's books, as the audit service names them. */
export const AUDIT_DOCUMENT_KINDS = ['invoice', 'statement', 'transfer', 'journal'] as const;
/** How the audit service reports a break of the log. */
export const VERIFICATION_BREAK_KINDS = ['changed', 'missing', 'inserted', 'reordered', 'seal'] as const;
export const VERIFICATION_STATUSES = ['intact', 'broken'] as const;
export const PERSONAL_TEXT_KINDS = ['text', 'redacted', 'withheld'] as const;
/** What an audit route answers: JSON (the default), or the same result as a CSV file. */
export const AUDIT_FORMATS = ['json', 'csv'] as const;

/** The media type of an audit export (`text/csv; charset=UTF-8` or `; charset=Shift_JIS`). */
export const AUDIT_CSV_MEDIA_TYPES = ['text/csv; charset=UTF-8', 'text/csv; charset=Shift_JIS'] as const;

const position = (description = 'Its position in the global log, `<commit>/<prepare>`.') =>
  Type.String({ description });

export const personalTextSchema = Type.Object(
  {
    kind: Type.Enum(PERSONAL_TEXT_KINDS, {
      description:
        '`text` (the text is given), `redacted` (its owner was forgotten: her key is gone, the text can never be read again), `withheld` (the caller may not read it).',
    }),
    text: Type.Optional(Type.String({ description: 'The text, for `text` only.' })),
  },
  { $id: 'AuditPersonalText', description: 'A free text that may be personal (a hand-off reason, a note, a name).' },
);

const personalText = (description: string) => Type.Ref('AuditPersonalText', { description });
const nullablePersonal = (description: string) => nullable(Type.Ref('AuditPersonalText'), description);

export const auditActorSchema = Type.Object(
  {
    id: Type.String({ description: 'A user id (a member id for a member), or the service that acted.' }),
    name: nullablePersonal('Her name, as the caller may read it; null when the actor is no person.'),
    role: nullable(Type.String(), 'The role she acted in, when known.'),
  },
  { $id: 'AuditActor', description: 'Who did it.' },
);

export const historyEntrySchema = Type.Object(
  {
    position: position(),
    stream: Type.String({ description: 'The stream, `<category>-<id>`.' }),
    version: Type.Integer({ description: 'Its version in the stream.' }),
    type: Type.String({ description: 'The event’s type, e.g. `TaskHandedOff`.' }),
    occurredAt: timeOut('When it happened.'),
    recordedAt: timeOut('When the store recorded it.'),
    actor: nullable(Type.Ref('AuditActor'), 'Who did it; null for a fact of no one’s doing.'),
    reason: nullablePersonal('The reason given, when one was.'),
    summary: Type.String({
      description: 'What happened, in one line of Japanese (e.g. 「タスクを引き継ぎ: 佐藤 → 鈴木」).',
    }),
    data: Type.Object(
      {},
      {
        additionalProperties: true,
        description: 'The event’s data; personal fields replaced by AuditPersonalText redactions where needed.',
      },
    ),
  },
  { $id: 'AuditHistoryEntry', description: 'One event of a history, with who did it and why.' },
);

export const holdingSchema = Type.Object(
  {
    memberId: Type.String(),
    memberName: nullablePersonal('Her name, as the caller may read it.'),
    from: timeOut('She held the task from then.'),
    to: nullable(timeOut('Until then.'), 'Null while she still holds it.'),
    position: position('The position of the event that gave her the task.'),
  },
  { $id: 'AuditHolding', description: 'A member’s hold of a task, from one instant to another.' },
);

export const handOffRecordSchema = Type.Object(
  {
    at: timeOut('When the task was handed off.'),
    regionId: Type.String(),
    jobId: Type.String(),
    taskId: Type.String(),
    fromMemberId: Type.String({ description: 'Who held it.' }),
    toMemberId: nullable(Type.String(), 'Who took it over; null when nobody could.'),
    by: Type.String({ description: 'Who handed it off (the member, or a coordinator for her).' }),
    reason: personalText('Why.'),
    progressNote: nullablePersonal('What was done so far, when she said.'),
    position: position(),
  },
  { $id: 'AuditHandOff', description: 'A hand-off of a task, with its reason where the caller may read it.' },
);

export const jobTimelineSchema = Type.Object(
  {
    jobId: Type.String(),
    title: Type.String(),
    regionId: Type.String(),
    tasks: Type.Array(
      Type.Object({
        taskId: Type.String(),
        title: Type.String(),
        spans: Type.Array(Type.Ref('AuditHolding'), { description: 'Who held it, oldest first.' }),
        handOffs: Type.Array(Type.Ref('AuditHandOff'), { description: 'Its hand-offs, oldest first.' }),
      }),
      { description: 'The job’s tasks, in plan order.' },
    ),
  },
  { $id: 'AuditJobTimeline', description: 'A job’s timeline: who held each task over time, and its hand-offs.' },
);

const yenSigned = (description: string) => Type.Integer({ description: `${description} Integer yen.` });

export const reconciliationSchema = Type.Object(
  {
    regionId: Type.String(),
    month: Type.String({ description: 'The Tokyo month, `YYYY-MM`.' }),
    closed: Type.Boolean({ description: 'Whether the month is closed.' }),
    closedAt: nullable(timeOut('When it was closed.'), 'Null while it is open.'),
    documents: Type.Array(
      Type.Object({
        kind: Type.Enum(AUDIT_DOCUMENT_KINDS),
        id: Type.String({ description: 'The document (an invoice or statement number, a transfer, a journal line).' }),
        counterparty: Type.String(),
        amountYen: yenSigned('What the document says.'),
        tracedYen: yenSigned('What its sources account for.'),
        differenceYen: yenSigned('amountYen − tracedYen: 0 when every yen is traced.'),
        sources: Type.Array(
          Type.Object({
            jobId: nullable(Type.String()),
            taskId: nullable(Type.String()),
            memberId: nullable(Type.String()),
            entryIds: strings('The time entries it counts.'),
            minutes: Type.Integer({ description: 'Approved minutes it counts (0 for a fixed price).' }),
            amountYen: yenSigned('What it accounts for.'),
            note: Type.String(),
          }),
          { description: 'The inspected jobs, tasks and approved time its yen come from.' },
        ),
      }),
      { description: 'Every invoice, statement, transfer and journal line of the month.' },
    ),
    totals: Type.Object({
      invoicedYen: yenSigned('Billed, tax included.'),
      paidYen: yenSigned('Paid to the members.'),
      transferredYen: yenSigned('In the Zengin transfer file.'),
      journalDebitYen: yenSigned('The journal’s debits.'),
      journalCreditYen: yenSigned('The journal’s credits.'),
    }),
    differences: Type.Array(
      Type.Object({
        documentId: nullable(Type.String(), 'The document, or null for a check of the whole month.'),
        differenceYen: yenSigned('How much.'),
        explanation: Type.String({ description: 'In words.' }),
      }),
      { description: 'Every document whose yen are not all traced, and every check that failed; empty when none.' },
    ),
  },
  { $id: 'AuditReconciliation', description: 'A month’s books, every yen traced to the work that earned it.' },
);

export const searchRecordSchema = Type.Object(
  {
    date: tokyoDay('The document’s date,'),
    kind: Type.Enum(AUDIT_DOCUMENT_KINDS),
    documentId: Type.String(),
    regionId: Type.String(),
    month: Type.String({ description: 'The Tokyo month, `YYYY-MM`.' }),
    counterparty: Type.String(),
    amountYen: yenSigned('The amount.'),
    stream: Type.String({ description: 'The stream that holds it.' }),
    position: position(),
  },
  { $id: 'AuditSearchRecord', description: 'A record of the books found by a search (電子帳簿保存法).' },
);

export const correctionSchema = Type.Object(
  {
    at: timeOut('When it was corrected.'),
    stream: Type.String(),
    version: Type.Integer(),
    type: Type.String({ description: 'The correcting event’s type.' }),
    actor: nullable(Type.Ref('AuditActor')),
    reason: nullablePersonal('Why, where the caller may read it.'),
    changes: Type.Array(
      Type.Object({
        field: Type.String(),
        before: Type.Unknown({ description: 'The value before.' }),
        after: Type.Unknown({ description: 'The value after.' }),
      }),
    ),
    position: position(),
  },
  { $id: 'AuditCorrection', description: 'A correction, with its before and after.' },
);

export const verificationReportSchema = Type.Object(
  {
    status: Type.Enum(VERIFICATION_STATUSES, {
      description: '`intact`: every chain recomputes and matches every seal; `broken`: see breaks.',
    }),
    checkedEvents: Type.Integer(),
    sealsChecked: Type.Integer(),
    lastSeal: nullable(
      Type.Object({
        sequence: Type.Integer(),
        position: position('The position it seals up to.'),
        sealedAt: timeOut('When it was sealed.'),
      }),
      'Null before the first seal.',
    ),
    unsealedEvents: Type.Integer({ description: 'Events after the last seal (covered by the next one).' }),
    breaks: Type.Array(
      Type.Object({
        kind: Type.Enum(VERIFICATION_BREAK_KINDS),
        streamName: nullable(Type.String()),
        streamVersion: nullable(Type.Integer()),
        position: nullable(Type.String()),
        eventId: nullable(Type.String()),
        reason: Type.String(),
      }),
      { description: 'Every break found, naming stream, version and position.' },
    ),
    verifiedAt: timeOut('When it was verified.'),
    range: Type.Object(
      {
        fromSeal: nullable(Type.Integer(), 'The seal it starts at; null: the log’s start.'),
        toSeal: nullable(Type.Integer(), 'The seal it ends at; null: the log’s end.'),
      },
      { description: 'The range verified, as seal sequences.' },
    ),
    running: nullable(
      Type.Object({
        checkedEvents: Type.Integer({ description: 'How far it has come.' }),
        startedAt: timeOut('When it started.'),
      }),
      'A verification running now in the background; null when none runs.',
    ),
  },
  { $id: 'AuditVerification', description: 'The log’s verification against its seals.' },
);

export const auditQueryRecordSchema = Type.Object(
  {
    at: timeOut('When it was asked.'),
    actor: Type.String({ description: 'Who asked (a user id).' }),
    query: Type.String({ description: 'What was asked, e.g. `reconciliation`.' }),
    parameters: Type.Record(Type.String(), Type.String(), { description: 'With what.' }),
  },
  { $id: 'AuditQueryRecord', description: 'An audit query, as it was recorded before it was answered.' },
);

// Requests.

/** `?format=csv&encoding=...`: the answer as a CSV file instead of JSON. */
const exportFields = {
  format: Type.Optional(
    Type.Enum(AUDIT_FORMATS, { description: '`json` (the default) or `csv` (a download, its file name given).' }),
  ),
  encoding: Type.Optional(
    Type.Enum(CSV_ENCODINGS, {
      description:
        'For `format=csv`: `utf-8` (the default; with a BOM, for Excel) or `shift_jis` (for older Japanese accounting software). CRLF line ends either way.',
    }),
  ),
};
export type AuditExportQuery = { format?: (typeof AUDIT_FORMATS)[number]; encoding?: CsvEncodingName };

/** A query string of an audit route: its own fields and the export's. */
const auditQuery = <P extends Record<string, TSchema>>(fields: P) =>
  Type.Object({ ...fields, ...exportFields }, { additionalProperties: false });

/** A page size: its bound is the audit service's (`audit.invalid_limit` above it), said in the description. */
const auditLimit = (maximum: number, fallback: number) =>
  Type.Optional(
    Type.Integer({
      minimum: 1,
      description: `At most this many (1–${maximum.toLocaleString('en-US')}, default ${fallback}; more is refused by the audit service, \`audit.invalid_limit\`).`,
    }),
  );

export const auditHistoryParams = Type.Object(
  {
    subject: Type.Enum(AUDIT_SUBJECTS, { description: 'Whose history.' }),
    id: id('Its id: a job, task or member id, a business id, or `<regionId>.<YYYY-MM>` for a month’s settlement.'),
  },
  { additionalProperties: false },
);
export const auditHistoryQuery = auditQuery({
  limit: auditLimit(1_000, 200),
  after: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'The `next` of the page before (a log position; the audit service checks it).',
    }),
  ),
});

export const auditTaskParams = taskIdParams;
export const auditWhoHeldQuery = auditQuery({ at: timeIn('The instant asked about.') });

export const auditJobParams = jobIdParams;
export const auditJobTimelineQuery = auditQuery({});

export const auditRegionParams = regionParams;
export const auditHandOffsQuery = auditQuery({
  from: timeIn('From this instant (included).'),
  to: timeIn('To this instant (excluded).'),
});

export const auditRegionMonthParams = regionMonthParams;
export const auditReconciliationQuery = auditQuery({});

export const auditStreamParams = Type.Object(
  {
    stream: id(
      'A stream, `<category>-<id>` (e.g. `job-<jobId>`); the audit service checks its form (`audit.invalid_stream`).',
    ),
  },
  { additionalProperties: false },
);
export const auditStreamAsOfQuery = auditQuery({ at: timeIn('The instant to replay it to.') });

export const auditSearchQuery = auditQuery({
  from: Type.Optional(timeIn('From this instant (included): `2026-11-01T00:00:00+09:00` for a Tokyo day.')),
  to: Type.Optional(timeIn('To this instant (excluded): the next day’s 00:00 +09:00 to include a Tokyo day.')),
  minYen: Type.Optional(Type.Integer({ minimum: 0, description: 'At least this many yen (included).' })),
  maxYen: Type.Optional(Type.Integer({ minimum: 0, description: 'At most this many yen (included).' })),
  counterparty: Type.Optional(
    Type.String({
      minLength: 1,
      description: `Part of the counterparty’s name or id (a business or a member); its length is the audit service’s to bound (\`audit.invalid_counterparty\`). ${TEXT_NOTE}`,
    }),
  ),
  limit: auditLimit(5_000, 500),
});

export const auditCorrectionsQuery = auditQuery({
  from: Type.Optional(timeIn('From this instant (included).')),
  to: Type.Optional(timeIn('To this instant (excluded).')),
  regionId: Type.Optional(regionIdSchema('Only this region’s.')),
});

/** A verification's end: a seal's sequence, or an instant (the audit service reads either). */
const sealOrInstant = (description: string) =>
  Type.String({
    minLength: 1,
    description: `${description} A seal’s sequence (\`12\`), or an instant (RFC 3339 with an offset); the audit service checks it.`,
  });

export const auditVerificationQuery = auditQuery({
  from: Type.Optional(
    sealOrInstant('From the seal, or from the last seal made by the instant (default: the log’s start).'),
  ),
  to: Type.Optional(
    sealOrInstant('To the seal, or to the first seal made from the instant on (default: the log’s end).'),
  ),
  fresh: Type.Optional(
    Type.Enum(['true', 'false'], {
      description: '`true`: verify now and answer that report; default the last report of the background verification.',
    }),
  ),
});

export const auditQueriesQuery = auditQuery({ limit: auditLimit(1_000, 100) });

// Answers.

export const auditHistoryAnswer = Type.Object({
  entries: Type.Array(Type.Ref('AuditHistoryEntry'), { description: 'Oldest first.' }),
  next: nullable(Type.String(), 'Pass as `after` for the next page; null on the last.'),
});
export const auditWhoHeldAnswer = Type.Object({
  taskId: Type.String(),
  jobId: nullable(Type.String()),
  at: timeOut('The instant asked about.'),
  holder: nullable(Type.Ref('AuditHolding'), 'Null when nobody held it then.'),
});
export const auditHandOffsAnswer = Type.Object({
  handOffs: Type.Array(Type.Ref('AuditHandOff'), { description: 'Oldest first.' }),
});
export const auditStreamAsOfAnswer = Type.Object({
  stream: Type.String(),
  at: timeOut('The instant replayed to.'),
  version: nullable(Type.Integer(), 'Its version then; null when it did not exist yet.'),
  events: Type.Array(Type.Ref('AuditHistoryEntry'), { description: 'Its events up to then, oldest first.' }),
  state: Type.Object({}, { additionalProperties: true, description: 'Its state then, as its service folds it.' }),
});
export const auditSearchAnswer = Type.Object({ records: Type.Array(Type.Ref('AuditSearchRecord')) });
export const auditCorrectionsAnswer = Type.Object({
  corrections: Type.Array(Type.Ref('AuditCorrection'), { description: 'Oldest first.' }),
});
export const auditQueriesAnswer = Type.Object({
  queries: Type.Array(Type.Ref('AuditQueryRecord'), { description: 'Newest first.' }),
});

/** An audit route's 200: its JSON, or (`format=csv`) the same as a CSV download. */
export const auditResponses = (answer: TSchema, fileName: string) =>
  responses({
    200: {
      description: `The answer as JSON, or with \`format=csv\` as a CSV file (${fileName}), \`Content-Disposition: attachment\` with its name, never cached.`,
      headers: {
        'content-disposition': {
          type: 'string',
          description: 'With `format=csv` only: `attachment; filename="<name>"`.',
        },
      },
      content: {
        'application/json': { schema: answer },
        ...Object.fromEntries(
          AUDIT_CSV_MEDIA_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
        ),
      },
    },
  });

/** The shared shapes, each named by its `$id` in the OpenAPI document's components.schemas. */
export const SHARED_SCHEMAS = [
  problemSchema,
  callerSchema,
  orderTermsSchema,
  jobSchema,
  planSchema,
  scheduledTaskSchema,
  taskHistoryEntrySchema,
  memberSchema,
  businessSchema,
  timeEntrySchema,
  weekSchema,
  settlementSummarySchema,
  regionSettlementConfigSchema,
  personalTextSchema,
  auditActorSchema,
  historyEntrySchema,
  holdingSchema,
  handOffRecordSchema,
  jobTimelineSchema,
  reconciliationSchema,
  searchRecordSchema,
  correctionSchema,
  verificationReportSchema,
  auditQueryRecordSchema,
] as const;
