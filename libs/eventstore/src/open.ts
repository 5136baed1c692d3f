import { ValidationError, type EventStore } from '@workshare/eventsourcing';
import { embeddedDriver } from './pglite-driver.js';
import { postgresDriver } from './pg-driver.js';
import { SqlEventStore } from './sql-event-store.js';
import { KurrentDbEventStore } from './kurrentdb-event-store.js';

export const DEFAULT_EVENTSTORE_URL = 'embedded:./.workshare/data';

export interface OpenEventStoreOptions {
  /** PostgreSQL/embedded: schema holding the tables (default `eventstore`). */
  schema?: string;
  /** PostgreSQL: connection pool size (default 10). */
  maxConnections?: number;
}

/**
 * Chooses the adapter from configuration, never code:
 * `postgres://...` (or `postgresql://`), `kurrentdb://...` (or `esdb://`), `embedded:<dir>`,
 * or `embedded:memory` for a throw-away store. Default: `EVENTSTORE_URL`, else `embedded:./.workshare/data`.
 */
export const openEventStore = async (
  url: string = process.env.EVENTSTORE_URL ?? DEFAULT_EVENTSTORE_URL,
  options: OpenEventStoreOptions = {},
): Promise<EventStore> => {
  const scheme = /^([a-z0-9+]+):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return SqlEventStore.open(
        postgresDriver({
          connectionString: url,
          ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
        }),
        options,
      );
    case 'embedded': {
      const dir = url.slice('embedded:'.length);
      if (!dir)
        throw new ValidationError(
          'eventstore.invalid_url',
          'embedded store needs a folder: embedded:<dir> (or embedded:memory)',
        );
      return SqlEventStore.open(embeddedDriver(dir), options);
    }
    case 'kurrentdb':
    case 'kurrentdb+discover':
    case 'kurrent':
    case 'kurrent+discover':
    case 'esdb':
    case 'esdb+discover':
    case 'kdb':
    case 'kdb+discover':
      return KurrentDbEventStore.connect(url);
    default:
      throw new ValidationError(
        'eventstore.invalid_url',
        `EVENTSTORE_URL ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//***@'))} names no known store: use postgres://..., kurrentdb://... or embedded:<dir>`,
      );
  }
};
