import fc from 'fast-check';
import { InProcessLocks } from '../src/index.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('InProcessLocks', () => {
  it('runs one holder of a key at a time, in the order they asked', async () => {
    const locks = new InProcessLocks();
    const order: string[] = [];
    const holder = (name: string) =>
      locks.withLocks(['region-a'], async () => {
        order.push(`${name} in`);
        await tick();
        await tick();
        order.push(`${name} out`);
        return name;
      });
    await expect(Promise.all([holder('first'), holder('second'), holder('third')])).resolves.toEqual([
      'first',
      'second',
      'third',
    ]);
    expect(order).toEqual(['first in', 'first out', 'second in', 'second out', 'third in', 'third out']);
    expect(locks.size).toBe(0);
  });

  it('lets holders of other keys run at the same time', async () => {
    const locks = new InProcessLocks();
    let release!: () => void;
    const held = locks.withLocks(['a'], () => new Promise<void>((resolve) => (release = resolve)));
    await tick();
    await expect(locks.withLocks(['b'], async () => 'b ran')).resolves.toBe('b ran');
    release();
    await held;
  });

  it('runs work at once without keys, and counts a repeated key once', async () => {
    const locks = new InProcessLocks();
    await expect(locks.withLocks([], async () => 'ran')).resolves.toBe('ran');
    await expect(locks.withLocks(['a', 'a', 'a'], async () => 'ran')).resolves.toBe('ran');
    expect(locks.size).toBe(0);
  });

  it('lets go of the keys when the work fails', async () => {
    const locks = new InProcessLocks();
    await expect(
      locks.withLocks(['a', 'b'], async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await expect(locks.withLocks(['b', 'a'], async () => 'next')).resolves.toBe('next');
    expect(locks.size).toBe(0);
  });

  it('never deadlocks nor lets two holders share a key, whatever keys they ask for in whatever order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            keys: fc.array(fc.constantFrom('r1', 'r2', 'r3', 'r4'), { maxLength: 4 }),
            ticks: fc.integer({ min: 0, max: 3 }),
            fails: fc.boolean(),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        async (holders) => {
          const locks = new InProcessLocks();
          const holding = new Map<string, number>();
          const outcomes = await Promise.allSettled(
            holders.map(({ keys, ticks, fails }, i) =>
              locks.withLocks(keys, async () => {
                for (const key of new Set(keys)) {
                  if (holding.has(key)) throw new Error(`${key} held by ${holding.get(key)} and ${i}`);
                  holding.set(key, i);
                }
                for (let t = 0; t < ticks; t++) await tick();
                for (const key of new Set(keys)) holding.delete(key);
                if (fails) throw new Error('failed on purpose');
                return i;
              }),
            ),
          );
          outcomes.forEach((outcome, i) => {
            if (holders[i]!.fails)
              expect(outcome).toMatchObject({ status: 'rejected', reason: { message: 'failed on purpose' } });
            else expect(outcome).toEqual({ status: 'fulfilled', value: i });
          });
          expect(locks.size).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
