import { CHAIN_START, chainLinkFault, type ChainTail, type EventStore } from '@workshare/eventsourcing';

export interface LogBreak {
  streamName: string;
  streamVersion: number;
  eventId: string;
  reason: string;
}

export interface LogVerification {
  events: number;
  streams: number;
  breaks: LogBreak[];
}

/**
 * Checks the whole log in one pass: every stream's versions run 0, 1, 2... in log order and
 * every event matches its hash and chains to its predecessor. Memory grows with the number of
 * streams, not events. `onProgress` is told the count of events checked every `every` events.
 */
export const verifyLog = async (
  store: Pick<EventStore, 'streamAll'>,
  options: { onProgress?: (events: number) => void; every?: number } = {},
): Promise<LogVerification> => {
  const every = options.every ?? 50_000;
  const tails = new Map<string, ChainTail>();
  const breaks: LogBreak[] = [];
  let events = 0;
  for await (const e of store.streamAll({ pageSize: 5000 })) {
    events++;
    const reason = chainLinkFault(tails.get(e.streamName) ?? CHAIN_START, e);
    if (reason !== undefined)
      breaks.push({ streamName: e.streamName, streamVersion: e.streamVersion, eventId: e.id, reason });
    tails.set(e.streamName, { version: e.streamVersion, hash: e.hash });
    if (events % every === 0) options.onProgress?.(events);
  }
  return { events, streams: tails.size, breaks };
};
