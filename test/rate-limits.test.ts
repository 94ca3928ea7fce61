// Abuse limits: per client, on form posts and on links that act, never on shared pages; over the
// limit a 429 with Retry-After that amp-form (JSON with CORS headers) or a person (an AMP page)
// can show; behind TRUST_PROXY each forwarded client counts on its own; with REDIS_URL the count
// is shared by every instance.
import { createClient } from 'redis';
import request from 'supertest';
import type { Shop } from '../server/app';
import { clientKey, TOO_MANY_TITLE, tooManyMessage } from '../server/rate-limits';
import { DEFAULT_KEY_PREFIX, redisKeys } from '../server/stores/redis/keys';
import { CUSTOMER } from './helpers/customer';
import { describeWithRedis, RedisServer } from './helpers/redis-server';
import { startInstance, type Instance } from './helpers/redis-shops';
import { ampPost, GOOGLE_CACHE, ORIGIN, testShop, visitOrigin } from './helpers/shop';

const LIMITS = {
  RATE_LIMIT_WINDOW_SECONDS: '60',
  RATE_LIMIT_POSTS: '3',
  RATE_LIMIT_LINKS: '2',
  RATE_LIMIT_REPORTS: '2',
};

const add = (shop: Shop | string, cookie?: string, forwardedFor?: string) => {
  const req = ampPost(shop, '/api/cart/add', {
    from: 'origin',
    cookie,
    fields: { sku: 'SC-NAT-100', quantity: '1' },
  });
  return forwardedFor ? req.set('X-Forwarded-For', forwardedFor) : req;
};

describe('clientKey', () => {
  it('is the address Express reports, IPv6 per /56, IPv4-mapped IPv6 as IPv4', () => {
    expect(clientKey('203.0.113.7', '127.0.0.1')).toBe('203.0.113.7');
    expect(clientKey('2001:db8:1:2ff:aaaa::1', '::1')).toBe('2001:db8:1:200::/56');
    expect(clientKey('2001:db8:1:2ee:bbbb::2', '::1')).toBe('2001:db8:1:200::/56');
    expect(clientKey('::ffff:198.51.100.4', '::1')).toBe('198.51.100.4');
  });

  it('falls back to the connection’s address when the reported one is not an address', () => {
    for (const junk of ['', 'unknown', '<script>', '1.2.3', '999.1.1.1', 'a'.repeat(500)]) {
      expect(clientKey(junk, '192.0.2.1')).toBe('192.0.2.1');
    }
    expect(clientKey(undefined, '192.0.2.1')).toBe('192.0.2.1');
    expect(clientKey(undefined, undefined)).toBe('unknown');
  });
});

describe('limits in one process', () => {
  let shop: Shop;
  beforeEach(async () => {
    shop = await testShop(LIMITS);
  });

  it('form posts: over the limit a 429 amp-form can read and show, and nothing changes', async () => {
    const { cookie, sessionId } = await visitOrigin(shop);
    for (let i = 0; i < 3; i++) await add(shop, cookie).expect(200);
    const res = await add(shop, cookie).expect(429);
    const seconds = Number(res.headers['retry-after']);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(res.body).toEqual({ error: tooManyMessage(seconds) });
    expect(res.body.error).toMatch(
      /^We got a lot of requests from you .* Please wait \d+ seconds? and try again\.$/,
    );
    // The AMP CORS headers are there, so the runtime may read the answer and render submit-error.
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 3 }]);
    // Every form post counts against the same budget: checkout and contact are refused too.
    await ampPost(shop, '/api/checkout', {
      from: 'origin',
      cookie,
      fields: { ...CUSTOMER },
    }).expect(429);
    await ampPost(shop, '/api/contact', {
      from: 'google-cache',
      fields: { name: 'Ana', email: 'ana@example.com', message: 'Hello' },
    }).expect(429);
    expect(await shop.messages.list()).toHaveLength(0);
  });

  it('a post from another site is refused by the CORS gate and does not use up the budget', async () => {
    for (let i = 0; i < 5; i++) {
      await request(shop.app)
        .post(`/api/cart/add?__amp_source_origin=${encodeURIComponent(ORIGIN)}`)
        .set('Origin', 'https://evil.example')
        .field({ sku: 'SC-NAT-100', quantity: '1' })
        .expect(403);
    }
    await add(shop).expect(200);
  });

  it('shared pages and the cart badge are never limited', async () => {
    for (let i = 0; i < 10; i++) {
      await request(shop.app).get('/').expect(200);
      await request(shop.app).get('/products/superclip').expect(200);
      await ampPost(shop, '/api/cart/add', {
        from: 'google-cache',
        fields: { sku: 'NOPE', quantity: '1' },
      });
    }
    await request(shop.app).get('/contact').expect(200);
    await request(shop.app)
      .get(`/api/cart/summary?__amp_source_origin=${encodeURIComponent(ORIGIN)}`)
      .set('Origin', GOOGLE_CACHE)
      .expect(200);
  });

  it('links that act: over the limit a friendly page, no session, nothing applied', async () => {
    const links: string[] = [];
    for (let i = 0; i < 3; i++) {
      const post = await ampPost(shop, '/api/cart/add', {
        from: 'google-cache',
        fields: { sku: 'SC-NAT-100', quantity: '1' },
      });
      const url = new URL(post.headers['amp-redirect-to']);
      links.push(url.pathname + url.search);
    }
    // The posts above used up the post budget (3), not the link budget (2).
    await request(shop.app).get(links[0]).expect(303);
    await request(shop.app).get('/checkout/place?pending=x').expect(400);
    const res = await request(shop.app).get(links[1]).expect(429);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain(TOO_MANY_TITLE);
    expect(res.text).toContain(tooManyMessage(Number(res.headers['retry-after'])));
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    // Nothing was applied by the refused link: the only cart is the first link's.
    expect(shop.memory!.carts.size).toBe(1);
  });

  it('without TRUST_PROXY, X-Forwarded-For is ignored: a forged header buys no new budget', async () => {
    for (let i = 0; i < 3; i++) await add(shop, undefined, `198.51.100.${i}`).expect(200);
    await add(shop, undefined, '198.51.100.99').expect(429);
  });
});

describe('behind a trusted proxy (TRUST_PROXY)', () => {
  it('each client the proxy names has its own budget; junk in the header counts as the proxy', async () => {
    const shop = await testShop({ ...LIMITS, TRUST_PROXY: 'loopback' });
    for (let i = 0; i < 3; i++) await add(shop, undefined, '203.0.113.1').expect(200);
    await add(shop, undefined, '203.0.113.1').expect(429);
    // The proxy appends the address it saw: a client's own forged entries come first.
    await add(shop, undefined, '10.9.9.9, 203.0.113.1').expect(429);
    await add(shop, undefined, '203.0.113.2').expect(200);
    await add(shop, undefined, '2001:db8:5:5::1').expect(200);
    // IPv6 neighbours in the same /56 share one budget.
    await add(shop, undefined, '2001:db8:5:5::2').expect(200);
    await add(shop, undefined, '2001:db8:5:ff::3').expect(200);
    await add(shop, undefined, '2001:db8:5:5::4').expect(429);
    for (let i = 0; i < 3; i++) await add(shop, undefined, 'not-an-address').expect(200);
    await add(shop, undefined, `junk-${Math.random()}`).expect(429);
  });
});

describeWithRedis('limits shared by two instances (real redis-server)', () => {
  let redis: RedisServer;
  let a: Instance;
  let b: Instance;
  beforeAll(async () => {
    redis = await RedisServer.start();
    [a, b] = await Promise.all([
      startInstance(redis.url, LIMITS),
      startInstance(redis.url, LIMITS),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.dispose();
  });

  it('a client’s posts count on every instance; the counter expires with the window', async () => {
    await add(a.url).expect(200);
    await add(b.url).expect(200);
    await add(a.url).expect(200);
    const refused = await add(b.url).expect(429);
    expect(refused.body).toEqual({ error: tooManyMessage(Number(refused.headers['retry-after'])) });
    await add(a.url).expect(429);
    const key = `${redisKeys(DEFAULT_KEY_PREFIX).rateLimitPrefix('posts')}127.0.0.1`;
    const raw = await createClient({ url: redis.url }).connect();
    try {
      expect(await raw.get(key)).toBe('5');
      const ttl = await raw.pTTL(key);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      raw.destroy();
    }
  });
});
