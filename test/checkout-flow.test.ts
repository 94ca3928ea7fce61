// Checkout over HTTP against the real app, with the requests the AMP runtime sends: the direct
// path (cookie or AMP-Same-Origin) and the cache path without the cookie (held details, a signed
// link, the origin's confirmation page, its single-use "Place order"), plus validation, replays,
// other sessions, CSRF and tampered or expired links.
import request from 'supertest';
import type { Shop } from '../server/app';
import { PLACE_ORDER_ERRORS } from '../server/checkout/place-order-api';
import { buildPlaceOrderUrl, signPlaceOrder } from '../server/checkout/place-order-link';
import { deriveLinkKey } from '../server/amp/signed-link';
import { ORDER_NUMBER } from '../server/orders/order';
import { expectValidAmp } from './helpers/amp-validator';
import { CUSTOMER } from './helpers/customer';
import {
  ampPost,
  GOOGLE_CACHE,
  LOCAL_CACHE,
  ORIGIN,
  type PageLocation,
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

/** The answer to a form that placed an order: a sentence, and AMP-Redirect-To its page. */
function expectPlaced(res: request.Response, corsOrigin: string): string {
  const orderNumber = res.body.orderNumber as string;
  expect(orderNumber).toMatch(ORDER_NUMBER);
  expect(res.body.message).toBe(`Thank you! Your order ${orderNumber} is placed.`);
  expect(res.headers['amp-redirect-to']).toBe(`${ORIGIN}/orders/${orderNumber}`);
  expect(res.headers['access-control-allow-origin']).toBe(corsOrigin);
  expect(res.headers['access-control-expose-headers']).toBe('AMP-Redirect-To');
  expect(res.headers['cache-control']).toBe('no-store');
  return orderNumber;
}

/** How many orders the shop keeps (in memory: these tests run without REDIS_URL). */
const orderCount = () => shop.memory!.orders.size;

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
      const orderNumber = expectPlaced(res, corsOrigin);

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
    expect(html).toContain('2 &times; Superclip');
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

/** Step 3: the checkout form on a cache page whose browser blocks the cookie; the link it gets. */
async function redirectFor(fields: Record<string, string> = DETAILS) {
  const res = await ampPost(shop, '/api/checkout', { from: 'google-cache', fields }).expect(200);
  expect(res.body).toEqual({});
  expect(res.headers['set-cookie']).toBeUndefined();
  expect(res.headers['access-control-allow-origin']).toBe(GOOGLE_CACHE);
  expect(res.headers['access-control-expose-headers']).toBe('AMP-Redirect-To');
  return new URL(res.headers['amp-redirect-to']);
}

/** Step 4: the top-level GET of that link on the origin. */
const follow = (url: URL, cookie?: string) => {
  const req = request(shop.app).get(url.pathname + url.search);
  return cookie ? req.set('Cookie', cookie) : req;
};

/** Step 5: "Place order" on the confirmation page, exactly as amp-form sends it from the origin. */
const placeFromPage = (pendingId: string, cookie: string, from: PageLocation = 'origin') =>
  ampPost(shop, '/api/checkout/place', { from, cookie, fields: { pending: pendingId } });

const pendingIdOf = (url: URL) => url.searchParams.get('pending') ?? '';

/** The "Place order" form of a confirmation page, and the id in its hidden field. */
function placeOrderForm(html: string) {
  const form = html.match(/<form\b[^>]*action-xhr="\/api\/checkout\/place"[\s\S]*?<\/form>/)?.[0];
  const inputs = form?.match(/<input\b[^>]*>/g) ?? [];
  const pendingId = /^<input type="hidden" name="pending" value="([\w-]+)">$/.exec(inputs[0] ?? '');
  return { form, inputs, pendingId: pendingId?.[1] };
}

/** A returning shopper with a cart, sent by a cache page to the confirmation page. */
async function onConfirmationPage() {
  const shopper = await shopperWithCart();
  const link = await redirectFor();
  const page = await follow(link, shopper.cookie).expect(200);
  return { ...shopper, link, pendingId: pendingIdOf(link), page };
}

describe('cache path, step 3: the details wait on the server, the link names them by id', () => {
  it('answers AMP-Redirect-To: an absolute, signed link on PUBLIC_ORIGIN with no personal data in it', async () => {
    const url = await redirectFor();
    expect(url.origin).toBe(ORIGIN);
    expect(url.pathname).toBe('/checkout/place');
    expect([...url.searchParams.keys()]).toEqual(['pending', 'exp', 'sig']);
    expect(pendingIdOf(url)).toMatch(/^[\w-]{22}$/);
    for (const value of Object.values(DETAILS)) {
      expect(url.href).not.toContain(value);
      expect(url.href).not.toContain(encodeURIComponent(value));
    }
    expect(url.search).not.toContain('__amp_source_origin');
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

describe('cache path, step 4: the link shows a confirmation page on the origin, and places nothing', () => {
  it('shows this session’s cart, the details held for it and a "Place order" button (valid AMP)', async () => {
    const { page, pendingId } = await onConfirmationPage();
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['set-cookie']).toBeUndefined();
    const html = page.text;
    expect(html).toContain('<h1 class="page-title">Confirm your order</h1>');
    expect(html).toMatch(/<li class="order-line"><span>2 \S+ Superclip <span class="muted">/);
    expect(html).toContain('<dt>Total</dt><dd>$28.95</dd>');
    expect(html).toContain('Ana Lima<br>12 Rue des Trombones<br>69001 Lyon<br>France');
    expect(html).toContain('We would send updates to ana.lima@example.com.');
    // The form: relative action-xhr on the origin, to the top window, with the id and nothing else.
    const form = placeOrderForm(html);
    expect(form.form).toMatch(
      /^<form method="post" action-xhr="\/api\/checkout\/place" target="_top"/,
    );
    expect(form.inputs).toHaveLength(1);
    expect(form.pendingId).toBe(pendingId);
    expect(form.form).toContain('<button type="submit" class="button button-primary">Place order');
    expect(html).toContain('<a class="button button-ghost" href="/cart">Cancel</a>');
    expect(html).not.toContain('View this page from the AMP cache');
    await expectValidAmp(html, 'order confirmation (step 4) page');
  }, 60_000);

  it('places nothing, however often it is opened (a reload shows it again)', async () => {
    const ordersBefore = orderCount();
    const { cookie, sessionId, link } = await onConfirmationPage();
    const reload = await follow(link, cookie).expect(200);
    expect(placeOrderForm(reload.text).pendingId).toBe(pendingIdOf(link));
    expect(orderCount()).toBe(ordersBefore);
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
  });

  it('a link someone else made, with their own address: the shopper sees that address, nothing is ordered', async () => {
    // The attacker's own checkout (any client can send any Origin): a valid link, their address.
    const attacker = { ...DETAILS, name: 'Mallory', street: '1 Drop Street', city: 'Elsewhere' };
    const link = await redirectFor(attacker);
    const victim = await shopperWithCart();
    const ordersBefore = orderCount();
    const page = await follow(link, victim.cookie).expect(200);
    expect(page.text).toContain('Mallory<br>1 Drop Street<br>69001 Elsewhere');
    expect(page.text).toContain('Confirm your order');
    expect(orderCount()).toBe(ordersBefore);
    expect(await shop.carts.get(victim.sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
  });

  it('is shown to the first session that opens the link only: anyone else sees no details', async () => {
    const { link } = await onConfirmationPage();
    const other = await shopperWithCart();
    const res = await follow(link, other.cookie).expect(403);
    expect(res.text).toContain('This checkout link was already opened in another browser');
    expect(res.text).not.toContain('Ana Lima');
    expect(res.text).not.toContain('Rue des Trombones');
    expect(placeOrderForm(res.text).form).toBeUndefined();
  });

  it('a new visitor (no cookie on the origin either) has an empty cart: a page says so, no button', async () => {
    const link = await redirectFor();
    const res = await follow(link).expect(409);
    expect(res.text).toContain('Your cart is empty');
    expect(res.text).not.toContain('Rue des Trombones');
    expect(placeOrderForm(res.text).form).toBeUndefined();
    // Nothing changed for this visitor: no session stored, no cookie.
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('cache path, step 5: "Place order" places the order, once', () => {
  it('places it from this session’s cart with the details shown, then sends the browser to the confirmation', async () => {
    const { cookie, sessionId, pendingId } = await onConfirmationPage();
    const res = await placeFromPage(pendingId, cookie).expect(200);
    const orderNumber = expectPlaced(res, ORIGIN);
    expect(await orderOf(sessionId, orderNumber)).toMatchObject({
      customer: DETAILS,
      lines: [{ sku: 'SC-NAT-100', quantity: 2 }],
      totalCents: 2895,
    });
    expect(await shop.carts.get(sessionId)).toEqual([]);

    const page = await request(shop.app).get(`/orders/${orderNumber}`).set('Cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain(orderNumber);
  });

  it('a replay or a double click never orders twice: it hears about the same order', async () => {
    const { cookie, sessionId, pendingId, link } = await onConfirmationPage();
    const ordersBefore = orderCount();
    const first = await placeFromPage(pendingId, cookie).expect(200);
    // Something new in the cart: a replay that placed an order would take it.
    await shop.carts.apply(sessionId, { op: 'add', sku: 'CL-SLV-100', quantity: 1 });
    const replays = await Promise.all([1, 2].map(() => placeFromPage(pendingId, cookie)));
    for (const replay of replays) {
      expect(replay.status).toBe(200);
      expect(replay.body.orderNumber).toBe(first.body.orderNumber);
      expect(replay.headers['amp-redirect-to']).toBe(first.headers['amp-redirect-to']);
    }
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'CL-SLV-100', quantity: 1 }]);
    expect(orderCount()).toBe(ordersBefore + 1);

    // The link itself, reloaded or reached with the back button, shows the order.
    const again = await follow(link, cookie).expect(303);
    expect(again.headers.location).toBe(`/orders/${first.body.orderNumber}`);
  });

  it('clicks at once (a double submit, two tabs) place one order, and every one shows it', async () => {
    const { cookie, sessionId, pendingId } = await onConfirmationPage();
    const ordersBefore = orderCount();
    const results = await Promise.all([1, 2, 3].map(() => placeFromPage(pendingId, cookie)));
    expect(results.map((res) => res.status)).toEqual([200, 200, 200]);
    const numbers = new Set(results.map((res) => expectPlaced(res, ORIGIN)));
    expect(numbers.size).toBe(1);
    expect(orderCount()).toBe(ordersBefore + 1);
    expect(await orderOf(sessionId, [...numbers][0])).toBeDefined();
    expect(await shop.carts.get(sessionId)).toEqual([]);
  });

  it('another session cannot use the id: nothing is ordered, and the shopper still can', async () => {
    const owner = await onConfirmationPage();
    const other = await shopperWithCart();
    const ordersBefore = orderCount();
    const stolen = await placeFromPage(owner.pendingId, other.cookie).expect(410);
    expect(stolen.body).toEqual({ error: PLACE_ORDER_ERRORS.gone });
    expect(stolen.headers['amp-redirect-to']).toBeUndefined();
    expect(await shop.carts.get(other.sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
    expect(orderCount()).toBe(ordersBefore);

    await placeFromPage(owner.pendingId, owner.cookie).expect(200);
    // After the order, the other session's replay of the link shows them their own cart.
    const replay = await follow(owner.link, other.cookie).expect(303);
    expect(replay.headers.location).toBe('/cart');
  });

  it('a session that never opened the link cannot place with its id either', async () => {
    const link = await redirectFor();
    const shopper = await shopperWithCart();
    await placeFromPage(pendingIdOf(link), shopper.cookie).expect(410);
    expect(await shop.carts.get(shopper.sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
    // Left untouched: the link still shows its page to the first session that opens it.
    await follow(link, shopper.cookie).expect(200);
  });

  it('details that are gone (the link expired, or a flood pushed them out): a sentence, no order', async () => {
    const { cookie, sessionId, pendingId } = await onConfirmationPage();
    // Used up elsewhere: a receipt that is not this session's replaced them.
    await shop.memory!.pending.recordReceipt(pendingId, {
      sessionId: 'another-session',
      orderNumber: 'BC-0000-0000',
    });
    const res = await placeFromPage(pendingId, cookie).expect(410);
    expect(res.body).toEqual({ error: PLACE_ORDER_ERRORS.gone });
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
  });

  it('a cart emptied in another tab meanwhile: a sentence, no order', async () => {
    const { cookie, sessionId, pendingId } = await onConfirmationPage();
    await shop.carts.apply(sessionId, { op: 'remove', sku: 'SC-NAT-100' });
    const res = await placeFromPage(pendingId, cookie).expect(409);
    expect(res.body).toEqual({ error: 'Your cart is empty, so there is nothing to order yet.' });
  });

  describe('who may post it (CSRF): the AMP CORS gate, then the origin page only', () => {
    it('refuses another site, before anything happens, and tells it nothing', async () => {
      const { cookie, sessionId, pendingId } = await onConfirmationPage();
      const res = await request(shop.app)
        .post(`/api/checkout/place?__amp_source_origin=${encodeURIComponent(ORIGIN)}`)
        .set('Origin', 'https://evil.example')
        .set('Cookie', cookie)
        .field({ pending: pendingId })
        .expect(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['amp-redirect-to']).toBeUndefined();
      expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
      // Nothing was used up: the shopper can still place the order.
      await placeFromPage(pendingId, cookie).expect(200);
    });

    it('refuses another site that claims to be the origin page (AMP-Same-Origin, foreign Origin)', async () => {
      const { cookie, pendingId } = await onConfirmationPage();
      await request(shop.app)
        .post(`/api/checkout/place?__amp_source_origin=${encodeURIComponent(ORIGIN)}`)
        .set('Origin', 'https://evil.example')
        .set('AMP-Same-Origin', 'true')
        .set('Cookie', cookie)
        .field({ pending: pendingId })
        .expect(403);
    });

    it.each(['google-cache', 'local-cache'] as const)(
      'refuses the shop’s own pages on a cache (%s): confirming is for the origin page',
      async (from) => {
        const { cookie, sessionId, pendingId } = await onConfirmationPage();
        const res = await placeFromPage(pendingId, cookie, from).expect(403);
        expect(res.body).toEqual({ error: PLACE_ORDER_ERRORS.notOnOrigin });
        expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
      },
    );
  });

  it.each([
    ['no id', {}, 'The checkout id is missing.'],
    ['a malformed id', { pending: 'x' }, 'The checkout id is not one BestClips made.'],
    [
      'another field',
      { pending: 'A'.repeat(22), name: 'Mallory' },
      'The form sent a field we do not know: name.',
    ],
  ])('a form with %s: 400, a sentence', async (_name, fields, error) => {
    const { cookie } = await shopperWithCart();
    const res = await ampPost(shop, '/api/checkout/place', { from: 'origin', cookie, fields });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error });
  });

  it('a GET never places an order', async () => {
    const { cookie, pendingId } = await onConfirmationPage();
    const ordersBefore = orderCount();
    await request(shop.app)
      .get(`/api/checkout/place?pending=${pendingId}`)
      .set('Cookie', cookie)
      .expect(404);
    expect(orderCount()).toBe(ordersBefore);
  });
});

describe('place-order links the shop did not make, or no longer honours', () => {
  it.each([
    ['another pending id', (url: URL) => url.searchParams.set('pending', 'A'.repeat(22))],
    ['a later expiry', (url: URL) => url.searchParams.set('exp', '99999999999')],
    ['a made-up signature', (url: URL) => url.searchParams.set('sig', 'A'.repeat(43))],
  ])('refuses %s: a page, no details shown, the cart untouched', async (_name, tamper) => {
    const { cookie, sessionId } = await shopperWithCart();
    const url = await redirectFor();
    tamper(url);
    const res = await follow(url, cookie).expect(400);
    expect(res.text).toContain('This checkout link was changed or was not made by BestClips');
    expect(res.text).toContain('href="/checkout"');
    expect(res.text).not.toContain('Rue des Trombones');
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

  it('refuses an expired link, shows no details, and keeps the cart for another try', async () => {
    const { cookie, sessionId } = await shopperWithCart();
    const pending = pendingIdOf(await redirectFor());
    const key = deriveLinkKey(TEST_SECRET);
    const old = signPlaceOrder(pending, key, Date.now() - 6 * 60 * 1000);
    const res = await follow(new URL(buildPlaceOrderUrl(ORIGIN, old)), cookie).expect(410);
    expect(res.text).toContain('That link has expired');
    expect(res.text).not.toContain('Rue des Trombones');
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
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
    expect(withCart.text).toContain('2 &times; Superclip');
    await expectValidAmp(withCart.text, 'checkout page with a cart');
    const cacheCopy = await request(shop.app).get('/checkout').expect(200);
    expect(cacheCopy.text).toContain('action-xhr="/api/checkout"');
    await expectValidAmp(cacheCopy.text, 'checkout page without the cookie');
  }, 60_000);
});
