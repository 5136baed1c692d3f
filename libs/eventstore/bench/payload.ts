import type { EventMetadata, JsonObject } from '@workshare/eventsourcing';

export const EVENT_TYPE = 'TaskLogged';

const TITLES = [
  'Fix the leaking tap in the community kitchen',
  'Repaint the workshop door',
  'Sort the seed library',
  'Mend the lending-bike brakes',
];

/** About 300 bytes of JSON: a realistic domain event body. */
export const eventData = (seq: number): JsonObject => ({
  taskId: `task-${seq}`,
  title: TITLES[seq % TITLES.length] ?? 'Task',
  description:
    'The tap under the sink drips; it needs a new washer and someone with a wrench. Parts are in the blue box.',
  hours: 1.5 + (seq % 4),
  assignee: `member-${String(seq % 10_000).padStart(4, '0')}`,
  tags: ['plumbing', 'kitchen', 'urgent'],
  requestedAt: '2024-05-01T10:00:00.000Z',
});

const CORRELATION = '0190f5c2-7d3f-7b6a-9f1e-2b3c4d5e6f70';

/** The usual envelope metadata (actor, correlation, causation, command, trace context). */
export const eventMetadata = (seq: number): EventMetadata => ({
  actor: `member-${String(seq % 10_000).padStart(4, '0')}`,
  correlationId: CORRELATION,
  causationId: CORRELATION,
  commandId: `cmd-${seq}`,
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
});
