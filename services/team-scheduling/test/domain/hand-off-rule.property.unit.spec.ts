/**
 * The hand-off rule over random rosters and random sequences of changes of hands: whatever the
 * team and whatever happened before, an automatic choice (a hand-off's successor, under a
 * declared unavailability too, a schedule) never is a member who gave the task up; a
 * coordinator's override may be. Pure: the decider and the real scheduler.
 */
import { fold, type Actor } from '@workshare/eventsourcing';
import fc from 'fast-check';
import { crewDecider, type CrewMember } from '../../src/domain/crew.js';
import {
  scheduleDecider,
  type JobSchedule,
  type ScheduleCommand,
  type ScheduleEvent,
  type ScheduleState,
} from '../../src/domain/job-schedule.js';
import type { Weekday } from '../../src/domain/scheduler/model.js';
import { WEEKDAYS } from '../../src/domain/scheduler/windows.js';
import type { TeamSnapshot } from '../../src/domain/team.js';
import { coordinator, joined, NOW, received, system, task } from './fixtures.js';

const SKILLS = ['data entry', 'proofreading'] as const;
const memberId = (i: number) => `01900000-0000-7000-8000-0000000001${String(i).padStart(2, '0')}`;
const taskId = (i: number) => `01900000-0000-7000-8000-0000000002${String(i).padStart(2, '0')}`;

const windowArbitrary = fc
  .record({
    day: fc.constantFrom<Weekday>(...WEEKDAYS),
    hour: fc.integer({ min: 6, max: 20 }),
    hours: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ day, hour, hours }) => ({
    day,
    start: `${String(hour).padStart(2, '0')}:00`,
    end: `${String(hour + hours).padStart(2, '0')}:00`,
  }));

const rosterArbitrary = fc.array(
  fc.record({
    skills: fc.subarray([...SKILLS], { minLength: 1 }),
    windows: fc.array(windowArbitrary, { minLength: 1, maxLength: 3 }),
  }),
  { minLength: 2, maxLength: 6 },
);

const jobArbitrary = fc.array(fc.record({ skill: fc.constantFrom(...SKILLS), minutes: fc.constantFrom(30, 45, 60) }), {
  minLength: 1,
  maxLength: 4,
});

type Step =
  | { readonly kind: 'handOff'; readonly task: number }
  | { readonly kind: 'unavailable'; readonly task: number }
  | { readonly kind: 'override'; readonly task: number; readonly member: number }
  | { readonly kind: 'schedule' };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('handOff' as const), task: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unavailable' as const), task: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('override' as const), task: fc.nat(), member: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'schedule' as const }) },
);

/** Who assigned the task to whom in these events (TaskAssigned, TaskHandedOff, AssignmentOverridden). */
const receiverOf = (event: ScheduleEvent): { taskId: string; memberId: string } | undefined => {
  if (event.type === 'TaskAssigned') return { taskId: event.data.taskId, memberId: event.data.memberId };
  if (event.type === 'TaskHandedOff' || event.type === 'AssignmentOverridden')
    return { taskId: event.data.taskId, memberId: event.data.toMemberId };
  return undefined;
};

describe('the hand-off rule, over random rosters and sequences of hand-offs', () => {
  it('an automatic choice never is a member who released the task because she could not go on', () => {
    let automaticChoices = 0;
    let givenBackByOverride = 0;
    fc.assert(
      fc.property(
        rosterArbitrary,
        jobArbitrary,
        fc.array(stepArbitrary, { minLength: 1, maxLength: 12 }),
        (roster, job, steps) => {
          const members: CrewMember[] = roster.map(
            (m, i) =>
              fold(crewDecider, [joined(memberId(i), { skills: m.skills, availability: m.windows })]) as CrewMember,
          );
          const team: TeamSnapshot = { members, busyElsewhere: {}, now: NOW.getTime() };
          const tasks = job.map((t, i) => task(taskId(i), { skills: [t.skill], estimatedMinutes: t.minutes }));
          const history: ScheduleEvent[] = [received({ tasks })];
          const decide = (command: ScheduleCommand): ScheduleEvent[] => {
            const state = fold(scheduleDecider, history);
            let events: ScheduleEvent[];
            try {
              events = scheduleDecider.decide(command, state);
            } catch (error) {
              if (error instanceof Error && 'kind' in error) return [];
              throw error;
            }
            history.push(...events);
            return events;
          };
          /** Everyone who released the task (the job open), up to the end of the history so far. */
          const gaveUp = (id: string): Set<string> => {
            const state = fold(scheduleDecider, history) as JobSchedule;
            return new Set(state.tasks[id]?.gaveUpBy ?? []);
          };
          const automatic = (command: ScheduleCommand) => {
            const before = history.length;
            decide(command);
            for (const event of history.slice(before)) {
              const receiver = receiverOf(event);
              if (receiver === undefined) continue;
              automaticChoices++;
              // Who had given it up once this decision's release (if any) was recorded.
              const upTo = history.slice(0, history.indexOf(event));
              const state = fold(scheduleDecider, upTo) as JobSchedule;
              expect(state.tasks[receiver.taskId]!.gaveUpBy).not.toContain(receiver.memberId);
            }
          };
          automatic({ type: 'ScheduleTasks', team, reason: 'tasks planned (round 1)', by: system });
          steps.forEach((step, n) => {
            const state = fold(scheduleDecider, history) as ScheduleState as JobSchedule;
            const id = taskId((step.kind === 'schedule' ? 0 : step.task) % tasks.length);
            const holder = state.tasks[id]?.holder?.memberId;
            switch (step.kind) {
              case 'handOff':
                if (holder === undefined) return;
                automatic({
                  type: 'HandOffTask',
                  taskId: id,
                  fromMemberId: holder,
                  reason: '急用',
                  progressNote: '',
                  team,
                  by: { id: holder, roles: [{ kind: 'member' }] } as Actor,
                });
                return;
              case 'unavailable':
                if (holder === undefined) return;
                automatic({
                  type: 'HandOffTask',
                  taskId: id,
                  fromMemberId: holder,
                  reason: '入院',
                  progressNote: '',
                  team,
                  declarationId: `declaration-${n}`,
                  by: coordinator,
                });
                return;
              case 'override': {
                const to = memberId(step.member % members.length);
                const events = decide({
                  type: 'OverrideAssignment',
                  taskId: id,
                  toMemberId: to,
                  team,
                  reason: '交代',
                  by: coordinator,
                });
                if (events.length > 0 && gaveUp(id).has(to)) givenBackByOverride++;
                return;
              }
              case 'schedule':
                automatic({ type: 'ScheduleTasks', team, reason: 'scheduled by a coordinator', by: coordinator });
            }
          });
        },
      ),
      { numRuns: 300 },
    );
    // The property was exercised: choices were made, and overrides did give tasks back sometimes.
    expect(automaticChoices).toBeGreaterThan(100);
    expect(givenBackByOverride).toBeGreaterThan(0);
  });
});
