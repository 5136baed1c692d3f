/**
 * Seals of the event log (see @workshare/eventstore, seals.ts) kept in a JetStream stream of
 * their own, apart from the store's database: messages cannot be deleted nor the stream purged
 * (deny_delete, deny_purge), and each seal lands at the stream sequence equal to its own
 * sequence (a publish expects the one before as the stream's last), so nothing is skipped and no
 * second sealer interleaves. NATS 2.9 features only.
 */
import { jetstream, jetstreamManager, JetStreamApiCodes, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { sealDigest, type Seal, type SealSink } from '@workshare/eventstore';
import { isApiError } from './streams.js';

export const SEAL_STREAM = 'WORKSHARE_SEALS';
export const SEAL_SUBJECT = 'workshare.seals';

export interface NatsSealLogOptions {
  /** Stream name (default WORKSHARE_SEALS). */
  stream?: string;
  /** Subject (default workshare.seals). */
  subject?: string;
  /** `file` (default) or `memory` (tests). */
  storage?: 'file' | 'memory';
}

export class NatsSealLog implements SealSink {
  readonly name: string;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    readonly stream: string,
    readonly subject: string,
    private readonly ownsConnection: boolean,
  ) {
    this.name = `nats:${stream}`;
  }

  /**
   * On a connection the caller keeps (and closes): creates the stream when missing; refuses one
   * that allows deleting or purging messages.
   */
  static async open(nc: NatsConnection, options: NatsSealLogOptions = {}, owns = false): Promise<NatsSealLog> {
    const stream = options.stream ?? SEAL_STREAM;
    const subject = options.subject ?? SEAL_SUBJECT;
    const jsm = await jetstreamManager(nc);
    let config;
    try {
      config = (await jsm.streams.info(stream)).config;
    } catch (error) {
      if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
      try {
        config = (
          await jsm.streams.add({
            name: stream,
            subjects: [subject],
            storage: options.storage ?? 'file',
            retention: 'limits',
            max_msgs: -1,
            max_bytes: -1,
            max_age: 0,
            discard: 'new',
            deny_delete: true,
            deny_purge: true,
            allow_rollup_hdrs: false,
            allow_direct: true,
            num_replicas: 1,
          })
        ).config;
      } catch (raced) {
        if (!isApiError(raced, 10058)) throw raced; // created meanwhile by another process
        config = (await jsm.streams.info(stream)).config;
      }
    }
    if (!config.deny_delete || !config.deny_purge || config.allow_rollup_hdrs)
      throw new Error(
        `JetStream stream ${stream} allows deleting, purging or rolling up messages: seals need one with deny_delete and deny_purge`,
      );
    if (!config.subjects.includes(subject))
      throw new Error(`JetStream stream ${stream} does not hold subject ${subject}`);
    return new NatsSealLog(nc, jsm, stream, subject, owns);
  }

  /** On a connection of its own to `url`, closed by close(). */
  static async connect(url: string, options: NatsSealLogOptions = {}): Promise<NatsSealLog> {
    const nc = await connect({ servers: url, name: 'workshare-seals' });
    try {
      return await NatsSealLog.open(nc, options, true);
    } catch (error) {
      await nc.close();
      throw error;
    }
  }

  async append(seal: Seal): Promise<void> {
    const js = jetstream(this.nc);
    const ack = await js.publish(this.subject, JSON.stringify(seal), {
      msgID: `seal-${seal.sequence}-${sealDigest(seal).slice(0, 16)}`,
      expect: { streamName: this.stream, lastSequence: seal.sequence - 1 },
    });
    if (ack.seq !== seal.sequence)
      throw new Error(`seal #${seal.sequence} landed at sequence ${ack.seq} of ${this.stream}`);
  }

  async readAll(): Promise<unknown[]> {
    const info = await this.jsm.streams.info(this.stream);
    const seals: unknown[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const message = await this.jsm.streams.getMessage(this.stream, { seq });
      if (message === null) {
        seals.push(`message ${seq} of ${this.stream} is gone`);
        continue;
      }
      const text = message.string();
      try {
        seals.push(JSON.parse(text) as unknown);
      } catch {
        seals.push(text);
      }
    }
    return seals;
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.nc.close();
  }
}
