/**
 * The audit service's answers (its contract's shapes, instants in UTC) as the API gives them:
 * every instant in Asia/Tokyo with +09:00, like every other route's (the audit service's `...Tokyo`
 * twins, a display form of the same instants, are left to its CLI). A time the service answers
 * that is no time breaks its contract: a 500, never a guess.
 */
import type {
  AuditActor,
  AuditResults,
  Correction,
  HandOffRecord,
  HistoryEntry,
  Holding,
  PersonalText,
} from '@workshare/audit/contract';
import { tokyoTime } from './time.js';
import { UpstreamContractError } from './views.js';

/** An instant the audit service answered (ISO-8601 UTC), in Tokyo time. */
export const auditTime = (value: string, what: string): string => {
  const instant = new Date(value);
  if (value === '' || Number.isNaN(instant.getTime()))
    throw new UpstreamContractError(`the audit service answered a ${what} that is no time: ${JSON.stringify(value)}`);
  return tokyoTime(instant);
};

const auditTimeOrNull = (value: string | null, what: string): string | null =>
  value === null ? null : auditTime(value, what);

const personalView = (text: PersonalText): PersonalText =>
  text.kind === 'text' ? { kind: 'text', text: text.text } : { kind: text.kind };

const personalOrNull = (text: PersonalText | null): PersonalText | null => (text === null ? null : personalView(text));

const actorView = (actor: AuditActor | null) =>
  actor === null ? null : { id: actor.id, name: personalOrNull(actor.name), role: actor.role };

const entryView = (entry: HistoryEntry) => ({
  position: entry.position,
  stream: entry.stream,
  version: entry.version,
  type: entry.type,
  occurredAt: auditTime(entry.occurredAt, 'time of an event'),
  recordedAt: auditTime(entry.recordedAt, 'recording time of an event'),
  actor: actorView(entry.actor),
  reason: personalOrNull(entry.reason),
  summary: entry.summary,
  data: entry.data,
});

const holdingView = (holding: Holding) => ({
  memberId: holding.memberId,
  memberName: personalOrNull(holding.memberName),
  from: auditTime(holding.from, 'start of a hold'),
  to: auditTimeOrNull(holding.to, 'end of a hold'),
  position: holding.position,
});

const handOffView = (handOff: HandOffRecord) => ({
  at: auditTime(handOff.at, 'time of a hand-off'),
  regionId: handOff.regionId,
  jobId: handOff.jobId,
  taskId: handOff.taskId,
  fromMemberId: handOff.fromMemberId,
  toMemberId: handOff.toMemberId,
  by: handOff.by,
  reason: personalView(handOff.reason),
  progressNote: personalOrNull(handOff.progressNote),
  position: handOff.position,
});

const correctionView = (correction: Correction) => ({
  at: auditTime(correction.at, 'time of a correction'),
  stream: correction.stream,
  version: correction.version,
  type: correction.type,
  actor: actorView(correction.actor),
  reason: personalOrNull(correction.reason),
  changes: correction.changes.map((change) => ({ field: change.field, before: change.before, after: change.after })),
  position: correction.position,
});

/** Each query's answer, as the API gives it. */
export const AUDIT_VIEWS = {
  history: (result: AuditResults['history']) => ({ entries: result.entries.map(entryView), next: result.next }),
  whoHeld: (result: AuditResults['whoHeld']) => ({
    taskId: result.taskId,
    jobId: result.jobId,
    at: auditTime(result.at, 'instant asked about'),
    holder: result.holder === null ? null : holdingView(result.holder),
  }),
  jobTimeline: (result: AuditResults['jobTimeline']) => ({
    jobId: result.jobId,
    title: result.title,
    regionId: result.regionId,
    tasks: result.tasks.map((task) => ({
      taskId: task.taskId,
      title: task.title,
      spans: task.spans.map(holdingView),
      handOffs: task.handOffs.map(handOffView),
    })),
  }),
  handOffs: (result: AuditResults['handOffs']) => ({ handOffs: result.handOffs.map(handOffView) }),
  reconciliation: (result: AuditResults['reconciliation']) => ({
    regionId: result.regionId,
    month: result.month,
    closed: result.closed,
    closedAt: auditTimeOrNull(result.closedAt, 'close time'),
    documents: result.documents,
    totals: result.totals,
    differences: result.differences,
  }),
  streamAsOf: (result: AuditResults['streamAsOf']) => ({
    stream: result.stream,
    at: auditTime(result.at, 'instant replayed to'),
    version: result.version,
    events: result.events.map(entryView),
    state: result.state,
  }),
  search: (result: AuditResults['search']) => ({ records: result.records }),
  corrections: (result: AuditResults['corrections']) => ({ corrections: result.corrections.map(correctionView) }),
  verification: (result: AuditResults['verification']) => ({
    status: result.status,
    checkedEvents: result.checkedEvents,
    sealsChecked: result.sealsChecked,
    lastSeal:
      result.lastSeal === null
        ? null
        : {
            sequence: result.lastSeal.sequence,
            position: result.lastSeal.position,
            sealedAt: auditTime(result.lastSeal.sealedAt, 'seal time'),
          },
    unsealedEvents: result.unsealedEvents,
    breaks: result.breaks,
    verifiedAt: auditTime(result.verifiedAt, 'verification time'),
    range: result.range,
    running:
      result.running === null
        ? null
        : {
            checkedEvents: result.running.checkedEvents,
            startedAt: auditTime(result.running.startedAt, 'start of a verification'),
          },
  }),
  queries: (result: AuditResults['queries']) => ({
    queries: result.queries.map((query) => ({
      at: auditTime(query.at, 'time of a query'),
      actor: query.actor,
      query: query.query,
      parameters: query.parameters,
    })),
  }),
} as const;
