import type { taskDecompositionV1 } from '@workshare/proto';
import { cutToWindow } from '../src/demo-jobs.js';

const task = (key: string, minutes: number, dependsOn: string[] = []): taskDecompositionV1.Task => ({
  taskId: '',
  key,
  title: key,
  estimatedMinutes: minutes,
  skills: ['data entry'],
  dependsOn,
  deadline: new Date('2026-12-20T00:00:00Z'),
  round: 1,
});

describe('cutting a plan to the demo team’s windows', () => {
  it('cuts each task into parts of at most the window, keeping the total, and rewires dependencies to every part', () => {
    const drafts = cutToWindow(
      [task('entry-1', 100), task('entry-2', 40), task('check', 90, ['entry-1', 'entry-2'])],
      40,
    );
    expect(drafts.map((d) => [d.key, d.estimatedMinutes])).toEqual([
      ['entry-1-1', 34],
      ['entry-1-2', 33],
      ['entry-1-3', 33],
      ['entry-2', 40],
      ['check-1', 30],
      ['check-2', 30],
      ['check-3', 30],
    ]);
    expect(drafts.find((d) => d.key === 'check-2')?.dependsOn).toEqual([
      'entry-1-1',
      'entry-1-2',
      'entry-1-3',
      'entry-2',
    ]);
    expect(drafts.reduce((sum, d) => sum + d.estimatedMinutes, 0)).toBe(230);
  });
});
