/**
 * The routes of the audit service (`GET /v1/audit/...`): every question the accountant asks of
 * the history, each answered by one call to the audit service with the caller's token passed on
 * (it authorises again, and records every query before it answers). JSON by default; with
 * `?format=csv&encoding=utf-8|shift_jis` the same result as a CSV file, which the audit service
 * writes (its Export), sent as an attachment with its file name.
 *
 * The routes are one table: each names its path, schemas and how its request becomes the audit
 * service's query; `auditRoute` registers them all the same way.
 */
import type { AuditQueryKind } from '@workshare/audit/contract';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ValidationError } from '@workshare/eventsourcing';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { requireRegionStaff, type Access } from '../../application/access.js';
import type { AuditQueries } from '../grpc/audit.js';
import type { Upstreams } from '../grpc/upstreams.js';
import { AUDIT_VIEWS } from './audit-views.js';
import { sendDownload } from './downloads.js';
import { BEARER, callerOf, readQueryIntegers, readQueryTimes, settingsOf } from './requests.js';
import { instantOf } from './time.js';
import { requireAfter } from './views.js';
import {
  auditCorrectionsAnswer,
  auditCorrectionsQuery,
  auditHandOffsAnswer,
  auditHandOffsQuery,
  auditHistoryAnswer,
  auditHistoryParams,
  auditHistoryQuery,
  auditJobParams,
  auditJobTimelineQuery,
  auditQueriesAnswer,
  auditQueriesQuery,
  auditReconciliationQuery,
  auditRegionMonthParams,
  auditRegionParams,
  auditResponses,
  auditSearchAnswer,
  auditSearchQuery,
  auditStreamAsOfAnswer,
  auditStreamAsOfQuery,
  auditStreamParams,
  auditTaskParams,
  auditVerificationQuery,
  auditWhoHeldAnswer,
  auditWhoHeldQuery,
  type AuditExportQuery,
} from './schemas.js';
import { Type } from 'typebox';

/** Who may ask (the audit service checks again: a coordinator only of her region's subjects). */
const AUDITORS: Access = ['accountant', 'operator', 'coordinator'];

/** Verification recomputes the log's chains: it gets the long budget of a month's close (others: the client's 5 s). */
export const AUDIT_LONG_CALL_DEADLINE_MS = 60_000;

const WHO =
  'The accountant (everything, read-only), operators, and a coordinator for her own region’s subjects (`audit.forbidden` otherwise; members and businesses are refused at the edge). The query is recorded (who, what, when) before it is answered.';
const CSV = 'With `format=csv`, the same result as a CSV file (`encoding=utf-8`, with a BOM, or `shift_jis`; CRLF).';

interface AuditRouteSpec<K extends AuditQueryKind, P extends TSchema, Q extends TSchema> {
  readonly kind: K;
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  readonly params?: P;
  readonly querystring: Q;
  readonly answer: TSchema;
  /** The CSV's file name, as the audit service names it, for the document. */
  readonly fileName: string;
  /** Query-string fields that are integers (read from their digits). */
  readonly integers?: readonly string[];
  /** The audit service's query, from the request's path and query string. */
  readonly query: (params: Static<P>, query: Static<Q>) => AuditQueries[K];
  /** The region the query is about, when it names one (a coordinator must run it). */
  readonly regionOf?: (params: Static<P>, query: Static<Q>) => string | undefined;
  readonly deadlineMs?: number;
}

/** Drops the fields left out of a query string (the audit service's optional inputs). */
const present = <T extends Record<string, unknown>>(fields: T): T =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;

/** An instant of a query string, as the audit service reads it (ISO-8601 UTC). */
const instant = (text: string, field: string): string => instantOf(text, `querystring.${field}`).toISOString();

/** A period of a query string, either end optional; `to` after `from` when both are given. */
const period = (query: { readonly from?: string; readonly to?: string }) => {
  const from = query.from === undefined ? undefined : instantOf(query.from, 'querystring.from');
  const to = query.to === undefined ? undefined : instantOf(query.to, 'querystring.to');
  if (from !== undefined && to !== undefined) requireAfter(from, to, 'querystring.to');
  return present({ from: from?.toISOString(), to: to?.toISOString() });
};

export const registerAuditRoutes = (app: FastifyInstance, upstreams: Upstreams): void => {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { audit } = upstreams;

  const auditRoute = <K extends AuditQueryKind, P extends TSchema, Q extends TSchema>(
    spec: AuditRouteSpec<K, P, Q>,
  ): void => {
    api.get<{ Params: Static<P>; Querystring: Static<Q> }>(
      spec.url,
      {
        config: { access: AUDITORS },
        preValidation: [readQueryTimes, readQueryIntegers(spec.integers ?? [])],
        schema: {
          operationId: spec.operationId,
          tags: ['audit'],
          summary: spec.summary,
          description: `${spec.description} ${WHO} ${CSV}`,
          security: BEARER,
          ...(spec.params !== undefined ? { params: spec.params } : {}),
          querystring: spec.querystring,
          response: auditResponses(spec.answer, spec.fileName),
        },
      },
      async (request: FastifyRequest<{ Params: Static<P>; Querystring: Static<Q> }>, reply) => {
        const params = (request.params ?? {}) as Static<P>;
        const { format, encoding } = request.query as AuditExportQuery;
        if (encoding !== undefined && format !== 'csv')
          throw new ValidationError('request.invalid', 'encoding is for a CSV export only', {
            errors: [{ field: 'querystring.encoding', message: 'needs format=csv' }],
          });
        const region = spec.regionOf?.(params, request.query as Static<Q>);
        if (region !== undefined) requireRegionStaff(callerOf(request), region);
        const { format: _format, encoding: _encoding, ...fields } = request.query as Static<Q> & AuditExportQuery;
        const query = spec.query(params, fields as Static<Q>);
        const settings = { ...settingsOf(request), ...(spec.deadlineMs ? { deadlineMs: spec.deadlineMs } : {}) };
        if (format === 'csv')
          return sendDownload(
            reply,
            await audit.export({ kind: spec.kind, query, encoding: encoding ?? 'utf-8' }, settings),
          );
        const view = AUDIT_VIEWS[spec.kind] as (result: unknown) => unknown;
        return view(await audit.ask(spec.kind, query, settings));
      },
    );
  };

  auditRoute({
    kind: 'history',
    url: '/v1/audit/history/:subject/:id',
    operationId: 'getAuditHistory',
    summary: 'The full history of a job, a task, a member, a business or a month’s settlement',
    description:
      'Every event about it, oldest first, each with its time (Tokyo), actor and reason (a forgotten member’s shows as `redacted`, one the caller may not read as `withheld`), a line saying what happened, and the event’s data. A month’s settlement is `<regionId>.<YYYY-MM>`. Paged: `limit` (default 200), then `after` = the answer’s `next`.',
    params: auditHistoryParams,
    querystring: auditHistoryQuery,
    answer: auditHistoryAnswer,
    fileName: 'audit-history-<subject>-<id>.csv',
    integers: ['limit'],
    query: (params, query) =>
      present({ subject: params.subject, id: params.id, limit: query.limit, after: query.after }),
  });

  auditRoute({
    kind: 'whoHeld',
    url: '/v1/audit/tasks/:taskId/holder',
    operationId: 'getAuditTaskHolder',
    summary: 'Who held a task at an instant',
    description: 'The member who held it then and her hold (from, to), or `holder: null` when nobody did.',
    params: auditTaskParams,
    querystring: auditWhoHeldQuery,
    answer: auditWhoHeldAnswer,
    fileName: 'audit-who-held-<taskId>.csv',
    query: (params, query) => ({ taskId: params.taskId, at: instant(query.at, 'at') }),
  });

  auditRoute({
    kind: 'jobTimeline',
    url: '/v1/audit/jobs/:jobId/timeline',
    operationId: 'getAuditJobTimeline',
    summary: 'A job’s timeline: who held each task over time, and its hand-offs',
    description: 'One entry per task of the job, with each hold (from, to) and each hand-off (with its reason).',
    params: auditJobParams,
    querystring: auditJobTimelineQuery,
    answer: Type.Ref('AuditJobTimeline'),
    fileName: 'audit-timeline-<jobId>.csv',
    query: (params) => ({ jobId: params.jobId }),
  });

  auditRoute({
    kind: 'handOffs',
    url: '/v1/audit/regions/:regionId/hand-offs',
    operationId: 'listAuditHandOffs',
    summary: 'Every hand-off of a region in a period',
    description: 'Oldest first, each with its reason and progress note where the caller may read them.',
    params: auditRegionParams,
    querystring: auditHandOffsQuery,
    answer: auditHandOffsAnswer,
    fileName: 'audit-hand-offs-<regionId>.csv',
    query: (params, query) => {
      const { from, to } = period(query);
      return { regionId: params.regionId, from: from as string, to: to as string };
    },
    regionOf: (params) => params.regionId,
  });

  auditRoute({
    kind: 'reconciliation',
    url: '/v1/audit/regions/:regionId/months/:month/reconciliation',
    operationId: 'getAuditReconciliation',
    summary: 'A month’s reconciliation: every yen traced to the work that earned it',
    description:
      'Each invoice, statement, transfer and journal line of the Tokyo month with what it says, what its sources (inspected jobs, tasks, approved time) account for, and the difference; the month’s totals; every difference and failed check in words.',
    params: auditRegionMonthParams,
    querystring: auditReconciliationQuery,
    answer: Type.Ref('AuditReconciliation'),
    fileName: 'audit-reconciliation-<regionId>-<month>.csv',
    query: (params) => ({ regionId: params.regionId, month: params.month }),
    regionOf: (params) => params.regionId,
    deadlineMs: AUDIT_LONG_CALL_DEADLINE_MS,
  });

  auditRoute({
    kind: 'streamAsOf',
    url: '/v1/audit/streams/:stream',
    operationId: 'getAuditStreamAsOf',
    summary: 'A stream as it stood at an instant (replayed)',
    description: 'Its events up to then and the state they fold to.',
    params: auditStreamParams,
    querystring: auditStreamAsOfQuery,
    answer: auditStreamAsOfAnswer,
    fileName: 'audit-stream-<stream>.csv',
    query: (params, query) => ({ stream: params.stream, at: instant(query.at, 'at') }),
  });

  auditRoute({
    kind: 'search',
    url: '/v1/audit/search',
    operationId: 'searchAuditRecords',
    summary: 'Search the books by date range, amount range and counterparty, combined (電子帳簿保存法)',
    description:
      'Invoices, statements, transfers and journal lines whose date, amount and counterparty match every criterion given (none given: everything, up to `limit`).',
    querystring: auditSearchQuery,
    answer: auditSearchAnswer,
    fileName: 'audit-search.csv',
    integers: ['minYen', 'maxYen', 'limit'],
    query: (_params, query) => {
      if (query.minYen !== undefined && query.maxYen !== undefined && query.minYen > query.maxYen)
        throw new ValidationError('request.invalid', 'minYen is above maxYen', {
          errors: [{ field: 'querystring.minYen', message: 'must not be above maxYen' }],
        });
      return present({
        ...period(query),
        minYen: query.minYen,
        maxYen: query.maxYen,
        counterparty: query.counterparty,
        limit: query.limit,
      });
    },
  });

  auditRoute({
    kind: 'corrections',
    url: '/v1/audit/corrections',
    operationId: 'listAuditCorrections',
    summary: 'Every correction, with its before and after',
    description:
      'Each correcting event (a time entry corrected or deleted, a reassignment, a role revoked...) with who, when, why, and each field’s value before and after.',
    querystring: auditCorrectionsQuery,
    answer: auditCorrectionsAnswer,
    fileName: 'audit-corrections.csv',
    query: (_params, query) => present({ ...period(query), regionId: query.regionId }),
    regionOf: (_params, query) => query.regionId,
  });

  auditRoute({
    kind: 'verification',
    url: '/v1/audit/verification',
    operationId: 'getAuditVerification',
    summary: 'The log’s verification: its hash chains recomputed and checked against the seals',
    description:
      'The last report of the background verification, or with `fresh=true` one made now; over the whole log, or between two seals (`from`, `to`): `intact` or `broken`, the last seal, how many events are not sealed yet, and every break, naming stream, version and position.',
    querystring: auditVerificationQuery,
    answer: Type.Ref('AuditVerification'),
    fileName: 'audit-verification.csv',
    query: (_params, query) =>
      present({
        from: query.from,
        to: query.to,
        fresh: query.fresh === undefined ? undefined : query.fresh === 'true',
      }),
    deadlineMs: AUDIT_LONG_CALL_DEADLINE_MS,
  });

  auditRoute({
    kind: 'queries',
    url: '/v1/audit/queries',
    operationId: 'listAuditQueries',
    summary: 'The audit-query log: who asked what, when',
    description: 'Every audit query, newest first (this one included).',
    querystring: auditQueriesQuery,
    answer: auditQueriesAnswer,
    fileName: 'audit-queries.csv',
    integers: ['limit'],
    query: (_params, query) => present({ limit: query.limit }),
  });
};
