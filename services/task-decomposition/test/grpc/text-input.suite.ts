/**
 * What the gRPC host refuses before task decomposition's handlers, over a real loopback socket
 * with a real identity: text longer than its field's limit (answered at once, with a short
 * message), NUL and invalid UTF-8 in a task's title, key, skills or dependencies, task deadlines
 * outside 0001..9999 or with bad nanos, and a property over every text field of both commands.
 * Each refusal is INVALID_ARGUMENT and stores nothing. Run on the embedded store
 * (text-input.spec.ts) and on PostgreSQL (text-input.int.spec.ts).
 */
import { randomUUID } from 'node:crypto';
import { MAX_REQUEST_ID_LENGTH, type EventStore } from '@workshare/eventsourcing';
import {
  ID_MAX_LENGTH,
  IdentityTokenVerifierClient,
  jsonLogger,
  type GrpcServer,
  type WireOutcome,
} from '@workshare/grpc';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import { taskDecompositionV1 } from '@workshare/proto';
import fc from 'fast-check';
import { startTaskDecompositionGrpc } from '../../src/adapters/grpc/task-decomposition-grpc.js';
import { PROCESS_MANAGER_ACTOR } from '../../src/application/process-manager.js';
import { TaskDecompositionService } from '../../src/application/task-decomposition-service.js';
import { MAX_TITLE_LENGTH } from '../../src/domain/plan-rules.js';
import { wire, wireBytes } from './wire.js';

export interface TextInputTestEnv {
  readonly store: EventStore;
  close(): Promise<void>;
}

const JOB_DEADLINE = new Date('2026-09-30T09:00:00.000Z');
const DUE = new Date('2026-09-20T09:00:00.000Z');
const { RevisePlanRequest, TaskDraft } = taskDecompositionV1;

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
/** One length-delimited field (a string or a message) as it goes on the wire. */
const lengthDelimited = (field: number, bytes: Iterable<number>): Buffer => {
  const body = [...bytes];
  return Buffer.from([...varint((field << 3) | 2), ...varint(body.length), ...body]);
};
/** A google.protobuf.Timestamp message's bytes. */
const timestamp = (seconds: number, nanos: number): number[] => [0x08, ...varint(seconds), 0x10, ...varint(nanos)];

const draft = (key: string, estimatedMinutes: number, overrides: Partial<taskDecompositionV1.TaskDraft> = {}) => ({
  key,
  title: `Enter records (${key})`,
  estimatedMinutes,
  skills: ['data entry'],
  dependsOn: [],
  deadline: DUE,
  ...overrides,
});

export const describeTaskDecompositionTextInput = (label: string, setup: () => Promise<TextInputTestEnv>): void => {
  describe(`what the gRPC host refuses before task decomposition's handlers (${label})`, () => {
    let env: TextInputTestEnv;
    let coop: TestCooperative;
    let service: TaskDecompositionService;
    let verifier: IdentityTokenVerifierClient;
    let server: GrpcServer;
    let jobId: string;

    // expected_version -1: no check, so the tests do not depend on each other's revisions.
    const revise = (tasks: taskDecompositionV1.TaskDraft[], requestId: string = randomUUID()) =>
      wire(server.address, 'revisePlan', { requestId, jobId, tasks, expectedVersion: '-1' }, coop.coordinator.token);
    /** RevisePlan of a valid plan of two tasks, the second one changed. */
    const reviseSecond = (change: Partial<taskDecompositionV1.TaskDraft>) =>
      revise([draft('a', 120), draft('b', 120, { deadline: JOB_DEADLINE, dependsOn: ['a'], ...change })]);
    const validRequest = (): Buffer =>
      Buffer.from(
        RevisePlanRequest.encode({
          requestId: randomUUID(),
          jobId,
          tasks: [draft('a', 240, { deadline: JOB_DEADLINE })],
          expectedVersion: '-1',
        }).finish(),
      );
    /** A valid RevisePlan with one more task of these bytes (tasks is field 3). */
    const withTaskBytes = (task: Buffer): Buffer => Buffer.concat([validRequest(), lengthDelimited(3, task)]);

    const refusedWithNothingStored = async (
      call: () => Promise<WireOutcome<unknown>>,
      errorCode: string,
    ): Promise<WireOutcome<unknown>> => {
      const head = await env.store.headPosition();
      const outcome = await call();
      expect(outcome).toMatchObject({ ok: false, status: 'INVALID_ARGUMENT', errorCode });
      expect(await env.store.headPosition()).toEqual(head);
      return outcome;
    };

    beforeAll(async () => {
      env = await setup();
      coop = await startTestCooperative({ store: env.store });
      service = new TaskDecompositionService({ store: env.store });
      verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
      server = await startTaskDecompositionGrpc({
        service,
        port: 0,
        host: '127.0.0.1',
        verifier,
        logger: jsonLogger('error'),
      });
      jobId = randomUUID();
      await service.proposePlan(
        { actor: PROCESS_MANAGER_ACTOR, causationId: randomUUID() },
        {
          jobId,
          businessId: coop.businesses.fujisato,
          regionId: 'fujisato',
          localOnlyTownId: null,
          workCategory: 'data_entry',
          title: '会員名簿の入力',
          skills: [],
          estimatedMinutes: 240,
          deadline: JOB_DEADLINE.toISOString(),
          acceptedAt: '2026-09-01T00:00:00.000Z',
        },
      );
    });
    afterAll(async () => {
      await server?.shutdown(1_000);
      verifier?.close();
      await coop?.close();
      await env?.close();
    });

    it('GetPlan with a 100 KB job id comes back at once: text.too_long, with a short message', async () => {
      const outcome = await refusedWithNothingStored(
        () => wire(server.address, 'getPlan', { jobId: 'x'.repeat(100_000) }, coop.coordinator.token),
        'text.too_long',
      );
      expect(outcome.ok === false && outcome.message.length).toBeLessThan(200);
    });

    it('RevisePlan with a 1 MB task title comes back at once: text.too_long, with a short message', async () => {
      const outcome = await refusedWithNothingStored(
        () => reviseSecond({ title: '藤'.repeat(1_000_000) }),
        'text.too_long',
      );
      expect(outcome.ok === false && outcome.message.length).toBeLessThan(200);
    });

    it('takes a title at its limit in characters (200 outside the BMP)', async () => {
      const outcome = await reviseSecond({ title: '𠀋'.repeat(MAX_TITLE_LENGTH) });
      expect(outcome).toMatchObject({ ok: true });
      await refusedWithNothingStored(() => reviseSecond({ title: '𠀋'.repeat(MAX_TITLE_LENGTH + 1) }), 'text.too_long');
    });

    it('a NUL in a task title, key, skill or dependency: text.invalid_characters', async () => {
      for (const change of [
        { title: 'Enter\u0000records' },
        { key: 'b\u0000' },
        { skills: ['data entry', 'excel\u0000'] },
        { dependsOn: ['a\u0000'] },
      ])
        await refusedWithNothingStored(() => reviseSecond(change), 'text.invalid_characters');
      await refusedWithNothingStored(
        () =>
          wire(
            server.address,
            'confirmPlan',
            { requestId: 'r\u0000', jobId, expectedVersion: '-1' },
            coop.coordinator.token,
          ),
        'text.invalid_characters',
      );
    });

    it('invalid UTF-8 bytes in a task title or a skill are refused alike, not stored as U+FFFD', async () => {
      const task = Buffer.from(TaskDraft.encode(draft('b', 1)).finish());
      const invalid = [0x61, 0xff, 0x62];
      // A string field sent again wins (title, field 2); a repeated one gains an element (skills, field 4).
      await refusedWithNothingStored(
        () =>
          wireBytes(
            server.address,
            'revisePlan',
            withTaskBytes(Buffer.concat([task, lengthDelimited(2, invalid)])),
            coop.coordinator.token,
          ),
        'text.invalid_characters',
      );
      await refusedWithNothingStored(
        () =>
          wireBytes(
            server.address,
            'revisePlan',
            withTaskBytes(Buffer.concat([task, lengthDelimited(4, invalid)])),
            coop.coordinator.token,
          ),
        'text.invalid_characters',
      );
      // Well-formed UTF-8 (藤) in the same place reaches the plan's rules (which refuse the plan's total).
      const fine = await wireBytes(
        server.address,
        'revisePlan',
        withTaskBytes(Buffer.concat([task, lengthDelimited(2, [0xe8, 0x97, 0xa4])])),
        coop.coordinator.token,
      );
      expect(fine).toMatchObject({ ok: false, status: 'INVALID_ARGUMENT', errorCode: 'plan.invalid' });
    });

    it('a task deadline before the year 1, in the year 10000, or with nanos of 2e9: request.invalid_timestamp', async () => {
      await refusedWithNothingStored(
        () => reviseSecond({ deadline: new Date('-000001-06-01T00:00:00Z') }),
        'request.invalid_timestamp',
      );
      await refusedWithNothingStored(
        () => reviseSecond({ deadline: new Date('+010000-01-01T00:00:00Z') }),
        'request.invalid_timestamp',
      );
      const task = Buffer.from(TaskDraft.encode(draft('b', 1)).finish());
      const seconds = Math.floor(DUE.getTime() / 1000);
      await refusedWithNothingStored(
        () =>
          wireBytes(
            server.address,
            'revisePlan',
            withTaskBytes(Buffer.concat([task, lengthDelimited(6, timestamp(seconds, 2_000_000_000))])),
            coop.coordinator.token,
          ),
        'request.invalid_timestamp',
      );
    });

    it('property: a text field of either command that is too long or holds a NUL is refused, and nothing is stored', async () => {
      type Field = {
        readonly name: string;
        readonly max: number;
        /** The code of a value longer than max. */
        readonly tooLong: string;
        readonly call: (value: string) => Promise<WireOutcome<unknown>>;
      };
      const fields: readonly Field[] = [
        { name: 'title', max: MAX_TITLE_LENGTH, tooLong: 'text.too_long', call: (title) => reviseSecond({ title }) },
        { name: 'key', max: ID_MAX_LENGTH, tooLong: 'text.too_long', call: (key) => reviseSecond({ key }) },
        {
          name: 'skill',
          max: ID_MAX_LENGTH,
          tooLong: 'text.too_long',
          call: (skill) => reviseSecond({ skills: ['data entry', skill] }),
        },
        {
          name: 'dependency',
          max: ID_MAX_LENGTH,
          tooLong: 'text.too_long',
          call: (key) => reviseSecond({ dependsOn: [key] }),
        },
        {
          name: 'revision request id',
          max: MAX_REQUEST_ID_LENGTH,
          tooLong: 'request.invalid_request_id',
          call: (requestId) => revise([draft('a', 240, { deadline: JOB_DEADLINE })], requestId),
        },
        {
          name: 'confirmation request id',
          max: MAX_REQUEST_ID_LENGTH,
          tooLong: 'request.invalid_request_id',
          call: (requestId) =>
            wire(server.address, 'confirmPlan', { requestId, jobId, expectedVersion: '-1' }, coop.coordinator.token),
        },
      ];
      // A value with a NUL somewhere (within the limit), or one over the limit (of any characters).
      const bad = (field: Field): fc.Arbitrary<{ value: string; code: string }> =>
        fc.oneof(
          fc.tuple(fc.string({ maxLength: 60 }), fc.string({ maxLength: 20 })).map(([head, tail]) => ({
            value: `${head}\u0000${tail}`.slice(0, field.max),
            code: 'text.invalid_characters',
          })),
          fc
            .tuple(fc.integer({ min: 1, max: 3 * field.max }), fc.constantFrom('a', '藤', '𠀋', ' '))
            .map(([extra, unit]) => ({ value: unit.repeat(field.max + extra), code: field.tooLong })),
        );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...fields).chain((field) => fc.tuple(fc.constant(field), bad(field))),
          async ([field, { value, code }]) => {
            const head = await env.store.headPosition();
            const outcome = await field.call(value);
            expect(outcome).toMatchObject({ ok: false, status: 'INVALID_ARGUMENT', errorCode: code });
            expect(outcome.ok === false && outcome.message.length).toBeLessThan(300);
            expect(await env.store.headPosition()).toEqual(head);
          },
        ),
        { numRuns: 60 },
      );
    });
  });
};
