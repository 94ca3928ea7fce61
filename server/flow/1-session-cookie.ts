// Step 1 of the flow, and the session layer (express-session) around it.
//
// A visitor on the origin holds the session cookie before the first add to cart: the page itself
// is shared by everybody and sets no cookie, so the cookie comes with the page's first credentialed
// request — the header's cart badge (cart-summary-api.ts), which calls `issueSessionCookie` when an
// origin page asks without one. Issuing stores nothing: the cookie is a signed random id, and the
// session store gets its first entry when the cart first changes (`recordCartChange`).
//
// express-session needs one adjustment for that. For a cookie whose id its store has no entry for,
// it would make up a NEW id (and the cart would not end up under the cookie the visitor holds).
// `SignedIdStore` answers such an id with an empty session instead: express-session has already
// checked the cookie's signature, so the id is one this shop issued, and it keeps it.
import type { Express, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { signedCookie } from 'cookie-parser';
import { sign } from 'cookie-signature';
import { randomBytes } from 'node:crypto';
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
const COOKIE = {
  httpOnly: true,
  path: '/',
  sameSite: 'none' as const,
  secure: true,
  maxAge: THIRTY_DAYS_MS,
} satisfies session.CookieOptions;

declare module 'express-session' {
  interface SessionData {
    /** When this session's cart last changed: the reason the session is stored at all. */
    cartChangedAt: number;
  }
}

/** The session middleware for requests that may change a cart or show one. */
export function createSessionMiddleware(config: Config, store: session.Store): RequestHandler {
  const sessions = session({
    name: sessionCookieName(config.publicOrigin),
    secret: config.sessionSecret,
    store: new SignedIdStore(store),
    resave: false,
    // Nothing is stored, and no cookie set, for a session that nothing changed.
    saveUninitialized: false,
    cookie: COOKIE,
  });
  if (!isLocalSecureContext(config.publicOrigin)) return sessions;
  return (req, res, next) => {
    markSecure(req);
    sessions(req, res, next);
  };
}

/**
 * Step 1, on the page's first credentialed request: a new signed session id in the cookie, exactly
 * as express-session would write it, and nothing stored. Returns the id, or undefined when the
 * request is not secure (express-session would not send a Secure cookie either).
 */
export function issueSessionCookie(
  config: Config,
  req: Request,
  res: Response,
): string | undefined {
  if (isLocalSecureContext(config.publicOrigin)) markSecure(req);
  if (!req.secure) return undefined;
  // express-session's own generator (24 random bytes, base64url) and signature format.
  const id = randomBytes(24).toString('base64url');
  res.cookie(sessionCookieName(config.publicOrigin), `s:${sign(id, config.sessionSecret)}`, COOKIE);
  return id;
}

/** The session id the request's cookie names, when its signature is ours; else undefined. */
export function signedSessionId(req: Request, secret: string): string | undefined {
  const value = sessionCookieValue(req);
  if (typeof value !== 'string' || !value.startsWith('s:')) return undefined;
  const id = signedCookie(value, secret);
  return typeof id === 'string' ? id : undefined;
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

type Callback = (err?: unknown) => void;

/** A session with nothing in it, as express-session would make one (it builds the Cookie). */
function emptySession(): session.SessionData {
  const cookie = { ...COOKIE, originalMaxAge: THIRTY_DAYS_MS };
  return { cookie } as unknown as session.SessionData;
}

/**
 * A session store that knows every id this shop signed: an id it has no entry for (issued in step
 * 1, or whose entry expired) is an empty session under that same id, not a reason for a new one.
 * Reading it writes nothing; express-session stores it once something changes it.
 */
class SignedIdStore extends session.Store {
  constructor(private readonly inner: session.Store) {
    super();
  }

  get(sid: string, callback: (err: unknown, data?: session.SessionData | null) => void): void {
    this.inner.get(sid, (error, data) => {
      if (error) callback(error);
      else callback(null, data ?? emptySession());
    });
  }

  set(sid: string, data: session.SessionData, callback?: Callback): void {
    this.inner.set(sid, data, callback);
  }

  destroy(sid: string, callback?: Callback): void {
    this.inner.destroy(sid, callback);
  }

  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    if (this.inner.touch) this.inner.touch(sid, data, callback);
    else callback?.();
  }
}
