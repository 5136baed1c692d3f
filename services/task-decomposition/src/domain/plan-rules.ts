/**
 * What makes a plan valid (the rules, DESIGN §1 "task"): every rule is checked and
 * every violation reported, so a coordinator fixes her plan in one go. Pure: no clock, no I/O.
 * Messages show keys as short escaped previews (a key may be anything a caller sent).
 */
import { characterCount, MAX_SKILL_LENGTH, preview } from '@workshare/eventsourcing';

/**
 * A task as drafted in a plan's round (proposed from a template or written by a coordinator).
 * A type, not an interface, so that it is plain JSON event data.
 */
export type TaskDraft = {
  /** Names the task within its round; dependencies refer to it. */
  readonly key: string;
  readonly title: string;
  readonly estimatedMinutes: number;
  readonly skills: string[];
  /** Keys of the tasks of the same round that must be done first. */
  readonly dependsOn: string[];
  /** ISO-8601 UTC. */
  readonly deadline: string;
};

export interface PlanConstraints {
  /** The longest a task may be: one window. */
  readonly maxTaskMinutes: number;
  /** The job's deadline, ISO-8601 UTC: no task may be due later. */
  readonly jobDeadline: string;
  /** The job's estimate: the first round's estimates add up to it exactly. */
  readonly jobEstimatedMinutes: number;
  /** 1 for the first plan; a rework round plans only the remaining work (any positive total). */
  readonly round: number;
}

export type PlanViolationCode =
  | 'plan.empty'
  | 'plan.too_many_tasks'
  | 'plan.duplicate_key'
  | 'plan.invalid_key'
  | 'plan.title_missing'
  | 'plan.title_too_long'
  | 'plan.estimate_invalid'
  | 'plan.task_too_long'
  | 'plan.skills_missing'
  | 'plan.skills_invalid'
  | 'plan.unknown_dependency'
  | 'plan.self_dependency'
  | 'plan.duplicate_dependency'
  | 'plan.cycle'
  | 'plan.deadline_invalid'
  | 'plan.deadline_after_job'
  | 'plan.deadline_before_predecessor'
  | 'plan.estimates_mismatch';

export interface PlanViolation {
  readonly code: PlanViolationCode;
  /** The task concerned (the first of them for a cycle); absent for rules about the whole plan. */
  readonly key?: string;
  /** For a cycle: every task on it, in plan order. */
  readonly keys?: readonly string[];
  readonly message: string;
}

/**
 * At most this many tasks in one round. The brief's figure was 500; a job of 20,000 minutes cut
 * into 15-minute windows (the smallest TASK_MAX_MINUTES) needs 1,334 tasks, so the bound is set
 * where every job the templates accept fits while a round's events stay far below the store's
 * 1 MiB per event.
 */
export const MAX_TASKS_PER_ROUND = 2_000;
/** A task's title is 1 to this many characters (trimmed). */
export const MAX_TITLE_LENGTH = 200;
/** A task's key is 1 to this many of `A-Z a-z 0-9 - _`. */
export const MAX_TASK_KEY_LENGTH = 40;
export const TASK_KEY_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_TASK_KEY_LENGTH}}$`);

/**
 * The window a task must fit (the longest a task may be, TASK_MAX_MINUTES): 120 minutes by
 * default (DESIGN §1), configurable from 15 to 480; kept with each plan when it is proposed.
 */
export const DEFAULT_MAX_TASK_MINUTES = 120;
export const MIN_TASK_MAX_MINUTES = 15;
export const MAX_TASK_MAX_MINUTES = 480;

/**
 * A plan's limits in one place, for the edges (the gRPC host's limits, the HTTP edge's schemas:
 * `@workshare/task-decomposition/contract`). `taskKeyPattern` is TASK_KEY_PATTERN's source.
 */
/** A task needs at most this many skills (as many as a member may hold), each of the platform's skill length. */
export const MAX_SKILLS_PER_TASK = 30;

export const PLAN_LIMITS = Object.freeze({
  skillsPerTask: MAX_SKILLS_PER_TASK,
  skillLength: MAX_SKILL_LENGTH,
  tasksPerPlan: MAX_TASKS_PER_ROUND,
  taskTitleLength: MAX_TITLE_LENGTH,
  taskKeyLength: MAX_TASK_KEY_LENGTH,
  taskKeyPattern: TASK_KEY_PATTERN.source,
  defaultMaxTaskMinutes: DEFAULT_MAX_TASK_MINUTES,
  minTaskMaxMinutes: MIN_TASK_MAX_MINUTES,
  maxTaskMaxMinutes: MAX_TASK_MAX_MINUTES,
});

const at = (iso: string): number => (/^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(iso) : Number.NaN);

/**
 * Every violation of the plan's rules, in a stable order (whole-plan rules, then per task in
 * plan order, then cycles and the total); an empty list means the plan is valid.
 */
export const validatePlan = (drafts: readonly TaskDraft[], constraints: PlanConstraints): PlanViolation[] => {
  if (drafts.length === 0) return [{ code: 'plan.empty', message: 'a plan has at least one task' }];
  const violations: PlanViolation[] = [];
  if (drafts.length > MAX_TASKS_PER_ROUND) {
    violations.push({
      code: 'plan.too_many_tasks',
      message: `a round has at most ${MAX_TASKS_PER_ROUND} tasks, this one has ${drafts.length}`,
    });
  }

  // The first task of each key is the one dependencies refer to; later ones are duplicates.
  const indexOfKey = new Map<string, number>();
  drafts.forEach((d, i) => {
    if (indexOfKey.has(d.key))
      violations.push({
        code: 'plan.duplicate_key',
        key: d.key,
        message: `two tasks are named ${preview(d.key)}`,
      });
    else indexOfKey.set(d.key, i);
  });

  const jobDeadline = at(constraints.jobDeadline);
  const deadlines = drafts.map((d) => at(d.deadline));
  // Dependency edges of the graph: dependsOn[i] holds the indexes task i waits for.
  const dependsOn: number[][] = drafts.map(() => []);
  let total = 0;
  let everyEstimateValid = true;

  drafts.forEach((d, i) => {
    const key = d.key;
    if (!TASK_KEY_PATTERN.test(key))
      violations.push({
        code: 'plan.invalid_key',
        key,
        message: `key ${preview(key)} is 1 to ${MAX_TASK_KEY_LENGTH} letters, digits, '-' or '_'`,
      });
    const title = d.title.trim();
    if (title === '')
      violations.push({ code: 'plan.title_missing', key, message: `task ${preview(key)} has no title` });
    else if (characterCount(title, MAX_TITLE_LENGTH) > MAX_TITLE_LENGTH)
      violations.push({
        code: 'plan.title_too_long',
        key,
        message: `task ${preview(key)}: a title has at most ${MAX_TITLE_LENGTH} characters`,
      });
    if (!Number.isSafeInteger(d.estimatedMinutes) || d.estimatedMinutes < 1) {
      everyEstimateValid = false;
      violations.push({
        code: 'plan.estimate_invalid',
        key,
        message: `task ${preview(key)}: the estimate is a whole number of minutes, at least 1`,
      });
    } else {
      total += d.estimatedMinutes;
      if (d.estimatedMinutes > constraints.maxTaskMinutes) {
        violations.push({
          code: 'plan.task_too_long',
          key,
          message: `task ${preview(key)} takes ${d.estimatedMinutes} minutes: one window is at most ${constraints.maxTaskMinutes}`,
        });
      }
    }
    if (d.skills.length === 0 || d.skills.some((s) => s.trim() === '')) {
      violations.push({
        code: 'plan.skills_missing',
        key,
        message: `task ${preview(key)} names its skills (at least one, none empty)`,
      });
    } else if (
      d.skills.length > MAX_SKILLS_PER_TASK ||
      d.skills.some((s) => characterCount(s, MAX_SKILL_LENGTH) > MAX_SKILL_LENGTH)
    ) {
      violations.push({
        code: 'plan.skills_invalid',
        key,
        message: `task ${preview(key)} names at most ${MAX_SKILLS_PER_TASK} skills of at most ${MAX_SKILL_LENGTH} characters each`,
      });
    }
    const deadline = deadlines[i] as number;
    if (Number.isNaN(deadline))
      violations.push({
        code: 'plan.deadline_invalid',
        key,
        message: `task ${preview(key)}: the deadline is not an ISO-8601 time`,
      });
    else if (deadline > jobDeadline)
      violations.push({
        code: 'plan.deadline_after_job',
        key,
        message: `task ${preview(key)} is due after the job's deadline ${constraints.jobDeadline}`,
      });

    const seen = new Set<string>();
    for (const dependency of d.dependsOn) {
      if (seen.has(dependency)) {
        violations.push({
          code: 'plan.duplicate_dependency',
          key,
          message: `task ${preview(key)} names ${preview(dependency)} twice`,
        });
        continue;
      }
      seen.add(dependency);
      if (dependency === key) {
        violations.push({ code: 'plan.self_dependency', key, message: `task ${preview(key)} depends on itself` });
        continue;
      }
      const j = indexOfKey.get(dependency);
      if (j === undefined) {
        violations.push({
          code: 'plan.unknown_dependency',
          key,
          message: `task ${preview(key)} depends on ${preview(dependency)}, which is not in the plan`,
        });
        continue;
      }
      (dependsOn[i] as number[]).push(j);
      const before = deadlines[j] as number;
      if (!Number.isNaN(deadline) && !Number.isNaN(before) && deadline < before) {
        violations.push({
          code: 'plan.deadline_before_predecessor',
          key,
          message: `task ${preview(key)} is due before ${preview(dependency)}, which must be done first`,
        });
      }
    }
  });

  for (const cycle of cyclesOf(dependsOn)) {
    const keys = cycle.map((i) => (drafts[i] as TaskDraft).key);
    violations.push({
      code: 'plan.cycle',
      key: keys[0] as string,
      keys,
      message: `tasks ${keys
        .slice(0, 5)
        .map((k) => preview(k))
        .join(', ')}${keys.length > 5 ? ', …' : ''} wait for each other: dependencies must form no cycle`,
    });
  }

  if (everyEstimateValid && constraints.round === 1 && total !== constraints.jobEstimatedMinutes) {
    violations.push({
      code: 'plan.estimates_mismatch',
      message: `the tasks' estimates add up to ${total} minutes, the job's estimate is ${constraints.jobEstimatedMinutes}`,
    });
  }
  return violations;
};

/**
 * The groups of tasks that wait for each other, each in plan order. Kahn's algorithm first
 * takes away every task that can be ordered (O(V+E)); what remains waits on a cycle. Among
 * those, the strongly connected components (iterative Tarjan, O(V+E)) are the cycles proper,
 * so a task that merely waits for a cycle is not reported as being on one.
 */
const cyclesOf = (dependsOn: readonly (readonly number[])[]): number[][] => {
  const n = dependsOn.length;
  const dependents: number[][] = Array.from({ length: n }, () => []);
  const waiting = new Array<number>(n).fill(0);
  dependsOn.forEach((deps, i) => {
    waiting[i] = deps.length;
    for (const j of deps) (dependents[j] as number[]).push(i);
  });
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (waiting[i] === 0) ready.push(i);
  let ordered = 0;
  while (ready.length > 0) {
    const i = ready.pop() as number;
    ordered++;
    for (const k of dependents[i] as number[]) {
      waiting[k] = (waiting[k] as number) - 1;
      if (waiting[k] === 0) ready.push(k);
    }
  }
  if (ordered === n) return [];

  const remaining = (i: number) => (waiting[i] as number) > 0;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (!remaining(root) || index[root] !== -1) continue;
    // Explicit call stack of (node, next edge to follow): no recursion, so no stack overflow on long chains.
    const frames: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as [number, number];
      const [v, edge] = frame;
      const edges = dependsOn[v] as readonly number[];
      if (edge < edges.length) {
        frame[1] = edge + 1;
        const w = edges[edge] as number;
        if (!remaining(w)) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          frames.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v] as number, index[w] as number);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low[parent[0]] = Math.min(low[parent[0]] as number, low[v] as number);
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = false;
          component.push(w);
        } while (w !== v);
        // Self-dependencies are reported on their own and kept out of the graph, so a cycle has two tasks or more.
        if (component.length > 1) components.push(component.sort((a, b) => a - b));
      }
    }
  }
  return components.sort((a, b) => (a[0] as number) - (b[0] as number));
};
