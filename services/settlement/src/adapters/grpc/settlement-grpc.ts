import {
  commandContextOf,
  defineService,
  REQUEST_ID_LIMIT,
  startServiceGrpc,
  type GrpcServer,
  type ServiceGrpcOptions,
  type ServiceRegistration,
} from '@workshare/grpc';
import { fileDescriptorProtos, settlementV1 } from '@workshare/proto';
import type { SettlementService } from '../../application/settlement-service.js';
import { CONFIG_LIMITS, INVALID_CONFIG } from '../../domain/config.js';
import {
  downloadRequestOf,
  monthRefOf,
  regionConfigInput,
  regionConfigResponse,
  requestIdOf,
  requiredText,
  summaryMessage,
} from './messages.js';

/**
 * The longest each text field of a request may be, with its code: the host refuses a longer
 * value before the handler runs (lengths in characters, as sent). The configuration's texts
 * take the domain's limits (CONFIG_LIMITS of config.ts) and its code; a registration number is
 * at most 32 characters as people write it (T, 13 digits, hyphens and spaces); every other
 * string is an id, at most 128 characters (`text.too_long`).
 */
const CONFIG_TEXT = (maxLength: number) => ({ maxLength, code: INVALID_CONFIG });
const REGISTRATION_NUMBER = { maxLength: 32, code: 'settlement.registration_number_malformed' };

export const SETTLEMENT_REQUEST_LIMITS = {
  fields: {
    configureRegion: {
      requestId: REQUEST_ID_LIMIT,
      'config.regionId': CONFIG_TEXT(CONFIG_LIMITS.regionId),
      'config.issuerName': CONFIG_TEXT(CONFIG_LIMITS.issuerName),
      'config.registrationNumber': REGISTRATION_NUMBER,
      'config.address': CONFIG_TEXT(CONFIG_LIMITS.address),
      'config.requesterNameKana': CONFIG_TEXT(CONFIG_LIMITS.kanaText),
      'config.payerAccount.bankNameKana': CONFIG_TEXT(CONFIG_LIMITS.kanaText),
      'config.payerAccount.branchNameKana': CONFIG_TEXT(CONFIG_LIMITS.kanaText),
      'config.officePrefecture': CONFIG_TEXT(CONFIG_LIMITS.regionId),
    },
    registerPayee: { requestId: REQUEST_ID_LIMIT, invoiceRegistrationNumber: REGISTRATION_NUMBER },
    closeMonth: { requestId: REQUEST_ID_LIMIT },
  },
} as const;

/**
 * The settlement service over gRPC (proto/workshare/settlement/v1/settlement.proto): the host
 * checks every request's text first (SETTLEMENT_REQUEST_LIMITS; NUL, invalid Unicode,
 * timestamps), then each RPC checks the rest at the edge (messages.ts), calls the facade with
 * the call's context (commandContextOf: the verified caller, the request id, the token passed on
 * to identity, the trace) and maps the answer back. Errors are the facade's DomainErrors, mapped
 * to status codes by the host (DESIGN §2). Every method needs a token. Logs carry ids and
 * totals, never personal data, file contents or bank accounts.
 */
export const settlementGrpcService = (service: SettlementService): ServiceRegistration =>
  defineService(
    settlementV1.SettlementServiceService,
    {
      configureRegion: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const config = regionConfigInput(request.config);
        await service.configureRegion(context, config);
        ctx.logger.info({ regionId: config.regionId, by: ctx.caller.subject }, 'region configured');
        return {};
      },

      getRegionConfig: async (request, ctx) => {
        const regionId = requiredText(request.regionId, 'region_id');
        return regionConfigResponse(await service.getRegionConfig(commandContextOf(ctx), regionId));
      },

      registerPayee: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const memberId = requiredText(request.memberId, 'member_id');
        const number = request.invoiceRegistrationNumber.trim();
        await service.registerPayee(context, { memberId, invoiceRegistrationNumber: number === '' ? null : number });
        ctx.logger.info({ memberId, registered: number !== '', by: ctx.caller.subject }, 'payee recorded');
        return {};
      },

      closeMonth: async (request, ctx) => {
        const context = commandContextOf(ctx, requestIdOf(request));
        const summary = await service.closeMonth(context, monthRefOf(request));
        ctx.logger.info(
          {
            regionId: summary.regionId,
            month: summary.month,
            invoices: summary.invoiceCount,
            statements: summary.statementCount,
            by: ctx.caller.subject,
          },
          'month closed',
        );
        return { summary: summaryMessage(summary) };
      },

      getSettlement: async (request, ctx) => {
        const { summary, json } = await service.getSettlement(commandContextOf(ctx), monthRefOf(request));
        return { summary: summaryMessage(summary), settlementJson: json };
      },

      download: async (request, ctx) => {
        const input = downloadRequestOf(request);
        const file = await service.download(commandContextOf(ctx), input);
        ctx.logger.info(
          { regionId: input.regionId, month: input.month, kind: input.kind, by: ctx.caller.subject },
          'file downloaded',
        );
        return { content: Buffer.from(file.bytes), mediaType: file.mediaType, fileName: file.fileName };
      },
    },
    { limits: SETTLEMENT_REQUEST_LIMITS },
  );

export type StartSettlementGrpcOptions = ServiceGrpcOptions<SettlementService>;

/** Starts the settlement gRPC server: the SettlementService RPCs, grpc.health.v1 and server reflection. */
export const startSettlementGrpc = (options: StartSettlementGrpcOptions): Promise<GrpcServer> =>
  startServiceGrpc('settlement', settlementGrpcService, fileDescriptorProtos, options);
