// Several instances behind one "load balancer" (each test picks the instance per request), sharing
// one real Redis: the flow's steps may land on different instances (a cart change's two halves, a
// checkout's three), concurrent changes lose nothing, and an instance killed mid-load loses no
// change it acknowledged.
import { createClient } from 'redis';
import request from 'supertest';
import { MESSAGE_LIMITS } from '../server/contact/message-box';
import { TRACE_TTL_MS } from '../server/flow/flow-trace';
import { VISITOR_STATE_LIMITS } from '../server/stores/memory/limits';
import { DEFAULT_KEY_PREFIX, redisKeys } from '../server/stores/redis/keys';
import { CUSTOMER } from './helpers/customer';
import { describeWithRedis, RedisServer } from './helpers/redis-server';
import { skusInStock, startInstance, type Instance } from './helpers/redis-shops';
import { startServerProcess, type ServerProcess } from './helpers/server-process';
import {
  ampPost,
  GENEROUS_LIMITS,
  ORIGIN,
  sessionCookieOf,
  TEST_SECRET,
  visitOrigin,
} from './helpers/shop';

describeWithRedis('two instances sharing one Redis', () => {
  let redis: RedisServer;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    redis = await RedisServer.start();
    [a, b] = await Promise.all([startInstance(redis.url), startInstance(redis.url)]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.dispose();
  });

  it('a cache POST on A redirects; the apply GET on B lands in the cart A and B both see', async () => {
    // Step 3 on A: a cache page whose browser blocks third-party cookies (no cookie is sent).
    const post = await ampPost(a.url, '/api/cart/add', {
      from: 'google-cache',
      fields: { sku: 'SC-NAT-100', quantity: '2' },
    }).expect(200);
    const applyUrl = new URL(post.headers['amp-redirect-to']);
    expect(applyUrl.origin).toBe(ORIGIN);
    const applyPath = applyUrl.pathname + applyUrl.search;

    // Step 4 on B: the top-level GET creates the session there and applies the change.
    const applied = await request(b.url).get(applyPath).expect(303);
    expect(applied.headers.location).toBe('/cart/cookie-check');
    const { cookie, sessionId } = sessionCookieOf(applied);

    // The cookie check on A knows B's session; the cart page on B shows the line.
    await request(a.url).get('/cart/cookie-check').set('Cookie', cookie).expect(303);
    const cartPage = await request(b.url).get('/cart').set('Cookie', cookie).expect(200);
    expect(cartPage.text).toContain('Superclip');
    expect(await a.shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);

    // Single use across instances: replaying the apply URL on A changes nothing.
    await request(a.url)
      .get(applyPath)
      .set('Cookie', cookie)
      .expect(303)
      .expect('Location', '/cart');
    expect(await b.shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);
  });

  it('checkout: the cache POST on A, the confirmation page on B, "Place order" on A; one order, seen on B', async () => {
    const { cookie, sessionId } = await visitOrigin(b.url);
    await ampPost(a.url, '/api/cart/add', {
      from: 'origin',
      cookie,
      fields: { sku: 'SC-NAT-100', quantity: '2' },
    }).expect(200);

    // Step 3 on A: the checkout form on a cache page whose browser blocks the cookie.
    const post = await ampPost(a.url, '/api/checkout', {
      from: 'google-cache',
      fields: { ...CUSTOMER },
    }).expect(200);
    const link = new URL(post.headers['amp-redirect-to']);
    const pending = link.searchParams.get('pending') ?? '';

    // Step 4 on B: the details A held, this session's cart, a button; nothing placed.
    const page = await request(b.url)
      .get(link.pathname + link.search)
      .set('Cookie', cookie)
      .expect(200);
    expect(page.text).toContain('Confirm your order');
    expect(page.text).toContain('Ana Lima<br>12 Rue des Trombones<br>69001 Lyon<br>France');
    expect(page.text).toContain(`<input type="hidden" name="pending" value="${pending}">`);
    expect(await b.shop.carts.get(sessionId)).toEqual([{ sku: 'SC-NAT-100', quantity: 2 }]);

    // Step 5 on A: "Place order" — the details B showed, the cart both see.
    const place = () =>
      ampPost(a.url, '/api/checkout/place', { from: 'origin', cookie, fields: { pending } });
    const placed = await place().expect(200);
    const number = placed.body.orderNumber as string;
    const orderUrl = new URL(placed.headers['amp-redirect-to']);
    expect(orderUrl.href).toBe(`${ORIGIN}/orders/${number}`);

    // The confirmation page on B, for this session only.
    const confirmation = await request(b.url)
      .get(orderUrl.pathname)
      .set('Cookie', cookie)
      .expect(200);
    expect(confirmation.text).toContain(`<strong class="order-number">${number}</strong>`);
    expect(confirmation.text).toContain('Thank you, Ana Lima!');
    const other = await visitOrigin(a.url);
    await request(b.url).get(orderUrl.pathname).set('Cookie', other.cookie).expect(404);
    await request(b.url).get(orderUrl.pathname).expect(404);

    // Single use across instances: a replay on B hears of the same order; the link on B shows it.
    await ampPost(b.url, '/api/checkout/place', { from: 'origin', cookie, fields: { pending } })
      .expect(200)
      .expect((res) => expect(res.body.orderNumber).toBe(number));
    await request(b.url)
      .get(link.pathname + link.search)
      .set('Cookie', cookie)
      .expect(303)
      .expect('Location', `/orders/${number}`);
    expect(await a.shop.carts.get(sessionId)).toEqual([]);

    // Exactly one order for the session in Redis, kept for the idle time; the details are gone,
    // the receipt stays an hour.
    const client = await redisCli(redis);
    const keys = redisKeys(DEFAULT_KEY_PREFIX);
    expect(await client(['KEYS', keys.order(sessionId, '*')])).toEqual([
      keys.order(sessionId, number),
    ]);
    const idleSeconds = VISITOR_STATE_LIMITS.idleTtlMs / 1000;
    expect(Number(await client(['TTL', keys.order(sessionId, number)]))).toBeGreaterThan(
      idleSeconds - 60,
    );
    const checkout = keys.checkout(pending);
    expect(await client(['EXISTS', checkout.details])).toBe(0);
    expect(Number(await client(['TTL', checkout.receipt]))).toBeGreaterThan(3600 - 60);
  });

  it('"Place order" pressed in two tabs at once, one on A and one on B: one order, both show it', async () => {
    const { cookie, sessionId } = await visitOrigin(a.url);
    await ampPost(a.url, '/api/cart/add', {
      from: 'origin',
      cookie,
      fields: { sku: 'CL-SLV-100', quantity: '3' },
    }).expect(200);
    const post = await ampPost(b.url, '/api/checkout', {
      from: 'google-cache',
      fields: { ...CUSTOMER },
    }).expect(200);
    const link = new URL(post.headers['amp-redirect-to']);
    const pending = link.searchParams.get('pending') ?? '';
    await request(a.url)
      .get(link.pathname + link.search)
      .set('Cookie', cookie)
      .expect(200);
    const clicks = await Promise.all(
      [a, b, a, b].map((target) =>
        ampPost(target.url, '/api/checkout/place', { from: 'origin', cookie, fields: { pending } }),
      ),
    );
    expect(clicks.map((res) => res.status)).toEqual([200, 200, 200, 200]);
    const numbers = new Set(clicks.map((res) => res.body.orderNumber as string));
    expect(numbers.size).toBe(1);
    const client = await redisCli(redis);
    const keys = redisKeys(DEFAULT_KEY_PREFIX);
    expect(await client(['KEYS', keys.order(sessionId, '*')])).toEqual(
      [...numbers].map((number) => keys.order(sessionId, number)),
    );
    expect(await b.shop.carts.get(sessionId)).toEqual([]);
  });

  it('one story on every instance: the trace panel is the same whichever instance serves the cart', async () => {
    // A cache page without the cookie posts to A; the apply GET lands on B, the cookie check on A.
    const post = await ampPost(a.url, '/api/cart/add', {
      from: 'google-cache',
      fields: { sku: 'RV-RBW-100', quantity: '1' },
    }).expect(200);
    const applyUrl = new URL(post.headers['amp-redirect-to']);
    const applied = await request(b.url)
      .get(applyUrl.pathname + applyUrl.search)
      .expect(303);
    const { cookie, sessionId } = sessionCookieOf(applied);
    await request(a.url).get('/cart/cookie-check').set('Cookie', cookie).expect(303);
    const panelOn = async (instance: Instance) => {
      const page = await request(instance.url).get('/cart').set('Cookie', cookie).expect(200);
      const start = page.text.indexOf('<section class="trace"');
      return page.text.slice(start, page.text.indexOf('</section>', start));
    };
    const onB = await panelOn(b);
    for (const row of [
      'Form posted from a page served by an AMP cache',
      'Apply path on the origin',
      'Cookie check',
      'Clean cart URL',
    ]) {
      expect(onB).toContain(row);
    }
    expect(await panelOn(a)).toBe(onB);
    // Kept in Redis like the rest: one record per session, expiring after 10 idle minutes.
    const client = await redisCli(redis);
    const keys = redisKeys(DEFAULT_KEY_PREFIX);
    const ttl = Number(await client(['PTTL', keys.trace('session', sessionId)]));
    expect(ttl).toBeGreaterThan(TRACE_TTL_MS - 5000);
    expect(ttl).toBeLessThanOrEqual(TRACE_TTL_MS);
    expect(
      await client(['EXISTS', keys.trace('pending', applyUrl.searchParams.get('nonce')!)]),
    ).toBe(0);
  });

  it('contact messages sent to either instance land in one box, bounded and expiring', async () => {
    const send = (instance: Instance, message: string) =>
      ampPost(instance.url, '/api/contact', {
        from: 'google-cache',
        fields: { name: 'Ana Lima', email: 'ana@example.com', message },
      }).expect(200);
    await send(a, 'first, to A');
    await send(b, 'second, to B');
    for (const instance of [a, b]) {
      const box = await instance.shop.messages.list();
      expect(box.map((m) => m.message).slice(-2)).toEqual(['first, to A', 'second, to B']);
    }
    const client = await redisCli(redis);
    const ttl = Number(await client(['PTTL', redisKeys(DEFAULT_KEY_PREFIX).messages]));
    expect(ttl).toBeGreaterThan(MESSAGE_LIMITS.keepMs - 5000);
    expect(ttl).toBeLessThanOrEqual(MESSAGE_LIMITS.keepMs);
  });

  it('the message box keeps the last 100 only', async () => {
    const box = a.shop.messages;
    for (let i = 0; i < MESSAGE_LIMITS.keep + 5; i++) {
      await box.receive({ name: 'Ana', email: 'ana@example.com', message: `#${i}` });
    }
    const kept = await b.shop.messages.list();
    expect(kept).toHaveLength(MESSAGE_LIMITS.keep);
    expect(kept.at(-1)?.message).toBe(`#${MESSAGE_LIMITS.keep + 4}`);
  });

  it('100 concurrent adds over 10 SKUs, half on each instance, lose nothing; the cap holds', async () => {
    const skus = skusInStock(a.shop, 10, 10);
    const { cookie, sessionId } = await visitOrigin(a.url);
    const add = (target: Instance, sku: string) =>
      ampPost(target.url, '/api/cart/add', {
        from: 'origin',
        cookie,
        fields: { sku, quantity: '1' },
      });
    // Request i adds SKU i % 10 on instance A for i < 50 and B after: every SKU gets 5 of each.
    const adds = await Promise.all(
      Array.from({ length: 100 }, (_, i) => add(i < 50 ? a : b, skus[i % 10])),
    );
    expect(adds.map((res) => res.status)).toEqual(Array(100).fill(200));
    const cart = await b.shop.carts.get(sessionId);
    expect([...cart].sort((x, y) => x.sku.localeCompare(y.sku))).toEqual(
      [...skus].sort().map((sku) => ({ sku, quantity: 10 })),
    );

    // The per-line cap of 10 now refuses one more of each, on either instance.
    const refused = await Promise.all(skus.map((sku, i) => add(i % 2 ? a : b, sku)));
    for (const res of refused) {
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/at most 10 .*already have 10/);
    }
  });

  it('the session record and both cart keys expire with the idle TTL', async () => {
    const { cookie, sessionId } = await visitOrigin(b.url);
    await ampPost(a.url, '/api/cart/add', {
      from: 'origin',
      cookie,
      fields: { sku: 'CL-SLV-100', quantity: '1' },
    }).expect(200);
    const keys = redisKeys(DEFAULT_KEY_PREFIX);
    const { lines, order } = keys.cart(sessionId);
    const client = await redisCli(redis);
    const idleSeconds = VISITOR_STATE_LIMITS.idleTtlMs / 1000; // a week
    for (const key of [`${keys.sessionPrefix}${sessionId}`, lines, order]) {
      const ttl = Number(await client(['TTL', key]));
      expect(ttl).toBeGreaterThan(idleSeconds - 60);
      expect(ttl).toBeLessThanOrEqual(idleSeconds);
    }
  });

  describe('an instance killed with SIGKILL mid-load', () => {
    let killed: ServerProcess | undefined;
    afterAll(() => killed?.child.kill('SIGKILL'));

    it('loses no acknowledged cart line', async () => {
      killed = await startDoomedInstance(redis);
      const doomed = `http://127.0.0.1:${killed.port}`;

      const skus = skusInStock(a.shop, 10, 10);
      const shoppers = await Promise.all(Array.from({ length: 10 }, () => visitOrigin(a.url)));
      // acked[shopper][sku]: adds answered 200; sent: all adds that may have been applied.
      const acked = shoppers.map(() => new Map<string, number>());
      const sent = shoppers.map(() => new Map<string, number>());
      const bump = (counts: Map<string, number>, sku: string) =>
        counts.set(sku, (counts.get(sku) ?? 0) + 1);
      let requests = 0;
      let ackedByDoomed = 0;
      let failed = 0;
      let firstFailure: string | undefined;

      // 10 shoppers, each sending 40 adds one after the other, alternating between the instance
      // about to die and A; it is killed once it has acknowledged 60 adds.
      let kill: () => void = () => undefined;
      const killedNow = new Promise<void>((resolve) => (kill = resolve));
      const shopper = async (index: number) => {
        for (let i = 0; i < 40; i++) {
          const target = i % 2 === 0 ? doomed : a.url;
          const sku = skus[(index + i) % skus.length];
          bump(sent[index], sku);
          requests++;
          try {
            const res = await ampPost(target, '/api/cart/add', {
              from: 'origin',
              cookie: shoppers[index].cookie,
              fields: { sku, quantity: '1' },
            });
            if (res.status !== 200) throw new Error(`status ${res.status}`);
            bump(acked[index], sku);
            if (target === doomed && ++ackedByDoomed === 60) kill();
          } catch (error) {
            failed++; // the killed instance: refused or cut off — not acknowledged
            firstFailure ??= `${target}: ${(error as Error).message}`;
          }
        }
      };
      const load = Promise.all(shoppers.map((_, index) => shopper(index)));
      await Promise.race([killedNow, load]);
      expect({ ackedByDoomed, firstFailure }).toEqual({
        ackedByDoomed: 60,
        firstFailure: undefined,
      });
      killed.child.kill('SIGKILL');
      await load;

      let ackedTotal = 0;
      let linesLost = 0;
      for (const [index, { sessionId }] of shoppers.entries()) {
        const cart = new Map((await b.shop.carts.get(sessionId)).map((l) => [l.sku, l.quantity]));
        for (const [sku, count] of acked[index]) {
          ackedTotal += count;
          linesLost += Math.max(0, count - (cart.get(sku) ?? 0));
        }
        // Nothing appears that was never sent (a cut-off request may or may not have applied).
        for (const [sku, quantity] of cart)
          expect(quantity).toBeLessThanOrEqual(sent[index].get(sku) ?? 0);
      }
      console.log(
        `redis SIGKILL: ${requests} adds from 10 shoppers over 2 instances, ` +
          `${ackedTotal} acknowledged (${ackedByDoomed} by the killed one), ` +
          `${failed} failed after the kill, lines lost: ${linesLost}`,
      );
      expect(await killed.exited).toBeNull(); // killed by the signal, no exit code
      expect(failed).toBeGreaterThan(0);
      expect(linesLost).toBe(0);
    }, 20_000);
  });

  describe('an instance killed with SIGKILL while shoppers place orders', () => {
    let killed: ServerProcess | undefined;
    afterAll(() => killed?.child.kill('SIGKILL'));

    it('leaves every order whole: placed with its cart emptied, or not placed with the cart intact', async () => {
      killed = await startDoomedInstance(redis);
      const doomed = `http://127.0.0.1:${killed.port}`;
      const skus = skusInStock(a.shop, 10, 10);
      const shoppers = await Promise.all(Array.from({ length: 10 }, () => visitOrigin(a.url)));
      const added = shoppers.map(() => 0); // items added (always acknowledged: A stays up)
      const acked = shoppers.map(() => [] as string[]); // order numbers answered with a 200
      let checkouts = 0;
      let ackedByDoomed = 0;
      let cutOff = 0;
      let kill: () => void = () => undefined;
      const killedNow = new Promise<void>((resolve) => (kill = resolve));

      // Each shopper: add one item on A, then check out on the doomed instance or on A, 20 times.
      // The doomed one is killed once it has placed 40 orders, with checkouts in flight.
      const shopper = async (index: number) => {
        const { cookie } = shoppers[index];
        for (let round = 0; round < 20; round++) {
          await ampPost(a.url, '/api/cart/add', {
            from: 'origin',
            cookie,
            fields: { sku: skus[(index + round) % skus.length], quantity: '1' },
          }).expect(200);
          added[index]++;
          const target = round % 2 === 0 ? doomed : a.url;
          checkouts++;
          try {
            const res = await ampPost(target, '/api/checkout', {
              from: 'origin',
              cookie,
              fields: { ...CUSTOMER },
            });
            if (res.status !== 200) throw new Error(`status ${res.status}`);
            acked[index].push(res.body.orderNumber as string);
            if (target === doomed && ++ackedByDoomed === 40) kill();
          } catch {
            cutOff++; // refused or cut off by the kill: not acknowledged
          }
        }
      };
      const load = Promise.all(shoppers.map((_, index) => shopper(index)));
      await Promise.race([killedNow, load]);
      killed.child.kill('SIGKILL');
      await load;

      const client = await redisCli(redis);
      const keys = redisKeys(DEFAULT_KEY_PREFIX);
      let ordered = 0;
      let inCarts = 0;
      let orders = 0;
      for (const [index, { sessionId }] of shoppers.entries()) {
        const orderKeys = (await client([
          'KEYS',
          keys.order(sessionId, '*'),
        ])) as unknown as string[];
        const numbers = orderKeys.map((key) => key.slice(key.lastIndexOf(':') + 1));
        // Every acknowledged order is there.
        for (const number of acked[index]) expect(numbers).toContain(number);
        let items = 0;
        for (const number of numbers) {
          const order = await a.shop.orders.find(sessionId, number);
          items += order!.itemCount;
        }
        const cart = await a.shop.carts.get(sessionId);
        const left = cart.reduce((sum, line) => sum + line.quantity, 0);
        // Nothing lost and nothing ordered twice: every item added is in exactly one place.
        expect({ shopper: index, total: items + left }).toEqual({
          shopper: index,
          total: added[index],
        });
        ordered += items;
        inCarts += left;
        orders += numbers.length;
      }
      console.log(
        `instance SIGKILL during checkouts: ${checkouts} checkouts from 10 shoppers over 2 ` +
          `instances, ${ackedByDoomed} placed by the killed one before it died, ${cutOff} cut off; ` +
          `${orders} orders hold ${ordered} items, carts ${inCarts}, items added ` +
          `${added.reduce((x, y) => x + y, 0)}: none lost, none ordered twice`,
      );
      expect(await killed.exited).toBeNull();
      expect(cutOff).toBeGreaterThan(0);
    }, 30_000);
  });
});

/** An instance in a process of its own (so it can be killed with SIGKILL), ready to serve. */
async function startDoomedInstance(redis: RedisServer): Promise<ServerProcess> {
  const instance = await startServerProcess(
    {
      REDIS_URL: redis.url,
      SESSION_SECRET: TEST_SECRET,
      PUBLIC_ORIGIN: ORIGIN,
      CACHE: 'off',
      LOG_LEVEL: 'silent',
      ...GENEROUS_LIMITS,
    },
    'BestClips shop is running',
  );
  await request(`http://127.0.0.1:${instance.port}`).get('/readyz').expect(200);
  return instance;
}

/** A raw command on the test's Redis, to look at keys the way an operator would. */
async function redisCli(redis: RedisServer) {
  return async (args: string[]) => {
    const client = await createClient({ url: redis.url }).connect();
    try {
      return await client.sendCommand(args);
    } finally {
      client.destroy();
    }
  };
}
