import { ValidationError } from '@workshare/eventsourcing';
import { auditV1 } from '@workshare/proto';
import type {
  AuditActor,
  AuditResults,
  AuditSubject,
  Correction,
  CsvEncoding,
  HandOffRecord,
  HistoryEntry,
  Holding,
  PersonalText,
  ReconciledDocument,
  SearchRecord,
  VerificationBreak,
} from '../../contract.js';
import type { AuditRequest } from '../../application/audit-service.js';

/**
 * The audit's answers as proto messages and its requests as the facade's inputs (the mapping of
 * proto/workshare/audit/v1/audit.proto): JSON for free-form data (an event's data, a replayed
 * state, a correction's before and after), int64 as decimal text, empty texts for absent values.
 */

const { PersonalTextKind, Subject, DocumentKind, BreakKind, CsvEncoding: CsvEncodingMessage } = auditV1;

export const personalTextMessage = (text: PersonalText): auditV1.PersonalText =>
  text.kind === 'text'
    ? { kind: PersonalTextKind.PERSONAL_TEXT_KIND_TEXT, text: text.text }
    : {
        kind:
          text.kind === 'redacted'
            ? PersonalTextKind.PERSONAL_TEXT_KIND_REDACTED
            : PersonalTextKind.PERSONAL_TEXT_KIND_WITHHELD,
        text: '',
      };

export const personalTextOf = (message: auditV1.PersonalText | undefined): PersonalText | null => {
  switch (message?.kind) {
    case PersonalTextKind.PERSONAL_TEXT_KIND_TEXT:
      return { kind: 'text', text: message.text };
    case PersonalTextKind.PERSONAL_TEXT_KIND_REDACTED:
      return { kind: 'redacted' };
    case PersonalTextKind.PERSONAL_TEXT_KIND_WITHHELD:
      return { kind: 'withheld' };
    default:
      return null;
  }
};

const optionalText = (text: PersonalText | null) => (text === null ? {} : { reason: personalTextMessage(text) });

const actorMessage = (actor: AuditActor | null): auditV1.AuditActor | undefined =>
  actor === null
    ? undefined
    : {
        id: actor.id,
        role: actor.role ?? '',
        ...(actor.name !== null ? { name: personalTextMessage(actor.name) } : {}),
      };

const SUBJECTS: Readonly<Record<AuditSubject, auditV1.Subject>> = {
  job: Subject.SUBJECT_JOB,
  task: Subject.SUBJECT_TASK,
  member: Subject.SUBJECT_MEMBER,
  business: Subject.SUBJECT_BUSINESS,
  settlement: Subject.SUBJECT_SETTLEMENT,
};

const subjectOf = (subject: auditV1.Subject): AuditSubject => {
  const found = (Object.entries(SUBJECTS) as [AuditSubject, auditV1.Subject][]).find(([, s]) => s === subject);
  if (found === undefined)
    throw new ValidationError('audit.invalid_subject', 'subject must be job, task, member, business or settlement', {
      field: 'subject',
    });
  return found[0];
};

export const subjectMessage = (subject: AuditSubject): auditV1.Subject => SUBJECTS[subject];

const DOCUMENT_KINDS: Readonly<Record<ReconciledDocument['kind'], auditV1.DocumentKind>> = {
  invoice: DocumentKind.DOCUMENT_KIND_INVOICE,
  statement: DocumentKind.DOCUMENT_KIND_STATEMENT,
  transfer: DocumentKind.DOCUMENT_KIND_TRANSFER,
  journal: DocumentKind.DOCUMENT_KIND_JOURNAL,
};

const BREAK_KINDS: Readonly<Record<VerificationBreak['kind'], auditV1.BreakKind>> = {
  changed: BreakKind.BREAK_KIND_CHANGED,
  missing: BreakKind.BREAK_KIND_MISSING,
  inserted: BreakKind.BREAK_KIND_INSERTED,
  reordered: BreakKind.BREAK_KIND_REORDERED,
  seal: BreakKind.BREAK_KIND_SEAL,
};

const yen = (value: number): string => String(value);

export const historyEntryMessage = (entry: HistoryEntry): auditV1.HistoryEntry => ({
  position: entry.position,
  stream: entry.stream,
  version: String(entry.version),
  type: entry.type,
  occurredAt: entry.occurredAt,
  occurredAtTokyo: entry.occurredAtTokyo,
  recordedAt: entry.recordedAt,
  ...(entry.actor !== null ? { actor: actorMessage(entry.actor)! } : {}),
  ...optionalText(entry.reason),
  summary: entry.summary,
  dataJson: JSON.stringify(entry.data),
});

export const holdingMessage = (holding: Holding): auditV1.Holding => ({
  memberId: holding.memberId,
  ...(holding.memberName !== null ? { memberName: personalTextMessage(holding.memberName) } : {}),
  from: holding.from,
  to: holding.to ?? '',
  position: holding.position,
});

export const handOffMessage = (record: HandOffRecord): auditV1.HandOffRecord => ({
  at: record.at,
  atTokyo: record.atTokyo,
  regionId: record.regionId,
  jobId: record.jobId,
  taskId: record.taskId,
  fromMemberId: record.fromMemberId,
  toMemberId: record.toMemberId ?? '',
  by: record.by,
  reason: personalTextMessage(record.reason),
  ...(record.progressNote !== null ? { progressNote: personalTextMessage(record.progressNote) } : {}),
  position: record.position,
});

const correctionMessage = (c: Correction): auditV1.Correction => ({
  at: c.at,
  atTokyo: c.atTokyo,
  stream: c.stream,
  version: String(c.version),
  type: c.type,
  ...(c.actor !== null ? { actor: actorMessage(c.actor)! } : {}),
  ...optionalText(c.reason),
  changes: c.changes.map((change) => ({
    field: change.field,
    beforeJson: JSON.stringify(change.before ?? null),
    afterJson: JSON.stringify(change.after ?? null),
  })),
  position: c.position,
});

const searchRecordMessage = (r: SearchRecord): auditV1.SearchRecord => ({
  date: r.date,
  kind: DOCUMENT_KINDS[r.kind],
  documentId: r.documentId,
  regionId: r.regionId,
  month: r.month,
  counterparty: r.counterparty,
  amountYen: yen(r.amountYen),
  stream: r.stream,
  position: r.position,
});

export const historyResponse = (r: AuditResults['history']): auditV1.GetHistoryResponse => ({
  entries: r.entries.map(historyEntryMessage),
  next: r.next ?? '',
});

export const whoHeldResponse = (r: AuditResults['whoHeld']): auditV1.WhoHeldResponse => ({
  taskId: r.taskId,
  jobId: r.jobId ?? '',
  at: r.at,
  ...(r.holder !== null ? { holder: holdingMessage(r.holder) } : {}),
});

export const jobTimelineResponse = (r: AuditResults['jobTimeline']): auditV1.GetJobTimelineResponse => ({
  jobId: r.jobId,
  title: r.title,
  regionId: r.regionId,
  tasks: r.tasks.map((t) => ({
    taskId: t.taskId,
    title: t.title,
    spans: t.spans.map(holdingMessage),
    handOffs: t.handOffs.map(handOffMessage),
  })),
});

export const reconciliationResponse = (r: AuditResults['reconciliation']): auditV1.GetReconciliationResponse => ({
  regionId: r.regionId,
  month: r.month,
  closed: r.closed,
  closedAt: r.closedAt ?? '',
  documents: r.documents.map((d) => ({
    kind: DOCUMENT_KINDS[d.kind],
    id: d.id,
    counterparty: d.counterparty,
    amountYen: yen(d.amountYen),
    tracedYen: yen(d.tracedYen),
    differenceYen: yen(d.differenceYen),
    sources: d.sources.map((s) => ({
      jobId: s.jobId ?? '',
      taskId: s.taskId ?? '',
      memberId: s.memberId ?? '',
      entryIds: [...s.entryIds],
      minutes: String(s.minutes),
      amountYen: yen(s.amountYen),
      note: s.note,
    })),
  })),
  totals: {
    invoicedYen: yen(r.totals.invoicedYen),
    paidYen: yen(r.totals.paidYen),
    transferredYen: yen(r.totals.transferredYen),
    journalDebitYen: yen(r.totals.journalDebitYen),
    journalCreditYen: yen(r.totals.journalCreditYen),
  },
  differences: r.differences.map((d) => ({
    documentId: d.documentId ?? '',
    differenceYen: yen(d.differenceYen),
    explanation: d.explanation,
  })),
});

export const streamAsOfResponse = (r: AuditResults['streamAsOf']): auditV1.GetStreamAsOfResponse => ({
  stream: r.stream,
  at: r.at,
  ...(r.version !== null ? { version: String(r.version) } : {}),
  events: r.events.map(historyEntryMessage),
  stateJson: JSON.stringify(r.state),
});

export const searchResponse = (r: AuditResults['search']): auditV1.SearchResponse => ({
  records: r.records.map(searchRecordMessage),
});

export const correctionsResponse = (r: AuditResults['corrections']): auditV1.ListCorrectionsResponse => ({
  corrections: r.corrections.map(correctionMessage),
});

export const verificationResponse = (r: AuditResults['verification']): auditV1.GetVerificationResponse => ({
  status: r.status,
  checkedEvents: String(r.checkedEvents),
  sealsChecked: String(r.sealsChecked),
  ...(r.lastSeal !== null
    ? {
        lastSeal: {
          sequence: String(r.lastSeal.sequence),
          position: r.lastSeal.position,
          sealedAt: r.lastSeal.sealedAt,
        },
      }
    : {}),
  unsealedEvents: String(r.unsealedEvents),
  breaks: r.breaks.map((b) => ({
    kind: BREAK_KINDS[b.kind],
    streamName: b.streamName ?? '',
    ...(b.streamVersion !== null ? { streamVersion: String(b.streamVersion) } : {}),
    position: b.position ?? '',
    eventId: b.eventId ?? '',
    reason: b.reason,
  })),
  verifiedAt: r.verifiedAt,
  fromSeal: String(r.range.fromSeal ?? 0),
  toSeal: String(r.range.toSeal ?? 0),
  ...(r.running !== null
    ? { running: { checkedEvents: String(r.running.checkedEvents), startedAt: r.running.startedAt } }
    : {}),
});

export const queriesResponse = (r: AuditResults['queries']): auditV1.ListAuditQueriesResponse => ({
  queries: r.queries.map((q) => ({ at: q.at, actor: q.actor, query: q.query, parameters: { ...q.parameters } })),
});

// ---- requests -----------------------------------------------------------------------------------

const given = (text: string): string | undefined => (text === '' ? undefined : text);

export const historyQuery = (r: auditV1.GetHistoryRequest) => ({
  subject: subjectOf(r.subject),
  id: r.id,
  ...(r.limit !== 0 ? { limit: r.limit } : {}),
  ...(r.after !== '' ? { after: r.after } : {}),
});
export const whoHeldQuery = (r: auditV1.WhoHeldRequest) => ({ taskId: r.taskId, at: r.at });
export const jobTimelineQuery = (r: auditV1.GetJobTimelineRequest) => ({ jobId: r.jobId });
export const handOffsQuery = (r: auditV1.ListHandOffsRequest) => ({ regionId: r.regionId, from: r.from, to: r.to });
export const reconciliationQuery = (r: auditV1.GetReconciliationRequest) => ({ regionId: r.regionId, month: r.month });
export const streamAsOfQuery = (r: auditV1.GetStreamAsOfRequest) => ({ stream: r.stream, at: r.at });

/** A search's amounts arrive as text (`12,000`, `¥12,000`): the facade parses them. */
export const searchQuery = (r: auditV1.SearchRequest) => ({
  ...(given(r.from) ? { from: r.from } : {}),
  ...(given(r.to) ? { to: r.to } : {}),
  ...(given(r.minYen) ? { minYen: r.minYen } : {}),
  ...(given(r.maxYen) ? { maxYen: r.maxYen } : {}),
  ...(given(r.counterparty) ? { counterparty: r.counterparty } : {}),
  ...(r.limit !== 0 ? { limit: r.limit } : {}),
});
export const correctionsQuery = (r: auditV1.ListCorrectionsRequest) => ({
  ...(given(r.from) ? { from: r.from } : {}),
  ...(given(r.to) ? { to: r.to } : {}),
  ...(given(r.regionId) ? { regionId: r.regionId } : {}),
});
export const verificationQuery = (r: auditV1.GetVerificationRequest) => ({
  ...(given(r.from) ? { from: r.from } : {}),
  ...(given(r.to) ? { to: r.to } : {}),
  fresh: r.fresh,
});
export const queriesQuery = (r: auditV1.ListAuditQueriesRequest) => ({ ...(r.limit !== 0 ? { limit: r.limit } : {}) });

export const encodingOf = (encoding: auditV1.CsvEncoding): CsvEncoding =>
  encoding === CsvEncodingMessage.CSV_ENCODING_SHIFT_JIS ? 'shift_jis' : 'utf-8';

/** The query an Export asks for (exactly one). */
export const exportRequestOf = (r: auditV1.ExportRequest): AuditRequest => {
  if (r.history) return { kind: 'history', query: historyQuery(r.history) };
  if (r.whoHeld) return { kind: 'whoHeld', query: whoHeldQuery(r.whoHeld) };
  if (r.jobTimeline) return { kind: 'jobTimeline', query: jobTimelineQuery(r.jobTimeline) };
  if (r.handOffs) return { kind: 'handOffs', query: handOffsQuery(r.handOffs) };
  if (r.reconciliation) return { kind: 'reconciliation', query: reconciliationQuery(r.reconciliation) };
  if (r.streamAsOf) return { kind: 'streamAsOf', query: streamAsOfQuery(r.streamAsOf) };
  if (r.search) return { kind: 'search', query: searchQuery(r.search) };
  if (r.corrections) return { kind: 'corrections', query: correctionsQuery(r.corrections) };
  if (r.verification) return { kind: 'verification', query: verificationQuery(r.verification) };
  if (r.queries) return { kind: 'queries', query: queriesQuery(r.queries) };
  throw new ValidationError('audit.invalid_export', 'an export names the query whose answer it exports', {
    field: 'query',
  });
};
