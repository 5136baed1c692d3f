/**
 * Runs jobs one after the other, in the order they were queued. Every scheduling command of
 * the process goes through one queue, so that two jobs are never planned from the same stale
 * picture of who is busy when (one member double-booked). This holds within one process: the
 * service runs as a single replica (see the README).
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(job, job);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
