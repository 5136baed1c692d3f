import { proposeTasks, WORK_CATEGORIES } from '../../src/domain/templates.js';
import { validatePlan } from '../../src/domain/plan-rules.js';
import { job } from './fixtures.js';

describe('templates', () => {
  it('data entry of 300 minutes in 120-minute windows: three entry batches, then a final check due at the deadline', () => {
    const tasks = proposeTasks(job(), 120);
    expect(tasks.map((t) => [t.key, t.estimatedMinutes, t.dependsOn, t.deadline])).toEqual([
      ['entry-1', 90, [], '2026-04-09T10:30:00.000Z'],
      ['entry-2', 90, [], '2026-04-09T10:30:00.000Z'],
      ['entry-3', 90, [], '2026-04-09T10:30:00.000Z'],
      ['check-1', 30, ['entry-1', 'entry-2', 'entry-3'], '2026-04-10T09:00:00.000Z'],
    ]);
    expect(tasks[0]).toMatchObject({ title: 'Data entry batch (part 1 of 3)', skills: ['data entry', 'excel'] });
    expect(tasks[3]).toMatchObject({ title: 'Final check of the entered data' });
  });

  it('writing: outline → draft sections (each waiting for the outline) → edit parts (each waiting for the sections it covers)', () => {
    const tasks = proposeTasks(job({ workCategory: 'writing', estimatedMinutes: 600, skills: [] }), 120);
    expect(tasks.map((t) => [t.key, t.estimatedMinutes, t.dependsOn])).toEqual([
      ['outline-1', 60, []],
      ['draft-1', 120, ['outline-1']],
      ['draft-2', 120, ['outline-1']],
      ['draft-3', 120, ['outline-1']],
      ['draft-4', 120, ['outline-1']],
      ['edit-1', 60, ['draft-1', 'draft-2', 'draft-3', 'draft-4']],
    ]);
    expect(tasks.every((t) => t.skills.join() === 'writing')).toBe(true);
  });

  it('a big final phase is cut too, each part waiting only for the work it covers', () => {
    const tasks = proposeTasks(job({ workCategory: 'translation', estimatedMinutes: 2_000 }), 60);
    const proofreading = tasks.filter((t) => t.key.startsWith('proofread-'));
    expect(proofreading.map((t) => t.estimatedMinutes)).toEqual([50, 50, 50, 50]);
    expect(proofreading[0]!.dependsOn).toEqual([
      'translate-1',
      'translate-2',
      'translate-3',
      'translate-4',
      'translate-5',
      'translate-6',
      'translate-7',
      'translate-8',
    ]);
    expect(proofreading[3]!.dependsOn).toEqual([
      'translate-23',
      'translate-24',
      'translate-25',
      'translate-26',
      'translate-27',
      'translate-28',
      'translate-29',
      'translate-30',
    ]);
  });

  it('a 1-minute job is one task; tiny jobs drop the phases their share rounds away', () => {
    for (const workCategory of WORK_CATEGORIES) {
      const [only, ...none] = proposeTasks(job({ workCategory, estimatedMinutes: 1 }), 120);
      expect(none).toEqual([]);
      expect(only).toMatchObject({ estimatedMinutes: 1, dependsOn: [], deadline: job().deadline });
    }
    expect(
      proposeTasks(job({ workCategory: 'proofreading', estimatedMinutes: 2 }), 120).map((t) => t.estimatedMinutes),
    ).toEqual([1, 1]);
  });

  it('every category: the plan is valid', () => {
    for (const workCategory of WORK_CATEGORIES) {
      const j = job({ workCategory, estimatedMinutes: 1_234 });
      expect(
        validatePlan(proposeTasks(j, 90), {
          maxTaskMinutes: 90,
          jobDeadline: j.deadline,
          jobEstimatedMinutes: 1_234,
          round: 1,
        }),
      ).toEqual([]);
    }
  });

  it('accepted after the deadline: every task is due at the deadline', () => {
    const tasks = proposeTasks(job({ acceptedAt: '2026-04-11T00:00:00.000Z' }), 120);
    expect(new Set(tasks.map((t) => t.deadline))).toEqual(new Set([job().deadline]));
  });
});
