import { createLogger } from '@workshare/telemetry/logger';
/**
 * A relay in a process of its own, for the fault test: it relays the PostgreSQL store's log to
 * JetStream and reports on stdout. With RELAY_STALL_AFTER=n it stops making progress once n
 * publishes are acknowledged (mid-page: the page is never checkpointed) and says `stalled`, so the
 * test can SIGKILL it at exactly that point.
 */
import { openEventStore } from '@workshare/eventstore';
import { NatsEventBus } from '../../src/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

/** Errors only, on stderr. */
const quiet = createLogger('relay', {
  level: 'error',
  destination: { write: (line) => void process.stderr.write(line) },
});

const store = await openEventStore(env('RELAY_DATABASE_URL'), { schema: env('RELAY_SCHEMA'), maxConnections: 2 });
const bus = NatsEventBus.start({
  url: env('NATS_URL'),
  stream: env('RELAY_STREAM'),
  subjectPrefix: env('RELAY_PREFIX'),
  duplicateWindowMs: Number(env('RELAY_DUPLICATE_WINDOW_MS')),
  log: quiet,
});
const stallAfter = Number(process.env.RELAY_STALL_AFTER ?? '0');
let acknowledged = 0;
let stalled = false;
const relay = bus.startRelay({
  store,
  relayId: env('RELAY_ID'),
  batchSize: Number(env('RELAY_BATCH_SIZE')),
  checkpointIntervalMs: 0, // after every page: the test knows where the relay must have got to
  onPublished: async () => {
    acknowledged++;
    if (stallAfter > 0 && acknowledged >= stallAfter) {
      if (!stalled) {
        stalled = true;
        process.stdout.write(`stalled ${acknowledged}\n`);
      }
      await new Promise<never>(() => undefined); // hang here until killed
    }
  },
});
await relay.caughtUp();
process.stdout.write(`caught-up ${JSON.stringify(relay.stats)}\n`);
