/**
 * What the gRPC host refuses before team scheduling's handlers run, over a real loopback socket
 * with a real identity: text longer than its field's limit (TEAM_SCHEDULING_REQUEST_LIMITS, with
 * the domain's codes), NUL and invalid UTF-8 in reasons, notes, skills and ids, and a property
 * over every text field of every command. Each refusal is INVALID_ARGUMENT and stores nothing.
 * Run on the embedded store (text-input.spec.ts) and on PostgreSQL (text-input.int.spec.ts).
 */
import { randomUUID } from 'node:crypto';
import { EmbeddedEventBus, type BusSubscription } from '@workshare/bus';
import { MAX_REQUEST_ID_LENGTH, type EventStore } from '@workshare/eventsourcing';
import {
  ID_MAX_LENGTH,
  IdentityTokenVerifierClient,
  jsonLogger,
  REQUEST_ID_LIMIT,
  wireCallBytes,
  type GrpcServer,
  type WireOutcome,
} from '@workshare/grpc';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import { teamSchedulingV1 } from '@workshare/proto';
import { LIMITS, TEAM_SCHEDULING_REQUEST_LIMITS } from '../../src/contract.js';
import fc from 'fast-check';
import { startTeamSchedulingGrpc } from '../../src/adapters/grpc/team-scheduling-grpc.js';
import { startTeamSchedulingConsumers } from '../../src/application/consumers.js';
import { crewStream } from '../../src/domain/crew.js';
import { scheduleStream } from '../../src/domain/job-schedule.js';
import { openTeamSchedulingService, type TeamSchedulingRuntime } from '../../src/open-team-scheduling.js';
import type { Person } from '../cooperative.js';
import { DAY_MS, eventually, everyDay, planTasks, registerMember } from '../support.js';
import { wire, type MethodName, type RequestOfMethod } from './wire.js';

export interface TextInputTestEnv {
  readonly store: EventStore;
  close(): Promise<void>;
}

const Service = teamSchedulingV1.TeamSchedulingServiceService;

/** A protobuf varint. */
const varint = (value: number): number[] => {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return bytes;
};
/** One length-delimited field (a string) as it goes on the wire. */
const lengthDelimited = (field: number, bytes: readonly number[]): Buffer =>
  Buffer.from([...varint((field << 3) | 2), ...varint(bytes.length), ...bytes]);

export const describeTeamSchedulingTextInput = (label: string, setup: () => Promise<TextInputTestEnv>): void => {
  describe(`what the gRPC host refuses before team scheduling's handlers (${label})`, () => {
    let env: TextInputTestEnv;
    let coop: TestCooperative;
    let runtime: TeamSchedulingRuntime;
    let bus: EmbeddedEventBus;
    let subscriptions: BusSubscription[];
    let server: GrpcServer;
    let verifier: IdentityTokenVerifierClient;
    let jobId: string;
    let taskId: string;
    let trainee: string;

    const token = (person: Person): string => coop[person].token;
    const month = () => ({ from: new Date(Date.now() + DAY_MS), to: new Date(Date.now() + 30 * DAY_MS) });

    /** A valid request of each command (its own request id), for the person who may send it. */
    type Request<K extends MethodName> = { method: K; request: RequestOfMethod<K>; person: Person };
    const of = <K extends MethodName>(method: K, request: RequestOfMethod<K>, person: Person) =>
      ({ method, request, person }) as unknown as Request<MethodName>;
    const requests = {
      scheduleJob: () => of('scheduleJob', { requestId: randomUUID(), jobId }, 'coordinator'),
      handOffTask: () =>
        of('handOffTask', { requestId: randomUUID(), taskId, reason: '急用', progressNote: '半分まで' }, 'member'),
      declareUnavailable: () =>
        of(
          'declareUnavailable',
          { requestId: randomUUID(), memberId: coop.member.id, ...month(), reason: '通院' },
          'member',
        ),
      overrideAssignment: () =>
        of(
          'overrideAssignment',
          { requestId: randomUUID(), taskId, memberId: coop.member.id, reason: '交代' },
          'coordinator',
        ),
      setWishedHours: () =>
        of('setWishedHours', { requestId: randomUUID(), memberId: coop.member.id, minutesPerWeek: 60 }, 'member'),
      grantSkill: () =>
        of(
          'grantSkill',
          { requestId: randomUUID(), memberId: coop.member.id, skill: 'proofreading', jobId, reason: '検収済み' },
          'coordinator',
        ),
      pairForTraining: () =>
        of(
          'pairForTraining',
          { requestId: randomUUID(), taskId, traineeMemberId: trainee, reason: '研修' },
          'coordinator',
        ),
      shareJob: () =>
        of(
          'shareJob',
          { requestId: randomUUID(), jobId, partnerRegionId: 'setagaya', reason: '人手不足' },
          'coordinator',
        ),
      getJobSchedule: () => of('getJobSchedule', { jobId }, 'coordinator'),
      getMemberSchedule: () => of('getMemberSchedule', { memberId: coop.member.id, ...month() }, 'member'),
      getTaskHistory: () => of('getTaskHistory', { taskId }, 'coordinator'),
      getTaskHolder: () => of('getTaskHolder', { taskId, at: new Date() }, 'coordinator'),
    } as const;

    /** Every string field of every request: its limit and the code of a longer value. */
    type Field = {
      readonly method: keyof typeof requests;
      readonly field: string;
      readonly max: number;
      readonly code: string;
    };
    const limitOf = (method: string, field: string): { max: number; code: string } => {
      const limits = (
        TEAM_SCHEDULING_REQUEST_LIMITS.fields as unknown as Record<
          string,
          Record<string, { maxLength: number; code: string }>
        >
      )[method];
      const limit = limits?.[field];
      return limit === undefined
        ? { max: ID_MAX_LENGTH, code: 'text.too_long' }
        : { max: limit.maxLength, code: limit.code };
    };
    const FIELDS: readonly Field[] = (
      [
        ['scheduleJob', ['requestId', 'jobId']],
        ['handOffTask', ['requestId', 'taskId', 'reason', 'progressNote']],
        ['declareUnavailable', ['requestId', 'memberId', 'reason']],
        ['overrideAssignment', ['requestId', 'taskId', 'memberId', 'reason']],
        ['setWishedHours', ['requestId', 'memberId']],
        ['grantSkill', ['requestId', 'memberId', 'skill', 'jobId', 'reason']],
        ['pairForTraining', ['requestId', 'taskId', 'traineeMemberId', 'reason']],
        ['shareJob', ['requestId', 'jobId', 'partnerRegionId', 'reason']],
        ['getJobSchedule', ['jobId']],
        ['getMemberSchedule', ['memberId']],
        ['getTaskHistory', ['taskId']],
        ['getTaskHolder', ['taskId']],
      ] as const
    ).flatMap(([method, fields]) => fields.map((field) => ({ method, field, ...limitOf(method, field) })));

    const send = (built: Request<MethodName>, field?: string, value?: string): Promise<WireOutcome<unknown>> => {
      const request = field === undefined ? built.request : { ...built.request, [field]: value };
      return wire(server.address, built.method, request as RequestOfMethod<MethodName>, token(built.person));
    };
    const sendBytes = (built: Request<MethodName>, extra: Buffer): Promise<WireOutcome<unknown>> => {
      const encode = (Service[built.method] as { requestSerialize: (value: unknown) => Buffer }).requestSerialize;
      const bytes = Buffer.concat([encode(built.request), extra]);
      return wireCallBytes(Service, server.address, built.method, bytes, { token: token(built.person) });
    };

    /** The call is refused INVALID_ARGUMENT with this code, and the store holds nothing more. */
    const refusedWithNothingStored = async (
      call: () => Promise<WireOutcome<unknown>>,
      errorCode: string,
    ): Promise<WireOutcome<unknown>> => {
      const head = await env.store.headPosition();
      const outcome = await call();
      expect(outcome).toMatchObject({ ok: false, status: 'INVALID_ARGUMENT', errorCode });
      expect(outcome.ok === false && outcome.message.length).toBeLessThan(300);
      expect(await env.store.headPosition()).toEqual(head);
      return outcome;
    };

    beforeAll(async () => {
      env = await setup();
      coop = await startTestCooperative({ store: env.store });
      trainee = await registerMember(coop, {
        townId: 'fujisato/kasuge',
        skills: [],
        availability: everyDay('00:00', '24:00'),
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
        logger: jsonLogger('error'),
      });
      // The teams first: the identity consumer delivers in log order, so once the member registered
      // last has her crew, every member has hers (a plan scheduled before would find nobody to hold it).
      await eventually('the teams', async () =>
        (await env.store.readStream(crewStream(trainee))).length > 0 ? true : undefined,
      );
      // A job whose one task the cooperative's member holds (the only data entry hand in fujikoto).
      const planned = await planTasks(env.store, {
        businessId: coop.businesses.fujisato,
        localOnlyTownId: 'fujisato/fujikoto',
        tasks: [{ estimatedMinutes: 30 }],
      });
      jobId = planned.jobId;
      taskId = planned.taskIds[0]!;
      await eventually('the job scheduled', async () =>
        (await env.store.readStream(scheduleStream(jobId))).some((e) => e.type === 'TaskAssigned') ? true : undefined,
      );
    }, 120_000);
    afterAll(async () => {
      await server?.shutdown(1_000);
      verifier?.close();
      await Promise.all(subscriptions?.map((s) => s.stop()) ?? []);
      await bus?.close();
      await runtime?.close();
      await coop?.close();
      await env?.close();
    });

    it('declares the request id limit of @workshare/grpc, and every text limit from the domain’s LIMITS', () => {
      for (const limits of Object.values(TEAM_SCHEDULING_REQUEST_LIMITS.fields))
        expect(limits.requestId).toEqual(REQUEST_ID_LIMIT);
      expect(TEAM_SCHEDULING_REQUEST_LIMITS.fields.handOffTask).toMatchObject({
        reason: { maxLength: LIMITS.reasonLength },
        progressNote: { maxLength: LIMITS.progressNoteLength },
      });
      expect(TEAM_SCHEDULING_REQUEST_LIMITS.fields.grantSkill.skill.maxLength).toBe(LIMITS.skillLength);
      expect(REQUEST_ID_LIMIT).toMatchObject({ maxLength: MAX_REQUEST_ID_LENGTH });
    });

    it('takes a reason, a progress note and a skill at their limits (characters outside the BMP count one each)', async () => {
      const outcome = await send(requests.handOffTask(), 'progressNote', '𠮷'.repeat(LIMITS.progressNoteLength));
      // Past the host: the rules answer (she holds the task, so it is handed off).
      expect(outcome.ok).toBe(true);
      const skill = await send(requests.grantSkill(), 'skill', '𠮷'.repeat(LIMITS.skillLength));
      expect(skill).toMatchObject({ ok: false, errorCode: 'skill.no_inspected_work' });
      const reason = await send(requests.shareJob(), 'reason', 'あ'.repeat(LIMITS.reasonLength));
      expect(reason).toMatchObject({ ok: false, errorCode: 'schedule.local_only_cannot_share' });
    });

    it('a NUL in any reason, note, skill or id: text.invalid_characters', async () => {
      for (const { method, field } of FIELDS)
        await refusedWithNothingStored(() => send(requests[method](), field, `藤\u0000里`), 'text.invalid_characters');
    });

    it('invalid UTF-8 bytes in reasons, notes, skills and ids are refused alike, not stored as U+FFFD', async () => {
      const invalid = [0x61, 0xff, 0x62];
      // A string field sent again wins: its proto field number.
      const cases: readonly (readonly [keyof typeof requests, number])[] = [
        ['scheduleJob', 2], // job_id
        ['handOffTask', 2], // task_id
        ['handOffTask', 3], // reason
        ['handOffTask', 4], // progress_note
        ['declareUnavailable', 5], // reason
        ['overrideAssignment', 3], // member_id
        ['overrideAssignment', 4], // reason
        ['grantSkill', 3], // skill
        ['grantSkill', 5], // reason
        ['pairForTraining', 3], // trainee_member_id
        ['pairForTraining', 4], // reason
        ['shareJob', 3], // partner_region_id
        ['shareJob', 4], // reason
        ['getTaskHistory', 1], // task_id
      ];
      for (const [method, field] of cases)
        await refusedWithNothingStored(
          () => sendBytes(requests[method](), lengthDelimited(field, invalid)),
          'text.invalid_characters',
        );
      // Well-formed UTF-8 (藤) in the same place goes through the host.
      const fine = await sendBytes(requests.shareJob(), lengthDelimited(4, [0xe8, 0x97, 0xa4]));
      expect(fine).toMatchObject({ ok: false, errorCode: 'schedule.local_only_cannot_share' });
    });

    it('a 1 MB progress note comes back at once with a short message', async () => {
      await refusedWithNothingStored(
        () => send(requests.handOffTask(), 'progressNote', '藤'.repeat(1_000_000)),
        'task.invalid_progress_note',
      );
    });

    it('property: any text field of any command or query, too long or holding a NUL, is refused and nothing is stored', async () => {
      // A value with a NUL somewhere (within the limit), or one over the limit (of any characters).
      const bad = (max: number): fc.Arbitrary<{ value: string; tooLong: boolean }> =>
        fc.oneof(
          fc
            .tuple(fc.string({ maxLength: Math.min(max - 1, 60) }), fc.string({ maxLength: 20 }))
            .map(([head, tail]) => ({ value: `${head}\u0000${tail}`.slice(0, max), tooLong: false })),
          fc
            .tuple(fc.integer({ min: 1, max: 3 * max }), fc.constantFrom('a', '藤', '𠀋', ' '))
            .map(([extra, unit]) => ({ value: unit.repeat(max + extra), tooLong: true })),
        );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...FIELDS).chain((field) => fc.tuple(fc.constant(field), bad(field.max))),
          async ([{ method, field, code }, { value, tooLong }]) => {
            await refusedWithNothingStored(
              () => send(requests[method](), field, value),
              tooLong ? code : 'text.invalid_characters',
            );
          },
        ),
        { numRuns: 80 },
      );
    });
  });
};
