// Builds the real app for HTTP tests, and speaks to it exactly as the AMP runtime does
// (docs/amp-protocol.md, "What amp-form sends").
import request from 'supertest';
import { createShop, type Shop, type ShopOptions } from '../../server/app';
import { loadConfig } from '../../server/config';
import { SESSION_COOKIE } from '../../server/flow/1-session-cookie';

export const ORIGIN = 'http://localhost:8080';
export const TEST_SECRET = 'test-secret-0123456789';
export const LOCAL_CACHE = 'http://127.0.0.1:8081';
export const GOOGLE_CACHE =
  'https://jgla3zmib2ggq5buc4hwi5taloh6jlvzukddfr4zltz3vay5s5rq.cdn.ampproject.org';

/**
 * Abuse limits no test reaches by accident: every request of a test comes from one address. The
 * tests of the limits themselves set their own.
 */
export const GENEROUS_LIMITS = {
  RATE_LIMIT_POSTS: '1000000',
  RATE_LIMIT_LINKS: '1000000',
  RATE_LIMIT_REPORTS: '1000000',
};

export async function testShop(
  env: NodeJS.ProcessEnv = {},
  options: ShopOptions = {},
): Promise<Shop> {
  return createShop(
    loadConfig({
      PUBLIC_ORIGIN: ORIGIN,
      SESSION_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
      ...GENEROUS_LIMITS,
      ...env,
    }),
    options,
  );
}

/** An in-process shop, or the base URL of an instance listening (e.g. http://127.0.0.1:41234). */
export type ShopTarget = Shop | string;

function appOf(target: ShopTarget) {
  return typeof target === 'string' ? target : target.app;
}

export type PageLocation = 'origin' | 'google-cache' | 'local-cache';

export interface AmpPostOptions {
  from: PageLocation;
  /** The Cookie header the browser sends (none when third-party cookies are blocked). */
  cookie?: string;
  fields: Record<string, string>;
  /** amp-form's default is multipart; `enctype="application/x-www-form-urlencoded"` switches. */
  encoding?: 'multipart' | 'urlencoded';
}

/** One amp-form submission: `__amp_source_origin`, Origin, AMP-Same-Origin only on the origin. */
export function ampPost(shop: ShopTarget, path: string, options: AmpPostOptions): request.Test {
  let req = ampRequest(shop, 'post', path, options);
  if (options.encoding === 'urlencoded') return req.type('form').send(options.fields);
  for (const [name, value] of Object.entries(options.fields)) req = req.field(name, value);
  return req;
}

/**
 * One amp-list fetch (GET): like a form, `__amp_source_origin` and AMP-Same-Origin on the origin;
 * browsers send Origin on cross-origin GETs only.
 */
export function ampGet(
  shop: ShopTarget,
  path: string,
  options: Omit<AmpPostOptions, 'fields' | 'encoding'>,
): request.Test {
  return ampRequest(shop, 'get', path, options);
}

function ampRequest(
  shop: ShopTarget,
  method: 'get' | 'post',
  path: string,
  options: Pick<AmpPostOptions, 'from' | 'cookie'>,
): request.Test {
  const pageOrigin = { origin: ORIGIN, 'google-cache': GOOGLE_CACHE, 'local-cache': LOCAL_CACHE }[
    options.from
  ];
  // On a real cache the runtime reads the publisher from the cache path; on the local cache it
  // cannot tell it is on a cache, so it sends the page's own origin.
  const sourceOrigin = options.from === 'local-cache' ? LOCAL_CACHE : ORIGIN;
  let req = request(appOf(shop))
    [method](`${path}?__amp_source_origin=${encodeURIComponent(sourceOrigin)}`)
    .set('Accept', 'application/json');
  const sameOrigin = options.from === 'origin';
  if (!(sameOrigin && method === 'get')) req = req.set('Origin', pageOrigin);
  if (sameOrigin) req = req.set('AMP-Same-Origin', 'true');
  if (options.cookie) req = req.set('Cookie', options.cookie);
  return req;
}

/** The `name=value` pair of the session cookie a response set, and its session id. */
export function sessionCookieOf(res: request.Response): { cookie: string; sessionId: string } {
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const header = setCookie.find((value) => value.startsWith(`${SESSION_COOKIE}=`));
  if (!header) throw new Error(`no ${SESSION_COOKIE} cookie in ${JSON.stringify(setCookie)}`);
  const cookie = header.split(';')[0];
  const signed = decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1));
  return { cookie, sessionId: signed.slice(2, signed.lastIndexOf('.')) };
}

/**
 * A returning visitor: an origin page's first credentialed request (the cart badge) gave them a
 * session cookie (step 1). Nothing is stored for them yet.
 */
export async function visitOrigin(shop: ShopTarget) {
  return sessionCookieOf(await ampGet(shop, '/api/cart/summary', { from: 'origin' }).expect(200));
}

/** A returning visitor who added these lines from an origin page (the direct path). */
export async function shopperWith(shop: ShopTarget, lines: Record<string, number>) {
  const visitor = await visitOrigin(shop);
  for (const [sku, quantity] of Object.entries(lines)) {
    const fields = { sku, quantity: String(quantity) };
    await ampPost(shop, '/api/cart/add', { from: 'origin', cookie: visitor.cookie, fields }).expect(
      200,
    );
  }
  return visitor;
}
