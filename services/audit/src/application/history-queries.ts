import { NotFoundError, type EventStore, type GlobalPosition, type RecordedEvent } from '@workshare/eventsourcing';
import type {
  AuditQueryRecord,
  AuditSubject,
  Correction,
  HandOffRecord,
  HistoryEntry,
  Holding,
  JobTimeline,
  PersonalText,
  StreamAsOf,
} from '../contract.js';
import { tokyoMinute } from '../domain/parsing.js';
import { plainJson, recordedBy, replayState } from '../domain/replay.js';
import { splitStream } from '../domain/log-facts.js';
import type { AuditScope, AuditTables } from './ports.js';
import type { Asker, Presenter } from './presenter.js';

/**
 * The questions the history projection's tables answer (application/history-projection.ts), each
 * one or two index lookups, then the events themselves read from the log where the answer shows
 * them. Inputs arrive checked (domain/parsing.ts); who may ask is checked before (access.ts).
 */

interface SubjectRowDb {
  commit_pos: string;
  prepare_pos: string;
  stream: string;
  version: string | number;
}

interface HoldingRowDb {
  task_id: string;
  member_id: string | null;
  at: Date;
  commit_pos: string;
  prepare_pos: string;
  job_id: string;
  kind: string;
  to_at?: Date | null;
}

interface HandOffRowDb {
  commit_pos: string;
  prepare_pos: string;
  at: Date;
  region_id: string;
  job_id: string;
  task_id: string;
  from_member: string;
  to_member: string | null;
  by_actor: string;
  reason: unknown;
  progress_note: unknown;
}

interface CorrectionRowDb {
  commit_pos: string;
  prepare_pos: string;
  at: Date;
  region_id: string | null;
  stream: string;
  version: string | number;
  type: string;
  actor: string | null;
  reason: unknown;
  reason_owner: string | null;
  changes: { field: string; before: unknown; after: unknown }[];
}

const positionText = (row: { commit_pos: string; prepare_pos: string }): string =>
  `${row.commit_pos}/${row.prepare_pos}`;

/** At most this many rows answer a listing (hand-offs, corrections) at once. */
export const MAX_LISTED = 5_000;

export class HistoryQueries {
  constructor(
    private readonly deps: { readonly store: EventStore; readonly tables: AuditTables; readonly presenter: Presenter },
  ) {}

  private get t(): AuditTables {
    return this.deps.tables;
  }

  /** The region a subject belongs to (null when the log names none, or does not know it). */
  async regionOf(subject: AuditSubject, id: string): Promise<string | null> {
    if (subject === 'settlement') return id.slice(0, id.lastIndexOf('.'));
    await this.t.ensureFresh();
    const entities = this.t.table('entities');
    if (subject === 'task') {
      const [row] = await this.t.query<{ region_id: string | null }>(
        `SELECT j.region_id FROM ${entities} t JOIN ${entities} j ON j.kind = 'job' AND j.id = t.job_id
          WHERE t.kind = 'task' AND t.id = $1`,
        [id],
      );
      return row?.region_id ?? null;
    }
    const [row] = await this.t.query<{ region_id: string | null }>(
      `SELECT region_id FROM ${entities} WHERE kind = $1 AND id = $2`,
      [subject, id],
    );
    return row?.region_id ?? null;
  }

  /** The region of a stream's subject, and whether the stream has one (a user's or a reservation's has none). */
  async regionOfStream(stream: string): Promise<string | null> {
    const { category, id } = splitStream(stream);
    switch (category) {
      case 'job':
      case 'plan':
      case 'schedule':
        return this.regionOf('job', id);
      case 'crew':
      case 'timesheet':
      case 'member':
      case 'payee':
        return this.regionOf('member', id);
      case 'business':
        return this.regionOf('business', id);
      case 'settlement':
        return id.includes('.') ? id.slice(0, id.lastIndexOf('.')) : null;
      case 'region_settlement':
        return id;
      default:
        return null;
    }
  }

  async history(
    q: { readonly subject: AuditSubject; readonly id: string; readonly limit: number; readonly after?: GlobalPosition },
    asker: Asker,
  ): Promise<{ entries: HistoryEntry[]; next: string | null }> {
    await this.t.ensureFresh();
    const after = q.after ?? { commit: 0n, prepare: 0n };
    const rows = await this.t.query<SubjectRowDb>(
      `SELECT commit_pos::text AS commit_pos, prepare_pos::text AS prepare_pos, stream, version FROM ${this.t.table('log')}
        WHERE string_to_array(subjects, ' ') @> ARRAY[$1::text] AND (commit_pos, prepare_pos) > ($2::bigint, $3::bigint)
        ORDER BY commit_pos, prepare_pos LIMIT $4`,
      [`${q.subject}:${q.id}`, after.commit.toString(), after.prepare.toString(), q.limit + 1],
    );
    const page = rows.slice(0, q.limit);
    const events = await this.eventsAt(page.map((r) => ({ stream: r.stream, version: Number(r.version) })));
    const entries = await this.deps.presenter.entries(events, asker);
    const last = page[page.length - 1];
    return { entries, next: rows.length > q.limit && last !== undefined ? positionText(last) : null };
  }

  /**
   * The events at these places of their streams, in the order given: each stream's versions read
   * in one range when they lie close together, else one by one.
   */
  private async eventsAt(places: readonly { stream: string; version: number }[]): Promise<RecordedEvent[]> {
    const byStream = new Map<string, number[]>();
    for (const place of places) {
      let versions = byStream.get(place.stream);
      if (versions === undefined) byStream.set(place.stream, (versions = []));
      versions.push(place.version);
    }
    const found = new Map<string, RecordedEvent>();
    await Promise.all(
      [...byStream].map(async ([stream, versions]) => {
        const min = Math.min(...versions);
        const max = Math.max(...versions);
        const reads =
          max - min + 1 <= versions.length * 4 + 32
            ? [{ fromVersion: min, limit: max - min + 1 }]
            : versions.map((v) => ({ fromVersion: v, limit: 1 }));
        for (const read of reads)
          for (const event of await this.deps.store.readStream(stream, read))
            found.set(`${stream}\u0000${event.streamVersion}`, event);
      }),
    );
    return places.flatMap((p) => {
      const event = found.get(`${p.stream}\u0000${p.version}`);
      return event === undefined ? [] : [event];
    });
  }

  /** The task's holding at `at`: the last change of hands at or before it, and when the next one came. */
  async whoHeld(
    q: { readonly taskId: string; readonly at: Date },
    asker: Asker,
  ): Promise<{ taskId: string; jobId: string | null; at: string; holder: Holding | null }> {
    await this.t.ensureFresh();
    const holdings = this.t.table('holdings');
    const [row] = await this.t.query<HoldingRowDb>(
      `SELECT h.task_id, h.member_id, h.at, h.commit_pos::text AS commit_pos, h.prepare_pos::text AS prepare_pos, h.job_id, h.kind,
              (SELECT n.at FROM ${holdings} n WHERE n.task_id = h.task_id
                  AND (n.at, n.commit_pos, n.prepare_pos) > (h.at, h.commit_pos, h.prepare_pos)
                ORDER BY n.at, n.commit_pos, n.prepare_pos LIMIT 1) AS to_at
         FROM ${holdings} h WHERE h.task_id = $1 AND h.at <= $2
        ORDER BY h.at DESC, h.commit_pos DESC, h.prepare_pos DESC LIMIT 1`,
      [q.taskId, q.at],
      'audit-who-held',
    );
    let jobId = row?.job_id ?? null;
    if (jobId === null) {
      const [task] = await this.t.query<{ job_id: string | null }>(
        `SELECT job_id FROM ${this.t.table('entities')} WHERE kind = 'task' AND id = $1`,
        [q.taskId],
      );
      jobId = task?.job_id ?? null;
    }
    if (row === undefined || row.member_id === null)
      return { taskId: q.taskId, jobId, at: q.at.toISOString(), holder: null };
    const names = await this.deps.presenter.names([row.member_id], asker);
    return {
      taskId: q.taskId,
      jobId,
      at: q.at.toISOString(),
      holder: {
        memberId: row.member_id,
        memberName: names.get(row.member_id) ?? null,
        from: new Date(row.at).toISOString(),
        to: row.to_at === null || row.to_at === undefined ? null : new Date(row.to_at).toISOString(),
        position: positionText(row),
      },
    };
  }

  async jobTimeline(q: { readonly jobId: string }, asker: Asker): Promise<JobTimeline> {
    await this.t.ensureFresh();
    const entities = this.t.table('entities');
    const [job] = await this.t.query<{ region_id: string | null; title: string | null }>(
      `SELECT region_id, title FROM ${entities} WHERE kind = 'job' AND id = $1`,
      [q.jobId],
    );
    if (job === undefined)
      throw new NotFoundError('audit.job_not_found', `the log holds no job ${q.jobId}`, { jobId: q.jobId });
    const tasks = await this.t.query<{ id: string; title: string | null }>(
      `SELECT id, title FROM ${entities} WHERE job_id = $1 AND kind = 'task' ORDER BY ord, id`,
      [q.jobId],
    );
    const holdings = await this.t.query<HoldingRowDb>(
      `SELECT task_id, member_id, at, commit_pos::text AS commit_pos, prepare_pos::text AS prepare_pos, job_id, kind
         FROM ${this.t.table('holdings')} WHERE task_id = ANY($1::text[]) ORDER BY task_id, at, commit_pos, prepare_pos`,
      [tasks.map((t) => t.id)],
    );
    const handOffRows = await this.t.query<HandOffRowDb>(
      `SELECT commit_pos::text AS commit_pos, prepare_pos::text AS prepare_pos, at, region_id, job_id, task_id, from_member,
              to_member, by_actor, reason, progress_note
         FROM ${this.t.table('hand_offs')} WHERE job_id = $1 ORDER BY at, commit_pos, prepare_pos`,
      [q.jobId],
    );
    const members = new Set<string>();
    for (const h of holdings) if (h.member_id !== null) members.add(h.member_id);
    const [names, handOffs] = await Promise.all([
      this.deps.presenter.names(members, asker),
      this.handOffRecords(handOffRows, asker),
    ]);
    return {
      jobId: q.jobId,
      title: job.title ?? '',
      regionId: job.region_id ?? '',
      tasks: tasks.map((task) => {
        const own = holdings.filter((h) => h.task_id === task.id);
        const spans: Holding[] = [];
        own.forEach((h, i) => {
          if (h.member_id === null) return;
          const next = own[i + 1];
          spans.push({
            memberId: h.member_id,
            memberName: names.get(h.member_id) ?? null,
            from: new Date(h.at).toISOString(),
            to: next === undefined ? null : new Date(next.at).toISOString(),
            position: positionText(h),
          });
        });
        return {
          taskId: task.id,
          title: task.title ?? '',
          spans,
          handOffs: handOffs.filter((r) => r.taskId === task.id),
        };
      }),
    };
  }

  async handOffs(
    q: { readonly regionId: string; readonly from: Date; readonly to: Date },
    asker: Asker,
  ): Promise<HandOffRecord[]> {
    await this.t.ensureFresh();
    const rows = await this.t.query<HandOffRowDb>(
      `SELECT commit_pos::text AS commit_pos, prepare_pos::text AS prepare_pos, at, region_id, job_id, task_id, from_member,
              to_member, by_actor, reason, progress_note
         FROM ${this.t.table('hand_offs')} WHERE region_id = $1 AND at >= $2 AND at < $3
        ORDER BY at, commit_pos, prepare_pos LIMIT ${MAX_LISTED}`,
      [q.regionId, q.from, q.to],
    );
    return this.handOffRecords(rows, asker);
  }

  private async handOffRecords(rows: readonly HandOffRowDb[], asker: Asker): Promise<HandOffRecord[]> {
    const stored = rows.flatMap((r) => [
      { ownerId: r.from_member, stored: r.reason },
      { ownerId: r.from_member, stored: r.progress_note ?? '' },
    ]);
    const texts = await this.deps.presenter.texts(stored, asker);
    return rows.map((r, i) => {
      const at = new Date(r.at);
      const note = r.progress_note === null || r.progress_note === '' ? null : texts[i * 2 + 1]!;
      return {
        at: at.toISOString(),
        atTokyo: tokyoMinute(at),
        regionId: r.region_id,
        jobId: r.job_id,
        taskId: r.task_id,
        fromMemberId: r.from_member,
        toMemberId: r.to_member,
        by: r.by_actor,
        reason: texts[i * 2]!,
        progressNote: note,
        position: positionText(r),
      };
    });
  }

  async corrections(
    q: { readonly from?: Date; readonly to?: Date; readonly scope: AuditScope },
    asker: Asker,
  ): Promise<Correction[]> {
    await this.t.ensureFresh();
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (q.from !== undefined) {
      params.push(q.from);
      conditions.push(`at >= $${params.length}`);
    }
    if (q.to !== undefined) {
      params.push(q.to);
      conditions.push(`at < $${params.length}`);
    }
    if (q.scope.kind === 'regions') {
      params.push([...q.scope.regionIds]);
      conditions.push(`region_id = ANY($${params.length}::text[])`);
    }
    const rows = await this.t.query<CorrectionRowDb>(
      `SELECT commit_pos::text AS commit_pos, prepare_pos::text AS prepare_pos, at, region_id, stream, version, type, actor, reason,
              reason_owner, changes
         FROM ${this.t.table('corrections')} ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY at, commit_pos, prepare_pos LIMIT ${MAX_LISTED}`,
      params,
    );
    const withReason = rows.map((r) => ({ ownerId: r.reason_owner ?? '', stored: r.reason }));
    const shownTexts = await this.deps.presenter.texts(
      withReason.filter((t) => t.stored !== null && t.stored !== ''),
      asker,
    );
    const texts: (PersonalText | null)[] = [];
    let next = 0;
    for (const t of withReason) texts.push(t.stored !== null && t.stored !== '' ? shownTexts[next++]! : null);
    const names = await this.deps.presenter.names(
      rows.flatMap((r) => (r.actor === null ? [] : [r.actor])),
      asker,
    );
    return rows.map((r, i) => {
      const at = new Date(r.at);
      return {
        at: at.toISOString(),
        atTokyo: tokyoMinute(at),
        stream: r.stream,
        version: Number(r.version),
        type: r.type,
        actor: this.deps.presenter.actor(r.actor, names),
        reason: texts[i] ?? null,
        changes: r.changes.map((c) => ({ field: c.field, before: c.before ?? null, after: c.after ?? null })),
        position: positionText(r),
      };
    });
  }

  /** The audit's own queries, newest first: all of them, or one asker's. */
  async queries(q: { readonly limit: number; readonly actorId?: string }): Promise<AuditQueryRecord[]> {
    const rows = await this.t.query<{ at: Date; actor: string; query: string; parameters: Record<string, string> }>(
      `SELECT at, actor, query, parameters FROM ${this.t.table('queries')}
        ${q.actorId !== undefined ? 'WHERE actor = $2' : ''}
        ORDER BY at DESC, commit_pos DESC, prepare_pos DESC LIMIT $1`,
      q.actorId !== undefined ? [q.limit, q.actorId] : [q.limit],
    );
    return rows.map((r) => ({
      at: new Date(r.at).toISOString(),
      actor: r.actor,
      query: r.query,
      parameters: r.parameters,
    }));
  }

  /** A stream as it stood at `at`: its events recorded by then, folded by its owner's evolve. */
  async streamAsOf(q: { readonly stream: string; readonly at: Date }, asker: Asker): Promise<StreamAsOf> {
    const all = await this.deps.store.readStream(q.stream);
    if (all.length === 0)
      throw new NotFoundError('audit.stream_not_found', `the log holds no stream ${q.stream}`, { stream: q.stream });
    const events = recordedBy(all, q.at);
    const { state, folder } = replayState(q.stream, events);
    const last = events[events.length - 1];
    return {
      stream: q.stream,
      at: q.at.toISOString(),
      version: last === undefined ? null : last.streamVersion,
      events: await this.deps.presenter.entries(events, asker),
      state: { folder, ...(plainJson(state) as Record<string, unknown>) },
    };
  }
}
