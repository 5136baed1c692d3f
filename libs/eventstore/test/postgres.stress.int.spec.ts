/**
 * The store under fire: 32 writers (single events and batches, exact and `any` versions) while
 * other connections hold transaction ids open, take table locks, poll `pg_locks` and terminate
 * appending connections, and a few appending backends stall a few milliseconds each time they
 * lock their new transaction id, as a busy machine's scheduler may stall them there (gdb, where
 * the server is local). Two catch-up subscriptions and a plain `readAll` reader record what they
 * see: every acknowledged event must reach each of them exactly once, and each must see exactly
 * what the table holds in the end, each stream in order without a gap; so must a third
 * subscription, to the `member` category alone, of the member events. A control reader with
 * the horizon as it was before the fix runs beside them; what it lost is printed, not asserted.
 * Bounded: about 20 seconds of load (STRESS_SECONDS).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import {
  comparePositions,
  START,
  type EventStore,
  type GlobalPosition,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import { openEventStore } from '../src/open.js';
import { isLocalBackend, stallAt, whyNoFreezing } from './freeze.js';
import { legacyReader } from './legacy-horizon.js';
import { withPostgres } from './postgres.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

const SECONDS = Number(process.env.STRESS_SECONDS ?? 15);
const WRITERS = 32;
/** Appending backends that stall when they lock their transaction id, and for how long. */
const STALLED = 4;
const STALL_MS = 200;
/** The store's connections in an append (the test's own connections, whose queries hold these words, are left out). */
const APPENDING = `application_name = 'workshare-eventstore' AND state = 'active' AND (query LIKE '%WITH appender AS%' OR query LIKE '%append_events(%')`;

type Seen = Pick<RecordedEvent, 'id' | 'streamName' | 'streamVersion' | 'position'>;

withPostgres(
  'PostgreSQL stress: 32 writers, perturbing transactions, pg_locks pollers, killed connections',
  (url, schema) => {
    let stressUrl: string;
    let readers: EventStore;
    let pool: pg.Pool;

    beforeAll(async () => {
      stressUrl = await url();
      readers = await openEventStore(await url(), { schema, maxConnections: 6 });
      pool = new pg.Pool({ connectionString: await url(), max: 12 });
      pool.on('error', () => undefined);
    });
    afterAll(async () => {
      await readers?.close();
      await pool?.end();
    });

    it(
      'every acknowledged event reaches every subscriber and the reader exactly once, in stream order',
      async () => {
        const deadline = Date.now() + SECONDS * 1000;
        const running = () => Date.now() < deadline;

        // Writers, in two processes of their own (16 each), running the built store.
        const writerProcess = (
          first: number,
        ): Promise<{ acknowledged: string[]; appends: number; refused: number; killed: number }> =>
          new Promise((resolve, reject) => {
            const child = spawn(
              process.execPath,
              [
                join(__dirname, 'stress-writer.mjs'),
                stressUrl,
                schema,
                String(WRITERS / 2),
                String(SECONDS),
                String(first),
              ],
              {
                stdio: ['ignore', 'pipe', 'pipe'],
              },
            );
            let out = '';
            let err = '';
            child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
            child.on('exit', (code) =>
              code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`stress writer exited ${code}: ${err}`)),
            );
          });

        // Perturbers on their own connections.
        const holdXids = async () => {
          while (running()) {
            const client = await pool.connect();
            try {
              await client.query('BEGIN');
              await client.query('SELECT pg_current_xact_id()');
              await sleep(20 + Math.random() * 300);
              await client.query('COMMIT');
            } catch {
              await client.query('ROLLBACK').catch(() => undefined);
            } finally {
              client.release();
            }
          }
        };
        const lockTable = async () => {
          while (running()) {
            const client = await pool.connect();
            try {
              await client.query('BEGIN');
              await client.query(`LOCK TABLE ${schema}.events IN SHARE MODE`);
              await sleep(Math.random() * 15);
              await client.query('COMMIT');
            } catch {
              await client.query('ROLLBACK').catch(() => undefined);
            } finally {
              client.release();
            }
            await sleep(100 + Math.random() * 200);
          }
        };
        const pollLocks = async () => {
          while (running()) await pool.query('SELECT count(*) FROM pg_locks').catch(() => undefined);
        };
        const stalledPids = new Set<number>();
        const killAppenders = async () => {
          while (running()) {
            await sleep(50 + Math.random() * 150);
            const rows = (
              await pool
                .query(`SELECT pid FROM pg_stat_activity WHERE ${APPENDING} AND pid <> pg_backend_pid()`)
                .catch(() => ({ rows: [] }))
            ).rows as { pid: number }[];
            const victims = rows.filter((r) => !stalledPids.has(r.pid)); // the stalled ones keep stalling
            if (victims.length === 0) continue;
            await pool.query('SELECT pg_terminate_backend($1)', [pick(victims).pid]).catch(() => undefined);
          }
        };

        // Readers: two subscriptions (small and larger pages), a plain readAll loop, and a
        // subscription to one of the two categories the writers append to (member streams).
        const seen: Record<'small' | 'large' | 'plain', Seen[]> = { small: [], large: [], plain: [] };
        const members: Seen[] = [];
        const memberSubscription = readers.subscribe({
          subscriptionId: 'stress-members',
          handle: (e) => void members.push(e),
          categories: ['member'],
          batchSize: 7,
          pollIntervalMs: 2,
        });
        const small = readers.subscribe({
          subscriptionId: 'stress-small',
          handle: (e) => void seen.small.push(e),
          batchSize: 20,
          pollIntervalMs: 1,
        });
        const large = readers.subscribe({
          subscriptionId: 'stress-large',
          handle: (e) => void seen.large.push(e),
          batchSize: 200,
          pollIntervalMs: 3,
        });
        let plainAt: GlobalPosition = START;
        let plainStop = false;
        const plain = (async () => {
          while (!plainStop) {
            const page = await readers.readAll({ after: plainAt, limit: 13 });
            for (const e of page) seen.plain.push(e);
            if (page.length > 0) plainAt = page[page.length - 1]!.position;
            else await sleep(1);
          }
        })();

        // The control: the old horizon, read the same way (it shares nothing with the store).
        const control = legacyReader(pool, schema);
        const controlSeen = new Set<string>();
        let controlAt: GlobalPosition = START;
        const controlLoop = (async () => {
          while (!plainStop) {
            const page = await control.readAll({ after: controlAt, limit: 13 }).catch(() => []);
            for (const e of page) controlSeen.add(e.id);
            if (page.length > 0) controlAt = page[page.length - 1]!.position;
            else await sleep(1);
          }
        })();

        // Stalls: the first appending backends seen (within 5 s) stall from then on.
        const stalls = (async () => {
          const why = whyNoFreezing();
          if (why) return { ended: () => Promise.resolve(), note: `no stalls: ${why}` };
          const live: { end(): Promise<void> }[] = [];
          let pending = 0;
          for (const until = Date.now() + 5000; live.length < STALLED && Date.now() < until; await sleep(5)) {
            for (const { pid } of (await pool.query(`SELECT pid FROM pg_stat_activity WHERE ${APPENDING}`)).rows as {
              pid: number;
            }[]) {
              if (live.length + pending >= STALLED || stalledPids.has(pid) || !isLocalBackend(pid)) continue;
              stalledPids.add(pid);
              pending++;
              // A backend may end before gdb is attached (a killed connection): another is taken.
              stallAt(pid, 'XactLockTableInsert', STALL_MS)
                .then(
                  (stall) => void live.push(stall),
                  () => undefined,
                )
                .finally(() => pending--);
            }
          }
          while (pending > 0) await sleep(10);
          if (live.length === 0)
            return {
              ended: () => Promise.resolve(),
              note: 'no stalls: no appending backend of this machine could be traced',
            };
          return {
            ended: () => Promise.all(live.map((a) => a.end())).then(() => undefined),
            note: `${live.length} appending backends stalled ${STALL_MS} ms at each transaction id lock`,
          };
        })();

        const [written] = await Promise.all([
          Promise.all([writerProcess(0), writerProcess(WRITERS / 2)]),
          holdXids(),
          holdXids(),
          lockTable(),
          pollLocks(),
          pollLocks(),
          pollLocks(),
          killAppenders(),
        ]);

        const acknowledged = new Set(written.flatMap((w) => w.acknowledged));
        const stats = { appends: 0, refused: 0, killed: 0 };
        for (const w of written) for (const k of ['appends', 'refused', 'killed'] as const) stats[k] += w[k];
        const stalled = await stalls;
        await stalled.ended();

        // Everything has ended: the readers catch up with the table.
        await small.caughtUp();
        await large.caughtUp();
        await memberSubscription.caughtUp();
        const head = await readers.headPosition();
        while (comparePositions(plainAt, head) < 0 || comparePositions(controlAt, head) < 0) await sleep(5);
        plainStop = true;
        await plain;
        await controlLoop;
        await small.stop();
        await large.stop();
        await memberSubscription.stop();

        const table = (await pool.query(`SELECT event_id AS id, stream_name, stream_version FROM ${schema}.events`))
          .rows as { id: string; stream_name: string; stream_version: string }[];
        const stored = new Set(table.map((r) => r.id));
        const lost = [...acknowledged].filter((id) => !controlSeen.has(id)).length;
        console.log(
          `stress: ${stats.appends} appends acknowledged (${acknowledged.size} events), ${stats.refused} refused versions, ${stats.killed} killed; ` +
            `${stalled.note}; ${stored.size} events stored, each seen once by every reader; the old horizon's reader lost ${lost}`,
        );
        expect(stats.appends).toBeGreaterThan(500);
        expect(stats.killed).toBeGreaterThan(0);
        for (const id of acknowledged) expect(stored.has(id)).toBe(true);

        for (const [name, events] of Object.entries(seen)) {
          const ids = events.map((e) => e.id);
          const got = new Set(ids);
          const missing = [...acknowledged].filter((id) => !got.has(id));
          expect({ reader: name, missingAcknowledged: missing.length }).toEqual({
            reader: name,
            missingAcknowledged: 0,
          });
          expect({ reader: name, repeated: ids.length - got.size }).toEqual({ reader: name, repeated: 0 });
          expect({ reader: name, count: ids.length }).toEqual({ reader: name, count: stored.size });
          for (let i = 1; i < events.length; i++)
            expect(comparePositions(events[i - 1]!.position, events[i]!.position)).toBeLessThan(0);
          const versions = new Map<string, number[]>();
          for (const e of events) versions.set(e.streamName, [...(versions.get(e.streamName) ?? []), e.streamVersion]);
          for (const [stream, vs] of versions)
            expect({ stream, versions: vs }).toEqual({ stream, versions: vs.map((_, i) => i) });
        }

        // The member subscription: exactly the member events the table holds, each once, in order.
        const storedMembers = new Set(table.filter((r) => r.stream_name.startsWith('member-')).map((r) => r.id));
        const memberIds = members.map((e) => e.id);
        expect(storedMembers.size).toBeGreaterThan(0);
        expect({ repeated: memberIds.length - new Set(memberIds).size }).toEqual({ repeated: 0 });
        expect(new Set(memberIds)).toEqual(storedMembers);
        for (let i = 1; i < members.length; i++)
          expect(comparePositions(members[i - 1]!.position, members[i]!.position)).toBeLessThan(0);
        const memberVersions = new Map<string, number[]>();
        for (const e of members)
          memberVersions.set(e.streamName, [...(memberVersions.get(e.streamName) ?? []), e.streamVersion]);
        for (const [stream, vs] of memberVersions)
          expect({ stream, versions: vs }).toEqual({ stream, versions: vs.map((_, i) => i) });
      },
      SECONDS * 1000 + 60_000,
    );
  },
);
