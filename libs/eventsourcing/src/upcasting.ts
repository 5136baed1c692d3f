import type { JsonObject } from './json.js';
import type { RecordedEvent } from './envelope.js';

/** Turns the data of `type` at schema version `from` into version `from + 1`. */
export type UpcastStep = (data: JsonObject, event: RecordedEvent) => JsonObject;

/** Per event type, the steps from each old schema version to the next. */
export type UpcastSteps = Record<string, Record<number, UpcastStep>>;

export type Upcaster = ((event: RecordedEvent) => RecordedEvent) & {
  /** The schema version new events of this type are written in (what upcasting leads to). */
  readonly currentVersion?: (type: string) => number;
};

/**
 * Builds the hook that brings stored events up to their current schema when they are read.
 * Stored events are never rewritten: old versions stay as written, for the audit.
 */
export const createUpcaster = (steps: UpcastSteps): Upcaster => {
  const upcast = (event: RecordedEvent): RecordedEvent => {
    const byVersion = steps[event.type];
    if (!byVersion) return event;
    let { data, schemaVersion } = event;
    for (let step = byVersion[schemaVersion]; step; step = byVersion[schemaVersion]) {
      data = step(data, event);
      schemaVersion++;
    }
    return schemaVersion === event.schemaVersion ? event : { ...event, data, schemaVersion };
  };
  // New events must be stamped with this, or reading them back would upcast current data again.
  const currentVersion = (type: string): number => {
    const versions = Object.hasOwn(steps, type) ? Object.keys(steps[type] ?? {}).map(Number) : [];
    return versions.length === 0 ? 1 : Math.max(...versions) + 1;
  };
  return Object.assign(upcast, { currentVersion });
};

export const noUpcasting: Upcaster = (event) => event;
