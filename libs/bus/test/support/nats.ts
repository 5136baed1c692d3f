/**
 * Where the NATS tests find a server: NATS_URL (CI sets it). When it is unset, the suite prints
 * why and is skipped, as libs/eventstore/test/postgres.ts does for PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** A name of its own for one test file (stream, subject prefix, ledger), so parallel runs never collide. */
export const uniqueName = (label: string): string => `${label}_${process.pid}_${randomBytes(3).toString('hex')}`;

/**
 * Declares a suite that needs what the machine may lack (`needs`: each thing needed, by name, and
 * what was found for it: undefined when missing). Where something is missing the suite is skipped
 * and says why, except under CI (CI set), where it fails instead: no suite is hidden from the run
 * that lands a change.
 */
export const describeNeeding = <N extends Readonly<Record<string, string | undefined>>>(
  title: string,
  needs: N,
  declare: (found: { readonly [K in keyof N]: string }) => void,
): void => {
  const missing = Object.entries(needs)
    .filter(([, found]) => !found)
    .map(([name]) => name);
  if (missing.length === 0) return declare(needs as { readonly [K in keyof N]: string });
  const why = `${title} needs ${missing.join(' and ')}`;
  if (process.env.CI) {
    describe(title, () =>
      it('has what it needs', () => {
        throw new Error(`${why}: CI must provide it`);
      }),
    );
    return;
  }
  process.stderr.write(`${why}: skipped (CI provides it)\n`);
  describe.skip(title, () => it(why, () => undefined));
};

export const withNats = (title: string, declare: (url: string) => void): void =>
  describeNeeding(title, { NATS_URL: process.env.NATS_URL }, (found) => declare(found.NATS_URL));

/** A nats-server binary for the tests that start and kill their own broker: NATS_SERVER_BIN, else where Debian puts it. */
export const natsServerBinary = (): string | undefined =>
  [process.env.NATS_SERVER_BIN, '/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server'].find(
    (p): p is string => typeof p === 'string' && existsSync(p),
  );

/**
 * A headless Chromium for the browser tests (playwright-core drives it): CHROMIUM_BIN, else
 * Debian's `chromium` (/usr/bin/chromium, which .ci/run installs). A need of `describeNeeding`.
 */
export const chromiumBinary = (): string | undefined =>
  [process.env.CHROMIUM_BIN, '/usr/bin/chromium'].find((p): p is string => typeof p === 'string' && existsSync(p));

/** A loopback port free at the moment of asking, for a broker of the test's own. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** Deletes the streams a test file made (its event stream and its ledger bucket). */
export { deleteStreams } from '../../src/nats/streams.js';
