import fc from 'fast-check';
import { ReadModelRebuilds, rebuildFraction, type RebuildProgress } from '../src/index.js';

/**
 * The rebuild orchestration every read model runner shares: one rebuild at a time, carried out
 * by the runner's next pass, its progress reported and kept while it runs.
 */
const position = (prepare: bigint) => ({ commit: prepare, prepare });

/** A runner whose pass folds `events` events in pages of 2, reporting as the runners do. */
const runner = (events: number) => {
  const calls = { ready: 0, passes: 0 };
  let release: (() => void) | undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const rebuilds: ReadModelRebuilds = new ReadModelRebuilds(
    'p',
    async () => {
      calls.ready++;
    },
    async () => {
      calls.passes++;
      const pass = rebuilds.pass();
      if (pass === undefined) return;
      const head = position(BigInt(events));
      pass.report(undefined, head, false);
      await gate;
      for (let done = 0; done < events; done += 2) {
        pass.events += Math.min(2, events - done);
        pass.report(position(BigInt(pass.events)), head, false);
      }
      pass.report(position(BigInt(pass.events)), head, true);
    },
  );
  return { rebuilds, calls, release: () => release!() };
};

describe('rebuilds of a read model', () => {
  it('given none running, when one is asked, then the next pass carries it out and it ends with its last report', async () => {
    const { rebuilds, calls, release } = runner(5);
    const seen: RebuildProgress[] = [];
    const done = rebuilds.rebuild((p) => seen.push(p));
    expect(rebuilds.done).toBe(done);
    release();
    const last = await done;
    expect(calls).toEqual({ ready: 1, passes: 1 });
    expect(seen.map((p) => [p.events, p.fraction, p.done])).toEqual([
      [0, 0, false],
      [2, 0.4, false],
      [4, 0.8, false],
      [5, 1, false],
      [5, 1, true],
    ]);
    expect(last).toEqual({
      projection: 'p',
      events: 5,
      position: position(5n),
      head: position(5n),
      fraction: 1,
      done: true,
    });
    expect(rebuilds.done).toBeUndefined();
    expect(rebuilds.progress).toBeUndefined();
    expect(rebuilds.pass()).toBeUndefined();
  });

  it('given one running, when another is asked, then it is shared, and its progress is kept with when it began', async () => {
    const { rebuilds, calls, release } = runner(3);
    const first = rebuilds.rebuild();
    const second = rebuilds.rebuild();
    expect(second).toBe(first);
    await new Promise((resolve) => setImmediate(resolve));
    expect(rebuilds.progress).toMatchObject({ projection: 'p', events: 0, done: false });
    expect(rebuilds.progress?.startedAt).toBeInstanceOf(Date);
    release();
    await first;
    expect(calls.passes).toBe(1);
  });

  it('given a pass that does not carry it out, when asked, then it is refused, and the next one runs', async () => {
    const rebuilds = new ReadModelRebuilds(
      'p',
      async () => undefined,
      async () => undefined,
    );
    await expect(rebuilds.rebuild()).rejects.toThrow('rebuild of p did not run');
    expect(rebuilds.done).toBeUndefined();
    await expect(rebuilds.rebuild()).rejects.toThrow('rebuild of p did not run');
  });

  it('estimates how far it has come, from 0 to 1, never past the head', () => {
    expect(rebuildFraction(undefined, position(10n))).toBe(0);
    expect(rebuildFraction(position(0n), position(0n))).toBe(1);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 40n }), fc.bigInt({ min: 1n, max: 1n << 40n }), (at, head) => {
        const fraction = rebuildFraction(position(at), position(head));
        expect(fraction).toBeGreaterThanOrEqual(0);
        expect(fraction).toBeLessThanOrEqual(1);
        if (at >= head) expect(fraction).toBe(1);
      }),
    );
  });
});
