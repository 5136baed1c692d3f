/**
 * The relay's lease: a PostgreSQL session-level advisory lock, held on a connection of its own
 * for as long as this replica publishes. PostgreSQL lets go of it when the session ends, however
 * the holder ended (a clean stop, a crash, `kill -9`: the server sees the socket close and drops
 * the session with its locks), so a standby that keeps asking gets it within one retry interval.
 */
import pg from 'pg';
import type { Logger } from '@workshare/telemetry/logger';

/**
 * First key of the lease's two-key advisory lock (the second is RELAY_LEASE_ID). Two-key locks
 * live apart from one-key ones, such as the store's per-stream locks; the event store's own
 * two-key locks use 4242 to 4244 (migrations, appenders, its leases).
 */
export const LEASE_LOCK_CLASS = 4250;

export interface LeaseOptions {
  /** The PostgreSQL server and database of the event store (advisory locks are per database). */
  readonly connectionString: string;
  /** The lease's id, the second key of its advisory lock: replicas with the same id share one lease. */
  readonly id: number;
  /** How often a standby asks for the lock, and how often the holder checks it still has it, in ms. */
  readonly retryMs: number;
  readonly log: Logger;
  /** Shown in pg_stat_activity (default `workshare-relay-lease`). */
  readonly applicationName?: string;
}

/** The lease while this replica holds it. */
export interface HeldLease {
  /** Resolves, with why, if the lease is lost while held (its session ended or a check failed). */
  readonly lost: Promise<Error>;
  /** Ends the session, which lets go of the lock. */
  release(): Promise<void>;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Ends a client's session without waiting long on a connection that may be dead. */
const endClient = async (client: pg.Client): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.end().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 2_000);
    }),
  ]);
  clearTimeout(timer);
};

/**
 * Asks for the advisory lock (LEASE_LOCK_CLASS, id) every `retryMs` on a connection of its own,
 * until it is granted or the lease is closed. While held, the holder checks every `retryMs` that
 * its session still holds it; a check that fails or a connection that breaks makes the lease
 * lost (`HeldLease.lost`), and whoever holds it must stop at once: PostgreSQL may already have
 * given the lock to a standby.
 */
export class PostgresLease {
  private readonly closing = new AbortController();
  private client: pg.Client | undefined;
  private standbyLogged = false;
  private unreachableLogged = false;

  constructor(private readonly options: LeaseOptions) {
    if (!Number.isSafeInteger(options.id) || options.id < 0 || options.id > 2_147_483_647)
      throw new RangeError(`lease id ${options.id} is not a whole number from 0 to 2147483647`);
    if (!Number.isSafeInteger(options.retryMs) || options.retryMs < 1)
      throw new RangeError(`lease retry interval ${options.retryMs} is not a whole number of ms ≥ 1`);
  }

  /** `<class>/<id>`, the advisory lock's two keys, for logs. */
  get name(): string {
    return `${LEASE_LOCK_CLASS}/${this.options.id}`;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: this.options.applicationName ?? 'workshare-relay-lease',
      keepAlive: true,
      connectionTimeoutMillis: Math.max(2_000, this.options.retryMs * 4),
      query_timeout: Math.max(2_000, this.options.retryMs * 4),
    });
    // A connection that breaks while idle must not crash the process: the checks see it.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  /** Waits until this replica holds the lease (undefined if the lease is closed first). */
  async acquire(): Promise<HeldLease | undefined> {
    const { log, retryMs } = this.options;
    while (!this.closing.signal.aborted) {
      try {
        this.client ??= await this.connect();
        const [row] = (
          await this.client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS held', [
            LEASE_LOCK_CLASS,
            this.options.id,
          ])
        ).rows;
        this.unreachableLogged = false;
        if (row?.held === true) {
          if (this.closing.signal.aborted) {
            await this.dropClient();
            return undefined;
          }
          this.standbyLogged = false;
          const held = this.client;
          this.client = undefined; // the session is the lease's now: its holder releases it
          return this.hold(held);
        }
        if (!this.standbyLogged) {
          this.standbyLogged = true;
          log.info(
            { lease: this.name, retryMs },
            `relay standing by: another replica holds the lease; asking again every ${retryMs} ms`,
          );
        }
      } catch (error) {
        await this.dropClient();
        if (this.closing.signal.aborted) break;
        if (!this.unreachableLogged) {
          this.unreachableLogged = true;
          log.error(
            { lease: this.name, retryMs, error: messageOf(error) },
            `relay cannot ask PostgreSQL for its lease (${messageOf(error)}); retrying every ${retryMs} ms`,
          );
        }
      }
      await sleep(retryMs, this.closing.signal);
    }
    await this.dropClient(); // closed while a connection was being made
    return undefined;
  }

  private async dropClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await endClient(client);
  }

  /** The lock is granted on `client`'s session: watch it until it is released or lost. */
  private hold(client: pg.Client): HeldLease {
    const { retryMs } = this.options;
    let settle: (error: Error) => void = () => undefined;
    let settled = false;
    const lost = new Promise<Error>((resolve) => (settle = resolve));
    let timer: NodeJS.Timeout | undefined;
    const lose = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.removeListener('end', onEnd);
      settle(error);
      void endClient(client);
    };
    const onEnd = (): void => lose(new Error('the lease connection to PostgreSQL ended'));
    client.once('end', onEnd);
    const check = async (): Promise<void> => {
      try {
        const [row] = (
          await client.query<{ held: boolean }>(
            `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2
                AND objsubid = 2 AND pid = pg_backend_pid() AND granted) AS held`,
            [LEASE_LOCK_CLASS, this.options.id],
          )
        ).rows;
        if (row?.held !== true) return lose(new Error('the lease session no longer holds the lock'));
      } catch (error) {
        return lose(new Error(`the lease check failed: ${messageOf(error)}`));
      }
      if (!settled) timer = setTimeout(() => void check(), retryMs);
    };
    timer = setTimeout(() => void check(), retryMs);
    return {
      lost,
      release: async () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.removeListener('end', onEnd);
        await endClient(client);
      },
    };
  }

  /** Stops asking (a lease held is its holder's to release). */
  async close(): Promise<void> {
    this.closing.abort();
    await this.dropClient();
  }
}
