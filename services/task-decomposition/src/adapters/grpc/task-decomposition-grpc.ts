import {
  type AuthenticatedCallContext,
  defineService,
  type GrpcServer,
  type ServiceGrpcOptions,
  type ServiceRegistration,
  startServiceGrpc,
} from '@workshare/grpc';
import { fileDescriptorProtos, taskDecompositionV1 } from '@workshare/proto';
import { commandKey } from '../../application/command-ids.js';
import type { CommandContext, TaskDecompositionService } from '../../application/task-decomposition-service.js';
import { actorOf, draftsOf, expectedVersionOf, planMessage, requestIdOf, requiredText } from './messages.js';

/** A command's context: `<caller>:<request id>` as its idempotency key, the call's trace. */
const commandContext = (requestId: string, ctx: AuthenticatedCallContext): CommandContext => ({
  commandId: commandKey(ctx.caller.subject, requestId),
  ...(ctx.traceparent !== undefined ? { traceparent: ctx.traceparent } : {}),
});

/**
 * The task decomposition service over gRPC (proto/workshare/taskdecomposition/v1): each RPC
 * checks its request at the edge (messages.ts), calls the facade as the verified caller, and
 * maps the answer back. DomainErrors become status codes in the host (DESIGN §2).
 */
export const taskDecompositionGrpcService = (service: TaskDecompositionService): ServiceRegistration =>
  defineService(taskDecompositionV1.TaskDecompositionServiceService, {
    getPlan: async (request, ctx) => {
      const jobId = requiredText(request.jobId, 'job_id');
      return { plan: planMessage(await service.getPlan(actorOf(ctx.caller), jobId)) };
    },

    revisePlan: async (request, ctx) => {
      const requestId = requestIdOf(request);
      const jobId = requiredText(request.jobId, 'job_id');
      const tasks = draftsOf(request.tasks);
      const expectedVersion = expectedVersionOf(request.expectedVersion);
      const view = await service.revisePlan(
        actorOf(ctx.caller),
        { jobId, tasks, ...(expectedVersion !== undefined ? { expectedVersion } : {}) },
        commandContext(requestId, ctx),
      );
      ctx.logger.info({ jobId, round: view.round, tasks: tasks.length, by: ctx.caller.subject }, 'plan revised');
      return { plan: planMessage(view) };
    },

    confirmPlan: async (request, ctx) => {
      const requestId = requestIdOf(request);
      const jobId = requiredText(request.jobId, 'job_id');
      const expectedVersion = expectedVersionOf(request.expectedVersion);
      const view = await service.confirmPlan(
        actorOf(ctx.caller),
        { jobId, ...(expectedVersion !== undefined ? { expectedVersion } : {}) },
        commandContext(requestId, ctx),
      );
      ctx.logger.info({ jobId, round: view.round, by: ctx.caller.subject }, 'plan confirmed');
      return { plan: planMessage(view) };
    },
  });

export type StartTaskDecompositionGrpcOptions = ServiceGrpcOptions<TaskDecompositionService>;

/** Starts the gRPC server: TaskDecompositionService, grpc.health.v1 and server reflection. */
export const startTaskDecompositionGrpc = (options: StartTaskDecompositionGrpcOptions): Promise<GrpcServer> =>
  startServiceGrpc('task-decomposition', taskDecompositionGrpcService, fileDescriptorProtos, options);
