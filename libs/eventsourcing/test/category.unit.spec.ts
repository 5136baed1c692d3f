import { categoryOf } from '../src/index.js';

describe('categoryOf', () => {
  it('is the part of a stream name before its first dash', () => {
    expect(categoryOf('job-0190f5c2-7d3f-7b6a-9f1e-2b3c4d5e6f70')).toBe('job');
    expect(categoryOf('member-42')).toBe('member');
    expect(categoryOf('timesheet-m1-202604')).toBe('timesheet');
    expect(categoryOf('jobBoard-1')).toBe('jobBoard');
  });

  it('is the whole name when it has no dash, and empty when it starts with one', () => {
    expect(categoryOf('settings')).toBe('settings');
    expect(categoryOf('-1')).toBe('');
  });
});
