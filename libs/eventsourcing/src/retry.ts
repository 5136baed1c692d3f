/**
 * The one retry loop: try, and after a failure that `retryIf` accepts wait an exponentially
 * growing, jittered delay and try again, up to `attempts` tries in all. Every retrying piece of
 * the platform (command handlers on version conflicts, gRPC clients on UNAVAILABLE, the bus and
 * the relay on a broker outage) goes through it.
 */
export interface RetryPolicy {
  /** Tries in all, the first included (at least 1; Infinity: until it succeeds or is aborted). */
  readonly attempts: number;
  /** Delay after the first failure, in ms; doubled (times `factor`) after each further one. */
  readonly baseDelayMs: number;
  /** The longest delay, in ms (default: no bound). */
  readonly maxDelayMs?: number;
  /** Growth per failure (default 2). */
  readonly factor?: number;
  /**
   * `full`: a random delay between 0 and the exponential one (default: spreads a crowd of
   * retriers); `equal`: between half of it and all of it; `none`: exactly it.
   */
  readonly jitter?: 'full' | 'equal' | 'none';
  /**
   * The wait after failed try number `attempt`, instead of the exponential one (a configured
   * schedule, such as a bus subscription's backoff list).
   */
  readonly delayMs?: (attempt: number) => number;
  /** Whether a failure is worth another try (default: every failure). */
  readonly retryIf?: (error: unknown, attempt: number) => boolean;
  /** Told before each wait (for logs and metrics). */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Aborting stops the waiting: the last failure is thrown. */
  readonly signal?: AbortSignal;
  /** The random source, in [0, 1) (tests pass a fixed one). */
  readonly random?: () => number;
}

/** The wait after failed try number `attempt` (1 for the first failure). */
export const retryDelayMs = (policy: RetryPolicy, attempt: number): number => {
  if (policy.delayMs) return Math.max(0, Math.round(policy.delayMs(attempt)));
  const exponential = policy.baseDelayMs * (policy.factor ?? 2) ** (attempt - 1);
  const capped = Math.min(exponential, policy.maxDelayMs ?? Number.POSITIVE_INFINITY);
  const random = (policy.random ?? Math.random)();
  const jitter = policy.jitter ?? 'full';
  const delay = jitter === 'none' ? capped : jitter === 'equal' ? capped / 2 + (random * capped) / 2 : random * capped;
  return Number.isFinite(delay) && delay > 0 ? Math.round(delay) : 0;
};

const wait = (ms: number, signal: AbortSignal | undefined): Promise<boolean> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Runs `work(attempt)` (attempt 1, 2, ...) until it succeeds, or throws its last failure. */
export const retry = async <T>(work: (attempt: number) => Promise<T>, policy: RetryPolicy): Promise<T> => {
  if (!(policy.attempts >= 1))
    throw new RangeError(`a retry policy makes at least one attempt, not ${policy.attempts}`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      const again = attempt < policy.attempts && (policy.retryIf?.(error, attempt) ?? true);
      if (!again) throw error;
      const delay = retryDelayMs(policy, attempt);
      policy.onRetry?.(error, attempt, delay);
      if (!(await wait(delay, policy.signal))) throw error;
    }
  }
};
