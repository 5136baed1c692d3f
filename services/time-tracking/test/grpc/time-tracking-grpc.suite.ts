/**
 * The time tracking service over real gRPC on a loopback socket, with a real identity (the test
 * cooperative) verifying real tokens and team scheduling's published schedule events in the
 * log: every RPC and its answer, who may do what, and bad input (status, `x-error-code`, and
 * nothing stored). Run on the embedded store (time-tracking-grpc.spec.ts) and on PostgreSQL
 * (time-tracking-grpc.int.spec.ts).
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@workshare/eventsourcing';
import {
  createClient,
  IdentityTokenVerifierClient,
  jsonLogger,
  type GrpcServer,
  type ServiceClient,
} from '@workshare/grpc';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import { timeTrackingV1 } from '@workshare/proto';
import { startTimeTrackingGrpc } from '../../src/adapters/grpc/time-tracking-grpc.js';
import { openTimeTrackingService, type TimeTrackingRuntime } from '../../src/open-time-tracking.js';
import { testClock, tokyo, type Person } from '../cooperative.js';
import { scheduleOf } from '../schedule.js';
import { refusal, wire, type MethodName, type RequestOfMethod } from './wire.js';

export interface GrpcTestEnv {
  readonly store: EventStore;
  close(): Promise<void>;
}

const { EntrySource, WeekApproval } = timeTrackingV1;

export const describeTimeTrackingGrpc = (label: string, setup: () => Promise<GrpcTestEnv>): void => {
  describe(`time tracking over gRPC (${label})`, () => {
    let env: GrpcTestEnv;
    let coop: TestCooperative;
    let runtime: TimeTrackingRuntime;
    let server: GrpcServer;
    let verifier: IdentityTokenVerifierClient;
    let client: ServiceClient<typeof timeTrackingV1.TimeTrackingServiceService>;
    const clock = testClock('2026-04-08T12:00');
    const logLines: string[] = [];
    let hanako: string;
    let task: string;
    let otherTask: string;
    let jobId: string;

    const token = (person: Person): string => coop[person].token;
    const call = (person: Person) => ({ token: token(person) });

    beforeAll(async () => {
      env = await setup();
      coop = await startTestCooperative({ store: env.store });
      hanako = coop.member.id;
      const job = scheduleOf(env.store);
      jobId = job.jobId;
      [task, otherTask] = job.taskIds as [string, string];
      await job.received(tokyo('2026-04-06T08:00'));
      await job.assigned(task, hanako, tokyo('2026-04-06T09:00'));
      await job.assigned(otherTask, hanako, tokyo('2026-04-06T09:00'));
      await job.handedOff(task, hanako, coop.coordinator.id, tokyo('2026-04-06T11:00'));
      runtime = await openTimeTrackingService({
        store: env.store,
        now: clock.now,
        readStalenessMs: 0,
        identityAddress: coop.identityAddress,
      });
      verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
      server = await startTimeTrackingGrpc({
        service: runtime.service,
        port: 0,
        host: '127.0.0.1',
        verifier,
        logger: jsonLogger('debug', {}, (line) => void logLines.push(line)),
        readModels: runtime.service.readModels,
      });
      client = createClient(timeTrackingV1.TimeTrackingServiceClient, server.address, { deadlineMs: 20_000 });
    });
    afterAll(async () => {
      client?.close();
      await server?.shutdown(1_000);
      verifier?.close();
      await runtime?.close();
      await coop?.close();
      await env?.close();
    });

    describe('every RPC', () => {
      it('records, times, corrects, deletes, marks done, approves and answers her week as the contract says', async () => {
        clock.set('2026-04-08T12:00');
        const { entry } = await client.recordSpan(
          { requestId: randomUUID(), taskId: task, start: tokyo('2026-04-06T09:30'), end: tokyo('2026-04-06T11:00') },
          call('member'),
        );
        expect(entry).toEqual({
          entryId: expect.any(String),
          taskId: task,
          jobId,
          regionId: 'fujisato',
          start: tokyo('2026-04-06T09:30'),
          end: tokyo('2026-04-06T11:00'),
          startTokyo: '2026-04-06T09:30:00.000+09:00',
          endTokyo: '2026-04-06T11:00:00.000+09:00',
          minutes: 90,
          source: EntrySource.ENTRY_SOURCE_MANUAL,
          days: [{ day: '2026-04-06', minutes: 90 }],
        });

        clock.set('2026-04-08T12:00:30');
        const started = await client.startWork({ requestId: randomUUID(), taskId: otherTask }, call('member'));
        expect(started).toEqual({ start: tokyo('2026-04-08T12:01'), startTokyo: '2026-04-08T12:01:00.000+09:00' });
        clock.set('2026-04-08T12:31:05');
        const stopped = await client.stopWork({ requestId: randomUUID() }, call('member'));
        expect(stopped).toMatchObject({
          recorded: true,
          entry: { minutes: 30, source: EntrySource.ENTRY_SOURCE_TIMER },
        });

        clock.set('2026-04-08T13:00');
        await client.startWork({ requestId: randomUUID(), taskId: otherTask }, call('member'));
        expect(await client.discardTimer({ requestId: randomUUID() }, call('member'))).toEqual({});
        clock.set('2026-04-08T13:00:20');
        await client.startWork({ requestId: randomUUID(), taskId: otherTask }, call('member'));
        expect(await client.stopWork({ requestId: randomUUID() }, call('member'))).toEqual({ recorded: false });

        const extra = await client.recordSpan(
          {
            requestId: randomUUID(),
            taskId: otherTask,
            start: tokyo('2026-04-07T23:00'),
            end: tokyo('2026-04-08T00:30'),
          },
          call('member'),
        );
        expect(extra.entry?.days).toEqual([
          { day: '2026-04-07', minutes: 60 },
          { day: '2026-04-08', minutes: 30 },
        ]);
        expect(
          await client.correctEntry(
            {
              requestId: randomUUID(),
              memberId: hanako,
              entryId: extra.entry!.entryId,
              start: tokyo('2026-04-07T23:00'),
              end: tokyo('2026-04-08T00:15'),
              reason: '終了時刻の入力ミス',
            },
            call('coordinator'),
          ),
        ).toEqual({ reopenedWeeks: [] });
        const doomed = await client.recordSpan(
          {
            requestId: randomUUID(),
            taskId: otherTask,
            start: tokyo('2026-04-08T08:00'),
            end: tokyo('2026-04-08T08:30'),
          },
          call('member'),
        );
        expect(
          await client.deleteEntry(
            { requestId: randomUUID(), memberId: hanako, entryId: doomed.entry!.entryId, reason: '重複入力' },
            call('member'),
          ),
        ).toEqual({ reopenedWeeks: [] });

        clock.set('2026-04-08T14:00:07');
        expect(await client.markTaskDone({ requestId: randomUUID(), taskId: otherTask }, call('member'))).toEqual({
          at: tokyo('2026-04-08T14:00:07'),
          atTokyo: '2026-04-08T14:00:07.000+09:00',
        });

        const { week } = await client.getWeek({ memberId: '', weekStart: '' }, call('member'));
        expect(week).toMatchObject({
          memberId: hanako,
          weekStart: '2026-04-06',
          weekEnd: '2026-04-12',
          approval: WeekApproval.WEEK_APPROVAL_OPEN,
          totalMinutes: 90 + 30 + 75,
        });
        expect(week?.entries.map((e) => e.minutes)).toEqual([90, 75, 30]);
        expect(week?.days.slice(0, 3)).toEqual([
          { day: '2026-04-06', minutes: 90 },
          { day: '2026-04-07', minutes: 60 },
          { day: '2026-04-08', minutes: 45 },
        ]);
        expect(week?.timer).toBeUndefined();

        clock.set('2026-04-13T09:00');
        const approval = { requestId: randomUUID(), memberId: hanako, weekStart: '2026-04-06' };
        expect(await client.approveWeek(approval, call('coordinator'))).toEqual({
          approvedEntries: 3,
          alreadyApproved: false,
        });
        // A retry answers the first outcome.
        expect(await client.approveWeek(approval, call('coordinator'))).toEqual({
          approvedEntries: 3,
          alreadyApproved: false,
        });
        expect(await client.approveWeek({ ...approval, requestId: randomUUID() }, call('coordinator'))).toEqual({
          approvedEntries: 0,
          alreadyApproved: true,
        });
        const approvedWeek = await client.getWeek({ memberId: hanako, weekStart: '2026-04-06' }, call('accountant'));
        expect(approvedWeek.week?.approval).toBe(WeekApproval.WEEK_APPROVAL_APPROVED);

        const listed = await client.listApprovedTime({ regionId: 'fujisato', month: '2026-04' }, call('accountant'));
        expect(listed).toMatchObject({
          regionId: 'fujisato',
          month: '2026-04',
          members: [{ memberId: hanako, minutes: 195 }],
          totalMinutes: 195,
        });
        expect(listed.lines.map((l) => [l.memberId, l.weekStart, l.minutesInMonth])).toEqual([
          [hanako, '2026-04-06', 90],
          [hanako, '2026-04-06', 75],
          [hanako, '2026-04-06', 30],
        ]);

        expect(
          await client.correctEntry(
            {
              requestId: randomUUID(),
              memberId: hanako,
              entryId: entry!.entryId,
              start: tokyo('2026-04-06T09:30'),
              end: tokyo('2026-04-06T10:30'),
              reason: '休憩を含めていた',
            },
            call('member'),
          ),
        ).toEqual({ reopenedWeeks: ['2026-04-06'] });
        expect(
          (await client.getWeek({ memberId: hanako, weekStart: '2026-04-06' }, call('coordinator'))).week?.approval,
        ).toBe(WeekApproval.WEEK_APPROVAL_REOPENED);
        expect(
          (await client.listApprovedTime({ regionId: 'fujisato', month: '2026-04' }, call('operator'))).lines,
        ).toEqual([]);
      });

      it('logs ids, never a reason’s text', () => {
        const output = logLines.join('\n');
        expect(output).toContain('entry corrected');
        expect(output).toContain('week approved');
        expect(output).not.toContain('終了時刻の入力ミス');
        expect(output).not.toContain('重複入力');
      });
    });

    describe('bad input and refusals: the right status and code, and nothing stored', () => {
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
      const RULE = 'FAILED_PRECONDITION';
      const FORBIDDEN = 'PERMISSION_DENIED';
      const span = (start: string, end: string) => ({ start: tokyo(start), end: tokyo(end) });
      let entryId = '';

      beforeAll(async () => {
        clock.set('2026-04-15T12:00');
        const { entry } = await client.recordSpan(
          { requestId: randomUUID(), taskId: otherTask, ...span('2026-04-15T09:00', '2026-04-15T10:00') },
          call('member'),
        );
        entryId = entry!.entryId;
        // The week of 2026-04-06, reopened by the last correction above, approved again.
        await client.approveWeek(
          { requestId: randomUUID(), memberId: hanako, weekStart: '2026-04-06' },
          call('coordinator'),
        );
      });

      const cases: readonly Case[] = [
        c(
          'StartWork without a request id',
          'startWork',
          () => ({ requestId: '', taskId: otherTask }),
          'member',
          INVALID,
          'request.missing_field',
        ),
        c(
          'StartWork without a task',
          'startWork',
          () => ({ requestId: randomUUID(), taskId: '' }),
          'member',
          INVALID,
          'request.missing_field',
        ),
        c(
          'StartWork on a task that is not an id',
          'startWork',
          () => ({ requestId: randomUUID(), taskId: 'x' }),
          'member',
          INVALID,
          'time.invalid_task_id',
        ),
        c(
          'StartWork on a task she no longer holds',
          'startWork',
          () => ({ requestId: randomUUID(), taskId: task }),
          'member',
          RULE,
          'time.task_not_held',
        ),
        c('StopWork without a timer', 'stopWork', () => ({ requestId: randomUUID() }), 'member', RULE, 'time.no_timer'),
        c(
          'DiscardTimer without a timer',
          'discardTimer',
          () => ({ requestId: randomUUID() }),
          'member',
          RULE,
          'time.no_timer',
        ),
        c(
          'RecordSpan without a start',
          'recordSpan',
          () => ({ requestId: randomUUID(), taskId: otherTask, end: tokyo('2026-04-15T11:00') }),
          'member',
          INVALID,
          'request.missing_field',
        ),
        c(
          'RecordSpan overlapping an entry',
          'recordSpan',
          () => ({ requestId: randomUUID(), taskId: otherTask, ...span('2026-04-15T09:30', '2026-04-15T10:30') }),
          'member',
          RULE,
          'time.overlapping_span',
        ),
        c(
          'RecordSpan ending in the future',
          'recordSpan',
          () => ({ requestId: randomUUID(), taskId: otherTask, ...span('2026-04-15T11:30', '2026-04-15T12:30') }),
          'member',
          INVALID,
          'time.span_in_future',
        ),
        c(
          'RecordSpan with seconds',
          'recordSpan',
          () => ({ requestId: randomUUID(), taskId: otherTask, ...span('2026-04-15T10:30:30', '2026-04-15T11:00') }),
          'member',
          INVALID,
          'time.invalid_span',
        ),
        c(
          'RecordSpan on a task after she handed it off',
          'recordSpan',
          () => ({ requestId: randomUUID(), taskId: task, ...span('2026-04-15T10:30', '2026-04-15T11:00') }),
          'member',
          RULE,
          'time.task_not_held',
        ),
        c(
          'RecordSpan past 720 minutes in a Tokyo day',
          'recordSpan',
          () => ({ requestId: randomUUID(), taskId: otherTask, ...span('2026-04-14T10:00', '2026-04-14T22:01') }),
          'member',
          RULE,
          'time.day_limit_exceeded',
        ),
        c(
          'RecordSpan in an approved week',
          'recordSpan',
          () => ({ requestId: randomUUID(), taskId: otherTask, ...span('2026-04-09T10:00', '2026-04-09T11:00') }),
          'member',
          RULE,
          'time.week_approved',
        ),
        c(
          'CorrectEntry by another region’s coordinator',
          'correctEntry',
          () => ({
            requestId: randomUUID(),
            memberId: hanako,
            entryId,
            ...span('2026-04-15T09:00', '2026-04-15T09:30'),
            reason: 'x',
          }),
          'setagayaCoordinator',
          FORBIDDEN,
          'time.forbidden',
        ),
        c(
          'CorrectEntry with a reason of 1,001 characters',
          'correctEntry',
          () => ({
            requestId: randomUUID(),
            memberId: hanako,
            entryId,
            ...span('2026-04-15T09:00', '2026-04-15T09:30'),
            reason: 'あ'.repeat(1_001),
          }),
          'member',
          INVALID,
          'time.invalid_reason',
        ),
        c(
          'CorrectEntry with a NUL in its reason',
          'correctEntry',
          () => ({
            requestId: randomUUID(),
            memberId: hanako,
            entryId,
            ...span('2026-04-15T09:00', '2026-04-15T09:30'),
            reason: 'a\u0000',
          }),
          'member',
          INVALID,
          'text.invalid_characters',
        ),
        c(
          'CorrectEntry of an entry she does not have',
          'correctEntry',
          () => ({
            requestId: randomUUID(),
            memberId: hanako,
            entryId: randomUUID(),
            ...span('2026-04-15T09:00', '2026-04-15T09:30'),
            reason: 'x',
          }),
          'member',
          'NOT_FOUND',
          'time.entry_not_found',
        ),
        c(
          'CorrectEntry without a member',
          'correctEntry',
          () => ({
            requestId: randomUUID(),
            memberId: '',
            entryId,
            ...span('2026-04-15T09:00', '2026-04-15T09:30'),
            reason: 'x',
          }),
          'coordinator',
          INVALID,
          'request.missing_field',
        ),
        c(
          'DeleteEntry without a reason',
          'deleteEntry',
          () => ({ requestId: randomUUID(), memberId: hanako, entryId, reason: '  ' }),
          'member',
          INVALID,
          'time.reason_required',
        ),
        c(
          'DeleteEntry by a business user',
          'deleteEntry',
          () => ({ requestId: randomUUID(), memberId: hanako, entryId, reason: 'x' }),
          'business',
          FORBIDDEN,
          'time.forbidden',
        ),
        c(
          'MarkTaskDone twice',
          'markTaskDone',
          () => ({ requestId: randomUUID(), taskId: otherTask }),
          'member',
          RULE,
          'time.already_done',
        ),
        c(
          'ApproveWeek by the member herself',
          'approveWeek',
          () => ({ requestId: randomUUID(), memberId: hanako, weekStart: '2026-04-13' }),
          'member',
          FORBIDDEN,
          'time.forbidden',
        ),
        c(
          'ApproveWeek before the week is over',
          'approveWeek',
          () => ({ requestId: randomUUID(), memberId: hanako, weekStart: '2026-04-13' }),
          'coordinator',
          RULE,
          'time.week_not_over',
        ),
        c(
          'ApproveWeek of a week with nothing in it',
          'approveWeek',
          () => ({ requestId: randomUUID(), memberId: hanako, weekStart: '2026-03-30' }),
          'coordinator',
          RULE,
          'time.nothing_to_approve',
        ),
        c(
          'ApproveWeek of a day that is not a Monday',
          'approveWeek',
          () => ({ requestId: randomUUID(), memberId: hanako, weekStart: '2026-04-07' }),
          'coordinator',
          INVALID,
          'time.invalid_week',
        ),
        c(
          'GetWeek of her by a business',
          'getWeek',
          () => ({ memberId: hanako, weekStart: '' }),
          'business',
          FORBIDDEN,
          'time.forbidden',
        ),
        c(
          'GetWeek of a member that is not an id',
          'getWeek',
          () => ({ memberId: 'x', weekStart: '' }),
          'operator',
          INVALID,
          'time.invalid_member_id',
        ),
        c(
          'ListApprovedTime by a member',
          'listApprovedTime',
          () => ({ regionId: 'fujisato', month: '2026-04' }),
          'member',
          FORBIDDEN,
          'time.forbidden',
        ),
        c(
          'ListApprovedTime of a month that is not one',
          'listApprovedTime',
          () => ({ regionId: 'fujisato', month: '2026-13' }),
          'accountant',
          INVALID,
          'time.invalid_month',
        ),
        c(
          'GetWeek without a token',
          'getWeek',
          () => ({ memberId: '', weekStart: '' }),
          undefined,
          'UNAUTHENTICATED',
          'auth.token_missing',
        ),
      ];

      it.each(cases)('%s', async (_, method, request, person, status, code) => {
        const head = await env.store.headPosition();
        expect(
          await refusal(wire(server.address, method, request(), person === undefined ? undefined : token(person))),
        ).toEqual({
          status,
          errorCode: code,
        });
        expect(await env.store.headPosition()).toEqual(head);
      });
    });
  });
};
