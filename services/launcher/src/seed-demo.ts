#!/usr/bin/env node
/**
 * Seeds the demo cooperative of Fujisato into the store identity runs on, from a process of its
 * own: what the launcher runs when the services are separate processes (PostgreSQL and NATS).
 * Configuration as the identity process (EVENTSTORE_URL, IDENTITY_MASTER_KEY...), plus
 * WORKSHARE_DEMO_PASSWORD. Writes one JSON line on stdout: the outcome, the accounts and the
 * businesses' ids (never the password unless it was generated here). Seeds once per store
 * (the guard of demo-seed.ts).
 */
import { openIdentityService } from '@workshare/identity';
import { seedDemoOnce } from './demo-seed.js';

const main = async (): Promise<void> => {
  const runtime = await openIdentityService({ env: process.env });
  try {
    const password = process.env.WORKSHARE_DEMO_PASSWORD || undefined;
    const seed = await seedDemoOnce(runtime.store, runtime.service, password !== undefined ? { password } : {});
    const outcome =
      seed.status === 'seeded'
        ? {
            status: seed.status,
            accounts: seed.accounts,
            businessIds: seed.businesses.map((b) => b.businessId),
            ...(password === undefined ? { password: seed.password } : {}),
          }
        : { status: seed.status, message: seed.message, accounts: seed.accounts };
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
  } finally {
    await runtime.close();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`the demo could not be seeded: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
