/**
 * The log's seals kept in NATS JetStream (NatsSealLog): a sealer writes to the seal file and to
 * the stream, which answers the same seals back; the stream refuses deleting and purging, a seal
 * out of sequence, and a stream set up without those refusals is not used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  FileSealLog,
  generateSealKey,
  LogSealer,
  openEventStore,
  verifyLog,
  type Seal,
  type SealKey,
} from '@workshare/eventstore';
import type { EventStore } from '@workshare/eventsourcing';
import { NatsSealLog } from '../src/index.js';
import { deleteStreams, uniqueName, withNats } from './support/nats.js';

withNats('seals kept in NATS JetStream', (url) => {
  let nc: NatsConnection;
  let store: EventStore;
  let dir: string;
  let key: SealKey;
  const streams: string[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: url });
  });
  afterAll(async () => {
    await nc?.close();
    await deleteStreams(url, streams);
  });
  beforeEach(async () => {
    store = await openEventStore('embedded:memory');
    dir = mkdtempSync(join(tmpdir(), 'workshare-nats-seals-'));
    key = generateSealKey(join(dir, 'seal.pem'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fresh = async () => {
    const stream = uniqueName('SEALS');
    streams.push(stream);
    return NatsSealLog.open(nc, { stream, subject: `${stream.toLowerCase()}.seals`, storage: 'memory' });
  };

  it('keeps every seal the sealer makes, as the seal file does, and verification reads them back', async () => {
    const nats = await fresh();
    const file = new FileSealLog(join(dir, 'seals.jsonl'));
    const sealer = LogSealer.start({ store, key, sinks: [file, nats], pollIntervalMs: 3_600_000 });
    try {
      await store.append('job-1', [{ type: 'WorkLogged', data: { amount: 1 } }]);
      await sealer.sealNow();
      await store.append('job-2', [{ type: 'WorkLogged', data: { amount: 2 } }]);
      await sealer.sealNow('month-close');
    } finally {
      await sealer.stop();
    }
    const kept = await nats.readAll();
    expect(kept).toEqual(await file.readAll());
    expect((kept as Seal[]).map((s) => [s.sequence, s.reason])).toEqual([
      [1, 'manual'],
      [2, 'month-close'],
    ]);
    expect(await verifyLog(store, { seals: kept, publicKey: key.publicKeyPem })).toMatchObject({
      intact: true,
      events: 2,
      seals: { checked: 2 },
    });
  });

  it('refuses to delete a seal or purge the stream, and a seal out of sequence', async () => {
    const nats = await fresh();
    const sealer = LogSealer.start({ store, key, sinks: [nats], pollIntervalMs: 3_600_000 });
    let seal: Seal | undefined;
    try {
      await store.append('job-1', [{ type: 'WorkLogged', data: { amount: 1 } }]);
      seal = await sealer.sealNow();
    } finally {
      await sealer.stop();
    }
    const jsm = await jetstreamManager(nc);
    await expect(jsm.streams.deleteMessage(nats.stream, 1)).rejects.toThrow();
    await expect(jsm.streams.purge(nats.stream)).rejects.toThrow();
    await expect(nats.append({ ...seal!, sequence: 3 })).rejects.toThrow(/wrong last sequence/i);
    expect(await nats.readAll()).toEqual([seal]);
  });

  it('is resumed from by a sealer whose primary sink it is', async () => {
    const nats = await fresh();
    await store.append('job-1', [{ type: 'WorkLogged', data: { amount: 1 } }]);
    const first = LogSealer.start({ store, key, sinks: [nats], pollIntervalMs: 3_600_000 });
    await first.sealNow();
    await first.stop();
    await store.append('job-1', [{ type: 'WorkLogged', data: { amount: 2 } }]);
    const second = LogSealer.start({ store, key, sinks: [nats], pollIntervalMs: 3_600_000 });
    try {
      expect(await second.sealNow()).toMatchObject({ sequence: 2, events: 2 });
    } finally {
      await second.stop();
    }
  });

  it('will not use a stream that allows deleting or purging', async () => {
    const stream = uniqueName('LOOSE');
    streams.push(stream);
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${stream.toLowerCase()}.seals`], storage: 'memory' });
    await expect(NatsSealLog.open(nc, { stream, subject: `${stream.toLowerCase()}.seals` })).rejects.toThrow(
      /allows deleting, purging or rolling up/,
    );
  });
});
