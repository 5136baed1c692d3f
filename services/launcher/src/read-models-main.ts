/** The entry of `workshare read-models ...` (see read-models.ts). */
import { runReadModelsCli } from './read-models.js';

const tty = process.stderr.isTTY === true;
const code = await runReadModelsCli(process.argv.slice(3), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  progress: (line, done) => {
    if (tty) process.stderr.write(`\r${line}${done ? '\n' : ''}`);
    else if (done) process.stderr.write(`${line}\n`);
  },
});
process.exit(code);
