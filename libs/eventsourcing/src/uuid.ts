import { randomFillSync } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

let lastMs = -1;
let counter = 0;

// Random bytes drawn in bulk: one system call per 409 ids instead of one per id.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
const randomTen = (): Buffer => {
  if (poolOffset + 10 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += 10;
  return pool.subarray(poolOffset - 10, poolOffset);
};

/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter that keeps ids made
 * in the same millisecond by this process in increasing order, then 62 random bits.
 */
export const uuidv7 = (now: number = Date.now()): string => {
  let ms = now;
  if (ms <= lastMs) {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      ms = lastMs + 1; // counter exhausted: borrow the next millisecond rather than repeat
      counter = 0;
    }
  } else {
    counter = 0;
  }
  lastMs = ms;
  const bytes = Buffer.allocUnsafe(16);
  randomTen().copy(bytes, 6);
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
  bytes[2] = (ms >>> 24) & 0xff;
  bytes[3] = (ms >>> 16) & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = 0x70 | ((counter >>> 8) & 0x0f);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** The creation time a UUIDv7 carries. */
export const uuidv7Time = (id: string): Date => new Date(parseInt(id.replace(/-/g, '').slice(0, 12), 16));
