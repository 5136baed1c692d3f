/**
 * The little a SQL event store needs from a database driver. Two implementations: node-pg
 * against a PostgreSQL server, and PGlite (PostgreSQL compiled to WebAssembly) in process.
 */
export interface SqlDriver {
  readonly kind: 'postgres' | 'embedded';
  /** `name` asks the driver to prepare the statement once per connection and reuse its plan. */
  query<Row>(sql: string, params?: readonly unknown[], name?: string): Promise<Row[]>;
  /** Runs `work` in one transaction on one connection. */
  transaction<T>(work: (query: SqlDriver['query']) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A database error with its SQLSTATE, from either driver. */
export interface SqlError {
  code?: string;
  detail?: string;
  message: string;
}

export const isSqlError = (error: unknown): error is SqlError =>
  typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
