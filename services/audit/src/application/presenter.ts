import { formatPosition, isUuid, type RecordedEvent } from '@workshare/eventsourcing';
import type { AuditActor, HistoryEntry, PersonalText } from '../contract.js';
import { actorOf, reasonOwnerOf } from '../domain/log-facts.js';
import { tokyoMinute } from '../domain/parsing.js';
import { plainJson } from '../domain/replay.js';
import { summaryOf } from '../domain/summaries.js';
import type { AuditTables, PersonalTexts, PersonNames, StoredText, TextsAsker } from './ports.js';

/**
 * Turns what the tables and the log hold into what the asker reads: members' names and personal
 * texts resolved in one batch each (identity: a forgotten member's redacted, what the asker may
 * not read withheld), times in UTC and Tokyo, a Japanese summary of each event.
 */

/** Who asks: her actor and her token (identity shows her what it lets her read). */
export type Asker = TextsAsker;

/** Fields of events that hold a person's free text. */
const TEXT_FIELDS = ['reason', 'progressNote', 'note'] as const;

/** Fields of events that name a member or person. */
const PERSON_FIELDS = ['memberId', 'fromMemberId', 'toMemberId', 'traineeMemberId'] as const;

const REDACTED: PersonalText = { kind: 'redacted' };

export class Presenter {
  constructor(
    private readonly deps: { readonly texts: PersonalTexts; readonly names: PersonNames; readonly tables: AuditTables },
  ) {}

  /** Which of these members were forgotten (MemberForgotten seen in the log). */
  async forgotten(ids: Iterable<string>): Promise<Set<string>> {
    const keys = [...new Set(ids)].map((id) => `forgotten:${id}`);
    if (keys.length === 0) return new Set();
    const rows = await this.deps.tables.query<{ key: string }>(
      `SELECT key FROM ${this.deps.tables.table('facts')} WHERE key = ANY($1::text[])`,
      [keys],
    );
    return new Set(rows.map((r) => r.key.slice('forgotten:'.length)));
  }

  /** Opens personal texts (sealed or plain); a plain text of a forgotten member is redacted. */
  async texts(texts: readonly StoredText[], asker: Asker): Promise<PersonalText[]> {
    if (texts.length === 0) return [];
    const [opened, gone] = await Promise.all([
      this.deps.texts.open(texts, asker),
      this.forgotten(texts.flatMap((t) => (t.ownerId === '' ? [] : [t.ownerId]))),
    ]);
    return opened.map((text, i) =>
      text.kind === 'text' && gone.has(texts[i]!.ownerId) && typeof texts[i]!.stored === 'string' ? REDACTED : text,
    );
  }

  /** Names of people, null for one identity does not know as a member. */
  async names(ids: Iterable<string>, asker: Asker): Promise<Map<string, PersonalText>> {
    // Members are known by UUIDs; other actors (the platform, tools) have no name to ask for.
    const unique = [...new Set(ids)].filter((id) => isUuid(id));
    if (unique.length === 0) return new Map();
    return this.deps.names.names(unique, asker);
  }

  /**
   * An actor as shown: her id, her name where identity knows her as a member, `system` for the
   * platform, `user` for a person identity does not know as a member (an operator, the accountant,
   * a business's user); anything else by its id alone.
   */
  actor(id: string | null, names: ReadonlyMap<string, PersonalText>): AuditActor | null {
    if (id === null) return null;
    if (id.startsWith('system:')) return { id, name: { kind: 'text', text: id }, role: 'system' };
    const name = names.get(id) ?? null;
    return { id, name, role: name !== null ? 'member' : isUuid(id) ? 'user' : null };
  }

  /** History entries of these events, in their order. */
  async entries(events: readonly RecordedEvent[], asker: Asker): Promise<HistoryEntry[]> {
    const people = new Set<string>();
    const stored: StoredText[] = [];
    const slots: { event: number; field: string; index: number }[] = [];
    events.forEach((event, e) => {
      const data = event.data as Record<string, unknown>;
      const actor = actorOf(event);
      if (actor !== null) people.add(actor);
      for (const field of PERSON_FIELDS) if (typeof data[field] === 'string') people.add(data[field]);
      const owner = reasonOwnerOf(event) ?? '';
      for (const field of TEXT_FIELDS)
        if (data[field] !== undefined && data[field] !== null && data[field] !== '') {
          slots.push({ event: e, field, index: stored.length });
          stored.push({ ownerId: owner, stored: data[field] });
        }
    });
    const [names, texts] = await Promise.all([this.names(people, asker), this.texts(stored, asker)]);
    const opened = new Map<string, PersonalText>();
    for (const slot of slots) opened.set(`${slot.event}:${slot.field}`, texts[slot.index]!);
    const nameText = (id: string): string => {
      const name = names.get(id);
      if (name === undefined) return id.slice(0, 8);
      return name.kind === 'text' ? name.text : name.kind === 'redacted' ? '（削除済み）' : id.slice(0, 8);
    };
    return events.map((event, e) => {
      const data = event.data as Record<string, unknown>;
      const shown = plainJson(data) as Record<string, unknown>;
      for (const field of TEXT_FIELDS) {
        const text = opened.get(`${e}:${field}`);
        if (text !== undefined) shown[field] = text;
      }
      return {
        position: formatPosition(event.position),
        stream: event.streamName,
        version: event.streamVersion,
        type: event.type,
        occurredAt: event.occurredAt.toISOString(),
        occurredAtTokyo: tokyoMinute(event.occurredAt),
        recordedAt: event.recordedAt.toISOString(),
        actor: this.actor(actorOf(event), names),
        reason: opened.get(`${e}:reason`) ?? opened.get(`${e}:note`) ?? null,
        summary: summaryOf(event, nameText),
        data: shown,
      };
    });
  }
}
