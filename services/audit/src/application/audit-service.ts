import {
  comparePositions,
  formatPosition,
  uuidv7,
  ValidationError,
  type GlobalPosition,
  type CommandContext,
  type EventStore,
  type OperatedReadModel,
  type ProjectionStore,
  type TableProjection,
} from '@workshare/eventsourcing';
import { SqlTableProjection } from '@workshare/eventstore';
import { encodeCsv } from '@workshare/files';
import type {
  AuditQueryKind,
  AuditResults,
  AuditService,
  CorrectionsQuery,
  CsvEncoding,
  HandOffsQuery,
  HistoryQuery,
  JobTimelineQuery,
  QueriesQuery,
  ReconciliationQuery,
  SearchQuery,
  StreamAsOfQuery,
  VerificationQuery,
  WhoHeldQuery,
} from '../contract.js';
import { auditQueryDecider, auditQueryStream } from '../domain/audit-query.js';
import {
  parseCounterparty,
  parseId,
  parseInstant,
  parseLimit,
  parseLogPosition,
  parseMonth,
  parseOptionalPeriod,
  parsePeriod,
  parseRegionId,
  parseStreamName,
  parseSubject,
  parseSubjectId,
  parseYen,
} from '../domain/parsing.js';
import { exportFileName, toAuditTable } from '../domain/tables.js';
import { checkInScope, forbidden, inScope, queriesScope, scopeOf } from './access.js';
import { HistoryQueries } from './history-queries.js';
import { historyProjection, HISTORY_PROJECTION } from './history-projection.js';
import type { AuditScope, AuditTables, LogVerifier, ParsedSearch, PersonalTexts, PersonNames } from './ports.js';
import { Presenter, type Asker } from './presenter.js';
import { reconciliationProjection, Reconciliations } from './reconciliation.js';
import { searchProjection, Searches } from './search.js';
import { Verifications, type SealBound } from './verifications.js';

/** The audit's projections, in the order they are listed (ops, CLI). */
export const AUDIT_PROJECTIONS: readonly TableProjection[] = [
  historyProjection,
  reconciliationProjection,
  searchProjection,
];

export interface AuditApplicationOptions {
  readonly store: EventStore;
  /** The audit's projection store (its schema, `audit`): the query tables live beside its checkpoints. */
  readonly projections: ProjectionStore;
  readonly texts: PersonalTexts;
  readonly names: PersonNames;
  readonly verifier: LogVerifier;
  /** The platform's clock: when a query was asked. */
  readonly now?: () => Date;
  /** How stale answers may be for what was logged meanwhile (default 100 ms). */
  readonly readStalenessMs?: number;
  /** Events per page of the projections' passes (default 5,000). */
  readonly pageSize?: number;
}

/** The audit's table projections over a store (also what the read-models CLI rebuilds). */
export const auditReadModels = (
  store: EventStore,
  projections: ProjectionStore,
  options: { readonly readStalenessMs?: number; readonly pageSize?: number } = {},
): SqlTableProjection[] =>
  AUDIT_PROJECTIONS.map(
    (projection) =>
      new SqlTableProjection(store, projections, projection, {
        ...(options.readStalenessMs !== undefined ? { maxStalenessMs: options.readStalenessMs } : {}),
        ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      }),
  );

const tablesOf = (projection: SqlTableProjection): AuditTables => ({
  query: (sql, params, name) => projection.query(sql, params, name),
  table: (name) => projection.table(name),
  ensureFresh: () => projection.ensureFresh(),
  catchUp: () => projection.catchUp(),
});

/** An export: the CSV of one query's answer. */
export interface AuditExport {
  readonly fileName: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
}

/** Any query of the audit as one request, by kind (Export takes it). */
export type AuditRequest =
  | { readonly kind: 'history'; readonly query: HistoryQuery }
  | { readonly kind: 'whoHeld'; readonly query: WhoHeldQuery }
  | { readonly kind: 'jobTimeline'; readonly query: JobTimelineQuery }
  | { readonly kind: 'handOffs'; readonly query: HandOffsQuery }
  | { readonly kind: 'reconciliation'; readonly query: ReconciliationQuery }
  | { readonly kind: 'streamAsOf'; readonly query: StreamAsOfQuery }
  | { readonly kind: 'search'; readonly query: SearchQuery }
  | { readonly kind: 'corrections'; readonly query: CorrectionsQuery }
  | { readonly kind: 'verification'; readonly query: VerificationQuery }
  | { readonly kind: 'queries'; readonly query: QueriesQuery };

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === 'string' ? value : String(value);

/** A query's parameters as its event records them (texts; absent ones left out). */
const parametersOf = (query: object): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    const shown = text(value);
    if (shown !== undefined && shown !== '') out[key] = shown.slice(0, 200);
  }
  return out;
};

const SEAL_SEQUENCE = /^[1-9]\d{0,15}$/;
const sealBound = (value: string | undefined, field: 'from' | 'to'): SealBound | undefined => {
  if (value === undefined || value === '') return undefined;
  if (SEAL_SEQUENCE.test(value)) return { kind: 'seal', sequence: Number(value) };
  return { kind: 'instant', at: parseInstant(value, field) };
};

/**
 * The audit's application facade (the contract's AuditService): every query is authorised
 * (access.ts), its input checked (domain/parsing.ts), recorded as an `AuditQueried` event, then
 * answered from the query tables, the log, and identity for names and personal texts.
 */
export class AuditApplication implements AuditService {
  private readonly models: SqlTableProjection[];
  private readonly byName: Map<string, SqlTableProjection>;
  private readonly historyQueries: HistoryQueries;
  private readonly reconciliations: Reconciliations;
  private readonly searches: Searches;
  readonly verifications: Verifications;
  private readonly now: () => Date;

  constructor(private readonly options: AuditApplicationOptions) {
    this.now = options.now ?? (() => new Date());
    this.models = auditReadModels(options.store, options.projections, options);
    this.byName = new Map(this.models.map((m) => [m.definition.name, m]));
    const tables = (name: string): AuditTables => {
      const model = this.byName.get(name);
      if (model === undefined) throw new Error(`the audit has no projection ${name}`);
      return tablesOf(model);
    };
    const history = tables(HISTORY_PROJECTION);
    const presenter = new Presenter({ texts: options.texts, names: options.names, tables: history });
    this.historyQueries = new HistoryQueries({ store: options.store, tables: history, presenter });
    this.reconciliations = new Reconciliations({ store: options.store, tables });
    this.searches = new Searches({ store: options.store, tables, names: options.names });
    this.verifications = new Verifications(options.verifier, this.now);
  }

  get readModels(): readonly OperatedReadModel[] {
    return this.models;
  }

  /** Passes until the projection holds everything up to `position` (a few passes at most: the log's horizon may hold it back a moment). */
  private async caughtUpTo(name: string, position: GlobalPosition): Promise<void> {
    const model = this.byName.get(name)!;
    for (let attempt = 0; attempt < 50; attempt++) {
      const at = model.status().position;
      if (at !== undefined && comparePositions(at, position) >= 0) return;
      await model.catchUp();
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`the ${name} projection did not reach ${formatPosition(position)}`);
  }

  /** Brings every projection up to date with the whole log now (tests; start-up). */
  async refreshReadModels(): Promise<void> {
    await Promise.all(this.models.map((m) => m.catchUp()));
  }

  /** Records the query (who, what, parameters, when) before it is answered; answers where the log holds it. */
  private async record(
    context: CommandContext,
    query: AuditQueryKind,
    parameters: Record<string, string>,
  ): Promise<GlobalPosition> {
    const queryId = uuidv7();
    const events = auditQueryDecider.decide(
      { type: 'RecordQuery', queryId, query, parameters, by: context.actor, at: this.now() },
      auditQueryDecider.initialState(),
    );
    const { position } = await this.options.store.append(
      auditQueryStream(queryId),
      events.map((e) => ({
        type: e.type,
        data: e.data,
        occurredAt: this.now(),
        metadata: {
          actor: context.actor.id,
          ...(context.correlationId !== undefined ? { correlationId: context.correlationId } : {}),
          ...(context.traceparent !== undefined ? { traceparent: context.traceparent } : {}),
        },
      })),
      { expectedVersion: 'no_stream' },
    );
    return position;
  }

  /**
   * Records the query and answers it: both at once (the answer is computed while the record is
   * appended), the answer given only once the record is in the log; a failed record fails the query.
   */
  private async recorded<T>(
    context: CommandContext,
    query: AuditQueryKind,
    parameters: Record<string, string>,
    answer: () => Promise<T>,
  ): Promise<T> {
    const [, result] = await Promise.all([this.record(context, query, parameters), answer()]);
    return result;
  }

  private asker(context: CommandContext): Asker {
    return { actor: context.actor, token: context.token };
  }

  async history(context: CommandContext, q: HistoryQuery): ReturnType<AuditService['history']> {
    const scope = scopeOf(context.actor);
    const subject = parseSubject(q.subject);
    const id = parseSubjectId(subject, q.id);
    const limit = parseLimit(q.limit, 200, 1_000);
    const after = q.after === undefined || q.after === '' ? undefined : parseLogPosition(q.after);
    if (scope.kind !== 'all')
      checkInScope(scope, await this.historyQueries.regionOf(subject, id), `the history of this ${subject}`);
    return this.recorded(context, 'history', parametersOf({ subject, id, limit, after: q.after }), () =>
      this.historyQueries.history({ subject, id, limit, ...(after ? { after } : {}) }, this.asker(context)),
    );
  }

  async whoHeld(context: CommandContext, q: WhoHeldQuery): ReturnType<AuditService['whoHeld']> {
    const scope = scopeOf(context.actor);
    const taskId = parseId(q.taskId, 'task_id');
    const at = parseInstant(q.at, 'at');
    if (scope.kind !== 'all') checkInScope(scope, await this.historyQueries.regionOf('task', taskId), 'this task');
    return this.recorded(context, 'whoHeld', parametersOf({ taskId, at: q.at }), () =>
      this.historyQueries.whoHeld({ taskId, at }, this.asker(context)),
    );
  }

  async jobTimeline(context: CommandContext, q: JobTimelineQuery): ReturnType<AuditService['jobTimeline']> {
    const scope = scopeOf(context.actor);
    const jobId = parseId(q.jobId, 'job_id');
    if (scope.kind !== 'all') checkInScope(scope, await this.historyQueries.regionOf('job', jobId), 'this job');
    return this.recorded(context, 'jobTimeline', parametersOf({ jobId }), () =>
      this.historyQueries.jobTimeline({ jobId }, this.asker(context)),
    );
  }

  async handOffs(context: CommandContext, q: HandOffsQuery): ReturnType<AuditService['handOffs']> {
    const scope = scopeOf(context.actor);
    const regionId = parseRegionId(q.regionId);
    const period = parsePeriod(q.from, q.to);
    checkInScope(scope, regionId, `${regionId}'s hand-offs`);
    return this.recorded(context, 'handOffs', parametersOf({ regionId, from: q.from, to: q.to }), async () => ({
      handOffs: await this.historyQueries.handOffs({ regionId, ...period }, this.asker(context)),
    }));
  }

  async reconciliation(context: CommandContext, q: ReconciliationQuery): ReturnType<AuditService['reconciliation']> {
    const scope = scopeOf(context.actor);
    const regionId = parseRegionId(q.regionId);
    const { month } = parseMonth(q.month);
    checkInScope(scope, regionId, `${regionId}'s reconciliation`);
    return this.recorded(context, 'reconciliation', parametersOf({ regionId, month }), () =>
      this.reconciliations.reconcile({ regionId, month }),
    );
  }

  async streamAsOf(context: CommandContext, q: StreamAsOfQuery): ReturnType<AuditService['streamAsOf']> {
    const scope = scopeOf(context.actor);
    const stream = parseStreamName(q.stream);
    const at = parseInstant(q.at, 'at');
    if (scope.kind !== 'all' && !inScope(scope, await this.historyQueries.regionOfStream(stream)))
      throw forbidden('read this stream: it is not of your region');
    return this.recorded(context, 'streamAsOf', parametersOf({ stream, at: q.at }), () =>
      this.historyQueries.streamAsOf({ stream, at }, this.asker(context)),
    );
  }

  async search(context: CommandContext, q: SearchQuery): ReturnType<AuditService['search']> {
    const scope = scopeOf(context.actor);
    const period = parseOptionalPeriod(q.from, q.to);
    const minYen = q.minYen === undefined ? undefined : parseYen(q.minYen, 'min_yen');
    const maxYen = q.maxYen === undefined ? undefined : parseYen(q.maxYen, 'max_yen');
    if (minYen !== undefined && maxYen !== undefined && minYen > maxYen)
      throw new ValidationError(
        'audit.invalid_amount_range',
        `the smallest amount ${minYen} is above the largest ${maxYen}`,
        { field: 'min_yen' },
      );
    const counterparty = parseCounterparty(q.counterparty);
    const parsed: ParsedSearch = {
      ...period,
      ...(minYen !== undefined ? { minYen } : {}),
      ...(maxYen !== undefined ? { maxYen } : {}),
      ...(counterparty !== undefined ? { counterparty } : {}),
      limit: parseLimit(q.limit, 500, 5_000),
    };
    return this.recorded(context, 'search', parametersOf(q), () =>
      this.searches.search(parsed, scope, this.asker(context)),
    );
  }

  async corrections(context: CommandContext, q: CorrectionsQuery): ReturnType<AuditService['corrections']> {
    let scope: AuditScope = scopeOf(context.actor);
    const period = parseOptionalPeriod(q.from, q.to);
    if (q.regionId !== undefined && q.regionId !== '') {
      const regionId = parseRegionId(q.regionId);
      checkInScope(scope, regionId, `${regionId}'s corrections`);
      scope = { kind: 'regions', regionIds: [regionId] };
    }
    return this.recorded(context, 'corrections', parametersOf(q), async () => ({
      corrections: await this.historyQueries.corrections({ ...period, scope }, this.asker(context)),
    }));
  }

  async verification(context: CommandContext, q: VerificationQuery): ReturnType<AuditService['verification']> {
    scopeOf(context.actor);
    const from = sealBound(q.from, 'from');
    const to = sealBound(q.to, 'to');
    return this.recorded(context, 'verification', parametersOf(q), () =>
      this.verifications.report({ ...(from ? { from } : {}), ...(to ? { to } : {}), fresh: q.fresh === true }),
    );
  }

  async queries(context: CommandContext, q: QueriesQuery): ReturnType<AuditService['queries']> {
    scopeOf(context.actor);
    const limit = parseLimit(q.limit, 100, 1_000);
    const own = queriesScope(context.actor);
    const recorded = await this.record(context, 'queries', parametersOf({ limit }));
    // The log of queries ends with this one: every query recorded before it is in the answer.
    await this.caughtUpTo(HISTORY_PROJECTION, recorded);
    return {
      queries: await this.historyQueries.queries({ limit, ...(own.kind === 'own' ? { actorId: own.actorId } : {}) }),
    };
  }

  /** Any query's answer as a CSV file (UTF-8 with BOM, or Shift_JIS), the query recorded like any other. */
  async export(context: CommandContext, request: AuditRequest, encoding: CsvEncoding): Promise<AuditExport> {
    const result = await this.answer(context, request);
    const table = toAuditTable(request.kind, result as AuditResults[typeof request.kind]);
    return {
      fileName: exportFileName(request.kind, request.query as Readonly<Record<string, unknown>>, encoding),
      mediaType: `text/csv; charset=${encoding === 'shift_jis' ? 'Shift_JIS' : 'utf-8'}`,
      bytes: encodeCsv(table, encoding, { unencodable: 'replace' }),
    };
  }

  /** Answers any query by kind. */
  async answer(context: CommandContext, request: AuditRequest): Promise<AuditResults[AuditQueryKind]> {
    switch (request.kind) {
      case 'history':
        return this.history(context, request.query);
      case 'whoHeld':
        return this.whoHeld(context, request.query);
      case 'jobTimeline':
        return this.jobTimeline(context, request.query);
      case 'handOffs':
        return this.handOffs(context, request.query);
      case 'reconciliation':
        return this.reconciliation(context, request.query);
      case 'streamAsOf':
        return this.streamAsOf(context, request.query);
      case 'search':
        return this.search(context, request.query);
      case 'corrections':
        return this.corrections(context, request.query);
      case 'verification':
        return this.verification(context, request.query);
      case 'queries':
        return this.queries(context, request.query);
    }
  }
}
