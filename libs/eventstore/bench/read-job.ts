import type { BackendKind } from './config.js';

/** What a read worker is asked to do: read the whole log once, through the store or through plain SQL. */
export interface ReadJob {
  side: 'store' | 'plain';
  kind: BackendKind;
  /** Connection string (postgres) or data folder (embedded). */
  location: string;
  schema: string;
  pageSize: number;
  /** How many events the log holds; a worker that reads another count fails. */
  expected: number;
}

/** What it answers, over IPC. */
export interface ReadReport {
  events: number;
  /** Time of the read alone (connections already open), in ms. */
  ms: number;
  /** Peak resident set size of the worker process during the read, in bytes. */
  peakRssBytes: number;
  /** RSS when the read started, in bytes. */
  startRssBytes: number;
  /** Then the first SMALL_PAGE_EVENTS events again, in pages of SMALL_PAGE_SIZE (as a subscription polls): how many, and the time. */
  smallPageEvents: number;
  smallPageMs: number;
}

/** The small-page read: pages of 100 (a subscription's page), over the first 20,000 events. */
export const SMALL_PAGE_SIZE = 100;
export const SMALL_PAGE_EVENTS = 20_000;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export const parseReadJob = (text: string | undefined): ReadJob => {
  const value: unknown = JSON.parse(text ?? 'null');
  if (
    isObject(value) &&
    (value.side === 'store' || value.side === 'plain') &&
    (value.kind === 'postgres' || value.kind === 'embedded') &&
    typeof value.location === 'string' &&
    typeof value.schema === 'string' &&
    typeof value.pageSize === 'number' &&
    typeof value.expected === 'number'
  ) {
    return {
      side: value.side,
      kind: value.kind,
      location: value.location,
      schema: value.schema,
      pageSize: value.pageSize,
      expected: value.expected,
    };
  }
  throw new Error(`not a read job: ${text}`);
};

export const isReadReport = (value: unknown): value is ReadReport =>
  isObject(value) &&
  typeof value.events === 'number' &&
  typeof value.ms === 'number' &&
  typeof value.peakRssBytes === 'number' &&
  typeof value.startRssBytes === 'number' &&
  typeof value.smallPageEvents === 'number' &&
  typeof value.smallPageMs === 'number';
