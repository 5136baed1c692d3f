#!/usr/bin/env node
/**
 * Records the demo's history into the shared store from a process of its own: what the launcher
 * runs before it spawns the services as separate processes (PostgreSQL, with or without NATS).
 * On a fresh store, every service but the gateway runs here over the store on a simulated clock:
 * the demo cooperative of Fujisato is seeded and its two past Tokyo months of work (the earlier
 * one closed) recorded at their own times (demo-history.ts), then they stop; the processes started after pick the history up
 * from the store. Configuration as the services' processes (EVENTSTORE_URL, IDENTITY_MASTER_KEY,
 * ...), plus WORKSHARE_DEMO_PASSWORD. Writes one JSON line on stdout: the outcome, the accounts,
 * the businesses' ids and the months (never the password unless it was generated here). Records
 * once per store (the guard of demo-seed.ts).
 */
import { DEFAULT_EVENTSTORE_URL, openEventStore } from '@workshare/eventstore';
import { recordDemoHistoryApart } from './demo-history.js';

const main = async (): Promise<void> => {
  const storeUrl = process.env.EVENTSTORE_URL?.trim() || DEFAULT_EVENTSTORE_URL;
  const password = process.env.WORKSHARE_DEMO_PASSWORD || undefined;
  const store = await openEventStore(storeUrl);
  let outcome: unknown;
  try {
    const { seed, month, closedMonth } = await recordDemoHistoryApart({
      store,
      storeUrl,
      env: process.env,
      reference: new Date(),
      ...(password !== undefined ? { password } : {}),
      ...(process.env.TASK_MAX_MINUTES ? { maxTaskMinutes: Number(process.env.TASK_MAX_MINUTES) } : {}),
    });
    outcome =
      seed.status === 'seeded'
        ? {
            status: seed.status,
            accounts: seed.accounts,
            businessIds: seed.businesses.map((b) => b.businessId),
            ...(password === undefined ? { password: seed.password } : {}),
            ...(month ? { month } : {}),
            ...(closedMonth ? { closedMonth } : {}),
          }
        : { status: seed.status, message: seed.message, accounts: seed.accounts };
  } finally {
    await store.close();
  }
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`the demo could not be seeded: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
