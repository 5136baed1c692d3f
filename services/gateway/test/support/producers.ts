/**
 * Other services' published events, appended to the harness's store as their producers write
 * them, for the real time tracking and settlement behind the gateway: team scheduling's schedule
 * of a job (its tasks received, each assigned to a member: who held which task from when) and
 * job intake's acceptance of a job (its pricing, fee and payment date). Each is checked against
 * its producer's published catalogue before it is appended, so a test never feeds the services an
 * event its producer could not publish.
 */
import { randomUUID } from 'node:crypto';
import {
  JOB_INTAKE_PUBLISHED_EVENTS,
  parsePublished,
  TEAM_SCHEDULING_PUBLISHED_EVENTS,
  type Catalogue,
} from '@workshare/contracts';
import type { EventStore, JsonObject } from '@workshare/eventsourcing';

/** An instant given in Tokyo time: `2026-11-10T13:00`. */
export const tokyo = (local: string): Date => new Date(`${local.length === 16 ? `${local}:00` : local}+09:00`);

/** The service that publishes `type` (its catalogue says). */
const producerOf = (catalogue: Catalogue, type: string): string => {
  const published = catalogue.find((event) => event.type === type);
  if (published === undefined) throw new Error(`${type} is not in its producer's catalogue`);
  return published.producer;
};

const append = async (
  store: EventStore,
  catalogue: Catalogue,
  stream: string,
  type: string,
  data: JsonObject,
  at: Date,
  schemaVersion = 1,
): Promise<void> => {
  const { events } = await store.append(stream, [
    // The producer itself acted, as its process managers do (`system:<service>`).
    { type, data, occurredAt: at, schemaVersion, metadata: { actor: `system:${producerOf(catalogue, type)}` } },
  ]);
  const parsed = parsePublished(catalogue, events[0]!);
  if (!parsed.ok) throw new Error(`${type} does not follow its producer's contract: ${parsed.error.message}`);
};

/** Team scheduling received the job's tasks at `at` and assigned each to `memberId` an hour later: she holds them from then. */
export const holdTasks = async (
  store: EventStore,
  options: { jobId: string; memberId: string; regionId?: string; tasks?: number; at: Date },
): Promise<string[]> => {
  const { jobId, memberId, at } = options;
  const regionId = options.regionId ?? 'fujisato';
  const taskIds = Array.from({ length: options.tasks ?? 2 }, () => randomUUID());
  const stream = `schedule-${jobId}`;
  await append(
    store,
    TEAM_SCHEDULING_PUBLISHED_EVENTS,
    stream,
    'TasksReceived',
    {
      jobId,
      businessId: randomUUID(),
      regionId,
      localOnlyTownId: null,
      round: 1,
      tasks: taskIds.map((taskId, i) => ({
        taskId,
        key: `t${i + 1}`,
        title: `翻訳 ${i + 1}`,
        estimatedMinutes: 120,
        skills: ['translation'],
        dependsOn: [],
        deadline: new Date(at.getTime() + 28 * 86_400_000).toISOString(),
      })),
      reason: 'planned',
      by: 'system:team-scheduling',
    },
    at,
  );
  const assignedAt = new Date(at.getTime() + 3_600_000);
  for (const taskId of taskIds)
    await append(
      store,
      TEAM_SCHEDULING_PUBLISHED_EVENTS,
      stream,
      'TaskAssigned',
      {
        taskId,
        memberId,
        start: new Date(assignedAt.getTime() + 3_600_000).toISOString(),
        end: new Date(assignedAt.getTime() + 5_400_000).toISOString(),
        teamRegionId: regionId,
        reason: 'scheduled',
        by: 'system:team-scheduling',
      },
      assignedAt,
    );
  return taskIds;
};

/** Job intake's JobAccepted (schema version 2: pricing, fee, order terms) of an hourly job of `businessId`. */
export const acceptHourlyJob = async (
  store: EventStore,
  options: { jobId: string; businessId: string; hourlyRateYen: number; workCategory?: string; at: Date },
): Promise<void> => {
  const { jobId, at } = options;
  await append(
    store,
    JOB_INTAKE_PUBLISHED_EVENTS,
    `job-${jobId}`,
    'JobAccepted',
    {
      jobId,
      businessId: options.businessId,
      regionId: 'fujisato',
      localOnlyTownId: null,
      workCategory: options.workCategory ?? 'translation',
      title: '観光パンフレットの英訳',
      skills: ['translation'],
      deadline: new Date(at.getTime() + 60 * 86_400_000).toISOString(),
      estimatedMinutes: 600,
      pricing: { kind: 'hourly', hourlyRateYen: String(options.hourlyRateYen) },
      feeYen: String(options.hourlyRateYen * 10),
      deliveryDate: new Date(at.getTime() + 30 * 86_400_000).toISOString(),
      inspectionDate: new Date(at.getTime() + 37 * 86_400_000).toISOString(),
      paymentDate: new Date(at.getTime() + 60 * 86_400_000).toISOString(),
    },
    at,
    2,
  );
};
