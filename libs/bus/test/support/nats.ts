/**
 * Where the NATS tests find a server: NATS_URL (CI sets it). When it is unset, the suite prints
 * why and is skipped, as libs/eventstore/test/postgres.ts does for PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

/** A name of its own for one test file (stream, subject prefix, ledger), so parallel runs never collide. */
export const uniqueName = (label: string): string => `${label}_${process.pid}_${randomBytes(3).toString('hex')}`;

export const withNats = (title: string, declare: (url: string) => void): void => {
  const url = process.env.NATS_URL;
  if (!url) {
    process.stderr.write(`${title} skipped: NATS_URL is not set (CI sets it; e.g. NATS_URL=nats://127.0.0.1:4222)\n`);
    describe.skip(title, () => it('needs NATS', () => undefined));
    return;
  }
  declare(url);
};

/** Deletes the streams a test file made (its event stream and its ledger bucket). */
export const deleteStreams = async (url: string, names: readonly string[]): Promise<void> => {
  const nc: NatsConnection = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    for (const name of names) await jsm.streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
};
