/**
 * NATS unreachable at start: the bus logs a clear error naming the URL and retries with backoff,
 * without throwing or exiting; once a server appears on that port (a throw-away nats-server
 * started here), it connects, sets up its stream, and events flow.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore } from '@workshare/eventstore';
import type { RecordedEvent } from '@workshare/eventsourcing';
import { NatsEventBus } from '../src/index.js';
import { collectingLogger } from './contract.js';
import { eventually } from './support/wait.js';
import { describeNeeding, freePort, natsServerBinary } from './support/nats.js';

const natsServer = natsServerBinary();

describeNeeding('NATS unreachable at start', { 'nats-server (NATS_SERVER_BIN)': natsServer }, (found) => {
  const natsServerBin = found['nats-server (NATS_SERVER_BIN)'];
  describe('NATS unreachable at start', () => {
    let server: ChildProcess | undefined;
    const dataDir = mkdtempSync(join(tmpdir(), 'bus-nats-'));

    afterAll(async () => {
      if (server && server.exitCode === null) {
        const exited = new Promise((resolve) => server!.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('logs the URL, retries with growing waits without throwing, then connects when the server comes up', async () => {
      const port = await freePort();
      const url = `nats://127.0.0.1:${port}`;
      const log = collectingLogger();
      const store = await openEventStore('embedded:memory');
      const received: RecordedEvent[] = [];
      // Nothing listens on the port: none of these calls may throw.
      const bus = NatsEventBus.start({
        url,
        stream: 'BUS_UNREACHABLE',
        subjectPrefix: 'busunreachable',
        log,
        connectRetry: { initialDelayMs: 100, maxDelayMs: 400 },
      });
      const relay = bus.startRelay({ store, pollIntervalMs: 10 });
      const sub = bus.subscribe({ consumer: 'late', handle: (e) => void received.push(e) });
      try {
        const failures = () => log.lines.filter((l) => l.level === 'error' && l.message.includes(url));
        await eventually('four logged connection failures', () => failures().length >= 4);
        expect(failures()[0]!.message).toMatch(
          new RegExp(
            `NATS at ${url.replace(/[.]/g, '\\.')} is unreachable \\(.*connection refused.*\\); retrying in 100 ms`,
          ),
        );
        expect(
          failures()
            .slice(0, 4)
            .map((l) => l.fields.retryInMs),
        ).toEqual([100, 200, 400, 400]);
        expect(bus.failedConnectAttempts).toBeGreaterThanOrEqual(4);
        const [event] = (await store.append('member-1', [{ type: 'MemberRegistered', data: { id: '1' } }])).events;

        server = spawn(natsServerBin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dataDir], {
          stdio: 'ignore',
        });
        await bus.ready;
        await sub.ready;
        await eventually('the event at the consumer', () => received.some((e) => e.id === event!.id));
        expect(log.lines.some((l) => l.level === 'info' && l.message === 'connected to NATS')).toBe(true);
      } finally {
        await relay.stop();
        await sub.stop();
        await bus.close();
        await store.close();
      }
    }, 60_000);

    it('closes promptly while still waiting for an unreachable server', async () => {
      const url = `nats://127.0.0.1:${await freePort()}`;
      const log = collectingLogger();
      const store = await openEventStore('embedded:memory');
      const bus = NatsEventBus.start({
        url,
        stream: 'BUS_NEVER',
        subjectPrefix: 'busnever',
        log,
        connectRetry: { initialDelayMs: 50, maxDelayMs: 50 },
      });
      const relay = bus.startRelay({ store });
      bus.subscribe({ consumer: 'never', handle: () => undefined });
      try {
        await eventually('a logged connection failure', () => log.lines.some((l) => l.level === 'error'));
        const closing = bus.close().then(() => 'closed');
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          closing,
          new Promise((resolve) => (timer = setTimeout(() => resolve('still waiting'), 5_000))),
        ]);
        clearTimeout(timer);
        expect(outcome).toBe('closed');
        await expect(relay.done).resolves.toBeUndefined();
        await expect(bus.ready).rejects.toThrow();
      } finally {
        await store.close();
      }
    });
  });
});
