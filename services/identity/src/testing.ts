/**
 * For other services' tests and benches: a real identity service on a loopback port, over the
 * given store, with a small cooperative of people who hold every kind of role, and their real
 * tokens. Nothing here is faked: the tokens are signed by this identity and verified over gRPC.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CommandContext, EventStore, PersonRole } from '@workshare/eventsourcing';
import { openEventStore } from '@workshare/eventstore';
import { IdentityTokenVerifierClient, type Caller as VerifiedCaller, type GrpcServer } from '@workshare/grpc';
import { InMemoryKeyVault } from './adapters/in-memory-key-vault.js';
import { startIdentityGrpc } from './adapters/grpc/identity-grpc.js';
import type { IdentityService } from './application/identity-service.js';
import { corporateRegistrationNumber } from './domain/registration-number.js';
import { openIdentityService } from './open-identity.js';
import { identityServiceTexts } from './adapters/in-process-texts.js';
import type { Weekday } from './domain/availability.js';
import type { PersonalTexts } from './texts.js';

export interface TestActor {
  /** The user's (or member's) id: the `subject` other services see. */
  readonly id: string;
  readonly email: string;
  /** A signed bearer token (2 hours here, longer than any test run; 15 minutes in production). */
  readonly token: string;
}

export interface TestCooperative {
  /** host:port of identity's gRPC API. */
  readonly identityAddress: string;
  readonly service: IdentityService;
  readonly server: GrpcServer;
  readonly password: string;
  /** Two businesses of fujisato and one of setagaya. */
  readonly businesses: { readonly fujisato: string; readonly fujisatoOther: string; readonly setagaya: string };
  readonly operator: TestActor;
  readonly accountant: TestActor;
  /** Coordinator of fujisato. */
  readonly coordinator: TestActor;
  /** Coordinator of setagaya: must be refused on fujisato's jobs. */
  readonly setagayaCoordinator: TestActor;
  /** Acts for `businesses.fujisato`. */
  readonly business: TestActor;
  /** Acts for `businesses.fujisatoOther`: must never see `business`'s jobs. */
  readonly otherBusiness: TestActor;
  /** Acts for `businesses.setagaya`. */
  readonly setagayaBusiness: TestActor;
  /** A member of fujisato living in fujikoto. */
  readonly member: TestActor;
  /** A token of `business` signed by this identity that expired hours ago. */
  readonly expiredToken: string;
  /** Free texts sealed and opened by this identity (its facade in this process). */
  readonly texts: PersonalTexts;
  /**
   * Registers one more member (by the operator), with invented personal data: her id. Her
   * MemberRegistered goes to the store as every member's does.
   */
  registerMember(spec: TestMemberSpec): Promise<string>;
  close(): Promise<void>;
}

/** A member for `TestCooperative.registerMember`. */
export interface TestMemberSpec {
  /** `<region>/<town>`. */
  readonly townId: string;
  readonly skills: readonly string[];
  readonly availability: readonly { readonly day: Weekday; readonly start: string; readonly end: string }[];
  readonly contractType?: 'contractor' | 'employee';
}

const PASSWORD = 'test-cooperative-password';

/**
 * Starts identity on `store` (a port of its own on 127.0.0.1) and registers the cooperative. Use
 * a fresh store (embedded:memory) or a unique `tag` per call: emails must be unique in a store.
 */
export const startTestCooperative = async (options: { store: EventStore; tag?: string }): Promise<TestCooperative> => {
  const tag = options.tag ?? randomUUID().slice(0, 8);
  // One master key and key vault for both runtimes below: they sign with the same key.
  const env = { IDENTITY_MASTER_KEY: randomBytes(32).toString('base64') };
  const keyVault = new InMemoryKeyVault();
  const common = {
    env,
    store: options.store,
    storeUrl: 'embedded:memory',
    keyVault,
    scryptCost: { N: 1024, r: 8, p: 1 },
    tokenTtlSeconds: 2 * 3600,
  } as const;
  const runtime = await openIdentityService(common);
  const service = runtime.service;
  const server = await startIdentityGrpc({ service, port: 0, host: '127.0.0.1' });
  try {
    const email = (who: string) => `${who}.${tag}@test.example`;
    /** A person signed in: her test actor, and the context of a fresh request of hers. */
    const signIn = async (who: string): Promise<{ as: () => CommandContext; actor: TestActor }> => {
      const result = await service.login(email(who), PASSWORD);
      return {
        as: () => ({ actor: result.actor, requestId: randomUUID() }),
        actor: { id: result.caller.id, email: email(who), token: result.token },
      };
    };
    const user = async (operator: () => CommandContext, who: string, name: string) =>
      (await service.registerUser(operator(), { name, email: email(who), password: PASSWORD })).userId;

    await service.bootstrapOperator({ name: 'Test Operator', email: email('operator'), password: PASSWORD });
    const operator = await signIn('operator');
    const serial = (n: number) =>
      corporateRegistrationNumber(`97${String(Date.now()).slice(-6)}${String(n).padStart(4, '0')}`);
    const business = async (name: string, regionId: string, n: number) =>
      (await service.registerBusiness(operator.as(), { name, registrationNumber: serial(n), regionId })).businessId;
    const businesses = {
      fujisato: await business('白神木工 (test)', 'fujisato', 1),
      fujisatoOther: await business('藤里観光 (test)', 'fujisato', 2),
      setagaya: await business('世田谷デザイン (test)', 'setagaya', 3),
    };

    const grant = async (accountId: string, role: PersonRole) =>
      service.grantRole(operator.as(), { accountId, role, reason: 'test cooperative' });
    const member = async (who: string, townId: string, skills: readonly string[]) =>
      (
        await service.registerMember(operator.as(), {
          name: `Test ${who}`,
          address: `${townId} 1`,
          email: email(who),
          password: PASSWORD,
          bankAccount: {
            bankCode: '9999',
            branchCode: '001',
            type: 'ordinary',
            number: '0012345',
            holder: 'テスト メンバー',
          },
          townId,
          contractType: 'contractor',
          skills,
          availability: [{ day: 'mon', start: '13:00', end: '13:40' }],
        })
      ).memberId;
    await member('member', 'fujisato/fujikoto', ['data entry']);
    const accountantId = await user(operator.as, 'accountant', 'Test Accountant');
    await grant(accountantId, { kind: 'accountant' });
    // A coordinator is a member living in her region (the hand-over to local people).
    const coordinatorId = await member('coordinator', 'fujisato/fujikoto', ['coordination']);
    await grant(coordinatorId, { kind: 'coordinator', regionId: 'fujisato' });
    const setagayaCoordinatorId = await member('setagaya-coordinator', 'setagaya/sangenjaya', ['coordination']);
    await grant(setagayaCoordinatorId, { kind: 'coordinator', regionId: 'setagaya' });
    for (const [who, businessId] of [
      ['business', businesses.fujisato],
      ['other-business', businesses.fujisatoOther],
      ['setagaya-business', businesses.setagaya],
    ] as const) {
      await grant(await user(operator.as, who, `Test ${who}`), { kind: 'business', businessId });
    }
    // The same identity, its clock nine hours back: what it signs now expired seven hours ago.
    const past = await openIdentityService({ ...common, now: () => new Date(Date.now() - 9 * 3_600_000) });
    const expiredToken = (await past.service.login(email('business'), PASSWORD)).token;
    await past.close();

    let registered = 0;
    return {
      expiredToken,
      texts: identityServiceTexts(service),
      registerMember: async (spec) => {
        const who = `member-${++registered}-${randomUUID().slice(0, 8)}`;
        const { memberId } = await service.registerMember(operator.as(), {
          name: `Test ${who}`,
          address: `${spec.townId} ${registered}`,
          email: email(who),
          password: PASSWORD,
          bankAccount: {
            bankCode: '9999',
            branchCode: '001',
            type: 'ordinary',
            number: '0012345',
            holder: 'テスト メンバー',
          },
          townId: spec.townId,
          contractType: spec.contractType ?? 'contractor',
          skills: [...spec.skills],
          availability: spec.availability.map((w) => ({ ...w })),
        });
        return memberId;
      },
      identityAddress: `127.0.0.1:${server.port}`,
      service,
      server,
      password: PASSWORD,
      businesses,
      operator: operator.actor,
      accountant: (await signIn('accountant')).actor,
      coordinator: (await signIn('coordinator')).actor,
      setagayaCoordinator: (await signIn('setagaya-coordinator')).actor,
      business: (await signIn('business')).actor,
      otherBusiness: (await signIn('other-business')).actor,
      setagayaBusiness: (await signIn('setagaya-business')).actor,
      member: (await signIn('member')).actor,
      close: async () => {
        await server.shutdown(1_000);
        await runtime.close();
      },
    };
  } catch (error) {
    await server.shutdown(0).catch(() => undefined);
    await runtime.close().catch(() => undefined);
    throw error;
  }
};

/** A statement on the database a test reads (SqlDriver's `query`, or a pg client's rows). */
export type RowQuery = <Row>(sql: string, params?: readonly unknown[]) => Promise<Row[]>;

/** One file of a relation of the database, as read from the server's data directory. */
export interface RelationFile {
  /** The relation (`schema.table`, an index, a TOAST table, a catalog). */
  readonly relation: string;
  /** Its path under the data directory (`base/<db>/<filenode>`, with `.1`… for later segments, `_fsm`, `_vm`). */
  readonly path: string;
  readonly bytes: Buffer;
}

/**
 * Every file of every relation of the connected database (heap, TOAST, indexes, sequences, the
 * catalogs; each segment and fork), read through the server as an attacker with the data
 * directory would read it: pages as they are on disk, dead row versions included. A CHECKPOINT
 * first writes every page changed in memory to its file. Needs a superuser (the embedded
 * PGlite is one; on PostgreSQL, pg_read_binary_file).
 */
export const readRelationFiles = async (query: RowQuery): Promise<RelationFile[]> => {
  await query('CHECKPOINT');
  // Each fork's segments of 1 GiB (`<filenode>`, `<filenode>.1`...; `_fsm`, `_vm`, `_init` for the other
  // forks), read in halves (a read is at most 1 GiB - 1); a page never spans two halves.
  const rows = await query<{ relation: string; path: string; bytes: Uint8Array | null }>(
    `SELECT relation, path, pg_read_binary_file(path, part_offset, part_length, true) AS bytes FROM (
       SELECT c.oid::regclass::text AS relation,
              pg_relation_filepath(c.oid) || f.suffix || CASE WHEN p.part / 2 = 0 THEN '' ELSE '.' || (p.part / 2) END AS path,
              (p.part % 2) * 536870912::bigint AS part_offset,
              LEAST(536870912::bigint, pg_relation_size(c.oid, f.fork) - p.part * 536870912::bigint) AS part_length
         FROM pg_class c
        CROSS JOIN (VALUES ('main', ''), ('fsm', '_fsm'), ('vm', '_vm'), ('init', '_init')) AS f(fork, suffix)
        CROSS JOIN LATERAL generate_series(0, GREATEST(0, (pg_relation_size(c.oid, f.fork) - 1) / 536870912)::int) AS p(part)
        WHERE pg_relation_filepath(c.oid) IS NOT NULL
     ) files ORDER BY relation, path, part_offset`,
  );
  const files: RelationFile[] = rows.flatMap(({ relation, path, bytes }) =>
    bytes === null || bytes === undefined ? [] : [{ relation, path, bytes: Buffer.from(bytes) }],
  );
  return files;
};

/** Which of `needles` (by name) some relation file holds, and where: the UTF-8 bytes of each, anywhere in a file. */
export const foundInRelationFiles = (
  files: readonly RelationFile[],
  needles: Readonly<Record<string, string>>,
): { readonly needle: string; readonly relation: string; readonly path: string }[] =>
  Object.entries(needles).flatMap(([needle, value]) => {
    const bytes = Buffer.from(value, 'utf8');
    return files.filter((f) => f.bytes.includes(bytes)).map((f) => ({ needle, relation: f.relation, path: f.path }));
  });

/** The test cooperative with a temporary folder for the store of the service under test. */
export interface ProcessTestCooperative extends TestCooperative {
  /** An empty folder, for the tested service's `EVENTSTORE_URL=embedded:<dataDir>`; removed by `close()`. */
  readonly dataDir: string;
}

/**
 * For a service's process test (its built `main.js` run as a pod runs it): the test
 * cooperative on an in-memory store of its own, and an empty folder for the service's store.
 * `close()` stops identity and removes both.
 */
export const startProcessTestCooperative = async (folderPrefix: string): Promise<ProcessTestCooperative> => {
  const dataDir = mkdtempSync(path.join(tmpdir(), folderPrefix));
  const store = await openEventStore('embedded:memory');
  try {
    const coop = await startTestCooperative({ store });
    return {
      ...coop,
      dataDir,
      close: async () => {
        await coop.close();
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await store.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
};

/** The people of the test cooperative, by their key in `TestCooperative`. */
export type TestPerson =
  | 'operator'
  | 'accountant'
  | 'coordinator'
  | 'setagayaCoordinator'
  | 'business'
  | 'otherBusiness'
  | 'setagayaBusiness'
  | 'member';
export const TEST_PEOPLE: readonly TestPerson[] = [
  'operator',
  'accountant',
  'coordinator',
  'setagayaCoordinator',
  'business',
  'otherBusiness',
  'setagayaBusiness',
  'member',
];

/** The test cooperative as a service's facade sees its people. */
export interface TestCast {
  /** Each person as identity's VerifyToken gives her (what the gRPC host hands a service). */
  readonly callers: Readonly<Record<TestPerson, VerifiedCaller>>;
  readonly actors: Readonly<Record<TestPerson, TestActor>>;
  /** A fresh request of this person: a new request id, and her token. */
  request(person: TestPerson, requestId?: string): { readonly requestId: string; readonly token: string };
}

/** Every person of `coop` verified once over gRPC, as the services' facades take them. */
export const castOf = async (coop: TestCooperative): Promise<TestCast> => {
  const verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
  try {
    const actors = Object.fromEntries(TEST_PEOPLE.map((p) => [p, coop[p]])) as Record<TestPerson, TestActor>;
    const callers = Object.fromEntries(
      await Promise.all(TEST_PEOPLE.map(async (p) => [p, await verifier.verify(actors[p].token)] as const)),
    ) as Record<TestPerson, VerifiedCaller>;
    return {
      callers,
      actors,
      request: (person, requestId = randomUUID()) => ({ requestId, token: actors[person].token }),
    };
  } finally {
    verifier.close();
  }
};
