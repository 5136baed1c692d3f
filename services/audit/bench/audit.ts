/**
 * The audit service's part of the bench, through its application facade (AuditService, not
 * gRPC), asked as the accountant:
 *
 * - its projections rebuilt from zero (every read model of the service at once, as an operator's
 *   "rebuild" does), progress on stderr: events of the log per second of the rebuild;
 * - "who held T at t" for every question, one at a time (each also recorded as an audit query
 *   event before it is answered, as every query is): the latency of each, checked against the
 *   generator's truth;
 * - the reconciliation of a closed region-month: one call to warm up, then the median of five.
 */
import { performance } from 'node:perf_hooks';
import { formatNumber, summarizeLatencies, type LatencySummary } from '@workshare/bench';
import type { CommandContext, OperatedReadModel, RebuildProgress } from '@workshare/eventsourcing';
import type { AuditService, Reconciliation } from '../src/contract.js';

export interface RebuildFigures {
  readonly ms: number;
  /** Each read model's events applied and time. */
  readonly models: readonly { readonly projection: string; readonly events: number; readonly ms: number }[];
}

/** The audit's read models rebuilt from zero, all at once; a progress line every 2 s. */
export const rebuildAll = async (models: readonly OperatedReadModel[]): Promise<RebuildFigures> => {
  const latest = new Map<string, RebuildProgress>();
  const started = performance.now();
  const timer = setInterval(() => {
    const parts = [...latest.values()].map(
      (p) => `${p.projection} ${formatNumber(p.events)} events (${Math.floor(p.fraction * 100)}%)`,
    );
    process.stderr.write(`  rebuilding ${((performance.now() - started) / 1000).toFixed(0)} s: ${parts.join(', ')}\n`);
  }, 2_000);
  timer.unref();
  try {
    const done = await Promise.all(
      models.map(async (model) => {
        const begun = performance.now();
        const last = await model.rebuild((p) => latest.set(p.projection, p));
        return { projection: last.projection, events: last.events, ms: performance.now() - begun };
      }),
    );
    return { ms: performance.now() - started, models: done };
  } finally {
    clearInterval(timer);
  }
};

export interface WhoHeldFigures {
  readonly latency: LatencySummary;
  /** Answers whose holder is not the generator's. */
  readonly wrong: number;
  readonly examples: readonly string[];
}

export const askWhoHeld = async (
  service: AuditService,
  as: () => CommandContext,
  questions: readonly { readonly taskId: string; readonly atMs: number; readonly expected: string | null }[],
): Promise<WhoHeldFigures> => {
  // A few untimed first: the first statements of a connection are prepared then.
  for (const q of questions.slice(0, 20))
    await service.whoHeld(as(), { taskId: q.taskId, at: new Date(q.atMs).toISOString() });
  const samples: number[] = [];
  let wrong = 0;
  const examples: string[] = [];
  for (const q of questions) {
    const at = new Date(q.atMs).toISOString();
    const started = performance.now();
    const answer = await service.whoHeld(as(), { taskId: q.taskId, at });
    samples.push(performance.now() - started);
    const holder = answer.holder?.memberId ?? null;
    if (holder !== q.expected) {
      wrong++;
      if (examples.length < 5)
        examples.push(`task ${q.taskId} at ${at}: ${holder ?? 'nobody'}, not ${q.expected ?? 'nobody'}`);
    }
  }
  return { latency: summarizeLatencies(samples), wrong, examples };
};

export interface ReconciliationFigures {
  readonly firstMs: number;
  readonly medianMs: number;
  readonly samplesMs: readonly number[];
  readonly result: Reconciliation;
}

export const reconcile = async (
  service: AuditService,
  as: () => CommandContext,
  month: { readonly regionId: string; readonly month: string },
): Promise<ReconciliationFigures> => {
  let started = performance.now();
  let result = await service.reconciliation(as(), month);
  const firstMs = performance.now() - started;
  const samplesMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    started = performance.now();
    result = await service.reconciliation(as(), month);
    samplesMs.push(performance.now() - started);
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { firstMs, medianMs: sorted[2]!, samplesMs, result };
};
