/**
 * The audit over real gRPC on a loopback socket, with a real identity (the test cooperative)
 * verifying real tokens and answering names and sealed texts: every RPC, who may ask, the bad
 * input of each (status, `x-error-code`), the Export's CSV in UTF-8 and Shift_JIS, and the ops
 * ReadModels service beside it. Run on the embedded store (audit-grpc.spec.ts) and on
 * PostgreSQL (audit-grpc.int.spec.ts).
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@workshare/eventsourcing';
import { decodeShiftJis } from '@workshare/files';
import {
  createClient,
  IdentityTokenVerifierClient,
  jsonLogger,
  type GrpcServer,
  type ServiceClient,
} from '@workshare/grpc';
import { startTestCooperative, type TestCooperative, type TestPerson } from '@workshare/identity';
import { auditV1, opsV1 } from '@workshare/proto';
import { createAuditClient, startAuditGrpc, type AuditClient } from '../../src/adapters/grpc/audit-grpc.js';
import { openAuditService, type AuditRuntime } from '../../src/open-audit.js';
import { jobEvents, receivedTasks, scheduleEvents, submittedJob, tokyo } from '../producers.js';
import { refusal, wire } from './wire.js';

export interface GrpcTestEnv {
  readonly store: EventStore;
  close(): Promise<void>;
}

const { Subject, PersonalTextKind, CsvEncoding } = auditV1;
const INVALID = 'INVALID_ARGUMENT';
const DENIED = 'PERMISSION_DENIED';

export const describeAuditGrpc = (label: string, setup: () => Promise<GrpcTestEnv>): void => {
  describe(`the audit over gRPC (${label})`, () => {
    let env: GrpcTestEnv;
    let coop: TestCooperative;
    let runtime: AuditRuntime;
    let server: GrpcServer;
    let verifier: IdentityTokenVerifierClient;
    let client: AuditClient;
    let ops: ServiceClient<typeof opsV1.ReadModelsServiceService>;
    const logLines: string[] = [];
    const JOB = randomUUID();
    const TASK = randomUUID();

    const token = (person: TestPerson): string => coop[person].token;
    const call = (person: TestPerson) => ({ token: token(person) });

    beforeAll(async () => {
      env = await setup();
      coop = await startTestCooperative({ store: env.store });
      const businessId = coop.businesses.fujisato;
      await jobEvents(
        env.store,
        JOB,
        submittedJob(
          {
            jobId: JOB,
            businessId,
            regionId: 'fujisato',
            title: '名簿の入力',
            amountYen: '30000',
            by: coop.business.id,
          },
          tokyo('2026-11-02T09:00:00'),
        ),
      );
      await scheduleEvents(env.store, JOB, [
        receivedTasks(
          { jobId: JOB, businessId, regionId: 'fujisato', tasks: [{ taskId: TASK, title: '入力 1' }] },
          tokyo('2026-11-02T09:30:00'),
        ),
        {
          type: 'TaskAssigned',
          at: tokyo('2026-11-04T10:00:00'),
          data: {
            taskId: TASK,
            memberId: coop.member.id,
            start: '2026-11-04T01:00:00.000Z',
            end: '2026-11-04T01:40:00.000Z',
            teamRegionId: 'fujisato',
            by: 'system:team-scheduling',
            reason: 'scheduled',
          },
        },
      ]);
      runtime = await openAuditService({
        store: env.store,
        identityAddress: coop.identityAddress,
        verifyIntervalMs: 0,
      });
      verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
      server = await startAuditGrpc({
        service: runtime.service,
        port: 0,
        host: '127.0.0.1',
        verifier,
        logger: jsonLogger('debug', {}, (line) => void logLines.push(line)),
        readModels: runtime.service.readModels,
      });
      client = createAuditClient(server.address);
      ops = createClient(opsV1.ReadModelsServiceClient, server.address, { deadlineMs: 20_000 });
    });
    afterAll(async () => {
      client?.close();
      ops?.close();
      await server?.shutdown(1_000);
      verifier?.close();
      await runtime?.close();
      await coop?.close();
      await env?.close();
    });

    describe('every RPC', () => {
      it('answers who held a task, with her name', async () => {
        const answer = await client.whoHeld({ taskId: TASK, at: '2026-11-04T10:30+09:00' }, call('accountant'));
        expect(answer).toMatchObject({ taskId: TASK, jobId: JOB, holder: { memberId: coop.member.id, to: '' } });
        expect(answer.holder?.memberName?.kind).toBe(PersonalTextKind.PERSONAL_TEXT_KIND_TEXT);
      });

      it("answers a job's history, timeline and a stream as of an instant", async () => {
        const history = await client.getHistory(
          { subject: Subject.SUBJECT_JOB, id: JOB, limit: 0, after: '' },
          call('operator'),
        );
        expect(history.entries.map((e) => e.type)).toEqual(['JobSubmitted', 'TasksReceived', 'TaskAssigned']);
        expect(JSON.parse(history.entries[0]!.dataJson)).toMatchObject({ title: '名簿の入力' });
        expect(history.next).toBe('');
        const timeline = await client.getJobTimeline({ jobId: JOB }, call('coordinator'));
        expect(timeline.tasks[0]).toMatchObject({
          taskId: TASK,
          title: '入力 1',
          spans: [{ memberId: coop.member.id }],
        });
        // As the log held it (its events' recorded-at): now, and before any was recorded.
        const asOf = await client.getStreamAsOf(
          { stream: `schedule-${JOB}`, at: new Date().toISOString() },
          call('accountant'),
        );
        expect(asOf.version).toBe('1');
        expect(JSON.parse(asOf.stateJson).folder).toBe('schedule');
        const before = await client.getStreamAsOf(
          { stream: `schedule-${JOB}`, at: '2020-01-01T00:00Z' },
          call('accountant'),
        );
        expect(before).toMatchObject({ events: [] });
        expect(before.version).toBeUndefined();
      });

      it('lists hand-offs, corrections, the reconciliation, a search and the log of queries', async () => {
        await expect(
          client.listHandOffs(
            { regionId: 'fujisato', from: '2026-11-01T00:00Z', to: '2026-12-01T00:00Z' },
            call('coordinator'),
          ),
        ).resolves.toEqual({ handOffs: [] });
        await expect(
          client.listCorrections({ from: '', to: '', regionId: '' }, call('accountant')),
        ).resolves.toBeDefined();
        const reconciliation = await client
          .getReconciliation({ regionId: 'fujisato', month: '2026-11' }, call('accountant'))
          .catch((error: unknown) => error);
        expect(reconciliation).toBeDefined();
        await expect(
          client.search(
            { from: '2026-11-01T00:00Z', to: '', minYen: '¥1,000', maxYen: '', counterparty: '', limit: 0 },
            call('accountant'),
          ),
        ).resolves.toMatchObject({ records: [] });
        const { queries } = await client.listAuditQueries({ limit: 3 }, call('accountant'));
        expect(queries[0]).toMatchObject({ actor: coop.accountant.id, query: 'queries', parameters: { limit: '3' } });
        expect(queries[1]).toMatchObject({
          query: 'search',
          parameters: { from: '2026-11-01T00:00Z', minYen: '¥1,000' },
        });
      });

      it('verifies the log', async () => {
        const report = await client.getVerification({ from: '', to: '', fresh: true }, call('accountant'));
        expect(report).toMatchObject({ status: 'intact', breaks: [], sealsChecked: '0' });
        expect(Number(report.checkedEvents)).toBeGreaterThan(0);
      });

      it('exports any answer as CSV, in UTF-8 with a BOM or in Shift_JIS', async () => {
        const utf8 = await client.export(
          {
            encoding: CsvEncoding.CSV_ENCODING_UTF8,
            history: { subject: Subject.SUBJECT_JOB, id: JOB, limit: 0, after: '' },
          },
          call('accountant'),
        );
        expect(utf8.mediaType).toBe('text/csv; charset=utf-8');
        expect([...utf8.content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        expect(Buffer.from(utf8.content).toString('utf8')).toContain('名簿の入力');
        const sjis = await client.export(
          { encoding: CsvEncoding.CSV_ENCODING_SHIFT_JIS, jobTimeline: { jobId: JOB } },
          call('accountant'),
        );
        expect(sjis).toMatchObject({
          fileName: `audit-timeline-${JOB}-sjis.csv`,
          mediaType: 'text/csv; charset=Shift_JIS',
        });
        expect(decodeShiftJis(Buffer.from(sjis.content))).toContain('入力 1');
        expect(logLines.some((line) => line.includes('audit exported'))).toBe(true);
      });

      it('serves the ops ReadModels service: its projections, and a rebuild', async () => {
        const { readModels } = await ops.listReadModels({}, call('operator'));
        expect(readModels.map((m) => m.name)).toEqual(['history', 'reconciliation', 'search']);
        expect(readModels[0]!.categories).toEqual(['*']);
        const { readModel } = await ops.rebuildReadModel({ name: 'history' }, call('operator'));
        expect(readModel?.name).toBe('history');
        await runtime.service.readModels[0]!.ensureFresh();
        await expect(
          client.whoHeld({ taskId: TASK, at: '2026-11-04T10:30+09:00' }, call('accountant')),
        ).resolves.toMatchObject({ holder: { memberId: coop.member.id } });
      });
    });

    describe('who may ask', () => {
      it.each(['member', 'business'] as const)('refuses a %s (PERMISSION_DENIED audit.forbidden)', async (person) => {
        expect(
          await refusal(wire(server.address, 'whoHeld', { taskId: TASK, at: '2026-11-04T10:30+09:00' }, token(person))),
        ).toEqual({ status: DENIED, errorCode: 'audit.forbidden' });
      });

      it('keeps a coordinator to her region', async () => {
        expect(
          await refusal(wire(server.address, 'getJobTimeline', { jobId: JOB }, token('setagayaCoordinator'))),
        ).toEqual({ status: DENIED, errorCode: 'audit.forbidden' });
      });

      it('needs a token', async () => {
        expect((await refusal(wire(server.address, 'listAuditQueries', { limit: 1 }))).status).toBe('UNAUTHENTICATED');
      });
    });

    describe('bad input', () => {
      it.each([
        ['whoHeld', { taskId: TASK, at: 'yesterday' }, 'audit.invalid_at'],
        ['whoHeld', { taskId: 'x', at: '2026-11-04T10:30+09:00' }, 'audit.invalid_task_id'],
        ['getHistory', { subject: Subject.SUBJECT_UNSPECIFIED, id: JOB, limit: 0, after: '' }, 'audit.invalid_subject'],
        ['getHistory', { subject: Subject.SUBJECT_JOB, id: JOB, limit: 5000, after: '' }, 'audit.invalid_limit'],
        ['getHistory', { subject: Subject.SUBJECT_JOB, id: JOB, limit: 0, after: 'x' }, 'audit.invalid_after'],
        [
          'listHandOffs',
          { regionId: 'fujisato', from: '2026-12-01T00:00Z', to: '2026-11-01T00:00Z' },
          'audit.invalid_period',
        ],
        ['getReconciliation', { regionId: 'fujisato', month: '2026-13' }, 'audit.invalid_month'],
        ['getStreamAsOf', { stream: 'no dash', at: '2026-11-01T00:00Z' }, 'audit.invalid_stream'],
        ['getStreamAsOf', { stream: `x-${'y'.repeat(400)}`, at: '2026-11-01T00:00Z' }, 'audit.invalid_stream'],
        [
          'search',
          { from: '', to: '', minYen: '12.5', maxYen: '', counterparty: '', limit: 0 },
          'audit.invalid_min_yen',
        ],
        [
          'search',
          { from: '', to: '', minYen: '2000', maxYen: '1000', counterparty: '', limit: 0 },
          'audit.invalid_amount_range',
        ],
        ['getVerification', { from: 'soon', to: '', fresh: false }, 'audit.invalid_from'],
        ['export', { encoding: CsvEncoding.CSV_ENCODING_UTF8 }, 'audit.invalid_export'],
      ] as const)('%s %j → %s', async (method, request, code) => {
        const before = (await client.listAuditQueries({ limit: 1_000 }, call('operator'))).queries.length;
        expect(await refusal(wire(server.address, method, request as never, token('operator')))).toEqual({
          status: INVALID,
          errorCode: code,
        });
        // Nothing recorded for it (the listing itself is one more).
        expect((await client.listAuditQueries({ limit: 1_000 }, call('operator'))).queries.length).toBe(before + 1);
      });

      it('answers NOT_FOUND for what the log does not hold', async () => {
        expect(
          await refusal(wire(server.address, 'getJobTimeline', { jobId: randomUUID() }, token('operator'))),
        ).toEqual({ status: 'NOT_FOUND', errorCode: 'audit.job_not_found' });
      });
    });
  });
};
