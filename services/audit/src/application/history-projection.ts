import {
  WHOLE_LOG,
  type JsonValue,
  type ProjectedEvent,
  type TableProjection,
  type TableReads,
  type TableRows,
  type TableSpec,
} from '@workshare/eventsourcing';
import {
  addReferences,
  emptyKnown,
  emptyReferences,
  foldPage,
  logOrder,
  type Known,
  type References,
} from '../domain/log-facts.js';

/**
 * The audit's main projection, `history`: the whole log folded into query tables, each indexed
 * for one question (services/audit/README.md, "Projections"):
 * - `log`: every event concerning a job, task, member, business or month, with the subjects it
 *   concerns (`job:<id>`, `task:<id>`, ...; a GIN index: the history of each);
 * - `holdings`: each change of a task's holder, from when (who held T at t: one index lookup);
 * - `hand_offs`: every hand-off and release, by region and time;
 * - `corrections`: every correction with its before and after;
 * - `queries`: every audit query;
 * - `entities`, `entries`, `facts`: what later events are read against (a job's region and
 *   business, a task's job and title, a member's region, a time entry's times, the last values a
 *   correction is compared with), the latest of each kept.
 * Rows of events are keyed by the event's global position: a page written twice is one page.
 */

export const HISTORY_PROJECTION = 'history';

const position = [
  { name: 'commit_pos', type: 'bigint' },
  { name: 'prepare_pos', type: 'bigint' },
] as const;

export const HISTORY_TABLES: readonly TableSpec[] = [
  {
    name: 'log',
    columns: [
      ...position,
      { name: 'stream', type: 'text' },
      { name: 'version', type: 'bigint' },
      // `job:<id> task:<id> member:<id>`: one text (cheaper to write than a list), indexed as a list.
      { name: 'subjects', type: 'text' },
    ],
    key: ['commit_pos', 'prepare_pos'],
    indexes: [{ name: 'log_subjects', on: "USING gin ((string_to_array(subjects, ' ')))" }],
  },
  {
    name: 'holdings',
    columns: [
      { name: 'task_id', type: 'text' },
      ...position,
      { name: 'at', type: 'timestamptz' },
      { name: 'member_id', type: 'text', nullable: true },
      { name: 'job_id', type: 'text' },
      { name: 'kind', type: 'text' },
    ],
    key: ['commit_pos', 'prepare_pos'],
    indexes: [{ name: 'holdings_task_at', on: '(task_id, at DESC, commit_pos DESC, prepare_pos DESC)' }],
  },
  {
    name: 'hand_offs',
    columns: [
      ...position,
      { name: 'at', type: 'timestamptz' },
      { name: 'region_id', type: 'text' },
      { name: 'job_id', type: 'text' },
      { name: 'task_id', type: 'text' },
      { name: 'from_member', type: 'text' },
      { name: 'to_member', type: 'text', nullable: true },
      { name: 'by_actor', type: 'text' },
      { name: 'reason', type: 'jsonb' },
      { name: 'progress_note', type: 'jsonb', nullable: true },
    ],
    key: ['commit_pos', 'prepare_pos'],
    indexes: [
      { name: 'hand_offs_region_at', on: '(region_id, at)' },
      { name: 'hand_offs_job', on: '(job_id, at)' },
    ],
  },
  {
    name: 'corrections',
    columns: [
      ...position,
      { name: 'at', type: 'timestamptz' },
      { name: 'region_id', type: 'text', nullable: true },
      { name: 'stream', type: 'text' },
      { name: 'version', type: 'bigint' },
      { name: 'type', type: 'text' },
      { name: 'actor', type: 'text', nullable: true },
      { name: 'reason', type: 'jsonb', nullable: true },
      { name: 'reason_owner', type: 'text', nullable: true },
      { name: 'changes', type: 'jsonb' },
    ],
    key: ['commit_pos', 'prepare_pos'],
    indexes: [
      { name: 'corrections_at', on: '(at)' },
      { name: 'corrections_region_at', on: '(region_id, at)' },
    ],
  },
  {
    name: 'queries',
    columns: [
      ...position,
      { name: 'at', type: 'timestamptz' },
      { name: 'actor', type: 'text' },
      { name: 'query', type: 'text' },
      { name: 'parameters', type: 'jsonb' },
    ],
    key: ['commit_pos', 'prepare_pos'],
    indexes: [{ name: 'queries_at', on: '(at DESC)' }],
  },
  {
    name: 'entities',
    columns: [
      { name: 'kind', type: 'text' },
      { name: 'id', type: 'text' },
      { name: 'region_id', type: 'text', nullable: true },
      { name: 'job_id', type: 'text', nullable: true },
      { name: 'business_id', type: 'text', nullable: true },
      { name: 'title', type: 'text', nullable: true },
      { name: 'ord', type: 'numeric' },
    ],
    key: ['kind', 'id'],
    onConflict: {
      kind: 'update',
      columns: ['region_id', 'job_id', 'business_id', 'title', 'ord'],
      versionColumn: 'ord',
    },
    indexes: [{ name: 'entities_job', on: '(job_id, kind)' }],
  },
  {
    name: 'entries',
    columns: [
      { name: 'entry_id', type: 'text' },
      { name: 'member_id', type: 'text' },
      { name: 'task_id', type: 'text' },
      { name: 'job_id', type: 'text' },
      { name: 'region_id', type: 'text' },
      { name: 'start_at', type: 'text' },
      { name: 'end_at', type: 'text' },
      { name: 'minutes', type: 'integer' },
      { name: 'ord', type: 'numeric' },
    ],
    key: ['entry_id'],
    onConflict: {
      kind: 'update',
      columns: ['member_id', 'task_id', 'job_id', 'region_id', 'start_at', 'end_at', 'minutes', 'ord'],
      versionColumn: 'ord',
    },
  },
  {
    name: 'facts',
    columns: [
      { name: 'key', type: 'text' },
      { name: 'value', type: 'jsonb' },
      { name: 'ord', type: 'numeric' },
    ],
    key: ['key'],
    onConflict: { kind: 'update', columns: ['value', 'ord'], versionColumn: 'ord' },
  },
];

interface EntityRow {
  kind: string;
  id: string;
  region_id: string | null;
  job_id: string | null;
  business_id: string | null;
  title: string | null;
}

/** Reads what earlier pages established of what this page refers to: three queries at most. */
const lookUp = async (refs: References, reads: TableReads): Promise<Known> => {
  const known = emptyKnown();
  const kinds: string[] = [];
  const ids: string[] = [];
  for (const [kind, set] of [
    ['job', refs.jobs],
    ['member', refs.members],
  ] as const)
    for (const id of set) {
      kinds.push(kind);
      ids.push(id);
    }
  if (ids.length > 0) {
    const rows = await reads.query<EntityRow>(
      `SELECT e.kind, e.id, e.region_id, e.job_id, e.business_id, e.title FROM ${reads.table('entities')} e
        JOIN unnest($1::text[], $2::text[]) AS w(kind, id) ON e.kind = w.kind AND e.id = w.id`,
      [kinds, ids],
    );
    for (const row of rows) {
      if (row.kind === 'job')
        known.jobs.set(row.id, { regionId: row.region_id, businessId: row.business_id, title: row.title });
      else if (row.kind === 'task' && row.job_id !== null)
        known.tasks.set(row.id, { jobId: row.job_id, title: row.title });
      else if (row.kind === 'member') known.members.set(row.id, { regionId: row.region_id });
      else if (row.kind === 'business') known.businesses.set(row.id, { regionId: row.region_id, name: row.title });
    }
  }
  if (refs.entries.size > 0) {
    const rows = await reads.query<{
      entry_id: string;
      member_id: string;
      task_id: string;
      job_id: string;
      region_id: string;
      start_at: string;
      end_at: string;
      minutes: number;
    }>(
      `SELECT entry_id, member_id, task_id, job_id, region_id, start_at, end_at, minutes FROM ${reads.table('entries')}
        WHERE entry_id = ANY($1::text[])`,
      [[...refs.entries]],
    );
    for (const row of rows)
      known.entries.set(row.entry_id, {
        memberId: row.member_id,
        taskId: row.task_id,
        jobId: row.job_id,
        regionId: row.region_id,
        start: row.start_at,
        end: row.end_at,
        minutes: Number(row.minutes),
      });
  }
  if (refs.facts.size > 0) {
    const rows = await reads.query<{ key: string; value: JsonValue }>(
      `SELECT key, value FROM ${reads.table('facts')} WHERE key = ANY($1::text[])`,
      [[...refs.facts]],
    );
    for (const row of rows) known.facts.set(row.key, row.value);
  }
  return known;
};

/** The rows of one page: what each event says, and the latest known facts it changed. */
export const historyRows = async (page: readonly ProjectedEvent[], reads: TableReads): Promise<TableRows> => {
  const refs = emptyReferences();
  for (const event of page) addReferences(event, refs);
  const folded = foldPage(page, await lookUp(refs, reads));
  const log: unknown[][] = [];
  const holdings: unknown[][] = [];
  const handOffs: unknown[][] = [];
  const corrections: unknown[][] = [];
  const queries: unknown[][] = [];
  for (const facts of folded.events) {
    const { event } = facts;
    const commit = event.position.commit;
    const prepare = event.position.prepare;
    if (facts.subjects.length > 0)
      log.push([
        commit,
        prepare,
        event.streamName,
        event.streamVersion,
        facts.subjects.map((s) => `${s.kind}:${s.id}`).join(' '),
      ]);
    for (const h of facts.holdings) holdings.push([h.taskId, commit, prepare, h.at, h.memberId, h.jobId, h.kind]);
    const handOff = facts.handOff;
    if (handOff !== undefined)
      handOffs.push([
        commit,
        prepare,
        handOff.at,
        handOff.regionId,
        handOff.jobId,
        handOff.taskId,
        handOff.fromMemberId,
        handOff.toMemberId,
        handOff.by,
        handOff.reason,
        handOff.progressNote ?? null,
      ]);
    const correction = facts.correction;
    if (correction !== undefined)
      corrections.push([
        commit,
        prepare,
        correction.at,
        correction.regionId,
        event.streamName,
        event.streamVersion,
        event.type,
        correction.actor,
        correction.reason ?? null,
        correction.reasonOwner,
        correction.changes,
      ]);
    const query = facts.query;
    if (query !== undefined) queries.push([commit, prepare, query.at, query.actor, query.query, query.parameters]);
  }
  const entities: unknown[][] = [];
  for (const [id, j] of folded.jobs) entities.push(['job', id, j.regionId, null, j.businessId, j.title, j.order]);
  for (const [id, t] of folded.tasks) entities.push(['task', id, null, t.jobId, null, t.title, t.order]);
  for (const [id, m] of folded.members) entities.push(['member', id, m.regionId, null, null, null, m.order]);
  for (const [id, b] of folded.businesses) entities.push(['business', id, b.regionId, null, null, b.name, b.order]);
  const entries: unknown[][] = [];
  for (const [id, e] of folded.entries)
    entries.push([id, e.memberId, e.taskId, e.jobId, e.regionId, e.start, e.end, e.minutes, e.order]);
  const factRows: unknown[][] = [];
  for (const [key, f] of folded.facts) factRows.push([key, f.value, f.order]);
  return new Map([
    ['log', log],
    ['holdings', holdings],
    ['hand_offs', handOffs],
    ['corrections', corrections],
    ['queries', queries],
    ['entities', entities],
    ['entries', entries],
    ['facts', factRows],
  ]);
};

/** The history projection (version: raise it when what the rows say changes; the tables are rebuilt). */
export const historyProjection: TableProjection = {
  definition: { name: HISTORY_PROJECTION, version: 2, categories: WHOLE_LOG },
  tables: HISTORY_TABLES,
  project: historyRows,
};

export { logOrder };
