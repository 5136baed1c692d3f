import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { DownloadKindName } from '@workshare/settlement/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  requireOwnBusinessOrAnyOf,
  requireRegionStaff,
  requireSelfOrAnyOf,
  type Access,
} from '../../application/access.js';
import type { Upstreams } from '../grpc/upstreams.js';
import { sendDownload } from './downloads.js';
import { BEARER, callerOf, commandIdOf, refuseBody, settingsOf } from './requests.js';
import {
  DOWNLOAD_MEDIA_TYPES,
  downloadResponses,
  idempotencyHeaders,
  invoiceParams,
  journalParams,
  memberIdParams,
  NO_CONTENT,
  payeeBody,
  regionMonthParams,
  regionParams,
  responses,
  settlementAnswer,
  settlementConfigAnswer,
  settlementConfigBody,
  statementParams,
} from './schemas.js';
import {
  configureRegionRequest,
  downloadRequest,
  settlementConfigView,
  settlementView,
  summaryView,
} from './settlement-views.js';

/** The books' readers: the accountant and operators (DESIGN §1: the files are for them only). */
const BOOKS: Access = ['accountant', 'operator'];
const BOOK_ROLES = ['accountant', 'operator'] as const;

const DOWNLOAD_NOTE =
  'Content-Type is settlement’s media type of the file, Content-Disposition `attachment` with its file name; never cached (`Cache-Control: no-store`). A month that is not closed is `settlement.month_not_closed` (404).';

/**
 * The routes of settlement: a region's configuration (who issues and pays), a contractor's own
 * registration number, the close of a Tokyo month in one call, the closed month's summary and
 * settlement, and its files as downloads (each with settlement's media type and file name).
 * Settlement authorises every call again (a coordinator's region, an invoice's business, a
 * statement's member); the gateway checks roles, and that a business, a member or a
 * coordinator names her own business, herself or her region.
 */
/** The time budget of a month's close and of its files (other calls: the client's 5 s). */
export const LONG_CALL_DEADLINE_MS = 60_000;

export const registerSettlementRoutes = (app: FastifyInstance, upstreams: Upstreams): void => {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { settlement } = upstreams;
  // Closing a region's month, and writing a whole month's file, take seconds for a large region
  // (about 3 s for 2,000 members: settlement's bench): their calls get a longer budget.
  const longSettings = (request: FastifyRequest) => ({ ...settingsOf(request), deadlineMs: LONG_CALL_DEADLINE_MS });
  const download = async (
    request: FastifyRequest,
    reply: FastifyReply,
    kind: DownloadKindName,
    month: { readonly regionId: string; readonly month: string },
    subjectId?: string,
  ) => sendDownload(reply, await settlement.download(downloadRequest(kind, month, subjectId), longSettings(request)));

  // ---- a region's settlement ---------------------------------------------------------------------

  api.put(
    '/v1/regions/:regionId/settlement-config',
    {
      config: { access: ['operator'] },
      schema: {
        operationId: 'configureRegionSettlement',
        tags: ['settlement'],
        summary: 'Configure who issues the invoices and pays the members of a region',
        description:
          'An operator: the cooperative entity (name, registration number with its check digit, address), its bank account and Zengin 振込依頼人コード, the margin it keeps, the pay day, the invoice rounding and the pay-timing reading. Checked whole by settlement (`settlement.invalid_config` naming the field, `settlement.registration_number_check_digit`, `settlement.unknown_region`, `settlement.office_prefecture_mismatch`); the same configuration again changes nothing.',
        security: BEARER,
        params: regionParams,
        headers: idempotencyHeaders,
        body: settlementConfigBody,
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      await settlement.configureRegion(
        configureRegionRequest(commandIdOf(request), request.params.regionId, request.body),
        settingsOf(request),
      );
      return reply.code(204).send();
    },
  );

  api.get(
    '/v1/regions/:regionId/settlement-config',
    {
      config: { access: ['operator', 'accountant', 'coordinator'] },
      schema: {
        operationId: 'getRegionSettlementConfig',
        tags: ['settlement'],
        summary: 'A region’s settlement configuration',
        description:
          'Operators, the accountant, a coordinator of the region. `settlement.region_not_configured` (404) before its first configuration.',
        security: BEARER,
        params: regionParams,
        response: responses({ 200: settlementConfigAnswer }),
      },
    },
    async (request) => {
      requireRegionStaff(callerOf(request), request.params.regionId);
      return settlementConfigView(
        await settlement.getRegionConfig({ regionId: request.params.regionId }, settingsOf(request)),
      );
    },
  );

  api.put(
    '/v1/members/:memberId/invoice-registration',
    {
      config: { access: BOOKS },
      schema: {
        operationId: 'registerPayee',
        tags: ['settlement'],
        summary: 'Record a contractor’s own qualified-invoice registration number (or that she has none)',
        description:
          'An operator or the accountant, as checked against the NTA’s 公表サイト. A registered contractor is paid consumption tax on her fee; one without a number is not. Refused for an employee (`settlement.payee_not_contractor`), a member identity has not published (`settlement.member_not_found`) or forgotten (`settlement.member_forgotten`). The same number again changes nothing.',
        security: BEARER,
        params: memberIdParams,
        headers: idempotencyHeaders,
        body: payeeBody,
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      await settlement.registerPayee(
        {
          requestId: commandIdOf(request),
          memberId: request.params.memberId,
          invoiceRegistrationNumber: request.body.invoiceRegistrationNumber ?? '',
        },
        settingsOf(request),
      );
      return reply.code(204).send();
    },
  );

  // ---- a closed month --------------------------------------------------------------------------------

  api.post(
    '/v1/regions/:regionId/settlements/:month/close',
    {
      config: { access: ['operator', 'coordinator'] },
      preValidation: refuseBody,
      schema: {
        operationId: 'closeMonth',
        tags: ['settlement'],
        summary: 'Close a region’s Tokyo month: invoices, statements, transfers and journals, in one call',
        description:
          'An operator or a coordinator of the region, once the Tokyo month is over (`settlement.month_not_over`). Months close in order (`settlement.previous_month_open`, details `closeFirst`; `settlement.before_first_close`); a closed month never changes (`settlement.month_closed`): a late correction becomes an adjustment of the next close. A retry with the same Idempotency-Key answers the same close. Takes no body.',
        security: BEARER,
        params: regionMonthParams,
        headers: idempotencyHeaders,
        response: responses({ 200: { $ref: 'SettlementSummary#' } }),
      },
    },
    async (request) => {
      requireRegionStaff(callerOf(request), request.params.regionId);
      const { summary } = await settlement.closeMonth(
        { requestId: commandIdOf(request), regionId: request.params.regionId, month: request.params.month },
        longSettings(request),
      );
      return summaryView(summary);
    },
  );

  api.get(
    '/v1/regions/:regionId/settlements/:month',
    {
      config: { access: BOOKS },
      schema: {
        operationId: 'getSettlement',
        tags: ['settlement'],
        summary: 'A closed month: its summary and the whole settlement',
        description: 'The accountant and operators. `settlement.month_not_closed` (404) for a month not closed.',
        security: BEARER,
        params: regionMonthParams,
        response: responses({ 200: settlementAnswer }),
      },
    },
    async (request) =>
      settlementView(
        await settlement.getSettlement(
          { regionId: request.params.regionId, month: request.params.month },
          longSettings(request),
        ),
      ),
  );

  // ---- downloads ------------------------------------------------------------------------------------

  api.get(
    '/v1/regions/:regionId/settlements/:month/settlement.json',
    {
      config: { access: BOOKS },
      schema: {
        operationId: 'downloadSettlementJson',
        tags: ['settlement'],
        summary: 'Download the whole settlement as JSON',
        description: `The accountant and operators. ${DOWNLOAD_NOTE}`,
        security: BEARER,
        params: regionMonthParams,
        response: downloadResponses('The stored settlement, keys sorted (settlement-<region>-<month>.json).', [
          DOWNLOAD_MEDIA_TYPES.json,
        ]),
      },
    },
    async (request, reply) => download(request, reply, 'settlement_json', request.params),
  );

  const invoice = (format: 'json' | 'pdf') =>
    api.get(
      `/v1/regions/:regionId/settlements/:month/invoices/:businessId.${format}`,
      {
        config: { access: ['business', ...BOOK_ROLES] },
        schema: {
          operationId: format === 'pdf' ? 'downloadInvoicePdf' : 'downloadInvoiceJson',
          tags: ['settlement'],
          summary:
            format === 'pdf'
              ? 'Download a business’s invoice of the month as a PDF (適格請求書, in Japanese)'
              : 'Download a business’s invoice of the month as data (JSON)',
          description: `The business it is addressed to (\`auth.forbidden_business\` for another), the accountant, operators. \`settlement.invoice_not_found\` (404) when the month bills the business nothing. ${DOWNLOAD_NOTE}`,
          security: BEARER,
          params: invoiceParams,
          response: downloadResponses(`The invoice (invoice-<number>.${format}).`, [
            format === 'pdf' ? DOWNLOAD_MEDIA_TYPES.pdf : DOWNLOAD_MEDIA_TYPES.json,
          ]),
        },
      },
      async (request, reply) => {
        requireOwnBusinessOrAnyOf(callerOf(request), request.params.businessId, BOOK_ROLES);
        return download(request, reply, `invoice_${format}`, request.params, request.params.businessId);
      },
    );
  invoice('json');
  invoice('pdf');

  const statement = (format: 'json' | 'pdf') =>
    api.get(
      `/v1/regions/:regionId/settlements/:month/statements/:memberId.${format}`,
      {
        config: { access: ['member', ...BOOK_ROLES] },
        schema: {
          operationId: format === 'pdf' ? 'downloadStatementPdf' : 'downloadStatementJson',
          tags: ['settlement'],
          summary:
            format === 'pdf'
              ? 'Download a member’s payment statement of the month as a PDF (支払通知書, in Japanese)'
              : 'Download a member’s payment statement of the month as data (JSON)',
          description: `The member it pays (\`auth.forbidden_member\` for another), the accountant, operators. \`settlement.statement_not_found\` (404) when the month pays her nothing. ${DOWNLOAD_NOTE}`,
          security: BEARER,
          params: statementParams,
          response: downloadResponses(`The statement (statement-<number>.${format}).`, [
            format === 'pdf' ? DOWNLOAD_MEDIA_TYPES.pdf : DOWNLOAD_MEDIA_TYPES.json,
          ]),
        },
      },
      async (request, reply) => {
        requireSelfOrAnyOf(callerOf(request), request.params.memberId, BOOK_ROLES);
        return download(request, reply, `statement_${format}`, request.params, request.params.memberId);
      },
    );
  statement('json');
  statement('pdf');

  api.get(
    '/v1/regions/:regionId/settlements/:month/zengin.txt',
    {
      config: { access: BOOKS },
      schema: {
        operationId: 'downloadZenginFile',
        tags: ['settlement'],
        summary: 'Download the Zengin 総合振込 file of the contractors’ transfers',
        description: `The accountant and operators only. Fixed 120-byte records with CRLF in Shift_JIS (header, data, trailer, end), for the bank. ${DOWNLOAD_NOTE}`,
        security: BEARER,
        params: regionMonthParams,
        response: downloadResponses('The transfer file (zengin-<region>-<month>.txt).', [DOWNLOAD_MEDIA_TYPES.zengin]),
      },
    },
    async (request, reply) => download(request, reply, 'zengin', request.params),
  );

  api.get(
    '/v1/regions/:regionId/settlements/:month/journals/:vendor.csv',
    {
      config: { access: BOOKS },
      schema: {
        operationId: 'downloadJournal',
        tags: ['settlement'],
        summary: 'Download the month’s journal for freee, Money Forward or 弥生',
        description: `The accountant and operators. Each vendor’s own columns, tax-category names and encoding (弥生: Shift_JIS; freee and Money Forward: UTF-8). ${DOWNLOAD_NOTE}`,
        security: BEARER,
        params: journalParams,
        response: downloadResponses(
          'The journal (journal-<vendor>-<region>-<month>.csv).',
          DOWNLOAD_MEDIA_TYPES.journals,
        ),
      },
    },
    async (request, reply) => download(request, reply, `journal_${request.params.vendor}`, request.params),
  );

  api.get(
    '/v1/regions/:regionId/settlements/:month/payroll.csv',
    {
      config: { access: BOOKS },
      schema: {
        operationId: 'downloadPayrollCsv',
        tags: ['settlement'],
        summary: 'Download the employees’ gross wages and hours for the payroll software',
        description: `The accountant and operators. Income tax on wages and social insurance are the payroll software’s: settlement exports gross wages, minimum-wage top-ups and hours only. ${DOWNLOAD_NOTE}`,
        security: BEARER,
        params: regionMonthParams,
        response: downloadResponses('The payroll CSV (payroll-<region>-<month>.csv).', [DOWNLOAD_MEDIA_TYPES.payroll]),
      },
    },
    async (request, reply) => download(request, reply, 'payroll_csv', request.params),
  );
};
