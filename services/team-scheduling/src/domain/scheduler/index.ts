export * from './model.js';
export { scheduleTasks, planSchedule, type ScheduleOptions } from './scheduler.js';
export { firstFit } from './first-fit.js';
export { fairnessObjective, checkSchedule } from './fairness.js';
export { REASON as UNASSIGNABLE_REASON } from './prepared-problem.js';
export {
  expandWeeklyWindows,
  freeIntervals,
  mergeIntervals,
  subtractIntervals,
  tokyoWeekStart,
  minutesOfClock,
  TOKYO_OFFSET_MS,
  MINUTE_MS,
  DAY_MS,
} from './windows.js';
