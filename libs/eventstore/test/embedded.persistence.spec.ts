import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChain } from '@workshare/eventsourcing';
import { openEventStore } from '../src/open.js';

describe('embedded store on a local folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'workshare-embedded-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every event across a restart, hash chain and positions included', async () => {
    const first = await openEventStore(`embedded:${dir}`);
    const written = await first.append('task-1', [
      { type: 'TaskAssigned', data: { to: 'hanako' } },
      { type: 'TaskHandedOff', data: { to: 'yuki' } },
    ]);
    await first.storeCheckpoint('projection-1', written.position);
    await first.close();

    const second = await openEventStore(`embedded:${dir}`);
    try {
      const events = await second.readStream('task-1');
      expect(events.map((e) => [e.id, e.hash])).toEqual(written.events.map((e) => [e.id, e.hash]));
      expect(verifyChain(events)).toBeUndefined();
      expect(await second.readCheckpoint('projection-1')).toEqual(written.position);
      // Migrations are not applied twice, and appends go on where they stopped.
      await expect(
        second.append('task-1', [{ type: 'TaskCompleted', data: {} }], { expectedVersion: 1 }),
      ).resolves.toMatchObject({ nextExpectedVersion: 2 });
    } finally {
      await second.close();
    }
  });

  it('shares one database per folder within a process, closed with its last user', async () => {
    const a = await openEventStore(`embedded:${dir}`);
    const b = await openEventStore(`embedded:${dir}`);
    await a.append('task-1', [{ type: 'A', data: {} }]);
    expect(await b.streamVersion('task-1')).toBe(0);
    await a.close();
    await expect(b.append('task-1', [{ type: 'B', data: {} }], { expectedVersion: 0 })).resolves.toMatchObject({
      nextExpectedVersion: 1,
    });
    await b.close();
  });
});
