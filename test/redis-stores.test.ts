// The Redis stores against a real redis-server: the cart script decides exactly as the pure rules
// do (same results, same words, same line order), keys expire with the idle time, a change by a
// single-use link applies once, and orders and held checkouts do what the in-memory stores do, with the same TTLs.
import fc from 'fast-check';
import { applyCartChange, type Cart, type CartChange } from '../server/cart/cart';
import { loadCatalog } from '../server/catalog/load-catalog';
import { createLogger } from '../server/logger';
import { LINK_TTL_SECONDS } from '../server/amp/signed-link';
import { buildOrder, newOrderNumber } from '../server/orders/order';
import { fromRoot } from '../server/project-root';
import { RedisCartStore } from '../server/stores/redis/cart-store';
import {
  closeRedisClient,
  connectInBackground,
  createRedisClient,
  isRedisFailure,
  RedisTooSlowError,
  type ShopRedisClient,
} from '../server/stores/redis/client';
import { DEFAULT_KEY_PREFIX, redisKeys } from '../server/stores/redis/keys';
import { RedisOrderStore } from '../server/stores/redis/order-store';
import { RedisPendingCheckouts } from '../server/stores/redis/pending-checkouts';
import { CUSTOMER } from './helpers/customer';
import { describeWithRedis, RedisServer } from './helpers/redis-server';
import {
  applyOnceContract,
  orderStoreContract,
  pendingCheckoutContract,
} from './helpers/store-contracts';

const catalog = loadCatalog(fromRoot('data', 'catalog.json'), fromRoot('public'));
const keys = redisKeys(DEFAULT_KEY_PREFIX);
const IDLE_TTL_MS = 60_000;

describeWithRedis('Redis stores (real redis-server)', () => {
  let redis: RedisServer;
  let client: ShopRedisClient;
  let carts: RedisCartStore;
  let session = 0;
  const newSession = () => `session-${++session}`;

  beforeAll(async () => {
    redis = await RedisServer.start();
    client = createRedisClient(redis.url, createLogger('silent'));
    await connectInBackground(client);
    carts = new RedisCartStore(client, catalog, keys, IDLE_TTL_MS);
  });
  afterAll(async () => {
    await closeRedisClient(client);
    await redis.dispose();
  });

  describe('the cart script', () => {
    // Every SKU (out of stock, low stock, plenty), an unknown one, and quantities 0–10, so every
    // branch is reached: the 20-line cap, stock, the per-line cap, removing what is not there.
    const skus = [...catalog.products.flatMap((p) => p.variants.map((v) => v.sku)), 'NOPE-1'];
    const change: fc.Arbitrary<CartChange> = fc.oneof(
      fc.record({
        op: fc.constantFrom('add' as const, 'set' as const),
        sku: fc.constantFrom(...skus),
        quantity: fc.integer({ min: 0, max: 10 }),
      }),
      fc.record({ op: fc.constant('remove' as const), sku: fc.constantFrom(...skus) }),
    );

    it('gives exactly what applyCartChange gives, change after change', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 60 }), async (changes) => {
          const sessionId = newSession();
          let model: Cart = [];
          for (const next of changes) {
            const expected = applyCartChange(model, next, catalog);
            expect(await carts.apply(sessionId, next)).toEqual(expected);
            if (expected.ok) model = expected.cart;
          }
          expect(await carts.get(sessionId)).toEqual(model);
        }),
        { numRuns: 60 },
      );
    });

    it('fills a cart to its 20-line cap, then refuses a 21st line in the same words', async () => {
      const sessionId = newSession();
      const inStock = catalog.products
        .flatMap((p) => p.variants)
        .filter((v) => v.stock > 0)
        .map((v) => v.sku);
      for (const sku of inStock.slice(0, 20)) {
        expect(await carts.apply(sessionId, { op: 'add', sku, quantity: 1 })).toMatchObject({
          ok: true,
        });
      }
      const extra: CartChange = { op: 'add', sku: inStock[20], quantity: 1 };
      const model = await carts.get(sessionId);
      expect(model).toHaveLength(20);
      expect(await carts.apply(sessionId, extra)).toEqual(applyCartChange(model, extra, catalog));
    });

    it('works again after Redis forgets its scripts (EVALSHA falls back to EVAL)', async () => {
      const sessionId = newSession();
      await client.sendCommand(['SCRIPT', 'FLUSH']);
      await carts.apply(sessionId, { op: 'add', sku: 'SC-NAT-100', quantity: 2 });
      expect(await carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
    });
  });

  describe('expiry', () => {
    it('gives both cart keys the idle TTL on every change and every read', async () => {
      const sessionId = newSession();
      const { lines, order } = keys.cart(sessionId);
      await carts.apply(sessionId, { op: 'add', sku: 'SC-NAT-100', quantity: 1 });
      for (const key of [lines, order]) {
        expect(await client.pTTL(key)).toBeGreaterThan(IDLE_TTL_MS - 1000);
        await client.pExpire(key, 5000);
      }
      await carts.get(sessionId);
      for (const key of [lines, order]) {
        expect(await client.pTTL(key)).toBeGreaterThan(IDLE_TTL_MS - 1000);
      }
    });
  });

  describe('changes by single-use links', () => {
    applyOnceContract(() => carts, catalog);

    it('keep a used link’s key exactly until the link expires, and no key for a refusal', async () => {
      const sessionId = newSession();
      const add = { op: 'add', sku: 'SC-NAT-100', quantity: 1 } as const;
      const link = { nonce: 'ttl-link-0123456789', expiresAtMs: Date.now() + 300_000 };
      const refused = { nonce: 'refused-link-0123456789', expiresAtMs: link.expiresAtMs };
      expect(await carts.applyOnce(sessionId, add, link)).toMatchObject({ ok: true });
      const ttl = await client.pTTL(keys.nonce(link.nonce));
      expect(ttl).toBeGreaterThan(299_000);
      expect(ttl).toBeLessThanOrEqual(300_000);
      await carts.applyOnce(sessionId, { op: 'add', sku: 'NOPE-1', quantity: 1 }, refused);
      await carts.applyOnce(sessionId, { ...add, quantity: 10 }, refused);
      expect(await client.exists(keys.nonce(refused.nonce))).toBe(0);
    });

    it('work again after Redis forgets its scripts (EVALSHA falls back to EVAL)', async () => {
      const sessionId = newSession();
      await client.sendCommand(['SCRIPT', 'FLUSH']);
      const link = { nonce: 'flushed-link-0123456789', expiresAtMs: Date.now() + 60_000 };
      await carts.applyOnce(sessionId, { op: 'add', sku: 'SC-NAT-100', quantity: 2 }, link);
      expect(await carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
    });
  });

  describe('orders', () => {
    orderStoreContract(
      (faults) => ({ carts, orders: new RedisOrderStore(client, keys, IDLE_TTL_MS, faults) }),
      catalog,
    );

    const make = (cart: Cart) => buildOrder(cart, catalog, CUSTOMER, newOrderNumber(), 0);

    it('are kept under the session’s key for the idle time, renewed by every read', async () => {
      const orders = new RedisOrderStore(client, keys, IDLE_TTL_MS);
      const sessionId = newSession();
      await carts.apply(sessionId, { op: 'add', sku: 'SC-NAT-100', quantity: 1 });
      const outcome = await orders.place(sessionId, make, 'checkout-ttl');
      if (typeof outcome === 'string') throw new Error(outcome);
      const { number } = outcome.order;
      const key = keys.order(sessionId, number);
      expect(key).toBe(`bestclips:order:{${sessionId}}:${number}`);
      expect(await client.pTTL(key)).toBeGreaterThan(IDLE_TTL_MS - 1000);
      const marker = keys.placed(sessionId, 'checkout-ttl');
      expect(await client.get(marker)).toBe(number);
      expect(await client.pTTL(marker)).toBeGreaterThan(IDLE_TTL_MS - 1000);
      await client.pExpire(key, 5000);
      expect(await orders.find(sessionId, number)).toEqual(outcome.order);
      expect(await client.pTTL(key)).toBeGreaterThan(IDLE_TTL_MS - 1000);
    });

    it('a cart change between reading the cart and keeping the order is ordered, not lost', async () => {
      const sessionId = newSession();
      await carts.apply(sessionId, { op: 'add', sku: 'SC-NAT-100', quantity: 1 });
      let slipIn = true;
      const orders = new RedisOrderStore(client, keys, IDLE_TTL_MS, {
        beforeCommit() {
          // Another request (another instance) changes the cart right now, once.
          if (slipIn) void carts.apply(sessionId, { op: 'add', sku: 'CL-SLV-100', quantity: 3 });
          slipIn = false;
        },
      });
      const outcome = await orders.place(sessionId, make);
      if (typeof outcome === 'string') throw new Error(outcome);
      expect(outcome.order.lines.map(({ sku, quantity }) => ({ sku, quantity }))).toEqual([
        { sku: 'SC-NAT-100', quantity: 1 },
        { sku: 'CL-SLV-100', quantity: 3 },
      ]);
      expect(await carts.get(sessionId)).toEqual([]);
    });

    it('a cart that keeps changing: no order, the cart kept, a sentence for the shopper', async () => {
      const sessionId = newSession();
      await carts.apply(sessionId, { op: 'add', sku: 'SC-NAT-100', quantity: 1 });
      let quantity = 1;
      const orders = new RedisOrderStore(client, keys, IDLE_TTL_MS, {
        // Every time, just before the commit, another request changes the quantity again.
        beforeCommit: () =>
          void carts.apply(sessionId, { op: 'set', sku: 'SC-NAT-100', quantity: ++quantity }),
      });
      expect(await orders.place(sessionId, make)).toBe('cart-changed');
      expect(await client.keys(keys.order(sessionId, '*'))).toEqual([]);
      expect((await carts.get(sessionId)).length).toBe(1);
    });
  });

  describe('held checkouts', () => {
    pendingCheckoutContract(() => new RedisPendingCheckouts(client, keys));

    const LINK_TTL_MS = LINK_TTL_SECONDS * 1000;
    const RECEIPT_TTL_MS = 60 * 60 * 1000;

    it('details and their claim live as long as the link; the claim outlives the details', async () => {
      const pending = new RedisPendingCheckouts(client, keys);
      const id = await pending.hold(CUSTOMER);
      const { details, claim } = keys.checkout(id);
      expect(await client.pTTL(details)).toBeGreaterThan(LINK_TTL_MS - 1000);
      expect(await client.pTTL(details)).toBeLessThanOrEqual(LINK_TTL_MS);
      await client.pExpire(details, 60_000); // a minute left
      await pending.claim(id, 's1');
      expect(await client.pTTL(claim)).toBeGreaterThan(await client.pTTL(details));
      expect(await client.pTTL(claim)).toBeLessThanOrEqual(LINK_TTL_MS);
      // Opening the link again renews nothing: the details go when the link does.
      await pending.claim(id, 's1');
      expect(await client.pTTL(details)).toBeLessThanOrEqual(60_000);
    });

    it('the receipt replaces the details, and stays an hour', async () => {
      const pending = new RedisPendingCheckouts(client, keys);
      const id = await pending.hold(CUSTOMER);
      await pending.claim(id, 's1');
      await pending.recordReceipt(id, { sessionId: 's1', orderNumber: 'BC-0000-0001' });
      const { details, receipt } = keys.checkout(id);
      expect(await client.exists(details)).toBe(0);
      expect(await client.pTTL(receipt)).toBeGreaterThan(RECEIPT_TTL_MS - 1000);
      expect(await client.pTTL(receipt)).toBeLessThanOrEqual(RECEIPT_TTL_MS);
    });

    it('expired details are gone for everyone, the session that claimed them included', async () => {
      const pending = new RedisPendingCheckouts(client, keys);
      const id = await pending.hold(CUSTOMER);
      await pending.claim(id, 's1');
      await client.pExpire(keys.checkout(id).details, 1);
      await new Promise((done) => setTimeout(done, 20));
      expect(await pending.claim(id, 's1')).toBe('gone');
      expect(await pending.claimedDetails(id, 's1')).toBeUndefined();
    });
  });
});

describe('isRedisFailure', () => {
  it('is true for what a command fails with when Redis is gone, slow or dies under it', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(isRedisFailure(reset)).toBe(true);
    // The socket's errors may come from another realm: their shape counts, not their class.
    expect(isRedisFailure({ message: 'write EPIPE', code: 'EPIPE' })).toBe(true);
    expect(isRedisFailure(new RedisTooSlowError('no answer'))).toBe(true);
  });

  it('is false for anything else', () => {
    for (const error of [new Error('bug'), { code: 'ENOENT' }, 'ECONNRESET', undefined, null]) {
      expect(isRedisFailure(error)).toBe(false);
    }
  });
});
