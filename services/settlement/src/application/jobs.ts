import { JOB_INTAKE_PUBLISHED_EVENTS } from '@workshare/contracts';
import {
  DurableReadModel,
  type DurableReadModelOptions,
  type ProjectionDefinition,
  type ProjectionStore,
  type ReadModelSource,
  type RecordedEvent,
  type StreamViews,
} from '@workshare/eventsourcing';
import { tokyoDate } from '@workshare/time';
import type { JobFacts } from '../domain/model.js';
import { publishedEventOf } from './published.js';

/** The jobs as settlement knows them: job intake's `job` streams (raise the version when the folding changes). */
export const JOBS_PROJECTION: ProjectionDefinition = { name: 'jobs', version: 1, categories: ['job'] };

/** A job stream as this read model folds it: nothing billable until the job's quote is accepted. */
export interface JobStreamView {
  readonly facts: JobFacts | null;
}

const NOTHING_YET: JobStreamView = { facts: null };

/**
 * One more event of a job stream. Only job intake's published events are read
 * (JOB_INTAKE_PUBLISHED_EVENTS): JobAccepted v1 (no pricing: pricing, fee and payment date null,
 * never billed) or v2 (the pricing, the fee, the payment date as a Tokyo day), JobInspected (an
 * accepting one sets `inspectionAcceptedAt` to its occurred-at, the inspection instant; the
 * latest wins), JobCancelled (its occurred-at). Every other event of the stream only moves the
 * view's version (its data is not read).
 */
export const projectJob = (known: JobStreamView | undefined, event: RecordedEvent): JobStreamView => {
  const view = known ?? NOTHING_YET;
  const published = publishedEventOf(JOB_INTAKE_PUBLISHED_EVENTS, event);
  if (published === undefined) return view;
  switch (published.type) {
    case 'JobAccepted': {
      const d = published.data;
      const base = {
        jobId: d.jobId,
        businessId: d.businessId,
        regionId: d.regionId,
        title: d.title,
        workCategory: d.workCategory,
        inspectionAcceptedAt: view.facts?.inspectionAcceptedAt ?? null,
        cancelledAt: view.facts?.cancelledAt ?? null,
      };
      if (published.schemaVersion === 1) return { facts: { ...base, pricing: null, feeYen: null, paymentDate: null } };
      const v2 = published.data;
      return {
        facts: {
          ...base,
          pricing:
            v2.pricing.kind === 'hourly'
              ? { kind: 'hourly', hourlyRateYen: BigInt(v2.pricing.hourlyRateYen) }
              : { kind: 'fixed_price' },
          feeYen: BigInt(v2.feeYen),
          // 00:00 Asia/Tokyo of the payment day, as job intake writes it: its Tokyo day.
          paymentDate: tokyoDate(new Date(v2.paymentDate)),
        },
      };
    }
    case 'JobInspected':
      if (view.facts === null || !published.data.accepted) return view;
      return { facts: { ...view.facts, inspectionAcceptedAt: event.occurredAt } };
    case 'JobCancelled':
      if (view.facts === null) return view;
      return { facts: { ...view.facts, cancelledAt: event.occurredAt } };
    default:
      return view;
  }
};

/**
 * The jobs settlement bills from, as a durable read model of the `job` category (settlement's
 * schema, with its checkpoint): one view per job stream, folded from job intake's published
 * events only, never its tables or internal events.
 */
export class SettlementJobs extends DurableReadModel {
  private readonly views: StreamViews<JobStreamView>;

  constructor(store: ReadModelSource, projections: ProjectionStore, options: DurableReadModelOptions = {}) {
    super(store, projections, JOBS_PROJECTION, options);
    this.views = this.streamViews<JobStreamView>('jobs', {
      accepts: (event) => event.streamName.startsWith('job-'),
      project: projectJob,
    });
  }

  protected apply(event: RecordedEvent): Promise<void> {
    return this.views.apply(event);
  }

  /** A job whose quote was accepted, or undefined. */
  job(jobId: string): JobFacts | undefined {
    return this.views.get(`job-${jobId}`)?.view.facts ?? undefined;
  }

  /** The region's accepted jobs (v1 ones included, their pricing null), by job id. */
  ofRegion(regionId: string): JobFacts[] {
    const jobs: JobFacts[] = [];
    for (const [, { view }] of this.views.entries()) if (view.facts?.regionId === regionId) jobs.push(view.facts);
    return jobs.sort((a, b) => (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0));
  }
}
