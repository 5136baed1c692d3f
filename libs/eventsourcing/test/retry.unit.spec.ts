import { retry, retryDelayMs } from '../src/retry.js';

describe('retry', () => {
  it('tries again after failures it may retry, then answers', async () => {
    const delays: number[] = [];
    let calls = 0;
    const answer = await retry(
      async () => {
        calls++;
        if (calls < 3) throw new Error('unavailable');
        return 'ok';
      },
      { attempts: 5, baseDelayMs: 1, jitter: 'none', onRetry: (_, __, ms) => delays.push(ms) },
    );
    expect(answer).toBe('ok');
    expect(delays).toEqual([1, 2]);
  });

  it('throws the last failure once the attempts are spent, or at once when retryIf says no', async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error(`failure ${calls}`);
    };
    await expect(retry(failing, { attempts: 3, baseDelayMs: 0 })).rejects.toThrow('failure 3');
    calls = 0;
    await expect(retry(failing, { attempts: 3, baseDelayMs: 0, retryIf: () => false })).rejects.toThrow('failure 1');
  });

  it('an abort stops the waiting and throws the last failure', async () => {
    const controller = new AbortController();
    const running = retry(async () => Promise.reject(new Error('down')), {
      attempts: Infinity,
      baseDelayMs: 60_000,
      jitter: 'none',
      signal: controller.signal,
    });
    controller.abort();
    await expect(running).rejects.toThrow('down');
  });

  it('delays grow by the factor up to the bound, jittered within their range', () => {
    const policy = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000, jitter: 'none' as const };
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(policy, a))).toEqual([100, 200, 400, 800, 1000]);
    expect(retryDelayMs({ ...policy, jitter: 'full', random: () => 0.5 }, 3)).toBe(200);
    expect(retryDelayMs({ ...policy, jitter: 'equal', random: () => 0 }, 3)).toBe(200);
  });

  it('a configured schedule replaces the exponential delays', () => {
    const schedule = [10, 50, 200];
    const policy = { attempts: 5, baseDelayMs: 1, delayMs: (a: number) => schedule[Math.min(a, schedule.length) - 1]! };
    expect([1, 2, 3, 4].map((a) => retryDelayMs(policy, a))).toEqual([10, 50, 200, 200]);
  });
});
