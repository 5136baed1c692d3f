/**
 * Forgetting is complete, read as an attacker with the master key would read the database: a
 * throw-away PostgreSQL database holding the event store, identity's key vault and read models
 * and team scheduling's, all of it. A member is registered (a distinctive name, address and bank
 * account), hands her task off with a distinctive reason ("sick child") and progress note, and is
 * forgotten; then every file of every relation of the database (heap, TOAST, indexes, catalogs;
 * each segment and fork, through pg_relation_filepath and pg_read_binary_file, as superuser) is
 * read, and none holds her wrapped data key, her personal data or her words. What the bus
 * carries of her hand-off holds her words sealed only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EmbeddedEventBus, type BusSubscription } from '@workshare/bus';
import type { CommandContext, EventStore, RecordedEvent } from '@workshare/eventsourcing';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  openEventStore,
  postgresDriver,
  type SqlDriver,
} from '@workshare/eventstore';
import type { GrpcServer } from '@workshare/grpc';
import {
  foundInRelationFiles,
  MasterKey,
  openIdentityService,
  readRelationFiles,
  startIdentityGrpc,
  type IdentityRuntime,
  type RowQuery,
} from '@workshare/identity';
import { describeNeeding } from '../../../libs/bus/test/support/nats.js';
import { startTeamSchedulingConsumers } from '../src/application/consumers.js';
import { crewStream } from '../src/domain/crew.js';
import { scheduleStream } from '../src/domain/job-schedule.js';
import { openTeamSchedulingService, type TeamSchedulingRuntime } from '../src/open-team-scheduling.js';
import { uniqueSchema } from './postgres.js';
import { eventually, everyDay, planTasks } from './support.js';

const PASSWORD = 'forgetting-test-password';

describeNeeding(
  'forgetting a member, read from the database’s files',
  { DATABASE_URL: process.env.DATABASE_URL },
  (found) => {
    const database = uniqueSchema('forgetdb');
    const marker = randomBytes(6).toString('hex');
    const master = MasterKey.generate();
    /** Everything of hers that must not survive her forgetting, each distinctive enough to be found only if it is hers. */
    const hers = {
      name: `忘却 花子 ${marker}`,
      address: `秋田県山本郡藤里町粕毛 忘却番地 ${marker}`,
      email: `hanako.${marker}@forget.example`,
      bankAccountNumber: String(1_000_000 + (parseInt(marker.slice(0, 6), 16) % 9_000_000)).padStart(7, '0'),
      holder: 'ボウキャク ハナコ',
      reason: `sick child ${marker}`,
      progressNote: `first ${marker} pages typed in, the rest on sheet two`,
    };
    let url: string;
    let superuser: SqlDriver;
    let store: EventStore;
    let identity: IdentityRuntime;
    let server: GrpcServer;
    let scheduling: TeamSchedulingRuntime;
    let bus: EmbeddedEventBus;
    let subscriptions: BusSubscription[] = [];
    const carried: RecordedEvent[] = [];

    const query: RowQuery = (sql, params) => superuser.query(sql, params);
    const asOperator = async (): Promise<CommandContext> => {
      const signedIn = await identity.service.login('operator@forget.example', PASSWORD);
      return { actor: signedIn.actor, requestId: randomUUID(), token: signedIn.token };
    };

    beforeAll(async () => {
      url = await createPostgresDatabase(found.DATABASE_URL, database);
      superuser = postgresDriver({ connectionString: url, maxConnections: 2 });
      store = await openEventStore(url);
      // Identity as in production: its key vault (schema identity_keys) and read models in the store's database.
      identity = await openIdentityService({
        env: { IDENTITY_MASTER_KEY: master.toBase64() },
        store,
        storeUrl: url,
        scryptCost: { N: 1024, r: 8, p: 1 },
      });
      server = await startIdentityGrpc({ service: identity.service, port: 0, host: '127.0.0.1' });
      // Team scheduling seals and opens her words through identity's RPCs, with her token.
      scheduling = await openTeamSchedulingService({ store, identityAddress: server.address });
      bus = new EmbeddedEventBus({ store, pollIntervalMs: 20 });
      subscriptions = [
        ...startTeamSchedulingConsumers({ service: scheduling.service, bus }),
        bus.subscribe({
          consumer: `forgetting-test-${marker}`,
          filter: { types: ['TaskReleased', 'TaskHandedOff'] },
          handle: (event) => void carried.push(event),
        }),
      ];
      await Promise.all(subscriptions.map((s) => s.ready));
      await identity.service.bootstrapOperator({
        name: 'Operator',
        email: 'operator@forget.example',
        password: PASSWORD,
      });
    }, 120_000);

    afterAll(async () => {
      await Promise.all(subscriptions.map((s) => s.stop()));
      await bus?.close();
      await scheduling?.close();
      await server?.shutdown(1_000);
      await identity?.close();
      await store?.close();
      await superuser?.close();
      await dropPostgresDatabase(found.DATABASE_URL, database);
    });

    it('leaves nothing of hers in any file of the database, and the bus carried her words sealed only', async () => {
      const skill = `archiving ${marker}`;
      const register = async (name: string, email: string, address: string, account: string, holder: string) =>
        (
          await identity.service.registerMember(await asOperator(), {
            name,
            address,
            email,
            password: PASSWORD,
            bankAccount: { bankCode: '0001', branchCode: '123', type: 'ordinary', number: account, holder },
            townId: 'fujisato/kasuge',
            contractType: 'contractor',
            skills: [skill],
            availability: everyDay('06:00', '23:00'),
          })
        ).memberId;
      const memberId = await register(hers.name, hers.email, hers.address, hers.bankAccountNumber, hers.holder);
      await eventually('she joined her team', async () =>
        (await store.readStream(crewStream(memberId))).length > 0 ? true : undefined,
      );
      // Hers alone can take the task: it is hers.
      const planned = await planTasks(store, { tasks: [{ estimatedMinutes: 30, skills: [skill] }] });
      const taskId = planned.taskIds[0]!;
      await eventually('her task assigned', async () => {
        const events = await store.readStream(scheduleStream(planned.jobId));
        return events.some((e) => e.type === 'TaskAssigned' && e.data.memberId === memberId) ? true : undefined;
      });
      const teammate = await register(
        '同僚 さん',
        `colleague.${marker}@forget.example`,
        '藤里町 1',
        '7654321',
        'ドウリョウ',
      );
      await eventually('her teammate joined', async () =>
        (await store.readStream(crewStream(teammate))).length > 0 ? true : undefined,
      );

      const her = await identity.service.login(hers.email, PASSWORD);
      await scheduling.service.handOffTask(
        { actor: her.actor, requestId: randomUUID(), token: her.token },
        { taskId, reason: hers.reason, progressNote: hers.progressNote },
      );
      const coordinatorView = await scheduling.service.getTaskHistory(await asOperator(), taskId);
      expect(coordinatorView.find((e) => e.kind === 'released')).toMatchObject({
        reason: hers.reason,
        progressNote: hers.progressNote,
      });

      // What the bus delivers of her hand-off (the store's events, as the relay publishes them): her words sealed only.
      await eventually('the bus carried the hand-off', () => (carried.length >= 2 ? true : undefined));
      for (const event of carried) {
        const data = JSON.stringify(event.data);
        expect(data).not.toContain(marker);
        expect(event.data.reason).toEqual({ sealedFor: memberId, sealed: expect.stringMatching(/^v1\./) });
      }

      const wrapped = (
        await query<{ wrapped_key: string }>(`SELECT wrapped_key FROM identity_keys.data_keys WHERE owner_id = $1`, [
          `member-${memberId}`,
        ])
      )[0]!.wrapped_key;
      const sealedReason = (carried[0]!.data.reason as { sealed: string }).sealed;
      // Before: the pages hold her wrapped key and her sealed words (so that finding none after means something)...
      const before = await readRelationFiles(query);
      expect(foundInRelationFiles(before, { wrapped }).map((f) => f.relation)).toEqual(['identity_keys.data_keys']);
      expect(foundInRelationFiles(before, { sealedReason }).length).toBeGreaterThan(0);
      // ...and never any of her personal data or words in clear.
      expect(foundInRelationFiles(before, hers)).toEqual([]);

      await identity.service.forgetMember(await asOperator(), { memberId, reason: 'asked in writing' });

      const after = await readRelationFiles(query);
      expect(foundInRelationFiles(after, { wrapped, ...hers })).toEqual([]);
      // Her sealed words are still in the log (it is never rewritten), and open for nobody.
      expect(foundInRelationFiles(after, { sealedReason }).length).toBeGreaterThan(0);
      const read = await scheduling.service.getTaskHistory(await asOperator(), taskId);
      expect(read.find((e) => e.kind === 'released')).toMatchObject({ reason: '', reasonStatus: 'redacted' });
      // With the master key, nothing of hers opens: her key is nowhere to unwrap.
      await expect(identity.keyVault.fetchKey(`member-${memberId}`)).resolves.toMatchObject({ state: 'destroyed' });
    }, 180_000);
  },
);
