/**
 * Where the PostgreSQL tests find a server: DATABASE_URL (CI sets it). Without it they are
 * skipped and say why, except under CI, where they fail (describeNeeding). Each suite works in a
 * throw-away database of its own (the store's schema, the audit's and identity's beside it),
 * dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { createPostgresDatabase, dropPostgresDatabase } from '@workshare/eventstore';
import { describeNeeding } from '../../../libs/bus/test/support/nats.js';

export const withPostgres = (title: string, declare: (url: string) => void): void =>
  describeNeeding(title, { DATABASE_URL: process.env.DATABASE_URL }, (found) => declare(found.DATABASE_URL));

/** A database of its own on the server of `url`: its URL, and how to drop it. */
export const throwAwayDatabase = async (
  url: string,
  label: string,
): Promise<{ url: string; drop(): Promise<void> }> => {
  const name = `audit_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  return { url: await createPostgresDatabase(url, name), drop: () => dropPostgresDatabase(url, name) };
};
