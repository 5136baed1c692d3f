import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Clock } from '@workshare/time';
import type { FastifyInstance } from 'fastify';
import { readsAsBusiness, requireSelfOrCoordinator, type Access } from '../../application/access.js';
import type { Upstreams } from '../grpc/upstreams.js';
import { BEARER, callerOf, commandIdOf, readQueryTimes, refuseBody, settingsOf } from './requests.js';
import {
  grantSkillBody,
  handOffBody,
  historyAnswer,
  holderAnswer,
  holderQuery,
  idempotencyHeaders,
  jobIdParams,
  jobScheduleAnswer,
  memberIdParams,
  memberScheduleQuery,
  NO_CONTENT,
  overrideAssignmentBody,
  responses,
  shareJobBody,
  taskAnswer,
  taskIdParams,
  tasksAnswer,
  traineeBody,
  unavailabilityBody,
  wishedHoursBody,
} from './schemas.js';
import { instantOf } from './time.js';
import {
  declareUnavailableRequest,
  forBusiness,
  handOffTaskRequest,
  historyForBusiness,
  historyView,
  jobScheduleView,
  memberScheduleRequest,
  requireTask,
  tasksView,
} from './views.js';

const JOB_SCHEDULE_READERS: Access = ['business', 'coordinator', 'accountant', 'operator'];
/** A task's history is read by its team (members), its region's coordinators, its job's business, the accountant and operators. */
const TASK_HISTORY_READERS: Access = ['member', 'coordinator', 'accountant', 'operator', 'business'];
const SELF_OR_COORDINATOR: Access = ['member', 'coordinator'];

/**
 * The routes of team scheduling: who does which task when. The service authorises every call
 * again (a coordinator's region, a task's holder, a job's business); the gateway checks roles,
 * and that a member acts on her own schedule only.
 */
export const registerScheduleRoutes = (
  app: FastifyInstance,
  upstreams: Upstreams,
  options: { readonly now: Clock },
): void => {
  const { now } = options;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { teamScheduling } = upstreams;

  // ---- a job's schedule --------------------------------------------------------------------------

  api.post(
    '/v1/jobs/:jobId/schedule',
    {
      config: { access: ['coordinator'] },
      preValidation: refuseBody,
      schema: {
        operationId: 'scheduleJob',
        tags: ['schedules'],
        summary: 'Schedule the job’s tasks that are not assigned yet',
        description:
          'A coordinator of the job’s region (team scheduling also does it by itself when the tasks are planned). Each task goes to a member of the region with its skills, in one of her weekly windows, after its predecessors, by its deadline; or it is unassignable, with the reasons. Takes no body.',
        security: BEARER,
        params: jobIdParams,
        headers: idempotencyHeaders,
        response: responses({ 200: tasksAnswer('The job’s tasks as they stand after scheduling.') }),
      },
    },
    async (request) =>
      tasksView(
        await teamScheduling.scheduleJob(
          { requestId: commandIdOf(request), jobId: request.params.jobId },
          settingsOf(request),
        ),
      ),
  );

  api.get(
    '/v1/jobs/:jobId/schedule',
    {
      config: { access: JOB_SCHEDULE_READERS },
      schema: {
        operationId: 'getJobSchedule',
        tags: ['schedules'],
        summary: 'The job’s tasks, who holds each and when, and each member’s load',
        security: BEARER,
        params: jobIdParams,
        response: responses({ 200: jobScheduleAnswer }),
      },
    },
    async (request) => {
      const view = jobScheduleView(
        await teamScheduling.getJobSchedule({ jobId: request.params.jobId }, settingsOf(request)),
      );
      return readsAsBusiness(callerOf(request)) ? forBusiness(view) : view;
    },
  );

  api.post(
    '/v1/jobs/:jobId/sharing',
    {
      config: { access: ['coordinator'] },
      schema: {
        operationId: 'shareJob',
        tags: ['schedules'],
        summary: 'Share a job with a partner region’s team',
        description:
          'The job’s home coordinator consents that the partner region’s team works on it (not for a local-only job); the unassignable tasks are then scheduled over both teams.',
        security: BEARER,
        params: jobIdParams,
        headers: idempotencyHeaders,
        body: shareJobBody,
        response: responses({ 200: tasksAnswer('The job’s tasks as they stand after scheduling over both teams.') }),
      },
    },
    async (request) =>
      tasksView(
        await teamScheduling.shareJob(
          {
            requestId: commandIdOf(request),
            jobId: request.params.jobId,
            partnerRegionId: request.body.partnerRegionId,
            reason: request.body.reason,
          },
          settingsOf(request),
        ),
      ),
  );

  // ---- a member's schedule -----------------------------------------------------------------------

  api.get(
    '/v1/members/:memberId/schedule',
    {
      config: { access: SELF_OR_COORDINATOR },
      preValidation: readQueryTimes,
      schema: {
        operationId: 'getMemberSchedule',
        tags: ['schedules'],
        summary: 'A member’s assignments between two instants',
        description:
          'The member herself, or a coordinator of her region. Without from and to: the current Tokyo week (Monday 00:00 to the next Monday 00:00, +09:00).',
        security: BEARER,
        params: memberIdParams,
        querystring: memberScheduleQuery,
        response: responses({ 200: tasksAnswer('Her tasks planned in the period.') }),
      },
    },
    async (request) => {
      requireSelfOrCoordinator(callerOf(request), request.params.memberId);
      const query = memberScheduleRequest(request.params.memberId, request.query, now());
      return tasksView(await teamScheduling.getMemberSchedule(query, settingsOf(request)));
    },
  );

  api.get(
    '/v1/me/tasks',
    {
      config: { access: ['member'] },
      schema: {
        operationId: 'listMyTasks',
        tags: ['schedules'],
        summary: 'The caller’s own assignments, soonest first',
        security: BEARER,
        response: responses({ 200: tasksAnswer('Soonest first.') }),
      },
    },
    async (request) => tasksView(await teamScheduling.listMyTasks({}, settingsOf(request))),
  );

  api.post(
    '/v1/members/:memberId/unavailability',
    {
      config: { access: SELF_OR_COORDINATOR },
      schema: {
        operationId: 'declareUnavailable',
        tags: ['schedules'],
        summary: 'Declare a member unavailable for a period',
        description:
          'The member herself, or a coordinator of her region (a sick child for three days, say): every task of hers planned in the period is handed off, in one command.',
        security: BEARER,
        params: memberIdParams,
        headers: idempotencyHeaders,
        body: unavailabilityBody,
        response: responses({ 200: tasksAnswer('The tasks that were hers in the period, as they stand now.') }),
      },
    },
    async (request) => {
      requireSelfOrCoordinator(callerOf(request), request.params.memberId);
      return tasksView(
        await teamScheduling.declareUnavailable(
          declareUnavailableRequest(commandIdOf(request), request.params.memberId, request.body),
          settingsOf(request),
        ),
      );
    },
  );

  api.put(
    '/v1/members/:memberId/wished-hours',
    {
      config: { access: SELF_OR_COORDINATOR },
      schema: {
        operationId: 'setWishedHours',
        tags: ['schedules'],
        summary: 'How many minutes a week a member wishes to work',
        description:
          'The member herself, or a coordinator of her region. Scheduling spreads the work in proportion to it.',
        security: BEARER,
        params: memberIdParams,
        headers: idempotencyHeaders,
        body: wishedHoursBody,
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      requireSelfOrCoordinator(callerOf(request), request.params.memberId);
      await teamScheduling.setWishedHours(
        {
          requestId: commandIdOf(request),
          memberId: request.params.memberId,
          minutesPerWeek: request.body.minutesPerWeek,
        },
        settingsOf(request),
      );
      return reply.code(204).send();
    },
  );

  api.post(
    '/v1/members/:memberId/skills',
    {
      config: { access: ['coordinator'] },
      schema: {
        operationId: 'grantSkill',
        tags: ['schedules'],
        summary: 'Grant a member a skill',
        description: 'A coordinator of her region, after inspected work of hers on the job named.',
        security: BEARER,
        params: memberIdParams,
        headers: idempotencyHeaders,
        body: grantSkillBody,
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      const { skill, jobId, reason } = request.body;
      await teamScheduling.grantSkill(
        { requestId: commandIdOf(request), memberId: request.params.memberId, skill, jobId, reason },
        settingsOf(request),
      );
      return reply.code(204).send();
    },
  );

  // ---- a task ------------------------------------------------------------------------------------

  api.post(
    '/v1/tasks/:taskId/hand-off',
    {
      config: { access: ['member'] },
      schema: {
        operationId: 'handOffTask',
        tags: ['schedules'],
        summary: 'Hand off a task the caller holds',
        description:
          'Its holder cannot go on: the task is released, with her progress note, and the best available teammate takes it at once.',
        security: BEARER,
        params: taskIdParams,
        headers: idempotencyHeaders,
        body: handOffBody,
        response: responses({ 200: taskAnswer }),
      },
    },
    async (request) =>
      requireTask(
        (
          await teamScheduling.handOffTask(
            handOffTaskRequest(commandIdOf(request), request.params.taskId, request.body),
            settingsOf(request),
          )
        ).task,
      ),
  );

  api.put(
    '/v1/tasks/:taskId/assignment',
    {
      config: { access: ['coordinator'] },
      schema: {
        operationId: 'overrideAssignment',
        tags: ['schedules'],
        summary: 'Give a task to another qualified member (override)',
        description: 'A coordinator of the job’s region overrides the schedule, with a reason.',
        security: BEARER,
        params: taskIdParams,
        headers: idempotencyHeaders,
        body: overrideAssignmentBody,
        response: responses({ 200: taskAnswer }),
      },
    },
    async (request) =>
      requireTask(
        (
          await teamScheduling.overrideAssignment(
            {
              requestId: commandIdOf(request),
              taskId: request.params.taskId,
              memberId: request.body.memberId,
              reason: request.body.reason,
            },
            settingsOf(request),
          )
        ).task,
      ),
  );

  api.post(
    '/v1/tasks/:taskId/trainee',
    {
      config: { access: ['coordinator'] },
      schema: {
        operationId: 'pairForTraining',
        tags: ['schedules'],
        summary: 'Pair a new member with the task’s holder (training)',
        description: 'A coordinator of the job’s region: the trainee shadows the holder on this task.',
        security: BEARER,
        params: taskIdParams,
        headers: idempotencyHeaders,
        body: traineeBody,
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      await teamScheduling.pairForTraining(
        {
          requestId: commandIdOf(request),
          taskId: request.params.taskId,
          traineeMemberId: request.body.traineeMemberId,
          reason: request.body.reason,
        },
        settingsOf(request),
      );
      return reply.code(204).send();
    },
  );

  api.get(
    '/v1/tasks/:taskId/history',
    {
      config: { access: TASK_HISTORY_READERS },
      schema: {
        operationId: 'getTaskHistory',
        tags: ['schedules'],
        summary: 'Every assignment, release, hand-off, override and pairing of a task, oldest first',
        security: BEARER,
        params: taskIdParams,
        response: responses({ 200: historyAnswer }),
      },
    },
    async (request) => {
      const view = historyView(
        await teamScheduling.getTaskHistory({ taskId: request.params.taskId }, settingsOf(request)),
      );
      return readsAsBusiness(callerOf(request)) ? historyForBusiness(view) : view;
    },
  );

  api.get(
    '/v1/tasks/:taskId/holder',
    {
      config: { access: TASK_HISTORY_READERS },
      preValidation: readQueryTimes,
      schema: {
        operationId: 'getTaskHolder',
        tags: ['schedules'],
        summary: 'Who held a task at an instant',
        description: 'Answered from the task’s history; memberId is null when nobody held it then.',
        security: BEARER,
        params: taskIdParams,
        querystring: holderQuery,
        response: responses({ 200: holderAnswer }),
      },
    },
    async (request) => {
      const at = request.query.at === undefined ? now() : instantOf(request.query.at, 'querystring.at');
      const { memberId } = await teamScheduling.getTaskHolder(
        { taskId: request.params.taskId, at },
        settingsOf(request),
      );
      return { memberId: memberId === '' ? null : memberId };
    },
  );
};
