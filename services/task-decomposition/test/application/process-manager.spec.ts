/**
 * The process manager on the embedded bus: job intake's events, appended to `job-<id>` streams
 * as job intake appends them, become plan commands, once each.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { EmbeddedEventBus, type BusSubscription } from '@workshare/bus';
import { uuidv7, type EventStore, type JsonObject } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { createLogger } from '@workshare/telemetry';
import {
  JOBS_CONSUMER,
  PROCESS_MANAGER_ACTOR,
  reactToJobEvent,
  startTaskDecompositionConsumers,
} from '../../src/application/process-manager.js';
import { TaskDecompositionService } from '../../src/application/task-decomposition-service.js';
import { planStream } from '../../src/domain/plan.js';
import { coordinator } from '../domain/fixtures.js';

const accepted = (jobId: string, overrides: JsonObject = {}): JsonObject => ({
  jobId,
  businessId: randomUUID(),
  regionId: 'fujisato',
  localOnlyTownId: 'fujisato/fujikoto',
  workCategory: 'transcription',
  title: '町議会の録音の文字起こし',
  skills: ['japanese'],
  deadline: '2026-06-30T09:00:00.000Z',
  estimatedMinutes: 400,
  feeYen: '48000',
  deliveryDate: '2026-06-30T09:00:00.000Z',
  inspectionDate: '2026-07-07T09:00:00.000Z',
  paymentDate: '2026-08-29T09:00:00.000Z',
  acceptedBy: 'business-user',
  ...overrides,
});

describe('process manager (embedded bus)', () => {
  let store: EventStore;
  let bus: EmbeddedEventBus;
  let service: TaskDecompositionService;
  let subscriptions: BusSubscription[];

  const appendJobEvent = async (jobId: string, type: string, data: JsonObject, id = uuidv7()) => {
    await store.append(`job-${jobId}`, [
      {
        id,
        type,
        data,
        metadata: { actor: 'job-intake-test', correlationId: jobId },
        occurredAt: new Date('2026-06-01T00:00:00.000Z'),
      },
    ]);
    return id;
  };

  const planEvents = async (jobId: string) => store.readStream(planStream(jobId));

  /** Waits until the plan's stream holds `count` events (the bus polls every 50 ms). */
  const eventually = async (jobId: string, count: number) => {
    const until = Date.now() + 10_000;
    for (;;) {
      const events = await planEvents(jobId);
      if (events.length >= count || Date.now() > until) return events;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  beforeAll(async () => {
    store = await openEventStore('embedded:memory');
    bus = new EmbeddedEventBus({ store, pollIntervalMs: 20 });
    service = new TaskDecompositionService({ store, maxTaskMinutes: 90 });
    subscriptions = startTaskDecompositionConsumers({ service, bus });
    await Promise.all(subscriptions.map((s) => s.ready));
  });
  afterAll(async () => {
    await Promise.all(subscriptions?.map((s) => s.stop()) ?? []);
    await bus?.close();
    await store?.close();
  });

  it('JobAccepted → a plan proposed from the template, with the event as its cause', async () => {
    const jobId = randomUUID();
    const eventId = await appendJobEvent(jobId, 'JobAccepted', accepted(jobId));
    const [event] = await eventually(jobId, 1);
    expect(event).toMatchObject({
      type: 'PlanProposed',
      data: {
        jobId,
        regionId: 'fujisato',
        localOnlyTownId: 'fujisato/fujikoto',
        workCategory: 'transcription',
        jobEstimatedMinutes: 400,
        maxTaskMinutes: 90,
        round: 1,
      },
      metadata: { commandId: eventId, causationId: eventId, correlationId: jobId, actor: PROCESS_MANAGER_ACTOR.id },
    });
    const plan = await service.getPlan({ actor: coordinator }, jobId);
    expect(plan.status).toBe('proposed');
    expect(plan.tasks.reduce((sum, t) => sum + t.estimatedMinutes, 0)).toBe(400);
    expect(
      plan.tasks.every(
        (t) => t.estimatedMinutes <= 90 && t.skills.includes('transcription') && t.skills.includes('japanese'),
      ),
    ).toBe(true);
  });

  it('JobInspected rejected → a rework round once confirmed; accepted → nothing; JobCancelled → cancelled', async () => {
    const jobId = randomUUID();
    await appendJobEvent(
      jobId,
      'JobAccepted',
      accepted(jobId, { workCategory: 'data_entry', estimatedMinutes: 100, localOnlyTownId: null }),
    );
    await eventually(jobId, 1);
    const confirmed = await service.confirmPlan(
      { actor: coordinator, requestId: randomUUID() },
      { jobId, expectedVersion: 0 },
    );
    expect(confirmed).toMatchObject({ status: 'confirmed', round: 1, localOnlyTownId: null });

    await appendJobEvent(jobId, 'JobInspected', { jobId, accepted: true, reason: '', inspectedBy: 'business-user' });
    await appendJobEvent(jobId, 'JobInspected', {
      jobId,
      accepted: false,
      reason: '郵便番号の誤り',
      inspectedBy: 'business-user',
    });
    const events = await eventually(jobId, 3);
    expect(events.map((e) => e.type)).toEqual(['PlanProposed', 'TasksPlanned', 'ReworkRequested']);
    expect(events[2]!.data).toEqual({ jobId, round: 2, reason: '郵便番号の誤り' });
    await expect(service.getPlan({ actor: coordinator }, jobId)).resolves.toMatchObject({
      status: 'rework_needed',
      round: 2,
      reworkReason: '郵便番号の誤り',
    });

    await appendJobEvent(jobId, 'JobCancelled', { jobId, reason: 'the business withdrew', cancelledBy: 'coordinator' });
    const all = await eventually(jobId, 4);
    expect(all[3]).toMatchObject({ type: 'PlanCancelled', data: { jobId, reason: 'the business withdrew' } });
  });

  it('a redelivered event is handled once; a job cancelled before acceptance leaves no plan', async () => {
    const jobId = randomUUID();
    const eventId = await appendJobEvent(jobId, 'JobAccepted', accepted(jobId));
    await eventually(jobId, 1);
    const [recorded] = await store.readStream(`job-${jobId}`);
    await reactToJobEvent(service, recorded!);
    await reactToJobEvent(service, recorded!);
    expect((await planEvents(jobId)).map((e) => e.metadata.commandId)).toEqual([eventId]);

    const neverAccepted = randomUUID();
    await appendJobEvent(neverAccepted, 'JobCancelled', {
      jobId: neverAccepted,
      reason: 'no budget',
      cancelledBy: 'business-user',
    });
    // The consumer settles events in log order: once a later job's plan appears, this one was handled.
    const marker = randomUUID();
    await appendJobEvent(marker, 'JobAccepted', accepted(marker));
    await eventually(marker, 1);
    expect(await planEvents(neverAccepted)).toEqual([]);
    expect(await bus.deadLetters(JOBS_CONSUMER)).toEqual([]);
  });

  it('refusals for good are acknowledged; a malformed event is refused for the bus to dead-letter', async () => {
    const jobId = randomUUID();
    // The process's pino logger, its lines collected.
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    });
    const logger = createLogger('task-decomposition', { level: 'info', destination });
    await appendJobEvent(jobId, 'JobInspected', { jobId, accepted: false, reason: 'x', inspectedBy: 'b' });
    const [inspection] = await store.readStream(`job-${jobId}`);
    await expect(reactToJobEvent(service, inspection!, logger)).resolves.toBeUndefined();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        eventId: inspection!.id,
        type: 'JobInspected',
        code: 'plan.not_found',
        msg: 'job event refused by the plan: acknowledged',
      }),
    ]);

    const other = randomUUID();
    await appendJobEvent(other, 'JobAccepted', accepted(other, { workCategory: 'pottery' }), uuidv7());
    const [bad] = await store.readStream(`job-${other}`);
    await expect(reactToJobEvent(service, bad!)).rejects.toMatchObject({ code: 'plan.malformed_job_event' });
    const forged = { ...bad!, streamName: `job-${randomUUID()}`, data: accepted(other) };
    await expect(reactToJobEvent(service, forged)).rejects.toMatchObject({ code: 'plan.malformed_job_event' });
  });
});
