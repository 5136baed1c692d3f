/**
 * Verification of the whole log, or of a range starting at a seal: every stream's hash chain and
 * the log chain are recomputed from what the database holds, and checked against the seals
 * (seals.ts). Every break is reported, each naming what it can: stream, version, global position,
 * event id, seal.
 */
import {
  formatPosition,
  GENESIS_HASH,
  hashSchemeOf,
  parsePosition,
  type EventStore,
  type GlobalPosition,
  type HashScheme,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import type { KeyObject } from 'node:crypto';
import { HashingPool, rowSchemes, type LogRow } from './log-hashing.js';
import { checkSeals, logLink, LOG_START, sealPublicKey, type Seal, type SealTip } from './seals.js';
import type { LogScanner } from './sql-event-store.js';

export type LogBreakKind = 'changed' | 'missing' | 'inserted' | 'reordered' | 'seal';

export interface LogBreak {
  kind: LogBreakKind;
  /** The stream, version, event id and global position (formatPosition) concerned, where they exist. */
  streamName?: string;
  streamVersion?: number;
  eventId?: string;
  position?: string;
  /**
   * For a stream whose last sealed hash differs (its chain was recomputed after a change): the
   * earliest version that may have changed (the one after the stream's tip in the seal before).
   */
  fromVersion?: number;
  /** The seal (its sequence) whose check found the break. */
  seal?: number;
  reason: string;
}

export interface LogVerification {
  /** Events read. */
  events: number;
  /** Streams met. */
  streams: number;
  /** Every break, in the order found. */
  breaks: LogBreak[];
  intact: boolean;
  /** Where the reading started (after this position; 0/0 for the whole log) and the last event read. */
  from: string;
  last?: string;
  seals: {
    /** Seals given, and how many of them were checked against the log. */
    given: number;
    checked: number;
    /** The last seal checked. */
    last?: { sequence: number; position: string; events: number; sealedAt: string };
  };
  /**
   * Events after the last seal (none when the range ends at a seal): covered by no seal yet, so a
   * database writer may change, remove or forge them undetected until the next seal.
   */
  unsealed: { events: number; after?: string };
}

export interface VerifyLogOptions {
  /** The seals to check against, oldest first, as kept (FileSealLog / NATS readAll). */
  seals?: readonly unknown[];
  /** The key that verifies them (SPKI PEM, a file of it, or a KeyObject); required with seals. */
  publicKey?: string | KeyObject;
  /** Start after this seal (its sequence): the range begins where it ends, from its log hash. */
  from?: number;
  /** End at this seal (its sequence) instead of the end of the log. */
  to?: number;
  /** Told the count of events read every `every` (default 50,000) events. */
  onProgress?: (events: number) => void;
  every?: number;
  /** Hashing threads for the SQL store's rows (default: one per core but one; 0: on this thread). */
  workers?: number;
  /** Events per read (default 10,000). */
  pageSize?: number;
}

/** Decimal text of non-negative integers, compared as numbers. */
const compareDecimal = (a: string, b: string): number =>
  a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
const comparePos = (c1: string, p1: string, c2: string, p2: string): number =>
  compareDecimal(c1, c2) || compareDecimal(p1, p2);

/** One event as the checks see it, from either reading path. */
interface Checked {
  c: string;
  p: string;
  id: string;
  s: string;
  v: number;
  /** recorded-at and occurred-at in microseconds since the epoch (the ms × 1000 where the store gives only ms). */
  r: number;
  o: number;
  ph: string;
  h: string;
}

interface Tail {
  v: number;
  h: string;
  scheme?: HashScheme | undefined;
}

interface RangeTip {
  v: number;
  h: string;
  c: string;
  p: string;
  id: string;
}

class LogChecker {
  readonly breaks: LogBreak[] = [];
  private readonly tails = new Map<string, Tail>();
  private readonly rangeTips = new Map<string, RangeTip>();
  private readonly sealedTips = new Map<string, SealTip>();
  /** Streams whose sealed tip hash was found changed, and at which seal first. */
  private readonly recomputed = new Map<string, number>();
  private readonly pending: { seal: Seal; c: string; p: string }[];
  private breaksInRange = 0;
  /** Whether an event of hash scheme 1 (recorded-at outside its hash) lies between the last seal and the next. */
  private legacyInRange = false;
  read = 0;
  sinceSeal = 0;
  checkedSeals = 0;
  lastSeal: Seal | undefined;
  private lastRow: Checked | undefined;

  constructor(
    private logHash: string,
    private count: number,
    seed: readonly Seal[],
    toCheck: readonly Seal[],
  ) {
    for (const seal of seed) for (const tip of seal.tips) this.sealedTips.set(tip.stream, tip);
    for (const tip of this.sealedTips.values()) this.tails.set(tip.stream, { v: tip.version, h: tip.hash });
    this.lastSeal = seed[seed.length - 1];
    this.pending = toCheck.map((seal) => {
      const [c, p] = seal.position.split('/') as [string, string];
      return { seal, c, p };
    });
  }

  get streams(): number {
    return this.tails.size;
  }

  private report(b: LogBreak): void {
    this.breaks.push(b);
    this.breaksInRange++;
  }

  /** Checks one event, in log order; `scheme` is the hash scheme its stored hash matches (0: none). */
  event(e: Checked, scheme: number): void {
    while (this.pending.length > 0 && comparePos(e.c, e.p, this.pending[0]!.c, this.pending[0]!.p) > 0)
      this.closeSeal(this.pending.shift()!.seal);
    let tail = this.tails.get(e.s);
    if (tail === undefined) {
      tail = { v: -1, h: GENESIS_HASH };
      this.tails.set(e.s, tail);
    }
    if (e.v === tail.v + 1 && e.ph === tail.h && scheme === 2 && e.r % 1000 === 0 && e.o % 1000 === 0) {
      // The common case: the next event of its stream, intact.
      tail.v = e.v;
      tail.h = e.h;
      tail.scheme = 2;
    } else this.faults(e, scheme, tail);
    this.logHash = logLink(this.logHash, {
      commit: e.c,
      prepare: e.p,
      stream: e.s,
      version: e.v,
      id: e.id,
      recordedAtMs: Math.floor(e.r / 1000),
      previousHash: e.ph,
      hash: e.h,
    });
    this.count++;
    this.read++;
    this.sinceSeal++;
    this.lastRow = e;
    const tip = this.rangeTips.get(e.s);
    if (tip === undefined) this.rangeTips.set(e.s, { v: e.v, h: e.h, c: e.c, p: e.p, id: e.id });
    else {
      tip.v = e.v;
      tip.h = e.h;
      tip.c = e.c;
      tip.p = e.p;
      tip.id = e.id;
    }
  }

  get last(): string | undefined {
    return this.lastRow === undefined ? undefined : `${this.lastRow.c}/${this.lastRow.p}`;
  }

  /** What is wrong with an event that is not simply the next of its stream, intact; moves the tail on. */
  private faults(e: Checked, scheme: number, tail: Tail): void {
    const position = `${e.c}/${e.p}`;
    const at = { streamName: e.s, streamVersion: e.v, eventId: e.id, position };
    let moves = true;
    if (e.v > tail.v + 1) {
      const first = tail.v + 1;
      this.report({
        kind: 'missing',
        streamName: e.s,
        streamVersion: first,
        position,
        reason: `${e.s}: ${e.v - 1 > first ? `versions ${first} to ${e.v - 1} are` : `version ${first} is`} missing before version ${e.v} (event ${e.id} at ${position})`,
      });
    } else if (e.v <= tail.v) {
      moves = false;
      this.report({
        ...at,
        kind: 'reordered',
        reason: `${e.s}: version ${e.v} comes after version ${tail.v} in the log (moved, or a second version ${e.v})`,
      });
    } else if (e.ph !== tail.h) {
      this.report({
        ...at,
        kind: 'changed',
        reason: `previous hash does not match the hash of version ${tail.v} (this event or the one before was changed, or one was inserted between)`,
      });
    }
    if (scheme === 0)
      this.report({ ...at, kind: 'changed', reason: 'content does not match its hash (changed after it was written)' });
    else if (scheme === 1 && tail.scheme === 2)
      this.report({
        ...at,
        kind: 'changed',
        reason: 'hash of scheme 1 (recorded-at not covered) after an event of scheme 2 in its stream',
      });
    else if (scheme === 2 && e.r % 1000 !== 0)
      this.report({
        ...at,
        kind: 'changed',
        reason: 'recorded-at changed below the millisecond (not what was hashed)',
      });
    if (scheme === 1) this.legacyInRange = true;
    if (e.o % 1000 !== 0)
      this.report({
        ...at,
        kind: 'changed',
        reason: 'occurred-at changed below the millisecond (not what was hashed)',
      });
    if (moves) {
      tail.v = e.v;
      tail.h = e.h;
      if (scheme === 1 || scheme === 2) tail.scheme = scheme;
    }
  }

  /** Closes the seals not yet passed (at the end of the range). */
  finish(): void {
    while (this.pending.length > 0) this.closeSeal(this.pending.shift()!.seal);
  }

  private closeSeal(seal: Seal): void {
    const n = seal.sequence;
    const before = this.lastSeal;
    const span = `between ${before ? `seal #${before.sequence} (${before.position})` : 'the start'} and seal #${n} (${seal.position})`;
    const found = this.breaksInRange;
    // After a seal that does not check (left out), this one's tips do not list every stream changed since the last.
    const gap = seal.sequence !== (before?.sequence ?? 0) + 1;
    if (this.count < seal.events)
      this.report({
        kind: 'missing',
        seal: n,
        position: seal.position,
        reason: `seal #${n} covers ${seal.events} events up to ${seal.position}; the log holds ${this.count}: ${seal.events - this.count} missing ${span}`,
      });
    else if (this.count > seal.events)
      this.report({
        kind: 'inserted',
        seal: n,
        position: seal.position,
        reason: `seal #${n} covers ${seal.events} events up to ${seal.position}; the log holds ${this.count}: ${this.count - seal.events} inserted ${span}`,
      });
    for (const tip of seal.tips) {
      const now = this.rangeTips.get(tip.stream);
      const sealed = { streamName: tip.stream, seal: n };
      if (now === undefined || now.v < tip.version) {
        this.report({
          ...sealed,
          kind: 'missing',
          streamVersion: tip.version,
          eventId: tip.id,
          position: tip.position,
          reason: `${tip.stream}: version ${tip.version}, its last event at seal #${n}, is not in the log${now === undefined ? '' : ` (the stream ends at version ${now.v} there)`}`,
        });
      } else if (now.v > tip.version) {
        this.report({
          ...sealed,
          kind: 'inserted',
          streamVersion: now.v,
          eventId: now.id,
          position: `${now.c}/${now.p}`,
          reason: `${tip.stream}: seal #${n} saw it end at version ${tip.version}; the log has version ${now.v} before the seal`,
        });
      } else if (now.h !== tip.hash) {
        const fromVersion = (this.sealedTips.get(tip.stream)?.version ?? -1) + 1;
        const earlier = this.recomputed.get(tip.stream);
        this.report({
          ...sealed,
          kind: 'changed',
          streamVersion: tip.version,
          fromVersion,
          eventId: now.id,
          position: `${now.c}/${now.p}`,
          reason:
            `${tip.stream}: the hash of version ${tip.version} is not the one seal #${n} saw: ` +
            (earlier !== undefined
              ? `it chains to the change found at seal #${earlier}, or an event from version ${fromVersion} to ${tip.version} was changed too`
              : `${fromVersion === tip.version ? `version ${tip.version}` : `an event from version ${fromVersion} to ${tip.version}`} was changed and the stream's hashes recomputed`),
        });
        if (earlier === undefined) this.recomputed.set(tip.stream, n);
      } else if (`${now.c}/${now.p}` !== tip.position) {
        this.report({
          ...sealed,
          kind: 'reordered',
          streamVersion: tip.version,
          eventId: now.id,
          position: `${now.c}/${now.p}`,
          reason: `${tip.stream}: version ${tip.version} was at ${tip.position} when seal #${n} was made; it is at ${now.c}/${now.p}`,
        });
      }
    }
    const listed = new Set(seal.tips.map((t) => t.stream));
    for (const [stream, now] of this.rangeTips)
      if (!gap && !listed.has(stream))
        this.report({
          kind: 'inserted',
          seal: n,
          streamName: stream,
          streamVersion: now.v,
          eventId: now.id,
          position: `${now.c}/${now.p}`,
          reason: `${stream} has events ${span} that seal #${n} does not list (its version ${now.v} was inserted before the seal)`,
        });
    if (this.logHash !== seal.logHash && this.count === seal.events) {
      const unexplained = this.breaksInRange === found;
      this.report({
        kind: unexplained && !this.legacyInRange ? 'reordered' : 'changed',
        seal: n,
        position: seal.position,
        reason: !unexplained
          ? `the log hash at seal #${n} differs (see the breaks before)`
          : `the log ${span} is not the one seal #${n} committed to, though its count, stream chains and stream tips agree: ` +
            (this.legacyInRange
              ? 'the recorded-at of an event of hash scheme 1 (outside its hash) was changed, or events were reordered or moved'
              : 'events were reordered or moved'),
      });
    }
    // Go on from what the seal says, so that each range between seals is judged on its own.
    this.logHash = seal.logHash;
    this.count = seal.events;
    for (const tip of seal.tips) this.sealedTips.set(tip.stream, tip);
    this.rangeTips.clear();
    this.breaksInRange = 0;
    this.legacyInRange = false;
    this.sinceSeal = 0;
    this.checkedSeals++;
    this.lastSeal = seal;
  }
}

const isScanner = (store: unknown): store is LogScanner => typeof (store as Partial<LogScanner>).scanLog === 'function';

/** The lean rows of the SQL store, hashed on worker threads while the next page is read. */
async function* scannedPages(
  store: LogScanner,
  after: GlobalPosition,
  pageSize: number,
  workers: number,
  until: { c: string; p: string } | undefined,
): AsyncGenerator<{ rows: Checked[]; schemes: Uint8Array }> {
  const pool = workers > 0 ? new HashingPool(workers) : undefined;
  try {
    const depth = Math.max(2, workers + 1);
    const window: { rows: LogRow[]; schemes: Promise<Uint8Array> }[] = [];
    let position = after;
    let ended = false;
    let reading: Promise<LogRow[]> | undefined = store.scanLog({ after: position, limit: pageSize });
    const take = async (): Promise<void> => {
      const rows = await reading!;
      reading = undefined;
      let page = rows;
      if (until !== undefined) {
        const cut = rows.findIndex((r) => comparePos(r.c, r.p, until.c, until.p) > 0);
        if (cut >= 0) {
          page = rows.slice(0, cut);
          ended = true;
        }
      }
      if (rows.length < pageSize) ended = true;
      if (!ended) {
        const lastRow = rows[rows.length - 1]!;
        position = { commit: BigInt(lastRow.c), prepare: BigInt(lastRow.p) };
        reading = store.scanLog({ after: position, limit: pageSize });
      }
      if (page.length > 0)
        window.push({ rows: page, schemes: pool ? pool.schemes(page) : Promise.resolve(rowSchemes(page)) });
    };
    for (;;) {
      while (!ended && window.length < depth) await take();
      const next = window.shift();
      if (next === undefined) return;
      yield { rows: next.rows, schemes: await next.schemes };
    }
  } finally {
    await pool?.close();
  }
}

/** Any store: its events through streamAll, hashed here. */
async function* streamedPages(
  store: Pick<EventStore, 'streamAll'>,
  after: GlobalPosition,
  pageSize: number,
  until: { c: string; p: string } | undefined,
): AsyncGenerator<{ rows: Checked[]; schemes: Uint8Array }> {
  let rows: Checked[] = [];
  let schemes: number[] = [];
  const flush = () => {
    const page = { rows, schemes: Uint8Array.from(schemes) };
    rows = [];
    schemes = [];
    return page;
  };
  for await (const e of store.streamAll({
    after,
    pageSize: Math.min(pageSize, 10_000),
  }) as AsyncIterable<RecordedEvent>) {
    const c = e.position.commit.toString();
    const p = e.position.prepare.toString();
    if (until !== undefined && comparePos(c, p, until.c, until.p) > 0) break;
    rows.push({
      c,
      p,
      id: e.id,
      s: e.streamName,
      v: e.streamVersion,
      r: e.recordedAt.getTime() * 1000,
      o: e.occurredAt.getTime() * 1000,
      ph: e.previousHash,
      h: e.hash,
    });
    schemes.push(hashSchemeOf(e.previousHash, e) ?? 0);
    if (rows.length >= pageSize) yield flush();
  }
  if (rows.length > 0) yield flush();
}

/**
 * Checks the log in one pass, in log order: every stream's versions run 0, 1, 2... and every event
 * matches its hash and chains to its predecessor (hash scheme 2, or 1 for events written before
 * it); with seals, the log chain and each seal's count, log hash and stream tips, and the seals
 * themselves (signature, sequence, chain). Every break is reported; events after the last seal
 * are counted as unsealed. Memory grows with the number of streams, not events. On the SQL store
 * the rows are read lean (scanLog) and hashed on worker threads.
 */
export const verifyLog = async (
  store: Pick<EventStore, 'streamAll'> | (Pick<EventStore, 'streamAll'> & LogScanner),
  options: VerifyLogOptions = {},
): Promise<LogVerification> => {
  const every = options.every ?? 50_000;
  const pageSize = options.pageSize ?? 10_000;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > 100_000)
    throw new TypeError(`pageSize ${pageSize} is not a whole number from 1 to 100,000`);
  const given = options.seals ?? [];
  if (given.length > 0 && options.publicKey === undefined)
    throw new TypeError('verifying against seals needs the public key that signed them');
  if ((options.from !== undefined || options.to !== undefined) && given.length === 0)
    throw new TypeError('a range (from, to) is given by seals: pass the seals');
  const breaks: LogBreak[] = [];
  const trusted: Seal[] = [];
  if (given.length > 0) {
    const checked = checkSeals(given, sealPublicKey(options.publicKey!));
    for (const problem of checked.problems)
      breaks.push({
        kind: 'seal',
        ...(problem.sequence !== undefined ? { seal: problem.sequence } : {}),
        reason: `${problem.sequence !== undefined ? `seal #${problem.sequence}` : `entry ${problem.index + 1} of the seals`}: ${problem.reason}`,
      });
    // Only seals that move forward along the log can be checked against it.
    for (const seal of checked.trusted) {
      const before = trusted[trusted.length - 1];
      if (before !== undefined) {
        const [bc, bp] = before.position.split('/') as [string, string];
        const [c, p] = seal.position.split('/') as [string, string];
        if (seal.sequence <= before.sequence || comparePos(c, p, bc, bp) <= 0) {
          breaks.push({
            kind: 'seal',
            seal: seal.sequence,
            reason: `seal #${seal.sequence} (${seal.position}) does not come after seal #${before.sequence} (${before.position})`,
          });
          continue;
        }
      }
      trusted.push(seal);
    }
  }
  const bySequence = (n: number, what: string): number => {
    const index = trusted.findIndex((s) => s.sequence === n);
    if (index < 0) throw new TypeError(`${what}: no seal #${n} among the seals that check`);
    return index;
  };
  const fromIndex = options.from === undefined ? -1 : bySequence(options.from, 'from');
  const toIndex = options.to === undefined ? trusted.length - 1 : bySequence(options.to, 'to');
  if (toIndex < fromIndex)
    throw new TypeError(`the range ends (seal #${options.to}) before it starts (seal #${options.from})`);
  const start = fromIndex >= 0 ? trusted[fromIndex]! : undefined;
  const end = options.to !== undefined ? trusted[toIndex]! : undefined;
  const after = start ? parsePosition(start.position) : { commit: 0n, prepare: 0n };
  const until = end ? (([c, p]) => ({ c: c!, p: p! }))(end.position.split('/')) : undefined;
  const checker = new LogChecker(
    start?.logHash ?? LOG_START,
    start?.events ?? 0,
    trusted.slice(0, fromIndex + 1),
    trusted.slice(fromIndex + 1, toIndex + 1),
  );
  const pages = isScanner(store)
    ? scannedPages(store, after, pageSize, options.workers ?? HashingPool.defaultSize(), until)
    : streamedPages(store, after, pageSize, until);
  for await (const { rows, schemes } of pages) {
    for (let i = 0; i < rows.length; i++) {
      checker.event(rows[i]!, schemes[i]!);
      if (checker.read % every === 0) options.onProgress?.(checker.read);
    }
  }
  checker.finish();
  breaks.push(...checker.breaks);
  const last = checker.lastSeal;
  return {
    events: checker.read,
    streams: checker.streams,
    breaks,
    intact: breaks.length === 0,
    from: formatPosition(after),
    ...(checker.last !== undefined ? { last: checker.last } : {}),
    seals: {
      given: given.length,
      checked: checker.checkedSeals,
      ...(last !== undefined
        ? { last: { sequence: last.sequence, position: last.position, events: last.events, sealedAt: last.sealedAt } }
        : {}),
    },
    unsealed: {
      events: end !== undefined ? 0 : checker.sinceSeal,
      ...(last !== undefined ? { after: last.position } : {}),
    },
  };
};
