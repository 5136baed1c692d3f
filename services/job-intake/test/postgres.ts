/**
 * Where the PostgreSQL tests find a server: DATABASE_URL (CI sets it). Without it they print
 * why and skip. Each test file works in a schema of its own, dropped at the end, so that runs
 * on one server never see each other's tables.
 */
import { dropPostgresSchemas, uniqueSchemaName } from '@workshare/eventstore';

export const uniqueSchema = (label: string): string => uniqueSchemaName('job_intake', label);

export const dropSchemas = dropPostgresSchemas;

export const withPostgres = (title: string, declare: (url: string) => void): void => {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log(
      `${title} skipped: DATABASE_URL is not set (CI sets it; locally: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)`,
    );
    describe.skip(title, () => it('needs PostgreSQL', () => undefined));
    return;
  }
  describe(title, () => declare(url));
};
