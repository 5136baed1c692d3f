import {
  CommandHandler,
  commandKey,
  ForbiddenError,
  InProcessLocks,
  isUuid,
  NotFoundError,
  preview,
  ValidationError,
  type CommandContext,
  type DurableReadModel,
  type EventStore,
  type KeyedLocks,
  type ProjectionStore,
  type RecordedEvent,
} from '@workshare/eventsourcing';
import type { RegionSettlementConfigInput } from '../domain/config.js';
import type { JournalVendor } from '../domain/files/journals.js';
import type { Invoice, MonthSettlement, PaymentStatement, RegionSettlementConfig } from '../domain/model.js';
import {
  checkClose,
  isMonth,
  monthDecider,
  monthStream,
  type CloseRequest,
  type MonthCommand,
  type MonthEvent,
  type MonthState,
} from '../domain/month.js';
import { payeeDecider, payeeStream, type PayeeCommand, type PayeeEvent, type PayeeState } from '../domain/payee.js';
import {
  regionDecider,
  regionStream,
  type RegionCommand,
  type RegionEvent,
  type RegionState,
} from '../domain/region.js';
import { mayReadFiles, mayReadInvoice, mayReadRegionConfig, mayReadStatement } from './access.js';
import { Closes } from './closes.js';
import {
  invoiceJsonDownload,
  invoicePdfDownload,
  journalDownload,
  payrollDownload,
  settlementDownload,
  settlementJsonText,
  statementJsonDownload,
  statementPdfDownload,
  transferredMembers,
  zenginDownload,
  type Download,
  type PdfRenderer,
} from './downloads.js';
import { SettlementJobs } from './jobs.js';
import { Members } from './members.js';
import type { IdentityLookup } from './ports.js';
import { gatherCloseInput } from './snapshot.js';
import { Timesheets } from './timesheets.js';

export interface SettlementServiceOptions {
  readonly store: EventStore;
  /** Where the read models keep their state and checkpoints: settlement's schema. */
  readonly projections: ProjectionStore;
  readonly identity: IdentityLookup;
  readonly pdf: PdfRenderer;
  /** The regions' leases held across a close (default: the store's own, else in this process). */
  readonly locks?: KeyedLocks;
  /** Clock for the rules (a month is over) and the events' occurred-at. */
  readonly now?: () => Date;
  /** How stale queries of the read models may be for other processes' writes (default 100 ms). */
  readonly readStalenessMs?: number;
}

/** A close as its closer and the settlement's readers see it at a glance. */
export interface SettlementSummary {
  readonly regionId: string;
  readonly month: string;
  readonly closedAt: Date;
  readonly closedBy: string;
  /** SHA-256 of the canonical JSON of the close's input. */
  readonly inputDigest: string;
  readonly payDay: string;
  readonly totals: MonthSettlement['totals'];
  readonly invoiceCount: number;
  readonly statementCount: number;
  /** How many findings the close reported, by code. */
  readonly findings: Readonly<Record<string, number>>;
}

export interface RegionConfigView {
  readonly config: RegionSettlementConfig;
  readonly configuredAt: Date;
  readonly configuredBy: string;
  /** The configuration stream's version (number of changes minus one). */
  readonly version: number;
}

export interface MonthRef {
  readonly regionId: string;
  readonly month: string;
}

export type DocumentFormat = 'json' | 'pdf';

/** Every file of a closed month, as one request: what the gRPC Download takes. */
export type DownloadRequest = MonthRef &
  (
    | { readonly kind: 'settlement' }
    | { readonly kind: 'invoice'; readonly businessId: string; readonly format: DocumentFormat }
    | { readonly kind: 'statement'; readonly memberId: string; readonly format: DocumentFormat }
    | { readonly kind: 'zengin' }
    | { readonly kind: 'journal'; readonly vendor: JournalVendor }
    | { readonly kind: 'payroll' }
  );

/** What a statement of a forgotten member names her as: her personal data is gone (APPI, crypto-shredding). */
export const FORGOTTEN_NAME = '（個人情報消去済み）';

const REGION_ID = /^[a-z][a-z0-9_-]{0,63}$/;

const checkedRegionId = (regionId: string): string => {
  if (typeof regionId !== 'string' || !REGION_ID.test(regionId))
    throw new ValidationError('settlement.invalid_region_id', `${preview(regionId)} is not a region id`, {
      field: 'region_id',
    });
  return regionId;
};

const checkedMonth = (month: string): string => {
  if (typeof month !== 'string' || !isMonth(month))
    throw new ValidationError('settlement.invalid_month', `${preview(month)} is not a month YYYY-MM`, {
      field: 'month',
    });
  return month;
};

const checkedId = (id: string, field: 'member_id' | 'business_id'): string => {
  if (!isUuid(id))
    throw new ValidationError(`settlement.invalid_${field}`, `${preview(id)} is not a ${field.replace('_id', '')} id`, {
      field,
    });
  return id;
};

/** A person's command is known on its stream by `<caller id>:<request id>` (commandKey). */
const personsCommandId = (context: CommandContext): string => commandKey(context.actor.id, context.requestId ?? '');

const forbidden = (what: string): ForbiddenError =>
  new ForbiddenError('settlement.forbidden', `you may not read ${what}`);

const countBy = (codes: readonly string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const code of [...codes].sort()) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
};

const summaryOf = (state: Extract<MonthState, { status: 'closed' }>): SettlementSummary => {
  const s = state.settlement;
  return {
    regionId: s.regionId,
    month: s.month,
    closedAt: s.closedAt,
    closedBy: state.closedBy,
    inputDigest: state.inputDigest,
    payDay: s.payDay,
    totals: s.totals,
    invoiceCount: s.invoices.length,
    statementCount: s.statements.length,
    findings: countBy(s.findings.map((f) => f.code)),
  };
};

/**
 * The settlement service's application facade, one line per use case: every method takes the
 * command's context (who acts, the request id, the token, the trace) and its input. Who may
 * configure, record and close is the deciders' to say (src/domain); who may read what, access.ts.
 * Commands are idempotent by request id. The read models (jobs, timesheets, members, closes) are
 * folded from the published events of job intake, time tracking and identity, and settlement's own.
 */
export class SettlementService {
  private readonly regions: CommandHandler<RegionCommand, RegionEvent, RegionState>;
  private readonly payees: CommandHandler<PayeeCommand, PayeeEvent, PayeeState>;
  private readonly months: CommandHandler<MonthCommand, MonthEvent, MonthState>;
  private readonly jobs: SettlementJobs;
  private readonly timesheets: Timesheets;
  private readonly members: Members;
  private readonly closes: Closes;
  private readonly locks: KeyedLocks;
  private readonly now: () => Date;

  /** Its durable read models, for the ops API. */
  get readModels(): readonly DurableReadModel[] {
    return [this.jobs, this.timesheets, this.members, this.closes];
  }

  constructor(private readonly options: SettlementServiceOptions) {
    const { store, projections } = options;
    this.regions = new CommandHandler({ store, decider: regionDecider });
    this.payees = new CommandHandler({ store, decider: payeeDecider });
    this.months = new CommandHandler({ store, decider: monthDecider });
    const staleness = options.readStalenessMs !== undefined ? { maxStalenessMs: options.readStalenessMs } : {};
    this.jobs = new SettlementJobs(store, projections, staleness);
    this.timesheets = new Timesheets(store, projections, staleness);
    this.members = new Members(store, projections, staleness);
    this.closes = new Closes(store, projections, staleness);
    this.locks = options.locks ?? store.locks ?? new InProcessLocks();
    this.now = options.now ?? (() => new Date());
  }

  /** An operator sets (or changes) who issues and pays for a region; identity says where its office is. */
  async configureRegion(context: CommandContext, config: RegionSettlementConfigInput): Promise<void> {
    const regionId = checkedRegionId(config.regionId);
    const officePrefecture = await this.options.identity.officePrefecture(regionId);
    await this.regions.handle(
      regionStream(regionId),
      { type: 'ConfigureRegion', config, officePrefecture, by: context.actor },
      { context, commandId: personsCommandId(context), now: this.now },
    );
  }

  /** The region's configuration, for operators, the accountant and the region's coordinators. */
  async getRegionConfig(context: CommandContext, regionId: string): Promise<RegionConfigView> {
    if (!mayReadRegionConfig(context.actor, checkedRegionId(regionId)))
      throw forbidden(`${regionId}'s settlement configuration`);
    const { state, version, events } = await this.regions.load(regionStream(regionId));
    const last = events[events.length - 1];
    if (state.status !== 'configured' || last === undefined || version === undefined)
      throw new NotFoundError('settlement.region_not_configured', `${regionId} has no settlement configuration`);
    return { config: state.config, configuredAt: last.occurredAt, configuredBy: last.data.configuredBy, version };
  }

  /** An operator or the accountant records a contractor's own registration number (or that she has none). */
  async registerPayee(
    context: CommandContext,
    input: { readonly memberId: string; readonly invoiceRegistrationNumber: string | null },
  ): Promise<void> {
    const memberId = checkedId(input.memberId, 'member_id');
    await this.members.catchUp();
    const result = await this.payees.handle(
      payeeStream(memberId),
      { type: 'RegisterPayee', ...input, member: this.members.member(memberId), by: context.actor },
      { context, commandId: personsCommandId(context), now: this.now },
    );
    await this.members.observe(result.events);
  }

  /**
   * An operator or the region's coordinator closes a Tokyo month: under the region's lease (its
   * closes take turns, in order), the refusals are checked before the facts are gathered, then
   * the snapshot is taken and the decider closes it. A retry with the same request id answers
   * the close it made.
   */
  async closeMonth(context: CommandContext, ref: MonthRef): Promise<SettlementSummary> {
    const regionId = checkedRegionId(ref.regionId);
    const month = checkedMonth(ref.month);
    const commandId = personsCommandId(context);
    return this.locks.withLocks([`settlement-close:${regionId}`], async () => {
      const stream = monthStream(regionId, month);
      const { state, events } = await this.months.load(stream);
      if (state.status === 'closed' && events.some((e) => e.metadata.commandId === commandId)) return summaryOf(state);
      await this.closes.catchUp();
      const region = (await this.regions.load(regionStream(regionId))).state;
      const at = this.now();
      const request: CloseRequest = {
        regionId,
        month,
        at,
        by: context.actor,
        configured: region.status === 'configured',
        closedMonths: this.closes.closedMonths(regionId),
      };
      checkClose(request, state);
      if (region.status !== 'configured') throw new TypeError('checkClose lets no unconfigured region through');
      const input = await gatherCloseInput(this.sources(), {
        config: region.config,
        month,
        closedAt: at,
        token: context.token,
      });
      const result = await this.months.handle(
        stream,
        { type: 'CloseMonth', ...request, input },
        { context, commandId, now: () => at },
      );
      await this.closes.observe(result.events as readonly RecordedEvent[]);
      if (result.state.status !== 'closed') throw new TypeError('a close that went through leaves its month closed');
      return summaryOf(result.state);
    });
  }

  /** The whole closed month as JSON, with its summary: the accountant and operators. */
  async getSettlement(context: CommandContext, ref: MonthRef): Promise<{ summary: SettlementSummary; json: string }> {
    if (!mayReadFiles(context.actor)) throw forbidden('a settlement');
    const state = await this.closed(ref);
    return { summary: summaryOf(state), json: settlementJsonText(state.settlement, state.inputDigest) };
  }

  /** A business's invoice of the month (JSON or PDF): the business, the accountant, operators. */
  async invoice(
    context: CommandContext,
    ref: MonthRef & { readonly businessId: string; readonly format: DocumentFormat },
  ): Promise<Download> {
    const businessId = checkedId(ref.businessId, 'business_id');
    if (!mayReadInvoice(context.actor, businessId)) throw forbidden("this business's invoice");
    const { settlement } = await this.closed(ref);
    const invoice = findInvoice(settlement, businessId);
    return ref.format === 'pdf'
      ? invoicePdfDownload(this.options.pdf, settlement, invoice)
      : invoiceJsonDownload(settlement, invoice);
  }

  /** A member's payment statement of the month (JSON or PDF): the member, the accountant, operators. */
  async statement(
    context: CommandContext,
    ref: MonthRef & { readonly memberId: string; readonly format: DocumentFormat },
  ): Promise<Download> {
    const memberId = checkedId(ref.memberId, 'member_id');
    if (!mayReadStatement(context.actor, memberId)) throw forbidden("this member's statement");
    const { settlement } = await this.closed(ref);
    const statement = findStatement(settlement, memberId);
    if (ref.format === 'json') return statementJsonDownload(settlement, statement);
    const name = (await this.options.identity.memberName(memberId, context.token)) ?? FORGOTTEN_NAME;
    return statementPdfDownload(this.options.pdf, settlement, statement, name);
  }

  /**
   * The Zengin 総合振込 file of the month's contractor transfers: the accountant and operators.
   * The bank accounts are read from identity with the caller's own token for the time the file is
   * written, then dropped: never stored, never logged.
   */
  async zenginFile(context: CommandContext, ref: MonthRef): Promise<Download> {
    if (!mayReadFiles(context.actor)) throw forbidden('the transfer file');
    const { settlement } = await this.closed(ref);
    const accounts = await this.options.identity.bankAccounts(transferredMembers(settlement), context.token);
    return zenginDownload(settlement, accounts);
  }

  /** The month's journal for freee, Money Forward or 弥生: the accountant and operators. */
  async journal(context: CommandContext, ref: MonthRef & { readonly vendor: JournalVendor }): Promise<Download> {
    if (!mayReadFiles(context.actor)) throw forbidden('the journal');
    return journalDownload((await this.closed(ref)).settlement, ref.vendor);
  }

  /** The employees' gross wages and hours for the payroll software: the accountant and operators. */
  async payrollCsv(context: CommandContext, ref: MonthRef): Promise<Download> {
    if (!mayReadFiles(context.actor)) throw forbidden('the payroll export');
    return payrollDownload((await this.closed(ref)).settlement);
  }

  /** Any file of a closed month by kind (the gRPC Download). */
  async download(context: CommandContext, request: DownloadRequest): Promise<Download> {
    switch (request.kind) {
      case 'settlement': {
        if (!mayReadFiles(context.actor)) throw forbidden('a settlement');
        const state = await this.closed(request);
        return settlementDownload(state.settlement, state.inputDigest);
      }
      case 'invoice':
        return this.invoice(context, request);
      case 'statement':
        return this.statement(context, request);
      case 'zengin':
        return this.zenginFile(context, request);
      case 'journal':
        return this.journal(context, request);
      case 'payroll':
        return this.payrollCsv(context, request);
    }
  }

  /** Brings every read model up to date with the whole log now (tests; a rebuilt model starts here). */
  async refreshReadModels(): Promise<void> {
    await Promise.all(this.readModels.map((model) => model.catchUp()));
  }

  // ---- internals ----------------------------------------------------------------------------

  private sources() {
    return {
      store: this.options.store,
      jobs: this.jobs,
      timesheets: this.timesheets,
      members: this.members,
      closes: this.closes,
      identity: this.options.identity,
    };
  }

  /** A closed month's state, or `settlement.month_not_closed` (not_found). */
  private async closed(ref: MonthRef): Promise<Extract<MonthState, { status: 'closed' }>> {
    const regionId = checkedRegionId(ref.regionId);
    const month = checkedMonth(ref.month);
    const { state } = await this.months.load(monthStream(regionId, month));
    if (state.status !== 'closed')
      throw new NotFoundError('settlement.month_not_closed', `${regionId} ${month} is not closed`, { regionId, month });
    return state;
  }
}

const findInvoice = (settlement: MonthSettlement, businessId: string): Invoice => {
  const invoice = settlement.invoices.find((i) => i.recipient.businessId === businessId);
  if (invoice === undefined)
    throw new NotFoundError(
      'settlement.invoice_not_found',
      `${settlement.regionId} ${settlement.month} has no invoice to business ${businessId}`,
      { businessId },
    );
  return invoice;
};

const findStatement = (settlement: MonthSettlement, memberId: string): PaymentStatement => {
  const statement = settlement.statements.find((s) => s.memberId === memberId);
  if (statement === undefined)
    throw new NotFoundError(
      'settlement.statement_not_found',
      `${settlement.regionId} ${settlement.month} has no statement for member ${memberId}`,
      { memberId },
    );
  return statement;
};
