// The live cart badge: what the header's amp-list fetches, with the requests the AMP runtime
// sends, from the origin and from caches, with the cookie and without it (blocked).
import request from 'supertest';
import type { Shop } from '../server/app';
import { cartSummary } from '../server/cart/cart-summary';
import {
  ampGet,
  ampPost,
  GOOGLE_CACHE,
  LOCAL_CACHE,
  ORIGIN,
  sessionCookieOf,
  testShop,
  visitOrigin,
} from './helpers/shop';
import { fakeCatalog } from './helpers/fake-catalog';

let shop: Shop;
beforeAll(async () => {
  shop = await testShop();
});

const SUMMARY = '/api/cart/summary';

/** A returning shopper with `quantity` Superclips in the cart. */
async function shopperWith(quantity: number) {
  const visitor = await visitOrigin(shop);
  await shop.carts.apply(visitor.sessionId, { op: 'add', sku: 'SC-NAT-100', quantity });
  return visitor;
}

function expectAmpCors(res: request.Response, origin: string): void {
  expect(res.headers['access-control-allow-origin']).toBe(origin);
  expect(res.headers['access-control-allow-credentials']).toBe('true');
  expect(res.headers['vary']).toMatch(/Origin/);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['content-type']).toMatch(/^application\/json/);
}

describe('cartSummary (pure)', () => {
  const catalog = fakeCatalog();

  it('knows nothing without a cart to look at', () => {
    expect(cartSummary(undefined, catalog)).toEqual({ known: false });
  });

  it('counts items, not lines, and only what is still in the catalog', () => {
    const cart = [
      { sku: 'CL-SLV-100', quantity: 2 },
      { sku: 'CL-GLD-50', quantity: 1 },
      { sku: 'GONE-1', quantity: 5 },
    ];
    expect(cartSummary(cart, catalog)).toEqual({ known: true, count: 3 });
    expect(cartSummary([], catalog)).toEqual({ known: true, count: 0 });
  });
});

describe('GET /api/cart/summary with the session cookie', () => {
  it('origin page: this session’s count, with AMP CORS headers and no new cookie', async () => {
    const { cookie } = await shopperWith(3);
    const res = await ampGet(shop, SUMMARY, { from: 'origin', cookie }).expect(200);
    expect(res.body).toEqual({ known: true, count: 3 });
    expectAmpCors(res, ORIGIN);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it.each([
    ['google-cache', GOOGLE_CACHE],
    ['local-cache', LOCAL_CACHE],
  ] as const)(
    '%s page whose browser sends the cookie (third-party cookies allowed)',
    async (from, origin) => {
      const { cookie } = await shopperWith(2);
      const res = await ampGet(shop, SUMMARY, { from, cookie }).expect(200);
      expect(res.body).toEqual({ known: true, count: 2 });
      expectAmpCors(res, origin);
    },
  );

  it('never someone else’s cart: each cookie gets its own count', async () => {
    const one = await shopperWith(1);
    const four = await shopperWith(4);
    const [a, b] = await Promise.all([
      ampGet(shop, SUMMARY, { from: 'google-cache', cookie: one.cookie }),
      ampGet(shop, SUMMARY, { from: 'google-cache', cookie: four.cookie }),
    ]);
    expect([a.body, b.body]).toEqual([
      { known: true, count: 1 },
      { known: true, count: 4 },
    ]);
  });

  it('a cookie the shop signed but never stored (no cart yet): an empty cart, nothing stored', async () => {
    const { cookie } = await visitOrigin(shop);
    const sessions = shop.memory!.sessions.size;
    const res = await ampGet(shop, SUMMARY, { from: 'google-cache', cookie }).expect(200);
    expect(res.body).toEqual({ known: true, count: 0 });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(shop.memory!.sessions.size).toBe(sessions);
  });

  it('a cookie the shop did not sign says nothing about whose cart it is', async () => {
    const res = await ampGet(shop, SUMMARY, {
      from: 'google-cache',
      cookie: 'bestclips.sid=s%3Aforgotten.c2lnbmF0dXJl',
    }).expect(200);
    expect(res.body).toEqual({ known: false });
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('GET /api/cart/summary without the cookie (third-party cookies blocked)', () => {
  it('origin: step 1 — a new session cookie and an empty cart, with nothing stored', async () => {
    const sessions = shop.memory!.sessions.size;
    const res = await ampGet(shop, SUMMARY, { from: 'origin' }).expect(200);
    expect(res.body).toEqual({ known: true, count: 0 });
    expect(sessionCookieOf(res).sessionId).toMatch(/^[\w-]{32}$/);
    expect(shop.memory!.sessions.size).toBe(sessions);
  });

  it.each(['google-cache', 'local-cache'] as const)(
    '%s: answers { known: false }, creates no session, sets no cookie',
    async (from) => {
      await shopperWith(5); // someone else's cart exists, and must not show
      const sessions = shop.memory!.sessions.size;
      const res = await ampGet(shop, SUMMARY, { from }).expect(200);
      expect(res.body).toEqual({ known: false });
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(shop.memory!.sessions.size).toBe(sessions);
    },
  );
});

describe('who may read the badge', () => {
  it.each([
    ['an unknown site', { Origin: 'https://evil.example' }, 403],
    [
      'another publisher on the Google cache',
      { Origin: 'https://evil-example.cdn.ampproject.org' },
      403,
    ],
    [
      'a cache claiming another source origin',
      { Origin: LOCAL_CACHE },
      403,
      'https://evil.example',
    ],
    ['no Origin and no AMP-Same-Origin', {}, 400],
  ])(
    'refuses %s, without CORS headers or a count',
    async (_name, headers, status, source = ORIGIN) => {
      const { cookie } = await shopperWith(2);
      const res = await request(shop.app)
        .get(`${SUMMARY}?__amp_source_origin=${encodeURIComponent(source)}`)
        .set(headers)
        .set('Cookie', cookie)
        .expect(status);
      expect(res.body).toEqual({ error: expect.any(String) });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['set-cookie']).toBeUndefined();
    },
  );

  it('refuses a request without __amp_source_origin', async () => {
    const { cookie } = await shopperWith(1);
    await request(shop.app)
      .get(SUMMARY)
      .set('AMP-Same-Origin', 'true')
      .set('Cookie', cookie)
      .expect(400);
  });
});

describe('GET /api/cart/product/:slug (a product page’s "in your cart" part)', () => {
  const IN_CART = '/api/cart/product/superclip';

  it('this product’s lines only, with what the quantity and remove forms need', async () => {
    const { cookie } = await shopperWith(3); // 3 × SC-NAT-100
    await ampPost(shop, '/api/cart/add', {
      from: 'origin',
      cookie,
      fields: { sku: 'CL-SLV-100', quantity: '1' }, // another product: not listed
    }).expect(200);
    const res = await ampGet(shop, IN_CART, { from: 'google-cache', cookie }).expect(200);
    expectAmpCors(res, GOOGLE_CACHE);
    expect(res.body.items).toHaveLength(1);
    const [line] = res.body.items;
    expect(line).toMatchObject({ sku: 'SC-NAT-100', quantity: 3 });
    expect(line.quantityOptions.find((o: { selected: boolean }) => o.selected)).toEqual({
      value: 3,
      selected: true,
    });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('nothing without the cookie, or for a product not in the cart', async () => {
    const none = await ampGet(shop, IN_CART, { from: 'local-cache' }).expect(200);
    expect(none.body).toEqual({ items: [] });
    expect(none.headers['set-cookie']).toBeUndefined();
    const { cookie } = await shopperWith(1);
    const other = await ampGet(shop, '/api/cart/product/washi-clips', { from: 'origin', cookie });
    expect(other.body).toEqual({ items: [] });
  });

  it('an unknown product is a 404 with a sentence', async () => {
    const res = await ampGet(shop, '/api/cart/product/no-such-clip', { from: 'origin' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: expect.any(String) });
  });

  it('refuses an unknown site', async () => {
    const { cookie } = await shopperWith(1);
    await request(shop.app)
      .get(`${IN_CART}?__amp_source_origin=${encodeURIComponent(ORIGIN)}`)
      .set('Origin', 'https://evil.example')
      .set('Cookie', cookie)
      .expect(403);
  });
});
