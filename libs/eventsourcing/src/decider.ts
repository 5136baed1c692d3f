import type { DomainEvent } from './envelope.js';

/**
 * A pure decision model: from the events so far (folded by evolve from initialState), decide
 * turns a command into new events, or throws a DomainError when a rule forbids it.
 * No I/O, no clock, no randomness: anything of that kind arrives inside the command.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** The one fold: `events` evolved onto `from` (the decider's initial state by default). */
export const fold = <Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: Iterable<Event>,
  from: State = decider.initialState(),
): State => {
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
};
