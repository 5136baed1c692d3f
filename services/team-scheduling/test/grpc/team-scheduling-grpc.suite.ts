/**
 * The team scheduling service over real gRPC on a loopback socket, with a real identity (the
 * test cooperative) verifying real tokens and the consumers on the embedded bus: every RPC, who
 * may do what, and bad input (status, `x-error-code`, and nothing stored). Run on the embedded
 * store (team-scheduling-grpc.spec.ts) and on PostgreSQL (team-scheduling-grpc.int.spec.ts).
 */
import { randomUUID } from 'node:crypto';
import { EmbeddedEventBus, type BusSubscription } from '@workshare/bus';
import type { EventStore } from '@workshare/eventsourcing';
import {
  createClient,
  IdentityTokenVerifierClient,
  jsonLogger,
  type GrpcServer,
  type ServiceClient,
} from '@workshare/grpc';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import { teamSchedulingV1 } from '@workshare/proto';
import { startTeamSchedulingGrpc } from '../../src/adapters/grpc/team-scheduling-grpc.js';
import { startTeamSchedulingConsumers } from '../../src/application/consumers.js';
import { withinWindows } from '../../src/domain/team.js';
import { crewStream, scheduleStream } from '../../src/index.js';
import { openTeamSchedulingService, type TeamSchedulingRuntime } from '../../src/open-team-scheduling.js';
import type { Person } from '../cooperative.js';
import { DAY_MS, eventually, everyDay, jobEvent, planTasks, registerMember, type PlanSpec } from '../support.js';
import { refusal, wire, type MethodName, type RequestOfMethod } from './wire.js';

export interface GrpcTestEnv {
  readonly store: EventStore;
  close(): Promise<void>;
}

const { AssignmentStatus } = teamSchedulingV1;

export const describeTeamSchedulingGrpc = (label: string, setup: () => Promise<GrpcTestEnv>): void => {
  describe(`team scheduling over gRPC (${label})`, () => {
    let env: GrpcTestEnv;
    let coop: TestCooperative;
    let runtime: TeamSchedulingRuntime;
    let bus: EmbeddedEventBus;
    let subscriptions: BusSubscription[];
    let server: GrpcServer;
    let verifier: IdentityTokenVerifierClient;
    let client: ServiceClient<typeof teamSchedulingV1.TeamSchedulingServiceService>;
    const logLines: string[] = [];
    const people = { kaede: '', sora: '', aoi: '', rin: '' };

    const token = (person: Person): string => coop[person].token;
    const call = (person: Person) => ({ token: token(person) });

    /** Plans a job (TasksPlanned) and waits until the consumer scheduled it. */
    const plannedJob = async (spec: PlanSpec) => {
      const planned = await planTasks(env.store, { businessId: coop.businesses.fujisato, ...spec });
      const tasks = await eventually('the job scheduled', async () => {
        const events = await env.store.readStream(scheduleStream(planned.jobId));
        if (!events.some((e) => e.type === 'TaskAssigned' || e.type === 'TaskUnassignable')) return undefined;
        return (await client.getJobSchedule({ jobId: planned.jobId }, call('operator'))).tasks;
      });
      return { ...planned, tasks };
    };

    beforeAll(async () => {
      env = await setup();
      coop = await startTestCooperative({ store: env.store });
      people.kaede = await registerMember(coop, {
        townId: 'fujisato/fujikoto',
        skills: ['data entry'],
        availability: everyDay('09:00', '12:00'),
      });
      people.sora = await registerMember(coop, {
        townId: 'fujisato/kasuge',
        skills: [],
        availability: everyDay('08:00', '23:00'),
      });
      people.aoi = await registerMember(coop, {
        townId: 'fujisato/tara',
        skills: ['filing'],
        availability: everyDay('09:00', '17:00'),
      });
      people.rin = await registerMember(coop, {
        townId: 'setagaya/sangenjaya',
        skills: ['translation'],
        availability: everyDay('10:00', '16:00'),
      });
      runtime = await openTeamSchedulingService({ store: env.store, identityAddress: coop.identityAddress });
      bus = new EmbeddedEventBus({ store: env.store, pollIntervalMs: 20 });
      subscriptions = startTeamSchedulingConsumers({ service: runtime.service, bus });
      verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
      server = await startTeamSchedulingGrpc({
        service: runtime.service,
        port: 0,
        host: '127.0.0.1',
        verifier,
        logger: jsonLogger('debug', {}, (line) => void logLines.push(line)),
      });
      client = createClient(teamSchedulingV1.TeamSchedulingServiceClient, server.address, { deadlineMs: 20_000 });
      await eventually('the teams', async () =>
        (await env.store.readStream(crewStream(people.rin))).length > 0 ? true : undefined,
      );
    }, 120_000);
    afterAll(async () => {
      client?.close();
      await server?.shutdown(1_000);
      verifier?.close();
      await Promise.all(subscriptions?.map((s) => s.stop()) ?? []);
      await bus?.close();
      await runtime?.close();
      await coop?.close();
      await env?.close();
    });

    describe('every RPC', () => {
      it('schedules, overrides, hands off, pairs, declares unavailable and answers the history', async () => {
        // Local to fujikoto and data entry: the cooperative's member and kaede are the only hands.
        const job = await plannedJob({ tasks: [{ estimatedMinutes: 30 }], localOnlyTownId: 'fujisato/fujikoto' });
        const taskId = job.taskIds[0]!;
        expect(job.tasks[0]).toMatchObject({
          taskId,
          jobId: job.jobId,
          status: AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED,
          teamRegionId: 'fujisato',
          estimatedMinutes: 30,
          skills: ['data entry'],
        });

        if (job.tasks[0]!.memberId !== coop.member.id) {
          const { task } = await client.overrideAssignment(
            { requestId: randomUUID(), taskId, memberId: coop.member.id, reason: '担当の交代' },
            call('coordinator'),
          );
          expect(task).toMatchObject({ memberId: coop.member.id, status: AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED });
        }
        const mine = (await client.listMyTasks({}, call('member'))).tasks;
        expect(mine.map((t) => t.taskId)).toEqual([taskId]);
        const span = mine[0]!.span!;
        expect(
          withinWindows([{ day: 'mon', start: '13:00', end: '13:40' }], {
            start: span.start!.getTime(),
            end: span.end!.getTime(),
          }),
        ).toBe(true);
        const own = await client.getMemberSchedule(
          { memberId: coop.member.id, from: new Date(Date.now() - DAY_MS), to: new Date(Date.now() + 30 * DAY_MS) },
          call('member'),
        );
        expect(own.tasks.map((t) => t.taskId)).toEqual([taskId]);

        const { task: handedOff } = await client.handOffTask(
          { requestId: randomUUID(), taskId, reason: '子どもの発熱', progressNote: '半分まで入力済み' },
          call('member'),
        );
        expect(handedOff).toMatchObject({
          taskId,
          memberId: people.kaede,
          status: AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED,
          teamRegionId: 'fujisato',
        });
        expect((await client.getTaskHolder({ taskId, at: new Date() }, call('coordinator'))).memberId).toBe(
          people.kaede,
        );
        expect((await client.getTaskHolder({ taskId, at: new Date(0) }, call('coordinator'))).memberId).toBe('');

        await client.pairForTraining(
          { requestId: randomUUID(), taskId, traineeMemberId: people.sora, reason: '入力の研修' },
          call('coordinator'),
        );
        const schedule = await client.getJobSchedule({ jobId: job.jobId }, call('business'));
        expect(schedule.tasks[0]).toMatchObject({ memberId: people.kaede, traineeMemberId: people.sora });
        // The members' hours are for the job's coordinators (the business sees none: see 'what the job's business sees').
        expect(schedule.loads).toEqual([]);
        expect((await client.getJobSchedule({ jobId: job.jobId }, call('coordinator'))).loads).toEqual(
          expect.arrayContaining([{ memberId: people.kaede, assignedMinutes: 30, wishedMinutesPerWeek: 7 * 180 }]),
        );

        const period = {
          from: new Date(handedOff!.span!.start!.getTime() - 60_000),
          to: new Date(handedOff!.span!.end!.getTime() + DAY_MS),
        };
        const declared = await client.declareUnavailable(
          { requestId: randomUUID(), memberId: people.kaede, ...period, reason: '家族の看病' },
          call('coordinator'),
        );
        expect(declared.tasks.map((t) => t.taskId)).toEqual([taskId]);
        expect(declared.tasks[0]!.memberId).not.toBe(people.kaede);

        const { entries } = await client.getTaskHistory({ taskId }, call('coordinator'));
        const kinds = entries.map((e) => e.kind);
        expect(kinds.slice(-5)).toEqual([
          'released',
          'handed_off',
          'paired',
          'released',
          declared.tasks[0]!.memberId ? 'handed_off' : 'unassignable',
        ]);
        expect(entries.find((e) => e.kind === 'handed_off')).toMatchObject({
          memberId: people.kaede,
          fromMemberId: coop.member.id,
          actor: coop.member.id,
          reason: '子どもの発熱',
          progressNote: '半分まで入力済み',
        });
        expect(entries.every((e) => e.at instanceof Date)).toBe(true);

        await client.setWishedHours(
          { requestId: randomUUID(), memberId: coop.member.id, minutesPerWeek: 120 },
          call('member'),
        );
        await jobEvent(env.store, job.jobId, 'JobInspected', {
          accepted: true,
          reason: '',
          inspectedBy: coop.business.id,
        });
        await eventually('the inspection recorded', async () =>
          (await env.store.readStream(scheduleStream(job.jobId))).some((e) => e.type === 'JobInspectionRecorded')
            ? true
            : undefined,
        );
        await client.grantSkill(
          {
            requestId: randomUUID(),
            memberId: coop.member.id,
            skill: 'proofreading',
            jobId: job.jobId,
            reason: '検収済みの入力作業',
          },
          call('coordinator'),
        );
        const crew = await env.store.readStream(crewStream(coop.member.id));
        expect(crew.map((e) => e.type)).toEqual(expect.arrayContaining(['WishedHoursSet', 'SkillGranted']));

        expect(
          (await client.scheduleJob({ requestId: randomUUID(), jobId: job.jobId }, call('coordinator'))).tasks.map(
            (t) => t.taskId,
          ),
        ).toEqual([taskId]);
      });

      it('shares a job the home team cannot do with a partner region, crediting its member', async () => {
        const job = await plannedJob({ tasks: [{ skills: ['translation'], estimatedMinutes: 60 }] });
        expect(job.tasks[0]).toMatchObject({ status: AssignmentStatus.ASSIGNMENT_STATUS_UNASSIGNABLE });
        expect(job.tasks[0]!.reasons.length).toBeGreaterThan(0);
        const { tasks } = await client.shareJob(
          { requestId: randomUUID(), jobId: job.jobId, partnerRegionId: 'setagaya', reason: '翻訳の人手がない' },
          call('coordinator'),
        );
        expect(tasks[0]).toMatchObject({
          memberId: people.rin,
          teamRegionId: 'setagaya',
          status: AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED,
        });
      });

      it('answers a retried request (same request id) with its first outcome', async () => {
        const job = await plannedJob({ tasks: [{ skills: ['translation'] }] });
        const request = { requestId: randomUUID(), jobId: job.jobId, partnerRegionId: 'setagaya', reason: '人手不足' };
        const first = await client.shareJob(request, call('coordinator'));
        expect(await client.shareJob(request, call('coordinator'))).toEqual(first);
        expect(
          (await env.store.readStream(scheduleStream(job.jobId))).filter((e) => e.type === 'JobShared'),
        ).toHaveLength(1);
      });

      it('logs ids, never reasons or notes', () => {
        const lines = logLines.join('\n');
        expect(lines).toContain('task handed off');
        expect(lines).not.toContain('子どもの発熱');
        expect(lines).not.toContain('半分まで入力済み');
      });
    });

    describe('what the job’s business sees: who holds each task and its status, nothing the members told', () => {
      const REASON = '子どもの入院';
      const NOTE = '12 件目まで入力、残りは名簿の 2 枚目';
      const OVERRIDE_REASON = '体調を考えて交代';
      let jobId: string;
      let taskId: string;

      beforeAll(async () => {
        const job = await plannedJob({ tasks: [{ estimatedMinutes: 30 }] });
        jobId = job.jobId;
        taskId = job.taskIds[0]!;
        if (job.tasks[0]!.memberId !== coop.member.id)
          await client.overrideAssignment(
            { requestId: randomUUID(), taskId, memberId: coop.member.id, reason: OVERRIDE_REASON },
            call('coordinator'),
          );
        await client.setWishedHours(
          { requestId: randomUUID(), memberId: coop.member.id, minutesPerWeek: 321 },
          call('member'),
        );
        await client.handOffTask(
          { requestId: randomUUID(), taskId, reason: REASON, progressNote: NOTE },
          call('member'),
        );
      });

      it('GetJobSchedule: the holders and statuses, no member’s hours', async () => {
        const forBusiness = await client.getJobSchedule({ jobId }, call('business'));
        const forCoordinator = await client.getJobSchedule({ jobId }, call('coordinator'));
        expect(forBusiness.tasks).toEqual(forCoordinator.tasks);
        expect(forBusiness.tasks[0]!.status).not.toBe(AssignmentStatus.ASSIGNMENT_STATUS_UNSPECIFIED);
        if (forBusiness.tasks[0]!.status === AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED)
          expect(forBusiness.tasks[0]!.memberId).not.toBe('');
        expect(forBusiness.loads).toEqual([]);
        expect(forCoordinator.loads).toEqual(
          expect.arrayContaining([expect.objectContaining({ memberId: coop.member.id, wishedMinutesPerWeek: 321 })]),
        );
      });

      it('GetTaskHistory: who held the task and when, never the reasons or the progress notes', async () => {
        const { entries } = await client.getTaskHistory({ taskId }, call('business'));
        const full = (await client.getTaskHistory({ taskId }, call('coordinator'))).entries;
        expect(entries.map((e) => [e.kind, e.memberId, e.fromMemberId, e.actor, e.at])).toEqual(
          full.map((e) => [e.kind, e.memberId, e.fromMemberId, e.actor, e.at]),
        );
        expect(entries.map((e) => e.kind)).toEqual(expect.arrayContaining(['assigned', 'released']));
        expect(entries.find((e) => e.kind === 'released')).toMatchObject({ memberId: coop.member.id });
        for (const entry of entries) {
          expect(entry.progressNote).toBe('');
          // An unassignable entry keeps the scheduler's codes (no member wrote them).
          if (entry.kind !== 'unassignable') expect(entry.reason).toBe('');
        }
        const told = JSON.stringify(entries);
        for (const words of [REASON, NOTE, OVERRIDE_REASON]) expect(told).not.toContain(words);
        // The job's coordinator reads them all.
        expect(full.find((e) => e.kind === 'released')).toMatchObject({ reason: REASON, progressNote: NOTE });
        expect((await client.getTaskHolder({ taskId, at: new Date() }, call('business'))).memberId).toBe(
          (await client.getTaskHolder({ taskId, at: new Date() }, call('coordinator'))).memberId,
        );
      });

      it('GetMemberSchedule: refused (a member’s time is not the business’s)', async () => {
        const period = { from: new Date(Date.now() - DAY_MS), to: new Date(Date.now() + 30 * DAY_MS) };
        for (const memberId of [coop.member.id, people.kaede])
          expect(
            await refusal(wire(server.address, 'getMemberSchedule', { memberId, ...period }, token('business'))),
          ).toEqual({
            status: 'PERMISSION_DENIED',
            errorCode: 'crew.forbidden',
          });
      });
    });

    describe('authorisation and bad input: the right status and code, and nothing stored', () => {
      let filing: { jobId: string; taskId: string };
      beforeAll(async () => {
        const job = await plannedJob({ tasks: [{ skills: ['filing'] }] });
        filing = { jobId: job.jobId, taskId: job.taskIds[0]! };
        expect(job.tasks[0]!.memberId).toBe(people.aoi);
      });

      type Case = readonly [
        label: string,
        method: MethodName,
        request: () => RequestOfMethod<MethodName>,
        person: Person | undefined,
        status: string,
        code: string,
      ];
      const c = <K extends MethodName>(
        label: string,
        method: K,
        request: () => RequestOfMethod<K>,
        person: Person | undefined,
        status: string,
        code: string,
      ): Case => [label, method, request as () => RequestOfMethod<MethodName>, person, status, code] as const;
      const INVALID = 'INVALID_ARGUMENT';
      const DENIED = 'PERMISSION_DENIED';
      const RULE = 'FAILED_PRECONDITION';
      const id = () => randomUUID();
      const month = () => ({ from: new Date(), to: new Date(Date.now() + 30 * DAY_MS) });

      const cases: readonly Case[] = [
        // who may
        c(
          'ScheduleJob without a token',
          'scheduleJob',
          () => ({ requestId: id(), jobId: filing.jobId }),
          undefined,
          'UNAUTHENTICATED',
          'auth.token_missing',
        ),
        c(
          'ScheduleJob by the setagaya coordinator',
          'scheduleJob',
          () => ({ requestId: id(), jobId: filing.jobId }),
          'setagayaCoordinator',
          DENIED,
          'schedule.forbidden',
        ),
        c(
          'ScheduleJob by a member',
          'scheduleJob',
          () => ({ requestId: id(), jobId: filing.jobId }),
          'member',
          DENIED,
          'schedule.forbidden',
        ),
        c(
          'GetJobSchedule by the setagaya coordinator',
          'getJobSchedule',
          () => ({ jobId: filing.jobId }),
          'setagayaCoordinator',
          DENIED,
          'schedule.forbidden',
        ),
        c(
          'GetJobSchedule by another business',
          'getJobSchedule',
          () => ({ jobId: filing.jobId }),
          'otherBusiness',
          DENIED,
          'schedule.forbidden',
        ),
        c(
          'GetJobSchedule by a member',
          'getJobSchedule',
          () => ({ jobId: filing.jobId }),
          'member',
          DENIED,
          'schedule.forbidden',
        ),
        c(
          'GetMemberSchedule of another region’s member',
          'getMemberSchedule',
          () => ({ memberId: coop.member.id, ...month() }),
          'setagayaCoordinator',
          DENIED,
          'crew.forbidden',
        ),
        c(
          'OverrideAssignment by the setagaya coordinator',
          'overrideAssignment',
          () => ({ requestId: id(), taskId: filing.taskId, memberId: people.kaede, reason: 'x' }),
          'setagayaCoordinator',
          DENIED,
          'schedule.forbidden',
        ),
        c(
          'OverrideAssignment by a member',
          'overrideAssignment',
          () => ({ requestId: id(), taskId: filing.taskId, memberId: coop.member.id, reason: 'x' }),
          'member',
          DENIED,
          'schedule.forbidden',
        ),
        c(
          'ShareJob by the setagaya coordinator',
          'shareJob',
          () => ({ requestId: id(), jobId: filing.jobId, partnerRegionId: 'setagaya', reason: 'x' }),
          'setagayaCoordinator',
          DENIED,
          'schedule.forbidden',
        ),
        c(
          'PairForTraining by a business',
          'pairForTraining',
          () => ({ requestId: id(), taskId: filing.taskId, traineeMemberId: people.sora, reason: 'x' }),
          'business',
          DENIED,
          'schedule.forbidden',
        ),
        c(
          'GrantSkill by the setagaya coordinator',
          'grantSkill',
          () => ({ requestId: id(), memberId: people.aoi, skill: 'x', jobId: filing.jobId, reason: 'x' }),
          'setagayaCoordinator',
          DENIED,
          'crew.forbidden',
        ),
        c(
          'DeclareUnavailable of another member',
          'declareUnavailable',
          () => ({ requestId: id(), memberId: people.aoi, ...month(), reason: 'x' }),
          'member',
          DENIED,
          'crew.forbidden',
        ),
        c(
          'SetWishedHours of another member',
          'setWishedHours',
          () => ({ requestId: id(), memberId: people.aoi, minutesPerWeek: 60 }),
          'member',
          DENIED,
          'crew.forbidden',
        ),
        c('ListMyTasks by the accountant', 'listMyTasks', () => ({}), 'accountant', DENIED, 'schedule.forbidden'),
        c(
          'GetTaskHistory by a member who never held the task',
          'getTaskHistory',
          () => ({ taskId: filing.taskId }),
          'member',
          DENIED,
          'schedule.forbidden',
        ),
        // request ids and ids
        c(
          'ScheduleJob without a request id',
          'scheduleJob',
          () => ({ requestId: '', jobId: filing.jobId }),
          'coordinator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'ScheduleJob with a request id holding spaces',
          'scheduleJob',
          () => ({ requestId: 'my request', jobId: filing.jobId }),
          'coordinator',
          INVALID,
          'request.invalid_request_id',
        ),
        c(
          'ScheduleJob without a job id',
          'scheduleJob',
          () => ({ requestId: id(), jobId: '' }),
          'coordinator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'ScheduleJob with a job id that is no id',
          'scheduleJob',
          () => ({ requestId: id(), jobId: 'job-1' }),
          'coordinator',
          INVALID,
          'job.invalid_id',
        ),
        c(
          'ScheduleJob of a job never planned',
          'scheduleJob',
          () => ({ requestId: id(), jobId: id() }),
          'coordinator',
          'NOT_FOUND',
          'job.not_found',
        ),
        c(
          'GetJobSchedule of a job never planned',
          'getJobSchedule',
          () => ({ jobId: id() }),
          'operator',
          'NOT_FOUND',
          'job.not_found',
        ),
        // member schedules
        c(
          'GetMemberSchedule without from',
          'getMemberSchedule',
          () => ({ memberId: coop.member.id, to: new Date() }),
          'member',
          INVALID,
          'request.missing_field',
        ),
        c(
          'GetMemberSchedule ending before it starts',
          'getMemberSchedule',
          () => ({ memberId: coop.member.id, from: new Date(), to: new Date(Date.now() - DAY_MS) }),
          'member',
          INVALID,
          'crew.invalid_period',
        ),
        c(
          'GetMemberSchedule of a member id that is no id',
          'getMemberSchedule',
          () => ({ memberId: 'hanako', ...month() }),
          'coordinator',
          INVALID,
          'crew.invalid_member_id',
        ),
        // hand-off
        c(
          'HandOffTask without a task id',
          'handOffTask',
          () => ({ requestId: id(), taskId: '', reason: 'x', progressNote: '' }),
          'member',
          INVALID,
          'request.missing_field',
        ),
        c(
          'HandOffTask with a task id that is no id',
          'handOffTask',
          () => ({ requestId: id(), taskId: 'task-1', reason: 'x', progressNote: '' }),
          'member',
          INVALID,
          'task.invalid_id',
        ),
        c(
          'HandOffTask of an unknown task',
          'handOffTask',
          () => ({ requestId: id(), taskId: id(), reason: 'x', progressNote: '' }),
          'member',
          'NOT_FOUND',
          'task.not_found',
        ),
        c(
          'HandOffTask by someone who does not hold it',
          'handOffTask',
          () => ({ requestId: id(), taskId: filing.taskId, reason: 'x', progressNote: '' }),
          'member',
          RULE,
          'task.not_held',
        ),
        // text limits, checked by the host before the handlers (lengths in characters)
        c(
          'HandOffTask with a progress note of 2,001 characters',
          'handOffTask',
          () => ({ requestId: id(), taskId: filing.taskId, reason: 'x', progressNote: 'あ'.repeat(2_001) }),
          'member',
          INVALID,
          'task.invalid_progress_note',
        ),
        c(
          'HandOffTask with a reason of 501 characters',
          'handOffTask',
          () => ({ requestId: id(), taskId: filing.taskId, reason: 'あ'.repeat(501), progressNote: '' }),
          'member',
          INVALID,
          'task.invalid_reason',
        ),
        c(
          'HandOffTask with a note of 2,000 characters outside the BMP and a reason of 500 reaches the rules',
          'handOffTask',
          () => ({
            requestId: id(),
            taskId: filing.taskId,
            reason: 'あ'.repeat(500),
            progressNote: '𠮷'.repeat(2_000),
          }),
          'member',
          RULE,
          'task.not_held',
        ),
        c(
          'HandOffTask with a NUL in its note',
          'handOffTask',
          () => ({ requestId: id(), taskId: filing.taskId, reason: 'x', progressNote: '半分\u0000' }),
          'member',
          INVALID,
          'text.invalid_characters',
        ),
        c(
          'GetTaskHistory with a 100 KB task id',
          'getTaskHistory',
          () => ({ taskId: 'x'.repeat(100_000) }),
          'coordinator',
          INVALID,
          'text.too_long',
        ),
        c(
          'DeclareUnavailable with a reason of 501 characters',
          'declareUnavailable',
          () => ({ requestId: id(), memberId: coop.member.id, ...month(), reason: 'あ'.repeat(501) }),
          'member',
          INVALID,
          'crew.invalid_reason',
        ),
        c(
          'GrantSkill with a skill of 61 characters',
          'grantSkill',
          () => ({ requestId: id(), memberId: people.aoi, skill: 'あ'.repeat(61), jobId: filing.jobId, reason: 'x' }),
          'coordinator',
          INVALID,
          'crew.invalid_skill',
        ),
        c(
          'OverrideAssignment with a reason of 501 characters',
          'overrideAssignment',
          () => ({ requestId: id(), taskId: filing.taskId, memberId: people.kaede, reason: 'あ'.repeat(501) }),
          'coordinator',
          INVALID,
          'schedule.invalid_reason',
        ),
        // unavailability
        c(
          'DeclareUnavailable without from',
          'declareUnavailable',
          () => ({ requestId: id(), memberId: coop.member.id, to: new Date(), reason: 'x' }),
          'member',
          INVALID,
          'request.missing_field',
        ),
        c(
          'DeclareUnavailable ending before it starts',
          'declareUnavailable',
          () => ({
            requestId: id(),
            memberId: coop.member.id,
            from: new Date(Date.now() + DAY_MS),
            to: new Date(),
            reason: 'x',
          }),
          'member',
          INVALID,
          'crew.invalid_period',
        ),
        c(
          'DeclareUnavailable without a reason',
          'declareUnavailable',
          () => ({ requestId: id(), memberId: coop.member.id, ...month(), reason: ' ' }),
          'member',
          INVALID,
          'crew.invalid_reason',
        ),
        c(
          'DeclareUnavailable of a member unknown',
          'declareUnavailable',
          () => ({ requestId: id(), memberId: id(), ...month(), reason: 'x' }),
          'coordinator',
          'NOT_FOUND',
          'crew.member_not_found',
        ),
        // override
        c(
          'OverrideAssignment without a member',
          'overrideAssignment',
          () => ({ requestId: id(), taskId: filing.taskId, memberId: '', reason: 'x' }),
          'coordinator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'OverrideAssignment without a reason',
          'overrideAssignment',
          () => ({ requestId: id(), taskId: filing.taskId, memberId: people.kaede, reason: '' }),
          'coordinator',
          INVALID,
          'schedule.invalid_reason',
        ),
        c(
          'OverrideAssignment to a member unknown',
          'overrideAssignment',
          () => ({ requestId: id(), taskId: filing.taskId, memberId: id(), reason: 'x' }),
          'coordinator',
          'NOT_FOUND',
          'crew.member_not_found',
        ),
        c(
          'OverrideAssignment to a member without the skill',
          'overrideAssignment',
          () => ({ requestId: id(), taskId: filing.taskId, memberId: people.sora, reason: 'x' }),
          'coordinator',
          RULE,
          'schedule.not_qualified',
        ),
        c(
          'OverrideAssignment to another region’s member',
          'overrideAssignment',
          () => ({ requestId: id(), taskId: filing.taskId, memberId: people.rin, reason: 'x' }),
          'coordinator',
          RULE,
          'schedule.not_qualified',
        ),
        c(
          'OverrideAssignment to the holder',
          'overrideAssignment',
          () => ({ requestId: id(), taskId: filing.taskId, memberId: people.aoi, reason: 'x' }),
          'coordinator',
          RULE,
          'schedule.same_member',
        ),
        // history and holder
        c(
          'GetTaskHistory without a task id',
          'getTaskHistory',
          () => ({ taskId: '' }),
          'coordinator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'GetTaskHistory of an unknown task',
          'getTaskHistory',
          () => ({ taskId: id() }),
          'coordinator',
          'NOT_FOUND',
          'task.not_found',
        ),
        c(
          'GetTaskHolder without an instant',
          'getTaskHolder',
          () => ({ taskId: filing.taskId }),
          'coordinator',
          INVALID,
          'request.missing_field',
        ),
        // wished hours, skills, pairing, sharing
        c(
          'SetWishedHours of 0 minutes',
          'setWishedHours',
          () => ({ requestId: id(), memberId: coop.member.id, minutesPerWeek: 0 }),
          'member',
          INVALID,
          'crew.invalid_wished_hours',
        ),
        c(
          'SetWishedHours over a week',
          'setWishedHours',
          () => ({ requestId: id(), memberId: coop.member.id, minutesPerWeek: 10_081 }),
          'member',
          INVALID,
          'crew.invalid_wished_hours',
        ),
        c(
          'GrantSkill without a skill',
          'grantSkill',
          () => ({ requestId: id(), memberId: people.aoi, skill: '', jobId: filing.jobId, reason: 'x' }),
          'coordinator',
          INVALID,
          'crew.invalid_skill',
        ),
        c(
          'GrantSkill for a job id that is no id',
          'grantSkill',
          () => ({ requestId: id(), memberId: people.aoi, skill: 'x', jobId: 'job', reason: 'x' }),
          'coordinator',
          INVALID,
          'job.invalid_id',
        ),
        c(
          'GrantSkill before the inspection',
          'grantSkill',
          () => ({ requestId: id(), memberId: people.aoi, skill: 'binding', jobId: filing.jobId, reason: 'x' }),
          'coordinator',
          RULE,
          'skill.no_inspected_work',
        ),
        c(
          'PairForTraining without a reason',
          'pairForTraining',
          () => ({ requestId: id(), taskId: filing.taskId, traineeMemberId: people.sora, reason: '' }),
          'coordinator',
          INVALID,
          'schedule.invalid_reason',
        ),
        c(
          'PairForTraining with a trainee unknown',
          'pairForTraining',
          () => ({ requestId: id(), taskId: filing.taskId, traineeMemberId: id(), reason: 'x' }),
          'coordinator',
          'NOT_FOUND',
          'crew.member_not_found',
        ),
        c(
          'PairForTraining with another region’s trainee',
          'pairForTraining',
          () => ({ requestId: id(), taskId: filing.taskId, traineeMemberId: people.rin, reason: 'x' }),
          'coordinator',
          RULE,
          'schedule.trainee_not_in_team',
        ),
        c(
          'ShareJob without a partner',
          'shareJob',
          () => ({ requestId: id(), jobId: filing.jobId, partnerRegionId: '', reason: 'x' }),
          'coordinator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'ShareJob with its own region',
          'shareJob',
          () => ({ requestId: id(), jobId: filing.jobId, partnerRegionId: 'fujisato', reason: 'x' }),
          'coordinator',
          INVALID,
          'schedule.invalid_partner',
        ),
        c(
          'ShareJob when every task has a member',
          'shareJob',
          () => ({ requestId: id(), jobId: filing.jobId, partnerRegionId: 'setagaya', reason: 'x' }),
          'coordinator',
          RULE,
          'schedule.sharing_not_needed',
        ),
      ];

      it.each(cases)('%s', async (_, method, request, person, status, code) => {
        const head = await env.store.headPosition();
        expect(
          await refusal(wire(server.address, method, request(), person === undefined ? undefined : token(person))),
        ).toEqual({ status, errorCode: code });
        expect(await env.store.headPosition()).toEqual(head);
      });

      it('the fixture is where it was (no refused call moved it)', async () => {
        const { tasks } = await client.getJobSchedule({ jobId: filing.jobId }, call('coordinator'));
        expect(tasks[0]).toMatchObject({
          memberId: people.aoi,
          traineeMemberId: '',
          status: AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED,
        });
        expect(
          (await client.getTaskHistory({ taskId: filing.taskId }, call('coordinator'))).entries.map((e) => e.kind),
        ).toEqual(['assigned']);
      });
    });
  });
};
