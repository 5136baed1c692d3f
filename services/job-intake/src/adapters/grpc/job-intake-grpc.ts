import {
  commandContextOf,
  defineService,
  REQUEST_ID_LIMIT,
  startServiceGrpc,
  type GrpcServer,
  type ServiceGrpcOptions,
  type ServiceRegistration,
} from '@workshare/grpc';
import { fileDescriptorProtos, jobIntakeV1 } from '@workshare/proto';
import type { JobIntakeService } from '../../application/job-intake-service.js';
import { LIMITS } from '../../domain/job.js';
import {
  jobMessage,
  listJobsQuery,
  quoteInput,
  requestIdOf,
  requiredText,
  submitJobInput,
  termsMessage,
} from './messages.js';

/**
 * The longest each text field of a request may be, from the domain's LIMITS, with the domain's
 * code: the host refuses a longer value before the handler runs (lengths in characters, as
 * sent). Every other string field is an id, at most ID_MAX_LENGTH (128) characters.
 */
const TITLE = { maxLength: LIMITS.titleLength, code: 'job.invalid_title' };
const DESCRIPTION = { maxLength: LIMITS.descriptionLength, code: 'job.invalid_description' };
const SKILL = { maxLength: LIMITS.skillLength, code: 'job.invalid_skills' };
const NOTE = { maxLength: LIMITS.noteLength, code: 'job.invalid_note' };
const REASON = { maxLength: LIMITS.reasonLength, code: 'job.invalid_reason' };

export const JOB_INTAKE_REQUEST_LIMITS = {
  fields: {
    submitJob: { requestId: REQUEST_ID_LIMIT, title: TITLE, description: DESCRIPTION, 'skills[]': SKILL },
    quoteJob: { requestId: REQUEST_ID_LIMIT, note: NOTE },
    acceptQuote: { requestId: REQUEST_ID_LIMIT },
    declineQuote: { requestId: REQUEST_ID_LIMIT, reason: REASON },
    startJob: { requestId: REQUEST_ID_LIMIT },
    deliverJob: { requestId: REQUEST_ID_LIMIT, note: NOTE },
    inspectJob: { requestId: REQUEST_ID_LIMIT, reason: REASON },
    closeJob: { requestId: REQUEST_ID_LIMIT },
    cancelJob: { requestId: REQUEST_ID_LIMIT, reason: REASON },
  },
} as const;

/**
 * The job intake service over gRPC (proto/workshare/jobintake/v1/job_intake.proto): the host
 * checks every request's text first (JOB_INTAKE_REQUEST_LIMITS; NUL, invalid Unicode, timestamps),
 * then each RPC checks the rest at the edge (messages.ts), calls the facade with the call's
 * context (commandContextOf: the verified caller, the request id, the token, the trace) and maps
 * the answer back. Errors are the facade's DomainErrors, mapped to status codes by the host
 * (DESIGN §2). Every method needs a token. Logs carry ids, never personal data.
 */
export const jobIntakeGrpcService = (service: JobIntakeService): ServiceRegistration =>
  defineService(
    jobIntakeV1.JobIntakeServiceService,
    {
      submitJob: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const input = submitJobInput(request);
        const { jobId } = await service.submitJob(context, input);
        ctx.logger.info({ jobId, businessId: input.businessId, by: ctx.caller.subject }, 'job submitted');
        return { jobId };
      },

      quoteJob: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const input = quoteInput(request);
        await service.quoteJob(context, input);
        ctx.logger.info({ jobId: input.jobId, by: ctx.caller.subject }, 'job quoted');
        return {};
      },

      acceptQuote: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const jobId = requiredText(request.jobId, 'job_id');
        const terms = await service.acceptQuote(context, jobId);
        ctx.logger.info({ jobId, by: ctx.caller.subject }, 'quote accepted');
        return { terms: termsMessage(terms, terms.acceptedAt) };
      },

      declineQuote: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const jobId = requiredText(request.jobId, 'job_id');
        await service.declineQuote(context, { jobId, reason: request.reason });
        ctx.logger.info({ jobId, by: ctx.caller.subject }, 'quote declined');
        return {};
      },

      startJob: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const jobId = requiredText(request.jobId, 'job_id');
        await service.startJob(context, jobId);
        ctx.logger.info({ jobId, by: ctx.caller.subject }, 'job started');
        return {};
      },

      deliverJob: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const jobId = requiredText(request.jobId, 'job_id');
        await service.deliverJob(context, { jobId, note: request.note });
        ctx.logger.info({ jobId, by: ctx.caller.subject }, 'job delivered');
        return {};
      },

      inspectJob: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const jobId = requiredText(request.jobId, 'job_id');
        await service.inspectJob(context, { jobId, accepted: request.accepted, reason: request.reason });
        ctx.logger.info({ jobId, accepted: request.accepted, by: ctx.caller.subject }, 'job inspected');
        return {};
      },

      closeJob: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const jobId = requiredText(request.jobId, 'job_id');
        await service.closeJob(context, jobId);
        ctx.logger.info({ jobId, by: ctx.caller.subject }, 'job closed');
        return {};
      },

      cancelJob: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const jobId = requiredText(request.jobId, 'job_id');
        await service.cancelJob(context, { jobId, reason: request.reason });
        ctx.logger.info({ jobId, by: ctx.caller.subject }, 'job cancelled');
        return {};
      },

      getJob: async (request, ctx) => {
        const jobId = requiredText(request.jobId, 'job_id');
        return { job: jobMessage(await service.getJob(commandContextOf(ctx), jobId)) };
      },

      listJobs: async (request, ctx) => {
        const page = await service.listJobs(commandContextOf(ctx), listJobsQuery(request));
        return { jobs: page.jobs.map(jobMessage), page: { nextPageToken: page.nextPageToken ?? '' } };
      },
    },
    { limits: JOB_INTAKE_REQUEST_LIMITS },
  );

export type StartJobIntakeGrpcOptions = ServiceGrpcOptions<JobIntakeService>;

/** Starts the job intake gRPC server: the JobIntakeService RPCs, grpc.health.v1 and server reflection. */
export const startJobIntakeGrpc = (options: StartJobIntakeGrpcOptions): Promise<GrpcServer> =>
  startServiceGrpc('job-intake', jobIntakeGrpcService, fileDescriptorProtos, options);
