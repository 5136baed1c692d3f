/**
 * The built relay as its own process (`node --import @workshare/telemetry/register
 * dist/src/main.js`), refusing what it cannot run on, before it opens anything: exit code 1 and
 * every problem named. (Running it is the failover suite's: it needs PostgreSQL and NATS.)
 */
import path from 'node:path';
import { spawnServiceProcess } from '@workshare/service-host';

const packageRoot = path.resolve(__dirname, '..');

const startWith = async (env: Record<string, string>) => {
  const child = spawnServiceProcess(packageRoot, env);
  const exit = await child.exited;
  return { exit, stderr: child.stderr.join('') };
};

describe('services/relay/dist/src/main.js', () => {
  it('refuses an embedded store and a missing NATS_URL with exit code 1, naming both', async () => {
    const { exit, stderr } = await startWith({ EVENTSTORE_URL: 'embedded:memory' });
    expect(exit).toEqual({ code: 1, signal: null });
    expect(stderr).toContain('relay could not start');
    expect(stderr).toContain('EVENTSTORE_URL must be a PostgreSQL store');
    expect(stderr).toContain('NATS_URL must be set');
  }, 60_000);

  it('refuses a KurrentDB store: its lease is a PostgreSQL advisory lock', async () => {
    const { exit, stderr } = await startWith({
      EVENTSTORE_URL: 'kurrentdb://127.0.0.1:2113?tls=false',
      NATS_URL: 'nats://127.0.0.1:4222',
    });
    expect(exit).toEqual({ code: 1, signal: null });
    expect(stderr).toContain('not supported on KurrentDB');
  }, 60_000);
});
