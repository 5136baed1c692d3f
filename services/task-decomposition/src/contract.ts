/**
 * The task decomposition service's published contract for other packages (the gateway's
 * schemas): its enums and limits, pure values with no I/O, written once in the domain.
 */
export { MAX_TASKS_PER_ROUND, MAX_TITLE_LENGTH } from './domain/plan-rules.js';
