import {
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';

export const isApiError = (error: unknown, code: number): boolean =>
  error instanceof JetStreamApiError && error.code === code;

const STREAM_NAME_IN_USE = 10058;

export interface EnsureStreamOptions {
  /** How long JetStream remembers `Nats-Msg-Id`s to drop duplicates, in ms (default 2 minutes). */
  duplicateWindowMs?: number;
  /** Oldest message kept, in ms (default: kept until other limits). */
  maxAgeMs?: number;
  /** `file` (default) or `memory`. */
  storage?: 'file' | 'memory';
}

/**
 * Creates the stream, or brings an existing one to these subjects and duplicate window (several
 * processes may do this at once: a create that loses the race reads what the winner made).
 */
export const ensureStream = async (
  jsm: JetStreamManager,
  name: string,
  subjects: readonly string[],
  options: EnsureStreamOptions = {},
): Promise<StreamInfo> => {
  const duplicateWindow = nanos(options.duplicateWindowMs ?? 120_000);
  const maxAge = nanos(options.maxAgeMs ?? 0);
  let info: StreamInfo | undefined;
  try {
    info = await jsm.streams.info(name);
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
  }
  if (!info) {
    try {
      return await jsm.streams.add({
        name,
        subjects: [...subjects],
        storage: options.storage ?? 'file',
        retention: 'limits',
        duplicate_window: duplicateWindow,
        max_age: maxAge,
        allow_direct: true,
        num_replicas: 1,
      });
    } catch (error) {
      if (!isApiError(error, STREAM_NAME_IN_USE)) throw error;
      info = await jsm.streams.info(name);
    }
  }
  const current = info.config;
  const missing = subjects.filter((s) => !current.subjects.includes(s));
  if (missing.length > 0 || current.duplicate_window !== duplicateWindow || !current.allow_direct) {
    return jsm.streams.update(name, {
      ...current,
      subjects: [...current.subjects, ...missing],
      duplicate_window: duplicateWindow,
      allow_direct: true,
    });
  }
  return info;
};

/**
 * Deletes JetStream streams (a bus's stream and its ledger's `KV_<stream>_ledger`, say) on a
 * connection of its own, for tests and benches that run a platform apart on a shared server; a
 * stream that is not there is no error.
 */
export const deleteStreams = async (url: string, names: readonly string[]): Promise<void> => {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    for (const name of names) await jsm.streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
};
