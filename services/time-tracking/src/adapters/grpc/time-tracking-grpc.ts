import {
  commandContextOf,
  defineService,
  startServiceGrpc,
  type GrpcServer,
  type ServiceGrpcOptions,
  type ServiceRegistration,
} from '@workshare/grpc';
import { fileDescriptorProtos, timeTrackingV1 } from '@workshare/proto';
import { tokyoTime } from '@workshare/time';
import type { TimeTrackingService } from '../../application/time-tracking-service.js';
import {
  approvalMessage,
  approvedTimeMessage,
  entryMessage,
  instantMessage,
  instantOf,
  optionalText,
  requestIdOf,
  requiredText,
  weekMessage,
} from './messages.js';
import { TIME_TRACKING_REQUEST_LIMITS } from './request-limits.js';

export { TIME_TRACKING_REQUEST_LIMITS } from './request-limits.js';

/**
 * The time tracking service over gRPC (proto/workshare/timetracking/v1/time_tracking.proto): the
 * host checks every request's text first (TIME_TRACKING_REQUEST_LIMITS; NUL, invalid Unicode,
 * timestamps), then each RPC checks the rest at the edge (messages.ts), calls the facade with the
 * call's context (commandContextOf: the verified caller, the request id, the token, the trace)
 * and maps the answer back. Errors are the facade's DomainErrors, mapped to status codes by the
 * host (DESIGN §2). Every method needs a token. Logs carry ids, never a reason's text.
 */
export const timeTrackingGrpcService = (service: TimeTrackingService): ServiceRegistration =>
  defineService(
    timeTrackingV1.TimeTrackingServiceService,
    {
      startWork: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const taskId = requiredText(request.taskId, 'task_id');
        const { start } = await service.startWork(context, { taskId });
        ctx.logger.info({ taskId, by: ctx.caller.subject }, 'work started');
        return { start, startTokyo: tokyoTime(start) };
      },

      stopWork: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const { entry } = await service.stopWork(context);
        ctx.logger.info(
          { entryId: entry?.entryId, minutes: entry?.minutes ?? 0, by: ctx.caller.subject },
          entry === undefined ? 'work stopped: less than a minute, nothing recorded' : 'work stopped',
        );
        return entry === undefined ? { recorded: false } : { recorded: true, entry: entryMessage(entry) };
      },

      discardTimer: async (request, ctx) => {
        await service.discardTimer(commandContextOf(ctx, requestIdOf(request)));
        ctx.logger.info({ by: ctx.caller.subject }, 'timer discarded');
        return {};
      },

      recordSpan: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const { entry } = await service.recordSpan(context, {
          taskId: requiredText(request.taskId, 'task_id'),
          start: instantOf(request.start, 'start'),
          end: instantOf(request.end, 'end'),
        });
        ctx.logger.info({ entryId: entry.entryId, minutes: entry.minutes, by: ctx.caller.subject }, 'span recorded');
        return { entry: entryMessage(entry) };
      },

      correctEntry: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const entryId = requiredText(request.entryId, 'entry_id');
        const { reopenedWeeks } = await service.correctEntry(context, {
          memberId: requiredText(request.memberId, 'member_id'),
          entryId,
          start: instantOf(request.start, 'start'),
          end: instantOf(request.end, 'end'),
          reason: request.reason,
        });
        ctx.logger.info({ entryId, reopenedWeeks, by: ctx.caller.subject }, 'entry corrected');
        return { reopenedWeeks };
      },

      deleteEntry: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const entryId = requiredText(request.entryId, 'entry_id');
        const { reopenedWeeks } = await service.deleteEntry(context, {
          memberId: requiredText(request.memberId, 'member_id'),
          entryId,
          reason: request.reason,
        });
        ctx.logger.info({ entryId, reopenedWeeks, by: ctx.caller.subject }, 'entry deleted');
        return { reopenedWeeks };
      },

      markTaskDone: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const taskId = requiredText(request.taskId, 'task_id');
        const { at } = await service.markTaskDone(context, { taskId });
        ctx.logger.info({ taskId, by: ctx.caller.subject }, 'task marked done');
        return instantMessage(at);
      },

      approveWeek: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const memberId = requiredText(request.memberId, 'member_id');
        const weekStart = requiredText(request.weekStart, 'week_start');
        const outcome = await service.approveWeek(context, { memberId, weekStart });
        ctx.logger.info(
          { memberId, weekStart, entries: outcome.approvedEntries, by: ctx.caller.subject },
          outcome.alreadyApproved ? 'week already approved' : 'week approved',
        );
        return approvalMessage(outcome);
      },

      getWeek: async (request, ctx) => {
        const memberId = optionalText(request.memberId);
        const weekStart = optionalText(request.weekStart);
        const week = await service.getWeek(commandContextOf(ctx), {
          ...(memberId !== undefined ? { memberId } : {}),
          ...(weekStart !== undefined ? { weekStart } : {}),
        });
        return { week: weekMessage(week) };
      },

      listApprovedTime: async (request, ctx) => {
        const view = await service.listApprovedTime(commandContextOf(ctx), {
          regionId: requiredText(request.regionId, 'region_id'),
          month: requiredText(request.month, 'month'),
        });
        return approvedTimeMessage(view);
      },
    },
    { limits: TIME_TRACKING_REQUEST_LIMITS },
  );

export type StartTimeTrackingGrpcOptions = ServiceGrpcOptions<TimeTrackingService>;

/** Starts the time tracking gRPC server: the TimeTrackingService RPCs, grpc.health.v1 and server reflection. */
export const startTimeTrackingGrpc = (options: StartTimeTrackingGrpcOptions): Promise<GrpcServer> =>
  startServiceGrpc('time-tracking', timeTrackingGrpcService, fileDescriptorProtos, options);
