import {
  type AuthenticatedCallContext,
  defineService,
  type GrpcServer,
  type ServiceGrpcOptions,
  type ServiceRegistration,
  startServiceGrpc,
} from '@workshare/grpc';
import { fileDescriptorProtos, jobIntakeV1 } from '@workshare/proto';
import type { RequestContext } from '../../application/caller.js';
import type { JobIntakeService } from '../../application/job-intake-service.js';
import {
  jobMessage,
  listJobsQuery,
  quoteInput,
  requestIdOf,
  requiredText,
  submitJobInput,
  termsMessage,
} from './messages.js';

/** What a command passes to the facade: its request id, the caller's token (for identity) and the call's trace. */
const requestContext = (requestId: string, ctx: AuthenticatedCallContext): RequestContext => ({
  requestId,
  token: ctx.token,
  ...(ctx.traceparent !== undefined ? { traceparent: ctx.traceparent } : {}),
});

/**
 * The job intake service over gRPC (proto/workshare/jobintake/v1/job_intake.proto): each RPC
 * checks its request at the edge (messages.ts), calls the facade as the verified caller and
 * maps the answer back. Errors are the facade's DomainErrors, mapped to status codes by the
 * host (DESIGN §2). Every method needs a token. Logs carry ids, never personal data.
 */
export const jobIntakeGrpcService = (service: JobIntakeService): ServiceRegistration =>
  defineService(jobIntakeV1.JobIntakeServiceService, {
    submitJob: async (request, ctx) => {
      const requestId = requestIdOf(request);
      const input = submitJobInput(request);
      const { jobId } = await service.submitJob(ctx.caller, input, requestContext(requestId, ctx));
      ctx.logger.info({ jobId, businessId: input.businessId, by: ctx.caller.subject }, 'job submitted');
      return { jobId };
    },

    quoteJob: async (request, ctx) => {
      const requestId = requestIdOf(request);
      const jobId = requiredText(request.jobId, 'job_id');
      await service.quoteJob(ctx.caller, jobId, quoteInput(request), requestContext(requestId, ctx));
      ctx.logger.info({ jobId, by: ctx.caller.subject }, 'job quoted');
      return {};
    },

    acceptQuote: async (request, ctx) => {
      const requestId = requestIdOf(request);
      const jobId = requiredText(request.jobId, 'job_id');
      const terms = await service.acceptQuote(ctx.caller, jobId, requestContext(requestId, ctx));
      ctx.logger.info({ jobId, by: ctx.caller.subject }, 'quote accepted');
      return { terms: termsMessage(terms, terms.acceptedAt) };
    },

    declineQuote: async (request, ctx) => {
      const requestId = requestIdOf(request);
      const jobId = requiredText(request.jobId, 'job_id');
      await service.declineQuote(ctx.caller, jobId, request.reason, requestContext(requestId, ctx));
      ctx.logger.info({ jobId, by: ctx.caller.subject }, 'quote declined');
      return {};
    },

    startJob: async (request, ctx) => {
      const requestId = requestIdOf(request);
      const jobId = requiredText(request.jobId, 'job_id');
      await service.startJob(ctx.caller, jobId, requestContext(requestId, ctx));
      ctx.logger.info({ jobId, by: ctx.caller.subject }, 'job started');
      return {};
    },

    deliverJob: async (request, ctx) => {
      const requestId = requestIdOf(request);
      const jobId = requiredText(request.jobId, 'job_id');
      await service.deliverJob(ctx.caller, jobId, request.note, requestContext(requestId, ctx));
      ctx.logger.info({ jobId, by: ctx.caller.subject }, 'job delivered');
      return {};
    },

    inspectJob: async (request, ctx) => {
      const requestId = requestIdOf(request);
      const jobId = requiredText(request.jobId, 'job_id');
      await service.inspectJob(
        ctx.caller,
        jobId,
        { accepted: request.accepted, reason: request.reason },
        requestContext(requestId, ctx),
      );
      ctx.logger.info({ jobId, accepted: request.accepted, by: ctx.caller.subject }, 'job inspected');
      return {};
    },

    closeJob: async (request, ctx) => {
      const requestId = requestIdOf(request);
      const jobId = requiredText(request.jobId, 'job_id');
      await service.closeJob(ctx.caller, jobId, requestContext(requestId, ctx));
      ctx.logger.info({ jobId, by: ctx.caller.subject }, 'job closed');
      return {};
    },

    cancelJob: async (request, ctx) => {
      const requestId = requestIdOf(request);
      const jobId = requiredText(request.jobId, 'job_id');
      await service.cancelJob(ctx.caller, jobId, request.reason, requestContext(requestId, ctx));
      ctx.logger.info({ jobId, by: ctx.caller.subject }, 'job cancelled');
      return {};
    },

    getJob: async (request, ctx) => {
      const jobId = requiredText(request.jobId, 'job_id');
      return { job: jobMessage(await service.getJob(ctx.caller, jobId)) };
    },

    listJobs: async (request, ctx) => {
      const page = await service.listJobs(ctx.caller, listJobsQuery(request));
      return { jobs: page.jobs.map(jobMessage), page: { nextPageToken: page.nextPageToken ?? '' } };
    },
  });

export type StartJobIntakeGrpcOptions = ServiceGrpcOptions<JobIntakeService>;

/** Starts the job intake gRPC server: the JobIntakeService RPCs, grpc.health.v1 and server reflection. */
export const startJobIntakeGrpc = (options: StartJobIntakeGrpcOptions): Promise<GrpcServer> =>
  startServiceGrpc('job-intake', jobIntakeGrpcService, fileDescriptorProtos, options);
