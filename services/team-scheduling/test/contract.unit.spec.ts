import { teamSchedulingV1 } from '@workshare/proto';
import {
  HISTORY_KINDS,
  LIMITS,
  SUCCESSOR_KINDS,
  TASK_STATUSES,
  TEAM_SCHEDULING_REQUEST_LIMITS,
  UNASSIGNABLE_REASONS,
  WEEKDAYS,
} from '../src/contract.js';
import { scheduledTaskMessage } from '../src/adapters/grpc/messages.js';
import type { TaskView } from '../src/application/views.js';
import { TEAM_SCHEDULING_REQUEST_LIMITS as HOSTED_LIMITS } from '../src/adapters/grpc/team-scheduling-grpc.js';

// The published contract (what the HTTP edge's schemas import) is what the service speaks.
describe('@workshare/team-scheduling/contract', () => {
  it('TASK_STATUSES are the assignment statuses of the gRPC contract, each once', () => {
    const view = (status: TaskView['status']): TaskView => ({
      taskId: 't',
      jobId: 'j',
      title: 'x',
      estimatedMinutes: 1,
      skills: [],
      dependsOn: [],
      deadline: new Date(0),
      status,
      reasons: [],
    });
    const proto = TASK_STATUSES.map((status) => scheduledTaskMessage(view(status)).status);
    const known = Object.values(teamSchedulingV1.AssignmentStatus).filter(
      (v): v is number => typeof v === 'number' && v > 0,
    );
    expect([...proto].sort()).toEqual([...known].sort());
  });

  it('the limits the gRPC host enforces are the published ones, written from the domain’s LIMITS', () => {
    expect(HOSTED_LIMITS).toBe(TEAM_SCHEDULING_REQUEST_LIMITS);
    expect(TEAM_SCHEDULING_REQUEST_LIMITS.fields.handOffTask.reason.maxLength).toBe(LIMITS.reasonLength);
    expect(Object.isFrozen(LIMITS)).toBe(true);
    expect(LIMITS.minWishedMinutesPerWeek).toBeLessThan(LIMITS.maxWishedMinutesPerWeek);
  });

  it('enums: history kinds, hand-off outcomes, weekdays and the unassignable reasons', () => {
    expect(HISTORY_KINDS).toEqual(['assigned', 'released', 'handed_off', 'overridden', 'unassignable', 'paired']);
    expect(SUCCESSOR_KINDS).toEqual(['assigned', 'unassignable']);
    expect(WEEKDAYS).toHaveLength(7);
    expect(Object.values(UNASSIGNABLE_REASONS)).toContain('schedule.only_members_who_gave_it_up');
  });
});
