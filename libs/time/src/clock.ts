/**
 * The platform's clock: what every decision reads "now" from and what every event's occurredAt
 * is. Whoever runs the platform gives one `Clock` (the system's by default) and it reaches every
 * service, so that the whole platform can run at a simulated time (a demo recorded in the past, a
 * month closed by a test without waiting for it to end): see SimulatedClock.
 */
export type Clock = () => Date;

/** The real time: a fresh Date each call. */
export const systemClock: Clock = () => new Date();

const msOf = (instant: Date, what: string): number => {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not a valid date`);
  return ms;
};

/**
 * A clock that stands still at an instant until it is told to move: `set` it to a later
 * instant or `advance` it by some milliseconds. It never goes backwards (both throw a
 * RangeError instead), so that the events of a simulated run keep their order in time.
 * `now` is bound: pass `clock.now` wherever a Clock is taken.
 */
export class SimulatedClock {
  private ms: number;

  constructor(start: Date) {
    this.ms = msOf(start, 'the start');
  }

  /** The simulated instant, a fresh Date each call. */
  readonly now: Clock = () => new Date(this.ms);

  /** Moves the clock to `instant` (the same instant or later): answers it. */
  set(instant: Date): Date {
    const ms = msOf(instant, 'the instant');
    if (ms < this.ms)
      throw new RangeError(
        `the clock never goes backwards: ${instant.toISOString()} is before ${new Date(this.ms).toISOString()}`,
      );
    this.ms = ms;
    return this.now();
  }

  /** Moves the clock `ms` milliseconds on (0 or more): answers the new instant. */
  advance(ms: number): Date {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
      throw new RangeError(`the clock advances by 0 ms or more, not ${String(ms)}`);
    const next = new Date(this.ms + ms).getTime();
    if (Number.isNaN(next)) throw new RangeError(`advancing by ${ms} ms leaves the range of dates`);
    this.ms = next;
    return this.now();
  }
}
