import { performance } from 'node:perf_hooks';

/**
 * Long work on one thread (a catch-up over a long log, a read model folding it, the embedded
 * store's WebAssembly queries) runs from promise to promise, and promises alone never let the
 * event loop reach its timers or its I/O: a process doing it answers no HTTP or gRPC call until
 * it is done. `breathe()` between steps of such work gives the loop one turn (setImmediate: I/O,
 * then timers) once the thread has worked `busyMs` since its last turn, and costs a clock read
 * otherwise.
 */
export const DEFAULT_BUSY_MS = 5;

let lastTurn = performance.now();

const turn = (): Promise<void> =>
  new Promise((resolve) =>
    setImmediate(() => {
      lastTurn = performance.now();
      resolve();
    }),
  );

/** Resolves at once, or after one turn of the event loop when this thread has been busy `busyMs` or longer. */
export const breathe = (busyMs: number = DEFAULT_BUSY_MS): Promise<void> | undefined =>
  performance.now() - lastTurn >= busyMs ? turn() : undefined;
