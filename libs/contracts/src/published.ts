/**
 * Published events: what a service lets other services consume, each event type at each of its
 * schema versions, with the stream category it is recorded on and the JSON Schema its data
 * follows (TypeBox: the schema and its static type from one source).
 *
 * A consumer reads other services' events only through `parsePublished` with the producers'
 * catalogues: an event type a producer does not publish is not consumable, and a published one
 * is checked whole against its schema before anything reads it.
 */
import type { RecordedEvent } from '@workshare/eventsourcing';
import type { Static, TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';

/** One published event type at one schema version. */
export interface PublishedEvent<
  Type extends string = string,
  Version extends number = number,
  Schema extends TSchema = TSchema,
> {
  /** The producing service, e.g. `job-intake`. */
  readonly producer: string;
  readonly type: Type;
  readonly schemaVersion: Version;
  /**
   * The stream category: the event is recorded on `<category>-<id>`; several when the event is
   * recorded on streams of either (identity's RoleRevoked: a member's or a user's).
   */
  readonly category: string | readonly string[];
  /**
   * The data field holding the id of the event's stream, which must equal it. Absent when the data
   * does not hold it (team scheduling's task events, on the stream of their job): the consumer
   * reads the id from the stream (`streamId`).
   */
  readonly idField?: string;
  /** The JSON Schema of the event's data. Fields it does not name are not part of the contract. */
  readonly schema: Schema;
}

/** The events a producer publishes: each type at each of its versions, once. */
export type Catalogue = readonly PublishedEvent[];

/** Declares one published event type at one version (a frozen entry of a catalogue). */
export const publishedEvent = <const Type extends string, const Version extends number, Schema extends TSchema>(
  entry: PublishedEvent<Type, Version, Schema>,
): PublishedEvent<Type, Version, Schema> => Object.freeze(entry);

/** A published event as a consumer reads it: its type and version, its data typed by its schema. */
export type ConsumedEvent<Entry> =
  Entry extends PublishedEvent<infer Type, infer Version, infer Schema>
    ? {
        readonly type: Type;
        readonly schemaVersion: Version;
        readonly data: Static<Schema>;
        /** The id of the event's stream: what follows `<category>-` in its name. */
        readonly streamId: string;
        /** The event as recorded (id, stream, metadata, times). */
        readonly event: RecordedEvent;
      }
    : never;

/** Every event a catalogue lets a consumer read. */
export type ConsumedOf<C extends Catalogue> = ConsumedEvent<C[number]>;

/** Stable codes of a refused event. */
export const CONTRACT_CODES = Object.freeze({
  /** The producer does not publish this event type: no consumer may read it. */
  unpublished: 'contract.unpublished_event',
  /** The type is published, but not at the event's schema version. */
  unsupportedVersion: 'contract.unsupported_version',
  /** The event does not follow its published schema (or is not on its stream). */
  malformed: 'contract.malformed_event',
} as const);
export type ContractCode = (typeof CONTRACT_CODES)[keyof typeof CONTRACT_CODES];

/** Why an event was refused: a stable code, the field at fault (as `tasks[0].taskId`) when one is. */
export interface ContractViolation {
  readonly code: ContractCode;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly field?: string;
  readonly message: string;
}

export type ParseResult<C extends Catalogue> =
  { readonly ok: true; readonly value: ConsumedOf<C> } | { readonly ok: false; readonly error: ContractViolation };

/** True if the catalogue publishes this event type (at any version). */
export const isPublished = (catalogue: Catalogue, type: string): boolean => catalogue.some((e) => e.type === type);

/** The event types a catalogue publishes, each once, e.g. for a bus subscription's filter. */
export const publishedTypes = (catalogue: Catalogue): string[] => [...new Set(catalogue.map((e) => e.type))];

/** The stream categories an entry's events are recorded on. */
export const categoriesOf = (entry: Pick<PublishedEvent, 'category'>): readonly string[] =>
  typeof entry.category === 'string' ? [entry.category] : entry.category;

/** The entry of one type at one version, if published. */
export const publishedEntry = (catalogue: Catalogue, type: string, schemaVersion: number): PublishedEvent | undefined =>
  catalogue.find((e) => e.type === type && e.schemaVersion === schemaVersion);

const validators = new WeakMap<TSchema, Validator>();
const validatorOf = (schema: TSchema): Validator => {
  let validator = validators.get(schema);
  if (validator === undefined) {
    validator = Compile(schema);
    validators.set(schema, validator);
  }
  return validator;
};

interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: object;
  readonly message: string;
}

/** `/tasks/0/taskId` → `tasks[0].taskId`; a missing property is named itself. */
const fieldOf = (error: SchemaError): string => {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.keyword === 'required') {
    const missing = (error.params as { requiredProperties?: string[] }).requiredProperties?.[0];
    if (missing !== undefined) segments.push(missing);
  }
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path === '' ? s : `${path}.${s}`), '');
};

/** The most precise of the schema's errors: the deepest field. */
const firstError = (errors: readonly SchemaError[]): SchemaError | undefined =>
  errors.reduce<SchemaError | undefined>(
    (best, e) => (best === undefined || fieldOf(e).length > fieldOf(best).length ? e : best),
    undefined,
  );

/**
 * Reads a recorded event through a catalogue: its published schema at the event's version, and
 * its stream: `<category>-<id>`, of one of its categories, with `id` equal to `data[idField]` when
 * the entry names an id field (and not empty). Never throws: a refusal is a value with a stable
 * code (CONTRACT_CODES) naming the field at fault.
 */
export const parsePublished = <C extends Catalogue>(catalogue: C, event: RecordedEvent): ParseResult<C> => {
  const refuse = (code: ContractCode, message: string, field?: string): ParseResult<C> => ({
    ok: false,
    error: {
      code,
      eventId: event.id,
      type: event.type,
      schemaVersion: event.schemaVersion,
      ...(field === undefined ? {} : { field }),
      message,
    },
  });
  if (!isPublished(catalogue, event.type))
    return refuse(CONTRACT_CODES.unpublished, `${event.type} is not a published event`);
  const entry = publishedEntry(catalogue, event.type, event.schemaVersion);
  if (entry === undefined) {
    const versions = catalogue.filter((e) => e.type === event.type).map((e) => e.schemaVersion);
    return refuse(
      CONTRACT_CODES.unsupportedVersion,
      `${event.type} is published at schema version ${versions.join(', ')}, not ${event.schemaVersion}`,
    );
  }
  const validator = validatorOf(entry.schema);
  if (!validator.Check(event.data)) {
    const error = firstError(validator.Errors(event.data));
    const field = error === undefined ? undefined : fieldOf(error);
    return refuse(
      CONTRACT_CODES.malformed,
      `${field === undefined || field === '' ? 'data' : field}: ${error?.message ?? 'does not follow the schema'}`,
      field === '' ? undefined : field,
    );
  }
  let streamId: string;
  if (entry.idField !== undefined) {
    const id = (event.data as Record<string, unknown>)[entry.idField];
    if (!categoriesOf(entry).some((category) => event.streamName === `${category}-${String(id)}`))
      return refuse(
        CONTRACT_CODES.malformed,
        `${entry.idField} ${String(id)} is not the id of stream ${event.streamName}`,
        entry.idField,
      );
    streamId = String(id);
  } else {
    const category = categoriesOf(entry).find(
      (c) => event.streamName.length > c.length + 1 && event.streamName.startsWith(`${c}-`),
    );
    if (category === undefined)
      return refuse(
        CONTRACT_CODES.malformed,
        `${event.type} is recorded on a stream ${categoriesOf(entry)
          .map((c) => `${c}-<id>`)
          .join(' or ')}, not ${event.streamName}`,
      );
    streamId = event.streamName.slice(category.length + 1);
  }
  return {
    ok: true,
    value: {
      type: entry.type,
      schemaVersion: entry.schemaVersion,
      data: event.data,
      streamId,
      event,
    } as unknown as ConsumedOf<C>,
  };
};

/**
 * The JSON Schema of a published event as plain JSON (what is committed, compared and shown to
 * other teams): TypeBox's own bookkeeping keys (`~kind`, ...) left out.
 */
export const jsonSchemaOf = (entry: PublishedEvent): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify(entry.schema, (key, value: unknown) => (key.startsWith('~') ? undefined : value)),
  ) as Record<string, unknown>;
