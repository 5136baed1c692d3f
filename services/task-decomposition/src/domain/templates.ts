/**
 * The first plan of a job, proposed from the template of its work category. Pure and
 * deterministic: the same job and window give the same plan, on every replay. The work
 * categories are job intake's (its published contract): a template for each.
 */
import type { WorkCategory } from '@workshare/job-intake/contract';
import type { TaskDraft } from './plan-rules.js';

export { isWorkCategory, WORK_CATEGORIES, type WorkCategory } from '@workshare/job-intake/contract';

/** The skill word of each category, as members name their skills. */
export const CATEGORY_SKILL: Readonly<Record<WorkCategory, string>> = {
  data_entry: 'data entry',
  transcription: 'transcription',
  writing: 'writing',
  design: 'design',
  translation: 'translation',
  illustration: 'illustration',
  proofreading: 'proofreading',
};

/** A phase of a template: `share` of the job's minutes, or `'rest'` for the main work (what the others leave). */
interface Phase {
  readonly key: string;
  /** The task's title; a phase cut into parts numbers them (`… (part 2 of 5)`). */
  readonly title: string;
  readonly share: number | 'rest';
}

/**
 * Phases run one after the other: each task of a phase waits for the tasks of the phase before
 * that cover the same part of the work. Shares are at most 0.4, so that a 1-minute job rounds
 * every share to nothing and is one task.
 */
export const TEMPLATES: Readonly<Record<WorkCategory, readonly Phase[]>> = {
  data_entry: [
    { key: 'entry', title: 'Data entry batch', share: 'rest' },
    { key: 'check', title: 'Final check of the entered data', share: 0.1 },
  ],
  transcription: [
    { key: 'transcribe', title: 'Transcribe segment', share: 'rest' },
    { key: 'proofread', title: 'Proofread the transcript', share: 0.1 },
  ],
  writing: [
    { key: 'outline', title: 'Outline', share: 0.1 },
    { key: 'draft', title: 'Draft section', share: 'rest' },
    { key: 'edit', title: 'Edit the draft', share: 0.1 },
  ],
  translation: [
    { key: 'translate', title: 'Translate part', share: 'rest' },
    { key: 'proofread', title: 'Proofread the translation', share: 0.1 },
  ],
  design: [
    { key: 'brief', title: 'Read the brief and gather references', share: 0.1 },
    { key: 'draft', title: 'Design draft', share: 'rest' },
    { key: 'revision', title: 'Revise the design', share: 0.1 },
  ],
  illustration: [
    { key: 'brief', title: 'Read the brief and sketch ideas', share: 0.1 },
    { key: 'draft', title: 'Illustration draft', share: 'rest' },
    { key: 'revision', title: 'Revise the illustration', share: 0.1 },
  ],
  proofreading: [
    { key: 'first-pass', title: 'First proofreading pass', share: 'rest' },
    { key: 'second-pass', title: 'Second proofreading pass', share: 0.3 },
  ],
};

/** What a template needs of an accepted job. */
export interface JobToPlan {
  readonly workCategory: WorkCategory;
  /** Whole minutes, at least 1. */
  readonly estimatedMinutes: number;
  /** The job's skills, added to every task. */
  readonly skills: readonly string[];
  /** When the quote was accepted (ISO-8601 UTC): work starts then. */
  readonly acceptedAt: string;
  /** The job's deadline (ISO-8601 UTC). */
  readonly deadline: string;
}

/**
 * Minutes of each phase: a fixed share is `round(estimate × share)` (half up); a phase whose
 * share rounds to 0 is left out (its little work folds into the main phase); the main phase
 * takes the rest, so the phases add up exactly to the estimate.
 */
const phaseMinutes = (phases: readonly Phase[], estimate: number): { phase: Phase; minutes: number }[] => {
  const fixed = phases.map((phase) => (phase.share === 'rest' ? 0 : Math.round(estimate * phase.share)));
  const rest = estimate - fixed.reduce((a, b) => a + b, 0);
  return phases
    .map((phase, i) => ({ phase, minutes: phase.share === 'rest' ? rest : (fixed[i] as number) }))
    .filter((p) => p.minutes > 0);
};

/** `minutes` in `ceil(minutes / max)` parts as equal as can be (the first ones one minute longer). */
const chunk = (minutes: number, max: number): number[] => {
  const parts = Math.ceil(minutes / max);
  const base = Math.floor(minutes / parts);
  const longer = minutes % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < longer ? 1 : 0));
};

const uniqueSkills = (skills: readonly string[]): string[] => {
  const seen = new Set<string>();
  for (const skill of skills) {
    const s = skill.trim();
    if (s !== '') seen.add(s);
  }
  return [...seen];
};

/**
 * The proposed tasks of a job: each phase cut into tasks of at most `maxTaskMinutes`, adding
 * up exactly to the job's estimate; each phase due at its share of the time between acceptance
 * and the job's deadline (the last phase at the deadline itself), so no task is due before one
 * it waits for; every task names the category's skill and the job's skills.
 */
export const proposeTasks = (job: JobToPlan, maxTaskMinutes: number): TaskDraft[] => {
  const phases = phaseMinutes(TEMPLATES[job.workCategory], job.estimatedMinutes);
  const skills = uniqueSkills([CATEGORY_SKILL[job.workCategory], ...job.skills]);
  const start = Date.parse(job.acceptedAt);
  const end = Date.parse(job.deadline);
  // Accepted at or after the deadline: nothing to share out, every task is due at the deadline.
  const span = Math.max(0, end - start);

  const drafts: TaskDraft[] = [];
  let previous: { key: string; from: number; to: number }[] = [];
  let done = 0;
  phases.forEach(({ phase, minutes }, p) => {
    done += minutes;
    // Floored to the millisecond, never later than the deadline; the last phase is due at the deadline exactly.
    const due =
      p === phases.length - 1 || span === 0
        ? new Date(end)
        : new Date(start + Math.floor((span * done) / job.estimatedMinutes));
    const deadline = due.toISOString();
    const parts = chunk(minutes, maxTaskMinutes);
    const current: { key: string; from: number; to: number }[] = [];
    let offset = 0;
    parts.forEach((size, i) => {
      const key = `${phase.key}-${i + 1}`;
      const from = offset;
      const to = offset + size;
      offset = to;
      // Waits for the parts of the phase before covering the same stretch of the work
      // (compared as fractions of each phase, in integers: from/minutes vs f/prevMinutes).
      const prevMinutes = previous.length > 0 ? (previous[previous.length - 1] as { to: number }).to : 0;
      const dependsOn = previous
        .filter((q) => q.from * minutes < to * prevMinutes && from * prevMinutes < q.to * minutes)
        .map((q) => q.key);
      drafts.push({
        key,
        title: parts.length === 1 ? phase.title : `${phase.title} (part ${i + 1} of ${parts.length})`,
        estimatedMinutes: size,
        skills: [...skills],
        dependsOn,
        deadline,
      });
      current.push({ key, from, to });
    });
    previous = current;
  });
  return drafts;
};
