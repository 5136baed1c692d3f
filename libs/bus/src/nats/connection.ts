import type { Logger } from '@workshare/telemetry/logger';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { retry } from '@workshare/eventsourcing';
import { describeError } from '../bus.js';

export interface ConnectRetryOptions {
  /** First wait after a failed attempt, in ms (default 500). */
  initialDelayMs?: number;
  /** Longest wait between attempts, in ms (default 15,000). */
  maxDelayMs?: number;
  /** How long one attempt may take, in ms (default 5,000). */
  attemptTimeoutMs?: number;
}

/** The URL without credentials, for logs. */
export const redactUrl = (url: string): string => url.replace(/\/\/[^@/]*@/, '//***@');

/**
 * Connects to NATS in the background and keeps trying, with exponential backoff, for as long as the
 * server is unreachable: every failed attempt logs a clear error naming the URL and the next wait.
 * Nothing throws and nothing exits, so a service started before its broker waits for it instead of
 * crash-looping. Once connected, the client reconnects by itself for ever (maxReconnectAttempts -1).
 */
export class NatsLink {
  /** Resolves with the connection once the first attempt succeeds; rejects only if closed first. */
  readonly connection: Promise<NatsConnection>;
  private closed = false;
  private nc: NatsConnection | undefined;
  private readonly closing = new AbortController();
  private attempts = 0;

  constructor(
    readonly url: string,
    private readonly log: Logger,
    private readonly retryOptions: ConnectRetryOptions = {},
    private readonly name = 'workshare-bus',
  ) {
    this.connection = this.run();
    this.connection.catch(() => undefined);
  }

  /** Failed attempts so far. */
  get failedAttempts(): number {
    return this.attempts;
  }

  private run(): Promise<NatsConnection> {
    const closedError = () => new Error(`NATS connection to ${redactUrl(this.url)} closed before it was made`);
    return retry(
      async () => {
        if (this.closed) throw closedError();
        const nc = await connect({
          servers: this.url,
          name: this.name,
          timeout: this.retryOptions.attemptTimeoutMs ?? 5_000,
          maxReconnectAttempts: -1,
          // After a drop the client dials again every half second: a restarted broker is back in use
          // within about that (JetStreamRequests and the relay resume on the `reconnect` status).
          reconnectTimeWait: 500,
          // Error objects with stack traces made up front for every request cost ~15% of the CPU of a busy consumer.
          noAsyncTraces: true,
        });
        if (this.closed) {
          await nc.close();
          throw closedError();
        }
        this.nc = nc;
        this.log.info(
          {
            url: redactUrl(this.url),
            server: nc.info?.server_name,
            version: nc.info?.version,
            failedAttempts: this.attempts,
          },
          'connected to NATS',
        );
        void this.watch(nc);
        return nc;
      },
      {
        attempts: Number.POSITIVE_INFINITY,
        baseDelayMs: this.retryOptions.initialDelayMs ?? 500,
        maxDelayMs: this.retryOptions.maxDelayMs ?? 15_000,
        jitter: 'none',
        signal: this.closing.signal,
        retryIf: () => !this.closed,
        onRetry: (error, _attempt, delay) => {
          this.attempts++;
          this.log.error(
            { url: redactUrl(this.url), attempt: this.attempts, retryInMs: delay, error: describeError(error) },
            `NATS at ${redactUrl(this.url)} is unreachable (${describeError(error)}); retrying in ${delay} ms`,
          );
        },
      },
    ).catch((error: unknown) => {
      throw this.closed ? closedError() : error;
    });
  }

  /** Logs disconnections and reconnections, so an outage later on is visible too. */
  private async watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect')
        this.log.warn({ url: redactUrl(this.url) }, 'disconnected from NATS; reconnecting');
      else if (status.type === 'reconnect') this.log.info({ url: redactUrl(this.url) }, 'reconnected to NATS');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    const nc = this.nc;
    this.nc = undefined;
    if (nc && !nc.isClosed()) await nc.close();
  }
}
