// Checkout over HTTP against the real app, with the requests the AMP runtime sends: the direct
// path (cookie or AMP-Same-Origin) and the cache path without the cookie (held details, signed
// single-use link, the origin GET), plus validation, replays and tampered or expired links.
import request from 'supertest';
import type { Shop } from '../server/app';
import { buildPlaceOrderUrl, signPlaceOrder } from '../server/checkout/place-order-link';
import { deriveLinkKey } from '../server/flow/signed-link';
import { ORDER_NUMBER } from '../server/orders/order';
import { expectValidAmp } from './helpers/amp-validator';
import { CUSTOMER } from './helpers/customer';
import {
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

const DETAILS: Record<string, string> = { ...CUSTOMER };

/** A returning shopper (origin cookie) with two Superclips in the cart. */
async function shopperWithCart() {
  const visitor = await visitOrigin(shop);
  await shop.carts.apply(visitor.sessionId, { op: 'add', sku: 'SC-NAT-100', quantity: 2 });
  return visitor;
}

const orderOf = async (sessionId: string, orderNumber: string) =>
  shop.orders.find(sessionId, orderNumber);

const numberIn = (location: string) => decodeURIComponent(location.split('/orders/')[1] ?? '');

describe('direct path: the cookie (or the origin page itself) is there', () => {
  it.each([
    ['origin', ORIGIN],
    ['google-cache', GOOGLE_CACHE],
    ['local-cache', LOCAL_CACHE],
  ] as const)(
    '%s page: places the order, empties the cart, redirects to the confirmation',
    async (from, corsOrigin) => {
      const { cookie, sessionId } = await shopperWithCart();
      const res = await ampPost(shop, '/api/checkout', { from, cookie, fields: DETAILS }).expect(
        200,
      );
      const orderNumber = res.body.orderNumber as string;
      expect(orderNumber).toMatch(ORDER_NUMBER);
      expect(res.body.message).toBe(`Thank you! Your order ${orderNumber} is placed.`);
      expect(res.headers['amp-redirect-to']).toBe(`${ORIGIN}/orders/${orderNumber}`);
      expect(res.headers['access-control-allow-origin']).toBe(corsOrigin);
      expect(res.headers['access-control-expose-headers']).toBe('AMP-Redirect-To');
      expect(res.headers['cache-control']).toBe('no-store');

      expect(await shop.carts.get(sessionId)).toEqual([]);
      const order = await orderOf(sessionId, orderNumber);
      expect(order).toMatchObject({
        number: orderNumber,
        customer: DETAILS,
        lines: [
          {
            sku: 'SC-NAT-100',
            name: 'Superclip',
            quantity: 2,
            unitPriceCents: 1200,
            lineTotalCents: 2400,
          },
        ],
        itemCount: 2,
        subtotalCents: 2400,
        shippingCents: 495,
        totalCents: 2895,
      });
    },
  );

  it('origin page without a cookie (AMP-Same-Origin): a new session has nothing to order', async () => {
    const res = await ampPost(shop, '/api/checkout', { from: 'origin', fields: DETAILS }).expect(
      400,
    );
    expect(res.body).toEqual({ error: 'Your cart is empty, so there is nothing to order yet.' });
    expect(res.headers['amp-redirect-to']).toBeUndefined();
  });

  it('an empty cart: a sentence, no order', async () => {
    const { cookie } = await visitOrigin(shop);
    const res = await ampPost(shop, '/api/checkout', { from: 'origin', cookie, fields: DETAILS });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/Your cart is empty/);
  });

  it('submitting twice orders once: the second finds the cart already empty', async () => {
    const { cookie } = await shopperWithCart();
    const results = await Promise.all(
      [1, 2].map(() => ampPost(shop, '/api/checkout', { from: 'origin', cookie, fields: DETAILS })),
    );
    expect(results.map((res) => res.status).sort()).toEqual([200, 400]);
  });
});

describe('the confirmation page', () => {
  async function placed() {
    const shopper = await shopperWithCart();
    const res = await ampPost(shop, '/api/checkout', {
      from: 'origin',
      cookie: shopper.cookie,
      fields: { ...DETAILS, name: 'Ana <Lima> & Co' },
    }).expect(200);
    return { ...shopper, path: new URL(res.headers['amp-redirect-to']).pathname };
  }

  it('shows the order to the session that placed it: number, lines, totals, address (valid AMP)', async () => {
    const { cookie, path } = await placed();
    const res = await request(shop.app).get(path).set('Cookie', cookie).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.text;
    expect(html).toContain(`<strong class="order-number">${numberIn(path)}</strong>`);
    expect(html).toContain('Thank you, Ana &lt;Lima&gt; &amp; Co!');
    expect(html).toContain('2 × Superclip');
    expect(html).toContain('<dt>Total</dt><dd>$28.95</dd>');
    expect(html).toContain('12 Rue des Trombones<br>69001 Lyon<br>France');
    expect(html).not.toContain('View this page from the AMP cache');
    await expectValidAmp(html, 'order confirmation page');
  }, 60_000);

  it('is a 404 for anyone else, and for a browser without the cookie', async () => {
    const { path } = await placed();
    const other = await visitOrigin(shop);
    const res = await request(shop.app).get(path).set('Cookie', other.cookie).expect(404);
    expect(res.text).not.toContain('Ana');
    await request(shop.app).get(path).expect(404);
    await request(shop.app).get('/orders/not-an-order-number').expect(404);
  });
});

describe('cache path: a cache page whose browser blocks the cookie', () => {
  async function redirectFor(fields: Record<string, string> = DETAILS) {
    const res = await ampPost(shop, '/api/checkout', { from: 'google-cache', fields }).expect(200);
    expect(res.body).toEqual({});
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBe(GOOGLE_CACHE);
    expect(res.headers['access-control-expose-headers']).toBe('AMP-Redirect-To');
    return new URL(res.headers['amp-redirect-to']);
  }

  const follow = (url: URL, cookie?: string) => {
    const req = request(shop.app).get(url.pathname + url.search);
    return cookie ? req.set('Cookie', cookie) : req;
  };

  it('answers AMP-Redirect-To: an absolute, signed link on PUBLIC_ORIGIN with no personal data in it', async () => {
    const url = await redirectFor();
    expect(url.origin).toBe(ORIGIN);
    expect(url.pathname).toBe('/checkout/place');
    expect([...url.searchParams.keys()]).toEqual(['pending', 'exp', 'sig']);
    expect(url.searchParams.get('pending')).toMatch(/^[\w-]{22}$/);
    for (const value of Object.values(DETAILS)) {
      expect(url.href).not.toContain(value);
      expect(url.href).not.toContain(encodeURIComponent(value));
    }
    expect(url.search).not.toContain('__amp_source_origin');
  });

  it('following it on the origin places the order from that session’s cart, then the confirmation', async () => {
    const { cookie, sessionId } = await shopperWithCart();
    const url = await redirectFor();
    const place = await follow(url, cookie).expect(303);
    expect(place.headers['cache-control']).toBe('no-store');
    expect(place.headers['set-cookie']).toBeUndefined();
    const orderNumber = numberIn(place.headers.location);
    expect(place.headers.location).toBe(`/orders/${orderNumber}`);
    expect(await orderOf(sessionId, orderNumber)).toMatchObject({ customer: DETAILS });
    expect(await shop.carts.get(sessionId)).toEqual([]);

    const page = await request(shop.app).get(place.headers.location).set('Cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain(orderNumber);
  });

  it('is single-use: a reload or the back button shows the same order, never a second one', async () => {
    const { cookie, sessionId } = await shopperWithCart();
    const url = await redirectFor();
    const ordersBefore = shop.orders.size;
    const first = await follow(url, cookie).expect(303);
    // Something new in the cart: a replay that placed an order would take it.
    await shop.carts.apply(sessionId, { op: 'add', sku: 'CL-SLV-100', quantity: 1 });
    const replays = await Promise.all([follow(url, cookie), follow(url, cookie)]);
    for (const replay of replays) {
      expect(replay.status).toBe(303);
      expect(replay.headers.location).toBe(first.headers.location);
    }
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'CL-SLV-100', quantity: 1 }]);
    expect(shop.orders.size).toBe(ordersBefore + 1);
  });

  it('a replay by someone else shows them their own cart, never the order', async () => {
    const owner = await shopperWithCart();
    const url = await redirectFor();
    await follow(url, owner.cookie).expect(303);
    const other = await shopperWithCart();
    const replay = await follow(url, other.cookie).expect(303);
    expect(replay.headers.location).toBe('/cart');
    expect(await shop.carts.get(other.sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
  });

  it('two tabs opening one link at once place one order', async () => {
    const { cookie, sessionId } = await shopperWithCart();
    const url = await redirectFor();
    const ordersBefore = shop.orders.size;
    const results = await Promise.all([follow(url, cookie), follow(url, cookie)]);
    const locations = results.map((res) => res.headers.location as string);
    const orders = locations.filter((location) => location.startsWith('/orders/'));
    // The loser of the race sees the order (receipt already there) or the cart (not yet).
    expect(locations.every((l) => l === orders[0] || l === '/cart')).toBe(true);
    expect(shop.orders.size).toBe(ordersBefore + 1);
    expect(await orderOf(sessionId, numberIn(orders[0]))).toBeDefined();
  });

  it('a new visitor (no cookie on the origin either) has an empty cart: a page says so, no order', async () => {
    const url = await redirectFor();
    const res = await follow(url).expect(409);
    expect(res.text).toContain('Your cart is empty');
    const { cookie } = sessionCookieOf(res);
    expect((await follow(url, cookie)).headers.location).toBe('/cart');
  });

  it.each([
    ['another pending id', (url: URL) => url.searchParams.set('pending', 'A'.repeat(22))],
    ['a later expiry', (url: URL) => url.searchParams.set('exp', '99999999999')],
    ['a made-up signature', (url: URL) => url.searchParams.set('sig', 'A'.repeat(43))],
  ])('refuses %s: a page, no order, the cart untouched', async (_name, tamper) => {
    const { cookie, sessionId } = await shopperWithCart();
    const url = await redirectFor();
    tamper(url);
    const res = await follow(url, cookie).expect(400);
    expect(res.text).toContain('This checkout link was changed or was not made by BestClips');
    expect(res.text).toContain('href="/checkout"');
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
  });

  it('a cart-change link cannot pass for an order link', async () => {
    const { cookie } = await shopperWithCart();
    const apply = await ampPost(shop, '/api/cart/add', {
      from: 'google-cache',
      fields: { sku: 'SC-NAT-100', quantity: '1' },
    }).expect(200);
    const change = new URL(apply.headers['amp-redirect-to']);
    const forged = new URL('/checkout/place', ORIGIN);
    forged.searchParams.set('pending', change.searchParams.get('nonce') ?? '');
    forged.searchParams.set('exp', change.searchParams.get('exp') ?? '');
    forged.searchParams.set('sig', change.searchParams.get('sig') ?? '');
    await follow(forged, cookie).expect(400);
  });

  it.each([
    ['/checkout/place', 'nothing at all'],
    ['/checkout/place?pending=x&exp=1&sig=y', 'malformed values'],
  ])('%s (%s) is not a checkout link', async (path) => {
    const res = await request(shop.app).get(path).expect(400);
    expect(res.text).toContain('This link does not describe an order.');
  });

  it('refuses an extra parameter (the link is exactly what the shop made)', async () => {
    const url = await redirectFor();
    url.searchParams.set('email', 'someone@example.com');
    await follow(url).expect(400);
  });

  it('refuses an expired link, and keeps the cart for another try', async () => {
    const { cookie, sessionId } = await shopperWithCart();
    const pending = (await redirectFor()).searchParams.get('pending') ?? '';
    const key = deriveLinkKey(TEST_SECRET);
    const old = signPlaceOrder(pending, key, Date.now() - 6 * 60 * 1000);
    const res = await follow(new URL(buildPlaceOrderUrl(ORIGIN, old)), cookie).expect(410);
    expect(res.text).toContain('That link has expired');
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
  });

  it('invalid details are refused before anything is held or redirected', async () => {
    const res = await ampPost(shop, '/api/checkout', {
      from: 'google-cache',
      fields: { ...DETAILS, email: 'not-an-email' },
    }).expect(400);
    expect(res.body.error).toMatch(/^Your email address does not look right/);
    expect(res.headers['amp-redirect-to']).toBeUndefined();
  });
});

describe('validation: 400 JSON, a sentence naming the field, nothing ordered', () => {
  const without = (field: keyof typeof DETAILS) =>
    Object.fromEntries(Object.entries(DETAILS).filter(([name]) => name !== field));

  it.each([
    ['no name', without('name'), 'Your name is missing.'],
    ['a blank name', { ...DETAILS, name: '   ' }, 'Please enter your name.'],
    [
      'an email without a domain',
      { ...DETAILS, email: 'ana@' },
      'Your email address does not look right: it should look like ana@example.com.',
    ],
    [
      'a street address over 200 characters',
      { ...DETAILS, street: 'x'.repeat(201) },
      'Your street address can be at most 200 characters long.',
    ],
    ['no town', without('city'), 'Your town or city is missing.'],
    [
      'a postcode with symbols',
      { ...DETAILS, postcode: '69#01' },
      'Your postcode can only have letters, digits, spaces and dashes.',
    ],
    [
      'a name on two lines',
      { ...DETAILS, name: 'Ana\nLima' },
      'Your name contains characters we cannot accept.',
    ],
    [
      'an unknown field',
      { ...DETAILS, card: '4111111111111111' },
      'The form sent a field we do not know: card.',
    ],
  ])('%s', async (_name, fields, error) => {
    const { cookie, sessionId } = await shopperWithCart();
    const res = await ampPost(shop, '/api/checkout', { from: 'origin', cookie, fields }).expect(
      400,
    );
    expect(res.body).toEqual({ error });
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
  });

  it('accepts urlencoded bodies and letters from any language', async () => {
    const { cookie } = await shopperWithCart();
    await ampPost(shop, '/api/checkout', {
      from: 'origin',
      cookie,
      fields: { ...DETAILS, name: 'Zoë Ørsted-和紙', city: 'Århus', postcode: 'DK 8000' },
      encoding: 'urlencoded',
    }).expect(200);
  });

  it('refuses a caller that is not the shop or its cache, before anything happens', async () => {
    const { cookie, sessionId } = await shopperWithCart();
    const res = await request(shop.app)
      .post(`/api/checkout?__amp_source_origin=${encodeURIComponent(ORIGIN)}`)
      .set('Origin', 'https://evil.example')
      .set('Cookie', cookie)
      .field(DETAILS)
      .expect(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
  });
});

describe('the checkout page', () => {
  it('is valid AMP, from the origin with a cart and as the cache fetches it', async () => {
    const { cookie } = await shopperWithCart();
    const withCart = await request(shop.app).get('/checkout').set('Cookie', cookie).expect(200);
    expect(withCart.text).toContain('2 × Superclip');
    await expectValidAmp(withCart.text, 'checkout page with a cart');
    const cacheCopy = await request(shop.app).get('/checkout').expect(200);
    expect(cacheCopy.text).toContain('action-xhr="/api/checkout"');
    await expectValidAmp(cacheCopy.text, 'checkout page without the cookie');
  }, 60_000);
});
