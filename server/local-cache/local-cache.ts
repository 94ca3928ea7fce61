// A local AMP cache, so a person can see the article's problem on one machine: the shop's pages
// served from ANOTHER SITE (http://127.0.0.1:8081 vs http://localhost:8080), where the shop's
// cookie is third-party. Like a real cache it fetches pages from the origin without cookies,
// rewrites them, and never sets a cookie of its own.
import compression from 'compression';
import express, { type ErrorRequestHandler, type Response } from 'express';
import { Agent, fetch } from 'undici';
import { securityHeaders } from '../security-headers';
import { parseCachePath } from './cache-url';
import { rememberTransformedPages, type CacheTransform } from './transformed-pages';

export interface LocalCacheDeps {
  /** The shop's public origin: what cache URLs name and what rewritten URLs point to. */
  publicOrigin: string;
  /**
   * Where the cache reaches the origin (in a container, not the browser's localhost), and for an
   * https origin with a certificate no public authority signed, the certificate to trust.
   */
  upstream: { origin: string; ca?: string };
  /** Applies the optimizer and the cache modifications to an origin page. */
  transform: CacheTransform;
}

const MAX_REDIRECTS = 5;
const UPSTREAM_TIMEOUT_MS = 5000;

export function createLocalCache(deps: LocalCacheDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // The shop's policy: the cache's copies post to, read from and report to the shop's origin.
  app.use(securityHeaders(deps.publicOrigin));
  // Like a real cache, it sends pages compressed (brotli or gzip, as the browser accepts).
  app.use(compression());
  const originHost = new URL(deps.publicOrigin).host;
  const transform = rememberTransformedPages(deps.transform);
  const upstream = {
    origin: deps.upstream.origin,
    dispatcher: deps.upstream.ca ? new Agent({ connect: { ca: deps.upstream.ca } }) : undefined,
  };

  app.get('/', (_req, res) => {
    res.redirect(
      302,
      `/c/${new URL(deps.publicOrigin).protocol === 'https:' ? 's/' : ''}${originHost}/`,
    );
  });

  // No capture group: Express would %-decode it as a parameter, and fail on a malformed escape.
  app.get(/^\/c(?:\/.*)?$/, async (req, res) => {
    const parsed = parseCachePath(req.originalUrl, deps.publicOrigin);
    if (!parsed.ok) {
      problemPage(res, parsed.status, 'Not a page this cache serves', parsed.message);
      return;
    }
    const page = await fetchFromOrigin(deps.publicOrigin, upstream, parsed.upstreamPath);
    if (!page.ok) {
      problemPage(res, 404, 'Page not found', page.message);
      return;
    }
    const html = await transform(page.html, new URL(page.path, deps.publicOrigin).href);
    res.set('Cache-Control', 'no-cache').type('html').send(html);
  });

  app.use((_req, res) => {
    problemPage(
      res,
      404,
      'Page not found',
      `This local cache serves the shop at /c/${originHost}/.`,
    );
  });
  // A bug in the cache (a page the optimizer cannot transform, say): a page, not a stack trace.
  app.use(((error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    problemPage(res, 502, 'The cache could not serve this page', String(error));
  }) satisfies ErrorRequestHandler);
  return app;
}

type OriginPage = { ok: true; html: string; path: string } | { ok: false; message: string };

/** GET an origin page with no cookies, following redirects only while they stay on the origin. */
async function fetchFromOrigin(
  publicOrigin: string,
  upstream: { origin: string; dispatcher: Agent | undefined },
  startPath: string,
): Promise<OriginPage> {
  let path = startPath;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await fetch(new URL(path, upstream.origin), {
      dispatcher: upstream.dispatcher,
      redirect: 'manual',
      headers: { accept: 'text/html' },
      signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
    }).catch(() => undefined);
    if (!response) return { ok: false, message: 'The shop did not answer the cache.' };
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, new URL(path, publicOrigin));
      if (next.origin !== publicOrigin) {
        return {
          ok: false,
          message: 'The shop redirected to another site; the cache does not follow.',
        };
      }
      path = next.pathname + next.search;
      continue;
    }
    // Real caches answer 404 for an origin 404 and for origin errors alike.
    if (
      response.status !== 200 ||
      !/^text\/html/.test(response.headers.get('content-type') ?? '')
    ) {
      return { ok: false, message: 'The shop has no AMP page at this address.' };
    }
    return { ok: true, html: await response.text(), path };
  }
  return { ok: false, message: 'The shop redirected too many times.' };
}

function problemPage(res: Response, status: number, title: string, message: string): void {
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · local AMP cache</title>` +
        `<meta name="viewport" content="width=device-width"></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">` +
        `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">Go to the cached shop</a></p></body></html>`,
    );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
