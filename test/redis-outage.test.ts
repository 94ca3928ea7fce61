// Redis down, restarted or frozen while instances serve: every request that needs it fails fast
// with a 503 (JSON for the API, an AMP page otherwise) and a log line, /readyz says so, and the
// instances recover by themselves when Redis is back — with the carts it kept.
import request from 'supertest';
import { REDIS_TIMEOUTS } from '../server/stores/redis/client';
import { STORE_UNAVAILABLE } from '../server/store-unavailable';
import { describeWithRedis, RedisServer } from './helpers/redis-server';
import { messages, startInstance, type Instance } from './helpers/redis-shops';
import { ampPost, ORIGIN, visitOrigin } from './helpers/shop';

const FAST_MS = 500;
const UNAVAILABLE = { status: 'unavailable', unavailable: ['redis'] };

describeWithRedis('Redis outages (real redis-server)', () => {
  let redis: RedisServer;
  let a: Instance;
  let b: Instance;
  const instances: Instance[] = [];

  beforeAll(async () => {
    // Persistent, as in production: a restart keeps the carts.
    redis = await RedisServer.start({ persistent: true });
    [a, b] = await Promise.all([startInstance(redis.url), startInstance(redis.url)]);
    instances.push(a, b);
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await redis?.dispose();
  });

  it('a Redis restart: fast 503s while it is down, /readyz flips, then all works again', async () => {
    const shopper = await visitOrigin(a.url);
    const add = (target: Instance) =>
      ampPost(target.url, '/api/cart/add', {
        from: 'origin',
        cookie: shopper.cookie,
        fields: { sku: 'SC-NAT-100', quantity: '1' },
      });
    await add(a).expect(200);

    await redis.stop('SIGKILL');
    await waitForReadiness([a, b], 503);

    // A cache POST needs no store (it only signs the change), so the shopper gets the apply URL…
    const post = await ampPost(b.url, '/api/cart/add', {
      from: 'google-cache',
      fields: { sku: 'CL-SLV-100', quantity: '2' },
    }).expect(200);
    const applyUrl = new URL(post.headers['amp-redirect-to']);
    const applyPath = applyUrl.pathname + applyUrl.search;

    // …but everything that reads or writes a session, a cart or a nonce answers 503 at once.
    const api = await timed(() => add(b));
    expect(api.res.status).toBe(503);
    expect(api.res.body).toEqual({ error: STORE_UNAVAILABLE.message });
    expect(api.res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(api.res.headers['retry-after']).toBe('5');
    const pages = await Promise.all([
      timed(() => request(a.url).get('/cart').set('Cookie', shopper.cookie)),
      timed(() => request(b.url).get('/checkout')),
      timed(() => request(a.url).get(applyPath)),
    ]);
    // Shared pages need no store at all: the shop stays browsable.
    await request(b.url).get('/products/superclip').expect(200);
    for (const { res } of pages) {
      expect(res.status).toBe(503);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain(STORE_UNAVAILABLE.title);
      expect(res.text).not.toMatch(/\bat \S+ \(/); // no stack trace
    }
    for (const { ms } of [api, ...pages]) expect(ms).toBeLessThan(FAST_MS);
    for (const target of [a, b]) {
      await request(target.url).get('/readyz').expect(503, UNAVAILABLE);
    }
    const logged = messages(a);
    expect(logged.filter((m) => m.startsWith('Redis unavailable'))).toHaveLength(1);
    expect(logged).toContain('Store unavailable: answered 503');

    // An instance started while Redis is down starts anyway, not ready.
    const started = Date.now();
    const c = await startInstance(redis.url);
    instances.push(c);
    expect(Date.now() - started).toBeLessThan(5000);
    await request(c.url).get('/readyz').expect(503, UNAVAILABLE);

    // Redis comes back: every instance reconnects by itself.
    await redis.restart();
    await waitForReadiness([a, b, c], 200);
    expect(messages(a)).toContain('Redis is back');
    expect(messages(c)).toContain('Redis connected');

    // The cart survived; the apply URL that failed with 503 was not used up, so it works now.
    await add(c).expect(200);
    expect(await b.shop.carts.get(shopper.sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
    await request(c.url).get(applyPath).expect(303);
  }, 20_000);

  it('a Redis that stops answering: requests give up after the command timeout, then recover', async () => {
    const shopper = await visitOrigin(b.url);
    redis.pause();
    try {
      const slow = await timed(() => request(b.url).get('/cart').set('Cookie', shopper.cookie));
      expect(slow.res.status).toBe(503);
      expect(slow.ms).toBeGreaterThanOrEqual(REDIS_TIMEOUTS.commandMs - 50);
      expect(slow.ms).toBeLessThan(REDIS_TIMEOUTS.commandMs + FAST_MS);
      const ready = await timed(() => request(a.url).get('/readyz'));
      expect(ready.res.status).toBe(503);
      expect(ready.ms).toBeLessThan(REDIS_TIMEOUTS.commandMs + FAST_MS);
    } finally {
      redis.resume();
    }
    await waitForReadiness([a, b], 200);
    await request(b.url).get('/cart').set('Cookie', shopper.cookie).expect(200);
  }, 20_000);
});

async function timed(send: () => PromiseLike<request.Response>) {
  const started = Date.now();
  const res = await send();
  return { res, ms: Date.now() - started };
}

/** Polls /readyz on every instance until each answers `status` (for at most 5 s). */
async function waitForReadiness(instances: Instance[], status: 200 | 503): Promise<void> {
  const deadline = Date.now() + 5000;
  for (const instance of instances) {
    while ((await request(instance.url).get('/readyz')).status !== status) {
      if (Date.now() > deadline) throw new Error(`${instance.url}/readyz never answered ${status}`);
      await new Promise((done) => setTimeout(done, 50));
    }
  }
}
