/**
 * Where the PostgreSQL tests find a server: DATABASE_URL (CI sets it); else, where a Docker
 * engine runs, a throw-away container from testcontainers; else nowhere, with the reason.
 * Decided synchronously (jest collects tests synchronously); the container starts lazily.
 */
import { existsSync } from 'node:fs';
import pg from 'pg';

export type PostgresTarget = { url: () => Promise<string>; stop: () => Promise<void> } | { skipped: string };

const dockerAvailable = (): boolean => Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');

export const postgresForTests = (): PostgresTarget => {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) return { url: async () => fromEnv, stop: async () => undefined };
  if (!dockerAvailable())
    return { skipped: 'DATABASE_URL is not set and no Docker engine is reachable for testcontainers' };
  let container: Promise<{ getConnectionUri(): string; stop(): Promise<unknown> }> | undefined;
  const start = () =>
    (container ??= import('@testcontainers/postgresql').then(({ PostgreSqlContainer }) =>
      new PostgreSqlContainer('postgres:15-alpine').start(),
    ));
  return {
    url: async () => (await start()).getConnectionUri(),
    stop: async () => {
      if (container) await (await container).stop();
    },
  };
};

/** A schema of its own for one test file, so that its global log holds only its events. */
export const freshSchema = (label: string): string => `test_${label}_${process.pid}_${Date.now().toString(36)}`;

export const dropSchema = async (url: string, schema: string): Promise<void> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
};

/**
 * Declares a PostgreSQL-backed test file: runs `declare` with a url getter and the file's own
 * schema, or prints why it is skipped and declares a skipped suite.
 */
export const withPostgres = (title: string, declare: (url: () => Promise<string>, schema: string) => void): void => {
  const target = postgresForTests();
  if ('skipped' in target) {
    console.log(`${title} skipped: ${target.skipped}`);
    describe.skip(title, () => it('needs PostgreSQL', () => undefined));
    return;
  }
  const schema = freshSchema(
    title
      .replace(/[^a-z]+/gi, '_')
      .toLowerCase()
      .slice(0, 20),
  );
  afterAll(async () => {
    await dropSchema(await target.url(), schema);
    await target.stop();
  });
  declare(target.url, schema);
};
