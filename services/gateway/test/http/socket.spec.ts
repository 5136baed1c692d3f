/**
 * The gateway on a real socket (127.0.0.1, any free port), called with fetch: login and a job
 * over HTTP, the limits as a client meets them (body size, rate per identity, per address before
 * login), and a clean close.
 */
import { connect } from 'node:net';
import { startGateway, type RunningGateway } from '../../src/index.js';
import { jobBody, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let gateway: RunningGateway;

beforeAll(async () => {
  h = await startHarness();
  gateway = await startGateway({
    ...h.options,
    port: 0,
    host: '127.0.0.1',
    rateLimit: { max: 6, timeWindowMs: 60_000 },
    bodyLimitBytes: 2_048,
  });
});
afterAll(async () => {
  await gateway?.close();
  await h?.close();
});

const json = (token: string | undefined, body?: unknown): RequestInit => ({
  method: body === undefined ? 'GET' : 'POST',
  headers: {
    ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
  },
  ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
});

it('listens on the port it was given and answers over HTTP: login, a job, its Location', async () => {
  expect(gateway.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const login = await fetch(
    `${gateway.url}/v1/auth/login`,
    json(undefined, { email: h.coop.business.email, password: h.coop.password }),
  );
  expect(login.status).toBe(200);
  expect(login.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  const { accessToken } = (await login.json()) as { accessToken: string };

  const submitted = await fetch(`${gateway.url}/v1/jobs`, json(accessToken, jobBody(h.coop)));
  expect(submitted.status).toBe(201);
  const location = submitted.headers.get('location');
  const job = await fetch(`${gateway.url}${location}`, json(accessToken));
  expect(job.status).toBe(200);
  expect(((await job.json()) as { status: string }).status).toBe('submitted');
});

it('refuses a body over the limit with 413 problem+json before reading it all', async () => {
  const response = await fetch(
    `${gateway.url}/v1/jobs`,
    json(h.coop.coordinator.token, { ...jobBody(h.coop), description: 'x'.repeat(4_096) }),
  );
  expect(response.status).toBe(413);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(((await response.json()) as { code: string }).code).toBe('request.too_large');
});

it('refuses malformed JSON with 400 problem+json', async () => {
  const response = await fetch(`${gateway.url}/v1/jobs`, json(h.coop.coordinator.token, '{"title": '));
  expect(response.status).toBe(400);
  expect(((await response.json()) as { code: string }).code).toBe('request.malformed_json');
});

it('limits each identity on its own: the 7th request of a minute is 429 with Retry-After, another identity goes on', async () => {
  const me = () => fetch(`${gateway.url}/v1/me`, json(h.coop.accountant.token));
  for (let i = 0; i < 6; i++) expect((await me()).status).toBe(200);
  const limited = await me();
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(await limited.json()).toMatchObject({
    status: 429,
    code: 'request.rate_limited',
    type: 'urn:workshare:problem:request.rate_limited',
    instance: '/v1/me',
  });
  // Same address, another identity: not limited.
  expect((await fetch(`${gateway.url}/v1/me`, json(h.coop.operator.token))).status).toBe(200);
  // Probes are never limited.
  for (let i = 0; i < 8; i++) expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
});

it('limits logins per client address, wrong passwords included', async () => {
  const attempt = () =>
    fetch(`${gateway.url}/v1/auth/login`, json(undefined, { email: h.coop.member.email, password: 'guess' }));
  const statuses: number[] = [];
  // The first test logged in once from this address already.
  for (let i = 0; i < 6; i++) statuses.push((await attempt()).status);
  expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
  expect(statuses[5]).toBe(429);
});

/** Sends raw bytes on a fresh connection and reads what comes back until the gateway closes it. */
const raw = (url: string, bytes: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });

const problemOf = (answer: string) => {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return {
    statusLine: head.split('\r\n')[0],
    head: head.toLowerCase(),
    problem: JSON.parse(body) as Record<string, unknown>,
  };
};

it('answers what Node refuses before fastify with problem+json too: 431 for 20 KB of headers, 400 for a broken request', async () => {
  const big = problemOf(
    await raw(gateway.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
  );
  expect(big.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
  expect(big.head).toContain('content-type: application/problem+json');
  expect(big.problem).toMatchObject({
    status: 431,
    code: 'request.headers_too_large',
    type: 'urn:workshare:problem:request.headers_too_large',
    requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
  });
  const broken = problemOf(await raw(gateway.url, 'NOT A REQUEST\r\n\r\n'));
  expect(broken.statusLine).toBe('HTTP/1.1 400 Bad Request');
  expect(broken.problem).toMatchObject({ status: 400, code: 'request.malformed' });
});

it('answers a request that arrives while it stops with 503 gateway.shutting_down, problem+json with Retry-After', async () => {
  const other = await startGateway({ ...h.options, port: 0, host: '127.0.0.1' });
  const { hostname, port } = new URL(other.url);
  const socket = connect(Number(port), hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
  const ended = new Promise((resolve) => socket.once('close', resolve));
  // Half a request is on the wire when the close begins; the rest comes after.
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const closing = other.close();
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.write('\r\n');
  await ended;
  await closing;
  const { statusLine, head, problem } = problemOf(answer);
  expect(statusLine).toBe('HTTP/1.1 503 Service Unavailable');
  expect(head).toContain('content-type: application/problem+json');
  expect(head).toContain('retry-after: 1');
  expect(problem).toMatchObject({ status: 503, code: 'gateway.shutting_down' });
});

it('stops listening once closed', async () => {
  const other = await startGateway({ ...h.options, port: 0, host: '127.0.0.1' });
  expect((await fetch(`${other.url}/healthz`)).status).toBe(200);
  await other.close();
  await expect(fetch(`${other.url}/healthz`)).rejects.toThrow();
});
