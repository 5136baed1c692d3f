import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { EventStore, RecordedEvent } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { decodeEnvelope, NatsEventBus } from '../src/index.js';
import { collectingLogger } from './contract.js';
import { deleteStreams, uniqueName, withNats } from './support/nats.js';
import { eventually } from './support/wait.js';

withNats('relay to JetStream', (url) => {
  describe('relay to JetStream', () => {
    const stream = uniqueName('BUS_RELAY');
    const prefix = uniqueName('busrelay');
    let store: EventStore;
    let bus: NatsEventBus;
    let jsm: JetStreamManager;
    const log = collectingLogger();

    beforeAll(async () => {
      store = await openEventStore('embedded:memory');
      // Members belong to the identity service, jobs to job intake: the caller maps categories to contexts.
      bus = NatsEventBus.start({
        url,
        stream,
        subjectPrefix: prefix,
        log,
        contextOf: (streamName) => ({ member: 'identity', job: 'job-intake' })[streamName.split('-')[0]!] ?? 'other',
      });
      await bus.ready;
      jsm = await jetstreamManager(await bus.connection());
    }, 60_000);

    afterAll(async () => {
      await bus?.close();
      await store?.close();
      await deleteStreams(url, [stream, `KV_${stream}_ledger`]);
    });

    const storedMessages = async () => {
      const out: {
        subject: string;
        msgId: string;
        traceparent: string;
        stream: string;
        event: RecordedEvent;
        raw: Record<string, unknown>;
      }[] = [];
      for (let seq = 1; ;) {
        const m = await jsm.direct.getMessage(stream, { seq, next_by_subj: `${prefix}.>` });
        if (!m) break;
        out.push({
          subject: m.subject,
          msgId: m.header.get('Nats-Msg-Id'),
          traceparent: m.header.get('traceparent'),
          stream: m.header.get('Workshare-Stream'),
          event: decodeEnvelope(m.data),
          raw: m.json<Record<string, unknown>>(),
        });
        seq = m.seq + 1;
      }
      return out;
    };

    it('publishes each event to workshare.<context>.<EventType> with its id as Nats-Msg-Id, its traceparent, and the envelope as JSON', async () => {
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const member = (
        await store.append('member-42', [
          { type: 'MemberRegistered', data: { memberId: '42' }, metadata: { traceparent, actor: 'op-1' } },
        ])
      ).events;
      const job = (await store.append('job-7', [{ type: 'JobAccepted', data: { jobId: '7', yen: 150000 } }])).events;
      const relay = bus.startRelay({ store, relayId: 'relay-a' });
      try {
        await relay.caughtUp();
        const messages = await storedMessages();
        expect(messages.map((m) => m.subject)).toEqual([
          `${prefix}.identity.MemberRegistered`,
          `${prefix}.job-intake.JobAccepted`,
        ]);
        expect(messages.map((m) => m.msgId)).toEqual([member[0]!.id, job[0]!.id]);
        expect(messages[0]!.traceparent).toBe(traceparent);
        expect(messages[1]!.traceparent).toBe('');
        const [m0] = messages;
        expect(m0!.raw.position).toBe(`${member[0]!.position.commit}/${member[0]!.position.prepare}`); // positions travel as strings
        expect(m0!.stream).toBe('member-42');
        expect(typeof m0!.raw.recordedAt).toBe('string');
        expect(m0!.event).toEqual(member[0]);
        expect(await store.readCheckpoint('relay-a')).toEqual(job[0]!.position);
        expect(relay.stats).toMatchObject({ published: 2, duplicates: 0 });
      } finally {
        await relay.stop();
      }
    });

    it('publishes a page again when it failed mid-way, and JetStream drops the repeats by Nats-Msg-Id', async () => {
      const before = (await jsm.streams.info(stream)).state.messages;
      const appended = (
        await store.append(
          'job-8',
          Array.from({ length: 30 }, (_, i) => ({ type: 'TaskPlanned', data: { i } })),
        )
      ).events;
      let acknowledged = 0;
      let checkpointWhenFailing: unknown = 'unset';
      const relay = bus.startRelay({
        store,
        relayId: 'relay-a',
        batchSize: 100,
        retryDelayMs: 50,
        onPublished: async () => {
          acknowledged++;
          if (acknowledged === 10) {
            checkpointWhenFailing = await store.readCheckpoint('relay-a');
            throw new Error('lost the connection mid-page');
          }
        },
      });
      try {
        await relay.caughtUp();
        expect(checkpointWhenFailing).toEqual((await store.readAll()).at(-31)!.position); // nothing of the page was checkpointed
        expect(relay.stats.duplicates).toBeGreaterThanOrEqual(10); // what was acknowledged before the failure came again
        expect(relay.stats.published).toBe(30); // each event stored once
        expect((await jsm.streams.info(stream)).state.messages).toBe(before + 30);
        const ids = (await storedMessages()).map((m) => m.msgId);
        for (const e of appended) expect(ids.filter((id) => id === e.id)).toHaveLength(1);
        expect(
          log.lines.some((l) => l.level === 'error' && String(l.fields.error).includes('lost the connection mid-page')),
        ).toBe(true);
        expect(await store.readCheckpoint('relay-a')).toEqual(appended.at(-1)!.position);
      } finally {
        await relay.stop();
      }
    });

    it('a relay with a fresh checkpoint publishes the whole log again, all of it dropped as duplicates', async () => {
      const before = (await jsm.streams.info(stream)).state.messages;
      const total = (await store.readAll()).length;
      const relay = bus.startRelay({ store, relayId: 'relay-b', batchSize: 7 });
      try {
        await relay.caughtUp();
        expect(relay.stats).toMatchObject({ published: 0, duplicates: total });
        expect((await jsm.streams.info(stream)).state.messages).toBe(before);
      } finally {
        await relay.stop();
      }
    });

    it('picks up events appended after it caught up, and skips the bus’s own dead-letter streams', async () => {
      const relay = bus.startRelay({ store, relayId: 'relay-a', pollIntervalMs: 10 });
      try {
        await relay.caughtUp();
        const before = (await jsm.streams.info(stream)).state.messages;
        await store.append('deadletter-someone', [{ type: 'EventDeadLettered', data: { reason: 'x' } }]);
        const [late] = (await store.append('member-43', [{ type: 'MemberRegistered', data: { memberId: '43' } }]))
          .events;
        await eventually(
          'the late event in the stream',
          async () => (await jsm.streams.info(stream)).state.messages === before + 1,
        );
        const last = (await storedMessages()).at(-1)!;
        expect(last.msgId).toBe(late!.id);
        expect(last.subject).toBe(`${prefix}.identity.MemberRegistered`);
      } finally {
        await relay.stop();
      }
    });
  });
});
