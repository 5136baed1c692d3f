/**
 * The audit service as the gateway calls it (`workshare.audit.v1.AuditService`): one gRPC call per
 * query (`ask`), its answer turned into the audit contract's shapes (`@workshare/audit/contract`),
 * and `export` for the same query as a CSV file. The caller's token and the request id go with
 * every call (CallSettings). An answer that breaks the contract (an unknown enum, a count that is
 * no whole number, data that is not JSON) is the service's fault: UpstreamContractError, a 500.
 */
import type {
  AuditActor,
  AuditQueryKind,
  AuditResults,
  AuditSubject,
  CorrectionsQuery,
  CsvEncoding,
  HandOffRecord,
  HandOffsQuery,
  HistoryEntry,
  HistoryQuery,
  Holding,
  JobTimelineQuery,
  PersonalText,
  QueriesQuery,
  ReconciledDocument,
  ReconciliationQuery,
  SearchQuery,
  StreamAsOfQuery,
  VerificationBreak,
  VerificationQuery,
  WhoHeldQuery,
} from '@workshare/audit/contract';
import { createClient, type CallSettings, type CreateClientOptions } from '@workshare/grpc';
import { auditV1 } from '@workshare/proto';
import type { ServiceFile } from '../http/downloads.js';
import { UpstreamContractError } from '../http/views.js';

/** Each query's input, by kind (the audit contract's named inputs). */
export interface AuditQueries {
  readonly history: HistoryQuery;
  readonly whoHeld: WhoHeldQuery;
  readonly jobTimeline: JobTimelineQuery;
  readonly handOffs: HandOffsQuery;
  readonly reconciliation: ReconciliationQuery;
  readonly streamAsOf: StreamAsOfQuery;
  readonly search: SearchQuery;
  readonly corrections: CorrectionsQuery;
  readonly verification: VerificationQuery;
  readonly queries: QueriesQuery;
}

export interface AuditUpstream {
  /** One query, one call: its result as the audit contract shapes it. */
  ask<K extends AuditQueryKind>(kind: K, query: AuditQueries[K], settings: CallSettings): Promise<AuditResults[K]>;
  /** The same query's result as a CSV file (Export), in the encoding asked for. */
  export<K extends AuditQueryKind>(
    request: { readonly kind: K; readonly query: AuditQueries[K]; readonly encoding: CsvEncoding },
    settings: CallSettings,
  ): Promise<ServiceFile>;
  close(): void;
}

// ---- requests -----------------------------------------------------------------------------------

const SUBJECT: Record<AuditSubject, auditV1.Subject> = {
  job: auditV1.Subject.SUBJECT_JOB,
  task: auditV1.Subject.SUBJECT_TASK,
  member: auditV1.Subject.SUBJECT_MEMBER,
  business: auditV1.Subject.SUBJECT_BUSINESS,
  settlement: auditV1.Subject.SUBJECT_SETTLEMENT,
};

const ENCODING: Record<CsvEncoding, auditV1.CsvEncoding> = {
  'utf-8': auditV1.CsvEncoding.CSV_ENCODING_UTF8,
  shift_jis: auditV1.CsvEncoding.CSV_ENCODING_SHIFT_JIS,
};

/** Each query as its gRPC request (an optional input left out is the proto's empty value: the service's default). */
const REQUESTS = {
  history: (q: HistoryQuery): auditV1.GetHistoryRequest => ({
    subject: SUBJECT[q.subject],
    id: q.id,
    limit: q.limit ?? 0,
    after: q.after ?? '',
  }),
  whoHeld: (q: WhoHeldQuery): auditV1.WhoHeldRequest => ({ taskId: q.taskId, at: q.at }),
  jobTimeline: (q: JobTimelineQuery): auditV1.GetJobTimelineRequest => ({ jobId: q.jobId }),
  handOffs: (q: HandOffsQuery): auditV1.ListHandOffsRequest => ({ regionId: q.regionId, from: q.from, to: q.to }),
  reconciliation: (q: ReconciliationQuery): auditV1.GetReconciliationRequest => ({
    regionId: q.regionId,
    month: q.month,
  }),
  streamAsOf: (q: StreamAsOfQuery): auditV1.GetStreamAsOfRequest => ({ stream: q.stream, at: q.at }),
  search: (q: SearchQuery): auditV1.SearchRequest => ({
    from: q.from ?? '',
    to: q.to ?? '',
    minYen: q.minYen === undefined ? '' : String(q.minYen),
    maxYen: q.maxYen === undefined ? '' : String(q.maxYen),
    counterparty: q.counterparty ?? '',
    limit: q.limit ?? 0,
  }),
  corrections: (q: CorrectionsQuery): auditV1.ListCorrectionsRequest => ({
    from: q.from ?? '',
    to: q.to ?? '',
    regionId: q.regionId ?? '',
  }),
  verification: (q: VerificationQuery): auditV1.GetVerificationRequest => ({
    from: q.from ?? '',
    to: q.to ?? '',
    fresh: q.fresh ?? false,
  }),
  queries: (q: QueriesQuery): auditV1.ListAuditQueriesRequest => ({ limit: q.limit ?? 0 }),
};

// ---- answers ------------------------------------------------------------------------------------

/** A count or yen the service answered as an int64's decimal text. */
const whole = (value: string, what: string): number => {
  const n = Number(value);
  if (value === '' || !Number.isSafeInteger(n))
    throw new UpstreamContractError(`the audit service answered a ${what} that is no whole number: ${value}`);
  return n;
};

const json = (text: string, what: string): Record<string, unknown> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw new UpstreamContractError(`the audit service answered ${what} that is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UpstreamContractError(`the audit service answered ${what} that is not a JSON object`);
  return parsed as Record<string, unknown>;
};

const jsonValue = (text: string, what: string): unknown => {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new UpstreamContractError(`the audit service answered ${what} that is not JSON`);
  }
};

const personal = (text: auditV1.PersonalText | undefined, what: string): PersonalText => {
  switch (text?.kind) {
    case auditV1.PersonalTextKind.PERSONAL_TEXT_KIND_TEXT:
      return { kind: 'text', text: text.text };
    case auditV1.PersonalTextKind.PERSONAL_TEXT_KIND_REDACTED:
      return { kind: 'redacted' };
    case auditV1.PersonalTextKind.PERSONAL_TEXT_KIND_WITHHELD:
      return { kind: 'withheld' };
    default:
      throw new UpstreamContractError(`the audit service answered ${what} of no known kind: ${text?.kind}`);
  }
};

const personalOrNull = (text: auditV1.PersonalText | undefined, what: string): PersonalText | null =>
  text === undefined ? null : personal(text, what);

const orNull = (text: string): string | null => (text === '' ? null : text);

/** A seal's sequence of a range; 0 is the log's start or end (null). */
const sealOrNull = (value: string, what: string): number | null => {
  const sequence = whole(value, what);
  return sequence === 0 ? null : sequence;
};

const actor = (value: auditV1.AuditActor | undefined): AuditActor | null =>
  value === undefined
    ? null
    : { id: value.id, name: personalOrNull(value.name, 'an actor’s name'), role: orNull(value.role) };

const entry = (value: auditV1.HistoryEntry): HistoryEntry => ({
  position: value.position,
  stream: value.stream,
  version: whole(value.version, 'stream version'),
  type: value.type,
  occurredAt: value.occurredAt,
  occurredAtTokyo: value.occurredAtTokyo,
  recordedAt: value.recordedAt,
  actor: actor(value.actor),
  reason: personalOrNull(value.reason, 'a reason'),
  summary: value.summary,
  data: json(value.dataJson, 'an event’s data'),
});

const holding = (value: auditV1.Holding): Holding => ({
  memberId: value.memberId,
  memberName: personalOrNull(value.memberName, 'a member’s name'),
  from: value.from,
  to: orNull(value.to),
  position: value.position,
});

const handOff = (value: auditV1.HandOffRecord): HandOffRecord => ({
  at: value.at,
  atTokyo: value.atTokyo,
  regionId: value.regionId,
  jobId: value.jobId,
  taskId: value.taskId,
  fromMemberId: value.fromMemberId,
  toMemberId: orNull(value.toMemberId),
  by: value.by,
  reason: personal(value.reason, 'a hand-off’s reason'),
  progressNote: personalOrNull(value.progressNote, 'a progress note'),
  position: value.position,
});

const DOCUMENT_KINDS = new Map<auditV1.DocumentKind, ReconciledDocument['kind']>([
  [auditV1.DocumentKind.DOCUMENT_KIND_INVOICE, 'invoice'],
  [auditV1.DocumentKind.DOCUMENT_KIND_STATEMENT, 'statement'],
  [auditV1.DocumentKind.DOCUMENT_KIND_TRANSFER, 'transfer'],
  [auditV1.DocumentKind.DOCUMENT_KIND_JOURNAL, 'journal'],
]);

const documentKind = (kind: auditV1.DocumentKind): ReconciledDocument['kind'] => {
  const name = DOCUMENT_KINDS.get(kind);
  if (name === undefined)
    throw new UpstreamContractError(`the audit service answered an unknown document kind: ${kind}`);
  return name;
};

const BREAK_KINDS = new Map<auditV1.BreakKind, VerificationBreak['kind']>([
  [auditV1.BreakKind.BREAK_KIND_CHANGED, 'changed'],
  [auditV1.BreakKind.BREAK_KIND_MISSING, 'missing'],
  [auditV1.BreakKind.BREAK_KIND_INSERTED, 'inserted'],
  [auditV1.BreakKind.BREAK_KIND_REORDERED, 'reordered'],
  [auditV1.BreakKind.BREAK_KIND_SEAL, 'seal'],
]);

const breakKind = (kind: auditV1.BreakKind): VerificationBreak['kind'] => {
  const name = BREAK_KINDS.get(kind);
  if (name === undefined) throw new UpstreamContractError(`the audit service answered an unknown break kind: ${kind}`);
  return name;
};

const verificationStatus = (status: string): 'intact' | 'broken' => {
  if (status === 'intact' || status === 'broken') return status;
  throw new UpstreamContractError(`the audit service answered an unknown verification status: ${status}`);
};

const ANSWERS = {
  history: (r: auditV1.GetHistoryResponse): AuditResults['history'] => ({
    entries: r.entries.map(entry),
    next: orNull(r.next),
  }),
  whoHeld: (r: auditV1.WhoHeldResponse): AuditResults['whoHeld'] => ({
    taskId: r.taskId,
    jobId: orNull(r.jobId),
    at: r.at,
    holder: r.holder === undefined ? null : holding(r.holder),
  }),
  jobTimeline: (r: auditV1.GetJobTimelineResponse): AuditResults['jobTimeline'] => ({
    jobId: r.jobId,
    title: r.title,
    regionId: r.regionId,
    tasks: r.tasks.map((task) => ({
      taskId: task.taskId,
      title: task.title,
      spans: task.spans.map(holding),
      handOffs: task.handOffs.map(handOff),
    })),
  }),
  handOffs: (r: auditV1.ListHandOffsResponse): AuditResults['handOffs'] => ({ handOffs: r.handOffs.map(handOff) }),
  reconciliation: (r: auditV1.GetReconciliationResponse): AuditResults['reconciliation'] => {
    if (r.totals === undefined) throw new UpstreamContractError('the audit service answered a month without totals');
    return {
      regionId: r.regionId,
      month: r.month,
      closed: r.closed,
      closedAt: orNull(r.closedAt),
      documents: r.documents.map((d) => ({
        kind: documentKind(d.kind),
        id: d.id,
        counterparty: d.counterparty,
        amountYen: whole(d.amountYen, 'document’s amount'),
        tracedYen: whole(d.tracedYen, 'traced amount'),
        differenceYen: whole(d.differenceYen, 'difference'),
        sources: d.sources.map((s) => ({
          jobId: orNull(s.jobId),
          taskId: orNull(s.taskId),
          memberId: orNull(s.memberId),
          entryIds: s.entryIds,
          minutes: whole(s.minutes, 'number of minutes'),
          amountYen: whole(s.amountYen, 'source’s amount'),
          note: s.note,
        })),
      })),
      totals: {
        invoicedYen: whole(r.totals.invoicedYen, 'total invoiced'),
        paidYen: whole(r.totals.paidYen, 'total paid'),
        transferredYen: whole(r.totals.transferredYen, 'total transferred'),
        journalDebitYen: whole(r.totals.journalDebitYen, 'journal debit'),
        journalCreditYen: whole(r.totals.journalCreditYen, 'journal credit'),
      },
      differences: r.differences.map((d) => ({
        documentId: orNull(d.documentId),
        differenceYen: whole(d.differenceYen, 'difference'),
        explanation: d.explanation,
      })),
    };
  },
  streamAsOf: (r: auditV1.GetStreamAsOfResponse): AuditResults['streamAsOf'] => ({
    stream: r.stream,
    at: r.at,
    version: r.version === undefined ? null : whole(r.version, 'stream version'),
    events: r.events.map(entry),
    state: json(r.stateJson, 'a stream’s state'),
  }),
  search: (r: auditV1.SearchResponse): AuditResults['search'] => ({
    records: r.records.map((record) => ({
      date: record.date,
      kind: documentKind(record.kind),
      documentId: record.documentId,
      regionId: record.regionId,
      month: record.month,
      counterparty: record.counterparty,
      amountYen: whole(record.amountYen, 'record’s amount'),
      stream: record.stream,
      position: record.position,
    })),
  }),
  corrections: (r: auditV1.ListCorrectionsResponse): AuditResults['corrections'] => ({
    corrections: r.corrections.map((c) => ({
      at: c.at,
      atTokyo: c.atTokyo,
      stream: c.stream,
      version: whole(c.version, 'stream version'),
      type: c.type,
      actor: actor(c.actor),
      reason: personalOrNull(c.reason, 'a correction’s reason'),
      changes: c.changes.map((change) => ({
        field: change.field,
        before: jsonValue(change.beforeJson, 'a value before'),
        after: jsonValue(change.afterJson, 'a value after'),
      })),
      position: c.position,
    })),
  }),
  verification: (r: auditV1.GetVerificationResponse): AuditResults['verification'] => ({
    status: verificationStatus(r.status),
    checkedEvents: whole(r.checkedEvents, 'number of events checked'),
    sealsChecked: whole(r.sealsChecked, 'number of seals checked'),
    lastSeal:
      r.lastSeal === undefined
        ? null
        : {
            sequence: whole(r.lastSeal.sequence, 'seal sequence'),
            position: r.lastSeal.position,
            sealedAt: r.lastSeal.sealedAt,
          },
    unsealedEvents: whole(r.unsealedEvents, 'number of unsealed events'),
    breaks: r.breaks.map((b) => ({
      kind: breakKind(b.kind),
      streamName: orNull(b.streamName),
      streamVersion: b.streamVersion === undefined ? null : whole(b.streamVersion, 'stream version'),
      position: orNull(b.position),
      eventId: orNull(b.eventId),
      reason: b.reason,
    })),
    verifiedAt: r.verifiedAt,
    range: { fromSeal: sealOrNull(r.fromSeal, 'first seal'), toSeal: sealOrNull(r.toSeal, 'last seal') },
    running:
      r.running === undefined
        ? null
        : { checkedEvents: whole(r.running.checkedEvents, 'number of events checked'), startedAt: r.running.startedAt },
  }),
  queries: (r: auditV1.ListAuditQueriesResponse): AuditResults['queries'] => ({
    queries: r.queries.map((q) => ({ at: q.at, actor: q.actor, query: q.query, parameters: { ...q.parameters } })),
  }),
};

/** Each query's call: its request, the RPC, its answer in the contract's shape. */
type AuditCalls = {
  readonly [K in AuditQueryKind]: (query: AuditQueries[K], settings: CallSettings) => Promise<AuditResults[K]>;
};

/** The audit service's client, every call with the deadline of `options` unless the call's settings give one. */
export const connectAudit = (address: string, options: CreateClientOptions): AuditUpstream => {
  const client = createClient(auditV1.AuditServiceClient, address, options);
  const calls: AuditCalls = {
    history: async (q, s) => ANSWERS.history(await client.getHistory(REQUESTS.history(q), s)),
    whoHeld: async (q, s) => ANSWERS.whoHeld(await client.whoHeld(REQUESTS.whoHeld(q), s)),
    jobTimeline: async (q, s) => ANSWERS.jobTimeline(await client.getJobTimeline(REQUESTS.jobTimeline(q), s)),
    handOffs: async (q, s) => ANSWERS.handOffs(await client.listHandOffs(REQUESTS.handOffs(q), s)),
    reconciliation: async (q, s) =>
      ANSWERS.reconciliation(await client.getReconciliation(REQUESTS.reconciliation(q), s)),
    streamAsOf: async (q, s) => ANSWERS.streamAsOf(await client.getStreamAsOf(REQUESTS.streamAsOf(q), s)),
    search: async (q, s) => ANSWERS.search(await client.search(REQUESTS.search(q), s)),
    corrections: async (q, s) => ANSWERS.corrections(await client.listCorrections(REQUESTS.corrections(q), s)),
    verification: async (q, s) => ANSWERS.verification(await client.getVerification(REQUESTS.verification(q), s)),
    queries: async (q, s) => ANSWERS.queries(await client.listAuditQueries(REQUESTS.queries(q), s)),
  };
  const exportRequest = <K extends AuditQueryKind>(kind: K, query: AuditQueries[K]): object =>
    (REQUESTS as { readonly [P in AuditQueryKind]: (q: AuditQueries[P]) => object })[kind](query);
  return {
    ask: (kind, query, settings) => calls[kind](query, settings),
    export: async ({ kind, query, encoding }, settings) => {
      const file = await client.export({ encoding: ENCODING[encoding], [kind]: exportRequest(kind, query) }, settings);
      return { fileName: file.fileName, mediaType: file.mediaType, content: file.content };
    },
    close: () => client.close(),
  };
};
