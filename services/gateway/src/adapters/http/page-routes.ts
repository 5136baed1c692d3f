/**
 * The accountant's web page (`GET /audit`), served by the gateway from its package's own files
 * (`page/`: the HTML, its script and its style): nothing is loaded from elsewhere. The page signs
 * in with `POST /v1/auth/login` and asks the `/v1/audit/...` routes with the token it got, so the
 * page itself is public and holds nothing of anyone's.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** The page's files, by the path they are served at, with their media types. */
export const PAGE_FILES = [
  { url: '/audit', file: 'audit.html', mediaType: 'text/html; charset=utf-8' },
  { url: '/audit/audit.js', file: 'audit.js', mediaType: 'text/javascript; charset=utf-8' },
  { url: '/audit/audit.css', file: 'audit.css', mediaType: 'text/css; charset=utf-8' },
] as const;

/**
 * Only the gateway's own files, no inline script or style, no frame around it, no referrer sent:
 * a page that shows the books is never someone else's script's.
 */
export const PAGE_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The page's folder: the nearest `page/` above this file, that is `dist/page/` once built (the
 * build copies the package's `page/` there, so an image holding only `dist/` serves it) and the
 * package's own `page/` when run from its sources (the tests).
 */
export const pageDirectory = (): string => {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(folder, 'page');
    if (existsSync(path.join(candidate, 'audit.html'))) return candidate;
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error('the gateway finds no page/ folder (audit.html) above its code');
    folder = parent;
  }
};

/** The page's routes: its files read once, at start, and answered as they are. */
export const registerPageRoutes = (app: FastifyInstance, directory: string = pageDirectory()): void => {
  for (const { url, file, mediaType } of PAGE_FILES) {
    const content = readFileSync(path.join(directory, file));
    app.get(url, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(200)
        .type(mediaType)
        .header('cache-control', 'no-cache')
        .header('content-security-policy', PAGE_SECURITY_POLICY)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .send(content),
    );
  }
  // `/audit/` reads as the page too.
  app.get('/audit/', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.redirect('/audit', 308),
  );
};
