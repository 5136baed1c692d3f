/**
 * The costly part of verifying the log: recomputing each event's content digest and hash from
 * what the database holds. Done on worker threads for the SQL store's lean rows, in pages, while
 * the next page is read; the chains themselves (which need every event in order) stay on the
 * caller's thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { chainHash, contentDigest, type JsonObject } from '@workshare/eventsourcing';

/**
 * One event as verification reads it from the SQL store (SqlEventStore.scanLog): only the
 * stored columns, data and metadata as the JSON text the database gives back, times to the
 * microsecond (what is hashed is the millisecond: anything below it is a change).
 */
export interface LogRow {
  /** Position: transaction id and sequence number, as decimal text. */
  readonly c: string;
  readonly p: string;
  readonly id: string;
  readonly s: string;
  readonly v: number;
  readonly t: string;
  readonly sv: number;
  readonly d: string;
  readonly m: string;
  /** occurred-at and recorded-at in microseconds since the epoch (whole numbers, exact in a double). */
  readonly o: number;
  readonly r: number;
  readonly ph: string;
  readonly h: string;
}

/**
 * The hash scheme under which each row's stored hash is its content chained to its stored
 * previous hash: 2, 1, or 0 for neither (see HashScheme of @workshare/eventsourcing). In process.
 */
export const rowSchemes = (rows: readonly LogRow[]): Uint8Array => {
  const out = new Uint8Array(rows.length);
  rows.forEach((r, i) => {
    let digest: string;
    try {
      digest = contentDigest({
        id: r.id,
        streamName: r.s,
        type: r.t,
        schemaVersion: r.sv,
        occurredAt: new Date(Math.floor(r.o / 1000)),
        data: JSON.parse(r.d) as JsonObject,
        metadata: JSON.parse(r.m) as JsonObject,
      });
    } catch {
      return; // content that does not even read back: 0
    }
    const recordedAtMs = Math.floor(r.r / 1000);
    out[i] = chainHash(r.ph, r.v, digest, recordedAtMs) === r.h ? 2 : chainHash(r.ph, r.v, digest) === r.h ? 1 : 0;
  });
  return out;
};

/**
 * rowSchemes as the source of a worker thread (plain JavaScript, nothing but node:crypto): the
 * same canonical JSON (canonicalJson of @workshare/eventsourcing: keys sorted by code unit, no
 * whitespace; keys that need no escape copied as they are, as checkedCanonicalJson does), content (canonicalContent) and hashes (chainHash). A test holds the two to the
 * same answers.
 */
const PACKED_FIELDS = 11;

export const HASHING_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { hash } = require('node:crypto');
const ESCAPE = /["\\\\\\u0000-\\u001f\\u2028\\u2029\\ud800-\\udfff]/;
const canonicalJson = (value) => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return out + ']';
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    out += (i > 0 ? ',"' : '"') + (ESCAPE.test(key) ? JSON.stringify(key).slice(1, -1) : key) + '":' + canonicalJson(value[key]);
  }
  return out + '}';
};
const sha = (text) => hash('sha256', text, 'hex');
const schemes = (rows) => {
  const out = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    let digest;
    try {
      digest = sha('{"data":' + canonicalJson(JSON.parse(r.d)) + ',"id":' + JSON.stringify(r.id) +
        ',"metadata":' + canonicalJson(JSON.parse(r.m)) + ',"occurredAt":' + JSON.stringify(new Date(Math.floor(r.o / 1000)).toISOString()) +
        ',"schemaVersion":' + JSON.stringify(r.sv) + ',"stream":' + JSON.stringify(r.s) + ',"type":' + JSON.stringify(r.t) + '}');
    } catch {
      continue;
    }
    const base = r.ph + ':' + r.v + ':' + digest;
    out[i] = sha(base + ':' + Math.floor(r.r / 1000)) === r.h ? 2 : sha(base) === r.h ? 1 : 0;
  }
  return out;
};
const FIELDS = ${PACKED_FIELDS};
const unpack = (text) => {
  const parts = text.split('\\u0000');
  const rows = new Array(parts.length / FIELDS);
  for (let i = 0, j = 0; j < parts.length; i++, j += FIELDS)
    rows[i] = { id: parts[j], s: parts[j + 1], t: parts[j + 2], sv: Number(parts[j + 3]), d: parts[j + 4], m: parts[j + 5],
      o: Number(parts[j + 6]), v: Number(parts[j + 7]), r: Number(parts[j + 8]), ph: parts[j + 9], h: parts[j + 10] };
  return rows;
};
parentPort.on('message', (message) => {
  const out = schemes(unpack(message.rows));
  parentPort.postMessage({ id: message.id, schemes: out }, [out.buffer]);
});
`;

/**
 * A page of rows as one string for a worker (one copy of one string costs far less than the
 * structured clone of as many objects): the fields a hash needs, NUL-separated (no text the
 * database holds contains NUL).
 */
export const packRows = (rows: readonly LogRow[]): string => {
  const parts: string[] = new Array<string>(rows.length * PACKED_FIELDS);
  let j = 0;
  for (const r of rows) {
    parts[j++] = r.id;
    parts[j++] = r.s;
    parts[j++] = r.t;
    parts[j++] = String(r.sv);
    parts[j++] = r.d;
    parts[j++] = r.m;
    parts[j++] = String(r.o);
    parts[j++] = String(r.v);
    parts[j++] = String(r.r);
    parts[j++] = r.ph;
    parts[j++] = r.h;
  }
  return parts.join('\u0000');
};

/** Worker threads answering rowSchemes for pages of rows; pages are spread over them in turn. */
export class HashingPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (s: Uint8Array) => void; reject: (e: unknown) => void }>();
  private next = 0;
  private turn = 0;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(HASHING_WORKER_SOURCE, { eval: true });
      worker.on('message', (message: { id: number; schemes: Uint8Array }) => {
        const waiter = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        waiter?.resolve(message.schemes);
      });
      worker.on('error', (error) => {
        for (const waiter of this.waiting.values()) waiter.reject(error);
        this.waiting.clear();
      });
      return worker;
    });
  }

  /** Hashing threads worth starting here: one per core but one (the reading thread's), at least one. */
  static defaultSize(): number {
    return Math.max(1, Math.min(8, availableParallelism() - 1));
  }

  schemes(rows: readonly LogRow[]): Promise<Uint8Array> {
    const id = this.next++;
    const worker = this.workers[this.turn++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, rows: packRows(rows) });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
