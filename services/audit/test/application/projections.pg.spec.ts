/**
 * The audit's table projections on PostgreSQL (SqlTableProjection of @workshare/eventstore): a
 * log of schedules and timesheets folded page by page into the query tables, then a page written
 * twice (idempotence), a pass that dies midway and resumes from its checkpoint, a rebuild from
 * zero with progress, and a new code version that rebuilds at the first use: each ends in the
 * same tables as a clean fold. In a throw-away database of its own.
 */
import { randomUUID } from 'node:crypto';
import type {
  EventStore,
  ProjectionStore,
  RebuildProgress,
  TableProjection,
  TableRows,
} from '@workshare/eventsourcing';
import { openEventStore, openServiceProjections, SqlTableProjection } from '@workshare/eventstore';
import { auditReadModels } from '../../src/application/audit-service.js';
import { historyProjection } from '../../src/application/history-projection.js';
import { throwAwayDatabase, withPostgres } from '../postgres.js';
import { receivedTasks, scheduleEvents, timesheetEvents, tokyo } from '../producers.js';

const JOBS = 20;
const TASKS_PER_JOB = 10;
const MEMBERS = 30;

withPostgres('the audit projections on PostgreSQL', (DATABASE_URL) => {
  let database: { url: string; drop(): Promise<void> };
  let store: EventStore;
  let projections: ProjectionStore;
  const members = Array.from({ length: MEMBERS }, () => randomUUID());
  const tasks: { jobId: string; taskId: string }[] = [];
  let appended = 0;

  beforeAll(async () => {
    database = await throwAwayDatabase(DATABASE_URL, 'projections');
    store = await openEventStore(database.url);
    projections = await openServiceProjections(store, 'audit');
    for (let j = 0; j < JOBS; j++) {
      const jobId = randomUUID();
      const own = Array.from({ length: TASKS_PER_JOB }, (_, i) => ({ taskId: randomUUID(), title: `task ${j}.${i}` }));
      const day = tokyo(`2026-11-${String(2 + (j % 20)).padStart(2, '0')}T09:00:00`).getTime();
      const events = [
        receivedTasks(
          { jobId, businessId: randomUUID(), regionId: j % 2 === 0 ? 'fujisato' : 'setagaya', tasks: own },
          new Date(day),
        ),
      ];
      own.forEach(({ taskId }, i) => {
        tasks.push({ jobId, taskId });
        const a = members[(j + i) % MEMBERS]!;
        const b = members[(j + i + 1) % MEMBERS]!;
        events.push({
          type: 'TaskAssigned',
          at: new Date(day + i * 60_000),
          data: {
            taskId,
            memberId: a,
            start: '2026-11-04T01:00:00.000Z',
            end: '2026-11-04T01:40:00.000Z',
            teamRegionId: 'fujisato',
            by: 'system:team-scheduling',
            reason: 'scheduled',
          },
        } as never);
        events.push({
          type: 'TaskHandedOff',
          at: new Date(day + 3_600_000 + i * 60_000),
          data: {
            taskId,
            fromMemberId: a,
            toMemberId: b,
            start: '2026-11-04T02:00:00.000Z',
            end: '2026-11-04T02:40:00.000Z',
            teamRegionId: 'fujisato',
            reason: 'sick child',
            progressNote: '',
            by: a,
          },
        } as never);
      });
      await scheduleEvents(store, jobId, events);
      appended += events.length;
    }
    for (const [m, memberId] of members.entries()) {
      const entries = Array.from({ length: 10 }, (_, i) => ({
        type: 'TimeEntryRecorded' as const,
        at: new Date(Date.UTC(2026, 10, 4, 3, m, i)),
        data: {
          memberId,
          entryId: randomUUID(),
          taskId: tasks[(m * 10 + i) % tasks.length]!.taskId,
          jobId: tasks[(m * 10 + i) % tasks.length]!.jobId,
          regionId: 'fujisato',
          start: '2026-11-04T02:00:00.000Z',
          end: '2026-11-04T02:40:00.000Z',
          minutes: 40,
          source: 'manual' as const,
        },
      }));
      await timesheetEvents(store, memberId, [
        ...entries,
        {
          type: 'TimeEntryCorrected',
          at: new Date(Date.UTC(2026, 10, 5, 0, m)),
          data: {
            memberId,
            entryId: entries[0]!.data.entryId,
            start: '2026-11-04T02:00:00.000Z',
            end: '2026-11-04T02:30:00.000Z',
            minutes: 30,
            reason: 'typo',
          },
        },
      ]);
      appended += entries.length + 1;
    }
  }, 120_000);

  afterAll(async () => {
    await projections?.close();
    await store?.close();
    await database?.drop();
  });

  /** Every table of the history projection, as sorted rows (what "the same tables" means). */
  const snapshot = async (model: SqlTableProjection): Promise<Record<string, string[]>> => {
    const out: Record<string, string[]> = {};
    for (const table of historyProjection.tables) {
      const rows = await model.query<Record<string, unknown>>(`SELECT * FROM ${model.table(table.name)}`);
      out[table.name] = rows.map((r) => JSON.stringify(r)).sort();
    }
    return out;
  };

  const history = (projection: TableProjection = historyProjection, pageSize = 250) =>
    new SqlTableProjection(store, projections, projection, { pageSize, maxStalenessMs: 0 });

  let clean: Record<string, string[]>;

  it('folds the whole log into the query tables, page by page', async () => {
    const model = history();
    await model.catchUp();
    clean = await snapshot(model);
    expect(clean.holdings).toHaveLength(tasks.length * 2);
    expect(clean.hand_offs).toHaveLength(tasks.length);
    expect(clean.corrections).toHaveLength(MEMBERS);
    expect(model.status().documents.holdings).toBe(tasks.length * 2);
    const [row] = await model.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${model.table('log')}`);
    expect(Number(row!.n)).toBe(appended);
    // The read-models CLI lists it beside the document read models.
    expect((await projections.checkpoints()).get('history')?.position).toEqual(model.status().position);
  });

  it('answers who held a task from one index lookup', async () => {
    const model = history();
    await model.ready();
    const plan = await model.query<Record<string, string>>(
      `EXPLAIN (FORMAT TEXT) SELECT member_id FROM ${model.table('holdings')} WHERE task_id = $1 AND at <= $2 ORDER BY at DESC, commit_pos DESC, prepare_pos DESC LIMIT 1`,
      [tasks[0]!.taskId, new Date()],
    );
    const text = plan.map((row) => Object.values(row).join(' ')).join('\n');
    expect(text).toMatch(/Index (Only )?Scan using holdings_task_at/);
    expect(text).not.toMatch(/Seq Scan|Sort/);
  });

  it('writes a page twice and changes nothing', async () => {
    const { schema } = (projections as unknown as { sql: { schema: string } }).sql;
    const model = history();
    await model.ready();
    // As if a crash had come after the rows and before the checkpoint: the log is read again from the start.
    await model.query(
      `UPDATE ${schema}.projection_checkpoints SET commit_position = NULL, prepare_position = NULL WHERE name = 'history'`,
    );
    const again = history();
    await again.catchUp();
    expect(await snapshot(again)).toEqual(clean);
  });

  it('resumes from its checkpoint after a pass that died midway', async () => {
    const model = history();
    await model.rebuild();
    let pages = 0;
    const dying: TableProjection = {
      ...historyProjection,
      project: async (page, reads): Promise<TableRows> => {
        if (++pages === 4) throw new Error('the process died');
        return historyProjection.project(page, reads);
      },
    };
    const first = history(dying, 100);
    await expect(first.rebuild()).rejects.toThrow('the process died');
    const halfway = first.status().position;
    expect(halfway).toBeDefined();
    const resumed = history();
    await resumed.ready();
    expect(resumed.status().position).toEqual(halfway);
    await resumed.catchUp();
    expect(await snapshot(resumed)).toEqual(clean);
  });

  it('rebuilds from zero with progress, in a new generation', async () => {
    const model = history();
    await model.ready();
    const generation = model.status().generation;
    const seen: RebuildProgress[] = [];
    const last = await model.rebuild((p) => seen.push(p));
    expect(last).toMatchObject({ done: true, fraction: 1, events: appended + 0 });
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.map((p) => p.fraction)).toEqual([...seen.map((p) => p.fraction)].sort((a, b) => a - b));
    expect(model.status().generation).toBe(generation + 1);
    expect(await snapshot(model)).toEqual(clean);
  });

  it('rebuilds at the first use when its code version changes', async () => {
    const before = history();
    await before.ready();
    const generation = before.status().generation;
    const bumped: TableProjection = {
      ...historyProjection,
      definition: { ...historyProjection.definition, version: historyProjection.definition.version + 1 },
    };
    const model = history(bumped);
    await model.catchUp();
    expect(model.status()).toMatchObject({
      codeVersion: historyProjection.definition.version + 1,
      generation: generation + 1,
    });
    expect(await snapshot(model)).toEqual(clean);
    // Back to this code's version (the tables rebuilt once more).
    await history().catchUp();
  });

  it('keeps every projection of the audit (history, reconciliation, search) over the same log', async () => {
    const models = auditReadModels(store, projections, { pageSize: 1_000 });
    await Promise.all(models.map((m) => m.catchUp()));
    expect(models.map((m) => m.definition.name)).toEqual(['history', 'reconciliation', 'search']);
    const head = await store.headPosition();
    for (const model of models) expect(model.status().position).toEqual(head);
  });
});
