import { positiveSetting, positiveWholeSetting } from '../src/settings.js';

describe('bench settings from BENCH_* variables', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('gives the fallback when unset or blank', () => {
    delete process.env.BENCH_TEST_SETTING;
    expect(positiveSetting('BENCH_TEST_SETTING', 5)).toBe(5);
    process.env.BENCH_TEST_SETTING = '  ';
    expect(positiveWholeSetting('BENCH_TEST_SETTING', 7)).toBe(7);
  });

  it('reads numbers, with _ or , between digits', () => {
    process.env.BENCH_TEST_SETTING = '0.5';
    expect(positiveSetting('BENCH_TEST_SETTING', 5)).toBe(0.5);
    process.env.BENCH_TEST_SETTING = '20_000';
    expect(positiveWholeSetting('BENCH_TEST_SETTING', 1)).toBe(20_000);
    process.env.BENCH_TEST_SETTING = '1,000';
    expect(positiveWholeSetting('BENCH_TEST_SETTING', 1)).toBe(1_000);
  });

  it('stops on a bad value, naming the variable', () => {
    for (const bad of ['0', '-3', 'fast', 'NaN']) {
      process.env.BENCH_TEST_SETTING = bad;
      expect(() => positiveSetting('BENCH_TEST_SETTING', 1)).toThrow(
        `BENCH_TEST_SETTING=${JSON.stringify(bad)} is not a positive number`,
      );
    }
    process.env.BENCH_TEST_SETTING = '2.5';
    expect(() => positiveWholeSetting('BENCH_TEST_SETTING', 1)).toThrow('is not a positive whole number');
  });
});
