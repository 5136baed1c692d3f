/**
 * Freezes one PostgreSQL backend at a chosen step, for the tests that must reach a window a few
 * instructions wide: gdb attaches to the backend and stops it at a breakpoint on a function of
 * the server (the postgres binary exports its functions for extensions, so no debug symbols are
 * needed), then lets it go on. Works where the server runs on this machine and this process may
 * trace it (root, or the server's own user).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Why freezing cannot work here, or undefined when it can be tried. */
export const whyNoFreezing = (): string | undefined => {
  if (spawnSync('gdb', ['--version'], { stdio: 'ignore' }).status !== 0)
    return 'gdb is not installed (Debian package gdb)';
  return undefined;
};

/** Whether `pid` (a backend's pg_backend_pid()) is a PostgreSQL process of this machine. */
export const isLocalBackend = (pid: number): boolean => {
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return false;
  return readFileSync(cmdline, 'utf8').startsWith('postgres');
};

export interface Freeze {
  /** Resolves with the backtrace when the backend next stops at the breakpoint. */
  stopped(): Promise<string>;
  /** Lets a stopped backend go on; the breakpoint stays armed. */
  resume(): void;
  /** Lets the backend go on for good (breakpoint removed, gdb detached), stopped or not. */
  release(): Promise<void>;
}

const TIMEOUT_MS = 30_000;

/** gdb settings for a PostgreSQL backend: the signals it lives by (latches, termination) pass through untouched. */
const setUp = (send: (line: string) => void): void => {
  send('set pagination off');
  send('set confirm off');
  send('handle SIGUSR1 SIGUSR2 SIGTERM SIGQUIT SIGALRM SIGPIPE SIGCHLD SIGURG SIGHUP nostop noprint pass');
};

/**
 * Makes backend `pid` pause `ms` milliseconds each time it enters `fn`, as a busy machine's
 * scheduler might pause it there, until `end()` (which detaches gdb). For the stress test.
 */
export const stallAt = async (pid: number, fn: string, ms: number): Promise<{ end(): Promise<void> }> => {
  const gdb = spawn('gdb', ['-q', '-nx', '-p', String(pid)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  gdb.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  gdb.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = new Promise<void>((resolve) => gdb.on('exit', () => resolve()));
  const send = (line: string) => {
    if (gdb.stdin.writable) gdb.stdin.write(`${line}\n`);
  };
  setUp(send);
  send(`break ${fn}`);
  for (const line of ['commands', 'silent', `shell sleep ${(ms / 1000).toFixed(3)}`, 'continue', 'end', 'continue'])
    send(line);
  for (let waited = 0; !text.includes('Continuing.'); waited += 10) {
    if (
      waited > TIMEOUT_MS ||
      gdb.exitCode !== null ||
      /The program is not being run|No such process|ptrace: /.test(text)
    ) {
      gdb.kill('SIGKILL');
      throw new Error(`gdb could not attach to ${pid}:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  let ended: Promise<void> | undefined;
  return {
    end: () =>
      (ended ??= (async () => {
        if (gdb.exitCode === null) {
          gdb.kill('SIGINT');
          await new Promise((resolve) => setTimeout(resolve, 200));
          send('delete');
          send('detach');
          send('quit');
          gdb.stdin.end();
        }
        await exit;
      })()),
  };
};

/**
 * Attaches to backend `pid` and arms a breakpoint on `fn`. Resolves once the backend runs again
 * under gdb: what the caller sends on that connection next stops when it enters `fn`.
 */
export const freezeAt = async (pid: number, fn: string): Promise<Freeze> => {
  const gdb = spawn('gdb', ['-q', '-nx', '-p', String(pid)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  let consumed = 0;
  let exited = false;
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const l of listeners) l();
  };
  gdb.stdout.on('data', onData);
  gdb.stderr.on('data', onData);
  const exit = new Promise<void>((resolve) =>
    gdb.on('exit', () => {
      exited = true;
      for (const l of listeners) l();
      resolve();
    }),
  );
  /** Waits for `marker` in gdb's output after what was consumed; answers the text up to it. */
  const waitFor = (marker: string, what: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const at = text.indexOf(marker, consumed);
        if (at >= 0) {
          const seen = text.slice(consumed, at + marker.length);
          consumed = at + marker.length;
          done();
          resolve(seen);
        } else if (exited) {
          done();
          reject(new Error(`gdb exited before ${what}:\n${text}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`gdb: no ${what} within ${TIMEOUT_MS} ms:\n${text}`));
      }, TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  const send = (line: string) => {
    if (!exited && gdb.stdin.writable) gdb.stdin.write(`${line}\n`);
  };

  const isStopped = () => text.lastIndexOf('Breakpoint 1, ') > text.lastIndexOf('Continuing.');
  setUp(send);
  send(`break ${fn}`);
  send('continue');
  try {
    await waitFor('Continuing.', 'attach');
  } catch (error) {
    gdb.kill('SIGKILL');
    throw error;
  }
  let released: Promise<void> | undefined;
  return {
    async stopped() {
      await waitFor(`Breakpoint 1, `, `stop in ${fn}`);
      send('bt 40');
      send('echo <end of backtrace>\\n');
      return waitFor('<end of backtrace>', 'backtrace');
    },
    resume() {
      send('continue');
    },
    release: () =>
      (released ??= (async () => {
        // A running backend is interrupted first, so that the breakpoint can be removed: one
        // left in place would crash the backend once gdb has gone.
        if (!isStopped() && !exited) {
          gdb.kill('SIGINT');
          await waitFor('SIGINT', 'interrupt').catch(() => undefined);
        }
        send('delete');
        send('detach');
        send('quit');
        gdb.stdin.end();
        await exit;
      })()),
  };
};
