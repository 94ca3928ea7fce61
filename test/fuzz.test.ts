// Property-based fuzzing: thousands of random and malformed requests against every endpoint, over
// real HTTP, with random forwarded-for headers (the rate-limit key, behind a trusted proxy) and CSP
// reports. Whatever arrives: no 5xx, no crash, a cart only changes through a valid request, and a
// refused request (4xx) changes nothing at all — no cart, order, held checkout or message. A second
// run with tight limits checks every 429 the same way.
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
  // Behind a trusted proxy (loopback), so X-Forwarded-For names the client the limits count.
  shop = await testShop({ TRUST_PROXY: 'loopback' });
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
  { weight: 2, arbitrary: fc.constant('/csp-reports') },
  { weight: 1, arbitrary: junk.map((s) => `/${encodeURIComponent(s)}`) },
);
const addresses = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.constantFrom('127.0.0.1', '::1', '::ffff:10.0.0.1', 'unknown', ''),
  // Anything a header may carry (fetch refuses control characters).
  junk.map((text) => text.replace(/[^\x20-\x7e]/g, '')),
);
const forwardedFor = fc.option(
  fc.array(addresses, { minLength: 1, maxLength: 3 }).map((list) => list.join(', ')),
  { freq: 2 },
);
const cspReport = fc.record(
  {
    'document-uri': fc.oneof(fc.webUrl(), junk),
    'effective-directive': fc.oneof(fc.constantFrom('script-src-elem', 'connect-src'), junk),
    'violated-directive': junk,
    'blocked-uri': fc.oneof(
      fc.webUrl({ withQueryParameters: true }),
      fc.constantFrom('inline', 'eval', 'data'),
      junk,
    ),
    disposition: fc.constantFrom('enforce', 'report', 'x'),
  },
  { requiredKeys: [] },
);
const cspBodies = fc.oneof(
  cspReport.map((report) => ({ 'csp-report': report })),
  fc.array(
    fc.record({ type: fc.constantFrom('csp-violation', 'deprecation', ''), body: cspReport }),
    { maxLength: 5 },
  ),
  fc.jsonValue({ maxDepth: 3 }),
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
        'page',
        'limit',
      ),
      junk,
    ),
    fc.oneof(sourceOrigins, skus, quantities, pageNumbers),
    { maxKeys: 6 },
  ),
  origin: origins,
  ampSameOrigin: fc.constantFrom(undefined, 'true', 'false', ''),
  forwardedFor,
  forwardedProto: fc.constantFrom(undefined, 'https', 'http', 'gopher', ''),
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
    fc
      .tuple(
        cspBodies,
        fc.constantFrom('application/csp-report', 'application/reports+json', 'application/json'),
      )
      .map(([json, type]) => ({ kind: 'raw' as const, raw: JSON.stringify(json), type })),
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
  if (r.forwardedFor !== null) headers.set('X-Forwarded-For', r.forwardedFor);
  if (r.forwardedProto !== undefined) headers.set('X-Forwarded-Proto', r.forwardedProto);
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

/** A refusal says why in words: JSON with an `error` sentence, or a page with a heading; no stack. */
function expectReadableRefusal(res: Response, body: string): void {
  expect(body).not.toMatch(/URIError|node_modules|\n\s+at /);
  if (res.headers.get('content-type')?.startsWith('application/json')) {
    expect(JSON.parse(body).error).toMatch(/^[A-Z].+\.$/);
  } else {
    expect(body).toMatch(/<h1[^>]*>[^<]+/);
  }
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

/** Everything a refused request must leave alone. */
async function stateOf(target: Shop) {
  const memory = target.memory!;
  return JSON.stringify({
    victimCart: await target.carts.get(victim.sessionId),
    carts: memory.carts.size,
    orders: memory.orders.size,
    pending: memory.pending.size,
    messages: (await target.messages.list()).length,
  });
}

test(`${RUNS} random and malformed requests: no 5xx, each refusal says why, refused ones change nothing`, async () => {
  let statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(requests, async (r) => {
      const before = await stateOf(shop);
      const cartBefore = JSON.stringify(await shop.carts.get(victim.sessionId));
      const { url, init } = toFetch(r);
      const res = await fetch(url, init);
      const body = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status).toBeLessThan(500);
      if (res.status >= 400) {
        expect(await stateOf(shop)).toBe(before);
        if (r.method !== 'HEAD') expectReadableRefusal(res, body);
      }
      const cartAfter = JSON.stringify(await shop.carts.get(victim.sessionId));
      if (cartAfter !== cartBefore) {
        expect(couldChangeVictimCart(r)).toBe(true);
        expect(res.status).toBe(200);
      }
      await expectSaneCart(victim.sessionId);
    }),
    { numRuns: RUNS },
  );
  statuses = new Map([...statuses].sort(([a], [b]) => a - b));
  console.log(`fuzz: ${RUNS} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
}, 180_000);

test('with tight limits: every 429 says when to retry, and changes nothing', async () => {
  const limited = await testShop({
    TRUST_PROXY: 'loopback',
    RATE_LIMIT_POSTS: '3',
    RATE_LIMIT_LINKS: '3',
    RATE_LIMIT_REPORTS: '3',
  });
  const limitedServer = limited.app.listen(0);
  await new Promise((done) => limitedServer.once('listening', done));
  const limitedBase = `http://127.0.0.1:${(limitedServer.address() as AddressInfo).port}`;
  // A few clients, so each soon runs out.
  const fewClients = fc.record({
    request: requests,
    client: fc.constantFrom('203.0.113.1', '203.0.113.2', '2001:db8::1', 'junk'),
  });
  let refused = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fewClients, async ({ request: r, client }) => {
        const before = await stateOf(limited);
        const { url, init } = toFetch({ ...r, forwardedFor: client });
        const res = await fetch(url.replace(base, limitedBase), init);
        const body = await res.text();
        expect(res.status).toBeLessThan(500);
        if (res.status !== 429) return;
        refused++;
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        if (r.path.startsWith('/api/'))
          expect(JSON.parse(body).error).toMatch(/Please wait \d+ seconds?/);
        expect(await stateOf(limited)).toBe(before);
      }),
      { numRuns: 2000 },
    );
  } finally {
    await new Promise((done) => limitedServer.close(done));
  }
  expect(refused).toBeGreaterThan(100);
  console.log(`fuzz with tight limits: 2000 requests, ${refused} refused with 429`);
}, 120_000);
