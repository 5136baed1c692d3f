import { chainHash, contentDigest, type EventStore, type RecordedEvent } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { ChainVerifier, type PendingTails } from '../src/index.js';

describe('ChainVerifier', () => {
  let store: EventStore;
  let log: RecordedEvent[];
  let reads: { stream: string; fromVersion: number | undefined; limit: number | undefined }[];
  let counted: Pick<EventStore, 'readStream'>;

  beforeAll(async () => {
    store = await openEventStore('embedded:memory');
    for (let round = 0; round < 3; round++) {
      for (const stream of ['a-1', 'b-1', 'c-1'])
        await store.append(stream, [
          { type: 'Step', data: { round } },
          { type: 'Step', data: { round, second: true } },
        ]);
    }
    log = await store.readAll();
  });

  afterAll(() => store.close());

  beforeEach(() => {
    reads = [];
    counted = {
      readStream: (stream, options) => {
        reads.push({ stream, fromVersion: options?.fromVersion, limit: options?.limit });
        return store.readStream(stream, options);
      },
    };
  });

  const checkAll = async (verifier: ChainVerifier, events: readonly RecordedEvent[], pending?: PendingTails) => {
    const faults = [];
    for (const e of events) faults.push(await verifier.check(e, pending));
    return faults;
  };

  it('passes an intact log from the start without reading the store, synchronously', () => {
    const verifier = new ChainVerifier(counted);
    for (const e of log) expect(verifier.check(e)).toBeUndefined();
    expect(reads).toEqual([]);
  });

  it('reads the previous event of a stream it does not know from the store, once', async () => {
    const verifier = new ChainVerifier(counted);
    const fromMiddle = log.slice(6); // every stream is at version 2 here
    expect(await checkAll(verifier, fromMiddle)).toEqual(fromMiddle.map(() => undefined));
    expect(reads).toEqual([
      { stream: 'a-1', fromVersion: 1, limit: 1 },
      { stream: 'b-1', fromVersion: 1, limit: 1 },
      { stream: 'c-1', fromVersion: 1, limit: 1 },
    ]);
  });

  it('keeps at most maxStreams tails, the least recently used going first', async () => {
    const verifier = new ChainVerifier(counted, 2);
    expect(await checkAll(verifier, log)).toEqual(log.map(() => undefined));
    // a, b, c take turns: with room for two, each stream's turn finds it evicted (but not within a turn)
    expect(reads.map((r) => r.stream)).toEqual(['a-1', 'b-1', 'c-1', 'a-1', 'b-1', 'c-1']);
  });

  it('learns into `pending` only, until commit', async () => {
    const verifier = new ChainVerifier(counted);
    const pending: PendingTails = new Map();
    await checkAll(verifier, log.slice(0, 2), pending);
    expect([...pending.keys()]).toEqual(['a-1']);
    // Not committed (the page failed and goes again): checked again from the start, no read.
    expect(await checkAll(verifier, log.slice(0, 2))).toEqual([undefined, undefined]);
    expect(reads).toEqual([]);
    verifier.commit(pending);
    expect(pending.size).toBe(0);
  });

  it('names what fails: content, link, missing predecessor', async () => {
    const verifier = new ChainVerifier(counted);
    const [first, second] = log;
    expect(verifier.check({ ...first!, data: { round: 7 } })).toMatchObject({
      streamName: 'a-1',
      streamVersion: 0,
      eventId: first!.id,
      position: `${first!.position.commit}/${first!.position.prepare}`,
      reason: 'content does not match its hash (changed after it was written)',
    });
    const elsewhere = 'e'.repeat(64);
    const relinked = {
      ...second!,
      previousHash: elsewhere,
      hash: chainHash(elsewhere, second!.streamVersion, contentDigest(second!)),
    };
    expect(await verifier.check(relinked)).toMatchObject({ reason: 'previous hash does not match the event before' });
    const orphan = { ...second!, streamName: 'nowhere-1' };
    expect(await verifier.check(orphan)).toMatchObject({
      streamName: 'nowhere-1',
      reason: "the stream's previous event (version 0) is not in the store",
    });
  });
});
