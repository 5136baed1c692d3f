import type { EventStore } from '@workshare/eventsourcing';

/** Placeholder until the KurrentDB adapter lands in this package (being written now). */
export declare class KurrentDbEventStore implements EventStore {
  static connect(url: string): Promise<KurrentDbEventStore>;
}
