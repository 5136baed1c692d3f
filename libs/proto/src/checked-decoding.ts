/**
 * Decoding that hides nothing a request got wrong, installed once when @workshare/proto loads,
 * for every message of every contract:
 * - a string field of invalid UTF-8 decodes to the lenient decoding preceded by a lone surrogate
 *   (INVALID_UTF8_MARKER of @workshare/eventsourcing), instead of silently turning the bad bytes
 *   into U+FFFD: the gRPC host then refuses it as invalid Unicode, like a lone surrogate;
 * - a google.protobuf.Timestamp outside 0001-01-01..9999-12-31, or with nanos outside
 *   0..999,999,999, decodes to an invalid date (ts-proto would turn nanos of 2e9 into two more
 *   seconds): the host refuses it (`request.invalid_timestamp`).
 */
import { configureTextEncoding, getTextEncoding } from '@bufbuild/protobuf/wire';
import { INVALID_UTF8_MARKER } from '@workshare/eventsourcing';
import { Timestamp } from './gen/google/protobuf/timestamp.js';

/** Seconds of 0001-01-01T00:00:00Z and of 9999-12-31T23:59:59Z (google.protobuf.Timestamp's range). */
export const TIMESTAMP_SECONDS = { min: -62_135_596_800, max: 253_402_300_799 } as const;

let installed = false;

export const installCheckedDecoding = (): void => {
  if (installed) return;
  installed = true;
  const standard = getTextEncoding();
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  configureTextEncoding({
    ...standard,
    decodeUtf8(bytes: Uint8Array, strictly?: boolean) {
      if (strictly) return standard.decodeUtf8(bytes, true);
      try {
        return strict.decode(bytes);
      } catch {
        return INVALID_UTF8_MARKER + standard.decodeUtf8(bytes);
      }
    },
  } as Parameters<typeof configureTextEncoding>[0]);

  const decode = Timestamp.decode.bind(Timestamp);
  Timestamp.decode = (input, length) => {
    const t = decode(input, length);
    const seconds = Number(t.seconds);
    const valid =
      Number.isSafeInteger(seconds) &&
      seconds >= TIMESTAMP_SECONDS.min &&
      seconds <= TIMESTAMP_SECONDS.max &&
      Number.isInteger(t.nanos) &&
      t.nanos >= 0 &&
      t.nanos <= 999_999_999;
    // ts-proto reads NaN seconds as 0, but Infinity as an invalid date.
    return valid ? t : { seconds: 'Infinity', nanos: 0 };
  };
};

installCheckedDecoding();
