/**
 * Team scheduling's published events (@workshare/contracts: TEAM_SCHEDULING_PUBLISHED_EVENTS)
 * are what its schedule decider emits: every published type, decided through a job's life (its
 * tasks received and scheduled, a hand-off, an override, a pairing, an inspection, the
 * cancellation; another job's task nobody could take, then the job shared), follows its
 * published schema on the job's stream; the internal events are not published. A rename fails
 * this test: publish a new schema version rather than change one in place.
 */
import { parsePublished, publishedTypes, TEAM_SCHEDULING_PUBLISHED_EVENTS } from '@workshare/contracts';
import { fold, type RecordedEvent } from '@workshare/eventsourcing';
import { crewDecider, type CrewMember } from '../src/domain/crew.js';
import {
  isJobSchedule,
  SCHEDULE_EVENT_TYPES,
  scheduleDecider,
  scheduleStream,
  type ScheduleCommand,
  type ScheduleEvent,
  type ScheduleState,
} from '../src/domain/job-schedule.js';
import type { TeamSnapshot } from '../src/domain/team.js';
import { BUSINESS, coordinator, HANAKO, JOB, joined, MAI, NOW, system, T1, task, YUKI } from './domain/fixtures.js';

const JOB_2 = '01900000-0000-7000-8000-00000000a002';

const member = (memberId: string, extra: Parameters<typeof joined>[1] = {}): CrewMember =>
  fold(crewDecider, [joined(memberId, extra)]) as CrewMember;
const team = (members: readonly CrewMember[]): TeamSnapshot => ({ members, busyElsewhere: {}, now: NOW.getTime() });
const SETAGAYA = { regionId: 'setagaya', townId: 'setagaya/sangenjaya' };

/** Each step decided on the events before it (a step may read the state, as the application does). */
const run = (steps: readonly ((state: ScheduleState) => ScheduleCommand)[]): ScheduleEvent[] =>
  steps.reduce<ScheduleEvent[]>((history, step) => {
    const state = fold(scheduleDecider, history);
    return [...history, ...scheduleDecider.decide(step(state), state)];
  }, []);

const holderOf = (state: ScheduleState, taskId: string): string => {
  const holder = isJobSchedule(state) ? state.tasks[taskId]?.holder?.memberId : undefined;
  if (holder === undefined) throw new Error(`nobody holds ${taskId}`);
  return holder;
};
const actorOf = (memberId: string) => ({ id: memberId, roles: [{ kind: 'member' as const }] });

const receive = (jobId: string, skills: string[], members: readonly CrewMember[]): ScheduleCommand => ({
  type: 'ReceiveTasks',
  jobId,
  businessId: BUSINESS,
  regionId: 'fujisato',
  localOnlyTownId: null,
  round: 1,
  tasks: [{ ...task(T1, { skills }), deadline: Date.parse(task(T1).deadline) }],
  schedule: { team: team(members), by: system },
});

/** A job's life: received and scheduled, handed off, overridden, a trainee paired, inspected, cancelled. */
const lifeOfAJob = (): ScheduleEvent[] =>
  run([
    () => receive(JOB, ['data entry'], [member(HANAKO), member(YUKI)]),
    (state) => {
      const holder = holderOf(state, T1);
      return {
        type: 'HandOffTask',
        taskId: T1,
        fromMemberId: holder,
        reason: '子どもの発熱',
        progressNote: '30 行まで入力済み',
        team: team([member(HANAKO), member(YUKI)]),
        by: actorOf(holder),
      };
    },
    () => ({
      type: 'OverrideAssignment',
      taskId: T1,
      toMemberId: MAI,
      team: team([member(MAI)]),
      reason: '経験者に任せる',
      by: coordinator,
    }),
    () => ({
      type: 'PairForTraining',
      taskId: T1,
      traineeMemberId: YUKI,
      team: team([member(YUKI)]),
      reason: '入力の研修',
      by: coordinator,
    }),
    () => ({ type: 'RecordInspection', accepted: true, reason: '' }),
    () => ({ type: 'RecordCancellation', reason: 'no longer needed' }),
  ]);

/** Another job: nobody at home has the skill, so it is shared with Setagaya, whose member takes it. */
const sharedJob = (): ScheduleEvent[] =>
  run([
    () => receive(JOB_2, ['translation'], [member(HANAKO)]),
    () => ({
      type: 'ShareJob',
      partnerRegionId: 'setagaya',
      team: team([member(MAI, { ...SETAGAYA, skills: ['translation'] })]),
      reason: '藤里に翻訳の人手がない',
      by: coordinator,
    }),
  ]);

/** A decided event as the store records it (schema version 1, on its job's schedule stream). */
const recorded =
  (jobId: string) =>
  (event: ScheduleEvent, index: number): RecordedEvent => ({
    id: `01960000-0000-7000-8000-${String(index).padStart(12, '0')}`,
    type: event.type,
    schemaVersion: 1,
    streamName: scheduleStream(jobId),
    streamVersion: index,
    position: { commit: BigInt(index), prepare: BigInt(index) },
    data: event.data,
    metadata: {},
    occurredAt: NOW,
    recordedAt: NOW,
    hash: '',
    previousHash: '',
  });

const decided = (): RecordedEvent[] => [...lifeOfAJob().map(recorded(JOB)), ...sharedJob().map(recorded(JOB_2))];

describe('team scheduling’s published events', () => {
  it('are events team scheduling emits', () => {
    expect(
      publishedTypes(TEAM_SCHEDULING_PUBLISHED_EVENTS).every((t) =>
        (SCHEDULE_EVENT_TYPES as readonly string[]).includes(t),
      ),
    ).toBe(true);
  });

  it('the decider’s events follow their published schema, on their job’s stream', () => {
    const events = decided();
    const published = events.filter((e) => publishedTypes(TEAM_SCHEDULING_PUBLISHED_EVENTS).includes(e.type));
    // Every published type is produced, so every one is checked.
    expect(new Set(published.map((e) => e.type))).toEqual(new Set(publishedTypes(TEAM_SCHEDULING_PUBLISHED_EVENTS)));
    for (const event of published) {
      const result = parsePublished(TEAM_SCHEDULING_PUBLISHED_EVENTS, event);
      expect({ type: event.type, result: result.ok ? result.value.streamId : result.error }).toEqual({
        type: event.type,
        result: event.streamName.slice('schedule-'.length),
      });
    }
  });

  it('a hand-off reads as who let the task go and who took it over, for which span', () => {
    const events = lifeOfAJob().map(recorded(JOB));
    const handOff = events.filter((e) => e.type === 'TaskReleased' || e.type === 'TaskHandedOff').slice(0, 2);
    const read = handOff.map((e) => parsePublished(TEAM_SCHEDULING_PUBLISHED_EVENTS, e));
    expect(read.map((r) => (r.ok ? 'ok' : r.error))).toEqual(['ok', 'ok']);
    const [released, handedOff] = read.map((r) => (r.ok ? r.value : undefined));
    expect(released?.type).toBe('TaskReleased');
    expect(handedOff?.type).toBe('TaskHandedOff');
    if (released?.type === 'TaskReleased' && handedOff?.type === 'TaskHandedOff') {
      expect(handedOff.data.fromMemberId).toBe(released.data.memberId);
      expect([HANAKO, YUKI]).toContain(handedOff.data.toMemberId);
      expect(handedOff.data.toMemberId).not.toBe(released.data.memberId);
      expect(Date.parse(handedOff.data.end)).toBeGreaterThan(Date.parse(handedOff.data.start));
    }
  });

  it.each(SCHEDULE_EVENT_TYPES.filter((t) => !publishedTypes(TEAM_SCHEDULING_PUBLISHED_EVENTS).includes(t)))(
    'an internal event is not published (%s)',
    (type) => {
      const event = decided().find((e) => e.type === type);
      expect(event).toBeDefined();
      expect(parsePublished(TEAM_SCHEDULING_PUBLISHED_EVENTS, event!)).toMatchObject({
        ok: false,
        error: { code: 'contract.unpublished_event', type },
      });
    },
  );

  it('a crew event is not published', () => {
    const joinedTeam = joined(HANAKO);
    const crew: RecordedEvent = {
      ...recorded(JOB)({ type: 'JobShared', data: { jobId: JOB, partnerRegionId: 'x', reason: 'x', by: 'x' } }, 0),
      type: joinedTeam.type,
      streamName: `crew-${HANAKO}`,
      data: joinedTeam.data,
    };
    expect(parsePublished(TEAM_SCHEDULING_PUBLISHED_EVENTS, crew)).toMatchObject({
      ok: false,
      error: { code: 'contract.unpublished_event', type: 'MemberJoinedTeam' },
    });
  });
});
