/**
 * The verification figure alone (bench/verify.ts): `npm run build && npm run bench:verify`.
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; the database
 * bench_eventstore_verify is made and dropped), BENCH_VERIFY_EVENTS (1,000,000), BENCH_VERIFY_WORKERS.
 */
import { recordResults } from '@workshare/bench';
import { benchVerify } from './verify.js';

const main = async (): Promise<void> => {
  const result = await benchVerify(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  recordResults([result]);
};

main().catch((error: unknown) => {
  console.error('eventstore verification bench failed:', error);
  process.exitCode = 1;
});
