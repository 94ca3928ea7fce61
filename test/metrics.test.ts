// GET /metrics: Prometheus text with every request timed by route and status, and the flow's
// outcomes counted as the steps report them. Each test reads the counters before and after a flow.
import request from 'supertest';
import type { Shop } from '../server/app';
import { CALLER_REFUSALS } from '../server/amp/amp-cors';
import { LINK_REFUSALS } from '../server/flow/flow-events';
import { buildApplyUrl, signChange } from '../server/flow/3-redirect-to-origin';
import { deriveLinkKey } from '../server/amp/signed-link';
import { startBestClips } from '../server/start';
import { loadConfig } from '../server/config';
import { CUSTOMER } from './helpers/customer';
import { freePorts } from './helpers/ports';
import { ampPost, ORIGIN, TEST_SECRET, testShop, visitOrigin } from './helpers/shop';

/** One sample of the text format: `name{label="value",…} number`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]),
      );
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/** The value of the one sample named `name` whose labels include `labels` (0 when absent). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length > 1) throw new Error(`${found.length} samples match ${name}`);
  return found[0]?.value ?? 0;
}

async function scrape(shop: Shop): Promise<Sample[]> {
  const res = await request(shop.app).get('/metrics').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseSamples(res.text);
}

/** How much each named counter moved while `act` ran. */
async function moved(shop: Shop, act: () => Promise<unknown>) {
  const before = await scrape(shop);
  await act();
  const after = await scrape(shop);
  return (name: string, labels: Record<string, string> = {}) =>
    valueOf(after, name, labels) - valueOf(before, name, labels);
}

const ADD = { sku: 'SC-NAT-100', quantity: '1' };
const CHANGES = 'bestclips_cart_changes_total';
const LINKS = 'bestclips_apply_links_total';
const REFUSED = 'bestclips_amp_callers_refused_total';

describe('GET /metrics (development: on the shop port)', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await testShop();
  });

  it('lists every flow outcome from the start, at 0, and creates no session', async () => {
    const res = await request(shop.app).get('/metrics').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    const fresh = parseSamples(res.text);
    for (const outcome of ['applied', ...LINK_REFUSALS]) {
      expect(fresh).toContainEqual({ name: LINKS, labels: { outcome }, value: 0 });
    }
    for (const path of ['direct', 'redirected']) {
      expect(fresh).toContainEqual({ name: CHANGES, labels: { path }, value: 0 });
    }
    for (const reason of CALLER_REFUSALS) {
      expect(fresh).toContainEqual({ name: REFUSED, labels: { reason }, value: 0 });
    }
    expect(valueOf(fresh, 'bestclips_orders_placed_total')).toBe(0);
    expect(valueOf(fresh, 'bestclips_store_unavailable_total')).toBe(0);
  });

  it('a cache→origin flow: one redirect, one link applied, then a replay and refused links', async () => {
    const delta = await moved(shop, async () => {
      const post = await ampPost(shop, '/api/cart/add', { from: 'google-cache', fields: ADD });
      const apply = new URL(post.headers['amp-redirect-to']);
      const applyPath = apply.pathname + apply.search;
      await request(shop.app).get(applyPath).expect(303);
      await request(shop.app).get(applyPath).expect(303); // a reload: replayed
      const forged = new URL(apply);
      forged.searchParams.set('quantity', '9');
      await request(shop.app)
        .get(forged.pathname + forged.search)
        .expect(400);
      const change = { op: 'add', sku: 'SC-NAT-100', quantity: 1 } as const;
      const old = signChange(change, deriveLinkKey(TEST_SECRET), Date.now() - 6 * 60 * 1000);
      const expired = new URL(buildApplyUrl(ORIGIN, change, 'Superclip', old));
      await request(shop.app)
        .get(expired.pathname + expired.search)
        .expect(410);
      await request(shop.app).get('/cart/apply?op=add').expect(400);
    });
    expect(delta(CHANGES, { path: 'redirected' })).toBe(1);
    expect(delta(CHANGES, { path: 'direct' })).toBe(0);
    for (const outcome of ['applied', 'replayed', 'forged', 'expired', 'malformed']) {
      expect([outcome, delta(LINKS, { outcome })]).toEqual([outcome, 1]);
    }
    const applyRequests = delta('bestclips_http_request_duration_seconds_count', {
      method: 'GET',
      route: '/cart/apply',
      status: '303',
    });
    expect(applyRequests).toBe(2);
  });

  it('direct applies, refused callers and orders', async () => {
    const shopper = await visitOrigin(shop);
    const delta = await moved(shop, async () => {
      const cookie = shopper.cookie;
      await ampPost(shop, '/api/cart/add', { from: 'origin', cookie, fields: ADD }).expect(200);
      await ampPost(shop, '/api/cart/add', { from: 'google-cache', cookie, fields: ADD }).expect(
        200,
      );
      await request(shop.app)
        .post(`/api/cart/add?__amp_source_origin=${encodeURIComponent(ORIGIN)}`)
        .set('Origin', 'https://evil.example')
        .type('form')
        .send(ADD)
        .expect(403);
      await request(shop.app).post('/api/cart/add').type('form').send(ADD).expect(400);
      const fields = { ...CUSTOMER };
      await ampPost(shop, '/api/checkout', { from: 'origin', cookie, fields }).expect(200);
    });
    expect(delta(CHANGES, { path: 'direct' })).toBe(2);
    expect(delta(CHANGES, { path: 'redirected' })).toBe(0);
    expect(delta(REFUSED, { reason: 'foreign-origin' })).toBe(1);
    expect(delta(REFUSED, { reason: 'not-amp' })).toBe(1);
    expect(delta('bestclips_orders_placed_total')).toBe(1);
    const posts = (status: string) =>
      delta('bestclips_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/cart/:op',
        status,
      });
    expect([posts('200'), posts('403'), posts('400')]).toEqual([2, 1, 1]);
  });

  it('times requests by route pattern, never by URL', async () => {
    await request(shop.app).get('/products/superclip').expect(200);
    await request(shop.app).get('/no-such-page').expect(404);
    const samples = await scrape(shop);
    const routes = new Set(samples.map((sample) => sample.labels.route).filter(Boolean));
    expect(routes).toContain('/products/:slug');
    expect(routes).toContain('(no route)');
    expect(routes).not.toContain('/products/superclip');
    expect(routes).not.toContain('/no-such-page');
  });
});

describe('store unavailable', () => {
  it('counts the 503s answered while Redis cannot be reached', async () => {
    const [closedPort] = await freePorts();
    const shop = await testShop({ REDIS_URL: `redis://127.0.0.1:${closedPort}` });
    try {
      const delta = await moved(shop, () => request(shop.app).get('/cart').expect(503));
      expect(delta('bestclips_store_unavailable_total')).toBe(1);
    } finally {
      await shop.close();
    }
  });
});

describe('where metrics are served', () => {
  it('production: not on the public port; on METRICS_PORT when it is set', async () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: TEST_SECRET, LOG_LEVEL: 'silent' };
    const offShop = await testShop(production);
    await request(offShop.app).get('/metrics').expect(404);

    const [port, metricsPort] = await freePorts();
    const running = await startBestClips(
      loadConfig({
        ...production,
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        CACHE: 'off',
      }),
    );
    try {
      expect(running.metricsPort).toBe(metricsPort);
      await request(`http://127.0.0.1:${port}`).get('/metrics').expect(404);
      await request(`http://127.0.0.1:${port}`).get('/').expect(200);
      const res = await request(`http://127.0.0.1:${metricsPort}`).get('/metrics').expect(200);
      const samples = parseSamples(res.text);
      expect(
        valueOf(samples, 'bestclips_http_request_duration_seconds_count', {
          route: '/',
          status: '200',
        }),
      ).toBe(1);
      // The process's own figures come along (prom-client's default metrics).
      expect(samples.some((sample) => sample.name === 'process_resident_memory_bytes')).toBe(true);
      await request(`http://127.0.0.1:${metricsPort}`).get('/').expect(404);
    } finally {
      await running.close();
    }
  });
});
