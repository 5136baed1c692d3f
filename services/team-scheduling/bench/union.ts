/**
 * Every job's schedule as one answer to one scheduling problem, read from the store's log (no
 * roster involved), so that `checkSchedule` judges what several replicas decided together: the
 * replicas benchmark (replicas.ts) and the replicas test (test/application/replicas.int.spec.ts).
 */
import type { EventStore } from '@workshare/eventsourcing';
import {
  evolve as evolveCrew,
  initialState as initialCrew,
  isCrewMember,
  skillsOf,
  type CrewEvent,
  type CrewMember,
  type CrewState,
} from '../src/domain/crew.js';
import {
  evolve as evolveSchedule,
  initialState as initialSchedule,
  isJobSchedule,
  tasksOf,
  type JobSchedule,
  type ScheduleEvent,
  type ScheduleState,
} from '../src/domain/job-schedule.js';
import { checkSchedule } from '../src/domain/scheduler/fairness.js';
import type {
  Assignment,
  Schedule,
  SchedulingMember,
  SchedulingProblem,
  SchedulingTask,
  Unassignable,
} from '../src/domain/scheduler/model.js';

export interface StoredTeams {
  readonly members: CrewMember[];
  readonly jobs: JobSchedule[];
}

/** The latest state of every crew and schedule stream, folded from the store's log with the deciders' evolve functions. */
export const foldFromStore = async (store: EventStore): Promise<StoredTeams> => {
  const crews = new Map<string, CrewState>();
  const schedules = new Map<string, ScheduleState>();
  for await (const event of store.streamAll({ categories: ['crew', 'schedule'] })) {
    const stored = { type: event.type, data: event.data };
    if (event.streamName.startsWith('crew-'))
      crews.set(event.streamName, evolveCrew(crews.get(event.streamName) ?? initialCrew(), stored as CrewEvent));
    else
      schedules.set(
        event.streamName,
        evolveSchedule(schedules.get(event.streamName) ?? initialSchedule(), stored as ScheduleEvent),
      );
  }
  return { members: [...crews.values()].filter(isCrewMember), jobs: [...schedules.values()].filter(isJobSchedule) };
};

/**
 * The union as one problem and its answer: the members as they stand (windows, skills, town,
 * unavailability), every task of every open job, assigned or unassignable with its reasons, the
 * members who gave a task up excluded from it. A dependency counts where its predecessor is
 * assigned (a predecessor handed off to nobody leaves its assigned dependents where they were:
 * only the affected task moves).
 */
export const unionOf = (
  members: readonly CrewMember[],
  jobs: readonly JobSchedule[],
  notBefore: number,
): { problem: SchedulingProblem; schedule: Schedule } => {
  const schedulingMembers: SchedulingMember[] = members
    .filter((m) => m.status === 'active')
    .map((m) => ({
      memberId: m.memberId,
      regionId: m.regionId,
      townId: m.townId,
      skills: skillsOf(m),
      windows: m.windows,
      wishedMinutesPerWeek: 1,
      busy: [],
      unavailable: m.unavailability.map((u) => ({ start: u.from, end: u.to })),
    }));
  const tasks: SchedulingTask[] = [];
  const assignments: Assignment[] = [];
  const unassignable: Unassignable[] = [];
  for (const job of jobs) {
    if (job.status === 'cancelled') continue;
    for (const task of tasksOf(job)) {
      tasks.push({
        taskId: task.taskId,
        jobId: job.jobId,
        estimatedMinutes: task.estimatedMinutes,
        skills: task.skills,
        dependsOn: task.dependsOn.filter((d) => job.tasks[d]?.status === 'assigned'),
        deadline: task.deadline,
        localOnlyTownId: job.localOnlyTownId,
        excludedMemberIds: task.gaveUpBy,
      });
      if (task.status === 'assigned' && task.holder !== undefined)
        assignments.push({
          taskId: task.taskId,
          memberId: task.holder.memberId,
          start: task.holder.start,
          end: task.holder.end,
        });
      else if (task.status === 'unassignable') unassignable.push({ taskId: task.taskId, reasons: task.reasons });
    }
  }
  return { problem: { notBefore, members: schedulingMembers, tasks }, schedule: { assignments, unassignable } };
};

/** Every hard rule the union breaks (checkSchedule), one line each. */
export const unionViolations = (teams: StoredTeams, notBefore: number): string[] => {
  const { problem, schedule } = unionOf(teams.members, teams.jobs, notBefore);
  return checkSchedule(problem, schedule);
};
