import type { EventStore } from '@workshare/eventsourcing';
import type { Clock } from '@workshare/time';
import { TaskDecompositionService } from './application/task-decomposition-service.js';

export interface OpenTaskDecompositionOptions {
  /** The event store (opened and closed by its opener: the launcher shares one). */
  readonly store: EventStore;
  /** The longest a task may be (TASK_MAX_MINUTES; default 120, 15 to 480). */
  readonly maxTaskMinutes?: number;
  /** The platform's clock (default systemClock): the events' occurred-at. */
  readonly now?: Clock;
}

export interface TaskDecompositionRuntime {
  readonly service: TaskDecompositionService;
  close(): Promise<void>;
}

/**
 * Composition root of the task decomposition service: the store → the service. The service
 * keeps no state of its own between calls (each command loads its plan's stream), so closing
 * it leaves the store, which belongs to its opener, open.
 */
export const openTaskDecompositionService = async (
  options: OpenTaskDecompositionOptions,
): Promise<TaskDecompositionRuntime> => {
  const service = new TaskDecompositionService({
    store: options.store,
    ...(options.maxTaskMinutes !== undefined ? { maxTaskMinutes: options.maxTaskMinutes } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  return { service, close: async () => undefined };
};
