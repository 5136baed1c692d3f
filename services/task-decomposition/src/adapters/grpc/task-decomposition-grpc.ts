import { defineService, startGrpcServer, type AuthenticatedCallContext, type GrpcServer, type Logger, type ServiceRegistration, type TokenVerifier } from '@workshare/grpc';
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
      const view = await service.revisePlan(actorOf(ctx.caller), { jobId, tasks, ...(expectedVersion !== undefined ? { expectedVersion } : {}) }, commandContext(requestId, ctx));
      ctx.logger.info({ jobId, round: view.round, tasks: tasks.length, by: ctx.caller.subject }, 'plan revised');
      return { plan: planMessage(view) };
    },

    confirmPlan: async (request, ctx) => {
      const requestId = requestIdOf(request);
      const jobId = requiredText(request.jobId, 'job_id');
      const expectedVersion = expectedVersionOf(request.expectedVersion);
      const view = await service.confirmPlan(actorOf(ctx.caller), { jobId, ...(expectedVersion !== undefined ? { expectedVersion } : {}) }, commandContext(requestId, ctx));
      ctx.logger.info({ jobId, round: view.round, by: ctx.caller.subject }, 'plan confirmed');
      return { plan: planMessage(view) };
    },
  });

export interface StartTaskDecompositionGrpcOptions {
  readonly service: TaskDecompositionService;
  /** 0 takes any free port (see the answer's `port`). */
  readonly port: number;
  /** `0.0.0.0` (default: a pod) or `127.0.0.1` (the one-process launcher). */
  readonly host?: string;
  /** Checks callers' tokens: `IdentityTokenVerifierClient` from @workshare/grpc. */
  readonly verifier: TokenVerifier;
  readonly logger?: Logger;
  /** On shutdown, how long health answers NOT_SERVING before calls stop being taken (default 0). */
  readonly drainDelayMs?: number;
}

/** Starts the gRPC server: TaskDecompositionService, grpc.health.v1 and server reflection. */
export const startTaskDecompositionGrpc = (options: StartTaskDecompositionGrpcOptions): Promise<GrpcServer> =>
  startGrpcServer({
    name: 'task-decomposition',
    port: options.port,
    host: options.host ?? '0.0.0.0',
    services: [taskDecompositionGrpcService(options.service)],
    verifier: options.verifier,
    descriptors: fileDescriptorProtos,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.drainDelayMs !== undefined ? { drainDelayMs: options.drainDelayMs } : {}),
  });
