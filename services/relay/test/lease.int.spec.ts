/**
 * The lease on a real PostgreSQL server (DATABASE_URL): one holder at a time per lease id; a standby
 * gets it within a retry interval of the holder letting go, or of the holder's session ending
 * behind its back (pg_terminate_backend), which the holder notices as a lost lease.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createLogger } from '@workshare/telemetry/logger';
import { describeNeeding } from '../../../libs/bus/test/support/nats.js';
import { LEASE_LOCK_CLASS, PostgresLease, type HeldLease } from '../src/lease.js';

const RETRY_MS = 100;
const log = createLogger('lease-test', { level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What `promise` settled with within `ms`, or 'pending'. */
const within = async <T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<'pending'>((resolve) => {
        timer = setTimeout(() => resolve('pending'), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

describeNeeding('the relay lease (PostgreSQL advisory lock)', { DATABASE_URL: process.env.DATABASE_URL }, (found) => {
  describe('the relay lease (PostgreSQL advisory lock)', () => {
    // A lease id of this run's own, so that runs on one server never share a lease.
    const id = randomBytes(4).readUInt32BE(0) & 0x7fffffff;
    const leases: PostgresLease[] = [];
    const held: HeldLease[] = [];
    let admin: pg.Client;

    const lease = (overrides: { id?: number; applicationName?: string } = {}): PostgresLease => {
      const made = new PostgresLease({
        connectionString: found.DATABASE_URL,
        id: overrides.id ?? id,
        retryMs: RETRY_MS,
        log,
        ...(overrides.applicationName ? { applicationName: overrides.applicationName } : {}),
      });
      leases.push(made);
      return made;
    };

    const holders = async (leaseId = id): Promise<number> =>
      Number(
        (
          await admin.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2
              AND objsubid = 2 AND granted`,
            [LEASE_LOCK_CLASS, leaseId],
          )
        ).rows[0]?.n,
      );

    beforeAll(async () => {
      admin = new pg.Client({ connectionString: found.DATABASE_URL });
      await admin.connect();
    });

    afterAll(async () => {
      await Promise.all(held.map((h) => h.release()));
      await Promise.all(leases.map((l) => l.close()));
      await admin.end();
    });

    it('one holder at a time; the standby gets the lease within a retry interval of its release', async () => {
      const first = await lease().acquire();
      if (first === undefined) throw new Error('the first lease was not acquired');
      held.push(first);
      expect(await holders()).toBe(1);

      const second = lease();
      const waiting = second.acquire();
      expect(await within(waiting, RETRY_MS * 5)).toBe('pending');

      const released = Date.now();
      await first.release();
      const next = await within(waiting, 5_000);
      if (next === 'pending' || next === undefined) throw new Error('the standby never got the lease');
      held.push(next);
      const tookMs = Date.now() - released;
      expect(tookMs).toBeLessThan(RETRY_MS + 500);
      expect(await holders()).toBe(1);
      expect(await within(first.lost, 50)).toBe('pending'); // released, not lost
      await next.release();
      expect(await holders()).toBe(0);
    });

    it('a holder whose session ends behind its back loses the lease, and the standby gets it', async () => {
      const application = `relay-lease-test-${randomBytes(3).toString('hex')}`;
      const first = await lease({ applicationName: application }).acquire();
      if (first === undefined) throw new Error('the first lease was not acquired');
      held.push(first);
      const second = lease();
      const waiting = second.acquire();
      expect(await within(waiting, RETRY_MS * 3)).toBe('pending');

      const terminated = await admin.query<{ ok: boolean }>(
        'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
        [application],
      );
      expect(terminated.rows.map((r) => r.ok)).toEqual([true]);
      const killedAt = Date.now();
      const lost = await within(first.lost, 5_000);
      expect(lost).toBeInstanceOf(Error);
      const next = await within(waiting, 5_000);
      if (next === 'pending' || next === undefined) throw new Error('the standby never got the lease');
      held.push(next);
      expect(Date.now() - killedAt).toBeLessThan(RETRY_MS + 1_000);
      expect(await holders()).toBe(1);
      await next.release();
    });

    it('leases of other ids do not exclude each other', async () => {
      const mine = await lease().acquire();
      const other = await within(lease({ id: id ^ 1 }).acquire(), 2_000);
      if (mine === undefined || other === 'pending' || other === undefined) throw new Error('a lease was refused');
      held.push(mine, other);
      expect([await holders(), await holders(id ^ 1)]).toEqual([1, 1]);
      await Promise.all([mine.release(), other.release()]);
    });

    it('a standby that is closed stops asking, and never takes the lease after', async () => {
      const first = await lease().acquire();
      if (first === undefined) throw new Error('the first lease was not acquired');
      held.push(first);
      const standby = lease();
      const waiting = standby.acquire();
      await sleep(RETRY_MS * 2);
      await standby.close();
      expect(await within(waiting, 2_000)).toBeUndefined();
      await first.release();
      await sleep(RETRY_MS * 3);
      expect(await holders()).toBe(0);
    });
  });
});
