// Writers of the stress test (postgres.stress.int.spec.ts), in a process of their own so that
// appends reach the server as fast as a busy service would send them. Runs the built store.
// Arguments: database url, schema, number of writers, seconds, number of the first writer.
// Prints one JSON line: { acknowledged: [event ids], appends, refused, killed }.
import process from 'node:process';
import { openEventStore } from '../dist/src/index.js';

const [url, schema, writersArg, secondsArg, firstArg] = process.argv.slice(2);
const writers = Number(writersArg);
const first = Number(firstArg);
const deadline = Date.now() + Number(secondsArg) * 1000;
const store = await openEventStore(url, { schema, maxConnections: writers + 2 });
const shared = Array.from({ length: 8 }, (_, i) => `task-shared${i}`);
const acknowledged = [];
const stats = { appends: 0, refused: 0, killed: 0 };

// Half the writers append to a stream of their own with the exact version they know, half to
// streams shared by all with `any`; single events and batches of up to 5.
const writer = async (w) => {
  const own = `member-w${w}`;
  let version;
  while (Date.now() < deadline) {
    const exact = w % 2 === 0;
    const stream = exact ? own : shared[Math.floor(Math.random() * shared.length)];
    const size = Math.random() < 0.6 ? 1 : 2 + Math.floor(Math.random() * 4);
    const events = Array.from({ length: size }, (_, i) => ({ type: 'Worked', data: { w, i } }));
    try {
      const result = await store.append(stream, events, { expectedVersion: exact ? (version ?? 'no_stream') : 'any' });
      for (const e of result.events) acknowledged.push(e.id);
      if (exact) version = result.nextExpectedVersion;
      stats.appends++;
    } catch (error) {
      if (error?.code === 'eventstore.wrong_expected_version') stats.refused++;
      else if (error?.code === '57P01' || /terminat/i.test(String(error?.message))) stats.killed++;
      else throw error;
      // The outcome of a killed append is unknown: read the version again.
      for (let known = !exact; !known;) {
        try {
          version = await store.streamVersion(own);
          known = true;
        } catch {
          // killed again: ask again
        }
      }
    }
  }
};

await Promise.all(Array.from({ length: writers }, (_, k) => writer(first + k)));
await store.close();
process.stdout.write(`${JSON.stringify({ acknowledged, ...stats })}\n`);
