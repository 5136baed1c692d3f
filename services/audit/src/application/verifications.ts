import type { VerificationReport } from '../contract.js';
import type { LogVerifier } from './ports.js';

/**
 * The log's verification, run in the background (at an interval, and on demand) over the whole
 * log, and for a range when one is asked: the last whole-log report is kept and answered at once,
 * with the progress of the one running, if any. Runs of the same range share one run.
 */

export type SealBound =
  { readonly kind: 'seal'; readonly sequence: number } | { readonly kind: 'instant'; readonly at: Date };

export class Verifications {
  private last: VerificationReport | undefined;
  private running:
    | {
        readonly promise: Promise<VerificationReport>;
        readonly progress: { checkedEvents: number; readonly startedAt: Date };
      }
    | undefined;
  private readonly ranged = new Map<string, Promise<VerificationReport>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly verifier: LogVerifier,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Verifies the whole log every `intervalMs` (the first after one interval; before, a query runs one), until stop(). */
  start(intervalMs: number, onError: (error: unknown) => void): void {
    if (this.timer !== undefined) return;
    const run = () => void this.verifyAll().catch(onError);
    this.timer = setInterval(run, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.promise.catch(() => undefined);
    await Promise.all([...this.ranged.values()].map((p) => p.catch(() => undefined)));
  }

  /** A verification of the whole log beginning now (one already running is the one answered). */
  verifyAll(): Promise<VerificationReport> {
    if (this.running !== undefined) return this.running.promise;
    const progress = { checkedEvents: 0, startedAt: this.now() };
    const promise = this.verifier
      .verify({}, (events) => {
        progress.checkedEvents = events;
      })
      .then((report) => {
        this.last = report;
        return report;
      })
      .finally(() => {
        this.running = undefined;
      });
    this.running = { promise, progress };
    return promise;
  }

  /** The report asked for: the last whole-log one (or a fresh one), or the range's. */
  async report(q: {
    readonly from?: SealBound;
    readonly to?: SealBound;
    readonly fresh: boolean;
  }): Promise<VerificationReport> {
    if (q.from === undefined && q.to === undefined) {
      const report = q.fresh || this.last === undefined ? await this.verifyAll() : this.last;
      return this.withRunning(report);
    }
    const range = await this.sealRange(q.from, q.to);
    const key = `${range.fromSeal ?? ''}:${range.toSeal ?? ''}`;
    let promise = this.ranged.get(key);
    if (promise === undefined) {
      promise = this.verifier.verify(range, () => undefined).finally(() => this.ranged.delete(key));
      this.ranged.set(key, promise);
    }
    return this.withRunning(await promise);
  }

  private withRunning(report: VerificationReport): VerificationReport {
    const running = this.running;
    return {
      ...report,
      running:
        running === undefined
          ? null
          : { checkedEvents: running.progress.checkedEvents, startedAt: running.progress.startedAt.toISOString() },
    };
  }

  /** Seal sequences for the bounds: an instant starts at the last seal made by then and ends at the first made from then. */
  private async sealRange(
    from: SealBound | undefined,
    to: SealBound | undefined,
  ): Promise<{ fromSeal?: number; toSeal?: number }> {
    const needSeals = from?.kind === 'instant' || to?.kind === 'instant';
    const seals = needSeals ? await this.verifier.seals() : [];
    const range: { fromSeal?: number; toSeal?: number } = {};
    if (from !== undefined) {
      if (from.kind === 'seal') range.fromSeal = from.sequence;
      else {
        const before = seals.filter((s) => Date.parse(s.sealedAt) <= from.at.getTime());
        const seal = before[before.length - 1];
        if (seal !== undefined) range.fromSeal = seal.sequence;
      }
    }
    if (to !== undefined) {
      if (to.kind === 'seal') range.toSeal = to.sequence;
      else {
        const seal = seals.find((s) => Date.parse(s.sealedAt) >= to.at.getTime());
        if (seal !== undefined) range.toSeal = seal.sequence;
      }
    }
    return range;
  }
}
