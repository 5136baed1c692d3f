/**
 * The accountant's questions of issue 12 through the public APIs: every audit question of the
 * demo's closed month, asked through the gateway's HTTP API (`/v1/audit/...`), and once through
 * the `workshare audit` command line against the audit's gRPC API. The demo's history holds the
 * answers (services/launcher/src/demo-month.ts): the month before last closed, a newcomer's
 * hand-off with her reason, the newcomer forgotten after the close (so her name and reason show
 * redacted), a writer's hand-off with a reason the coordinator and the accountant may read, a
 * span corrected (before and after), and the seal made at the close.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeShiftJis, decodeUtf8WithBom, hasUtf8Bom, parseCsv } from './files.js';
import { eventually, type Api } from './http.js';

export interface AuditAccounts {
  readonly password: string;
  readonly accountantEmail: string;
  readonly coordinatorEmail: string;
  /** A member of the region: refused every audit question. */
  readonly memberEmail: string;
}

/** What the demo printed of its closed month (or handed back, in one process). */
export interface AuditFacts {
  readonly regionId: string;
  /** `YYYY-MM`, the demo's closed month. */
  readonly month: string;
  /** The task the newcomer handed off (she was forgotten after the close). */
  readonly newcomerTaskId: string;
  /** The time entry corrected in the closed month. */
  readonly correctedEntryId: string;
  /** The reason the demo gave the correction. */
  readonly correctionReason: string;
}

type Text = { kind: 'text'; text: string } | { kind: 'redacted' } | { kind: 'withheld' };

interface HandOff {
  at: string;
  regionId: string;
  jobId: string;
  taskId: string;
  fromMemberId: string;
  toMemberId: string | null;
  reason: Text;
  progressNote: Text | null;
}

interface Entry {
  type: string;
  stream: string;
  version: number;
  occurredAt: string;
  recordedAt: string;
  actor: { id: string; name: Text | null; role: string | null } | null;
  reason: Text | null;
  summary: string;
  data: Record<string, unknown>;
}

interface Reconciliation {
  regionId: string;
  month: string;
  closed: boolean;
  closedAt: string | null;
  documents: {
    kind: string;
    id: string;
    counterparty: string;
    amountYen: number;
    tracedYen: number;
    differenceYen: number;
  }[];
  totals: {
    invoicedYen: number;
    paidYen: number;
    transferredYen: number;
    journalDebitYen: number;
    journalCreditYen: number;
  };
  differences: { documentId: string | null; differenceYen: number; explanation: string }[];
}

interface Correction {
  at: string;
  stream: string;
  version: number;
  type: string;
  reason: Text | null;
  changes: { field: string; before: unknown; after: unknown }[];
}

const TOKYO = /\+09:00$/;
const MINUTE_MS = 60_000;

/** The Tokyo month's first instant and the next month's, with +09:00. */
const monthBounds = (month: string): { from: string; to: string } => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01T00:00:00+09:00`, to: `${next}-01T00:00:00+09:00` };
};

const q = (fields: Record<string, string | number | undefined>): string =>
  `?${Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&')}`;

const shifted = (instant: string, ms: number): string => new Date(Date.parse(instant) + ms).toISOString();

/**
 * Every audit question of the closed month, through the gateway, as the accountant (and, for
 * who may read what, as the coordinator and a member). Answers what the CLI's run needs.
 */
export const runAuditStory = async (api: Api, accounts: AuditAccounts, facts: AuditFacts): Promise<void> => {
  const accountant = await api.login(accounts.accountantEmail, accounts.password);
  const coordinator = await api.login(accounts.coordinatorEmail, accounts.password);
  const member = await api.login(accounts.memberEmail, accounts.password);
  const me = (await api.request<{ subject: string }>('GET', '/v1/me', { token: accountant })).body.subject;
  const ask = <T>(path: string, token = accountant) => api.request<T>('GET', `/v1/audit${path}`, { token });
  const { regionId, month } = facts;
  const bounds = monthBounds(month);

  // Hand-offs of the region in the closed month: the writer's with its reason, the newcomer's
  // redacted (she was forgotten after the close). The first answer waits for the audit's tables.
  const handOffsPath = `/regions/${regionId}/hand-offs${q(bounds)}`;
  const handOffs = await eventually(
    'the closed month’s hand-offs in the audit',
    async () => {
      const answer = await ask<{ handOffs: HandOff[] }>(handOffsPath);
      return answer.status === 200 && answer.body.handOffs.some((h) => h.taskId === facts.newcomerTaskId)
        ? answer.body.handOffs
        : undefined;
    },
    60_000,
  );
  // Her hand-off (the task released by her, then given to a teammate: the record naming whom, when there are two).
  const hers = handOffs.filter((h) => h.taskId === facts.newcomerTaskId);
  const newcomers = hers.find((h) => h.toMemberId !== null) ?? hers[0]!;
  const writers = handOffs.find((h) => h.reason.kind === 'text' && h.reason.text.includes('母が入院'));
  expect(handOffs.every((h) => h.regionId === regionId && TOKYO.test(h.at))).toBe(true);
  expect(handOffs.every((h) => h.at >= bounds.from.slice(0, 10))).toBe(true);
  expect(hers.every((h) => h.reason.kind === 'redacted')).toBe(true);
  expect(writers).toBeDefined();
  // The coordinator of the region reads the writer's reason too; the newcomer's is redacted for everyone.
  const seenByCoordinator = await ask<{ handOffs: HandOff[] }>(handOffsPath, coordinator);
  expect(seenByCoordinator.status).toBe(200);
  expect(seenByCoordinator.body.handOffs.find((h) => h.taskId === writers!.taskId)?.reason).toEqual(writers!.reason);
  expect(seenByCoordinator.body.handOffs.find((h) => h.taskId === facts.newcomerTaskId)?.reason).toEqual({
    kind: 'redacted',
  });

  // Who held the newcomer's task a minute before her hand-off (she, redacted) and a minute after (her teammate).
  const holder = async (at: string) =>
    (
      await ask<{ taskId: string; jobId: string | null; holder: { memberId: string; memberName: Text | null } | null }>(
        `/tasks/${facts.newcomerTaskId}/holder${q({ at })}`,
      )
    ).body;
  const before = await holder(shifted(newcomers.at, -MINUTE_MS));
  const after = await holder(shifted(newcomers.at, MINUTE_MS));
  expect(before).toMatchObject({ taskId: facts.newcomerTaskId, jobId: newcomers.jobId });
  expect(before.holder).toMatchObject({ memberId: newcomers.fromMemberId, memberName: { kind: 'redacted' } });
  expect(after.holder).toMatchObject({ memberName: { kind: 'text' } });
  expect(after.holder!.memberId).not.toBe(newcomers.fromMemberId);
  if (newcomers.toMemberId !== null) expect(after.holder!.memberId).toBe(newcomers.toMemberId);

  // The job's timeline: the task held by two members over time, the hand-off marked.
  const timeline = await ask<{ jobId: string; tasks: { taskId: string; spans: unknown[]; handOffs: HandOff[] }[] }>(
    `/jobs/${newcomers.jobId}/timeline`,
  );
  expect(timeline.status).toBe(200);
  const handedOff = timeline.body.tasks.find((t) => t.taskId === facts.newcomerTaskId);
  expect(handedOff?.spans.length).toBeGreaterThanOrEqual(2);
  expect(handedOff?.handOffs.length).toBeGreaterThanOrEqual(1);
  expect(handedOff?.handOffs.every((h) => h.reason.kind === 'redacted')).toBe(true);

  // Histories: the job, the task, the forgotten member, the business, the month's settlement; each event in Tokyo time with its actor.
  const history = async (subject: string, id: string) => {
    const answer = await ask<{ entries: Entry[]; next: string | null }>(
      `/history/${subject}/${encodeURIComponent(id)}`,
    );
    expect({ subject, status: answer.status }).toEqual({ subject, status: 200 });
    expect(answer.body.entries.length).toBeGreaterThan(0);
    expect(answer.body.entries.every((e) => TOKYO.test(e.occurredAt) && e.summary !== '')).toBe(true);
    return answer.body.entries;
  };
  const jobHistory = await history('job', newcomers.jobId);
  expect(jobHistory.map((e) => e.type)).toEqual(expect.arrayContaining(['JobSubmitted', 'JobQuoted', 'JobInspected']));
  expect(jobHistory.find((e) => e.type === 'JobSubmitted')?.actor).not.toBeNull();
  const taskHistory = await history('task', facts.newcomerTaskId);
  expect(taskHistory.find((e) => e.type === 'TaskHandedOff')?.reason).toEqual({ kind: 'redacted' });
  const memberHistory = await history('member', newcomers.fromMemberId);
  expect(memberHistory.map((e) => e.type)).toContain('MemberForgotten');
  const businessId = jobHistory.find((e) => typeof e.data.businessId === 'string')?.data.businessId as string;
  expect(businessId).toEqual(expect.any(String));
  await history('business', businessId);
  const settlementHistory = await history('settlement', `${regionId}.${month}`);
  expect(settlementHistory.map((e) => e.type)).toContain('MonthClosed');

  // The closed month's reconciliation: every document traced to the yen, no difference.
  const reconciliation = await ask<Reconciliation>(`/regions/${regionId}/months/${month}/reconciliation`);
  expect(reconciliation.status).toBe(200);
  expect(reconciliation.body).toMatchObject({ regionId, month, closed: true, differences: [] });
  expect(reconciliation.body.closedAt).toMatch(TOKYO);
  expect(new Set(reconciliation.body.documents.map((d) => d.kind))).toEqual(
    new Set(['invoice', 'statement', 'transfer', 'journal']),
  );
  expect(reconciliation.body.documents.filter((d) => d.differenceYen !== 0 || d.tracedYen !== d.amountYen)).toEqual([]);
  expect(reconciliation.body.totals.invoicedYen).toBeGreaterThan(0);
  expect(reconciliation.body.totals.journalDebitYen).toBe(reconciliation.body.totals.journalCreditYen);

  // Corrections of the region: the span corrected, with its reason and its before and after.
  const corrections = await ask<{ corrections: Correction[] }>(`/corrections${q({ regionId, ...bounds })}`);
  expect(corrections.status).toBe(200);
  const corrected = corrections.body.corrections.find((c) => c.type === 'TimeEntryCorrected');
  expect(corrected).toBeDefined();
  expect(corrected!.reason).toEqual({ kind: 'text', text: facts.correctionReason });
  // The demo's correction: the end of the span ten minutes earlier.
  const end = corrected!.changes.find((c) => c.field === 'end');
  expect(Date.parse(String(end?.before)) - Date.parse(String(end?.after))).toBe(10 * MINUTE_MS);

  // Its timesheet as the log held it just before the correction was recorded, and once it was:
  // the replay shows both (a stream "as of" an instant replays what was recorded by then).
  const memberId = corrected!.stream.replace(/^timesheet-/, '');
  const recorded = (await history('member', memberId)).find(
    (e) => e.type === 'TimeEntryCorrected' && e.stream === corrected!.stream && e.version === corrected!.version,
  );
  expect(recorded).toBeDefined();
  const asOf = async (at: string) =>
    (
      await ask<{ stream: string; version: number | null; events: Entry[]; state: Record<string, unknown> }>(
        `/streams/${encodeURIComponent(corrected!.stream)}${q({ at })}`,
      )
    ).body;
  const beforeCorrection = await asOf(shifted(recorded!.recordedAt, -1));
  const afterCorrection = await asOf(new Date(Date.parse(recorded!.recordedAt)).toISOString());
  expect(beforeCorrection.events.map((e) => e.type)).not.toContain('TimeEntryCorrected');
  expect(beforeCorrection.events.map((e) => e.type)).toContain('TimeEntryRecorded');
  const correction = afterCorrection.events.find((e) => e.type === 'TimeEntryCorrected');
  expect(correction?.data.entryId).toBe(facts.correctedEntryId);
  expect(afterCorrection.version).toBe(corrected!.version);
  expect(afterCorrection.version).toBeGreaterThan(beforeCorrection.version ?? -1);
  expect(JSON.stringify(afterCorrection.state)).not.toBe(JSON.stringify(beforeCorrection.state));

  // Search by date, amount and counterparty, combined: the closed month's documents are dated
  // in it (journal lines) and at its close (invoices, statements, transfers), so up to a month after.
  type Found = { records: { kind: string; counterparty: string; amountYen: number; date: string; month: string }[] };
  const searched = { from: bounds.from, to: monthBounds(monthBounds(month).to.slice(0, 7)).to };
  const inMonth = await ask<Found>(`/search${q(bounds)}`);
  expect(inMonth.body.records.length).toBeGreaterThan(0);
  expect(inMonth.body.records.every((r) => r.date >= `${month}-01` && r.date <= `${month}-31`)).toBe(true);
  const byCounterparty = await ask<Found>(`/search${q({ ...searched, counterparty: '白神' })}`);
  expect(byCounterparty.status).toBe(200);
  expect(byCounterparty.body.records.length).toBeGreaterThan(0);
  expect(byCounterparty.body.records.every((r) => r.counterparty.includes('白神'))).toBe(true);
  expect(byCounterparty.body.records.map((r) => r.kind)).toContain('invoice');
  const top = Math.max(...byCounterparty.body.records.map((r) => r.amountYen));
  const withAmount = await ask<Found>(`/search${q({ ...searched, counterparty: '白神', minYen: top, maxYen: top })}`);
  expect(withAmount.body.records.length).toBeGreaterThan(0);
  expect(withAmount.body.records.every((r) => r.amountYen === top)).toBe(true);
  expect(
    (await ask<Found>(`/search${q({ ...searched, counterparty: '白神', minYen: top + 1 })}`)).body.records,
  ).toEqual([]);

  // The log verified now, against its seals (one made at the month's close): intact.
  const verification = await ask<{
    status: string;
    checkedEvents: number;
    sealsChecked: number;
    lastSeal: { sequence: number } | null;
    breaks: unknown[];
  }>(`/verification${q({ fresh: 'true' })}`);
  expect(verification.status).toBe(200);
  expect(verification.body).toMatchObject({ status: 'intact', breaks: [] });
  expect(verification.body.sealsChecked).toBeGreaterThanOrEqual(1);
  expect(verification.body.checkedEvents).toBeGreaterThan(0);

  // A CSV export in Shift_JIS: the reconciliation's table, as a spreadsheet reads it.
  const csv = await api.download(
    `/v1/audit/regions/${regionId}/months/${month}/reconciliation?format=csv&encoding=shift_jis`,
    accountant,
  );
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toMatch(/shift_jis/i);
  const rows = parseCsv(decodeShiftJis(csv.bytes));
  expect(rows.crlf).toBe(true);
  expect(rows.rows.length).toBeGreaterThan(reconciliation.body.documents.length);
  const utf8 = await api.download(`/v1/audit/search${q({ ...bounds, format: 'csv' })}`, accountant);
  expect(hasUtf8Bom(utf8.bytes)).toBe(true);
  expect(parseCsv(decodeUtf8WithBom(utf8.bytes)).rows.length).toBeGreaterThan(1);

  // Every one of those questions was recorded: who asked what, when.
  const queries = await ask<{ queries: { at: string; actor: string; query: string }[] }>(
    `/queries${q({ limit: 200 })}`,
  );
  expect(queries.status).toBe(200);
  const mine = queries.body.queries.filter((x) => x.actor === me).map((x) => x.query);
  expect(mine).toEqual(
    expect.arrayContaining([
      'handOffs',
      'whoHeld',
      'jobTimeline',
      'history',
      'reconciliation',
      'corrections',
      'streamAsOf',
      'search',
      'verification',
    ]),
  );

  // A member may ask nothing of the audit.
  expect((await ask(`/search`, member)).status).toBe(403);
};

/** The `workshare` command, as a newcomer runs it (`npx workshare audit ...`). */
const WORKSHARE_BIN = join(__dirname, '..', '..', '..', 'services', 'launcher', 'bin', 'workshare.mjs');

const runCli = (
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: Buffer; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKSHARE_BIN, 'audit', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
  });

/**
 * The `workshare audit` command once against the running platform's audit (gRPC) and identity:
 * the closed month reconciled as a table, the log verified into a CSV file, a mistake and a
 * member refused with their exit codes.
 */
export const runAuditCliStory = async (
  accounts: AuditAccounts,
  facts: AuditFacts,
  addresses: { readonly audit: string; readonly identity: string },
): Promise<void> => {
  const where = ['--audit', addresses.audit, '--identity', addresses.identity];
  const asAccountant = { WORKSHARE_EMAIL: accounts.accountantEmail, WORKSHARE_PASSWORD: accounts.password };
  const reconciled = await runCli(['reconcile', facts.regionId, facts.month, ...where], asAccountant);
  expect({ code: reconciled.code, stderr: reconciled.stderr }).toEqual({ code: 0, stderr: '' });
  const text = reconciled.stdout.toString('utf8');
  expect(text).toMatch(/\(\d+ rows?\)\n$/);
  expect(text.split('\n')[1]).toMatch(/^-+( +-+)*$/);

  const folder = mkdtempSync(join(tmpdir(), 'workshare-audit-cli-'));
  try {
    const file = join(folder, 'verification.csv');
    const verified = await runCli(['verify', '--format', 'csv', '--output', file, ...where], asAccountant);
    expect({ code: verified.code, stderr: verified.stderr.trim() }).toEqual({ code: 0, stderr: `written to ${file}` });
    const bytes = new Uint8Array(readFileSync(file));
    expect(hasUtf8Bom(bytes)).toBe(true);
    expect(parseCsv(decodeUtf8WithBom(bytes)).rows.length).toBeGreaterThan(1);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }

  const wrong = await runCli(['reconcile', facts.regionId, `${facts.month}-01`, ...where], asAccountant);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toContain('is not a month YYYY-MM');
  const refused = await runCli(['search', ...where], {
    WORKSHARE_EMAIL: accounts.memberEmail,
    WORKSHARE_PASSWORD: accounts.password,
  });
  expect(refused.code).toBe(4);
  const badPassword = await runCli(['verify', ...where], { ...asAccountant, WORKSHARE_PASSWORD: 'not-her-password' });
  expect(badPassword.code).toBe(3);
};
