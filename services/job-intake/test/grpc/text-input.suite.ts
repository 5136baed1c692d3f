/**
 * What the gRPC host refuses before job intake's handlers run, over a real loopback socket with
 * a real identity: text longer than its field's limit (answered at once, with a short message),
 * NUL and invalid UTF-8 in any text field, timestamps outside 0001..9999 or with bad nanos, and
 * a property over every text field of every command. Each refusal is INVALID_ARGUMENT and
 * stores nothing. Run on the embedded store (text-input.spec.ts) and on PostgreSQL
 * (text-input.int.spec.ts).
 */
import { randomUUID } from 'node:crypto';
import { MAX_REQUEST_ID_LENGTH, type EventStore } from '@workshare/eventsourcing';
import {
  createClient,
  IdentityTokenVerifierClient,
  jsonLogger,
  wireCallBytes,
  type GrpcServer,
  type ServiceClient,
  type WireOutcome,
} from '@workshare/grpc';
import { startTestCooperative, type TestCooperative } from '@workshare/identity';
import { jobIntakeV1, moneyFromYen } from '@workshare/proto';
import fc from 'fast-check';
import { startJobIntakeGrpc } from '../../src/adapters/grpc/job-intake-grpc.js';
import { LIMITS } from '../../src/domain/job.js';
import { openJobIntakeService, type JobIntakeRuntime } from '../../src/open-job-intake.js';
import { daysFromNow } from '../cooperative.js';
import { wire, type MethodName, type RequestOfMethod } from './wire.js';

export interface TextInputTestEnv {
  readonly store: EventStore;
  close(): Promise<void>;
}

const { WorkCategory, PricingKind } = jobIntakeV1;
const Service = jobIntakeV1.JobIntakeServiceService;

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
/** One length-delimited field (a string, bytes or a message) as it goes on the wire. */
const lengthDelimited = (field: number, bytes: readonly number[]): Buffer =>
  Buffer.from([...varint((field << 3) | 2), ...varint(bytes.length), ...bytes]);
/** A google.protobuf.Timestamp message's bytes. */
const timestamp = (seconds: number, nanos: number): number[] => [0x08, ...varint(seconds), 0x10, ...varint(nanos)];

export const describeJobIntakeTextInput = (label: string, setup: () => Promise<TextInputTestEnv>): void => {
  describe(`what the gRPC host refuses before job intake's handlers (${label})`, () => {
    let env: TextInputTestEnv;
    let coop: TestCooperative;
    let runtime: JobIntakeRuntime;
    let server: GrpcServer;
    let verifier: IdentityTokenVerifierClient;
    let client: ServiceClient<typeof Service>;
    let submitted: string;
    let quoted: string;
    let inProgress: string;
    let delivered: string;

    const submitRequest = (overrides: Partial<jobIntakeV1.SubmitJobRequest> = {}): jobIntakeV1.SubmitJobRequest => ({
      requestId: randomUUID(),
      businessId: coop.businesses.fujisato,
      title: '藤里町 観光サイトの記事執筆',
      description: '白神山地の紹介記事 3 本',
      workCategory: WorkCategory.WORK_CATEGORY_WRITING,
      pricing: { kind: PricingKind.PRICING_KIND_FIXED_PRICE },
      amount: moneyFromYen(60_000),
      deadline: daysFromNow(45),
      regionId: 'fujisato',
      localOnlyTownId: '',
      skills: ['writing'],
      ...overrides,
    });
    const quoteRequest = (overrides: Partial<jobIntakeV1.QuoteJobRequest> = {}): jobIntakeV1.QuoteJobRequest => ({
      requestId: randomUUID(),
      jobId: submitted,
      amount: moneyFromYen(55_000),
      estimatedMinutes: 480,
      deliveryDate: daysFromNow(30),
      note: '',
      ...overrides,
    });

    /** The call is refused INVALID_ARGUMENT with this code, and the store holds nothing more. */
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
    const as = (token: string) => ({ token });
    const call = <K extends MethodName>(method: K, request: RequestOfMethod<K>, token = coop.business.token) =>
      wire(server.address, method, request, token);
    const callBytes = <K extends MethodName>(method: K, bytes: Buffer, token = coop.business.token) =>
      wireCallBytes(Service, server.address, method, bytes, { token });

    beforeAll(async () => {
      env = await setup();
      coop = await startTestCooperative({ store: env.store });
      runtime = await openJobIntakeService({ store: env.store, identityAddress: coop.identityAddress });
      verifier = new IdentityTokenVerifierClient({ identityAddress: coop.identityAddress });
      server = await startJobIntakeGrpc({
        service: runtime.service,
        port: 0,
        host: '127.0.0.1',
        verifier,
        logger: jsonLogger('error'),
      });
      client = createClient(jobIntakeV1.JobIntakeServiceClient, server.address, { deadlineMs: 20_000 });
      const submit = async () => (await client.submitJob(submitRequest(), as(coop.business.token))).jobId;
      submitted = await submit();
      quoted = await submit();
      await client.quoteJob(quoteRequest({ jobId: quoted }), as(coop.coordinator.token));
      inProgress = await submit();
      await client.quoteJob(quoteRequest({ jobId: inProgress }), as(coop.coordinator.token));
      await client.acceptQuote({ requestId: randomUUID(), jobId: inProgress }, as(coop.business.token));
      await client.startJob({ requestId: randomUUID(), jobId: inProgress }, as(coop.coordinator.token));
      delivered = await submit();
      await client.quoteJob(quoteRequest({ jobId: delivered }), as(coop.coordinator.token));
      await client.acceptQuote({ requestId: randomUUID(), jobId: delivered }, as(coop.business.token));
      await client.startJob({ requestId: randomUUID(), jobId: delivered }, as(coop.coordinator.token));
      await client.deliverJob({ requestId: randomUUID(), jobId: delivered, note: '' }, as(coop.coordinator.token));
    });
    afterAll(async () => {
      client?.close();
      await server?.shutdown(1_000);
      verifier?.close();
      await runtime?.close();
      await coop?.close();
      await env?.close();
    });

    it('GetJob with a 100 KB id comes back at once: text.too_long, with a short message', async () => {
      const outcome = await refusedWithNothingStored(
        () => call('getJob', { jobId: 'x'.repeat(100_000) }, coop.operator.token),
        'text.too_long',
      );
      expect(outcome.ok === false && outcome.message.length).toBeLessThan(200);
    });

    it('QuoteJob with a 1 MB note comes back at once: the note is too long, the message short', async () => {
      const outcome = await refusedWithNothingStored(
        () => call('quoteJob', quoteRequest({ note: '藤'.repeat(1_000_000) }), coop.coordinator.token),
        'job.invalid_note',
      );
      expect(outcome.ok === false && outcome.message.length).toBeLessThan(200);
    });

    it('takes every text at its limit (lengths in characters, as the domain counts them)', async () => {
      const { jobId } = await client.submitJob(
        submitRequest({
          title: '𠀋'.repeat(LIMITS.titleLength),
          description: 'd'.repeat(LIMITS.descriptionLength),
          skills: Array.from({ length: LIMITS.skills }, (_, i) => `${i}`.padEnd(LIMITS.skillLength, 's')),
        }),
        as(coop.business.token),
      );
      await client.quoteJob(quoteRequest({ jobId, note: 'n'.repeat(LIMITS.noteLength) }), as(coop.coordinator.token));
      await client.cancelJob(
        { requestId: randomUUID(), jobId, reason: 'r'.repeat(LIMITS.reasonLength) },
        as(coop.business.token),
      );
      const { job } = await client.getJob({ jobId }, as(coop.business.token));
      expect(job).toMatchObject({ title: '𠀋'.repeat(LIMITS.titleLength), reason: 'r'.repeat(LIMITS.reasonLength) });
    });

    it('a NUL in a title, a description, a skill, a note or a reason: text.invalid_characters', async () => {
      const NUL = '\u0000';
      const coordinator = coop.coordinator.token;
      const cases: (() => Promise<WireOutcome<unknown>>)[] = [
        () => call('submitJob', submitRequest({ title: `町史${NUL}` })),
        () => call('submitJob', submitRequest({ description: `${NUL}` })),
        () => call('submitJob', submitRequest({ skills: ['writing', `photo${NUL}graphy`] })),
        () => call('quoteJob', quoteRequest({ note: `取材${NUL}1 回` }), coordinator),
        () => call('declineQuote', { requestId: randomUUID(), jobId: quoted, reason: `${NUL}高い` }),
        () => call('deliverJob', { requestId: randomUUID(), jobId: inProgress, note: `納品${NUL}` }, coordinator),
        () => call('inspectJob', { requestId: randomUUID(), jobId: delivered, accepted: false, reason: `誤字${NUL}` }),
        () => call('cancelJob', { requestId: randomUUID(), jobId: submitted, reason: NUL }),
        () => call('getJob', { jobId: `${submitted}${NUL}` }),
      ];
      for (const refused of cases) await refusedWithNothingStored(refused, 'text.invalid_characters');
    });

    it('invalid UTF-8 bytes in a title, a skill or a note are refused alike, not stored as U+FFFD', async () => {
      const invalid = [0x61, 0xff, 0x62];
      const submit = Buffer.from(jobIntakeV1.SubmitJobRequest.encode(submitRequest()).finish());
      // A string field sent again wins (title, field 3); a repeated one gains an element (skills, field 11).
      await refusedWithNothingStored(
        () => callBytes('submitJob', Buffer.concat([submit, lengthDelimited(3, invalid)])),
        'text.invalid_characters',
      );
      await refusedWithNothingStored(
        () => callBytes('submitJob', Buffer.concat([submit, lengthDelimited(11, invalid)])),
        'text.invalid_characters',
      );
      const quote = Buffer.from(jobIntakeV1.QuoteJobRequest.encode(quoteRequest()).finish());
      await refusedWithNothingStored(
        () => callBytes('quoteJob', Buffer.concat([quote, lengthDelimited(6, invalid)]), coop.coordinator.token),
        'text.invalid_characters',
      );
      // Well-formed UTF-8 (藤) in the same place goes through.
      const fine = await callBytes('submitJob', Buffer.concat([submit, lengthDelimited(3, [0xe8, 0x97, 0xa4])]));
      expect(fine.ok).toBe(true);
    });

    it('a deadline in the year 10000, or with nanos of 2e9: request.invalid_timestamp', async () => {
      await refusedWithNothingStored(
        () => call('submitJob', submitRequest({ deadline: new Date('+010000-01-01T00:00:00Z') })),
        'request.invalid_timestamp',
      );
      const seconds = Math.floor(daysFromNow(45).getTime() / 1000);
      const submit = Buffer.from(jobIntakeV1.SubmitJobRequest.encode(submitRequest()).finish());
      await refusedWithNothingStored(
        () => callBytes('submitJob', Buffer.concat([submit, lengthDelimited(8, timestamp(seconds, 2_000_000_000))])),
        'request.invalid_timestamp',
      );
      const quote = Buffer.from(jobIntakeV1.QuoteJobRequest.encode(quoteRequest()).finish());
      await refusedWithNothingStored(
        () =>
          callBytes(
            'quoteJob',
            Buffer.concat([quote, lengthDelimited(5, timestamp(seconds, 2_000_000_000))]),
            coop.coordinator.token,
          ),
        'request.invalid_timestamp',
      );
    });

    it('property: a text field of any command that is too long or holds a NUL is refused, and nothing is stored', async () => {
      type Field = {
        readonly name: string;
        readonly max: number;
        /** The code of a value longer than max. */
        readonly tooLong: string;
        readonly token: () => string;
        readonly request: (value: string) => { method: MethodName; request: RequestOfMethod<MethodName> };
      };
      const of = <K extends MethodName>(method: K, request: RequestOfMethod<K>) => ({
        method,
        request: request as RequestOfMethod<MethodName>,
      });
      const fields: readonly Field[] = [
        {
          name: 'title',
          tooLong: 'job.invalid_title',
          max: LIMITS.titleLength,
          token: () => coop.business.token,
          request: (title) => of('submitJob', submitRequest({ title })),
        },
        {
          name: 'description',
          tooLong: 'job.invalid_description',
          max: LIMITS.descriptionLength,
          token: () => coop.business.token,
          request: (description) => of('submitJob', submitRequest({ description })),
        },
        {
          name: 'skill',
          tooLong: 'job.invalid_skills',
          max: LIMITS.skillLength,
          token: () => coop.business.token,
          request: (skill) => of('submitJob', submitRequest({ skills: ['writing', skill] })),
        },
        {
          name: 'quote note',
          tooLong: 'job.invalid_note',
          max: LIMITS.noteLength,
          token: () => coop.coordinator.token,
          request: (note) => of('quoteJob', quoteRequest({ note })),
        },
        {
          name: 'decline reason',
          tooLong: 'job.invalid_reason',
          max: LIMITS.reasonLength,
          token: () => coop.business.token,
          request: (reason) => of('declineQuote', { requestId: randomUUID(), jobId: quoted, reason }),
        },
        {
          name: 'delivery note',
          tooLong: 'job.invalid_note',
          max: LIMITS.noteLength,
          token: () => coop.coordinator.token,
          request: (note) => of('deliverJob', { requestId: randomUUID(), jobId: inProgress, note }),
        },
        {
          name: 'inspection reason',
          tooLong: 'job.invalid_reason',
          max: LIMITS.reasonLength,
          token: () => coop.business.token,
          request: (reason) => of('inspectJob', { requestId: randomUUID(), jobId: delivered, accepted: false, reason }),
        },
        {
          name: 'cancel reason',
          tooLong: 'job.invalid_reason',
          max: LIMITS.reasonLength,
          token: () => coop.business.token,
          request: (reason) => of('cancelJob', { requestId: randomUUID(), jobId: submitted, reason }),
        },
        {
          name: 'request id',
          tooLong: 'request.invalid_request_id',
          max: MAX_REQUEST_ID_LENGTH,
          token: () => coop.business.token,
          request: (requestId) => of('submitJob', submitRequest({ requestId })),
        },
      ];
      // A value with a NUL somewhere (within the limit), or one over the limit (of any characters).
      const bad = (max: number): fc.Arbitrary<{ value: string; code: string }> =>
        fc.oneof(
          fc
            .tuple(fc.string({ maxLength: Math.min(max - 1, 60) }), fc.string({ maxLength: 20 }))
            .map(([head, tail]) => ({ value: `${head}\u0000${tail}`.slice(0, max), code: 'text.invalid_characters' })),
          fc
            .tuple(fc.integer({ min: 1, max: 3 * max }), fc.constantFrom('a', '藤', '𠀋', ' '))
            .map(([extra, unit]) => ({ value: unit.repeat(max + extra), code: 'too_long' })),
        );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...fields).chain((field) => fc.tuple(fc.constant(field), bad(field.max))),
          async ([field, { value, code }]) => {
            const { method, request } = field.request(value);
            const head = await env.store.headPosition();
            const outcome = await wire(server.address, method, request, field.token());
            const errorCode = code === 'too_long' ? field.tooLong : code;
            expect(outcome).toMatchObject({ ok: false, status: 'INVALID_ARGUMENT', errorCode });
            expect(outcome.ok === false && outcome.message.length).toBeLessThan(300);
            expect(await env.store.headPosition()).toEqual(head);
          },
        ),
        { numRuns: 60 },
      );
    });
  });
};
