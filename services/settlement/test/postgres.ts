/**
 * Where the PostgreSQL tests find a server: DATABASE_URL (CI sets it). Without it they are
 * skipped and say why, except under CI, where they fail (describeNeeding). Each test file works
 * in a schema of its own, dropped at the end, so that runs on one server never see each other's tables.
 */
import { dropPostgresSchemas, uniqueSchemaName } from '@workshare/eventstore';
import { describeNeeding } from '../../../libs/bus/test/support/nats.js';

export const uniqueSchema = (label: string): string => uniqueSchemaName('settlement', label);

export const dropSchemas = dropPostgresSchemas;

export const withPostgres = (title: string, declare: (url: string) => void): void =>
  describeNeeding(title, { DATABASE_URL: process.env.DATABASE_URL }, (found) => declare(found.DATABASE_URL));
