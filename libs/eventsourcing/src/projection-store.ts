import type { GlobalPosition } from './envelope.js';
import type { JsonValue } from './json.js';

/**
 * Where durable read models (projections) keep their state: documents (one per stream, or per
 * key a projection chooses), grouped in collections, and one checkpoint per projection, written
 * together in one transaction. The adapters live in @workshare/eventstore (PostgreSQL and the
 * embedded store, in the service's own schema).
 */

/** One stored document of a projection. */
export interface ProjectionDocument {
  /** The collection it belongs to (`accounts`, `jobs`, ...). */
  readonly collection: string;
  readonly key: string;
  /**
   * The version it is folded to (a stream's version). A commit never replaces a document with
   * one of a lower version: replicas and retries may commit the same documents in any order.
   */
  readonly version: number;
  readonly doc: JsonValue;
}

/** A projection's checkpoint as stored. */
export interface ProjectionCheckpoint {
  /** Every event of the projection's categories up to here (inclusive) is in its documents; undefined: none yet. */
  readonly position: GlobalPosition | undefined;
  /** Starts at 1; every rebuild from zero makes a new generation, so commits of an older one are refused. */
  readonly generation: number;
  /** The version of the projection's code that wrote the state (see ProjectionDefinition.version). */
  readonly codeVersion: number;
  readonly updatedAt: Date | undefined;
}

export interface ProjectionCommit {
  /** The generation the state was loaded in: a commit of another generation is refused (`stale`). */
  readonly generation: number;
  /** The checkpoint after this commit (it never moves back: the later of this and the stored one is kept); undefined: unchanged. */
  readonly position?: GlobalPosition;
  readonly documents: readonly ProjectionDocument[];
}

export interface ProjectionStore {
  /** Which store holds the projections, for logs: `postgres`, `embedded`. */
  readonly kind: string;
  /** The checkpoint (created, empty, when the projection has none) and every document. */
  load(
    projection: string,
    codeVersion: number,
  ): Promise<{ checkpoint: ProjectionCheckpoint; documents: ProjectionDocument[] }>;
  /** Writes the documents and moves the checkpoint in one transaction; `stale` (nothing written) when the generation moved on. */
  commit(projection: string, commit: ProjectionCommit): Promise<'committed' | 'stale'>;
  /** Empties the projection and starts a new generation (for a rebuild from zero): answers the new checkpoint. */
  reset(projection: string, codeVersion: number): Promise<ProjectionCheckpoint>;
  /** Every projection's checkpoint, by name. */
  checkpoints(): Promise<Map<string, ProjectionCheckpoint>>;
  close(): Promise<void>;
}

/**
 * How a view is kept as JSON: JSON as it is, with Dates, bigints, byte arrays, Sets and Maps
 * tagged (`{"$date": "..."}`, ...) so that they come back as they were. A view's own objects must
 * not use those keys.
 */
export const storedJson = {
  encode(value: unknown): JsonValue {
    return JSON.parse(
      JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
        const raw = this[key];
        if (raw instanceof Date) return { $date: raw.toISOString() };
        if (typeof raw === 'bigint') return { $bigint: raw.toString() };
        if (raw instanceof Uint8Array) return { $bytes: Buffer.from(raw).toString('base64') };
        if (raw instanceof Set) return { $set: [...raw] };
        if (raw instanceof Map) return { $map: [...raw] };
        return v;
      }),
    ) as JsonValue;
  },
  decode<T>(json: JsonValue): T {
    return JSON.parse(JSON.stringify(json), (_key, v: unknown) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
      const keys = Object.keys(v);
      if (keys.length !== 1) return v;
      const tagged = v as Record<string, unknown>;
      if (typeof tagged.$date === 'string') return new Date(tagged.$date);
      if (typeof tagged.$bigint === 'string') return BigInt(tagged.$bigint);
      if (typeof tagged.$bytes === 'string') return new Uint8Array(Buffer.from(tagged.$bytes, 'base64'));
      if (Array.isArray(tagged.$set)) return new Set(tagged.$set);
      if (Array.isArray(tagged.$map)) return new Map(tagged.$map as [unknown, unknown][]);
      return v;
    }) as T;
  },
};
