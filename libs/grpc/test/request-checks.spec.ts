import { identityV1, teamSchedulingV1 } from '@workshare/proto';
import { refusal, startGrpcServer, wireCall, wireCallBytes, type GrpcServer } from '../src/index.js';
import { checkRequest, ID_MAX_LENGTH, TIMESTAMP_RANGE } from '../src/request-checks.js';
import { REQUEST_ID_LIMIT } from '../src/request-fields.js';
import { capturingLogger } from './support/clients.js';
import { newProbe, testIdentityService, testVerifier } from './support/test-service.js';

// Every request is checked by the host before its handler: lengths, text, timestamps.

let server: GrpcServer;
let address: string;
const probe = newProbe();

beforeAll(async () => {
  server = await startGrpcServer({
    name: 'checks-test',
    port: 0,
    host: '127.0.0.1',
    services: [testIdentityService(probe)],
    verifier: testVerifier(),
    logger: capturingLogger([]),
  });
  address = `127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.shutdown(100);
});

const getMember = (memberId: string) =>
  wireCall(identityV1.IdentityServiceService, address, 'getMember', { memberId }, { token: 'token-hanako' });

/** GetMemberRequest with field 1 (member_id) holding these bytes as they are. */
const rawMemberId = (bytes: number[]) => Buffer.from([0x0a, bytes.length, ...bytes]);

describe('the gRPC host checks every request before its handler', () => {
  it('a NUL in any string field (a lone surrogate cannot cross the wire: UTF-8 cannot encode it): INVALID_ARGUMENT text.invalid_characters, and the handler is not called', async () => {
    const before = probe.calls.getMember ?? 0;
    for (const bad of ['whoami\u0000', 'a\u0000']) {
      expect(await refusal(getMember(bad))).toEqual({
        status: 'INVALID_ARGUMENT',
        errorCode: 'text.invalid_characters',
      });
    }
    expect(probe.calls.getMember ?? 0).toBe(before);
  });

  it('invalid UTF-8 bytes are refused the same way, not stored as U+FFFD', async () => {
    const outcome = wireCallBytes(
      identityV1.IdentityServiceService,
      address,
      'getMember',
      rawMemberId([0x61, 0xff, 0x62]),
      {
        token: 'token-hanako',
      },
    );
    expect(await refusal(outcome)).toEqual({ status: 'INVALID_ARGUMENT', errorCode: 'text.invalid_characters' });
    // Well-formed UTF-8 (藤) goes through.
    const fine = await wireCallBytes(
      identityV1.IdentityServiceService,
      address,
      'getMember',
      rawMemberId([0xe8, 0x97, 0xa4]),
      {
        token: 'token-hanako',
      },
    );
    expect(fine.ok).toBe(true);
  });

  it('a 100 KB id comes back at once as text.too_long, with a short message', async () => {
    const outcome = await getMember('x'.repeat(100_000));
    expect(outcome).toMatchObject({ ok: false, status: 'INVALID_ARGUMENT', errorCode: 'text.too_long' });
    expect(outcome.ok === false && outcome.message.length).toBeLessThan(200);
  });

  it('a timestamp with nanos of 2e9 or outside 0001..9999 is refused (request.invalid_timestamp)', async () => {
    // A Timestamp decoded by the generated code, then checked as the host checks every request.
    const encoded = teamSchedulingV1.DeclareUnavailableRequest.encode({
      requestId: 'r',
      memberId: 'm',
      from: new Date('2026-04-01T00:00:00Z'),
      to: new Date('2026-04-02T00:00:00Z'),
      reason: '',
    }).finish();
    const decoded = teamSchedulingV1.DeclareUnavailableRequest.decode(encoded);
    expect(() => checkRequest(decoded, undefined, ID_MAX_LENGTH)).not.toThrow();
    // Field 3 (from) as Timestamp { seconds: 0, nanos: 2_000_000_000 }.
    const badNanos = Buffer.concat([
      Buffer.from(encoded),
      Buffer.from([0x1a, 0x06, 0x10, 0x80, 0xa8, 0xd6, 0xb9, 0x07]),
    ]);
    expect(() =>
      checkRequest(teamSchedulingV1.DeclareUnavailableRequest.decode(badNanos), undefined, ID_MAX_LENGTH),
    ).toThrow(expect.objectContaining({ code: 'request.invalid_timestamp' }));
    const year10000 = teamSchedulingV1.DeclareUnavailableRequest.decode(
      teamSchedulingV1.DeclareUnavailableRequest.encode({
        requestId: 'r',
        memberId: 'm',
        from: new Date('+010000-01-01T00:00:00Z'),
        reason: '',
      }).finish(),
    );
    expect(() => checkRequest(year10000, undefined, ID_MAX_LENGTH)).toThrow(
      expect.objectContaining({ code: 'request.invalid_timestamp' }),
    );
    expect(TIMESTAMP_RANGE.from.toISOString()).toBe('0001-01-01T00:00:00.000Z');
  });

  it('limits per field path: nested fields, repeated fields and their elements', () => {
    const limits = { title: 5, 'tasks[].note': 3, 'skills[]': 2 };
    expect(() => checkRequest({ title: 'hello', tasks: [{ note: 'abc' }], skills: ['ok'] }, limits, 1)).not.toThrow();
    expect(() => checkRequest({ tasks: [{ note: 'abcd' }] }, limits, 10)).toThrow(
      expect.objectContaining({ details: { field: 'tasks.note', maxLength: 3 } }),
    );
    expect(() => checkRequest({ skills: ['abc'] }, limits, 10)).toThrow(
      expect.objectContaining({ code: 'text.too_long' }),
    );
    expect(() => checkRequest({ otherId: 'xx' }, limits, 1)).toThrow(
      expect.objectContaining({ details: { field: 'other_id', maxLength: 1 } }),
    );
  });

  it('a field whose contract names its own code for a value too long is refused with that code', () => {
    const limits = { title: { maxLength: 5, code: 'job.invalid_title' } };
    expect(() => checkRequest({ title: 'hello' }, limits, 1)).not.toThrow();
    expect(() => checkRequest({ title: 'hello!' }, limits, 1)).toThrow(
      expect.objectContaining({ code: 'job.invalid_title', details: { field: 'title', maxLength: 5 } }),
    );
    // A request id: up to 200 characters (commandKey's), longer is request.invalid_request_id.
    expect(() => checkRequest({ requestId: 'r'.repeat(200) }, { requestId: REQUEST_ID_LIMIT }, 128)).not.toThrow();
    expect(() => checkRequest({ requestId: 'r'.repeat(201) }, { requestId: REQUEST_ID_LIMIT }, 128)).toThrow(
      expect.objectContaining({ code: 'request.invalid_request_id', details: { field: 'request_id', maxLength: 200 } }),
    );
  });
});
