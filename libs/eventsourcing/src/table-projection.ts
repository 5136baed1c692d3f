import type { GlobalPosition, RecordedEvent } from './envelope.js';
import type { ProjectionDefinition, RebuildProgress, ReadModelStatus } from './read-model.js';

/**
 * Table projections: read models kept as query tables (SQL rows, indexed for the questions they
 * answer) rather than as documents held in memory. A table projection is a pure mapping from a
 * page of the log to rows of its tables; the runner (SqlTableProjection of @workshare/eventstore)
 * reads the log page by page after the projection's checkpoint, writes each page's rows with
 * multi-row statements and moves the checkpoint in the same transaction. Rows are keyed so that
 * writing a page twice changes nothing (by the event's global position or id, or a key whose
 * newer value wins), so a crash anywhere loses and doubles nothing, and a rebuild from zero
 * (on demand, or when the projection's version changes) empties its tables and folds the log again.
 */

/**
 * A read model as the people who run the platform see it: the ops ReadModels API (list, rebuild
 * with progress), the `workshare read-models` CLI, a service's stop (flush). Both kinds of durable
 * read model are one: DurableReadModel (documents in memory) and SqlTableProjection (query tables).
 */
export interface OperatedReadModel {
  readonly definition: ProjectionDefinition;
  status(): ReadModelStatus;
  /** Rebuilds from zero, reporting progress; one running is shared. */
  rebuild(report?: (progress: RebuildProgress) => void): Promise<RebuildProgress>;
  /** Resolves once it holds what was logged up to its staleness bound ago. */
  ensureFresh(): Promise<void>;
  /** A pass that begins after this call. */
  catchUp(): Promise<void>;
  /** Before the process stops: commits what it has folded. */
  flush(): Promise<void>;
}

/** The categories of a projection that reads the whole log: every stream of every service. */
export const WHOLE_LOG: readonly string[] = Object.freeze(['*']);

export const readsWholeLog = (definition: ProjectionDefinition): boolean =>
  definition.categories.length === 1 && definition.categories[0] === '*';

/** The SQL types a table projection's columns may have. */
export type ColumnType = 'text' | 'integer' | 'bigint' | 'numeric' | 'boolean' | 'timestamptz' | 'jsonb';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** Default false: NOT NULL. */
  readonly nullable?: boolean;
}

/** One query table of a projection, in the service's schema. */
export interface TableSpec {
  /** `holdings`: the table's name in the schema (lower case, digits, `_`). */
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  /** The primary key's columns: a row written twice is one row. */
  readonly key: readonly string[];
  /**
   * What a row whose key is already stored does: `ignore` (default: the first written stays, for
   * rows that are facts of one event) or `update` the listed columns, only when the stored row's
   * `versionColumn` is not above the new one's (rows that follow a changing thing: the latest wins).
   */
  readonly onConflict?:
    | { readonly kind: 'ignore' }
    | { readonly kind: 'update'; readonly columns: readonly string[]; readonly versionColumn: string };
  /** Secondary indexes: their name (unique in the schema) and column list, e.g. `(task_id, at DESC)`. */
  readonly indexes?: readonly { readonly name: string; readonly on: string; readonly unique?: boolean }[];
}

/** An event as a table projection reads it: the envelope without the hash chain (the lean read). */
export type ProjectedEvent = Omit<RecordedEvent, 'hash' | 'previousHash'>;

/** Rows to write, by table name; each row is the table's columns' values in its spec's order. */
export type TableRows = ReadonlyMap<string, readonly (readonly unknown[])[]>;

/**
 * Reads inside the page's transaction, for a projection that needs what earlier pages wrote
 * (the value before a correction, the job a task belongs to). `table(name)` is the qualified
 * name of one of its tables (`"audit".holdings`).
 */
export interface TableReads {
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  table(name: string): string;
}

export interface TableProjection {
  /** Its name, code version and categories (WHOLE_LOG for every stream). */
  readonly definition: ProjectionDefinition;
  readonly tables: readonly TableSpec[];
  /**
   * The rows of one page of its categories' events, in log order. Pure but for `reads` (state
   * written by earlier pages or this page's earlier rows are not visible: fold the page itself).
   * Writing the same page twice must change nothing. A page read from a SQL store ends where an
   * append ends: the events one decision appended are in one page.
   */
  project(page: readonly ProjectedEvent[], reads: TableReads): TableRows | Promise<TableRows>;
}

/** Where a table projection is: for ops and for queries that say how fresh their answer is. */
export interface TableProjectionPosition {
  readonly position: GlobalPosition | undefined;
  readonly generation: number;
}
