/**
 * The load generator of the gateway bench, in a worker thread so that the client's event loop is
 * not the servers': keep-alive HTTP/1.1 POSTs of a JSON body, either a closed loop (a fixed
 * number in flight, each sent when the previous answered) or an open loop (sent on a fixed
 * schedule whatever the answers; latency counted from the planned send time, so a stall is not
 * hidden by sending less).
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';

export interface LoadTarget {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The status every answer must have. */
  readonly expectStatus: number;
}

export type LoadOrder =
  | (LoadTarget & {
      readonly mode: 'closed';
      readonly concurrency: number;
      readonly durationMs: number;
      readonly warmupMs: number;
    })
  | (LoadTarget & { readonly mode: 'open'; readonly ratePerSecond: number; readonly durationMs: number });

export interface LoadReport {
  /** Latency of each answered request, ms. */
  readonly samplesMs: number[];
  readonly elapsedMs: number;
  /** Answers of another status, or failed requests. */
  readonly failures: number;
  readonly firstFailure: string | undefined;
}

const post = (agent: Agent, target: LoadTarget): Promise<{ status: number; text: string }> =>
  new Promise((resolve, reject) => {
    const req = request(
      target.url,
      { method: 'POST', agent, headers: { ...target.headers, 'content-length': Buffer.byteLength(target.body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(target.body);
  });

const run = async (order: LoadOrder): Promise<LoadReport> => {
  const agent = new Agent({ keepAlive: true, maxSockets: order.mode === 'closed' ? order.concurrency : 256 });
  const samplesMs: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  const once = async (plannedAt: number, record: boolean): Promise<void> => {
    try {
      const { status, text } = await post(agent, order);
      if (status !== order.expectStatus) {
        failures++;
        firstFailure ??= `${status} ${text.slice(0, 300)}`;
        return;
      }
      if (record) samplesMs.push(performance.now() - plannedAt);
    } catch (error) {
      failures++;
      firstFailure ??= error instanceof Error ? error.message : String(error);
    }
  };

  if (order.mode === 'closed') {
    const loop = async (until: number, record: boolean): Promise<void> => {
      while (performance.now() < until) await once(performance.now(), record);
    };
    const warmupEnd = performance.now() + order.warmupMs;
    await Promise.all(Array.from({ length: order.concurrency }, () => loop(warmupEnd, false)));
    const started = performance.now();
    await Promise.all(Array.from({ length: order.concurrency }, () => loop(started + order.durationMs, true)));
    const elapsedMs = performance.now() - started;
    agent.destroy();
    return { samplesMs, elapsedMs, failures, firstFailure };
  }

  const intervalMs = 1000 / order.ratePerSecond;
  const total = Math.round((order.durationMs / 1000) * order.ratePerSecond);
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const plannedAt = started + i * intervalMs;
    const wait = plannedAt - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(once(plannedAt, true));
  }
  await Promise.all(pending);
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { samplesMs, elapsedMs, failures, firstFailure };
};

parentPort?.on('message', (order: LoadOrder) => {
  run(order).then(
    (report) => parentPort?.postMessage(report),
    (error: unknown) =>
      parentPort?.postMessage({
        samplesMs: [],
        elapsedMs: 0,
        failures: 1,
        firstFailure: String(error),
      } satisfies LoadReport),
  );
});
