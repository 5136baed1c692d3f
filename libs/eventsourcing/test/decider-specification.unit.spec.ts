import { AssertionError } from 'node:assert';
import type { Decider } from '../src/decider.js';
import { DeciderSpecification } from '../src/decider-specification.js';
import { DomainError } from '../src/errors.js';
import {
  assign,
  assigned,
  complete,
  completed,
  handedOff,
  handOff,
  taskDecider,
  type Task,
  type TaskCommand,
  type TaskEvent,
} from './fixtures/task.js';

const spec = DeciderSpecification.for(taskDecider);

describe('DeciderSpecification with the task decider', () => {
  describe('then', () => {
    it('passes when the command produces exactly the expected events', () => {
      expect(() =>
        spec
          .given([])
          .when(assign('t1', 'hanako'))
          .then([assigned('t1', 'hanako')]),
      ).not.toThrow();
    });

    it('folds the history in order before deciding', () => {
      expect(() =>
        spec
          .given([assigned('t1', 'hanako'), handedOff('t1', 'hanako', 'yuki', 'sick child')])
          .when(handOff('t1', 'ken', 'back from leave'))
          .then([handedOff('t1', 'yuki', 'ken', 'back from leave')]),
      ).not.toThrow();
    });

    it('passes for a command that produces several events', () => {
      expect(() =>
        spec
          .given([])
          .when(complete('t1', 'ken'))
          .then([assigned('t1', 'ken'), completed('t1', 'ken')]),
      ).not.toThrow();
    });

    it.each<[string, TaskEvent[]]>([
      ['different data', [assigned('t1', 'yuki')]],
      ['a different type', [completed('t1', 'hanako')]],
      ['no events', []],
      ['one event too many', [assigned('t1', 'hanako'), assigned('t1', 'hanako')]],
    ])('throws an AssertionError when the expected events have %s', (_label, expected) => {
      expect(() => spec.given([]).when(assign('t1', 'hanako')).then(expected)).toThrow(AssertionError);
    });

    it('throws an AssertionError when the events come in another order', () => {
      expect(() =>
        spec
          .given([])
          .when(complete('t1', 'ken'))
          .then([completed('t1', 'ken'), assigned('t1', 'ken')]),
      ).toThrow(AssertionError);
    });

    it('throws an AssertionError when the history changes the outcome (history is not ignored)', () => {
      expect(() =>
        spec
          .given([assigned('t1', 'hanako'), handedOff('t1', 'hanako', 'yuki', 'sick child')])
          .when(handOff('t1', 'ken', 'back from leave'))
          .then([handedOff('t1', 'hanako', 'ken', 'back from leave')]),
      ).toThrow(AssertionError);
    });

    it('lets a refusal through as the DomainError, not as a pass', () => {
      expect(() =>
        spec
          .given([])
          .when(handOff('t1', 'yuki', 'sick child'))
          .then([]),
      ).toThrow(DomainError);
    });
  });

  describe('thenThrows', () => {
    it('passes and returns the error when the command is refused with that code', () => {
      // when
      const error = spec
        .given([])
        .when(handOff('t1', 'yuki', 'sick child'))
        .thenThrows('task.not_assigned');

      // then
      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe('task.not_assigned');
      expect(error.message).toBe('task t1 is not assigned');
    });

    it('passes when code and kind both match', () => {
      const error = spec
        .given([assigned('t1', 'hanako')])
        .when(complete('t1', 'yuki'))
        .thenThrows('task.not_held', 'forbidden');
      expect(error.kind).toBe('forbidden');
    });

    it('throws an AssertionError for another code', () => {
      expect(() =>
        spec
          .given([])
          .when(handOff('t1', 'yuki', 'sick child'))
          .thenThrows('task.completed'),
      ).toThrow(AssertionError);
    });

    it('throws an AssertionError for the right code but another kind', () => {
      expect(() =>
        spec
          .given([assigned('t1', 'hanako')])
          .when(complete('t1', 'yuki'))
          .thenThrows('task.not_held', 'rule'),
      ).toThrow(AssertionError);
    });

    it('throws an AssertionError naming the code when the command is accepted', () => {
      expect(() => spec.given([]).when(assign('t1', 'hanako')).thenThrows('task.already_assigned')).toThrow(
        expect.objectContaining({
          name: 'AssertionError',
          message: expect.stringContaining('expected the command to be refused with task.already_assigned'),
        }),
      );
    });

    it('throws an AssertionError when the command is accepted and changes nothing', () => {
      expect(() =>
        spec
          .given([assigned('t1', 'hanako')])
          .when(assign('t1', 'hanako'))
          .thenThrows('task.already_assigned'),
      ).toThrow(AssertionError);
    });

    it('lets an error that is not a DomainError through unchanged', () => {
      // given: a decider with a bug
      const broken: Decider<TaskCommand, TaskEvent, Task> = {
        ...taskDecider,
        decide: () => {
          throw new TypeError('cannot read holder of undefined');
        },
      };

      // then
      expect(() =>
        DeciderSpecification.for(broken).given([]).when(assign('t1', 'hanako')).thenThrows('task.not_assigned'),
      ).toThrow(TypeError);
    });
  });

  describe('thenNothing', () => {
    it('passes when the command is accepted without events', () => {
      expect(() =>
        spec
          .given([assigned('t1', 'hanako')])
          .when(assign('t1', 'hanako'))
          .thenNothing(),
      ).not.toThrow();
    });

    it('throws an AssertionError when the command produces events', () => {
      expect(() => spec.given([]).when(assign('t1', 'hanako')).thenNothing()).toThrow(AssertionError);
    });

    it('lets a refusal through as the DomainError', () => {
      expect(() =>
        spec
          .given([assigned('t1', 'hanako')])
          .when(assign('t1', 'yuki'))
          .thenNothing(),
      ).toThrow(DomainError);
    });
  });

  it('starts every scenario from a fresh initial state', () => {
    // given: a decider whose evolve mutates its state, so a reused state would show
    type Tick = { type: 'Ticked'; data: { n: number } };
    const mutating: Decider<'Tick', Tick, { count: number }> = {
      initialState: () => ({ count: 0 }),
      evolve: (state) => {
        state.count++;
        return state;
      },
      decide: (_command, state) => [{ type: 'Ticked', data: { n: state.count + 1 } }],
    };
    const ticks = DeciderSpecification.for(mutating);
    const ticked = (n: number): Tick => ({ type: 'Ticked', data: { n } });
    ticks
      .given([ticked(1), ticked(2)])
      .when('Tick')
      .then([ticked(3)]);

    // then: neither a second scenario nor a second check on the same one sees earlier folds
    const step = ticks.given([ticked(1)]).when('Tick');
    expect(() => step.then([ticked(2)])).not.toThrow();
    expect(() => step.then([ticked(2)])).not.toThrow();
  });
});

describe('the task decider (fixture), as given/when/then', () => {
  it.each<[string, TaskEvent[], TaskCommand, string]>([
    ['assigning a held task', [assigned('t1', 'hanako')], assign('t1', 'yuki'), 'task.already_assigned'],
    ['handing off an unassigned task', [], handOff('t1', 'yuki', 'x'), 'task.not_assigned'],
    ['handing off to the holder', [assigned('t1', 'hanako')], handOff('t1', 'hanako', 'x'), 'task.already_held'],
    ['completing a task held by another', [assigned('t1', 'hanako')], complete('t1', 'yuki'), 'task.not_held'],
    [
      'anything on a completed task',
      [assigned('t1', 'hanako'), completed('t1', 'hanako')],
      handOff('t1', 'yuki', 'x'),
      'task.completed',
    ],
  ])('refuses %s', (_label, history, command, code) => {
    spec.given(history).when(command).thenThrows(code);
  });
});
