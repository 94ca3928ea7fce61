// Property-based fuzzing: thousands of random and malformed requests against every endpoint, over
// real HTTP. Whatever arrives: no 5xx, no crash, and a cart only changes through a valid request.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import fc from 'fast-check';
import type { Shop } from '../server/app';
import { MAX_CART_LINES, maxQuantityFor } from '../server/cart/cart';
import { GOOGLE_CACHE, LOCAL_CACHE, ORIGIN, testShop, visitOrigin } from './helpers/shop';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

let shop: Shop;
let server: Server;
let base: string;
let victim: { cookie: string; sessionId: string };

beforeAll(async () => {
  shop = await testShop();
  server = shop.app.listen(0);
  await new Promise((done) => server.once('listening', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  victim = await visitOrigin(shop);
  await shop.carts.apply(victim.sessionId, { op: 'add', sku: 'SC-NAT-100', quantity: 2 });
});
afterAll(() => new Promise((done) => server.close(done)));

const junk = fc.string({ maxLength: 40, unit: 'binary' });
const paths = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('/api/cart/add', '/api/cart/set', '/api/cart/remove') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '/api/cart/summary',
      '/api/cart/product/superclip',
      '/api/cart/product/%FF',
      '/api/checkout',
      '/api/checkout/place',
      '/api/contact',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('/api/cart/steal', '/api/cart/', '/api/cart/add/x') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '/cart/apply',
      '/cart/cookie-check',
      '/cart',
      '/',
      '/products/%FF',
      '/products/superclip',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('/checkout', '/checkout/place', '/orders/BC-0000-0000', '/contact'),
  },
  { weight: 1, arbitrary: junk.map((s) => `/${encodeURIComponent(s)}`) },
);
const sourceOrigins = fc.constantFrom(ORIGIN, LOCAL_CACHE, 'https://evil.example', '', 'null');
const origins = fc.constantFrom(
  undefined,
  ORIGIN,
  GOOGLE_CACHE,
  LOCAL_CACHE,
  'https://evil.example',
  'null',
);
const skus = fc.oneof(fc.constantFrom('SC-NAT-100', 'SC-GRN-100', 'JB-GLD-100', 'NOPE'), junk);
const quantities = fc.oneof(
  fc.constantFrom('1', '3', '10', '11', '0', '-1', '1e1', '0x2', '2.5', ''),
  junk,
);
const pageNumbers = fc.oneof(
  fc.constantFrom('1', '2', '0', '-1', '1.5', '999999', '1e3', ' 1', '01'),
  fc.integer().map(String),
);
const fieldSets = fc.dictionary(
  fc.oneof(
    fc.constantFrom('sku', 'quantity', 'price', '__amp_source_origin', 'op'),
    fc.constantFrom('name', 'email', 'street', 'city', 'postcode', 'country', 'message', 'pending'),
    junk,
  ),
  fc.oneof(skus, quantities, fc.constantFrom('Ana', 'ana@example.com', 'x'.repeat(300))),
  { maxKeys: 6 },
);

const requests = fc.record({
  method: fc.oneof(
    { weight: 7, arbitrary: fc.constant('POST') },
    { weight: 3, arbitrary: fc.constantFrom('GET', 'PUT', 'OPTIONS', 'HEAD') },
  ),
  path: paths,
  sourceOrigin: fc.option(sourceOrigins, { freq: 4 }),
  query: fc.dictionary(
    fc.oneof(
      fc.constantFrom(
        '__amp_source_origin',
        'op',
        'sku',
        'quantity',
        'exp',
        'nonce',
        'sig',
        'category',
        'sort',
        'page',
        'page',
        'pending',
      ),
      junk,
    ),
    fc.oneof(sourceOrigins, skus, quantities, pageNumbers),
    { maxKeys: 6 },
  ),
  origin: origins,
  ampSameOrigin: fc.constantFrom(undefined, 'true', 'false', ''),
  cookie: fc.oneof(
    fc.constant(undefined),
    fc.constant('victim'),
    fc.constant('victim'),
    junk.map((s) => `bestclips.sid=${encodeURIComponent(s)}`),
  ),
  body: fc.oneof(
    fieldSets.map((fields) => ({ kind: 'urlencoded' as const, fields })),
    fieldSets.map((fields) => ({ kind: 'multipart' as const, fields })),
    junk.map((raw) => ({ kind: 'raw' as const, raw, type: 'multipart/form-data; boundary=x' })),
    junk.map((raw) => ({ kind: 'raw' as const, raw, type: 'application/json' })),
    fc.constant({ kind: 'none' as const }),
  ),
});

type FuzzRequest = typeof requests extends fc.Arbitrary<infer T> ? T : never;

function toFetch(r: FuzzRequest): { url: string; init: RequestInit } {
  const url = new URL(r.path, base);
  if (r.sourceOrigin !== null) url.searchParams.set('__amp_source_origin', r.sourceOrigin);
  for (const [key, value] of Object.entries(r.query)) url.searchParams.append(key, value);
  const headers = new Headers();
  if (r.origin) headers.set('Origin', r.origin);
  if (r.ampSameOrigin !== undefined) headers.set('AMP-Same-Origin', r.ampSameOrigin);
  if (r.cookie) headers.set('Cookie', r.cookie === 'victim' ? victim.cookie : r.cookie);
  let body: BodyInit | undefined;
  if (r.method !== 'GET' && r.method !== 'HEAD' && r.body.kind !== 'none') {
    if (r.body.kind === 'raw') {
      headers.set('Content-Type', r.body.type);
      body = r.body.raw;
    } else if (r.body.kind === 'urlencoded') {
      body = new URLSearchParams(r.body.fields);
    } else {
      const form = new FormData();
      for (const [key, value] of Object.entries(r.body.fields)) form.append(key, value);
      body = form;
    }
  }
  return { url: url.href, init: { method: r.method, headers, body, redirect: 'manual' } };
}

/** The only requests allowed to change the victim's cart: its own cookie, a trusted page, a valid
 * form (a cart change, or an order that empties the cart). */
function couldChangeVictimCart(r: FuzzRequest): boolean {
  const cartForm = r.path.startsWith('/api/cart/') || r.path === '/api/checkout';
  return r.cookie === 'victim' && r.method === 'POST' && cartForm;
}

async function expectSaneCart(sessionId: string): Promise<void> {
  const cart = await shop.carts.get(sessionId);
  expect(cart.length).toBeLessThanOrEqual(MAX_CART_LINES);
  for (const line of cart) {
    const ref = shop.catalog.findVariant(line.sku);
    expect(ref).toBeDefined();
    expect(Number.isInteger(line.quantity)).toBe(true);
    expect(line.quantity).toBeGreaterThanOrEqual(1);
    expect(line.quantity).toBeLessThanOrEqual(maxQuantityFor(ref!.variant));
  }
}

test(`${RUNS} random and malformed requests: no 5xx, carts change only through valid requests`, async () => {
  let statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(requests, async (r) => {
      const before = JSON.stringify(await shop.carts.get(victim.sessionId));
      const { url, init } = toFetch(r);
      const res = await fetch(url, init);
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status).toBeLessThan(500);
      const after = JSON.stringify(await shop.carts.get(victim.sessionId));
      if (after !== before) {
        expect(couldChangeVictimCart(r)).toBe(true);
        expect(res.status).toBe(200);
      }
      await expectSaneCart(victim.sessionId);
    }),
    { numRuns: RUNS },
  );
  statuses = new Map([...statuses].sort(([a], [b]) => a - b));
  console.log(`fuzz: ${RUNS} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
}, 120_000);
