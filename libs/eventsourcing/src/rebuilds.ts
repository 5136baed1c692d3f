import { comparePositions, type GlobalPosition } from './envelope.js';
import type { RebuildProgress } from './read-model.js';

/**
 * The orchestration of a read model's rebuilds from zero, shared by every runner (the document
 * read models' DurableReadModel, the table projections' SqlTableProjection): one rebuild at a
 * time (a second request while one runs shares it), carried out by the runner's next pass (it
 * takes `pass()`: empties its state, folds from the beginning, counts the events and reports
 * progress), its progress kept for the runner's status while it runs.
 */

/** What the pass of a rebuild is given: it counts the events it applies and reports its progress. */
export interface RebuildPass {
  /** Events of the read model's categories applied so far. */
  events: number;
  /** Reports where the pass is (`position`), where the log ended when it began (`head`), whether it is done. */
  report(position: GlobalPosition | undefined, head: GlobalPosition, done: boolean): void;
}

/** How far `position` has come towards `head`, from 0 to 1 (by global position: an estimate). */
export const rebuildFraction = (position: GlobalPosition | undefined, head: GlobalPosition): number => {
  if (position === undefined) return 0;
  if (comparePositions(position, head) >= 0) return 1;
  const total = Number(head.prepare);
  return total <= 0 ? 1 : Math.min(1, Number(position.prepare) / total);
};

export class ReadModelRebuilds {
  private requested: RebuildPass | undefined;
  private running: Promise<RebuildProgress> | undefined;
  private seen: (RebuildProgress & { readonly startedAt: Date }) | undefined;

  /**
   * `projection` names the read model in progress reports; `ready` loads its stored state;
   * `catchUp` runs a pass begun after the call (the pass takes the rebuild with `pass()`).
   */
  constructor(
    private readonly projection: string,
    private readonly ready: () => Promise<void>,
    private readonly catchUp: () => Promise<void>,
  ) {}

  /** The rebuild running, until it is done (reads wait for it); undefined when none runs. */
  get done(): Promise<RebuildProgress> | undefined {
    return this.running;
  }

  /** While a rebuild runs: how far it has come, and when it began. */
  get progress(): (RebuildProgress & { readonly startedAt: Date }) | undefined {
    return this.seen;
  }

  /** The rebuild a pass beginning now must carry out, if one was asked for. */
  pass(): RebuildPass | undefined {
    return this.requested;
  }

  /** Rebuilds from zero with the runner's next pass, reporting progress; one running is shared. */
  rebuild(report: (progress: RebuildProgress) => void = () => undefined): Promise<RebuildProgress> {
    if (this.running !== undefined) return this.running;
    const startedAt = new Date();
    const done = (async () => {
      await this.ready();
      let last: RebuildProgress | undefined;
      const request: RebuildPass = {
        events: 0,
        report: (position, head, finished) => {
          last = {
            projection: this.projection,
            events: request.events,
            position,
            head,
            fraction: finished ? 1 : rebuildFraction(position, head),
            done: finished,
          };
          this.seen = { ...last, startedAt };
          report(last);
        },
      };
      this.requested = request;
      await this.catchUp();
      if (last === undefined) throw new Error(`rebuild of ${this.projection} did not run`);
      return last;
    })().finally(() => {
      this.running = undefined;
      this.requested = undefined;
      this.seen = undefined;
    });
    this.running = done;
    return done;
  }
}
