/**
 * A close taken apart: the same steps closeMonth takes under its lease (settlement-service.ts),
 * each timed on its own, on the read models of the service under test and identity over gRPC —
 * the snapshot (gatherCloseInput: read models, identity's regions and businesses), the
 * computation (closeMonth of close.ts, pure), the close's events (the input's digest and
 * closeEvents, as month.ts's decide writes them: the settlement in parts, then MonthClosed) — and
 * then the files a closed month's downloads write (downloads.ts: the Zengin file with identity's
 * bank accounts, the journal). Everything but the append and the reading back of the month.
 */
import { performance } from 'node:perf_hooks';
import { canonicalJson, type EventStore } from '@workshare/eventsourcing';
import { journalDownload, transferredMembers, zenginDownload, type Download } from '../src/application/downloads.js';
import { SettlementJobs } from '../src/application/jobs.js';
import { Members } from '../src/application/members.js';
import { Closes } from '../src/application/closes.js';
import type { IdentityLookup } from '../src/application/ports.js';
import type { SettlementService } from '../src/application/settlement-service.js';
import { gatherCloseInput } from '../src/application/snapshot.js';
import { Timesheets } from '../src/application/timesheets.js';
import { closeMonth } from '../src/domain/close.js';
import { closeInputDigest } from '../src/domain/codec.js';
import { closeEvents, type MonthEvent } from '../src/domain/month.js';
import type { CloseInput, MonthSettlement, RegionSettlementConfig } from '../src/domain/model.js';

export interface CloseParts {
  readonly input: CloseInput;
  readonly settlement: MonthSettlement;
  /** The close's events, as decide writes them, and the size of each one's data as canonical JSON (UTF-8). */
  readonly events: readonly MonthEvent[];
  readonly eventBytes: readonly number[];
  readonly inputDigest: string;
  readonly zengin: Download;
  readonly journal: Download;
  /** ms of each step. */
  readonly ms: {
    readonly snapshot: number;
    readonly compute: number;
    readonly eventData: number;
    readonly zengin: number;
    readonly journal: number;
  };
}

const one = <T>(models: readonly unknown[], kind: abstract new (...args: never[]) => T): T => {
  const found = models.find((m): m is T => m instanceof kind);
  if (found === undefined) throw new Error(`the service has no ${kind.name} read model`);
  return found;
};

export const closeByParts = async (options: {
  readonly service: SettlementService;
  readonly store: EventStore;
  readonly identity: IdentityLookup;
  readonly config: RegionSettlementConfig;
  readonly month: string;
  readonly closedAt: Date;
  readonly closedBy: string;
  /** The closer's token (identity's businesses) and the accountant's (the bank accounts). */
  readonly closerToken: string;
  readonly accountantToken: string;
}): Promise<CloseParts> => {
  const models = options.service.readModels;
  const sources = {
    store: options.store,
    jobs: one(models, SettlementJobs),
    timesheets: one(models, Timesheets),
    members: one(models, Members),
    closes: one(models, Closes),
    identity: options.identity,
  };
  let started = performance.now();
  const input = await gatherCloseInput(sources, {
    config: options.config,
    month: options.month,
    closedAt: options.closedAt,
    token: options.closerToken,
  });
  const snapshot = performance.now() - started;
  started = performance.now();
  const settlement = closeMonth(input);
  const compute = performance.now() - started;
  started = performance.now();
  const inputDigest = closeInputDigest(input);
  const events = closeEvents(settlement, { inputDigest, closedBy: options.closedBy });
  const eventDataMs = performance.now() - started;
  const eventBytes = events.map((e) => Buffer.byteLength(canonicalJson(e.data)));
  started = performance.now();
  const accounts = await options.identity.bankAccounts(transferredMembers(settlement), options.accountantToken);
  const zengin = zenginDownload(settlement, accounts);
  const zenginMs = performance.now() - started;
  started = performance.now();
  const journal = journalDownload(settlement, 'yayoi');
  const journalMs = performance.now() - started;
  return {
    input,
    settlement,
    events,
    eventBytes,
    inputDigest,
    zengin,
    journal,
    ms: { snapshot, compute, eventData: eventDataMs, zengin: zenginMs, journal: journalMs },
  };
};
