import {
  createInbox,
  headers as newHeaders,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Status,
  type Subscription,
} from '@nats-io/transport-node';

/** JetStream's answer to a publish: where the message is stored, and whether it was a duplicate. */
export interface PublishAck {
  readonly stream: string;
  readonly seq: number;
  readonly duplicate: boolean;
}

interface Pending {
  subject: string;
  expires: number;
  /** Written to the connection: its answer is lost if the connection drops before it comes. */
  sent: boolean;
  settle: (msg: Msg) => void;
  reject: (error: Error) => void;
}

const decoder = new TextDecoder();

/** How long a call waits for JetStream's answer by default, in ms (a call whose answer is lost fails then). */
export const DEFAULT_JETSTREAM_TIMEOUT_MS = 10_000;

/**
 * The JetStream calls on the hot path (publish with acknowledgement, direct get of a KV key) as
 * plain publishes with a reply subject on one shared inbox subscription. The client library's
 * request() makes a timer and Error objects (with stack traces) for every call, which costs more
 * CPU than the rest of the bus's per-event work; here one timer sweeps expired calls for all.
 *
 * It follows the connection's status: when the connection drops, the calls already written fail
 * at once (their answers died with the connection; waiting for the timeout would stall the relay
 * for `timeoutMs` after the broker is back), and what is sent while it is down (calls, acks) waits
 * and goes out when the client has reconnected, instead of into the client's buffer, which the
 * client discards when it dials again.
 */
export class JetStreamRequests {
  private readonly inbox: string;
  private readonly subscription: Subscription;
  private readonly pending = new Map<string, Pending>();
  private readonly sweeper: NodeJS.Timeout;
  private next = 0;
  private outbox: (() => void)[] = [];
  private flushScheduled = false;
  private linked = true;
  private dropCount = 0;
  private readonly reconnectListeners = new Set<() => void>();
  private readonly statuses: AsyncIterable<Status> & { stop?: () => void };

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs = DEFAULT_JETSTREAM_TIMEOUT_MS,
    private readonly apiPrefix = '$JS.API',
  ) {
    this.inbox = createInbox();
    this.subscription = nc.subscribe(`${this.inbox}.*`, {
      callback: (error, msg) => {
        if (error) return this.failAll(error);
        const token = msg.subject.slice(this.inbox.length + 1);
        const call = this.pending.get(token);
        if (!call) return; // answered after it expired
        this.pending.delete(token);
        call.settle(msg);
      },
    });
    this.sweeper = setInterval(() => this.sweep(), Math.min(500, this.timeoutMs));
    this.sweeper.unref();
    this.statuses = nc.status();
    this.watch().catch(() => undefined); // ends with the connection
    void nc.closed().then(() => this.close());
  }

  /** False from the moment the connection drops until the client has reconnected. */
  get connected(): boolean {
    return this.linked;
  }

  /** How many times the connection has dropped so far. */
  get drops(): number {
    return this.dropCount;
  }

  /** Tells `listener` each time the client has reconnected (after a drop); returns the unregistration. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => void this.reconnectListeners.delete(listener);
  }

  private async watch(): Promise<void> {
    for await (const status of this.statuses) {
      if (status.type === 'disconnect') this.dropped();
      else if (status.type === 'reconnect') this.reconnected();
    }
  }

  private dropped(): void {
    this.linked = false;
    this.dropCount++;
    const error = new Error('the NATS connection dropped before JetStream answered');
    for (const [token, call] of this.pending) {
      if (!call.sent) continue; // still waiting to go out: it goes once reconnected
      this.pending.delete(token);
      call.reject(error);
    }
  }

  private reconnected(): void {
    this.linked = true;
    this.schedule();
    for (const listener of [...this.reconnectListeners]) listener();
  }

  private call(
    subject: string,
    payload: Uint8Array | string,
    headers: MsgHdrs | undefined,
    settle: (msg: Msg, resolve: (v: unknown) => void, reject: (e: Error) => void) => void,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const token = (this.next++).toString(36);
      const call: Pending = {
        subject,
        expires: Date.now() + this.timeoutMs,
        sent: false,
        settle: (msg) => settle(msg, resolve, reject),
        reject,
      };
      this.pending.set(token, call);
      this.later(() => {
        if (this.pending.get(token) !== call) return; // expired (or failed) while it waited to go out
        call.sent = true;
        try {
          this.nc.publish(subject, payload, { reply: `${this.inbox}.${token}`, ...(headers ? { headers } : {}) });
        } catch (error) {
          this.pending.delete(token);
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
  }

  /**
   * Runs `send` (a publish, an ack) with the others queued in this turn of the event loop, all at
   * once: the client then writes them to the socket together, instead of one write each. While the
   * connection is down, sends wait and go out once the client has reconnected.
   */
  later(send: () => void): void {
    this.outbox.push(send);
    this.schedule();
  }

  private schedule(): void {
    if (this.flushScheduled || !this.linked || this.outbox.length === 0) return;
    this.flushScheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    if (!this.linked) return; // dropped meanwhile: sent once reconnected
    const sends = this.outbox;
    this.outbox = [];
    for (const send of sends) send();
  };

  /** A JetStream publish, resolved with its acknowledgement (`msgId` sets `Nats-Msg-Id` for the stream's dedupe). */
  async publish(
    subject: string,
    payload: Uint8Array | string,
    options: { msgId?: string; headers?: MsgHdrs } = {},
  ): Promise<PublishAck> {
    let headers = options.headers;
    if (options.msgId) {
      headers ??= newHeaders();
      headers.set('Nats-Msg-Id', options.msgId);
    }
    return (await this.call(subject, payload, headers, (msg, resolve, reject) => {
      if (msg.headers?.code === 503) return reject(new Error(`no JetStream stream takes ${subject} (no responders)`));
      let answer: {
        stream?: unknown;
        seq?: unknown;
        duplicate?: unknown;
        error?: { description?: unknown; err_code?: unknown };
      };
      try {
        answer = JSON.parse(decoder.decode(msg.data)) as typeof answer;
      } catch {
        return reject(new Error(`JetStream answered a publish to ${subject} with something other than JSON`));
      }
      if (answer.error)
        return reject(
          new Error(
            `JetStream refused a publish to ${subject}: ${String(answer.error.description)} (${String(answer.error.err_code)})`,
          ),
        );
      resolve({ stream: String(answer.stream), seq: Number(answer.seq), duplicate: answer.duplicate === true });
    })) as PublishAck;
  }

  /** The last message stored on `subject` in `stream` (a KV get), or undefined. Needs `allow_direct` on the stream. */
  async lastBySubject(stream: string, subject: string): Promise<Uint8Array | undefined> {
    return (await this.call(
      `${this.apiPrefix}.DIRECT.GET.${stream}.${subject}`,
      '',
      undefined,
      (msg, resolve, reject) => {
        const code = msg.headers?.code ?? 0;
        if (code === 404) return resolve(undefined);
        if (code === 503) return reject(new Error(`no JetStream stream ${stream} answers direct gets (no responders)`));
        if (code >= 400)
          return reject(
            new Error(`direct get of ${subject} from ${stream} failed: ${code} ${msg.headers?.description ?? ''}`),
          );
        resolve(msg.data);
      },
    )) as Uint8Array | undefined;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [token, call] of this.pending) {
      if (call.expires <= now) {
        this.pending.delete(token);
        call.reject(new Error(`no answer from JetStream to ${call.subject} within ${this.timeoutMs} ms`));
      }
    }
  }

  private failAll(error: Error): void {
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
  }

  close(): void {
    clearInterval(this.sweeper);
    this.statuses.stop?.();
    this.outbox = [];
    this.reconnectListeners.clear();
    if (!this.subscription.isClosed()) this.subscription.unsubscribe();
    this.failAll(new Error('the NATS connection closed'));
  }
}
