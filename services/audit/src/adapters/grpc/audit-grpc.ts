import {
  commandContextOf,
  createClient,
  defineService,
  startServiceGrpc,
  type CreateClientOptions,
  type GrpcServer,
  type ServiceClient,
  type ServiceGrpcOptions,
  type ServiceRegistration,
} from '@workshare/grpc';
import { auditV1, fileDescriptorProtos } from '@workshare/proto';
import type { AuditApplication } from '../../application/audit-service.js';
import { AUDIT_MAX_ANSWER_BYTES } from '../../contract.js';
import {
  correctionsQuery,
  correctionsResponse,
  encodingOf,
  exportRequestOf,
  handOffMessage,
  handOffsQuery,
  historyQuery,
  historyResponse,
  jobTimelineQuery,
  jobTimelineResponse,
  queriesQuery,
  queriesResponse,
  reconciliationQuery,
  reconciliationResponse,
  searchQuery,
  searchResponse,
  streamAsOfQuery,
  streamAsOfResponse,
  verificationQuery,
  verificationResponse,
  whoHeldQuery,
  whoHeldResponse,
} from './messages.js';

/** The longest text fields of requests (ids take the host's default, 128 characters). */
const STREAM = { maxLength: 300, code: 'audit.invalid_stream' };
const INSTANT = { maxLength: 40, code: 'audit.invalid_at' };
const COUNTERPARTY = { maxLength: 100, code: 'audit.invalid_counterparty' };

export const AUDIT_REQUEST_LIMITS = {
  fields: {
    getStreamAsOf: { stream: STREAM, at: INSTANT },
    search: { counterparty: COUNTERPARTY },
    export: { 'streamAsOf.stream': STREAM, 'search.counterparty': COUNTERPARTY },
  },
} as const;

/**
 * The audit over gRPC (proto/workshare/audit/v1/audit.proto): the host checks every request's
 * text (AUDIT_REQUEST_LIMITS), each RPC maps it to the facade's input (messages.ts) and calls it
 * with the call's context (the verified caller, her token passed on to identity, the trace);
 * errors are the facade's DomainErrors, mapped by the host (DESIGN §2). Every method needs a
 * token. Logs carry the query's kind and the caller, never names or texts.
 */
export const auditGrpcService = (service: AuditApplication): ServiceRegistration =>
  defineService(
    auditV1.AuditServiceService,
    {
      getHistory: async (request, ctx) =>
        historyResponse(await service.history(commandContextOf(ctx), historyQuery(request))),
      whoHeld: async (request, ctx) =>
        whoHeldResponse(await service.whoHeld(commandContextOf(ctx), whoHeldQuery(request))),
      getJobTimeline: async (request, ctx) =>
        jobTimelineResponse(await service.jobTimeline(commandContextOf(ctx), jobTimelineQuery(request))),
      listHandOffs: async (request, ctx) => ({
        handOffs: (await service.handOffs(commandContextOf(ctx), handOffsQuery(request))).handOffs.map(handOffMessage),
      }),
      getReconciliation: async (request, ctx) =>
        reconciliationResponse(await service.reconciliation(commandContextOf(ctx), reconciliationQuery(request))),
      getStreamAsOf: async (request, ctx) =>
        streamAsOfResponse(await service.streamAsOf(commandContextOf(ctx), streamAsOfQuery(request))),
      search: async (request, ctx) => searchResponse(await service.search(commandContextOf(ctx), searchQuery(request))),
      listCorrections: async (request, ctx) =>
        correctionsResponse(await service.corrections(commandContextOf(ctx), correctionsQuery(request))),
      getVerification: async (request, ctx) =>
        verificationResponse(await service.verification(commandContextOf(ctx), verificationQuery(request))),
      listAuditQueries: async (request, ctx) =>
        queriesResponse(await service.queries(commandContextOf(ctx), queriesQuery(request))),
      export: async (request, ctx) => {
        const query = exportRequestOf(request);
        const file = await service.export(commandContextOf(ctx), query, encodingOf(request.encoding));
        ctx.logger.info({ kind: query.kind, bytes: file.bytes.length, by: ctx.caller.subject }, 'audit exported');
        return { fileName: file.fileName, mediaType: file.mediaType, content: file.bytes };
      },
    },
    { limits: AUDIT_REQUEST_LIMITS },
  );

export type StartAuditGrpcOptions = ServiceGrpcOptions<AuditApplication>;

/** Starts the audit gRPC server: the AuditService RPCs, the ops ReadModels service, grpc.health.v1 and reflection. */
export const startAuditGrpc = (options: StartAuditGrpcOptions): Promise<GrpcServer> =>
  startServiceGrpc('audit', auditGrpcService, fileDescriptorProtos, options);

/** The audit's gRPC client (for the gateway and the CLI): each call with the caller's token (`{ token }`). */
export type AuditClient = ServiceClient<typeof auditV1.AuditServiceService>;

/** A client of the audit at `address` (AUDIT_ADDRESS), answers up to AUDIT_MAX_ANSWER_BYTES. */
export const createAuditClient = (address: string, options: Omit<CreateClientOptions, 'token'> = {}): AuditClient =>
  createClient(auditV1.AuditServiceClient, address, {
    deadlineMs: 30_000,
    ...options,
    channelOptions: { 'grpc.max_receive_message_length': AUDIT_MAX_ANSWER_BYTES, ...options.channelOptions },
  });
