/**
 * The accountant's page as the gateway serves it: its three files from the package's page/
 * folder, public (the page signs in itself), with a policy that lets it load nothing but the
 * gateway's own files, and every script, style and call of the page on the gateway's routes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '@workshare/telemetry';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../../src/index.js';

const PAGE = path.join(__dirname, '..', '..', 'page');

let app: FastifyInstance;

beforeAll(async () => {
  // Nothing is called: serving the page needs no upstream.
  app = await buildGateway({
    identityAddress: '127.0.0.1:1',
    jobIntakeAddress: '127.0.0.1:1',
    taskDecompositionAddress: '127.0.0.1:1',
    teamSchedulingAddress: '127.0.0.1:1',
    timeTrackingAddress: '127.0.0.1:1',
    settlementAddress: '127.0.0.1:1',
    auditAddress: '127.0.0.1:1',
    logger: createLogger('gateway-test', { level: 'silent' }),
  });
});
afterAll(async () => app?.close());

describe('GET /audit: the accountant’s page', () => {
  it.each([
    ['/audit', 'audit.html', 'text/html; charset=utf-8'],
    ['/audit/audit.js', 'audit.js', 'text/javascript; charset=utf-8'],
    ['/audit/audit.css', 'audit.css', 'text/css; charset=utf-8'],
  ])('%s: the package’s %s, as %s, without a token', async (url, file, mediaType) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(mediaType);
    expect(response.body).toBe(readFileSync(path.join(PAGE, file), 'utf8'));
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-cache');
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
  });

  it('/audit/ is the page too (a permanent redirect)', async () => {
    const response = await app.inject({ method: 'GET', url: '/audit/' });
    expect(response.statusCode).toBe(308);
    expect(response.headers.location).toBe('/audit');
  });

  it('loads only its own script and style, with no inline script or style, in Japanese', () => {
    const html = readFileSync(path.join(PAGE, 'audit.html'), 'utf8');
    expect(html).toContain('<html lang="ja">');
    const sources = [...html.matchAll(/(?:src|href)="([^"#]+)"/g)].map((m) => m[1]);
    expect(sources.sort()).toEqual(['/audit/audit.css', '/audit/audit.js', 'data:,']);
    expect(html).not.toMatch(/<script>(?!<\/script>)|<style|style="/);
  });

  it('every label names a field of the page, and every field has its label', () => {
    const html = readFileSync(path.join(PAGE, 'audit.html'), 'utf8');
    const labelled = new Set([...html.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]));
    const fields = [...html.matchAll(/<(?:input|select)[^>]* id="([^"]+)"/g)].map((m) => m[1]);
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) expect(labelled).toContain(field);
  });

  it('the page calls only routes the gateway has (every `/v1/...` path of its script is declared)', async () => {
    const script = readFileSync(path.join(PAGE, 'audit.js'), 'utf8');
    const called = [...script.matchAll(/`(\/v1\/[^`?]*)/g), ...script.matchAll(/'(\/v1\/[^'?]*)'/g)].map((m) =>
      (m[1] ?? '').replace(/\$\{[^}]+\}/g, '{}'),
    );
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, unknown>;
    };
    const declared = new Set(Object.keys(document.paths).map((p) => p.replace(/\{[^}]+\}/g, '{}')));
    expect(called.length).toBeGreaterThan(5);
    for (const route of called) expect(declared).toContain(route);
  });
});
