import {
  commandContextOf,
  defineService,
  REQUEST_ID_LIMIT,
  startServiceGrpc,
  type GrpcServer,
  type ServiceGrpcOptions,
  type ServiceRegistration,
} from '@workshare/grpc';
import { fileDescriptorProtos, taskDecompositionV1 } from '@workshare/proto';
import type { TaskDecompositionService } from '../../application/task-decomposition-service.js';
import { MAX_TITLE_LENGTH } from '../../domain/plan-rules.js';
import { draftsOf, expectedVersionOf, planMessage, requestIdOf, requiredText } from './messages.js';

/**
 * The longest each text field of a request may be: the host refuses a longer value before the
 * handler runs (`text.too_long`, lengths in characters as sent). A task's title is the plan
 * rules' MAX_TITLE_LENGTH; every other string (ids, keys, skills, dependencies) is at most
 * ID_MAX_LENGTH (128) characters, under which the plan rules judge keys (1 to 40) themselves.
 */
export const TASK_DECOMPOSITION_REQUEST_LIMITS = {
  fields: {
    revisePlan: { requestId: REQUEST_ID_LIMIT, 'tasks[].title': MAX_TITLE_LENGTH },
    confirmPlan: { requestId: REQUEST_ID_LIMIT },
  },
} as const;

/**
 * The task decomposition service over gRPC (proto/workshare/taskdecomposition/v1): the host
 * checks every request's text first (TASK_DECOMPOSITION_REQUEST_LIMITS; NUL, invalid Unicode,
 * timestamps), then each RPC checks the rest at the edge (messages.ts), calls the facade with the
 * call's context (commandContextOf: the verified caller, the request id, the trace) and maps the
 * answer back. DomainErrors become status codes in the host (DESIGN §2).
 */
export const taskDecompositionGrpcService = (service: TaskDecompositionService): ServiceRegistration =>
  defineService(
    taskDecompositionV1.TaskDecompositionServiceService,
    {
      getPlan: async (request, ctx) => {
        const jobId = requiredText(request.jobId, 'job_id');
        return { plan: planMessage(await service.getPlan(commandContextOf(ctx), jobId)) };
      },

      revisePlan: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const jobId = requiredText(request.jobId, 'job_id');
        const tasks = draftsOf(request.tasks);
        const expectedVersion = expectedVersionOf(request.expectedVersion);
        const view = await service.revisePlan(context, { jobId, tasks, expectedVersion });
        ctx.logger.info({ jobId, round: view.round, tasks: tasks.length, by: ctx.caller.subject }, 'plan revised');
        return { plan: planMessage(view) };
      },

      confirmPlan: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const jobId = requiredText(request.jobId, 'job_id');
        const expectedVersion = expectedVersionOf(request.expectedVersion);
        const view = await service.confirmPlan(context, { jobId, expectedVersion });
        ctx.logger.info({ jobId, round: view.round, by: ctx.caller.subject }, 'plan confirmed');
        return { plan: planMessage(view) };
      },
    },
    { limits: TASK_DECOMPOSITION_REQUEST_LIMITS },
  );

export type StartTaskDecompositionGrpcOptions = ServiceGrpcOptions<TaskDecompositionService>;

/** Starts the gRPC server: TaskDecompositionService, grpc.health.v1 and server reflection. */
export const startTaskDecompositionGrpc = (options: StartTaskDecompositionGrpcOptions): Promise<GrpcServer> =>
  startServiceGrpc('task-decomposition', taskDecompositionGrpcService, fileDescriptorProtos, options);
