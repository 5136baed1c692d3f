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
  /**
   * Runs `work` holding an exclusive lease on each of these ids (32-bit integers), taken one by
   * one in ascending order and let go when `work` settles. PostgreSQL: advisory locks
   * (LEASE_LOCK_KEY, id) held by a transaction on a connection of their own, so they reach every
   * process on the server and go with the connection should the process die; the callers of
   * this driver queue in process first, so that one id costs one connection however many wait.
   * Embedded: in process, shared by every driver on the same folder (one process opens it).
   */
  lease<T>(ids: readonly number[], work: () => Promise<T>): Promise<T>;
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
