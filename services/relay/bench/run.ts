/**
 * Relay benchmarks, with two relay processes (the built dist/src/main.js, as pods run it) on a
 * PostgreSQL store and NATS JetStream, recorded in bench-results.json at the repository root:
 *
 * 1. Failover: the log is quiet and fully published; the active replica is killed with SIGKILL
 *    and an event is appended at once. The figure is the time from the kill to that event's
 *    publish reaching a NATS subscriber of the stream's subjects: the standby takes the lease
 *    (PostgreSQL dropped the dead session's lock), starts its relay from the checkpoint, and
 *    publishes; that event is the first it publishes. The killed replica is started again as
 *    the next standby; BENCH_RELAY_FAILOVERS rounds, median and worst recorded. Baseline: the
 *    lease's retry interval (how often a standby asks); target < 2× it.
 * 2. Append → handler latency at a steady 1,000 events/s: each event is appended to the store
 *    with its send time; the active relay process publishes it and a bus consumer's handler (in
 *    this process, with its ledger) takes the difference. 2 s of warm-up at that rate, then
 *    BENCH_SECONDS measured. Baseline: raw JetStream publish → consume at the same rate, measured
 *    the same way. Target p99 < 50 ms.
 *
 *   npm run build && npm run bench     (from services/relay)
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test: the database `bench_relay` is
 * created on its server, dropped and created again each run, and dropped at the end), NATS_URL
 * (default nats://127.0.0.1:4222), BENCH_SECONDS (8), BENCH_RELAY_FAILOVERS (10),
 * BENCH_RELAY_RATE (1,000 events/s), BENCH_RELAY_LEASE_RETRY_MS (250, the relay's default).
 * Missed targets are reported (met: false), not failed.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, headers, nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  atSteadyRate,
  below,
  formatNumber,
  percentile,
  positiveSetting,
  positiveWholeSetting,
  recordResults,
  summarizeLatencies,
  type BenchResult,
  type LatencySummary,
} from '@workshare/bench';
import { ensureStream, NatsEventBus } from '@workshare/bus';
import type { EventStore } from '@workshare/eventsourcing';
import { createPostgresDatabase, dropPostgresDatabase, openEventStore } from '@workshare/eventstore';
import { createLogger } from '@workshare/telemetry/logger';
import { DEFAULT_LEASE_RETRY_MS } from '../src/config.js';
import { HOLDS_LEASE, STANDING_BY, startReplica, type Replica, type ReplicaSettings } from './replicas.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const config = {
  failovers: positiveWholeSetting('BENCH_RELAY_FAILOVERS', 10),
  latencyMs: positiveSetting('BENCH_SECONDS', 8) * 1000,
  warmupMs: 2_000,
  rate: positiveSetting('BENCH_RELAY_RATE', 1_000),
  retryMs: positiveWholeSetting('BENCH_RELAY_LEASE_RETRY_MS', DEFAULT_LEASE_RETRY_MS),
};
const DATABASE = 'bench_relay';
const run = randomBytes(3).toString('hex');
const stream = `BENCH_RELAY_${run}`;
const subjectPrefix = `benchrelay${run}`;
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const quiet = createLogger('bench', {
  level: 'error',
  destination: { write: (line) => void process.stderr.write(line) },
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const waitFor = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
};

/** A realistic integration event: a handed-off task with a progress note (~300 bytes of data). */
const newEvent = (seq: number, sentAt: number) => ({
  type: 'TaskHandedOff',
  data: {
    seq,
    taskId: `task-${seq}`,
    from: 'member-hanako',
    to: 'member-yuki',
    reason: 'sick child',
    note: '進捗: 見出しまで入力済み。残りは表の2ページ目から。'.repeat(2),
    sentAt,
  },
  metadata: {
    actor: 'member-hanako',
    traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
  },
});

const warmupCount = (): number => Math.round((config.warmupMs * config.rate) / 1000);

interface Platform {
  store: EventStore;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  settings: ReplicaSettings;
  replicas: Replica[];
  /** When a publish carrying each event id (its Nats-Msg-Id) first reached this process. */
  seen: Map<string, number>;
}

const show = (label: string, s: LatencySummary) =>
  console.log(
    `${label}: p50 ${s.p50.toFixed(1)} ms, p90 ${s.p90.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (${formatNumber(s.count)} events)`,
  );

/** The replica holding the lease: the one whose latest lease line says so. */
const activeOf = (replicas: readonly Replica[]): Replica => {
  const holding = replicas.filter((r) => r.alive && r.linesMatching(HOLDS_LEASE).length > 0);
  const latest = holding.sort(
    (a, b) =>
      Date.parse(String(b.linesMatching(HOLDS_LEASE).at(-1)?.time)) -
      Date.parse(String(a.linesMatching(HOLDS_LEASE).at(-1)?.time)),
  )[0];
  if (latest === undefined) throw new Error('no relay replica holds the lease');
  return latest;
};

/** Appends one event and waits until a relay has published it and checkpointed past it (the log is quiet). */
const settle = async (p: Platform, label: string): Promise<void> => {
  const { events } = await p.store.append(`quiet-${label}`, [{ type: 'Quiet', data: {} }]);
  const id = events[0]!.id;
  await waitFor('a quiet event to be published', () => p.seen.has(id));
  const head = await p.store.headPosition();
  await waitFor('the relay checkpoint to reach the head of the log', async () => {
    const checkpoint = await p.store.readCheckpoint('workshare-relay');
    return checkpoint !== undefined && checkpoint.commit === head.commit && checkpoint.prepare === head.prepare;
  });
};

const benchFailover = async (p: Platform): Promise<BenchResult[]> => {
  const samples: number[] = [];
  for (let round = 0; round < config.failovers; round++) {
    await settle(p, `${round}`);
    const active = activeOf(p.replicas);
    const standby = p.replicas.find((r) => r !== active && r.alive);
    if (standby === undefined) throw new Error('no standby replica');
    const holdsBefore = standby.linesMatching(HOLDS_LEASE).length;
    const killedAt = performance.now();
    active.child.process.kill('SIGKILL');
    // Appended after the kill: only the next holder can publish it, and it is the first it publishes.
    const { events } = await p.store.append(`failover-${round}`, [{ type: 'FailedOver', data: { round } }]);
    const id = events[0]!.id;
    await waitFor('the standby to publish the event appended after the kill', () => p.seen.has(id), 30_000);
    const ms = p.seen.get(id)! - killedAt;
    samples.push(ms);
    await active.exited;
    await waitFor(
      'the standby to say it holds the lease',
      () => standby.linesMatching(HOLDS_LEASE).length > holdsBefore,
    );
    console.log(
      `  failover ${round + 1}/${config.failovers}: ${ms.toFixed(0)} ms from kill -9 to the first publish of ${standby.label}`,
    );
    // The killed replica comes back as the next standby (as its pod or the launcher would restart it).
    p.replicas.splice(p.replicas.indexOf(active), 1);
    const next = await startReplica(`${active.label.split('#')[0]}#${round + 1}`, p.settings);
    p.replicas.push(next);
    await next.waitForLine(STANDING_BY);
  }
  const median = percentile(samples, 50);
  const worst = Math.max(...samples);
  console.log(
    `failover: median ${median.toFixed(0)} ms, worst ${worst.toFixed(0)} ms over ${samples.length} kills (lease asked for every ${config.retryMs} ms)`,
  );
  const baseline = `lease retry interval (RELAY_LEASE_RETRY_MS=${config.retryMs}), how often a standby asks`;
  return [
    below({
      name: 'relay: failover, kill -9 of the active replica → first event published by the standby (median)',
      value: median,
      unit: 'ms',
      max: 2 * config.retryMs,
      baseline,
      baselineValue: config.retryMs,
    }),
    below({
      name: 'relay: failover, kill -9 of the active replica → first event published by the standby (worst)',
      value: worst,
      unit: 'ms',
      max: 2 * config.retryMs,
      baseline,
      baselineValue: config.retryMs,
    }),
  ];
};

/** Raw JetStream publish → consume latency at the steady rate, on a stream of its own. */
const rawLatency = async (p: Platform): Promise<LatencySummary> => {
  const rawStream = `${stream}_RAW`;
  const prefix = `${subjectPrefix}raw`;
  await ensureStream(p.jsm, rawStream, [`${prefix}.>`]);
  try {
    await p.jsm.consumers.add(rawStream, { durable_name: 'raw', ack_policy: 'explicit', ack_wait: nanos(30_000) });
    const consumer = await p.js.consumers.get(rawStream, 'raw');
    const samples: number[] = [];
    let received = 0;
    const messages = await consumer.consume({ max_messages: 64 });
    const consuming = (async () => {
      for await (const m of messages) {
        const { sentAt, seq } = m.json<{ data: { sentAt: number; seq: number } }>().data;
        if (seq >= warmupCount()) samples.push(performance.now() - sentAt);
        received++;
        m.ack();
      }
    })();
    const sent = await atSteadyRate(config.rate, config.warmupMs + config.latencyMs, async (i) => {
      const event = newEvent(i, performance.now());
      const wire = { id: randomBytes(16).toString('hex'), ...event, streamName: `task-${i % 100}` };
      const h = headers();
      h.set('traceparent', event.metadata.traceparent);
      await p.js.publish(`${prefix}.task.TaskHandedOff`, JSON.stringify(wire), { msgID: wire.id, headers: h });
    });
    await waitFor('every raw message', () => received >= sent);
    await messages.close();
    await consuming;
    return summarizeLatencies(samples);
  } finally {
    await p.jsm.streams.delete(rawStream).catch(() => false);
  }
};

interface RelayLatency {
  /** Send → the store acknowledged the append. */
  appended: LatencySummary;
  /** Send → the relay's publish reached a subscriber of the subject. */
  published: LatencySummary;
  /** Send → the bus consumer's handler. */
  handled: LatencySummary;
}

/** Append → handler latency through the relay process and a bus consumer here, at the steady rate. */
const relayLatency = async (p: Platform): Promise<RelayLatency> => {
  const bus = NatsEventBus.start({ url: natsUrl, stream, subjectPrefix, log: quiet });
  try {
    await bus.ready;
    const category = `lat${run}`;
    const samples: number[] = [];
    let received = 0;
    let warmedUp = false;
    const sub = bus.subscribe({
      consumer: `latency_${run}`,
      filter: { contexts: [category] },
      handle: (event) => {
        if (event.type === 'WarmedUp') warmedUp = true;
        const { sentAt, seq } = event.data;
        if (typeof sentAt !== 'number' || typeof seq !== 'number') return;
        received++;
        if (seq >= warmupCount()) samples.push(performance.now() - sentAt);
      },
    });
    await sub.ready;
    try {
      await p.store.append(`${category}-warmup`, [{ type: 'WarmedUp', data: {} }]);
      await waitFor('the consumer to be live', () => warmedUp);
      const measured: { id: string; sentAt: number; appendedAt: number }[] = [];
      const sent = await atSteadyRate(config.rate, config.warmupMs + config.latencyMs, async (i) => {
        const sentAt = performance.now();
        const { events } = await p.store.append(`${category}-${i % 100}`, [newEvent(i, sentAt)]);
        if (i >= warmupCount()) measured.push({ id: events[0]!.id, sentAt, appendedAt: performance.now() });
      });
      await waitFor('every event at the handler', () => received >= sent, 120_000);
      return {
        appended: summarizeLatencies(measured.map((m) => m.appendedAt - m.sentAt)),
        published: summarizeLatencies(measured.map((m) => (p.seen.get(m.id) ?? Number.NaN) - m.sentAt)),
        handled: summarizeLatencies(samples),
      };
    } finally {
      await sub.stop();
    }
  } finally {
    await bus.close();
  }
};

const benchLatency = async (p: Platform): Promise<BenchResult[]> => {
  const raw = await rawLatency(p);
  show('raw JetStream publish → consume', raw);
  const latency = await relayLatency(p);
  show('  of which: append acknowledged by the store', latency.appended);
  show('  of which: published by the relay process', latency.published);
  const relayed = latency.handled;
  show('append → relay process → JetStream → handler', relayed);
  const rawLabel = `raw JetStream publish → consume at ${formatNumber(config.rate)} events/s`;
  return [
    below({
      name: `relay: append → handler latency p50 at ${formatNumber(config.rate)} events/s (relay process, PostgreSQL store)`,
      value: relayed.p50,
      unit: 'ms',
      max: 50,
      baseline: `${rawLabel}, p50`,
      baselineValue: raw.p50,
    }),
    below({
      name: `relay: append → handler latency p99 at ${formatNumber(config.rate)} events/s (relay process, PostgreSQL store)`,
      value: relayed.p99,
      unit: 'ms',
      max: 50,
      baseline: `${rawLabel}, p99`,
      baselineValue: raw.p99,
    }),
  ];
};

const main = async (): Promise<void> => {
  const began = performance.now();
  console.log(
    `relay bench: NATS ${natsUrl}; PostgreSQL database ${DATABASE}; ${config.failovers} failovers (lease asked for every ${config.retryMs} ms); latency at ${formatNumber(config.rate)} events/s for ${config.latencyMs / 1000} s`,
  );
  const storeUrl = await createPostgresDatabase(databaseUrl, DATABASE);
  const store = await openEventStore(storeUrl, { maxConnections: 16 });
  const nc = await connect({ servers: natsUrl, name: 'relay-bench' });
  const jsm = await jetstreamManager(nc);
  const settings: ReplicaSettings = {
    packageRoot,
    storeUrl,
    natsUrl,
    stream,
    subjectPrefix,
    leaseId: 1,
    leaseRetryMs: config.retryMs,
  };
  const p: Platform = { store, nc, js: jetstream(nc), jsm, settings, replicas: [], seen: new Map() };
  const results: BenchResult[] = [];
  try {
    await ensureStream(jsm, stream, [`${subjectPrefix}.>`]);
    // Every publish of the relays, as it reaches a subscriber of the stream's subjects.
    nc.subscribe(`${subjectPrefix}.>`, {
      callback: (_error, m) => {
        const id = m.headers?.get('Nats-Msg-Id');
        if (id && !p.seen.has(id)) p.seen.set(id, performance.now());
      },
    });
    const first = await startReplica('a', settings);
    p.replicas.push(first);
    await first.waitForLine(HOLDS_LEASE);
    const second = await startReplica('b', settings);
    p.replicas.push(second);
    await second.waitForLine(STANDING_BY);
    results.push(...(await benchFailover(p)));
    recordResults(results, { print: null });
    results.push(...(await benchLatency(p)));
  } finally {
    await Promise.all(p.replicas.map((r) => r.kill('SIGKILL')));
    for (const name of [stream, `KV_${stream}_ledger`]) await jsm.streams.delete(name).catch(() => false);
    await nc.close();
    await store.close();
    await dropPostgresDatabase(databaseUrl, DATABASE);
  }
  recordResults(results);
  const missed = results.filter((r) => !r.met);
  console.log(
    `\n${results.length - missed.length}/${results.length} targets met; total ${((performance.now() - began) / 1000).toFixed(0)} s`,
  );
  if (missed.length > 0) console.log(`missed: ${missed.map((r) => r.name).join('; ')}`);
};

main().catch((error: unknown) => {
  console.error('relay bench failed:', error);
  process.exitCode = 1;
});
