// Step 1 of the flow: every origin page gives the shopper a session cookie if there is none, so a
// later change (from the origin, or from a cache page whose browser sends the cookie) finds the cart.
import type { Express, Request, RequestHandler } from 'express';
import session from 'express-session';
import type { Config } from '../config';

export const SESSION_COOKIE = 'bestclips.sid';

/**
 * On an HTTPS origin the cookie is `__Host-bestclips.sid`: browsers then accept it only with
 * Secure, Path=/ and no Domain, so no other host (a sibling subdomain) can set or overwrite it.
 * (Browsers do not honour the prefix on plain http, even on localhost: there the name is plain.)
 */
export function sessionCookieName(publicOrigin: string): string {
  return new URL(publicOrigin).protocol === 'https:' ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}

// The name createShop chose, kept as an app setting (like 'trust proxy') for every module.
const COOKIE_NAME_SETTING = 'session cookie';

export function setSessionCookieName(app: Express, publicOrigin: string): void {
  app.set(COOKIE_NAME_SETTING, sessionCookieName(publicOrigin));
}

/** The session cookie's raw value on this request, if it came with one. */
export function sessionCookieValue(req: Request): unknown {
  const name: unknown = req.app?.get(COOKIE_NAME_SETTING);
  return req.cookies?.[typeof name === 'string' ? name : SESSION_COOKIE];
}
const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * `SameSite=None; Secure` lets a browser that allows third-party cookies send the cookie from a
 * cache page (and the flow skips the redirect). Browsers accept Secure cookies from
 * http://localhost, but express-session only sends one on a request it believes is HTTPS.
 */
export function createSessionMiddleware(config: Config, store: session.Store): RequestHandler {
  return sessionMiddleware(config, store, { create: true });
}

/**
 * For requests that only read (the cart badge): finds the session a cookie names, but never
 * creates one, stores one or sets a cookie — a stale cookie simply finds an empty cart.
 */
export function createSessionReader(config: Config, store: session.Store): RequestHandler {
  return sessionMiddleware(config, store, { create: false });
}

function sessionMiddleware(
  config: Config,
  store: session.Store,
  { create }: { create: boolean },
): RequestHandler {
  const sessions = session({
    name: sessionCookieName(config.publicOrigin),
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: create,
    cookie: { httpOnly: true, path: '/', sameSite: 'none', secure: true, maxAge: THIRTY_DAYS_MS },
  });
  if (!isLocalSecureContext(config.publicOrigin)) return sessions;
  return (req, res, next) => {
    markSecure(req);
    sessions(req, res, next);
  };
}

/** The session cookie is present on this request (whatever its value). */
export function hasSessionCookie(req: Request): boolean {
  return typeof sessionCookieValue(req) === 'string';
}

/** http://localhost and http://127.0.0.1 are secure contexts for browsers (not other http hosts). */
export function isLocalSecureContext(publicOrigin: string): boolean {
  const { protocol, hostname } = new URL(publicOrigin);
  return (
    protocol === 'http:' &&
    (hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '127.0.0.1')
  );
}

// express-session reads `req.secure` to decide; on a local secure context the answer is yes.
function markSecure(req: Request): void {
  Object.defineProperty(req, 'secure', { value: true, configurable: true });
}
