/**
 * The demo's history, recorded once on a fresh store before the platform goes on with the real
 * clock: the cooperative of Fujisato and its two past Tokyo months of work (demo-month.ts), each
 * step at its own time, on a SimulatedClock that starts four days before the first and is moved
 * on through both by the workflow (every decision and every event's occurredAt on it). The month
 * before last is closed (its settlement, its seal) and the member who joined in it is forgotten
 * after the close; the last month is left open, for the user to close in one call.
 *
 * - One process (`startEmbeddedPlatform`): the platform starts with its clock on the simulated
 *   time (a PlatformClock), the history is recorded through its services, then the clock is
 *   handed over to the platform's own (the real one) and the platform goes on: today's jobs,
 *   the banner. One run, so that identity's keys stay the ones the history was written with
 *   (on `embedded:memory` they live and die with the identity that made them).
 * - Process mode (`recordDemoHistoryApart`, run by seed-demo.ts before the processes are
 *   spawned): every service but the gateway runs in that process over the PostgreSQL store on
 *   the simulated clock, records the history and stops. The processes then pick it up from the
 *   store: the relay publishes the store's log from its start, history included (the services'
 *   NATS consumers find their work done: each command's id is its event's, answered once); each
 *   service's durable read models catch up with the log from their checkpoints.
 *
 * A store that has the demo, or the beginning of one, is left alone (the guard of
 * demo-seed.ts): its outcome is answered without recording anything.
 */
import type { EventStore } from '@workshare/eventsourcing';
import {
  DEMO_BUSINESS_USER_EMAILS,
  DEMO_COORDINATOR_EMAIL,
  type DemoAccount,
  type IdentityService,
} from '@workshare/identity';
import { portVariable } from '@workshare/service-host';
import { SimulatedClock, type Clock } from '@workshare/time';
import {
  DEMO_EARLIER_MONTH_WORK,
  demoMonthsOf,
  seedDemoMonth,
  type DemoMonth,
  type DemoMonthPeriod,
} from './demo-month.js';
import { demoNotSeeded, demoSeedStateOf, seedDemoOnce, type DemoSeedResult } from './demo-seed.js';
import { DEFINITIONS } from './plan.js';
import { runServices } from './run-services.js';

export interface DemoHistory {
  readonly seed: DemoSeedResult;
  /** The last month (open), when this run recorded it. */
  readonly month?: DemoMonth;
  /** The month before last (closed), when this run recorded it. */
  readonly closedMonth?: DemoMonth;
}

/**
 * The platform's one clock, which can be handed from one source to another, never back in time:
 * the simulated time of the demo's history, then the platform's own. Pass its bound `now`.
 */
export class PlatformClock {
  private source: Clock;
  private floor = Number.NEGATIVE_INFINITY;

  constructor(source: Clock) {
    this.source = source;
  }

  readonly now: Clock = () => {
    const at = this.source().getTime();
    return new Date(Math.max(at, this.floor));
  };

  /** From now on the clock reads `source`, never before the instant it reads at the hand-over. */
  handOver(source: Clock): void {
    this.floor = Math.max(this.floor, this.now().getTime());
    this.source = source;
  }
}

const roleEmail = (accounts: readonly DemoAccount[], role: string): string => {
  const account = accounts.find((a) => a.role === role);
  if (account === undefined) throw new Error(`the demo has no ${role}`);
  return account.email;
};

export interface RecordDemoHistoryOptions {
  readonly store: EventStore;
  /** Identity's facade in this process (the first operator's bootstrap is in process only). */
  readonly identity: IdentityService;
  /** Where each running service listens (host:port by name). */
  readonly addresses: Readonly<Record<string, string>>;
  /** The services' clock, at `periods.closed.start`: moved on through both months. */
  readonly clock: SimulatedClock;
  readonly periods: { readonly closed: DemoMonthPeriod; readonly open: DemoMonthPeriod };
  /** The real now: every step of the month is before it. */
  readonly reference: Date;
  /** The demo accounts' password (default a random one, answered with the seed). */
  readonly password?: string;
}

/** The cooperative and its month, through running services, under the demo's guard. */
export const recordDemoHistory = async (options: RecordDemoHistoryOptions): Promise<DemoHistory> => {
  const address = (name: string) => {
    const found = options.addresses[name];
    if (found === undefined) throw new Error(`no ${name} running`);
    return found;
  };
  let month: DemoMonth | undefined;
  let closedMonth: DemoMonth | undefined;
  const seed = await seedDemoOnce(options.store, options.identity, {
    ...(options.password !== undefined ? { password: options.password } : {}),
    then: async ({ accounts, password, businesses }) => {
      const common = {
        identityAddress: address('identity'),
        jobIntakeAddress: address('job-intake'),
        taskDecompositionAddress: address('task-decomposition'),
        teamSchedulingAddress: address('team-scheduling'),
        timeTrackingAddress: address('time-tracking'),
        settlementAddress: address('settlement'),
        clock: options.clock,
        until: options.reference,
        password,
        operatorEmail: roleEmail(accounts, 'operator (Polaris)'),
        coordinatorEmail: DEMO_COORDINATOR_EMAIL,
        accountantEmail: roleEmail(accounts, 'accountant'),
        businessUserEmails: DEMO_BUSINESS_USER_EMAILS,
        businessIds: businesses.map((b) => b.businessId),
        memberEmails: accounts.filter((a) => a.role.startsWith('member')).map((a) => a.email),
      };
      // The month before last: the region configured, a newcomer, closed; she is forgotten after.
      closedMonth = await seedDemoMonth({
        ...common,
        period: options.periods.closed,
        key: 'demo-earlier-month',
        work: DEMO_EARLIER_MONTH_WORK,
        newcomer: true,
        close: true,
      });
      // The last month, left open.
      month = await seedDemoMonth({ ...common, period: options.periods.open, configure: false });
    },
  });
  return { seed, ...(month ? { month } : {}), ...(closedMonth ? { closedMonth } : {}) };
};

export interface RecordDemoHistoryApartOptions {
  readonly store: EventStore;
  /** The store's URL, as the services read it. */
  readonly storeUrl: string;
  /** The services' environment (their settings; their ports are any free ones here). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly password?: string;
  /** The real now: the month recorded is the Tokyo month before it. */
  readonly reference: Date;
  readonly maxTaskMinutes?: number;
}

/**
 * The history recorded by services of its own, run in this process over `store` on the
 * simulated clock and stopped after (the process mode's seeder, before the processes start).
 */
export const recordDemoHistoryApart = async (options: RecordDemoHistoryApartOptions): Promise<DemoHistory> => {
  const state = await demoSeedStateOf(options.store);
  if (state !== 'none') return { seed: demoNotSeeded(state) };
  const periods = demoMonthsOf(options.reference);
  const clock = new SimulatedClock(periods.closed.start);
  const running = await runServices(options.store, {
    storeUrl: options.storeUrl,
    // Every service but the HTTP edge, nobody else's: on any free port.
    env: { ...options.env, ...Object.fromEntries(DEFINITIONS.map((d) => [portVariable(d.name), '0'])) },
    now: clock.now,
    definitions: DEFINITIONS.filter((d) => d.protocol !== 'http'),
    ...(options.maxTaskMinutes !== undefined ? { maxTaskMinutes: options.maxTaskMinutes } : {}),
  });
  try {
    return await recordDemoHistory({
      store: options.store,
      identity: running.services.identity as IdentityService,
      addresses: running.addresses,
      clock,
      periods,
      reference: options.reference,
      ...(options.password !== undefined ? { password: options.password } : {}),
    });
  } finally {
    await running.stop();
  }
};
