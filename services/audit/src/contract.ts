/**
 * The audit service's application interface, for the gateway, the CLI and the benchmark: what it
 * answers and in which shape. Pure types and values, no I/O:
 *   import type { AuditService, HistoryEntry } from '@workshare/audit/contract';
 *
 * All times in results are ISO-8601 UTC strings (`2026-11-04T00:30:00.000Z`) plus, where a human
 * reads them, a `...Tokyo` twin formatted `2026-11-04 09:30` (Asia/Tokyo). Money: integer yen.
 * Positions in the global log: `<commit>/<prepare>` strings (formatPosition).
 *
 * Access: the accountant (read-only, everything), operators, and a region's coordinator (her
 * region's subjects only) may ask; members and businesses may not (`audit.forbidden`,
 * PERMISSION_DENIED). Every query is recorded as an event of the `auditquery` category (who,
 * what, parameters, when) before it is answered. Errors are DomainErrors `audit.*`.
 *
 * Additions to the interface as first agreed: `AUDIT_SUBJECTS`, `AUDIT_QUERY_KINDS`, named inputs
 * (`HistoryQuery`, ...), `AuditResults` (the answer of each kind), `CSV_ENCODINGS`;
 * VerificationQuery's `fresh`, VerificationReport's `range` and `running`; `readModels` is the
 * service's OperatedReadModel list. A sealed text that does not open (changed) shows as withheld.
 */
import type { CommandContext, OperatedReadModel } from '@workshare/eventsourcing';

/** A free text that may be personal (a hand-off reason, a note). */
export type PersonalText =
  | { readonly kind: 'text'; readonly text: string }
  /** Its owner was forgotten: the key is gone. */
  | { readonly kind: 'redacted' }
  /** The asker may not read it. */
  | { readonly kind: 'withheld' };

export interface AuditActor {
  readonly id: string;
  readonly name: PersonalText | null;
  readonly role: string | null;
}

export const AUDIT_SUBJECTS = ['job', 'task', 'member', 'business', 'settlement'] as const;
/** Settlement ids are `<regionId>.<YYYY-MM>` (e.g. `fujisato.2026-11`). */
export type AuditSubject = (typeof AUDIT_SUBJECTS)[number];

export interface HistoryEntry {
  readonly position: string;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly occurredAt: string;
  readonly occurredAtTokyo: string;
  readonly recordedAt: string;
  readonly actor: AuditActor | null;
  readonly reason: PersonalText | null;
  /** One line in Japanese saying what happened (e.g. 「タスクを引き継ぎ: 佐藤 → 鈴木」). */
  readonly summary: string;
  /** The event's data, personal fields replaced by PersonalText-shaped redactions where needed. */
  readonly data: Record<string, unknown>;
}

export interface Holding {
  readonly memberId: string;
  readonly memberName: PersonalText | null;
  readonly from: string;
  readonly to: string | null;
  readonly position: string;
}

export interface HandOffRecord {
  readonly at: string;
  readonly atTokyo: string;
  readonly regionId: string;
  readonly jobId: string;
  readonly taskId: string;
  readonly fromMemberId: string;
  readonly toMemberId: string | null;
  readonly by: string;
  readonly reason: PersonalText;
  readonly progressNote: PersonalText | null;
  readonly position: string;
}

export interface JobTimeline {
  readonly jobId: string;
  readonly title: string;
  readonly regionId: string;
  readonly tasks: readonly {
    readonly taskId: string;
    readonly title: string;
    readonly spans: readonly Holding[];
    readonly handOffs: readonly HandOffRecord[];
  }[];
}

export interface TraceSource {
  readonly jobId: string | null;
  readonly taskId: string | null;
  readonly memberId: string | null;
  readonly entryIds: readonly string[];
  readonly minutes: number;
  readonly amountYen: number;
  readonly note: string;
}

export interface ReconciledDocument {
  readonly kind: 'invoice' | 'statement' | 'transfer' | 'journal';
  readonly id: string;
  readonly counterparty: string;
  readonly amountYen: number;
  readonly tracedYen: number;
  readonly differenceYen: number;
  readonly sources: readonly TraceSource[];
}

export interface Reconciliation {
  readonly regionId: string;
  readonly month: string;
  readonly closed: boolean;
  readonly closedAt: string | null;
  readonly documents: readonly ReconciledDocument[];
  readonly totals: {
    readonly invoicedYen: number;
    readonly paidYen: number;
    readonly transferredYen: number;
    readonly journalDebitYen: number;
    readonly journalCreditYen: number;
  };
  /** Documents whose differenceYen is not 0, plus any check that failed, in words. */
  readonly differences: readonly {
    readonly documentId: string | null;
    readonly differenceYen: number;
    readonly explanation: string;
  }[];
}

export interface StreamAsOf {
  readonly stream: string;
  readonly at: string;
  readonly version: number | null;
  readonly events: readonly HistoryEntry[];
  readonly state: Record<string, unknown>;
}

export interface SearchRecord {
  readonly date: string;
  readonly kind: 'invoice' | 'statement' | 'transfer' | 'journal';
  readonly documentId: string;
  readonly regionId: string;
  readonly month: string;
  readonly counterparty: string;
  readonly amountYen: number;
  readonly stream: string;
  readonly position: string;
}

export interface Correction {
  readonly at: string;
  readonly atTokyo: string;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly actor: AuditActor | null;
  readonly reason: PersonalText | null;
  readonly changes: readonly { readonly field: string; readonly before: unknown; readonly after: unknown }[];
  readonly position: string;
}

export interface VerificationBreak {
  readonly kind: 'changed' | 'missing' | 'inserted' | 'reordered' | 'seal';
  readonly streamName: string | null;
  readonly streamVersion: number | null;
  readonly position: string | null;
  readonly eventId: string | null;
  readonly reason: string;
}

export interface VerificationReport {
  readonly status: 'intact' | 'broken';
  readonly checkedEvents: number;
  readonly sealsChecked: number;
  readonly lastSeal: { readonly sequence: number; readonly position: string; readonly sealedAt: string } | null;
  readonly unsealedEvents: number;
  readonly breaks: readonly VerificationBreak[];
  readonly verifiedAt: string;
  /** The range verified: seal sequences (null: from the log's start / to its end). */
  readonly range: { readonly fromSeal: number | null; readonly toSeal: number | null };
  /** A verification running now (in the background), with how far it has come; null when none runs. */
  readonly running: { readonly checkedEvents: number; readonly startedAt: string } | null;
}

export interface AuditQueryRecord {
  readonly at: string;
  readonly actor: string;
  readonly query: string;
  readonly parameters: Record<string, string>;
}

/** One table for every result: CLI table/CSV, gateway CSV and the page's export use it. */
export interface AuditTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

// ---- inputs -------------------------------------------------------------------------------------

export interface HistoryQuery {
  readonly subject: AuditSubject;
  readonly id: string;
  /** 1 to 1,000 (default 200). */
  readonly limit?: number;
  /** The position of the last entry of the page before (its `next`). */
  readonly after?: string;
}
export interface WhoHeldQuery {
  readonly taskId: string;
  /** ISO-8601 instant (with Z or an offset). */
  readonly at: string;
}
export interface JobTimelineQuery {
  readonly jobId: string;
}
export interface HandOffsQuery {
  readonly regionId: string;
  readonly from: string;
  readonly to: string;
}
export interface ReconciliationQuery {
  readonly regionId: string;
  readonly month: string;
}
export interface StreamAsOfQuery {
  readonly stream: string;
  readonly at: string;
}
export interface SearchQuery {
  readonly from?: string;
  readonly to?: string;
  /** Integer yen: a number, or text as people write it (`12000`, `12,000`, `¥12,000`, `12000円`). */
  readonly minYen?: number | string;
  readonly maxYen?: number | string;
  readonly counterparty?: string;
  readonly limit?: number;
}
export interface CorrectionsQuery {
  readonly from?: string;
  readonly to?: string;
  readonly regionId?: string;
}
export interface VerificationQuery {
  /** Where the range starts: a seal's sequence (`12`), or an instant (from the last seal made by then). */
  readonly from?: string;
  /** Where it ends: a seal's sequence, or an instant (at the first seal made from then on). */
  readonly to?: string;
  /** Verify now and answer that report (default: the last report of the background verification). */
  readonly fresh?: boolean;
}
export interface QueriesQuery {
  readonly limit?: number;
}

/** Every query the service answers, by the name its audit-query events record. */
export const AUDIT_QUERY_KINDS = [
  'history',
  'whoHeld',
  'jobTimeline',
  'handOffs',
  'reconciliation',
  'streamAsOf',
  'search',
  'corrections',
  'verification',
  'queries',
] as const;
export type AuditQueryKind = (typeof AUDIT_QUERY_KINDS)[number];

export interface AuditService {
  history(
    context: CommandContext,
    q: HistoryQuery,
  ): Promise<{ readonly entries: HistoryEntry[]; readonly next: string | null }>;
  whoHeld(
    context: CommandContext,
    q: WhoHeldQuery,
  ): Promise<{
    readonly taskId: string;
    readonly jobId: string | null;
    readonly at: string;
    readonly holder: Holding | null;
  }>;
  jobTimeline(context: CommandContext, q: JobTimelineQuery): Promise<JobTimeline>;
  handOffs(context: CommandContext, q: HandOffsQuery): Promise<{ readonly handOffs: HandOffRecord[] }>;
  reconciliation(context: CommandContext, q: ReconciliationQuery): Promise<Reconciliation>;
  streamAsOf(context: CommandContext, q: StreamAsOfQuery): Promise<StreamAsOf>;
  search(context: CommandContext, q: SearchQuery): Promise<{ readonly records: SearchRecord[] }>;
  corrections(context: CommandContext, q: CorrectionsQuery): Promise<{ readonly corrections: Correction[] }>;
  verification(context: CommandContext, q: VerificationQuery): Promise<VerificationReport>;
  queries(context: CommandContext, q: QueriesQuery): Promise<{ readonly queries: AuditQueryRecord[] }>;
  /** The ops read-models handle every service has (list / rebuild with progress). */
  readonly readModels: readonly OperatedReadModel[];
}

/** The answer of each query, by kind (for toAuditTable and Export). */
export interface AuditResults {
  readonly history: Awaited<ReturnType<AuditService['history']>>;
  readonly whoHeld: Awaited<ReturnType<AuditService['whoHeld']>>;
  readonly jobTimeline: JobTimeline;
  readonly handOffs: Awaited<ReturnType<AuditService['handOffs']>>;
  readonly reconciliation: Reconciliation;
  readonly streamAsOf: StreamAsOf;
  readonly search: Awaited<ReturnType<AuditService['search']>>;
  readonly corrections: Awaited<ReturnType<AuditService['corrections']>>;
  readonly verification: VerificationReport;
  readonly queries: Awaited<ReturnType<AuditService['queries']>>;
}

/** The CSV encodings of an export. */
export const CSV_ENCODINGS = ['utf-8', 'shift_jis'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** gRPC port and metrics port of the audit service (DESIGN). */
export const AUDIT_GRPC_PORT = 50064;

/**
 * The largest answer a caller of the audit's gRPC API must accept: a long history page or a
 * month's reconciliation of a large region. Callers set `grpc.max_receive_message_length` to it.
 */
export const AUDIT_MAX_ANSWER_BYTES = 64 * 1024 * 1024;
export const AUDIT_METRICS_PORT = 9474;
