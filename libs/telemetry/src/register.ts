/**
 * `node --import @workshare/telemetry/register services/<name>/dist/src/main.js`
 *
 * Starts telemetry before the app's first import: ESM modules are instrumented through
 * import-in-the-middle (only the modules an instrumentation asks for), CommonJS ones through
 * require hooks. Nothing here imports pino or the app's libraries, so the instrumentations
 * see them load.
 */
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { shutdownTelemetry, flushTelemetry, startTelemetry } from './sdk.js';

const warn = (msg: string): void => {
  process.stderr.write(
    `${JSON.stringify({ level: 'warn', time: new Date().toISOString(), logger: 'telemetry', msg })}\n`,
  );
};

const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

try {
  await startTelemetry();
} catch (error) {
  // A busy metrics port must not keep a service down: run on without /metrics, and say so.
  if (!(error instanceof Error) || !error.message.startsWith('telemetry: /metrics')) throw error;
  warn(`${error.message}; running without /metrics`);
  await startTelemetry({ metricsPort: false });
}
await waitForAllMessagesAcknowledged();

/**
 * On SIGTERM / SIGINT: when the app handles the signal itself, it owns shutdown (draining
 * calls, then `await shutdownTelemetry()`), so only flush what has ended so far. When nobody
 * else listens, flush and stop telemetry, then let the signal terminate the process as Node
 * would have without this listener.
 */
const onSignal = (signal: NodeJS.Signals): void => {
  const appHandles = process.listeners(signal).some((listener) => listener !== onSignal);
  if (appHandles) {
    void flushTelemetry().catch((error: unknown) => warn(`span flush on ${signal} failed: ${String(error)}`));
    return;
  }
  void shutdownTelemetry()
    .catch((error: unknown) => warn(`telemetry shutdown on ${signal} failed: ${String(error)}`))
    .finally(() => {
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    });
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);
