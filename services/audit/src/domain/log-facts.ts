import type { GlobalPosition, JsonValue, ProjectedEvent } from '@workshare/eventsourcing';
import type { AuditSubject } from '../contract.js';

/**
 * What the audit reads out of every service's events, pure: which subjects (job, task, member,
 * business, month's settlement) an event concerns, who held a task from when, every hand-off,
 * every correction with its before and after, and the facts later events need (a job's region,
 * a task's job, an entry's times). One page of the log is folded at a time (`foldPage`), given
 * what earlier pages established (`Known`, read from the query tables); the fold says what is
 * new. Stream layouts and event shapes are those of each service's src/domain (README, "What it
 * reads").
 */

/** A stream's category and the id after it (`schedule-<jobId>` → `schedule`, `<jobId>`). */
export const splitStream = (stream: string): { category: string; id: string } => {
  const dash = stream.indexOf('-');
  return dash < 0 ? { category: stream, id: '' } : { category: stream.slice(0, dash), id: stream.slice(dash + 1) };
};

/** A position as one number in log order, for "latest wins" rows (numeric: commit · 2^64 + prepare). */
export const logOrder = (position: GlobalPosition): string => ((position.commit << 64n) + position.prepare).toString();

export interface JobFacts {
  readonly regionId: string | null;
  readonly businessId: string | null;
  readonly title: string | null;
}
export interface TaskFacts {
  readonly jobId: string;
  readonly title: string | null;
}
export interface MemberFacts {
  readonly regionId: string | null;
}
export interface BusinessFacts {
  readonly regionId: string | null;
  readonly name: string | null;
}
export interface EntryFacts {
  readonly memberId: string;
  readonly taskId: string;
  readonly jobId: string;
  readonly regionId: string;
  readonly start: string;
  readonly end: string;
  readonly minutes: number;
}

/** What earlier pages established, looked up before a page is folded. */
export interface Known {
  readonly jobs: Map<string, JobFacts>;
  readonly tasks: Map<string, TaskFacts>;
  readonly members: Map<string, MemberFacts>;
  readonly businesses: Map<string, BusinessFacts>;
  readonly entries: Map<string, EntryFacts>;
  /** Values a correction is compared with: `availability:<member>`, `quote:<job>`, `plan:<job>`, `wishedHours:<member>`. */
  readonly facts: Map<string, JsonValue>;
}

export const emptyKnown = (): Known => ({
  jobs: new Map(),
  tasks: new Map(),
  members: new Map(),
  businesses: new Map(),
  entries: new Map(),
  facts: new Map(),
});

/** What a page needs to know of earlier ones, by kind. */
export interface References {
  readonly jobs: Set<string>;
  readonly members: Set<string>;
  readonly entries: Set<string>;
  readonly facts: Set<string>;
}

type Data = Record<string, unknown>;

const text = (data: Data, key: string): string | undefined => {
  const value = data[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

const list = (data: Data, key: string): Data[] => {
  const value = data[key];
  return Array.isArray(value) ? value.filter((v): v is Data => typeof v === 'object' && v !== null) : [];
};

/** Whose text a reason or note of this event is (sealed with her key), or null: not personal. */
export const reasonOwnerOf = (event: Pick<ProjectedEvent, 'type' | 'data'>): string | null => {
  const data = event.data as Data;
  switch (event.type) {
    case 'TaskHandedOff':
      return text(data, 'fromMemberId') ?? null;
    case 'TaskReleased':
    case 'UnavailabilityDeclared':
    case 'TimeEntryCorrected':
    case 'TimeEntryDeleted':
      return text(data, 'memberId') ?? null;
    default:
      return null;
  }
};

/** The event's reason as stored (a text or a sealed text), or undefined. */
export const storedReasonOf = (event: Pick<ProjectedEvent, 'data'>): unknown => {
  const data = event.data as Data;
  return data.reason ?? data.note ?? undefined;
};

/** Who acted: the event's metadata, else the data's `by`-field. */
export const actorOf = (event: Pick<ProjectedEvent, 'metadata' | 'data'>): string | null => {
  const actor = event.metadata.actor;
  if (typeof actor === 'string' && actor.length > 0) return actor;
  const data = event.data as Data;
  for (const key of [
    'by',
    'registeredBy',
    'grantedBy',
    'revokedBy',
    'updatedBy',
    'forgottenBy',
    'quotedBy',
    'declinedBy',
    'startedBy',
    'deliveredBy',
    'inspectedBy',
    'closedBy',
    'cancelledBy',
    'plannedBy',
    'revisedBy',
    'configuredBy',
  ]) {
    const value = text(data, key);
    if (value !== undefined) return value;
  }
  return null;
};

/**
 * What an event refers to that earlier pages may know, only where its fold reads it: a job's
 * region and business (every event of a job's streams), an entry's times (its correction or
 * deletion), a member's region (a correction of hers), the last value a correction is compared with.
 */
export const addReferences = (event: ProjectedEvent, refs: References): void => {
  const { category, id } = splitStream(event.streamName);
  const data = event.data as Data;
  switch (category) {
    case 'job':
    case 'plan':
    case 'schedule':
      refs.jobs.add(id);
      if (event.type === 'JobQuoted') refs.facts.add(`quote:${id}`);
      if (event.type === 'PlanRevised') refs.facts.add(`plan:${id}`);
      break;
    case 'timesheet':
      if (event.type === 'TimeEntryCorrected' || event.type === 'TimeEntryDeleted') {
        const entryId = text(data, 'entryId');
        if (entryId !== undefined) refs.entries.add(entryId);
        refs.members.add(id);
      }
      if (event.type === 'WeekReopened') refs.members.add(id);
      break;
    case 'crew':
    case 'member':
      if (event.type === 'MemberAvailabilityChanged' || event.type === 'MemberAvailabilityUpdated') {
        refs.members.add(id);
        refs.facts.add(`availability:${id}`);
      }
      if (event.type === 'WishedHoursSet') {
        refs.members.add(id);
        refs.facts.add(`wishedHours:${id}`);
      }
      if (event.type === 'RoleGranted' || event.type === 'RoleRevoked') refs.members.add(id);
      break;
    default:
      break;
  }
};

export const emptyReferences = (): References => ({
  jobs: new Set(),
  members: new Set(),
  entries: new Set(),
  facts: new Set(),
});

// ---- rows ---------------------------------------------------------------------------------------

export interface SubjectRow {
  readonly kind: AuditSubject;
  readonly id: string;
}

export interface HoldingRow {
  readonly taskId: string;
  readonly jobId: string;
  /** Null: the holding ended (released, the job cancelled, the task done): nobody holds it from then. */
  readonly memberId: string | null;
  readonly at: Date;
  readonly kind: 'assigned' | 'handed_off' | 'overridden' | 'released' | 'cancelled' | 'done';
}

export interface HandOffRow {
  readonly at: Date;
  readonly regionId: string;
  readonly jobId: string;
  readonly taskId: string;
  readonly fromMemberId: string;
  readonly toMemberId: string | null;
  readonly by: string;
  readonly reason: unknown;
  readonly progressNote: unknown;
}

export interface Change {
  readonly field: string;
  readonly before: JsonValue;
  readonly after: JsonValue;
}

export interface CorrectionRow {
  readonly at: Date;
  readonly regionId: string | null;
  readonly actor: string | null;
  readonly reason: unknown;
  readonly reasonOwner: string | null;
  readonly changes: readonly Change[];
}

export interface QueryRow {
  readonly at: Date;
  readonly actor: string;
  readonly query: string;
  readonly parameters: Record<string, string>;
}

/** What one event says, once folded. */
export interface EventFacts {
  readonly event: ProjectedEvent;
  readonly subjects: readonly SubjectRow[];
  readonly holdings: readonly HoldingRow[];
  readonly handOff: HandOffRow | undefined;
  readonly correction: CorrectionRow | undefined;
  readonly query: QueryRow | undefined;
}

/** A page folded: each event's facts, and what it changed of the known facts (the last value of each). */
export interface FoldedPage {
  readonly events: readonly EventFacts[];
  readonly jobs: Map<string, JobFacts & { readonly order: string }>;
  readonly tasks: Map<string, TaskFacts & { readonly order: string }>;
  readonly members: Map<string, MemberFacts & { readonly order: string }>;
  readonly businesses: Map<string, BusinessFacts & { readonly order: string }>;
  readonly entries: Map<string, EntryFacts & { readonly order: string }>;
  readonly facts: Map<string, { readonly value: JsonValue; readonly order: string }>;
}

const json = (value: unknown): JsonValue =>
  value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Folds one page of the log (in log order) over what earlier pages established. */
export const foldPage = (page: readonly ProjectedEvent[], known: Known): FoldedPage => {
  const folded: FoldedPage = {
    events: [],
    jobs: new Map(),
    tasks: new Map(),
    members: new Map(),
    businesses: new Map(),
    entries: new Map(),
    facts: new Map(),
  };
  const events = folded.events as EventFacts[];
  const job = (id: string): JobFacts | undefined => folded.jobs.get(id) ?? known.jobs.get(id);
  const task = (id: string): TaskFacts | undefined => folded.tasks.get(id) ?? known.tasks.get(id);
  const member = (id: string): MemberFacts | undefined => folded.members.get(id) ?? known.members.get(id);
  const entry = (id: string): EntryFacts | undefined => folded.entries.get(id) ?? known.entries.get(id);
  const fact = (key: string): JsonValue | undefined =>
    folded.facts.has(key) ? folded.facts.get(key)!.value : known.facts.get(key);

  for (let index = 0; index < page.length; index++) {
    const event = page[index]!;
    const order = logOrder(event.position);
    const data = event.data as Data;
    const { category, id: streamId } = splitStream(event.streamName);
    const subjects = new Map<string, SubjectRow>();
    const subject = (kind: AuditSubject, id: string | undefined | null): void => {
      if (typeof id === 'string' && id.length > 0) subjects.set(`${kind}:${id}`, { kind, id });
    };
    const holdings: HoldingRow[] = [];
    let handOff: HandOffRow | undefined;
    let correction: CorrectionRow | undefined;
    let query: QueryRow | undefined;
    const actor = actorOf(event);
    const correct = (regionId: string | null, changes: Change[]): void => {
      if (changes.length === 0) return;
      correction = {
        at: event.occurredAt,
        regionId,
        actor,
        reason: storedReasonOf(event) ?? null,
        reasonOwner: reasonOwnerOf(event),
        changes,
      };
    };
    const setJob = (id: string, facts: Partial<JobFacts>): void => {
      const before = job(id);
      folded.jobs.set(id, {
        regionId: facts.regionId ?? before?.regionId ?? null,
        businessId: facts.businessId ?? before?.businessId ?? null,
        title: facts.title ?? before?.title ?? null,
        order,
      });
    };
    const setFact = (key: string, value: JsonValue): void => {
      folded.facts.set(key, { value, order });
    };

    switch (category) {
      case 'job': {
        subject('job', streamId);
        const regionId = text(data, 'regionId');
        const businessId = text(data, 'businessId');
        if (event.type === 'JobSubmitted' || event.type === 'JobAccepted') {
          setJob(streamId, {
            ...(regionId ? { regionId } : {}),
            ...(businessId ? { businessId } : {}),
            ...(text(data, 'title') ? { title: text(data, 'title')! } : {}),
          });
          if (event.type === 'JobSubmitted') setFact(`quote:${streamId}`, json(data.amountYen));
        }
        subject('business', businessId ?? job(streamId)?.businessId);
        if (event.type === 'JobQuoted') {
          const before = fact(`quote:${streamId}`) ?? null;
          const after = json(data.amountYen);
          if (before !== null && !sameJson(before, after))
            correct(job(streamId)?.regionId ?? null, [{ field: 'amountYen', before, after }]);
          setFact(`quote:${streamId}`, after);
        }
        break;
      }
      case 'plan': {
        subject('job', streamId);
        subject('business', text(data, 'businessId') ?? job(streamId)?.businessId);
        const regionId = text(data, 'regionId');
        if (regionId || text(data, 'businessId'))
          setJob(streamId, {
            ...(regionId ? { regionId } : {}),
            ...(text(data, 'businessId') ? { businessId: text(data, 'businessId')! } : {}),
          });
        if (event.type === 'TasksPlanned')
          for (const t of list(data, 'tasks')) {
            const taskId = text(t, 'taskId');
            if (taskId === undefined) continue;
            subject('task', taskId);
            folded.tasks.set(taskId, { jobId: streamId, title: text(t, 'title') ?? null, order });
          }
        if (event.type === 'PlanProposed' || event.type === 'PlanRevised') {
          const drafts = json(
            list(data, 'tasks').map((t) => ({
              key: t.key ?? null,
              title: t.title ?? null,
              minutes: t.estimatedMinutes ?? null,
            })),
          );
          const before = fact(`plan:${streamId}`);
          if (event.type === 'PlanRevised' && before !== undefined && !sameJson(before, drafts))
            correct(job(streamId)?.regionId ?? null, [{ field: 'tasks', before, after: drafts }]);
          setFact(`plan:${streamId}`, drafts);
        }
        break;
      }
      case 'schedule': {
        subject('job', streamId);
        if (event.type === 'TasksReceived') {
          const regionId = text(data, 'regionId');
          const businessId = text(data, 'businessId');
          setJob(streamId, { ...(regionId ? { regionId } : {}), ...(businessId ? { businessId } : {}) });
          for (const t of list(data, 'tasks')) {
            const taskId = text(t, 'taskId');
            if (taskId === undefined) continue;
            subject('task', taskId);
            folded.tasks.set(taskId, {
              jobId: streamId,
              title: text(t, 'title') ?? task(taskId)?.title ?? null,
              order,
            });
          }
        }
        subject('business', job(streamId)?.businessId);
        const taskId = text(data, 'taskId');
        subject('task', taskId);
        for (const key of ['memberId', 'fromMemberId', 'toMemberId', 'traineeMemberId'])
          subject('member', text(data, key));
        const regionId = job(streamId)?.regionId ?? text(data, 'teamRegionId') ?? null;
        if (taskId !== undefined) {
          const at = event.occurredAt;
          switch (event.type) {
            case 'TaskAssigned':
              holdings.push({
                taskId,
                jobId: streamId,
                memberId: text(data, 'memberId') ?? null,
                at,
                kind: 'assigned',
              });
              break;
            case 'TaskHandedOff':
              holdings.push({
                taskId,
                jobId: streamId,
                memberId: text(data, 'toMemberId') ?? null,
                at,
                kind: 'handed_off',
              });
              handOff = {
                at,
                regionId: regionId ?? '',
                jobId: streamId,
                taskId,
                fromMemberId: text(data, 'fromMemberId') ?? '',
                toMemberId: text(data, 'toMemberId') ?? null,
                by: actor ?? '',
                reason: data.reason ?? '',
                progressNote: data.progressNote ?? null,
              };
              break;
            case 'TaskReleased':
              // A cancelled job's tasks are released with it, in the same append: no hand-off.
              if (cancelledWith(page, index)) {
                holdings.push({ taskId, jobId: streamId, memberId: null, at, kind: 'cancelled' });
                break;
              }
              holdings.push({ taskId, jobId: streamId, memberId: null, at, kind: 'released' });
              // A hand-off is decided as the release and then its successor, in one append (one
              // page: pages end where an append ends): that is one hand-off, told by TaskHandedOff.
              if (handedOffNext(page, index, taskId)) break;
              handOff = {
                at,
                regionId: regionId ?? '',
                jobId: streamId,
                taskId,
                fromMemberId: text(data, 'memberId') ?? '',
                toMemberId: null,
                by: actor ?? '',
                reason: data.reason ?? '',
                progressNote: data.progressNote ?? null,
              };
              break;
            case 'AssignmentOverridden':
              holdings.push({
                taskId,
                jobId: streamId,
                memberId: text(data, 'toMemberId') ?? null,
                at,
                kind: 'overridden',
              });
              correct(regionId, [
                { field: 'holder', before: json(data.fromMemberId ?? null), after: json(data.toMemberId ?? null) },
              ]);
              break;
            default:
              break;
          }
        }
        break;
      }
      case 'crew': {
        subject('member', streamId);
        const regionId = text(data, 'regionId');
        if (regionId) folded.members.set(streamId, { regionId, order });
        if (event.type === 'MemberAvailabilityChanged' || event.type === 'MemberJoinedTeam') {
          const key = `availability:${streamId}`;
          const after = json(data.availability ?? null);
          const before = fact(key);
          if (event.type === 'MemberAvailabilityChanged' && before !== undefined && !sameJson(before, after))
            correct(member(streamId)?.regionId ?? null, [{ field: 'availability', before, after }]);
          setFact(key, after);
        }
        if (event.type === 'WishedHoursSet') {
          const key = `wishedHours:${streamId}`;
          const after = json(data.minutesPerWeek ?? null);
          const before = fact(key);
          if (before !== undefined && !sameJson(before, after))
            correct(member(streamId)?.regionId ?? null, [{ field: 'minutesPerWeek', before, after }]);
          setFact(key, after);
        }
        break;
      }
      case 'timesheet': {
        subject('member', streamId);
        const regionOf = (): string | null => member(streamId)?.regionId ?? null;
        const entryId = text(data, 'entryId');
        if (event.type === 'TimeEntryRecorded' && entryId !== undefined) {
          const recorded: EntryFacts = {
            memberId: streamId,
            taskId: text(data, 'taskId') ?? '',
            jobId: text(data, 'jobId') ?? '',
            regionId: text(data, 'regionId') ?? '',
            start: text(data, 'start') ?? '',
            end: text(data, 'end') ?? '',
            minutes: Number(data.minutes ?? 0),
          };
          folded.entries.set(entryId, { ...recorded, order });
        }
        if ((event.type === 'TimeEntryCorrected' || event.type === 'TimeEntryDeleted') && entryId !== undefined) {
          const before = entry(entryId);
          subject('task', before?.taskId);
          subject('job', before?.jobId);
          const regionId = before?.regionId || regionOf();
          if (event.type === 'TimeEntryCorrected') {
            const after = {
              start: text(data, 'start') ?? '',
              end: text(data, 'end') ?? '',
              minutes: Number(data.minutes ?? 0),
            };
            correct(regionId, [
              { field: 'start', before: before?.start ?? null, after: after.start },
              { field: 'end', before: before?.end ?? null, after: after.end },
              { field: 'minutes', before: before?.minutes ?? null, after: after.minutes },
            ]);
            if (before !== undefined) folded.entries.set(entryId, { ...before, ...after, order });
          } else {
            correct(regionId, [
              {
                field: 'entry',
                before:
                  before === undefined
                    ? null
                    : json({ start: before.start, end: before.end, minutes: before.minutes, taskId: before.taskId }),
                after: null,
              },
            ]);
          }
        }
        if (event.type === 'WeekReopened')
          correct(regionOf(), [
            { field: `week ${text(data, 'weekStart') ?? ''}`, before: 'approved', after: 'reopened' },
          ]);
        subject('task', text(data, 'taskId'));
        subject('job', text(data, 'jobId'));
        // The member marked her task done: she holds it no more.
        if (event.type === 'TaskMarkedDone' && text(data, 'taskId') !== undefined)
          holdings.push({
            taskId: text(data, 'taskId')!,
            jobId: text(data, 'jobId') ?? '',
            memberId: null,
            at: event.occurredAt,
            kind: 'done',
          });
        if (event.type === 'WeekApproved')
          for (const approved of list(data, 'entries')) {
            subject('task', text(approved, 'taskId'));
            subject('job', text(approved, 'jobId'));
          }
        break;
      }
      case 'member': {
        subject('member', streamId);
        const regionId = text(data, 'regionId');
        if (event.type === 'MemberRegistered' && regionId) folded.members.set(streamId, { regionId, order });
        if (event.type === 'MemberRegistered' || event.type === 'MemberAvailabilityUpdated') {
          const key = `availability:${streamId}`;
          const after = json(data.availability ?? null);
          const before = fact(key);
          if (event.type === 'MemberAvailabilityUpdated' && before !== undefined && !sameJson(before, after))
            correct(member(streamId)?.regionId ?? null, [{ field: 'availability', before, after }]);
          setFact(key, after);
        }
        if (event.type === 'MemberForgotten') setFact(`forgotten:${streamId}`, true);
        rolesChange(event, member(streamId)?.regionId ?? null, correct, subject);
        break;
      }
      case 'user':
        rolesChange(event, null, correct, subject);
        break;
      case 'business': {
        subject('business', streamId);
        if (event.type === 'BusinessRegistered')
          folded.businesses.set(streamId, {
            regionId: text(data, 'regionId') ?? null,
            name: text(data, 'name') ?? null,
            order,
          });
        break;
      }
      case 'settlement': {
        subject('settlement', streamId);
        if (event.type === 'MonthClosed') {
          for (const invoice of list(data, 'invoices')) {
            const recipient = invoice.recipient as Data | undefined;
            subject('business', recipient === undefined ? undefined : text(recipient, 'businessId'));
          }
          for (const statement of list(data, 'statements')) subject('member', text(statement, 'memberId'));
        }
        break;
      }
      case 'payee':
        subject('member', streamId);
        break;
      case 'auditquery':
        if (event.type === 'AuditQueried') {
          const parameters: Record<string, string> = {};
          const given = data.parameters;
          if (typeof given === 'object' && given !== null)
            for (const [key, value] of Object.entries(given as Data))
              if (typeof value === 'string') parameters[key] = value;
          query = {
            at: event.occurredAt,
            actor: text(data, 'actorId') ?? actor ?? '',
            query: text(data, 'query') ?? '',
            parameters,
          };
        }
        break;
      default:
        break;
    }
    events.push({ event, subjects: [...subjects.values()], holdings, handOff, correction, query });
  }
  return folded;
};

/** Whether the event after this release hands the same task off (the successor of one hand-off). */
const handedOffNext = (page: readonly ProjectedEvent[], index: number, taskId: string): boolean => {
  const release = page[index]!;
  const next = page[index + 1];
  return (
    next !== undefined &&
    next.type === 'TaskHandedOff' &&
    next.streamName === release.streamName &&
    next.streamVersion === release.streamVersion + 1 &&
    (next.data as Data).taskId === taskId
  );
};

/** Whether this release is one of a cancellation's: a JobCancelledRecorded of its stream earlier in its append. */
const cancelledWith = (page: readonly ProjectedEvent[], index: number): boolean => {
  const release = page[index]!;
  for (let i = index - 1, version = release.streamVersion - 1; i >= 0; i--, version--) {
    const earlier = page[i]!;
    if (earlier.streamName !== release.streamName || earlier.streamVersion !== version) return false;
    if (earlier.type === 'JobCancelledRecorded') return true;
    if (earlier.type !== 'TaskReleased') return false;
  }
  return false;
};

/** A role granted or revoked: a correction of the account's roles; a business user's is the business's. */
const rolesChange = (
  event: ProjectedEvent,
  regionId: string | null,
  correct: (regionId: string | null, changes: Change[]) => void,
  subject: (kind: AuditSubject, id: string | undefined) => void,
): void => {
  if (event.type !== 'RoleGranted' && event.type !== 'RoleRevoked') return;
  const data = event.data as Data;
  const role = data.role as Data | undefined;
  const roleText =
    role === undefined
      ? null
      : [role.kind, role.regionId ?? role.businessId].filter((p) => typeof p === 'string').join(':');
  if (role !== undefined && typeof role.businessId === 'string') subject('business', role.businessId);
  const region = role !== undefined && typeof role.regionId === 'string' ? role.regionId : regionId;
  correct(region, [
    event.type === 'RoleGranted'
      ? { field: 'role', before: null, after: roleText }
      : { field: 'role', before: roleText, after: null },
  ]);
};
