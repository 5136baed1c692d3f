/**
 * Gateway benchmark: POST /v1/jobs through the whole edge (request id, bearer token verified by
 * identity and cached, role and scope checks, rate limiter, JSON schema validation, problem
 * mapping, one SubmitJob gRPC call to the REAL job intake service, which checks the business
 * with identity and appends JobSubmitted to the event store) against a bare fastify route that
 * makes one gRPC call to an empty grpc-js handler, measured in the same run, interleaved.
 *
 *   npm run build && npm run bench     (from services/gateway)
 *
 * (a) Closed loop at BENCH_CONCURRENCY (32) in flight for BENCH_SECONDS (5) per side, over 4
 *     interleaved rounds, each after its share of BENCH_WARMUP_SECONDS (4): throughput, p50, p99; target: the
 *     gateway reaches at least 0.5x the bare route's throughput.
 * (b) Open loop at BENCH_RATE (200) requests/s for BENCH_OPEN_SECONDS (10) through the gateway:
 *     p50, p99 from the planned send time; target p99 < 50 ms.
 *
 * The load generator runs in a worker thread with a keep-alive agent. The store is
 * `embedded:memory` (PGlite in this process), or PostgreSQL when DATABASE_URL is set (schema
 * `bench_gateway`, dropped and made afresh at the start of every run). A missed target is
 * reported (met: false), not failed.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { below, compareToBaseline, positiveSetting, recordResults, summarizeLatencies } from '@workshare/bench';
import { dropPostgresSchemas, openEventStore } from '@workshare/eventstore';
import {
  benchUnary,
  createClient,
  IdentityTokenVerifierClient,
  jsonLogger,
  startEmptyHandlerBaseline,
} from '@workshare/grpc';
import { startTestCooperative } from '@workshare/identity';
import { openJobIntakeService, startJobIntakeGrpc } from '@workshare/job-intake';
import { jobIntakeV1 } from '@workshare/proto';
import { createLogger } from '@workshare/telemetry';
import Fastify from 'fastify';
import { startGateway } from '../src/index.js';
import type { LoadOrder, LoadReport, LoadTarget } from './load-worker.js';

const ROUNDS = 4;
const measureMs = positiveSetting('BENCH_SECONDS', 5) * 1000;
// Spread over the rounds; both sides need a few seconds before their code runs optimised.
const warmupMs = positiveSetting('BENCH_WARMUP_SECONDS', 4) * 1000;
const concurrency = Math.round(positiveSetting('BENCH_CONCURRENCY', 32));
const rate = positiveSetting('BENCH_RATE', 200);
const openMs = positiveSetting('BENCH_OPEN_SECONDS', 10) * 1000;

/** Runs one load order in a fresh worker thread. */
const load = (order: LoadOrder): Promise<LoadReport> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.js', import.meta.url));
    worker.once('message', (report: LoadReport) => {
      void worker.terminate();
      resolve(report);
    });
    worker.once('error', reject);
    worker.postMessage(order);
  });

const describe = (samples: readonly number[], elapsedMs: number): string => {
  const s = summarizeLatencies(samples);
  return `${Math.round((samples.length * 1000) / elapsedMs).toLocaleString('en-US')} requests/s, p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms`;
};

const checked = (what: string, report: LoadReport): LoadReport => {
  if (report.failures > 0)
    throw new Error(`${what}: ${report.failures} request(s) failed, the first: ${report.firstFailure}`);
  return report;
};

const main = async (): Promise<void> => {
  const started = performance.now();
  const databaseUrl = process.env.DATABASE_URL;
  // The test cooperative bootstraps its operator once per store: every run starts from an empty schema.
  if (databaseUrl) await dropPostgresSchemas(databaseUrl, ['bench_gateway']);
  const store = databaseUrl
    ? await openEventStore(databaseUrl, { schema: 'bench_gateway' })
    : await openEventStore('embedded:memory');
  console.log(
    `gateway bench: POST /v1/jobs, store ${databaseUrl ? 'PostgreSQL (schema bench_gateway)' : 'embedded:memory'}; ${concurrency} in flight, ${measureMs / 1000} s per side over ${ROUNDS} rounds; then ${rate}/s for ${openMs / 1000} s`,
  );
  const quiet = jsonLogger('error');
  const coop = await startTestCooperative({ store });
  const verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
  const jobIntake = await openJobIntakeService({ store, identityAddress: coop.identityAddress });
  const jobIntakeServer = await startJobIntakeGrpc({
    service: jobIntake.service,
    port: 0,
    host: '127.0.0.1',
    verifier,
    logger: quiet,
  });
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    identityAddress: coop.identityAddress,
    jobIntakeAddress: jobIntakeServer.address,
    // The bench submits jobs only: nothing calls the other services.
    taskDecompositionAddress: '127.0.0.1:1',
    teamSchedulingAddress: '127.0.0.1:1',
    timeTrackingAddress: '127.0.0.1:1',
    settlementAddress: '127.0.0.1:1',
    auditAddress: '127.0.0.1:1',
    rateLimit: { max: 1_000_000_000, timeWindowMs: 60_000 },
    logger: createLogger('gateway-bench', { level: 'error' }),
  });

  const baseline = await startEmptyHandlerBaseline(jobIntakeV1.JobIntakeServiceService, 'submitJob', {
    jobId: randomUUID(),
  });
  const bare = Fastify();
  bare.post('/v1/jobs', async (request, reply) => {
    const body = request.body as { title: string };
    const { jobId } = await baseline.call({
      requestId: randomUUID(),
      businessId: '',
      title: body.title,
      description: '',
      workCategory: 1,
      pricing: undefined,
      amount: undefined,
      deadline: undefined,
      regionId: '',
      localOnlyTownId: '',
      skills: [],
    });
    return reply.code(201).send({ jobId });
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareAddress = bare.server.address();
  const bareUrl = `http://127.0.0.1:${typeof bareAddress === 'object' && bareAddress !== null ? bareAddress.port : 0}/v1/jobs`;

  try {
    const body = JSON.stringify({
      businessId: coop.businesses.fujisato,
      title: '秋の住民アンケート 1,200枚の入力',
      description: 'Paper forms from the autumn survey, to a spreadsheet.',
      workCategory: 'data_entry',
      pricing: { kind: 'fixed_price' },
      amountYen: 120_000,
      deadline: new Date(Date.now() + 60 * 86_400_000).toISOString(),
      regionId: 'fujisato',
      localOnlyTownId: 'fujisato/fujikoto',
      skills: ['data entry'],
    });
    const throughGateway: LoadTarget = {
      url: `${gateway.url}/v1/jobs`,
      headers: { authorization: `Bearer ${coop.business.token}`, 'content-type': 'application/json' },
      body,
      expectStatus: 201,
    };
    const throughBare: LoadTarget = {
      url: bareUrl,
      headers: { 'content-type': 'application/json' },
      body,
      expectStatus: 201,
    };

    // One request first: the gateway must really answer a job id (a check, not a measurement).
    checked(
      'first gateway request',
      await load({ ...throughGateway, mode: 'open', ratePerSecond: 10, durationMs: 100 }),
    );

    const round = { mode: 'closed' as const, concurrency, durationMs: measureMs / ROUNDS, warmupMs: warmupMs / ROUNDS };
    const bareSamples: number[] = [];
    const gatewaySamples: number[] = [];
    let bareMs = 0;
    let gatewayMs = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const b = checked('bare route', await load({ ...throughBare, ...round }));
      bareSamples.push(...b.samplesMs);
      bareMs += b.elapsedMs;
      const g = checked('gateway', await load({ ...throughGateway, ...round }));
      gatewaySamples.push(...g.samplesMs);
      gatewayMs += g.elapsedMs;
      console.log(
        `round ${i + 1}/${ROUNDS}: bare ${describe(b.samplesMs, b.elapsedMs)}; gateway ${describe(g.samplesMs, g.elapsedMs)}`,
      );
    }
    console.log(`bare fastify + empty gRPC handler: ${describe(bareSamples, bareMs)}`);
    console.log(`gateway POST /v1/jobs:             ${describe(gatewaySamples, gatewayMs)}`);

    console.log(`open loop: ${rate} requests/s through the gateway for ${openMs / 1000} s...`);
    const open = checked(
      'open loop',
      await load({ ...throughGateway, mode: 'open', ratePerSecond: rate, durationMs: openMs }),
    );
    const openLatency = summarizeLatencies(open.samplesMs);
    console.log(
      `gateway POST /v1/jobs at ${rate}/s: p50 ${openLatency.p50.toFixed(2)} ms, p99 ${openLatency.p99.toFixed(2)} ms, max ${openLatency.max.toFixed(2)} ms (${open.samplesMs.length} requests)`,
    );

    // Where the time goes: the same SubmitJob straight to job intake over gRPC, no gateway (the
    // client shares the servers' event loop here, so this is an upper bound of the service alone).
    const direct = createClient(jobIntakeV1.JobIntakeServiceClient, jobIntakeServer.address, {
      token: coop.business.token,
    });
    const submit: jobIntakeV1.SubmitJobRequest = {
      ...(JSON.parse(body) as {
        businessId: string;
        title: string;
        description: string;
        regionId: string;
        localOnlyTownId: string;
        skills: string[];
      }),
      requestId: '',
      workCategory: jobIntakeV1.WorkCategory.WORK_CATEGORY_DATA_ENTRY,
      pricing: { kind: jobIntakeV1.PricingKind.PRICING_KIND_FIXED_PRICE, hourlyRate: undefined },
      amount: { yen: '120000' },
      deadline: new Date(Date.now() + 60 * 86_400_000),
    };
    const alone = await benchUnary(() => direct.submitJob({ ...submit, requestId: randomUUID() }), {
      concurrency,
      durationMs: measureMs / ROUNDS,
      warmupMs: warmupMs / ROUNDS,
    });
    direct.close();
    console.log(
      `job intake SubmitJob over gRPC, no gateway (diagnostic): ${describe(alone.samplesMs, alone.elapsedMs)}`,
    );

    recordResults([
      compareToBaseline({
        // The name stays the same from run to run (results are merged by name); the latencies are printed above.
        name: `gateway POST /v1/jobs, ${concurrency} in flight (real identity and job intake)`,
        value: (gatewaySamples.length * 1000) / gatewayMs,
        unit: 'requests/s',
        baseline: `bare fastify POST route making one gRPC call to an empty grpc-js handler, ${concurrency} in flight`,
        baselineValue: (bareSamples.length * 1000) / bareMs,
        minRatio: 0.5,
      }),
      below({
        name: `gateway POST /v1/jobs p99 at ${rate} requests/s (open loop)`,
        value: openLatency.p99,
        unit: 'ms',
        max: 50,
      }),
    ]);
  } finally {
    await bare.close();
    baseline.close();
    await gateway.close();
    await jobIntakeServer.shutdown(1_000);
    await jobIntake.close();
    verifier.close();
    await coop.close();
    await store.close();
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
};

main().catch((error: unknown) => {
  console.error('gateway bench failed:', error);
  process.exitCode = 1;
});
