/**
 * Job intake's published events (@workshare/contracts: JOB_INTAKE_PUBLISHED_EVENTS) are what
 * its decider emits: every published type, produced by the decider through a job's life, follows
 * its published schema; the published work categories are job intake's. A rename or a new value
 * fails this test: publish a new schema version rather than change one in place.
 */
import {
  JOB_INTAKE_PUBLISHED_EVENTS,
  parsePublished,
  PUBLISHED_WORK_CATEGORIES,
  publishedTypes,
} from '@workshare/contracts';
import { fold, type RecordedEvent } from '@workshare/eventsourcing';
import {
  JOB_EVENT_TYPES,
  jobDecider,
  jobStream,
  jobUpcaster,
  WORK_CATEGORIES,
  type JobCommand,
  type JobEvent,
  type WorkCategory,
} from '../src/domain/job.js';
import { business, coordinator, DELIVERY, NOW, submit } from './domain/fixtures.js';

/** The commands in turn, each decided on the events before it. */
const run = (commands: readonly JobCommand[]): JobEvent[] =>
  commands.reduce<JobEvent[]>(
    (history, command) => [...history, ...jobDecider.decide(command, fold(jobDecider, history))],
    [],
  );

/** A decided event as the store records it (at the schema version job intake writes, on the job's stream). */
const recorded = (event: JobEvent, index: number): RecordedEvent => ({
  id: `01900000-0000-7000-8000-${String(index).padStart(12, '0')}`,
  type: event.type,
  schemaVersion: jobUpcaster.currentVersion!(event.type),
  streamName: jobStream(event.data.jobId),
  streamVersion: index,
  position: { commit: BigInt(index), prepare: BigInt(index) },
  data: event.data,
  metadata: {},
  occurredAt: NOW,
  recordedAt: NOW,
  hash: '',
  previousHash: '',
});

const quote: JobCommand = {
  type: 'QuoteJob',
  amountYen: 220_000n,
  estimatedMinutes: 900,
  deliveryDate: DELIVERY,
  note: '',
  by: coordinator,
  at: NOW,
};

const lifeOf = (workCategory: WorkCategory): JobEvent[] =>
  run([
    submit({ workCategory }),
    quote,
    { type: 'AcceptQuote', by: business, at: NOW },
    { type: 'StartJob', by: coordinator },
    { type: 'DeliverJob', note: '', by: coordinator },
    { type: 'InspectJob', accepted: false, reason: '郵便番号の誤り', by: business },
    { type: 'DeliverJob', note: '直しました', by: coordinator },
    { type: 'InspectJob', accepted: true, reason: '', by: business },
  ]);
const cancelledJob = (): JobEvent[] =>
  run([submit(), quote, { type: 'CancelJob', reason: '予算の都合', by: business }]);

describe('job intake’s published events', () => {
  it('are events job intake emits', () => {
    expect(
      publishedTypes(JOB_INTAKE_PUBLISHED_EVENTS).every((t) => (JOB_EVENT_TYPES as readonly string[]).includes(t)),
    ).toBe(true);
  });

  it('the published work categories are job intake’s', () => {
    expect([...PUBLISHED_WORK_CATEGORIES]).toEqual([...WORK_CATEGORIES]);
  });

  it.each([...WORK_CATEGORIES])('the decider’s events follow their published schema (%s)', (workCategory) => {
    const events = [...lifeOf(workCategory), ...cancelledJob()];
    const published = events.filter((e) => publishedTypes(JOB_INTAKE_PUBLISHED_EVENTS).includes(e.type));
    // Every published type is produced, so every one is checked.
    expect(new Set(published.map((e) => e.type))).toEqual(new Set(publishedTypes(JOB_INTAKE_PUBLISHED_EVENTS)));
    for (const [index, event] of published.entries()) {
      const result = parsePublished(JOB_INTAKE_PUBLISHED_EVENTS, recorded(event, index));
      expect({ type: event.type, result: result.ok ? 'ok' : result.error }).toEqual({ type: event.type, result: 'ok' });
    }
  });

  it('an accepted job is published at version 2 with its pricing, fee and payment date (what settlement bills from)', () => {
    const hourly = run([
      submit({ pricing: { kind: 'hourly', hourlyRateYen: 1_500n } }),
      quote,
      { type: 'AcceptQuote', by: business, at: NOW },
    ]);
    const accepted = hourly.find((e) => e.type === 'JobAccepted')!;
    const result = parsePublished(JOB_INTAKE_PUBLISHED_EVENTS, recorded(accepted, 0));
    expect(result.ok && result.value.schemaVersion).toBe(2);
    expect(
      result.ok && result.value.type === 'JobAccepted' && result.value.schemaVersion === 2 && result.value.data,
    ).toMatchObject({ pricing: { kind: 'hourly', hourlyRateYen: '1500' }, feeYen: '220000' });
  });

  it('an internal event is not published', () => {
    const [submitted] = run([submit()]);
    expect(parsePublished(JOB_INTAKE_PUBLISHED_EVENTS, recorded(submitted!, 0))).toMatchObject({
      ok: false,
      error: { code: 'contract.unpublished_event' },
    });
  });
});
