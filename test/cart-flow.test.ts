// The whole flow over HTTP against the real app: every branch the article describes, with the
// requests the AMP runtime really sends.
import request from 'supertest';
import type { Shop } from '../server/app';
import { SESSION_COOKIE } from '../server/flow/1-session-cookie';
import { buildApplyUrl, signChange } from '../server/flow/3-redirect-to-origin';
import { deriveLinkKey } from '../server/amp/signed-link';
import {
  ampGet,
  ampPost,
  GOOGLE_CACHE,
  LOCAL_CACHE,
  ORIGIN,
  sessionCookieOf,
  TEST_SECRET,
  testShop,
  visitOrigin,
} from './helpers/shop';

let shop: Shop;
beforeAll(async () => {
  shop = await testShop();
});

const ADD_ONE = { sku: 'SC-NAT-100', quantity: '1' };

describe('step 1: an origin page’s first credentialed request sets the session cookie', () => {
  it('the badge request: HttpOnly, Path=/, SameSite=None, Secure with a max age — even over http://localhost', async () => {
    const res = await ampGet(shop, '/api/cart/summary', { from: 'origin' }).expect(200);
    const header = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join('\n');
    expect(header).toMatch(new RegExp(`^${SESSION_COOKIE.replace('.', '\\.')}=s%3A`));
    expect(header).toMatch(/; Path=\//);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; Secure/);
    expect(header).toMatch(/; SameSite=None/);
    expect(header).toMatch(/; Expires=/);
  });

  it('the page itself sets none: it is the same document for everybody', async () => {
    const res = await request(shop.app).get('/products/superclip').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('does not replace a cookie the shopper already has', async () => {
    const { cookie } = await visitOrigin(shop);
    const res = await ampGet(shop, '/api/cart/summary', { from: 'origin', cookie }).expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('sends no Secure cookie for a plain-http public origin that is not localhost', async () => {
    const plain = await testShop({ PUBLIC_ORIGIN: 'http://shop.internal:8080' });
    const res = await request(plain.app)
      .get('/api/cart/summary?__amp_source_origin=http%3A%2F%2Fshop.internal%3A8080')
      .set('AMP-Same-Origin', 'true')
      .expect(200);
    expect(res.body).toEqual({ known: false });
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('direct path: the cookie or AMP-Same-Origin is there', () => {
  it('origin page with a cookie: applies to that session and answers JSON with CORS headers', async () => {
    const { cookie, sessionId } = await visitOrigin(shop);
    const res = await ampPost(shop, '/api/cart/add', {
      from: 'origin',
      cookie,
      fields: ADD_ONE,
    }).expect(200);
    expect(res.body).toEqual({
      message: expect.stringContaining('Added 1 × Superclip'),
      cartCount: 1,
    });
    expect(res.headers['amp-redirect-to']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-expose-headers']).toBe('AMP-Redirect-To');
    expect(res.headers['vary']).toMatch(/Origin/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 1 }]);
  });

  it('origin page without a cookie (AMP-Same-Origin): creates a session and applies', async () => {
    const res = await ampPost(shop, '/api/cart/add', { from: 'origin', fields: ADD_ONE }).expect(
      200,
    );
    const { sessionId } = sessionCookieOf(res);
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 1 }]);
  });

  it.each(['google-cache', 'local-cache'] as const)(
    '%s page whose browser sends the cookie: applies directly',
    async (from) => {
      const { cookie, sessionId } = await visitOrigin(shop);
      const res = await ampPost(shop, '/api/cart/add', {
        from,
        cookie,
        fields: { sku: 'CL-SLV-100', quantity: '2' },
      }).expect(200);
      expect(res.headers['amp-redirect-to']).toBeUndefined();
      expect(res.headers['access-control-allow-origin']).toBe(
        from === 'local-cache' ? LOCAL_CACHE : GOOGLE_CACHE,
      );
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'CL-SLV-100', quantity: 2 }]);
    },
  );

  it('accepts urlencoded bodies as well as multipart', async () => {
    const { cookie, sessionId } = await visitOrigin(shop);
    await ampPost(shop, '/api/cart/add', {
      from: 'origin',
      cookie,
      fields: ADD_ONE,
      encoding: 'urlencoded',
    }).expect(200);
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 1 }]);
  });

  it('set and remove send the shopper to the updated cart on the public origin', async () => {
    const { cookie, sessionId } = await visitOrigin(shop);
    await ampPost(shop, '/api/cart/add', { from: 'origin', cookie, fields: ADD_ONE }).expect(200);
    const set = await ampPost(shop, '/api/cart/set', {
      from: 'origin',
      cookie,
      fields: { sku: 'SC-NAT-100', quantity: '4' },
    }).expect(200);
    expect(set.headers['amp-redirect-to']).toBe(`${ORIGIN}/cart`);
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 4 }]);
    await ampPost(shop, '/api/cart/remove', {
      from: 'origin',
      cookie,
      fields: { sku: 'SC-NAT-100' },
    }).expect(200);
    expect(await shop.carts.get(sessionId)).toEqual([]);
  });
});

describe('steps 3 and 4: a cache page whose browser blocks the cookie', () => {
  async function redirectFor(fields: Record<string, string>, path = '/api/cart/add') {
    const res = await ampPost(shop, path, { from: 'google-cache', fields }).expect(200);
    expect(res.body).toEqual({});
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['access-control-allow-origin']).toBe(GOOGLE_CACHE);
    expect(res.headers['access-control-expose-headers']).toBe('AMP-Redirect-To');
    return new URL(res.headers['amp-redirect-to']);
  }

  it('answers AMP-Redirect-To: an absolute apply URL on PUBLIC_ORIGIN describing the change', async () => {
    const url = await redirectFor({ sku: 'KIT-NAT-1', quantity: '2' });
    expect(url.origin).toBe(ORIGIN);
    expect(url.pathname).toBe('/cart/apply');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      op: 'add',
      sku: 'KIT-NAT-1',
      quantity: '2',
      item: 'Clips & Pins Starter Kit (Natural, pack of 1)',
      exp: expect.stringMatching(/^\d+$/),
      nonce: expect.any(String),
      sig: expect.any(String),
    });
    expect(url.search).not.toContain('__amp_source_origin');
  });

  it('keeps names with &, # and non-Latin letters intact in the URL', async () => {
    const url = await redirectFor({ sku: 'WS-SAK-24', quantity: '1' });
    expect(url.searchParams.get('item')).toMatch(/^Washi Clips 和紙 \(/);
  });

  it('never builds the redirect from request headers', async () => {
    const res = await ampPost(shop, '/api/cart/add', { from: 'local-cache', fields: ADD_ONE })
      .set('Host', 'evil.example')
      .set('X-Forwarded-Host', 'evil.example')
      .expect(200);
    expect(new URL(res.headers['amp-redirect-to']).origin).toBe(ORIGIN);
  });

  it('following it as a new visitor: creates the session, applies once, and lands on the clean cart', async () => {
    const url = await redirectFor({ sku: 'SC-NAT-100', quantity: '3' });
    const apply = await request(shop.app)
      .get(url.pathname + url.search)
      .expect(303);
    expect(apply.headers['cache-control']).toBe('no-store');
    expect(apply.headers.location).toBe('/cart/cookie-check');
    const { cookie, sessionId } = sessionCookieOf(apply);
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 3 }]);

    const check = await request(shop.app)
      .get('/cart/cookie-check')
      .set('Cookie', cookie)
      .expect(303);
    expect(check.headers.location).toBe('/cart');
    const cart = await request(shop.app).get('/cart').set('Cookie', cookie).expect(200);
    expect(cart.text).toContain('Superclip');
  });

  it('following it as a returning visitor: lands in the same cart, straight to /cart', async () => {
    const { cookie, sessionId } = await visitOrigin(shop);
    await ampPost(shop, '/api/cart/add', { from: 'origin', cookie, fields: ADD_ONE }).expect(200);
    const url = await redirectFor({ sku: 'CL-SLV-100', quantity: '1' });
    const apply = await request(shop.app)
      .get(url.pathname + url.search)
      .set('Cookie', cookie)
      .expect(303);
    expect(apply.headers.location).toBe('/cart');
    // The cookie is only refreshed: it still names the same session.
    expect(sessionCookieOf(apply).sessionId).toBe(sessionId);
    expect(await shop.carts.get(sessionId)).toEqual([
      { sku: 'SC-NAT-100', quantity: 1 },
      { sku: 'CL-SLV-100', quantity: 1 },
    ]);
  });

  it('set and remove go through the same redirect', async () => {
    const { cookie, sessionId } = await visitOrigin(shop);
    await ampPost(shop, '/api/cart/add', { from: 'origin', cookie, fields: ADD_ONE }).expect(200);
    const set = await redirectFor({ sku: 'SC-NAT-100', quantity: '5' }, '/api/cart/set');
    await request(shop.app)
      .get(set.pathname + set.search)
      .set('Cookie', cookie)
      .expect(303);
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 5 }]);
    const remove = await redirectFor({ sku: 'SC-NAT-100' }, '/api/cart/remove');
    expect(remove.searchParams.has('quantity')).toBe(false);
    await request(shop.app)
      .get(remove.pathname + remove.search)
      .set('Cookie', cookie)
      .expect(303);
    expect(await shop.carts.get(sessionId)).toEqual([]);
  });

  it('a browser that keeps no cookie at all sees an explanation, not a redirect loop', async () => {
    const url = await redirectFor(ADD_ONE);
    await request(shop.app)
      .get(url.pathname + url.search)
      .expect(303);
    const check = await request(shop.app).get('/cart/cookie-check').expect(200);
    expect(check.text).toContain('Your cart needs cookies');
    expect(check.headers.location).toBeUndefined();
  });

  it('an apply URL that does not describe a valid change shows a page, changes nothing', async () => {
    const { cookie, sessionId } = await visitOrigin(shop);
    const res = await request(shop.app)
      .get('/cart/apply?op=add&sku=SC-NAT-100&quantity=1')
      .set('Cookie', cookie)
      .expect(400);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('This link does not describe a cart change.');
    expect(await shop.carts.get(sessionId)).toEqual([]);
  });
});

describe('apply URLs are signed, expire, and work once', () => {
  async function applyUrl(fields: Record<string, string> = ADD_ONE) {
    const res = await ampPost(shop, '/api/cart/add', { from: 'google-cache', fields }).expect(200);
    return new URL(res.headers['amp-redirect-to']);
  }

  it.each([
    ['a changed quantity', (url: URL) => url.searchParams.set('quantity', '9')],
    ['a changed product', (url: URL) => url.searchParams.set('sku', 'SC-NAT-250')],
    ['a changed action', (url: URL) => url.searchParams.set('op', 'set')],
    ['a later expiry', (url: URL) => url.searchParams.set('exp', '99999999999')],
    ['a made-up signature', (url: URL) => url.searchParams.set('sig', 'A'.repeat(43))],
  ])('refuses %s with a page linking back to the product', async (_name, tamper) => {
    const { cookie, sessionId } = await visitOrigin(shop);
    const url = await applyUrl();
    tamper(url);
    const res = await request(shop.app)
      .get(url.pathname + url.search)
      .set('Cookie', cookie)
      .expect(400);
    expect(res.text).toContain('was changed or was not made by BestClips');
    expect(res.text).toContain('href="/products/superclip"');
    expect(await shop.carts.get(sessionId)).toEqual([]);
  });

  it('refuses an expired link', async () => {
    const { cookie, sessionId } = await visitOrigin(shop);
    const change = { op: 'add', sku: 'SC-NAT-100', quantity: 1 } as const;
    const ticket = signChange(change, deriveLinkKey(TEST_SECRET), Date.now() - 6 * 60 * 1000);
    const url = new URL(buildApplyUrl(ORIGIN, change, 'Superclip', ticket));
    const res = await request(shop.app)
      .get(url.pathname + url.search)
      .set('Cookie', cookie)
      .expect(410);
    expect(res.text).toContain('That link has expired');
    expect(await shop.carts.get(sessionId)).toEqual([]);
  });

  it('applies once: a replay (reload, back, shared link) just shows the cart', async () => {
    const { cookie, sessionId } = await visitOrigin(shop);
    const url = await applyUrl();
    await request(shop.app)
      .get(url.pathname + url.search)
      .set('Cookie', cookie)
      .expect(303);
    const replay = await request(shop.app)
      .get(url.pathname + url.search)
      .set('Cookie', cookie)
      .expect(303);
    expect(replay.headers.location).toBe('/cart');
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 1 }]);
  });

  it('a replay by someone else changes nobody’s cart', async () => {
    const victim = await visitOrigin(shop);
    const url = await applyUrl();
    await request(shop.app)
      .get(url.pathname + url.search)
      .set('Cookie', victim.cookie)
      .expect(303);
    const other = await visitOrigin(shop);
    await request(shop.app)
      .get(url.pathname + url.search)
      .set('Cookie', other.cookie)
      .expect(303);
    expect(await shop.carts.get(other.sessionId)).toEqual([]);
  });
});

describe('concurrent changes to one cart', () => {
  it('100 concurrent adds lose nothing: 10 lines × 10 each, then the cap refuses the rest', async () => {
    const { cookie, sessionId } = await visitOrigin(shop);
    const skus = [
      'SC-NAT-100',
      'SC-NAT-250',
      'CL-SLV-100',
      'CL-SLV-500',
      'CL-RSG-100',
      'JB-SLV-100',
      'RV-RBW-100',
      'RV-PST-100',
      'WS-SAK-24',
      'BF-SLV-50',
    ];
    const adds = Array.from({ length: 100 }, (_, i) =>
      ampPost(shop, '/api/cart/add', {
        from: 'origin',
        cookie,
        fields: { sku: skus[i % 10], quantity: '1' },
      }),
    );
    const results = await Promise.all(adds);
    expect(results.map((res) => res.status)).toEqual(Array(100).fill(200));
    const cart = await shop.carts.get(sessionId);
    expect(cart).toHaveLength(10);
    expect(cart.every((line) => line.quantity === 10)).toBe(true);

    const more = await Promise.all(
      Array.from({ length: 20 }, () =>
        ampPost(shop, '/api/cart/add', {
          from: 'origin',
          cookie,
          fields: { sku: 'SC-NAT-100', quantity: '1' },
        }),
      ),
    );
    expect(more.every((res) => res.status === 400 && /at most 10/.test(res.body.error))).toBe(true);
    expect(
      (await shop.carts.get(sessionId)).find((line) => line.sku === 'SC-NAT-100')?.quantity,
    ).toBe(10);
  });
});

describe('who may call the cart API', () => {
  it.each([
    ['an unknown site', { Origin: 'https://evil.example' }, 403],
    [
      'another publisher on the Google cache',
      { Origin: 'https://evil-example.cdn.ampproject.org' },
      403,
    ],
    ['no Origin and no AMP-Same-Origin', {}, 400],
  ])('refuses %s before any side effect', async (_name, headers, status) => {
    const { cookie, sessionId } = await visitOrigin(shop);
    const res = await request(shop.app)
      .post(`/api/cart/add?__amp_source_origin=${encodeURIComponent(ORIGIN)}`)
      .set(headers)
      .set('Cookie', cookie)
      .field('sku', 'SC-NAT-100')
      .field('quantity', '1')
      .expect(status);
    expect(res.body).toEqual({ error: expect.any(String) });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(await shop.carts.get(sessionId)).toEqual([]);
  });

  it('refuses a request without __amp_source_origin', async () => {
    await request(shop.app)
      .post('/api/cart/add')
      .set('Origin', ORIGIN)
      .set('AMP-Same-Origin', 'true')
      .field('sku', 'SC-NAT-100')
      .field('quantity', '1')
      .expect(400);
  });
});

describe('bad input: 400 JSON with a sentence, cart unchanged, never a 500', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['an unknown product', { sku: 'NOPE-1', quantity: '1' }, 'not in our catalog'],
    ['quantity 0', { sku: 'SC-NAT-100', quantity: '0' }, 'between 1 and 10'],
    ['quantity 11', { sku: 'SC-NAT-100', quantity: '11' }, 'between 1 and 10'],
    ['a fractional quantity', { sku: 'SC-NAT-100', quantity: '1.5' }, 'between 1 and 10'],
    ['an exponent quantity', { sku: 'SC-NAT-100', quantity: '1e1' }, 'between 1 and 10'],
    ['more than the stock', { sku: 'SC-GRN-100', quantity: '4' }, 'at most 3'],
    ['an out-of-stock variant', { sku: 'JB-GLD-100', quantity: '1' }, 'out of stock'],
    ['a missing quantity', { sku: 'SC-NAT-100' }, 'quantity is missing'],
    ['a missing product', { quantity: '1' }, 'product option is missing'],
    [
      'a client-chosen price',
      { sku: 'SC-NAT-100', quantity: '1', price: '1' },
      'field we do not know: price',
    ],
    [
      'a field named __amp_source_origin',
      { sku: 'SC-NAT-100', quantity: '1', __amp_source_origin: ORIGIN },
      '__amp_source_origin',
    ],
  ];

  it.each(cases)('%s', async (_name, fields, message) => {
    const { cookie, sessionId } = await visitOrigin(shop);
    const res = await ampPost(shop, '/api/cart/add', { from: 'origin', cookie, fields }).expect(
      400,
    );
    expect(res.body).toEqual({ error: expect.stringContaining(message) });
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(await shop.carts.get(sessionId)).toEqual([]);
  });

  it('a duplicated field', async () => {
    const { cookie } = await visitOrigin(shop);
    const res = await ampPost(shop, '/api/cart/add', { from: 'origin', cookie, fields: ADD_ONE })
      .field('quantity', '2')
      .expect(400);
    expect(res.body.error).toContain('more than once');
  });

  it('a body over the size limit', async () => {
    const { cookie } = await visitOrigin(shop);
    const res = await ampPost(shop, '/api/cart/add', {
      from: 'origin',
      cookie,
      fields: { sku: 'SC-NAT-100', quantity: '1', note: 'x'.repeat(5000) },
    }).expect(400);
    expect(res.body.error).toEqual(expect.any(String));
  });

  it('a malformed multipart body', async () => {
    const res = await request(shop.app)
      .post(`/api/cart/add?__amp_source_origin=${encodeURIComponent(ORIGIN)}`)
      .set('Origin', ORIGIN)
      .set('AMP-Same-Origin', 'true')
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .send('--xyz\r\nContent-Disposition: form-data; name="sku"\r\n\r\nSC-NAT-100\r\n--xy')
      .expect(400);
    expect(res.body.error).toContain('could not read that form');
  });

  it('an unknown cart action', async () => {
    await ampPost(shop, '/api/cart/steal', { from: 'origin', fields: ADD_ONE }).expect(404);
  });
});
