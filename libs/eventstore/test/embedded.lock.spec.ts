/**
 * One embedded data folder, one process: a second process opening it is refused with
 * `eventstore.embedded_in_use` (it would write to the same files), a lock left by a process
 * that died is taken over, and the lock goes with the last store closed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEventStore } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'workshare-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const distIndex = fileURLToPath(new URL('../dist/src/index.js', import.meta.url));

/** A child process that opens the store in `dir`, says so, and waits. */
const holder = (dir: string) => {
  const script = `const { openEventStore } = await import(${JSON.stringify(distIndex)});
    await openEventStore(${JSON.stringify(`embedded:${dir}`)}); console.log('open'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const opened = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('open') && resolve());
    child.on('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, opened, exited };
};

describe('the embedded store’s folder lock', () => {
  it('refuses a second process, names the holder, and takes over a lock left by a process that died', async () => {
    const dir = join(root, 'held');
    const other = holder(dir);
    try {
      await other.opened;
      await expect(openEventStore(`embedded:${dir}`)).rejects.toMatchObject({
        code: 'eventstore.embedded_in_use',
        message: expect.stringContaining(`process ${other.child.pid}`),
      });
    } finally {
      other.child.kill('SIGKILL');
      await other.exited;
    }
    expect(existsSync(`${dir}.lock`)).toBe(true); // it died holding it
    const store = await openEventStore(`embedded:${dir}`);
    await store.append('lock-1', [{ type: 'Opened', data: {} }]);
    await store.close();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  }, 60_000);

  it('shares one folder between the stores of one process, and lets go with the last', async () => {
    const dir = join(root, 'shared');
    const a = await openEventStore(`embedded:${dir}`);
    const b = await openEventStore(`embedded:${dir}`);
    await a.append('lock-2', [{ type: 'One', data: {} }]);
    expect(await b.readStream('lock-2')).toHaveLength(1);
    await a.close();
    expect(existsSync(`${dir}.lock`)).toBe(true);
    await b.close();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  }, 60_000);
});
