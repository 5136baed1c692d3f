/**
 * Fault test: the relay is killed (SIGKILL, in a process of its own) in the middle of a page,
 * after some of the page's publishes were acknowledged but before its checkpoint, then started
 * again. Every event reaches the consumer, none is lost, and the repeats are absorbed: by
 * JetStream's `Nats-Msg-Id` dedupe inside the duplicate window, and by the consumer's ledger once
 * the window has passed. Needs NATS (NATS_URL) and PostgreSQL (DATABASE_URL), which two processes
 * can share.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { comparePositions, type EventStore, type RecordedEvent } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { NatsEventBus, type BusSubscription } from '../src/index.js';
import { collectingLogger } from './contract.js';
import { describeNeeding, deleteStreams, uniqueName } from './support/nats.js';
import { eventually, sleep } from './support/wait.js';

const natsUrl = process.env.NATS_URL;
const databaseUrl = process.env.DATABASE_URL;

const EVENTS = 300;
const BATCH = 50;
/** Two pages checkpointed, then 20 acknowledgements into the third when the relay stalls and is killed. */
const STALL_AFTER = 120;

interface RelayRun {
  child: ChildProcess;
  /** Resolves with the first stdout line starting with `word`. */
  line(word: string): Promise<string>;
  exited: Promise<number | null>;
}

const startRelayProcess = (env: Record<string, string>): RelayRun => {
  const support = join(__dirname, 'support');
  const child = spawn(
    process.execPath,
    ['--import', join(support, 'register-ts.mjs'), join(support, 'relay-process.ts')],
    {
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  const listeners: (() => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const wake of listeners.splice(0)) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const line = async (word: string): Promise<string> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = lines.find((l) => l.startsWith(word));
      if (found) return found;
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`relay process gave no "${word}" line (exit ${child.exitCode}); stderr:\n${stderr}`);
      await Promise.race([new Promise<void>((resolve) => listeners.push(resolve)), sleep(200)]);
    }
  };
  return { child, line, exited };
};

const kill = async (run: RelayRun): Promise<void> => {
  if (run.child.exitCode === null) run.child.kill('SIGKILL');
  await run.exited;
};

describeNeeding('relay killed mid-page', { NATS_URL: natsUrl, DATABASE_URL: databaseUrl }, (found) => {
  describe('relay killed mid-page', () => {
    const schema = `bus_kill_${process.pid}_${randomBytes(3).toString('hex')}`;
    const streams: string[] = [];
    let store: EventStore;
    let events: RecordedEvent[] = [];

    beforeAll(async () => {
      store = await openEventStore(found.DATABASE_URL, { schema, maxConnections: 4 });
      for (let s = 0; s < EVENTS / 10; s++) {
        const appended = await store.append(
          `killtest-${s}`,
          Array.from({ length: 10 }, (_, i) => ({ type: 'PieceDone', data: { s, i } })),
        );
        events.push(...appended.events);
      }
      events = [...events].sort((a, b) => comparePositions(a.position, b.position));
    }, 60_000);

    afterAll(async () => {
      await store?.close();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
      await deleteStreams(found.NATS_URL, streams);
    }, 60_000);

    const scenario = async (duplicateWindowMs: number, waitPastWindow: boolean) => {
      const stream = uniqueName('BUS_KILL');
      const prefix = uniqueName('buskill');
      const relayId = `relay_${stream}`;
      streams.push(stream, `KV_${stream}_ledger`);
      const bus = NatsEventBus.start({
        url: natsUrl,
        stream,
        subjectPrefix: prefix,
        duplicateWindowMs,
        log: collectingLogger(),
      });
      const calls = new Map<string, number>();
      let sub: BusSubscription | undefined;
      const relayEnv = {
        NATS_URL: found.NATS_URL,
        RELAY_DATABASE_URL: found.DATABASE_URL,
        RELAY_SCHEMA: schema,
        RELAY_STREAM: stream,
        RELAY_PREFIX: prefix,
        RELAY_ID: relayId,
        RELAY_BATCH_SIZE: String(BATCH),
        RELAY_DUPLICATE_WINDOW_MS: String(duplicateWindowMs),
      };
      try {
        await bus.ready;
        sub = bus.subscribe({ consumer: 'killtest', handle: (e) => void calls.set(e.id, (calls.get(e.id) ?? 0) + 1) });
        await sub.ready;
        const jsm = await jetstreamManager(await bus.connection());
        const streamMessages = async () => (await jsm.streams.info(stream)).state.messages;

        // 1. The relay stalls after 120 acknowledged publishes, inside its third page, and is killed there.
        const first = startRelayProcess({ ...relayEnv, RELAY_STALL_AFTER: String(STALL_AFTER) });
        try {
          await first.line('stalled');
        } finally {
          await kill(first);
        }
        const checkpoint = await store.readCheckpoint(relayId);
        expect(checkpoint).toEqual(events[2 * BATCH - 1]!.position); // two whole pages; the third was never checkpointed
        const publishedBeforeKill = await streamMessages();
        expect(publishedBeforeKill).toBeGreaterThanOrEqual(STALL_AFTER);
        expect(publishedBeforeKill).toBeLessThanOrEqual(3 * BATCH);
        await eventually('the consumer to handle what was published', () => calls.size >= publishedBeforeKill);
        if (waitPastWindow) await sleep(duplicateWindowMs + 500);

        // 2. Started again, the relay publishes the third page again, then the rest.
        const second = startRelayProcess(relayEnv);
        let stats: { published: number; duplicates: number };
        try {
          stats = JSON.parse((await second.line('caught-up')).slice('caught-up '.length)) as {
            published: number;
            duplicates: number;
          };
        } finally {
          await kill(second);
        }
        const republished = publishedBeforeKill - 2 * BATCH;
        if (waitPastWindow) {
          expect(stats.duplicates).toBe(0); // the window has passed: the repeats are stored again...
          expect(await streamMessages()).toBe(EVENTS + republished);
        } else {
          expect(stats.duplicates).toBe(republished); // ...or, inside it, dropped by Nats-Msg-Id
          expect(await streamMessages()).toBe(EVENTS);
        }
        expect(await store.readCheckpoint(relayId)).toEqual(events[EVENTS - 1]!.position);

        // 3. Every event handled, each exactly once.
        await eventually('every event at the consumer', () => calls.size === EVENTS, 30_000);
        await eventually('the consumer to settle every message', async () => {
          const info = await jsm.consumers.info(stream, 'killtest');
          return info.num_ack_pending === 0 && info.num_pending === 0;
        });
        expect([...calls.keys()].sort()).toEqual(events.map((e) => e.id).sort());
        expect([...calls.values()].every((n) => n === 1)).toBe(true);
      } finally {
        await sub?.stop();
        await bus.close();
      }
    };

    it('loses nothing and handles nothing twice when killed inside the duplicate window (JetStream drops the repeats)', async () => {
      await scenario(120_000, false);
    }, 120_000);

    it('loses nothing and handles nothing twice when restarted after the window (the consumer ledger absorbs the repeats)', async () => {
      await scenario(1_000, true);
    }, 120_000);
  });
});
