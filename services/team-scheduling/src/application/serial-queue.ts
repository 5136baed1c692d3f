/**
 * Runs jobs one after the other, in the order they were queued. Every command of the process
 * that writes goes through one queue, so that two jobs are never planned from the same picture
 * of who is busy when (one member double-booked) within the process. Across replicas, the
 * decisions about members' time also hold the leases of their regions (Workbench.booking).
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(job, job);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
