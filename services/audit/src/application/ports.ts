import type { Actor, EventStore } from '@workshare/eventsourcing';
import type { PersonalText, VerificationReport } from '../contract.js';

/**
 * What the audit's use cases read through: the query tables of its projections, the log itself,
 * and identity (names and personal texts).
 */

/** One projection's query tables, brought up to date on demand. */
export interface AuditTables {
  /** `name` asks the driver to prepare the statement once per connection (hot queries). */
  query<Row>(sql: string, params?: readonly unknown[], name?: string): Promise<Row[]>;
  /** The qualified name of one of its tables (`"audit".holdings`). */
  table(name: string): string;
  /** Resolves once the tables hold what was logged up to the staleness bound ago. */
  ensureFresh(): Promise<void>;
  /** Resolves once the tables hold everything logged before the call (a pass begun after it). */
  catchUp(): Promise<void>;
}

/** What the query use cases are given (the reconciliation and search included). */
export interface AuditQueryDeps {
  readonly store: EventStore;
  /** A projection's tables, by its name (`history`, `reconciliation`, ...). */
  readonly tables: (projection: string) => AuditTables;
}

/** What an asker may see: everything (operators, the accountant) or her regions only (a coordinator). */
export type AuditScope = { readonly kind: 'all' } | { readonly kind: 'regions'; readonly regionIds: readonly string[] };

/** A search's input once checked. */
export interface ParsedSearch {
  readonly from?: Date;
  readonly to?: Date;
  readonly minYen?: number;
  readonly maxYen?: number;
  readonly counterparty?: string;
  readonly limit: number;
}

/** A sealed or plain personal text as stored in an event, and whose it is. */
export interface StoredText {
  /** The member (or person) whose text it is, whose key seals it. */
  readonly ownerId: string;
  /** The event's field as stored: a plain string, or a sealed text's stored form. */
  readonly stored: unknown;
}

/**
 * Personal texts (hand-off reasons, notes) opened for an asker, in a batch: each is its text,
 * `redacted` when its owner was forgotten (her key is gone), or `withheld` when the asker may
 * not read it. The adapter asks identity to open sealed ones with the asker's token.
 */
export interface PersonalTexts {
  /** `asker`: who reads (identity decides by her roles) and her token. */
  open(texts: readonly StoredText[], asker: TextsAsker): Promise<PersonalText[]>;
}

/** Who reads personal texts: her actor (id and roles) and the token she called with. */
export interface TextsAsker {
  readonly actor: Actor;
  readonly token?: string | undefined;
}

/** Members' and people's names from identity (redacted for a forgotten member). */
export interface PersonNames {
  names(ids: readonly string[], asker: { readonly token?: string | undefined }): Promise<Map<string, PersonalText>>;
}

/** A seal as verification lists it. */
export interface SealSummary {
  readonly sequence: number;
  readonly position: string;
  readonly sealedAt: string;
}

/**
 * The log's verification (the event store's verifyLog against the seals kept outside the
 * database): the whole log, or the range between two seals.
 */
export interface LogVerifier {
  verify(
    range: { readonly fromSeal?: number; readonly toSeal?: number },
    onProgress: (checkedEvents: number) => void,
  ): Promise<VerificationReport>;
  /** The seals kept, oldest first. */
  seals(): Promise<readonly SealSummary[]>;
}
