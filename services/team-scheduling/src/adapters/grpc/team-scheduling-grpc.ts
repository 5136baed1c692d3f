import {
  commandContextOf,
  defineService,
  startServiceGrpc,
  type GrpcServer,
  type ServiceGrpcOptions,
  type ServiceRegistration,
} from '@workshare/grpc';
import { fileDescriptorProtos, teamSchedulingV1 } from '@workshare/proto';
import type { TeamSchedulingService } from '../../application/team-scheduling-service.js';
import { TEAM_SCHEDULING_REQUEST_LIMITS } from './request-limits.js';
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
 * The team scheduling service over gRPC (proto/workshare/teamscheduling/v1/team_scheduling.proto):
 * the host checks every request's text first (TEAM_SCHEDULING_REQUEST_LIMITS; NUL, invalid
 * Unicode, timestamps), then each RPC checks its request at the edge (messages.ts), calls the
 * facade with the call's context (commandContextOf: the verified caller, the request id, the
 * token, the trace) and maps the answer back. Errors are the facade's DomainErrors, mapped to status codes by the
 * host (DESIGN §2). Every method needs a token. Logs carry ids, never reasons or notes (they may
 * speak of a member's family).
 */
export const teamSchedulingGrpcService = (service: TeamSchedulingService): ServiceRegistration =>
  defineService(
    teamSchedulingV1.TeamSchedulingServiceService,
    {
      scheduleJob: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const jobId = requiredText(request.jobId, 'job_id');
        const tasks = await service.scheduleJob(context, jobId);
        ctx.logger.info({ jobId, by: ctx.caller.subject }, 'job scheduled');
        return { tasks: tasks.map(scheduledTaskMessage) };
      },

      getJobSchedule: async (request, ctx) =>
        jobScheduleMessage(await service.getJobSchedule(commandContextOf(ctx), requiredText(request.jobId, 'job_id'))),

      getMemberSchedule: async (request, ctx) => {
        const query = {
          memberId: requiredText(request.memberId, 'member_id'),
          from: instantOf(request.from, 'from'),
          to: instantOf(request.to, 'to'),
        };
        return { tasks: (await service.getMemberSchedule(commandContextOf(ctx), query)).map(scheduledTaskMessage) };
      },

      listMyTasks: async (_request, ctx) => ({
        tasks: (await service.listMyTasks(commandContextOf(ctx))).map(scheduledTaskMessage),
      }),

      handOffTask: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const taskId = requiredText(request.taskId, 'task_id');
        const task = await service.handOffTask(context, {
          taskId,
          reason: request.reason,
          progressNote: request.progressNote,
        });
        ctx.logger.info(
          { taskId, jobId: task.jobId, by: ctx.caller.subject, to: task.memberId ?? null },
          'task handed off',
        );
        return { task: scheduledTaskMessage(task) };
      },

      declareUnavailable: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const memberId = requiredText(request.memberId, 'member_id');
        const tasks = await service.declareUnavailable(context, {
          memberId,
          from: instantOf(request.from, 'from'),
          to: instantOf(request.to, 'to'),
          reason: request.reason,
        });
        ctx.logger.info({ memberId, by: ctx.caller.subject, tasks: tasks.length }, 'unavailability declared');
        return { tasks: tasks.map(scheduledTaskMessage) };
      },

      overrideAssignment: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const taskId = requiredText(request.taskId, 'task_id');
        const memberId = requiredText(request.memberId, 'member_id');
        const task = await service.overrideAssignment(context, { taskId, memberId, reason: request.reason });
        ctx.logger.info({ taskId, jobId: task.jobId, to: memberId, by: ctx.caller.subject }, 'assignment overridden');
        return { task: scheduledTaskMessage(task) };
      },

      getTaskHistory: async (request, ctx) => ({
        entries: (await service.getTaskHistory(commandContextOf(ctx), requiredText(request.taskId, 'task_id'))).map(
          historyEntryMessage,
        ),
      }),

      getTaskHolder: async (request, ctx) => {
        const query = { taskId: requiredText(request.taskId, 'task_id'), at: instantOf(request.at, 'at') };
        return { memberId: (await service.getTaskHolder(commandContextOf(ctx), query)) ?? '' };
      },

      setWishedHours: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const memberId = requiredText(request.memberId, 'member_id');
        await service.setWishedHours(context, {
          memberId,
          minutesPerWeek: wholeNumberOf(request.minutesPerWeek, 'minutes_per_week'),
        });
        ctx.logger.info({ memberId, by: ctx.caller.subject }, 'wished hours set');
        return {};
      },

      grantSkill: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const memberId = requiredText(request.memberId, 'member_id');
        const jobId = requiredText(request.jobId, 'job_id');
        await service.grantSkill(context, { memberId, skill: request.skill, jobId, reason: request.reason });
        ctx.logger.info({ memberId, jobId, by: ctx.caller.subject }, 'skill granted');
        return {};
      },

      pairForTraining: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const taskId = requiredText(request.taskId, 'task_id');
        const traineeMemberId = requiredText(request.traineeMemberId, 'trainee_member_id');
        await service.pairForTraining(context, { taskId, traineeMemberId, reason: request.reason });
        ctx.logger.info({ taskId, traineeMemberId, by: ctx.caller.subject }, 'trainee paired');
        return {};
      },

      shareJob: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const jobId = requiredText(request.jobId, 'job_id');
        const partnerRegionId = requiredText(request.partnerRegionId, 'partner_region_id');
        const tasks = await service.shareJob(context, {
          jobId,
          partnerRegionId: partnerRegionId.trim(),
          reason: request.reason,
        });
        ctx.logger.info({ jobId, partnerRegionId, by: ctx.caller.subject }, 'job shared');
        return { tasks: tasks.map(scheduledTaskMessage) };
      },
    },
    { limits: TEAM_SCHEDULING_REQUEST_LIMITS },
  );

export { TEAM_SCHEDULING_REQUEST_LIMITS } from './request-limits.js';

export type StartTeamSchedulingGrpcOptions = ServiceGrpcOptions<TeamSchedulingService>;

/** Starts the team scheduling gRPC server: the TeamSchedulingService RPCs, grpc.health.v1 and server reflection. */
export const startTeamSchedulingGrpc = (options: StartTeamSchedulingGrpcOptions): Promise<GrpcServer> =>
  startServiceGrpc('team-scheduling', teamSchedulingGrpcService, fileDescriptorProtos, options);
