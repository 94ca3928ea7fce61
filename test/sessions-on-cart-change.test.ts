// Nothing is stored for a visitor until their cart changes: page views, badge requests and other
// reads write no session; the cookie an origin visitor gets before their first add (step 1) is
// the one their cart ends up under, on the direct path and on the redirect path.
import autocannon from 'autocannon';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Shop } from '../server/app';
import { SESSION_COOKIE } from '../server/flow/1-session-cookie';
import { ampGet, ampPost, ORIGIN, sessionCookieOf, testShop, visitOrigin } from './helpers/shop';

const DAY_MS = 24 * 60 * 60 * 1000;
const ADD = { sku: 'SC-NAT-100', quantity: '1' };

describe('the step-1 cookie and the first store entry', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await testShop();
  });
  const stored = () => shop.memory!.sessions.size;

  it('page views, badge and "in your cart" requests, and the cart page store nothing', async () => {
    const before = stored();
    const { cookie } = await visitOrigin(shop);
    for (const path of ['/', '/products/superclip', '/contact', '/cart', '/checkout', '/nope']) {
      await request(shop.app).get(path);
      await request(shop.app).get(path).set('Cookie', cookie);
    }
    await ampGet(shop, '/api/cart/summary', { from: 'origin', cookie }).expect(200);
    await ampGet(shop, '/api/cart/summary', { from: 'google-cache' }).expect(200);
    await ampGet(shop, '/api/cart/product/superclip', { from: 'origin', cookie }).expect(200);
    expect(stored()).toBe(before);
  });

  it('direct path: the first add stores the session under the cookie issued before it', async () => {
    const before = stored();
    const { cookie, sessionId } = await visitOrigin(shop);
    expect(stored()).toBe(before);
    const res = await ampPost(shop, '/api/cart/add', { from: 'origin', cookie, fields: ADD });
    expect(res.status).toBe(200);
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 1 }]);
    expect(stored()).toBe(before + 1);
    // If the answer sets the cookie again, it only refreshes it: the same session.
    if (res.headers['set-cookie']) expect(sessionCookieOf(res).sessionId).toBe(sessionId);
    // And the product page's "in your cart" part now finds the line, through that cookie.
    const lines = await ampGet(shop, '/api/cart/product/superclip', { from: 'origin', cookie });
    expect(lines.body.items).toEqual([
      expect.objectContaining({ sku: 'SC-NAT-100', quantity: 1, variant: expect.any(String) }),
    ]);
  });

  it('redirect path: cache POST → AMP-Redirect-To → origin GET lands in the cookie’s cart', async () => {
    const before = stored();
    const { cookie, sessionId } = await visitOrigin(shop);
    // On the cache page the browser keeps the (third-party) cookie back.
    const post = await ampPost(shop, '/api/cart/add', { from: 'google-cache', fields: ADD });
    expect(post.status).toBe(200);
    const target = new URL(post.headers['amp-redirect-to']);
    expect(target.origin).toBe(ORIGIN);
    expect(stored()).toBe(before);
    // The top-level GET on the origin carries the first-party cookie.
    const apply = await request(shop.app)
      .get(target.pathname + target.search)
      .set('Cookie', cookie)
      .expect(303);
    expect(apply.headers.location).toBe('/cart');
    if (apply.headers['set-cookie']) expect(sessionCookieOf(apply).sessionId).toBe(sessionId);
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 1 }]);
    expect(stored()).toBe(before + 1);
  });

  it('a change that fails stores nothing', async () => {
    const before = stored();
    const { cookie } = await visitOrigin(shop);
    await ampPost(shop, '/api/cart/add', {
      from: 'origin',
      cookie,
      fields: { sku: 'SC-NAT-100', quantity: '11' },
    }).expect(400);
    expect(stored()).toBe(before);
  });
});

describe('a flood of cookie-less visitors', () => {
  const BOUND = 100_000;
  const REQUESTS = 200_000;
  let shop: Shop;

  beforeAll(async () => {
    shop = await testShop(
      {},
      { memory: { maxEntries: BOUND, idleTtlMs: 7 * DAY_MS, pruneEveryMs: 0 } },
    );
    // The store is full of real shoppers with carts: any new entry would evict one of them.
    const { sessions } = shop.memory!;
    for (let i = 0; i < BOUND; i++) {
      const id = `shopper-${i}`;
      sessions.set(id, { cookie: { originalMaxAge: DAY_MS }, cartChangedAt: i } as never);
      await shop.carts.apply(id, { op: 'add', sku: 'CL-SLV-100', quantity: 1 });
    }
  }, 120_000);

  it(`${REQUESTS.toLocaleString('en')} page views and badge requests store nothing and evict no cart`, async () => {
    const source = `__amp_source_origin=${encodeURIComponent(ORIGIN)}`;
    const origin = { 'amp-same-origin': 'true' };
    const visits: autocannon.Request[] = [
      { path: '/' },
      { path: '/products/superclip' },
      { path: `/api/cart/summary?${source}`, headers: origin },
      { path: '/?sort=name&category=Paper%20clips' },
      { path: `/api/cart/product/superclip?${source}`, headers: origin },
      { path: '/contact' },
      { path: '/no/such/page' },
    ];
    // The server counts what it answered; the load generator runs in a worker thread (its own
    // core), keeping connections alive.
    let issued = 0;
    let failed = 0;
    const server = http.createServer((req, res) => {
      res.once('finish', () => {
        if (res.statusCode >= 500) failed++;
        if (String(res.getHeader('set-cookie')).startsWith(`${SESSION_COOKIE}=`)) issued++;
      });
      shop.app(req, res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const run = await autocannon({
        url,
        connections: 8,
        amount: REQUESTS,
        requests: visits,
        workers: 1,
      });
      expect(run.errors + run.timeouts + failed).toBe(0);
      expect(run.requests.total).toBeGreaterThanOrEqual(REQUESTS);
    } finally {
      await new Promise((done) => server.close(done));
    }
    // Every cookie-less badge request on the origin was given a cookie (step 1)…
    expect(issued).toBeGreaterThanOrEqual(REQUESTS / visits.length - 8);
    // …and nothing was stored for any of them: every shopper, and every cart, is still there.
    const { sessions, carts } = shop.memory!;
    expect(sessions.size).toBe(BOUND);
    expect(carts.size).toBe(BOUND);
    expect(await shop.carts.get('shopper-0')).toEqual([{ sku: 'CL-SLV-100', quantity: 1 }]);
    expect(await shop.carts.get(`shopper-${BOUND - 1}`)).toHaveLength(1);
  }, 300_000);
});
