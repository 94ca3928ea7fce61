// Step 4 with the store failing at the worst moment. Using up an apply link and applying its change
// are one atomic step (CartStore.applyOnce), so a failure in the middle of it can neither lose the
// change nor apply it twice: the shopper gets the 503 page, and the same link, opened again once
// the store is back, leaves the change in the cart exactly once. A proxy between the shop and a
// real Redis cuts the connection at the cart script of the link: before Redis runs it (the request
// is lost), or after Redis ran it and before the shop heard the answer (the answer is lost).
import request from 'supertest';
import { DEFAULT_KEY_PREFIX, redisKeys } from '../server/stores/redis/keys';
import { STORE_UNAVAILABLE } from '../server/store-unavailable';
import { RedisProxy, type Cut } from './helpers/redis-proxy';
import { describeWithRedis, RedisServer } from './helpers/redis-server';
import { startInstance, type Instance } from './helpers/redis-shops';
import { ampPost, visitOrigin } from './helpers/shop';

const keys = redisKeys(DEFAULT_KEY_PREFIX);

describeWithRedis('an apply link when Redis fails during its change (real redis-server)', () => {
  let redis: RedisServer;
  let proxy: RedisProxy;
  let shop: Instance;

  beforeAll(async () => {
    redis = await RedisServer.start();
    proxy = await RedisProxy.start(redis.port);
    shop = await startInstance(proxy.url);
  });
  afterAll(async () => {
    await shop.close();
    await proxy.close();
    await redis.dispose();
  });

  it.each<[Cut, string]>([
    ['request', 'before Redis runs the change'],
    ['answer', 'after Redis ran the change, before the shop hears of it'],
  ])(
    'a cut %s (%s): a 503, then the same link changes the cart once',
    async (cut) => {
      const { cookie, sessionId } = await visitOrigin(shop.url);
      // A cache page without the cookie: the change comes back as a signed, single-use link.
      const post = await ampPost(shop.url, '/api/cart/add', {
        from: 'google-cache',
        fields: { sku: 'SC-NAT-100', quantity: '2' },
      }).expect(200);
      const link = new URL(post.headers['amp-redirect-to']);
      const open = () =>
        request(shop.url)
          .get(link.pathname + link.search)
          .set('Cookie', cookie);

      // The script that changes this cart: it names the cart and the SKU (reading the cart does not).
      const cutDone = proxy.cutOnce({
        when: (written) =>
          written.includes(`${keys.cart(sessionId).lines}\r\n`) &&
          written.includes('\r\nSC-NAT-100\r\n'),
        cut,
      });
      const failed = await open();
      await cutDone;
      expect(failed.status).toBe(503);
      expect(failed.text).toContain(STORE_UNAVAILABLE.title);

      await untilReady(shop);
      const retry = await open().expect(303);
      const replay = await open().expect(303);
      expect(replay.headers.location).toBe('/cart');
      expect(await shop.shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
      // Whichever way it went (applied now, or already), the shopper ends on their cart.
      expect(retry.headers.location).toBe('/cart');
    },
    20_000,
  );
});

/** Polls /readyz until the instance has reconnected (for at most 5 s). */
async function untilReady(instance: Instance): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await request(instance.url).get('/readyz')).status !== 200) {
    if (Date.now() > deadline) throw new Error(`${instance.url} did not reconnect`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
