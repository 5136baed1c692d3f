import { ValidationError, type EventStore, type ProjectionStore } from '@workshare/eventsourcing';
import {
  DEFAULT_EVENTSTORE_URL,
  embeddedDriver,
  openEventStore,
  openServiceProjections,
  postgresDriver,
  type SqlDriver,
} from '@workshare/eventstore';
import { systemClock, type Clock } from '@workshare/time';
import { EnvelopeEncryption } from './adapters/envelope-encryption.js';
import { DEFAULT_ISSUER, JwtTokenService } from './adapters/jwt-tokens.js';
import { hmacEmailIndex, resolveMasterKey } from './adapters/master-key.js';
import { DEFAULT_SCRYPT_COST, ScryptPasswordHasher, type ScryptCost } from './adapters/scrypt-password-hasher.js';
import { loadSigningKey } from './adapters/signing-key.js';
import { DEFAULT_KEY_VAULT_SCHEMA, SqlKeyVault } from './adapters/sql-key-vault.js';
import { IdentityService } from './application/identity-service.js';
import type { KeyVault } from './application/ports.js';

export interface OpenIdentityOptions {
  /** Environment to read (default process.env): EVENTSTORE_URL, IDENTITY_MASTER_KEY, IDENTITY_SIGNING_KEY, IDENTITY_ISSUER, IDENTITY_KEY_VAULT_URL. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** An event store opened already (the launcher shares one); closed by its opener, not here. */
  readonly store?: EventStore;
  /** The store's URL: decides where the key vault and the default master key live (default EVENTSTORE_URL). */
  readonly storeUrl?: string;
  /** A key vault of your own (tests); default: SQL in the store's database, schema `identity_keys`. */
  readonly keyVault?: KeyVault;
  readonly keyVaultSchema?: string;
  readonly scryptCost?: ScryptCost;
  readonly tokenTtlSeconds?: number;
  /**
   * The platform's clock (default systemClock): the events' occurredAt, the rules, tokens'
   * issue and expiry, sessions' expiry and the sign-in limits all read it.
   */
  readonly now?: Clock;
  /** How stale queries may be for other processes' writes (default 100 ms; see IdentityServiceOptions). */
  readonly readStalenessMs?: number;
  /** Where the directory keeps its state (default: PROJECTIONS_URL, else the store's own database, schema `identity`). */
  readonly projections?: ProjectionStore;
}

export interface IdentityRuntime {
  readonly service: IdentityService;
  readonly store: EventStore;
  readonly keyVault: KeyVault;
  close(): Promise<void>;
}

/**
 * The key vault's database: the store's own PostgreSQL, or the embedded store's folder (the
 * same PGlite instance in this process); IDENTITY_KEY_VAULT_URL (postgres://) overrides, and a
 * KurrentDB store needs it.
 */
const keyVaultDriver = (env: Readonly<Record<string, string | undefined>>, storeUrl: string): SqlDriver => {
  const url = env.IDENTITY_KEY_VAULT_URL?.trim() || storeUrl;
  if (/^postgres(ql)?:/i.test(url)) return postgresDriver({ connectionString: url, maxConnections: 4 });
  if (url.startsWith('embedded:')) return embeddedDriver(url.slice('embedded:'.length));
  throw new ValidationError(
    'identity.key_vault_url_missing',
    'the key vault needs PostgreSQL or the embedded store: with a KurrentDB store, set IDENTITY_KEY_VAULT_URL=postgres://...',
  );
};

/** Composition root of the identity service: configuration → adapters → service. */
export const openIdentityService = async (options: OpenIdentityOptions = {}): Promise<IdentityRuntime> => {
  const env = options.env ?? process.env;
  const now = options.now ?? systemClock;
  const storeUrl = options.storeUrl ?? env.EVENTSTORE_URL ?? DEFAULT_EVENTSTORE_URL;
  const master = resolveMasterKey(env, storeUrl);
  const ownStore = options.store === undefined;
  const store = options.store ?? (await openEventStore(storeUrl));
  let keyVault: KeyVault | undefined;
  let projections: ProjectionStore | undefined;
  try {
    keyVault =
      options.keyVault ??
      (await SqlKeyVault.open(keyVaultDriver(env, storeUrl), {
        schema: options.keyVaultSchema ?? DEFAULT_KEY_VAULT_SCHEMA,
      }));
    projections = options.projections ?? (await openServiceProjections(store, 'identity', env.PROJECTIONS_URL));
    const tokens = await JwtTokenService.create(await loadSigningKey(env, keyVault, master), {
      issuer: env.IDENTITY_ISSUER?.trim() || DEFAULT_ISSUER,
      ...(options.tokenTtlSeconds !== undefined ? { ttlSeconds: options.tokenTtlSeconds } : {}),
      now,
    });
    const service = new IdentityService({
      store,
      projections,
      protector: new EnvelopeEncryption(keyVault, master),
      emailIndex: hmacEmailIndex(master),
      passwords: new ScryptPasswordHasher(options.scryptCost ?? DEFAULT_SCRYPT_COST),
      tokens,
      now,
      ...(options.readStalenessMs !== undefined ? { readStalenessMs: options.readStalenessMs } : {}),
    });
    const vault = keyVault;
    const ownProjections = options.projections === undefined ? projections : undefined;
    return {
      service,
      store,
      keyVault: vault,
      close: async () => {
        for (const model of service.readModels) await model.flush().catch(() => undefined);
        if (!options.keyVault) await vault.close();
        await ownProjections?.close();
        if (ownStore) await store.close();
      },
    };
  } catch (error) {
    if (keyVault && !options.keyVault) await keyVault.close().catch(() => undefined);
    if (projections && !options.projections) await projections.close().catch(() => undefined);
    if (ownStore) await store.close().catch(() => undefined);
    throw error;
  }
};
