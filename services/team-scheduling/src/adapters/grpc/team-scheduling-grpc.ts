import {
  type AuthenticatedCallContext,
  defineService,
  REQUEST_ID_LIMIT,
  type GrpcServer,
  type ServiceGrpcOptions,
  type ServiceRegistration,
  startServiceGrpc,
} from '@workshare/grpc';
import { fileDescriptorProtos, teamSchedulingV1 } from '@workshare/proto';
import type { RequestContext } from '../../application/caller.js';
import type { TeamSchedulingService } from '../../application/team-scheduling-service.js';
import { LIMITS } from '../../domain/text.js';
import {
  historyEntryMessage,
  instantOf,
  jobScheduleMessage,
  requestIdOf,
  requiredText,
  scheduledTaskMessage,
  wholeNumberOf,
} from './messages.js';

/**
 * The longest each text field of a request may be, from the domain's LIMITS, with the domain's
 * code: the host refuses a longer value before the handler runs (lengths in characters, as
 * sent). Every other string field is an id, at most ID_MAX_LENGTH (128) characters.
 */
const reason = (code: string) => ({ maxLength: LIMITS.reasonLength, code });
const SCHEDULE_REASON = reason('schedule.invalid_reason');
const CREW_REASON = reason('crew.invalid_reason');

export const TEAM_SCHEDULING_REQUEST_LIMITS = {
  fields: {
    scheduleJob: { requestId: REQUEST_ID_LIMIT },
    handOffTask: {
      requestId: REQUEST_ID_LIMIT,
      reason: reason('task.invalid_reason'),
      progressNote: { maxLength: LIMITS.progressNoteLength, code: 'task.invalid_progress_note' },
    },
    declareUnavailable: { requestId: REQUEST_ID_LIMIT, reason: CREW_REASON },
    overrideAssignment: { requestId: REQUEST_ID_LIMIT, reason: SCHEDULE_REASON },
    setWishedHours: { requestId: REQUEST_ID_LIMIT },
    grantSkill: {
      requestId: REQUEST_ID_LIMIT,
      skill: { maxLength: LIMITS.skillLength, code: 'crew.invalid_skill' },
      reason: CREW_REASON,
    },
    pairForTraining: { requestId: REQUEST_ID_LIMIT, reason: SCHEDULE_REASON },
    shareJob: { requestId: REQUEST_ID_LIMIT, reason: SCHEDULE_REASON },
  },
} as const;

/** What a command passes to the facade: its request id and the call's trace. */
const requestContext = (requestId: string, ctx: AuthenticatedCallContext): RequestContext => ({
  requestId,
  ...(ctx.traceparent !== undefined ? { traceparent: ctx.traceparent } : {}),
});

/**
 * The team scheduling service over gRPC (proto/workshare/teamscheduling/v1/team_scheduling.proto):
 * the host checks every request's text first (TEAM_SCHEDULING_REQUEST_LIMITS; NUL, invalid
 * Unicode, timestamps), then each RPC checks its request at the edge (messages.ts), calls the facade as the verified caller
 * and maps the answer back. Errors are the facade's DomainErrors, mapped to status codes by the
 * host (DESIGN §2). Every method needs a token. Logs carry ids, never reasons or notes (they may
 * speak of a member's family).
 */
export const teamSchedulingGrpcService = (service: TeamSchedulingService): ServiceRegistration =>
  defineService(
    teamSchedulingV1.TeamSchedulingServiceService,
    {
      scheduleJob: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const jobId = requiredText(request.jobId, 'job_id');
        const tasks = await service.scheduleJob(ctx.caller, jobId, requestContext(requestId, ctx));
        ctx.logger.info({ jobId, by: ctx.caller.subject }, 'job scheduled');
        return { tasks: tasks.map(scheduledTaskMessage) };
      },

      getJobSchedule: async (request, ctx) =>
        jobScheduleMessage(await service.getJobSchedule(ctx.caller, requiredText(request.jobId, 'job_id'))),

      getMemberSchedule: async (request, ctx) => {
        const memberId = requiredText(request.memberId, 'member_id');
        const period = { from: instantOf(request.from, 'from'), to: instantOf(request.to, 'to') };
        return { tasks: (await service.getMemberSchedule(ctx.caller, memberId, period)).map(scheduledTaskMessage) };
      },

      listMyTasks: async (_request, ctx) => ({
        tasks: (await service.listMyTasks(ctx.caller)).map(scheduledTaskMessage),
      }),

      handOffTask: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const taskId = requiredText(request.taskId, 'task_id');
        const task = await service.handOffTask(
          ctx.caller,
          taskId,
          { reason: request.reason, progressNote: request.progressNote },
          requestContext(requestId, ctx),
        );
        ctx.logger.info(
          { taskId, jobId: task.jobId, by: ctx.caller.subject, to: task.memberId ?? null },
          'task handed off',
        );
        return { task: scheduledTaskMessage(task) };
      },

      declareUnavailable: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const memberId = requiredText(request.memberId, 'member_id');
        const input = {
          from: instantOf(request.from, 'from'),
          to: instantOf(request.to, 'to'),
          reason: request.reason,
        };
        const tasks = await service.declareUnavailable(ctx.caller, memberId, input, requestContext(requestId, ctx));
        ctx.logger.info({ memberId, by: ctx.caller.subject, tasks: tasks.length }, 'unavailability declared');
        return { tasks: tasks.map(scheduledTaskMessage) };
      },

      overrideAssignment: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const taskId = requiredText(request.taskId, 'task_id');
        const memberId = requiredText(request.memberId, 'member_id');
        const task = await service.overrideAssignment(
          ctx.caller,
          taskId,
          { memberId, reason: request.reason },
          requestContext(requestId, ctx),
        );
        ctx.logger.info({ taskId, jobId: task.jobId, to: memberId, by: ctx.caller.subject }, 'assignment overridden');
        return { task: scheduledTaskMessage(task) };
      },

      getTaskHistory: async (request, ctx) => ({
        entries: (await service.getTaskHistory(ctx.caller, requiredText(request.taskId, 'task_id'))).map(
          historyEntryMessage,
        ),
      }),

      getTaskHolder: async (request, ctx) => {
        const taskId = requiredText(request.taskId, 'task_id');
        const holder = await service.getTaskHolder(ctx.caller, taskId, instantOf(request.at, 'at'));
        return { memberId: holder ?? '' };
      },

      setWishedHours: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const memberId = requiredText(request.memberId, 'member_id');
        await service.setWishedHours(
          ctx.caller,
          memberId,
          wholeNumberOf(request.minutesPerWeek, 'minutes_per_week'),
          requestContext(requestId, ctx),
        );
        ctx.logger.info({ memberId, by: ctx.caller.subject }, 'wished hours set');
        return {};
      },

      grantSkill: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const memberId = requiredText(request.memberId, 'member_id');
        const jobId = requiredText(request.jobId, 'job_id');
        await service.grantSkill(
          ctx.caller,
          memberId,
          { skill: request.skill, jobId, reason: request.reason },
          requestContext(requestId, ctx),
        );
        ctx.logger.info({ memberId, jobId, by: ctx.caller.subject }, 'skill granted');
        return {};
      },

      pairForTraining: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const taskId = requiredText(request.taskId, 'task_id');
        const traineeMemberId = requiredText(request.traineeMemberId, 'trainee_member_id');
        await service.pairForTraining(
          ctx.caller,
          taskId,
          { traineeMemberId, reason: request.reason },
          requestContext(requestId, ctx),
        );
        ctx.logger.info({ taskId, traineeMemberId, by: ctx.caller.subject }, 'trainee paired');
        return {};
      },

      shareJob: async (request, ctx) => {
        const requestId = requestIdOf(request);
        const jobId = requiredText(request.jobId, 'job_id');
        const partnerRegionId = requiredText(request.partnerRegionId, 'partner_region_id');
        const tasks = await service.shareJob(
          ctx.caller,
          jobId,
          { partnerRegionId: partnerRegionId.trim(), reason: request.reason },
          requestContext(requestId, ctx),
        );
        ctx.logger.info({ jobId, partnerRegionId, by: ctx.caller.subject }, 'job shared');
        return { tasks: tasks.map(scheduledTaskMessage) };
      },
    },
    { limits: TEAM_SCHEDULING_REQUEST_LIMITS },
  );

export type StartTeamSchedulingGrpcOptions = ServiceGrpcOptions<TeamSchedulingService>;

/** Starts the team scheduling gRPC server: the TeamSchedulingService RPCs, grpc.health.v1 and server reflection. */
export const startTeamSchedulingGrpc = (options: StartTeamSchedulingGrpcOptions): Promise<GrpcServer> =>
  startServiceGrpc('team-scheduling', teamSchedulingGrpcService, fileDescriptorProtos, options);
