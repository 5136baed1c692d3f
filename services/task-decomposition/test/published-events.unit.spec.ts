/**
 * Task decomposition's published events (@workshare/contracts:
 * TASK_DECOMPOSITION_PUBLISHED_EVENTS) are what its decider emits: TasksPlanned, decided for
 * a plan of every work category and for a rework round, follows its published schema. A rename
 * fails this test: publish a new schema version rather than change one in place.
 */
import { parsePublished, publishedTypes, TASK_DECOMPOSITION_PUBLISHED_EVENTS } from '@workshare/contracts';
import { fold, type RecordedEvent } from '@workshare/eventsourcing';
import { PLAN_EVENT_TYPES, planDecider, planStream, type PlanCommand, type PlanEvent } from '../src/domain/plan.js';
import { WORK_CATEGORIES, type WorkCategory } from '../src/domain/templates.js';
import { coordinator, job, JOB_ID, processManager, reworkDrafts } from './domain/fixtures.js';

/** The commands in turn, each decided on the events before it. */
const run = (commands: readonly PlanCommand[]): PlanEvent[] =>
  commands.reduce<PlanEvent[]>(
    (history, command) => [...history, ...planDecider.decide(command, fold(planDecider, history))],
    [],
  );

/** A decided event as the store records it (schema version 1, on the plan's stream). */
const recorded = (event: PlanEvent, index: number): RecordedEvent => ({
  id: `01960000-0000-7000-8000-${String(index).padStart(12, '0')}`,
  type: event.type,
  schemaVersion: 1,
  streamName: planStream(event.data.jobId),
  streamVersion: index,
  position: { commit: BigInt(index), prepare: BigInt(index) },
  data: event.data,
  metadata: {},
  occurredAt: new Date('2026-04-01T00:00:00.000Z'),
  recordedAt: new Date('2026-04-01T00:00:00.000Z'),
  hash: '',
  previousHash: '',
});

const planned = (workCategory: WorkCategory): PlanEvent[] =>
  run([
    { type: 'ProposePlan', job: job({ workCategory }), maxTaskMinutes: 120, by: processManager },
    { type: 'ConfirmPlan', jobId: JOB_ID, by: coordinator },
    { type: 'RequestRework', jobId: JOB_ID, reason: 'records 40-60 have wrong postcodes', by: processManager },
    { type: 'RevisePlan', jobId: JOB_ID, tasks: reworkDrafts(), by: coordinator },
    { type: 'ConfirmPlan', jobId: JOB_ID, by: coordinator },
  ]);

describe('task decomposition’s published events', () => {
  it('are events task decomposition emits', () => {
    expect(
      publishedTypes(TASK_DECOMPOSITION_PUBLISHED_EVENTS).every((t) =>
        (PLAN_EVENT_TYPES as readonly string[]).includes(t),
      ),
    ).toBe(true);
  });

  it.each([...WORK_CATEGORIES])(
    'the decider’s TasksPlanned follows its published schema (%s, rounds 1 and 2)',
    (category) => {
      const events = planned(category).map(recorded);
      const published = events.filter((e) => e.type === 'TasksPlanned');
      expect(published.map((e) => e.data.round)).toEqual([1, 2]);
      for (const event of published) {
        const result = parsePublished(TASK_DECOMPOSITION_PUBLISHED_EVENTS, event);
        expect(result.ok ? 'ok' : result.error).toBe('ok');
      }
    },
  );

  it('an internal event is not published', () => {
    const [proposal] = planned('data_entry').map(recorded);
    expect(parsePublished(TASK_DECOMPOSITION_PUBLISHED_EVENTS, proposal!)).toMatchObject({
      ok: false,
      error: { code: 'contract.unpublished_event', type: 'PlanProposed' },
    });
  });
});
