#!/usr/bin/env node
/**
 * workshare-store: look at an event store from the shell.
 *   status          adapter, head position, event and stream counts
 *   verify          check every stream's hash chain over the whole log (progress on stderr)
 *   read <stream>   print a stream's events as JSON lines
 * The store is chosen by EVENTSTORE_URL (default embedded:./.workshare/data).
 */
import { formatPosition } from '@workshare/eventsourcing';
import { DEFAULT_EVENTSTORE_URL, openEventStore } from './open.js';
import { verifyLog } from './verify.js';

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

const main = async (argv: string[]): Promise<number> => {
  const [command = 'status', arg] = argv;
  const url = process.env.EVENTSTORE_URL ?? DEFAULT_EVENTSTORE_URL;
  const store = await openEventStore(url);
  try {
    switch (command) {
      case 'status':
      case 'verify': {
        const head = await store.headPosition();
        console.log(`event store: ${store.kind} at ${redact(url)}`);
        console.log(`head position: ${formatPosition(head)}`);
        const result = await verifyLog(store, {
          onProgress: (n) => process.stderr.write(`  checked ${n.toLocaleString('en')} events\n`),
        });
        console.log(
          `${result.events.toLocaleString('en')} events in ${result.streams.toLocaleString('en')} streams; hash chains ${result.breaks.length === 0 ? 'intact' : 'BROKEN'}`,
        );
        for (const b of result.breaks.slice(0, 20))
          console.log(`  ${b.streamName}@${b.streamVersion} (${b.eventId}): ${b.reason}`);
        return result.breaks.length === 0 ? 0 : 2;
      }
      case 'read': {
        if (!arg) throw new Error('usage: workshare-store read <stream>');
        for (const e of await store.readStream(arg)) {
          console.log(JSON.stringify({ ...e, position: formatPosition(e.position) }));
        }
        return 0;
      }
      default:
        console.error(`unknown command ${command}: use status, verify or read <stream>`);
        return 64;
    }
  } finally {
    await store.close();
  }
};

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
