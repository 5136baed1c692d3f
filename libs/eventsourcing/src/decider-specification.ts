import { deepStrictEqual, fail } from 'node:assert/strict';
import { fold, type Decider } from './decider.js';
import type { DomainEvent } from './envelope.js';
import { DomainError } from './errors.js';

export interface ThenStep<Event> {
  /** The command produced exactly these events. */
  then(expected: Event[]): void;
  /** The command was refused with a DomainError of this code (and, optionally, this kind). */
  thenThrows(code: string, kind?: DomainError['kind']): DomainError;
  /** The command was accepted and changed nothing. */
  thenNothing(): void;
}

/**
 * Given/when/then for deciders:
 * `spec.given([assigned]).when(handOff).then([handedOff])`. Framework-free (node:assert),
 * so it works under any test runner.
 */
export const DeciderSpecification = {
  for<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
    return {
      given(history: Event[]) {
        return {
          when(command: Command): ThenStep<Event> {
            const run = (): Event[] => decider.decide(command, fold(decider, history));
            return {
              then(expected) {
                deepStrictEqual(run(), expected);
              },
              thenNothing() {
                deepStrictEqual(run(), []);
              },
              thenThrows(code, kind) {
                let produced: Event[];
                try {
                  produced = run();
                } catch (error) {
                  if (!(error instanceof DomainError)) throw error;
                  deepStrictEqual(
                    { code: error.code, ...(kind ? { kind: error.kind } : {}) },
                    { code, ...(kind ? { kind } : {}) },
                  );
                  return error;
                }
                return fail(
                  `expected the command to be refused with ${code}, but it produced ${JSON.stringify(produced)}`,
                );
              },
            };
          },
        };
      },
    };
  },
};
