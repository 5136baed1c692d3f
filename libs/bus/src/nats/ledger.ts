import { createHash } from 'node:crypto';
import { JetStreamApiCodes, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { JetStreamRequests } from './requests.js';
import { isApiError } from './streams.js';

/** What a consumer did with an event. */
export type LedgerOutcome = 'handled' | 'dead-lettered';

const BUCKET = /^[A-Za-z0-9_-]+$/;
const KEY = /^[A-Za-z0-9_-]{1,128}$/;
const decoder = new TextDecoder();

/**
 * The consumers' idempotency ledger: a JetStream key-value bucket, one key per (consumer, event
 * id): `<consumer>.<eventId>` → `handled` or `dead-lettered` (the entry's timestamp says when).
 * The bucket uses the KV layout (stream `KV_<bucket>`, subjects `$KV.<bucket>.>`, one value per
 * key, direct get), so the nats CLI and any KV client can read it; it is written with plain
 * JetStream calls because the KV client package (@nats-io/kv) is not a dependency here.
 *
 * Entries expire after `ttlMs` (default 7 days): duplicates come from a relay republishing after a
 * crash, or a redelivery, minutes after the first delivery, never weeks.
 */
export class NatsLedger {
  private readonly stream: string;

  private constructor(
    private readonly requests: JetStreamRequests,
    readonly bucket: string,
  ) {
    this.stream = `KV_${bucket}`;
  }

  static async open(
    requests: JetStreamRequests,
    jsm: JetStreamManager,
    bucket: string,
    ttlMs = 7 * 24 * 3600 * 1000,
  ): Promise<NatsLedger> {
    if (!BUCKET.test(bucket))
      throw new TypeError(`ledger bucket ${JSON.stringify(bucket)} must be letters, digits, '_' or '-'`);
    const stream = `KV_${bucket}`;
    try {
      await jsm.streams.info(stream);
    } catch (error) {
      if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
      try {
        await jsm.streams.add({
          name: stream,
          subjects: [`$KV.${bucket}.>`],
          max_msgs_per_subject: 1,
          discard: 'new',
          allow_rollup_hdrs: true,
          deny_delete: true,
          allow_direct: true,
          max_age: nanos(ttlMs),
          storage: 'file',
          num_replicas: 1,
          description: 'workshare bus: events each consumer has settled (idempotency ledger)',
        });
      } catch (addError) {
        if (!isApiError(addError, 10058)) throw addError; // created meanwhile by another process
      }
    }
    return new NatsLedger(requests, bucket);
  }

  private subject(consumer: string, eventId: string): string {
    // Store event ids are UUIDs; anything else is hashed into a key-safe token.
    const key = KEY.test(eventId) ? eventId : createHash('sha256').update(eventId).digest('hex');
    return `$KV.${this.bucket}.${consumer}.${key}`;
  }

  /** The outcome recorded for this event and consumer, if any. */
  async outcome(consumer: string, eventId: string): Promise<LedgerOutcome | undefined> {
    const entry = await this.requests.lastBySubject(this.stream, this.subject(consumer, eventId));
    if (!entry || entry.length === 0) return undefined;
    return decoder.decode(entry) === 'dead-lettered' ? 'dead-lettered' : 'handled';
  }

  async record(consumer: string, eventId: string, outcome: LedgerOutcome): Promise<void> {
    await this.requests.publish(this.subject(consumer, eventId), outcome); // the entry's own timestamp says when
  }
}
