// Everything a browser scenario talks to, on loopback, over HTTPS with a certificate made for the
// run: the real BestClips origin on https://localhost:PORT, its local AMP cache on
// https://127.0.0.1:CACHE_PORT (another SITE, so the shop's cookie is third-party there), and the
// AMP CDN behind its proxy.
import type { CartChange } from '../../server/cart/cart';
import { sessionCookieName } from '../../server/flow/1-session-cookie';
import type { RunningBestClips } from '../../server/start';
import { startOverHttps } from '../../test/helpers/https-shop';
import { startAmpCdn, type AmpCdn } from './amp-cdn';

/** A cart change the server applied, as the server saw it (which session, what change). */
export interface AppliedChange {
  sessionId: string;
  change: CartChange;
}

/** A request the origin received, as it received it. */
export interface OriginRequest {
  method: string;
  url: URL;
  /** A top-level navigation (`Sec-Fetch-Mode: navigate`), not a fetch from a page. */
  navigation: boolean;
  /** The session id in the cookie the request carried, if it carried one. */
  sessionSent: string | undefined;
  /** The session id of a session cookie the response set, if it set one. */
  sessionSet: string | undefined;
  /** The response's HTTP status, once it is sent. */
  status: number | undefined;
}

export interface ServersUnderTest extends RunningBestClips {
  cacheUrl: string;
  cdn: AmpCdn;
  /** Every successful cart change since `resetRecords()`, in order. */
  changes: AppliedChange[];
  /** Every request the origin got since `resetRecords()`, in order (the cache's fetches too). */
  requests: OriginRequest[];
  /** The origin's requests for one path. */
  requestsTo(pathname: string): OriginRequest[];
  resetRecords(): void;
  /** The local cache's URL for an origin path, e.g. `/products/superclip`. */
  cachePageUrl(path: string): string;
}

/** `env` overrides the shop's configuration (e.g. lower abuse limits). */
export async function startServers(env: NodeJS.ProcessEnv = {}): Promise<ServersUnderTest> {
  const { running } = await startOverHttps('e2e-session-secret-0123456789', env);
  const { cacheUrl, originUrl } = running;
  if (!cacheUrl) throw new Error('The local AMP cache did not start.');
  const cdn = await startAmpCdn();

  // Observe, server-side, which session each change really landed in: a browser's view of its
  // own request headers is not evidence of what the server received.
  // Both ways a change lands: directly (step 3 with the cookie) or by a single-use link (step 4).
  const changes: AppliedChange[] = [];
  const carts = running.shop.carts;
  const apply = carts.apply.bind(carts);
  const applyOnce = carts.applyOnce.bind(carts);
  carts.apply = async (sessionId, change) => {
    const result = await apply(sessionId, change);
    if (result.ok) changes.push({ sessionId, change });
    return result;
  };
  carts.applyOnce = async (sessionId, change, link) => {
    const result = await applyOnce(sessionId, change, link);
    if (typeof result !== 'string' && result.ok) changes.push({ sessionId, change });
    return result;
  };

  const requests: OriginRequest[] = [];
  // `__Host-bestclips.sid`: the tests' origin is HTTPS.
  const cookieName = sessionCookieName(originUrl);
  running.originServer.on('request', (req, res) => {
    const request: OriginRequest = {
      method: req.method ?? '',
      // Express runs first and rewrites `req.url` inside a mounted router; `originalUrl` is the
      // URL as the browser asked for it.
      url: new URL((req as { originalUrl?: string }).originalUrl ?? req.url ?? '/', originUrl),
      navigation: req.headers['sec-fetch-mode'] === 'navigate',
      sessionSent: sessionInCookieHeader(cookieName, req.headers.cookie),
      sessionSet: undefined,
      status: undefined,
    };
    requests.push(request);
    res.once('finish', () => {
      request.sessionSet = sessionInSetCookie(cookieName, res.getHeader('set-cookie'));
      request.status = res.statusCode;
    });
  });

  const originHost = new URL(originUrl).host;
  return {
    ...running,
    cacheUrl,
    cdn,
    changes,
    requests,
    requestsTo: (pathname) => requests.filter((r) => r.url.pathname === pathname),
    resetRecords: () => {
      changes.length = 0;
      requests.length = 0;
    },
    cachePageUrl: (path) => `${cacheUrl}/c/s/${originHost}${path}`,
    close: async () => {
      await running.close();
      await cdn.close();
    },
  };
}

/**
 * The servers for one test file (or, called inside a `describe`, for that block): started before
 * its tests, closed after them.
 */
export function serversForThisFile(env: NodeJS.ProcessEnv = {}): () => ServersUnderTest {
  let servers: ServersUnderTest | undefined;
  beforeAll(async () => {
    servers = await startServers(env);
  });
  beforeEach(() => servers?.resetRecords());
  afterAll(() => servers?.close());
  return () => {
    if (!servers) throw new Error('The servers under test have not started (yet).');
    return servers;
  };
}

/** express-session's cookie value: `s:<sessionId>.<signature>`, URL-encoded. */
export function sessionIdOf(cookieValue: string): string {
  const signed = decodeURIComponent(cookieValue);
  return signed.slice(2, signed.lastIndexOf('.'));
}

function sessionInCookieHeader(name: string, header: string | undefined): string | undefined {
  const pair = header
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name}=`));
  return pair && sessionIdOf(pair.slice(name.length + 1));
}

function sessionInSetCookie(
  name: string,
  header: number | string | string[] | undefined,
): string | undefined {
  const cookies = Array.isArray(header) ? header : header === undefined ? [] : [String(header)];
  return sessionInCookieHeader(name, cookies.map((cookie) => cookie.split(';')[0]).join('; '));
}
