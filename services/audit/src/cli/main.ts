/**
 * `workshare audit …` as a process: the terminal, stdin and files around runAuditCli (the
 * launcher's `workshare` command runs it for `workshare audit`).
 */
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { grpcAuditCliConnector } from './connect.js';
import { runAuditCli, type AuditCliConnector } from './run.js';

/** The first line of stdin (a piped password). */
const firstLineOfStdin = (): Promise<string> =>
  new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin, terminal: false });
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      resolve(line);
    });
    lines.once('close', () => {
      if (!answered) resolve('');
    });
  });

/** Runs `workshare audit` with `args` (those after `audit`) on this process's terminal; answers the exit code. */
export const auditCliMain = (
  args: readonly string[],
  connector: AuditCliConnector = grpcAuditCliConnector,
): Promise<number> => {
  const tty = process.stderr.isTTY === true;
  return runAuditCli(
    args,
    {
      env: process.env,
      stdout: (chunk) => process.stdout.write(chunk),
      stderr: (line) => process.stderr.write(`${line}\n`),
      progress: (line, done) => {
        if (tty) process.stderr.write(`\r${line}${done ? '\n' : ''}`);
        else if (done) process.stderr.write(`${line}\n`);
      },
      readStdinLine: firstLineOfStdin,
      writeFile: (path, bytes) => writeFile(path, bytes, { mode: 0o600 }),
    },
    connector,
  );
};
