#!/usr/bin/env node
/**
 * workshare-store: look at an event store from the shell.
 *   status                       adapter, head position, event and stream counts, hash chains
 *   verify [options]             check every stream's hash chain and, with seals, the log chain
 *                                against them; every break printed, progress on stderr, exit 1 on any
 *     --seals <file>             the seal log (FileSealLog, JSON lines)
 *     --public-key <pem|file>    the key that verifies them (SPKI PEM, or a file of it)
 *     --from <seal>              start at this seal (its sequence): the range after it
 *     --to <seal>                end at this seal
 *     --workers <n>              hashing threads (default: one per core but one)
 *   seal --seals <file>          seal the log now (reason 'manual'), with the key of WORKSHARE_SEAL_KEY
 *   seal-key <file>              make a new Ed25519 seal key (PKCS#8 PEM, mode 0600); print its public key
 *   read <stream>                print a stream's events as JSON lines
 * The store is chosen by EVENTSTORE_URL (default embedded:./.workshare/data).
 */
import { formatPosition } from '@workshare/eventsourcing';
import { DEFAULT_EVENTSTORE_URL, openEventStore } from './open.js';
import { FileSealLog, generateSealKey, loadSealKey } from './seals.js';
import { LogSealer } from './sealer.js';
import { verifyLog, type LogBreak } from './verify.js';

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

const USAGE =
  'usage: workshare-store status | verify [--seals <file> --public-key <pem|file>] [--from <seal>] [--to <seal>] [--workers <n>]' +
  ' | seal --seals <file> | seal-key <file> | read <stream>';

class UsageError extends Error {}

/** `--name value` options and the rest. */
const parseOptions = (args: readonly string[], known: readonly string[]) => {
  const options = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      rest.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}\n${USAGE}`);
    const value = inline ?? args[++i];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value\n${USAGE}`);
    options.set(name, value);
  }
  return { options, rest };
};

const wholeNumber = (name: string, text: string | undefined, min: number): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} ${text} is not a whole number ≥ ${min}`);
  return n;
};

const describeBreak = (b: LogBreak): string => {
  const where = [
    b.streamName !== undefined
      ? `${b.streamName}${b.streamVersion !== undefined ? `@${b.streamVersion}` : ''}`
      : undefined,
    b.position !== undefined ? `position ${b.position}` : undefined,
    b.eventId !== undefined ? `event ${b.eventId}` : undefined,
    b.seal !== undefined ? `seal #${b.seal}` : undefined,
  ].filter((part) => part !== undefined);
  return `  ${b.kind.toUpperCase()}${where.length > 0 ? ` ${where.join(', ')}` : ''}: ${b.reason}`;
};

const main = async (argv: string[]): Promise<number> => {
  const [command = 'status', ...args] = argv;
  if (command === 'seal-key') {
    const [path] = args;
    if (!path) throw new UsageError(`seal-key needs the file to write\n${USAGE}`);
    const key = generateSealKey(path);
    process.stderr.write(`seal key ${key.keyId} written to ${path} (mode 0600): keep it away from the database\n`);
    process.stdout.write(key.publicKeyPem);
    return 0;
  }
  if (!['status', 'verify', 'seal', 'read'].includes(command)) {
    console.error(`unknown command ${command}\n${USAGE}`);
    return 64;
  }
  const { options, rest } = parseOptions(
    args,
    command === 'verify' ? ['seals', 'public-key', 'from', 'to', 'workers'] : command === 'seal' ? ['seals'] : [],
  );
  if (command === 'verify' && options.has('seals') !== options.has('public-key'))
    throw new UsageError('--seals and --public-key go together: the seals are checked with the key');
  if (command === 'verify' && (options.has('from') || options.has('to')) && !options.has('seals'))
    throw new UsageError('--from and --to name seals: give --seals and --public-key');
  if (command === 'seal' && !options.has('seals')) throw new UsageError(`seal needs --seals <file>\n${USAGE}`);
  const from = wholeNumber('from', options.get('from'), 1);
  const to = wholeNumber('to', options.get('to'), 1);
  const workers = wholeNumber('workers', options.get('workers'), 0);
  const sealKey = command === 'seal' ? loadSealKey() : undefined;

  const url = process.env.EVENTSTORE_URL ?? DEFAULT_EVENTSTORE_URL;
  const store = await openEventStore(url);
  try {
    switch (command) {
      case 'status':
      case 'verify': {
        const head = await store.headPosition();
        console.log(`event store: ${store.kind} at ${redact(url)}`);
        console.log(`head position: ${formatPosition(head)}`);
        const sealsFile = options.get('seals');
        const seals = sealsFile !== undefined ? await new FileSealLog(sealsFile).readAll() : undefined;
        if (sealsFile !== undefined) console.log(`seals: ${seals!.length.toLocaleString('en')} in ${sealsFile}`);
        const started = Date.now();
        const result = await verifyLog(store, {
          ...(seals !== undefined ? { seals, publicKey: options.get('public-key')! } : {}),
          ...(from !== undefined ? { from } : {}),
          ...(to !== undefined ? { to } : {}),
          ...(workers !== undefined ? { workers } : {}),
          onProgress: (n) => process.stderr.write(`  checked ${n.toLocaleString('en')} events\n`),
        });
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        console.log(
          `${result.events.toLocaleString('en')} events in ${result.streams.toLocaleString('en')} streams after ${result.from}, ` +
            `${seals !== undefined ? `${result.seals.checked} seals checked, ` : ''}in ${seconds} s: ${result.intact ? 'intact' : `BROKEN (${result.breaks.length} breaks)`}`,
        );
        if (result.seals.last !== undefined)
          console.log(
            `last seal: #${result.seals.last.sequence} at ${result.seals.last.position} (${result.seals.last.events.toLocaleString('en')} events, ${result.seals.last.sealedAt})`,
          );
        if (seals !== undefined && to === undefined)
          console.log(
            `unsealed: ${result.unsealed.events.toLocaleString('en')} events after ${result.unsealed.after ?? 'the start'} (covered by the next seal)`,
          );
        else if (seals === undefined && command === 'verify')
          console.log('no seals given: only the hash chains were checked (--seals, --public-key)');
        for (const b of result.breaks) console.log(describeBreak(b));
        return result.intact ? 0 : 1;
      }
      case 'seal': {
        const sink = new FileSealLog(options.get('seals')!);
        const sealer = LogSealer.start({ store, key: sealKey!, sinks: [sink], pollIntervalMs: 3_600_000 });
        try {
          const seal = await sealer.sealNow('manual');
          if (seal === undefined) console.log('the log is empty: nothing to seal');
          else
            console.log(
              `seal #${seal.sequence} at ${seal.position} (${seal.events.toLocaleString('en')} events, ${seal.reason}) in ${sink.path}`,
            );
        } finally {
          await sealer.stop();
        }
        return 0;
      }
      default: {
        const [stream] = rest;
        if (!stream) throw new UsageError('usage: workshare-store read <stream>');
        for (const e of await store.readStream(stream)) {
          console.log(JSON.stringify({ ...e, position: formatPosition(e.position) }));
        }
        return 0;
      }
    }
  } finally {
    await store.close();
  }
};

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(error instanceof UsageError ? 64 : 2);
  },
);
