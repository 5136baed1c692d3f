/**
 * The fairness objective and the hard-rule check of a schedule. The check re-derives every rule
 * from the problem itself (windows expanded again, nothing taken from the planners), so it
 * guards the scheduler in tests and in the service alike.
 */
import type {
  Assignment,
  FairnessObjective,
  Interval,
  Schedule,
  SchedulingMember,
  SchedulingProblem,
} from './model.js';
import { expandWeeklyWindows, mergeIntervals, MINUTE_MS } from './windows.js';

/**
 * max over members of | load − total × wished / Σ wished |, in minutes, where a load is the
 * minutes of her assignments plus her existing load, and the total is that of every member
 * listed. Assignments of members not listed are not counted.
 */
export const fairnessObjective: FairnessObjective = (members, assignments, existingLoads) => {
  const loads = new Map<string, number>();
  let wishedTotal = 0;
  for (const m of members) {
    loads.set(m.memberId, existingLoads?.[m.memberId] ?? 0);
    wishedTotal += m.wishedMinutesPerWeek;
  }
  for (const a of assignments) {
    const load = loads.get(a.memberId);
    if (load !== undefined) loads.set(a.memberId, load + (a.end - a.start) / MINUTE_MS);
  }
  let total = 0;
  for (const load of loads.values()) total += load;
  if (wishedTotal <= 0) return 0;
  let worst = 0;
  for (const m of members) {
    const deviation = Math.abs((loads.get(m.memberId) ?? 0) - (total * m.wishedMinutesPerWeek) / wishedTotal);
    if (deviation > worst) worst = deviation;
  }
  return worst;
};

const iso = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));

/**
 * Every hard rule the schedule breaks, one line each (empty when it keeps them all): each task
 * assigned once or reported unassignable with a reason; the member exists, has the skills and,
 * for a local-only task, lives in the town, and is not excluded from it (she gave it up); the task lasts its estimate, inside one occurrence
 * of her windows, after `notBefore` and every predecessor's planned end, by its deadline; a
 * member holds one task at a time, never over her busy or unavailable spans.
 */
export const checkSchedule = (problem: SchedulingProblem, schedule: Schedule): string[] => {
  const violations: string[] = [];
  const tasks = new Map(problem.tasks.map((t) => [t.taskId, t]));
  const members = new Map<string, SchedulingMember>(problem.members.map((m) => [m.memberId, m]));
  const fixedEnds = problem.fixedEnds ?? {};

  const seen = new Map<string, number>();
  const note = (taskId: string): void => void seen.set(taskId, (seen.get(taskId) ?? 0) + 1);
  const planned = new Map<string, Assignment>();
  for (const a of schedule.assignments) {
    note(a.taskId);
    planned.set(a.taskId, a);
  }
  const unassignable = new Set<string>();
  for (const u of schedule.unassignable) {
    note(u.taskId);
    unassignable.add(u.taskId);
    if (u.reasons.length === 0) violations.push(`task ${u.taskId}: unassignable without a reason`);
  }
  for (const [taskId, count] of seen) {
    if (!tasks.has(taskId)) violations.push(`task ${taskId}: not in the problem`);
    else if (count > 1) violations.push(`task ${taskId}: answered ${count} times`);
  }
  for (const t of problem.tasks)
    if (!seen.has(t.taskId)) violations.push(`task ${t.taskId}: neither assigned nor unassignable`);

  const byMember = new Map<string, Assignment[]>();
  for (const a of schedule.assignments) {
    const task = tasks.get(a.taskId);
    const member = members.get(a.memberId);
    if (!task) continue;
    if (!member) {
      violations.push(`task ${a.taskId}: member ${a.memberId} is not in the team`);
      continue;
    }
    const list = byMember.get(a.memberId);
    if (list) list.push(a);
    else byMember.set(a.memberId, [a]);
    const missing = task.skills.filter((s) => !member.skills.includes(s));
    if (missing.length > 0) violations.push(`task ${a.taskId}: ${a.memberId} lacks ${missing.join(', ')}`);
    if (task.localOnlyTownId !== null && member.townId !== task.localOnlyTownId) {
      violations.push(`task ${a.taskId}: local to ${task.localOnlyTownId}, ${a.memberId} lives in ${member.townId}`);
    }
    if (task.excludedMemberIds?.includes(a.memberId))
      violations.push(`task ${a.taskId}: ${a.memberId} gave it up and may not be given it again`);
    if (a.end - a.start !== task.estimatedMinutes * MINUTE_MS) {
      violations.push(
        `task ${a.taskId}: planned for ${(a.end - a.start) / MINUTE_MS} minutes, estimated ${task.estimatedMinutes}`,
      );
    }
    if (a.start < problem.notBefore)
      violations.push(`task ${a.taskId}: starts ${iso(a.start)} before ${iso(problem.notBefore)}`);
    if (a.end > task.deadline)
      violations.push(`task ${a.taskId}: ends ${iso(a.end)} after its deadline ${iso(task.deadline)}`);
    for (const dep of task.dependsOn) {
      const before = planned.get(dep);
      if (before) {
        if (before.end > a.start) violations.push(`task ${a.taskId}: starts before its predecessor ${dep} ends`);
      } else if (tasks.has(dep)) {
        violations.push(`task ${a.taskId}: its predecessor ${dep} is not planned`);
      } else if (Object.hasOwn(fixedEnds, dep)) {
        if ((fixedEnds[dep] as number) > a.start)
          violations.push(`task ${a.taskId}: starts before its predecessor ${dep} ends`);
      } else {
        violations.push(`task ${a.taskId}: its predecessor ${dep} is unknown`);
      }
    }
  }

  for (const [memberId, list] of byMember) {
    const member = members.get(memberId) as SchedulingMember;
    let from = Number.POSITIVE_INFINITY;
    let to = Number.NEGATIVE_INFINITY;
    for (const a of list) {
      from = Math.min(from, a.start);
      to = Math.max(to, a.end);
    }
    const windows = expandWeeklyWindows(member.windows, from, to);
    for (const a of list) {
      if (!windows.some((w) => w.start <= a.start && a.end <= w.end)) {
        violations.push(`task ${a.taskId}: ${iso(a.start)}–${iso(a.end)} is not inside one window of ${memberId}`);
      }
    }
    // Sweep by start: a span overlaps an earlier one exactly when it starts before the latest
    // end so far; busy and unavailable spans may overlap each other, never a task.
    const spans: (Interval & { what: string; task: boolean })[] = [
      ...list.map((a) => ({ start: a.start, end: a.end, what: `task ${a.taskId}`, task: true })),
      ...mergeIntervals(member.busy).map((i) => ({ ...i, what: 'a busy span', task: false })),
      ...mergeIntervals(member.unavailable).map((i) => ({ ...i, what: 'an unavailable span', task: false })),
    ].sort((x, y) => x.start - y.start || x.end - y.end);
    let lastTask: (Interval & { what: string }) | undefined;
    let lastBlock: (Interval & { what: string }) | undefined;
    for (const s of spans) {
      if (lastTask && s.start < lastTask.end) violations.push(`${memberId}: ${lastTask.what} and ${s.what} overlap`);
      else if (s.task && lastBlock && s.start < lastBlock.end)
        violations.push(`${memberId}: ${lastBlock.what} and ${s.what} overlap`);
      if (s.task) {
        if (!lastTask || s.end > lastTask.end) lastTask = s;
      } else if (!lastBlock || s.end > lastBlock.end) {
        lastBlock = s;
      }
    }
  }
  return violations;
};
