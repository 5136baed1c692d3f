/**
 * Reconciliation of a region's Tokyo month (電子帳簿保存法: every yen of the books traced to the
 * transactions behind it): the month recomputed from the source facts (reconciliation-facts.ts),
 * turned into the documents those facts call for (invoices, payment statements, transfers, journal
 * lines), each traced to its jobs, tasks, members and approved entries, then compared with what
 * the close's documents say, document by document and line by line. Pure.
 *
 * - `amountYen` is what the document says, `tracedYen` what the facts give, `differenceYen` =
 *   amountYen − tracedYen; the sources of a document add up to its tracedYen exactly.
 * - A document's lines are matched by job and origin (this month, or the month an adjustment
 *   corrects); an invoice by its business, a statement and a transfer by the member, a journal
 *   entry by its kind and counterparty (an invoice's business, a member), a journal line by its
 *   account, sub-account and side.
 * - `differences` names every document whose difference is not 0 and why (each line that differs,
 *   lines or documents that trace to nothing, amounts of the facts no document carries), plus the
 *   checks that failed (an unbalanced journal entry, a configuration other than the region's,
 *   approved time on a job the facts do not know).
 * - A month not closed yet (`close` null): `closed` false; its documents are those the facts so
 *   far call for, numbered as the close would number them, each with amountYen = tracedYen (there
 *   is nothing to compare yet), and no differences but the failed checks.
 */
import {
  consumptionTax,
  contractorConsumptionTax,
  splitPool,
  withholdingApplies,
  withholdingTax,
  type Invoice,
  type JournalEntry,
  type JournalLine,
  type LineOrigin,
  type MonthSettlement,
  type PaymentStatement,
} from '@workshare/settlement';
import { tokyoDate } from '@workshare/time';
import type { ReconciledDocument, Reconciliation, TraceSource } from '../contract.js';
import {
  expectedAdjustments,
  expectedMonth,
  indexFacts,
  sumMinutes,
  type EntryPiece,
  type ExpectedAdjustment,
  type ExpectedJob,
  type ExpectedMonth,
  type IndexedFacts,
  type ReconciliationFacts,
} from './reconciliation-facts.js';

export interface ReconciliationInput extends ReconciliationFacts {
  /** The month's close as its events hold it, or null while the month is open. */
  readonly close: MonthSettlement | null;
  /** The region's closes before the month (their recorded amounts are what adjustments correct). */
  readonly earlier: readonly MonthSettlement[];
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const yen = (value: bigint): number => Number(value);
/** `¥1,234` / `−¥1,234` (grouped by hand: Intl is slow for the hundreds of thousands of notes of a large month). */
const fmt = (value: bigint): string => {
  const digits = (value < 0n ? -value : value).toString();
  let grouped = '';
  for (let i = digits.length; i > 0; i -= 3)
    grouped = digits.slice(Math.max(0, i - 3), i) + (grouped === '' ? '' : `,${grouped}`);
  return `${value < 0n ? '−' : ''}¥${grouped}`;
};
const compact = (month: string): string => month.replace('-', '');
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const hours = (minutes: number): string => `${Math.floor(minutes / 60)}h${pad(minutes % 60, 2)}m`;

// ---- expected documents -----------------------------------------------------------------------------

type OriginKey = string;
const originKey = (origin: LineOrigin): OriginKey => (origin.kind === 'current' ? 'current' : origin.correctsMonth);
const originLabel = (key: OriginKey, month: string): string => (key === 'current' ? `${month}分` : `${key}分の訂正`);

/** A line of an expected document: its signed amount (a 返還 is negative) and what it comes from. */
interface TracedLine {
  readonly key: string;
  /** What the line is, in words; a job's line has its title instead (the words are made only for a difference). */
  readonly label?: string;
  readonly title?: string;
  readonly amountYen: bigint;
  readonly sources: readonly TraceSource[];
}

interface ExpectedDocument {
  readonly kind: ReconciledDocument['kind'];
  /** What matches it to a document: `business:<id>`, `member:<id>`, `<journal kind>:<business or member>`. */
  readonly matchKey: string;
  readonly counterparty: string;
  readonly lines: readonly TracedLine[];
}

const source = (
  s: Partial<Omit<TraceSource, 'amountYen'>> & { readonly amountYen: bigint; readonly note: string },
): TraceSource => ({
  jobId: s.jobId ?? null,
  taskId: s.taskId ?? null,
  memberId: s.memberId ?? null,
  entryIds: s.entryIds ?? [],
  minutes: s.minutes ?? 0,
  amountYen: yen(s.amountYen),
  note: s.note,
});

/** The entries of pieces in entry-id order (pieces come in that order, an entry's days one after another). */
const entryIdsOf = (pieces: readonly EntryPiece[]): string[] => {
  const ids: string[] = [];
  for (const p of pieces) if (ids[ids.length - 1] !== p.entryId) ids.push(p.entryId);
  return ids;
};

/**
 * An amount split by minutes to the yen, largest remainder (ties: more minutes, then key): the
 * parts add up to the amount exactly. In numbers while amount × minutes stays exact (always, at
 * the cooperative's amounts), else by settlement's splitPool.
 */
const splitByMinutes = (
  amountYen: bigint,
  claims: readonly { readonly key: string; readonly minutes: number }[],
): bigint[] => {
  let total = 0;
  for (const c of claims) total += c.minutes;
  const amount = Number(amountYen);
  if (!Number.isSafeInteger(amount * total)) {
    const byKey = new Map(
      splitPool(
        amountYen,
        claims.map((c) => ({ memberId: c.key, minutes: c.minutes })),
      ).map((p) => [p.memberId, p.shareYen]),
    );
    return claims.map((c) => byKey.get(c.key)!);
  }
  const base = claims.map((c) => Math.floor((amount * c.minutes) / total));
  let residue = amount - base.reduce((s, x) => s + x, 0);
  if (residue > 0) {
    const order = claims
      .map((c, i) => ({ i, remainder: (amount * c.minutes) % total, minutes: c.minutes, key: c.key }))
      .sort((x, y) => y.remainder - x.remainder || y.minutes - x.minutes || byString(x.key, y.key));
    for (const o of order) {
      if (residue === 0) break;
      base[o.i]!++;
      residue--;
    }
  }
  return base.map((x) => BigInt(x));
};

const traceSource = (
  jobId: string,
  taskId: string | null,
  memberId: string | null,
  pieces: readonly EntryPiece[],
  amountYen: bigint,
  note: string,
): TraceSource => ({
  jobId,
  taskId,
  memberId,
  entryIds: entryIdsOf(pieces),
  minutes: sumMinutes(pieces),
  amountYen: Number(amountYen),
  note,
});

/**
 * An amount traced to the tasks of the time it rests on: split by task minutes (largest remainder,
 * so the parts add up exactly), one source per task with its entries (tasks in id order); with no
 * time, one source.
 */
const byTask = (
  amountYen: bigint,
  pieces: readonly EntryPiece[],
  jobId: string,
  memberId: string | null,
  note: string,
): TraceSource[] => {
  const tasks = new Map<string, EntryPiece[]>();
  for (const p of pieces) {
    const list = tasks.get(p.taskId);
    if (list) list.push(p);
    else tasks.set(p.taskId, [p]);
  }
  if (tasks.size === 1) {
    const [taskId] = tasks.keys();
    return [traceSource(jobId, taskId!, memberId, pieces, amountYen, note)];
  }
  if (tasks.size === 0 || amountYen < 0n) return [traceSource(jobId, null, memberId, pieces, amountYen, note)];
  const keys = [...tasks.keys()].sort(byString);
  const parts = splitByMinutes(
    amountYen,
    keys.map((key) => ({ key, minutes: sumMinutes(tasks.get(key)!) })),
  );
  return keys.map((taskId, i) => traceSource(jobId, taskId, memberId, tasks.get(taskId)!, parts[i]!, note));
};

const billingNote = (j: ExpectedJob): string =>
  j.pricing.kind === 'fixed_price'
    ? `請負 (fixed price): 検収 ${tokyoDate(j.job.inspectionAcceptedAt!)}、代金 ${fmt(j.billedYen)}`
    : `準委任 (hourly): 承認済み ${hours(j.billedMinutes!)} × ${fmt(j.pricing.hourlyRateYen)}/h、1円未満切捨て = ${fmt(j.billedYen)}`;

const adjustmentNote = (a: ExpectedAdjustment): string =>
  `${a.correctsMonth}分の訂正: 現在の事実で ${fmt(a.nowBilledYen)}、計上済み ${fmt(a.recordedBilledYen)}`;

interface ExpectedSet {
  readonly invoices: ExpectedDocument[];
  readonly statements: ExpectedDocument[];
  readonly transfers: ExpectedDocument[];
  readonly journal: { readonly doc: ExpectedDocument; readonly lines: readonly ExpectedJournalLine[] }[];
}

interface ExpectedJournalLine {
  readonly side: JournalLine['side'];
  readonly account: JournalLine['account'];
  readonly subAccount: string | null;
  readonly amountYen: bigint;
  readonly note: string;
}

const TAX_NOTE = (rounding: string) => `消費税 10%（請求書ごと・税率ごとに1回、${rounding}）`;

const ROUNDING_LABEL: Readonly<Record<string, string>> = {
  floor: '切捨て',
  round_half_up: '四捨五入',
  ceil: '切上げ',
};

/** What the facts call for in the month: every document, line by line, with its sources. */
const expectedDocuments = (
  index: IndexedFacts,
  earlier: readonly MonthSettlement[],
  businessNames: ReadonlyMap<string, string>,
  current: ExpectedMonth,
): { readonly set: ExpectedSet; readonly unknownJobs: readonly string[]; readonly ratesMissing: readonly string[] } => {
  const { config } = index.facts;
  const adjustments = expectedAdjustments(index, earlier);

  // Invoices: per business, this month's lines and the adjustments (a decrease is a 返還, negative here).
  const perBusiness = new Map<string, { lines: TracedLine[]; returns: TracedLine[] }>();
  const billing = (businessId: string) => {
    let b = perBusiness.get(businessId);
    if (!b) perBusiness.set(businessId, (b = { lines: [], returns: [] }));
    return b;
  };
  for (const j of current.jobs) {
    if (j.billedYen === 0n) continue;
    const sources =
      j.pricing.kind === 'hourly'
        ? byTask(j.billedYen, j.pieces, j.job.jobId, null, billingNote(j))
        : [source({ jobId: j.job.jobId, amountYen: j.billedYen, note: billingNote(j) })];
    billing(j.job.businessId).lines.push({
      key: `${j.job.jobId}|current`,
      title: j.job.title,
      amountYen: j.billedYen,
      sources,
    });
  }
  for (const a of adjustments.jobs) {
    if (a.billedYen === 0n) continue;
    const line: TracedLine = {
      key: `${a.job.jobId}|${a.correctsMonth}`,
      title: a.job.title,
      amountYen: a.billedYen,
      sources: [source({ jobId: a.job.jobId, amountYen: a.billedYen, note: adjustmentNote(a) })],
    };
    if (a.billedYen > 0n) billing(a.job.businessId).lines.push(line);
    else billing(a.job.businessId).returns.push(line);
  }
  const rounding = config.invoiceRounding;
  const invoices: ExpectedDocument[] = [...perBusiness.keys()].sort(byString).map((businessId) => {
    const { lines, returns } = perBusiness.get(businessId)!;
    const amount = lines.reduce((s, l) => s + l.amountYen, 0n);
    const returned = -returns.reduce((s, l) => s + l.amountYen, 0n);
    const all: TracedLine[] = [...lines];
    if (lines.length > 0)
      all.push({
        key: 'tax|lines',
        label: '消費税 (10%)',
        amountYen: consumptionTax(amount, rounding),
        sources: [
          source({
            amountYen: consumptionTax(amount, rounding),
            note: `${TAX_NOTE(ROUNDING_LABEL[rounding]!)} on ${fmt(amount)}`,
          }),
        ],
      });
    all.push(...returns);
    if (returns.length > 0) {
      const tax = -consumptionTax(returned, rounding);
      all.push({
        key: 'tax|returns',
        label: '返還の消費税 (10%)',
        amountYen: tax,
        sources: [source({ amountYen: tax, note: `返還: ${TAX_NOTE(ROUNDING_LABEL[rounding]!)} on ${fmt(returned)}` })],
      });
    }
    return {
      kind: 'invoice',
      matchKey: `business:${businessId}`,
      counterparty: businessNames.get(businessId) ?? businessId,
      lines: all,
    };
  });

  // Statements: per member, her shares (this month's, then adjustments), tax, withholding, top-ups.
  const pay = new Map<string, { line: TracedLine; withheld: boolean }[]>();
  const addPay = (memberId: string, line: TracedLine, withheld: boolean) => {
    const list = pay.get(memberId);
    if (list) list.push({ line, withheld });
    else pay.set(memberId, [{ line, withheld }]);
  };
  for (const j of current.jobs) {
    const poolNote = `分配: ${fmt(j.billedYen)} − 手数料 ${fmt(j.marginYen)} = ${fmt(j.poolYen)} を承認時間 ${hours(sumMinutes(j.pieces))} で按分`;
    for (const s of j.shares)
      addPay(
        s.memberId,
        {
          key: `${j.job.jobId}|current`,
          title: j.job.title,
          amountYen: s.shareYen,
          sources: byTask(s.shareYen, s.pieces, j.job.jobId, s.memberId, poolNote),
        },
        withholdingApplies(j.job.workCategory),
      );
  }
  for (const a of adjustments.jobs)
    for (const s of a.shares)
      if (s.shareYen !== 0n)
        addPay(
          s.memberId,
          {
            key: `${a.job.jobId}|${a.correctsMonth}`,
            title: a.job.title,
            amountYen: s.shareYen,
            sources: [
              source({
                jobId: a.job.jobId,
                memberId: s.memberId,
                minutes: s.minutes,
                amountYen: s.shareYen,
                note: `${a.correctsMonth}分の訂正: 現在の事実で ${fmt(s.nowYen)}、支払済み ${fmt(s.recordedYen)}`,
              }),
            ],
          },
          withholdingApplies(a.job.workCategory),
        );
  const memberIds = new Set<string>([
    ...pay.keys(),
    ...current.employees.keys(),
    ...adjustments.topUps.map((t) => t.memberId),
  ]);
  const statements: ExpectedDocument[] = [];
  const transfers: ExpectedDocument[] = [];
  const journal: ExpectedSet['journal'] = [];
  const ratesMissing: string[] = [];
  for (const memberId of [...memberIds].sort(byString)) {
    const member = index.members.get(memberId) ?? { memberId, contractType: 'contractor' as const, registered: false };
    const paid = (pay.get(memberId) ?? []).sort((a, b) => byString(a.line.key, b.line.key));
    const lines: TracedLine[] = paid.map((p) => p.line);
    const feeYen = lines.reduce((s, l) => s + l.amountYen, 0n);
    let payableYen: bigint;
    if (member.contractType === 'contractor') {
      const taxYen = contractorConsumptionTax(feeYen, member.registered);
      const withheldBase = paid.filter((p) => p.withheld).reduce((s, p) => s + p.line.amountYen, 0n);
      const withholdingYen = withholdingTax(withheldBase);
      if (taxYen !== 0n)
        lines.push({
          key: 'tax',
          label: '消費税 (10%, 適格請求書発行事業者)',
          amountYen: taxYen,
          sources: [source({ memberId, amountYen: taxYen, note: `登録番号あり: 報酬 ${fmt(feeYen)} の10%、切捨て` })],
        });
      if (withholdingYen !== 0n)
        lines.push({
          key: 'withholding',
          label: '源泉徴収税額',
          amountYen: -withholdingYen,
          sources: [
            source({
              memberId,
              amountYen: -withholdingYen,
              note: `所得税法204条: 対象報酬 ${fmt(withheldBase)} に 10.21%（100万円超は20.42%）、1円未満切捨て`,
            }),
          ],
        });
      payableYen = feeYen + taxYen - withholdingYen;
      const purchase = feeYen + taxYen;
      journal.push({
        doc: { kind: 'journal', matchKey: `contractor_fee:${memberId}`, counterparty: memberId, lines: [] },
        lines: [
          {
            side: 'debit',
            account: 'outsourcing',
            subAccount: null,
            amountYen: purchase,
            note: `外注費: 報酬 ${fmt(feeYen)} + 消費税 ${fmt(taxYen)}`,
          },
          {
            side: 'credit',
            account: 'bank',
            subAccount: null,
            amountYen: payableYen > 0n ? payableYen : 0n,
            note: '普通預金: 振込額',
          },
          {
            side: 'credit',
            account: 'withholding_payable',
            subAccount: '源泉所得税',
            amountYen: withholdingYen,
            note: '預り金: 源泉所得税',
          },
          {
            side: 'debit',
            account: 'accrued',
            subAccount: null,
            amountYen: payableYen < 0n ? -payableYen : 0n,
            note: '未払金: 返還されるべき額',
          },
        ],
      });
      if (payableYen > 0n)
        transfers.push({
          kind: 'transfer',
          matchKey: `member:${memberId}`,
          counterparty: memberId,
          lines: [
            {
              key: 'payable',
              label: '振込額',
              amountYen: payableYen,
              sources: [
                source({ memberId, amountYen: payableYen, note: '支払通知書の支払額 (報酬 + 消費税 − 源泉徴収税額)' }),
              ],
            },
          ],
        });
    } else {
      const check = current.employees.get(memberId);
      if (check && check.daysWithoutRate.length > 0)
        ratesMissing.push(`${memberId}: ${check.daysWithoutRate.join(', ')}`);
      const topUps = adjustments.topUps.filter((t) => t.memberId === memberId);
      const topUpYen = (check?.topUpYen ?? 0n) + topUps.reduce((s, t) => s + t.topUpYen, 0n);
      if (check && check.topUpYen !== 0n)
        lines.push({
          key: 'topup|current',
          label: '最低賃金補填',
          amountYen: check.topUpYen,
          sources: [
            source({
              memberId,
              minutes: check.minutes,
              amountYen: check.topUpYen,
              note: `最低賃金 ${fmt(check.minimumYen)}（${hours(check.minutes)}、日ごとの時給、切上げ）− 賃金 ${fmt(check.wagesYen)}`,
            }),
          ],
        });
      for (const t of topUps)
        lines.push({
          key: `topup|${t.correctsMonth}`,
          label: `最低賃金補填 ${t.correctsMonth}分の訂正`,
          amountYen: t.topUpYen,
          sources: [source({ memberId, amountYen: t.topUpYen, note: `${t.correctsMonth}分の補填の差額` })],
        });
      payableYen = feeYen + topUpYen;
      journal.push({
        doc: { kind: 'journal', matchKey: `wages:${memberId}`, counterparty: memberId, lines: [] },
        lines: [
          { side: 'debit', account: 'wages', subAccount: null, amountYen: feeYen, note: '給料手当: 賃金' },
          {
            side: 'debit',
            account: 'wages',
            subAccount: '最低賃金補填',
            amountYen: topUpYen,
            note: '給料手当: 最低賃金補填',
          },
          { side: 'credit', account: 'accrued', subAccount: null, amountYen: payableYen, note: '未払金: 支払額' },
        ],
      });
    }
    statements.push({ kind: 'statement', matchKey: `member:${memberId}`, counterparty: memberId, lines });
  }

  // Journal: an entry per invoice (sale, and its 返還 part), per contractor, per employee.
  const sales: ExpectedSet['journal'] = [];
  for (const invoice of invoices) {
    const businessId = invoice.matchKey.slice('business:'.length);
    const lineSum = (ls: readonly TracedLine[]) => ls.reduce((s, l) => s + l.amountYen, 0n);
    const soldLines = invoice.lines.filter(
      (l) => l.key === 'tax|lines' || (l.key !== 'tax|returns' && l.amountYen > 0n),
    );
    const returned = invoice.lines.filter(
      (l) => l.key === 'tax|returns' || (l.key !== 'tax|lines' && l.amountYen < 0n),
    );
    const soldTotal = lineSum(soldLines);
    const soldTax = invoice.lines.find((l) => l.key === 'tax|lines')?.amountYen ?? 0n;
    if (soldLines.length > 0)
      sales.push({
        doc: { kind: 'journal', matchKey: `sale:${businessId}`, counterparty: invoice.counterparty, lines: [] },
        lines: [
          {
            side: 'debit',
            account: 'receivable',
            subAccount: null,
            amountYen: soldTotal,
            note: '売掛金: 請求額 (税込)',
          },
          {
            side: 'credit',
            account: 'sales',
            subAccount: null,
            amountYen: soldTotal,
            note: `売上高 (税込、うち消費税 ${fmt(soldTax)})`,
          },
        ],
      });
    const returnedTotal = -lineSum(returned);
    if (returned.length > 0)
      sales.push({
        doc: { kind: 'journal', matchKey: `sale_return:${businessId}`, counterparty: invoice.counterparty, lines: [] },
        lines: [
          { side: 'debit', account: 'sales', subAccount: null, amountYen: returnedTotal, note: '売上高: 返還 (税込)' },
          {
            side: 'credit',
            account: 'receivable',
            subAccount: null,
            amountYen: returnedTotal,
            note: '売掛金: 返還 (税込)',
          },
        ],
      });
  }
  return {
    set: { invoices, statements, transfers, journal: [...sales, ...journal] },
    unknownJobs: adjustments.unknownJobs,
    ratesMissing,
  };
};

// ---- the documents as the close wrote them --------------------------------------------------------

interface DocumentLine {
  readonly key: string;
  readonly label?: string;
  readonly title?: string;
  readonly amountYen: bigint;
}

/** A line's words: its label, or a job line's title, job and the month it is for (from its key `<job>|<origin>`). */
const labelOf = (line: DocumentLine, month: string): string => {
  if (line.label !== undefined) return line.label;
  const [jobId, origin] = line.key.split('|') as [string, string];
  return `${line.title ?? ''} (${jobId}) ${originLabel(origin, month)}`;
};

interface ActualDocument {
  readonly kind: ReconciledDocument['kind'];
  readonly id: string;
  readonly matchKey: string;
  readonly counterparty: string;
  readonly amountYen: bigint;
  readonly lines: readonly DocumentLine[];
}

const invoiceLines = (invoice: Invoice): DocumentLine[] => {
  const lines: DocumentLine[] = invoice.lines.map((l) => ({
    key: `${l.jobId}|${originKey(l.origin)}`,
    title: l.title,
    amountYen: l.amountYen,
  }));
  const tax = invoice.totals.reduce((s, t) => s + t.taxYen, 0n);
  if (invoice.lines.length > 0) lines.push({ key: 'tax|lines', label: '消費税 (10%)', amountYen: tax });
  for (const r of invoice.returns)
    lines.push({
      key: `${r.jobId}|${originKey(r.origin)}`,
      title: r.title,
      amountYen: -r.amountYen,
    });
  if (invoice.returns.length > 0)
    lines.push({
      key: 'tax|returns',
      label: '返還の消費税 (10%)',
      amountYen: -invoice.returnTotals.reduce((s, t) => s + t.taxYen, 0n),
    });
  return lines;
};

const statementLines = (s: PaymentStatement): DocumentLine[] => {
  const lines: DocumentLine[] = s.lines.map((l) => ({
    key: `${l.jobId}|${originKey(l.origin)}`,
    title: l.title,
    amountYen: l.shareYen,
  }));
  if (s.consumptionTaxYen !== 0n)
    lines.push({ key: 'tax', label: '消費税 (10%, 適格請求書発行事業者)', amountYen: s.consumptionTaxYen });
  if (s.withholdingYen !== 0n) lines.push({ key: 'withholding', label: '源泉徴収税額', amountYen: -s.withholdingYen });
  if (s.minimumWage && s.minimumWage.topUpYen !== 0n)
    lines.push({ key: 'topup|current', label: '最低賃金補填', amountYen: s.minimumWage.topUpYen });
  for (const t of s.topUpAdjustments ?? [])
    lines.push({
      key: `topup|${t.correctsMonth}`,
      label: `最低賃金補填 ${t.correctsMonth}分の訂正`,
      amountYen: t.topUpYen,
    });
  return lines;
};

/** The transfer of a statement, as the Zengin file writes it: a contractor's payable above zero. */
const transferId = (statementNumber: string): string => `${statementNumber}/振込`;

/** A journal line's document id: the entry's number and the line's place in it. */
export const journalLineId = (regionId: string, month: string, entryNumber: number, line: number): string =>
  `JNL-${regionId}-${compact(month)}-${pad(entryNumber, 4)}-${line + 1}`;

const ACCOUNT_LABEL: Readonly<Record<JournalLine['account'], string>> = {
  receivable: '売掛金',
  sales: '売上高',
  outsourcing: '外注費',
  bank: '普通預金',
  withholding_payable: '預り金',
  wages: '給料手当',
  accrued: '未払金',
};

const journalLineKey = (l: {
  readonly account: string;
  readonly subAccount: string | null;
  readonly side: string;
}): string => `${l.account}|${l.subAccount ?? ''}|${l.side}`;

const journalMatchKey = (entry: JournalEntry, invoiceBusiness: ReadonlyMap<string, string>): string => {
  if (entry.kind === 'sale' || entry.kind === 'sale_return') {
    const number = /INV-\S+?-\d{6}-\d{3}/.exec(entry.description)?.[0];
    return `${entry.kind}:${(number && invoiceBusiness.get(number)) ?? `?${entry.counterparty}`}`;
  }
  return `${entry.kind}:${entry.counterparty}`;
};

// ---- comparison -----------------------------------------------------------------------------------

interface Difference {
  readonly documentId: string | null;
  readonly differenceYen: number;
  readonly explanation: string;
}

const KIND_LABEL: Readonly<Record<ReconciledDocument['kind'], string>> = {
  invoice: '請求書',
  statement: '支払通知書',
  transfer: '振込',
  journal: '仕訳',
};

/** One document against what the facts call for, line by line. */
const compare = (
  month: string,
  actual: ActualDocument | null,
  expected: ExpectedDocument | null,
  id: string,
  counterparty: string,
  kind: ReconciledDocument['kind'],
  differences: Difference[],
): ReconciledDocument => {
  const expectedLines = new Map((expected?.lines ?? []).map((l) => [l.key, l]));
  const actualLines = new Map((actual?.lines ?? []).map((l) => [l.key, l]));
  const amountYen = actual?.amountYen ?? 0n;
  const tracedYen = (expected?.lines ?? []).reduce((s, l) => s + l.amountYen, 0n);
  const difference = amountYen - tracedYen;
  const notes: string[] = [];
  if (actual === null)
    notes.push(
      `事実では ${KIND_LABEL[kind]} ${counterparty} に ${fmt(tracedYen)} となるが、どの書類にも載っていない (no document carries it)`,
    );
  if (expected === null)
    notes.push(`${KIND_LABEL[kind]} ${id} の ${fmt(amountYen)} はどの事実にも辿れない (traces to nothing)`);
  if (actual !== null && expected !== null) {
    for (const key of [...new Set([...actualLines.keys(), ...expectedLines.keys()])].sort(byString)) {
      const a = actualLines.get(key);
      const e = expectedLines.get(key);
      if (a && !e) notes.push(`「${labelOf(a, month)}」 ${fmt(a.amountYen)}: 事実に辿れない行 (traces to nothing)`);
      else if (!a && e)
        notes.push(
          `「${labelOf(e, month)}」 ${fmt(e.amountYen)}: 事実にあるが書類にない行 (missing from the document)`,
        );
      else if (a && e && a.amountYen !== e.amountYen)
        notes.push(
          `「${labelOf(a, month)}」: 書類 ${fmt(a.amountYen)}、事実 ${fmt(e.amountYen)}、差額 ${fmt(a.amountYen - e.amountYen)}`,
        );
    }
    const linesSum = [...actualLines.values()].reduce((s, l) => s + l.amountYen, 0n);
    if (linesSum !== amountYen)
      notes.push(
        `書類の合計 ${fmt(amountYen)} が行の合計 ${fmt(linesSum)} と合わない (the total is not the sum of its lines)`,
      );
  }
  if (difference !== 0n || notes.length > 0)
    differences.push({
      documentId: actual === null ? null : id,
      differenceYen: yen(difference),
      explanation: `${KIND_LABEL[kind]} ${id}: ${notes.length > 0 ? notes.join('; ') : `差額 ${fmt(difference)}`}`,
    });
  return {
    kind,
    id,
    counterparty,
    amountYen: yen(amountYen),
    tracedYen: yen(tracedYen),
    differenceYen: yen(difference),
    sources: (expected?.lines ?? []).flatMap((l) => l.sources),
  };
};

/** Documents of one kind matched to the expected ones, then each compared; expected ones no document carries go to the differences. */
const matchAll = (
  month: string,
  actuals: readonly ActualDocument[],
  expecteds: readonly ExpectedDocument[],
  kind: ReconciledDocument['kind'],
  differences: Difference[],
  idOfMissing: (e: ExpectedDocument) => string,
): ReconciledDocument[] => {
  const byKey = new Map(expecteds.map((e) => [e.matchKey, e]));
  const seen = new Set<string>();
  const out: ReconciledDocument[] = [];
  for (const a of actuals) {
    const e = seen.has(a.matchKey) ? undefined : byKey.get(a.matchKey);
    seen.add(a.matchKey);
    out.push(compare(month, a, e ?? null, a.id, a.counterparty, kind, differences));
  }
  for (const e of expecteds)
    if (!seen.has(e.matchKey)) compare(month, null, e, idOfMissing(e), e.counterparty, kind, differences);
  return out;
};

/** Provisional documents of an open month: as the close would issue them, nothing yet to compare. */
const provisional = (e: ExpectedDocument, id: string): ReconciledDocument => {
  const traced = e.lines.reduce((s, l) => s + l.amountYen, 0n);
  return {
    kind: e.kind,
    id,
    counterparty: e.counterparty,
    amountYen: yen(traced),
    tracedYen: yen(traced),
    differenceYen: 0,
    sources: e.lines.flatMap((l) => l.sources),
  };
};

const journalDocs = (
  regionId: string,
  month: string,
  entries: readonly { readonly doc: ExpectedDocument; readonly lines: readonly ExpectedJournalLine[] }[],
): { readonly entry: number; readonly doc: ExpectedDocument; readonly lines: readonly ExpectedJournalLine[] }[] =>
  entries
    // A negative amount is written on the other side (as the close writes its journal); a line of 0 is left out.
    .map((e) => ({
      ...e,
      lines: e.lines
        .filter((l) => l.amountYen !== 0n)
        .map((l) =>
          l.amountYen < 0n
            ? { ...l, side: l.side === 'debit' ? ('credit' as const) : ('debit' as const), amountYen: -l.amountYen }
            : l,
        ),
    }))
    .filter((e) => e.lines.length > 0)
    .map((e, i) => ({ entry: i + 1, ...e }));

const journalLineDoc = (l: ExpectedJournalLine, counterparty: string, matchKey: string): ExpectedDocument => ({
  kind: 'journal',
  matchKey,
  counterparty,
  lines: [
    {
      key: 'amount',
      label: `${l.side === 'debit' ? '借方' : '貸方'} ${ACCOUNT_LABEL[l.account]}${l.subAccount ? ` (${l.subAccount})` : ''}`,
      amountYen: l.amountYen,
      sources: [source({ amountYen: l.amountYen, note: l.note })],
    },
  ],
});

/** Reconciles a region's month: see the module's comment. */
export const reconcileMonth = (input: ReconciliationInput): Reconciliation => {
  const { regionId, month, close } = input;
  const index = indexFacts(input);
  const businessNames = new Map<string, string>();
  for (const s of [...input.earlier, ...(close ? [close] : [])])
    for (const i of s.invoices) businessNames.set(i.recipient.businessId, i.recipient.name);
  const current = expectedMonth(index, month, input.config);
  const { set, unknownJobs, ratesMissing } = expectedDocuments(index, input.earlier, businessNames, current);
  const differences: Difference[] = [];
  const checks: Difference[] = [];

  if (index.strayPieces.length > 0) {
    const jobs = [...new Set(index.strayPieces.map((p) => p.jobId))].sort(byString);
    checks.push({
      documentId: null,
      differenceYen: 0,
      explanation: `承認済み時間 ${hours(sumMinutes(index.strayPieces))} が受注の記録のないジョブにある (approved time on jobs with no accepted order terms): ${jobs.slice(0, 10).join(', ')}`,
    });
  }
  if (unknownJobs.length > 0)
    checks.push({
      documentId: null,
      differenceYen: 0,
      explanation: `以前の締めが計上したジョブの受注条件が見つからない (earlier closes billed jobs whose order terms are unknown): ${unknownJobs.join(', ')}`,
    });
  if (ratesMissing.length > 0)
    checks.push({
      documentId: null,
      differenceYen: 0,
      explanation: `最低賃金の表にない日がある (no minimum wage for): ${ratesMissing.join('; ')}`,
    });
  const pricing = current.pricingUnknown;
  if (pricing.length > 0)
    checks.push({
      documentId: null,
      differenceYen: 0,
      explanation: `価格のない受注 (JobAccepted v1) は請求されない (accepted without pricing, not billed): ${pricing.join(', ')}`,
    });

  let documents: ReconciledDocument[];
  if (close === null) {
    const journal = journalDocs(regionId, month, set.journal);
    documents = [
      ...set.invoices.map((e, i) => provisional(e, `INV-${regionId}-${compact(month)}-${pad(i + 1, 3)}`)),
      ...set.statements.map((e, i) => provisional(e, `PAY-${regionId}-${compact(month)}-${pad(i + 1, 4)}`)),
      ...set.transfers.map((e) => {
        const n = set.statements.findIndex((s) => s.matchKey === e.matchKey);
        return provisional(e, transferId(`PAY-${regionId}-${compact(month)}-${pad(n + 1, 4)}`));
      }),
      ...journal.flatMap((j) =>
        j.lines.map((l, i) =>
          provisional(
            journalLineDoc(l, j.doc.counterparty, j.doc.matchKey),
            journalLineId(regionId, month, j.entry, i),
          ),
        ),
      ),
    ];
  } else {
    const configOf = close.config;
    if (
      configOf.marginBasisPoints !== input.config.marginBasisPoints ||
      configOf.invoiceRounding !== input.config.invoiceRounding ||
      configOf.officePrefecture !== input.config.officePrefecture
    )
      checks.push({
        documentId: null,
        differenceYen: 0,
        explanation: `締めの設定が地域の設定と違う (the close's configuration is not the region's): 手数料 ${configOf.marginBasisPoints}bp / ${input.config.marginBasisPoints}bp, 端数 ${configOf.invoiceRounding} / ${input.config.invoiceRounding}, 事業所 ${configOf.officePrefecture} / ${input.config.officePrefecture}`,
      });
    const invoices = matchAll(
      month,
      close.invoices.map((i) => ({
        kind: 'invoice' as const,
        id: i.invoiceNumber,
        matchKey: `business:${i.recipient.businessId}`,
        counterparty: i.recipient.name,
        amountYen: i.amountDueYen,
        lines: invoiceLines(i),
      })),
      set.invoices,
      'invoice',
      differences,
      (e) => `(請求書なし) ${e.matchKey}`,
    );
    const statements = matchAll(
      month,
      close.statements.map((s) => ({
        kind: 'statement' as const,
        id: s.statementNumber,
        matchKey: `member:${s.memberId}`,
        counterparty: s.memberId,
        amountYen: s.payableYen,
        lines: statementLines(s),
      })),
      set.statements,
      'statement',
      differences,
      (e) => `(支払通知書なし) ${e.matchKey}`,
    );
    const transfers = matchAll(
      month,
      close.statements
        .filter((s) => s.contractType === 'contractor' && s.payableYen > 0n)
        .map((s) => ({
          kind: 'transfer' as const,
          id: transferId(s.statementNumber),
          matchKey: `member:${s.memberId}`,
          counterparty: s.memberId,
          amountYen: s.payableYen,
          lines: [{ key: 'payable', label: '振込額', amountYen: s.payableYen }],
        })),
      set.transfers,
      'transfer',
      differences,
      (e) => `(振込なし) ${e.matchKey}`,
    );
    // Journal: entries matched by kind and counterparty, then line by line.
    const invoiceBusiness = new Map(close.invoices.map((i) => [i.invoiceNumber, i.recipient.businessId]));
    const expectedEntries = new Map(journalDocs(regionId, month, set.journal).map((j) => [j.doc.matchKey, j]));
    const journal: ReconciledDocument[] = [];
    const seen = new Set<string>();
    for (const entry of close.journal) {
      const key = journalMatchKey(entry, invoiceBusiness);
      const expected = seen.has(key) ? undefined : expectedEntries.get(key);
      seen.add(key);
      const expectedLines = new Map((expected?.lines ?? []).map((l) => [journalLineKey(l), l]));
      const debit = entry.lines.filter((l) => l.side === 'debit').reduce((s, l) => s + l.amountYen, 0n);
      const credit = entry.lines.filter((l) => l.side === 'credit').reduce((s, l) => s + l.amountYen, 0n);
      if (debit !== credit)
        checks.push({
          documentId: `JNL-${regionId}-${compact(month)}-${pad(entry.number, 4)}`,
          differenceYen: yen(debit - credit),
          explanation: `仕訳 ${entry.number} の借方 ${fmt(debit)} と貸方 ${fmt(credit)} が一致しない (unbalanced entry)`,
        });
      entry.lines.forEach((line, i) => {
        const k = journalLineKey(line);
        const e = expectedLines.get(k);
        expectedLines.delete(k);
        const id = journalLineId(regionId, month, entry.number, i);
        const label = `${line.side === 'debit' ? '借方' : '貸方'} ${ACCOUNT_LABEL[line.account]}${line.subAccount ? ` (${line.subAccount})` : ''}`;
        journal.push(
          compare(
            month,
            {
              kind: 'journal',
              id,
              matchKey: key,
              counterparty: entry.counterparty,
              amountYen: line.amountYen,
              lines: [{ key: 'amount', label, amountYen: line.amountYen }],
            },
            e ? journalLineDoc(e, entry.counterparty, key) : null,
            id,
            entry.counterparty,
            'journal',
            differences,
          ),
        );
      });
      for (const e of expectedLines.values())
        compare(
          month,
          null,
          journalLineDoc(e, entry.counterparty, key),
          `${journalLineId(regionId, month, entry.number, entry.lines.length)}`,
          entry.counterparty,
          'journal',
          differences,
        );
    }
    for (const [key, e] of expectedEntries)
      if (!seen.has(key))
        for (const l of e.lines)
          compare(
            month,
            null,
            journalLineDoc(l, e.doc.counterparty, key),
            `(仕訳なし) ${key}`,
            e.doc.counterparty,
            'journal',
            differences,
          );
    documents = [...invoices, ...statements, ...transfers, ...journal];
  }

  const sum = (kind: ReconciledDocument['kind']) =>
    documents.filter((d) => d.kind === kind).reduce((s, d) => s + d.amountYen, 0);
  let journalDebitYen = 0;
  let journalCreditYen = 0;
  if (close !== null)
    for (const entry of close.journal)
      for (const l of entry.lines) {
        if (l.side === 'debit') journalDebitYen += yen(l.amountYen);
        else journalCreditYen += yen(l.amountYen);
      }
  else
    for (const j of journalDocs(regionId, month, set.journal))
      for (const l of j.lines) {
        if (l.side === 'debit') journalDebitYen += yen(l.amountYen);
        else journalCreditYen += yen(l.amountYen);
      }
  return {
    regionId,
    month,
    closed: close !== null,
    closedAt: close === null ? null : close.closedAt.toISOString(),
    documents,
    totals: {
      invoicedYen: sum('invoice'),
      paidYen: sum('statement'),
      transferredYen: sum('transfer'),
      journalDebitYen,
      journalCreditYen,
    },
    differences: [...differences, ...checks],
  };
};
