// Redis goes away in the middle of a thousand shoppers' flows, and comes back. Two instances share
// one real (persistent) Redis; 20 shoppers run mixed flows — add, change, remove, checkout; the
// direct path (cookie) and the redirect path (a cache page without it) — on either instance, while
// Redis is killed with SIGKILL and restarted. Every answer must be a success or a clear 503 (JSON
// amp-form can show, or a friendly page); the same instances must recover by themselves; and
// afterwards every cart and every order must be exactly what the acknowledged requests made —
// nothing lost, nothing applied twice. A request that got a 503 may or may not have happened:
// the shopper then checks it happened once or not at all (and, like a person, reloads a link or
// presses "Place order" again where the flow offers it). Meanwhile a few people only look at pages
// and the cart badge, all through the outage, and get the same clear answers.
import { createClient } from 'redis';
import request from 'supertest';
import type { Cart } from '../server/cart/cart';
import { DEFAULT_KEY_PREFIX, redisKeys } from '../server/stores/redis/keys';
import { STORE_UNAVAILABLE } from '../server/store-unavailable';
import { CUSTOMER } from './helpers/customer';
import { describeWithRedis, RedisServer } from './helpers/redis-server';
import { skusInStock, startInstance, type Instance } from './helpers/redis-shops';
import { ampGet, ampPost, GOOGLE_CACHE, ORIGIN, visitOrigin } from './helpers/shop';

const SHOPPERS = 20;
/** People who only look (pages, the cart badge), and keep looking through the outage. */
const WATCHERS = 4;
const FLOWS_PER_SHOPPER = 55;
/** Redis is killed once this many flows have finished, and kept down for OUTAGE_MS. */
const KILL_AFTER_FLOWS = 350;
const OUTAGE_MS = 1500;

type Lines = Map<string, number>;
interface Model {
  cart: Lines;
  /** Order number → its lines. */
  orders: Map<string, Lines>;
}

type Flow =
  | 'add'
  | 'set'
  | 'remove'
  | 'add via the origin'
  | 'checkout'
  | 'checkout via the origin'
  | 'cart page';
const FLOWS: Flow[] = [
  'add',
  'add',
  'add via the origin',
  'add via the origin',
  'set',
  'remove',
  'checkout',
  'checkout via the origin',
  'cart page',
];

describeWithRedis('Redis killed and restarted in the middle of 1,000+ flows', () => {
  let redis: RedisServer;
  let instances: Instance[];
  beforeAll(async () => {
    redis = await RedisServer.start({ persistent: true });
    instances = await Promise.all([startInstance(redis.url), startInstance(redis.url)]);
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await redis?.dispose();
  });

  it('answers a success or a clear 503 every time, recovers by itself, and loses nothing', async () => {
    const [a] = instances;
    const skus = skusInStock(a.shop, 6, 10);
    const keys = redisKeys(DEFAULT_KEY_PREFIX);
    // The test's own look at Redis (it reconnects after the restart, like the shop).
    const raw = createClient({ url: redis.url }).on('error', () => undefined);
    await raw.connect();
    const random = seeded(17);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const anyInstance = () => pick(instances).url;

    const figures = {
      flows: 0,
      requests: 0,
      successes: 0,
      unavailableApi: 0,
      unavailablePages: 0,
      slowest503Ms: 0,
      unsure: 0,
      appliedAnyway: 0,
      retries: 0,
      outageMs: 0,
      recoveryMs: 0,
    };
    const problems: string[] = [];
    let killed = false;

    /** One request: a success (`expected`), or a 503 that says so clearly; anything else is a problem. */
    async function send(
      what: string,
      from: 'origin api' | 'cache api' | 'page',
      expected: number,
      go: () => PromiseLike<request.Response>,
    ): Promise<request.Response | 'unavailable'> {
      const kind = from === 'page' ? 'page' : 'api';
      const pageOrigin = from === 'cache api' ? GOOGLE_CACHE : ORIGIN;
      figures.requests++;
      const started = Date.now();
      const res = await go();
      if (res.status === expected) {
        figures.successes++;
        return res;
      }
      if (res.status === 503) {
        figures.slowest503Ms = Math.max(figures.slowest503Ms, Date.now() - started);
        const clear =
          kind === 'api'
            ? res.body?.error === STORE_UNAVAILABLE.message &&
              // The AMP CORS headers: the runtime may read the answer and show submit-error.
              res.headers['access-control-allow-origin'] === pageOrigin
            : res.type === 'text/html' && res.text.includes(STORE_UNAVAILABLE.title);
        if (!clear) problems.push(`${what}: an unclear 503: ${res.text.slice(0, 200)}`);
        if (kind === 'api') figures.unavailableApi++;
        else figures.unavailablePages++;
        return 'unavailable';
      }
      problems.push(`${what}: ${res.status} ${res.text.slice(0, 200)}`);
      return 'unavailable';
    }

    /** Waits until both instances say they can serve again (they must, within 30 s). */
    async function untilReady(): Promise<void> {
      const deadline = Date.now() + 30_000;
      for (const instance of instances) {
        while ((await request(instance.url).get('/readyz')).status !== 200) {
          if (Date.now() > deadline) throw new Error(`${instance.url} did not recover by itself`);
          await new Promise((done) => setTimeout(done, 50));
        }
      }
    }

    async function actual(sessionId: string): Promise<Model> {
      const cart = linesOf(await a.shop.carts.get(sessionId));
      const orders = new Map<string, Lines>();
      for (const key of await raw.keys(keys.order(sessionId, '*'))) {
        const number = key.slice(key.lastIndexOf(':') + 1);
        const order = await a.shop.orders.find(sessionId, number);
        if (order) orders.set(number, new Map(order.lines.map((l) => [l.sku, l.quantity])));
      }
      return { cart, orders };
    }

    async function shopper(index: number): Promise<void> {
      const { cookie, sessionId } = await visitOrigin(anyInstance());
      const model: Model = { cart: new Map(), orders: new Map() };
      const who = `shopper ${index}`;

      /** After a 503: the change happened once or not at all; the shopper goes on from the truth. */
      async function settle(what: string, ...allowed: Model[]): Promise<void> {
        figures.unsure++;
        await untilReady();
        const now = await actual(sessionId);
        const match = allowed.findIndex((candidate) => sameModel(candidate, now, true));
        if (match < 0) {
          problems.push(
            `${who}, ${what}: ${summarize(now)} is none of ${allowed.map(summarize).join(' | ')}`,
          );
        }
        if (match > 0) figures.appliedAnyway++;
        model.cart = now.cart;
        model.orders = now.orders;
      }

      const cartChange = (op: 'add' | 'set' | 'remove', sku: string, quantity: number) => {
        const before = copy(model);
        const after = copy(model);
        const current = after.cart.get(sku) ?? 0;
        const wanted = op === 'add' ? current + quantity : op === 'set' ? quantity : 0;
        if (wanted === 0) after.cart.delete(sku);
        else after.cart.set(sku, wanted);
        return { before, after };
      };

      /** One flow; false when it cannot be done now (nothing to remove or to order, a full line). */
      async function run(kind: Flow, what: string): Promise<boolean> {
        const inCart = [...model.cart.keys()];
        if (
          kind === 'add' ||
          kind === 'add via the origin' ||
          kind === 'set' ||
          kind === 'remove'
        ) {
          const op = kind === 'add via the origin' ? 'add' : kind;
          const sku = op === 'remove' ? (inCart.length ? pick(inCart) : undefined) : pick(skus);
          if (!sku) return false;
          const quantity = op === 'set' ? 1 + Math.floor(random() * 5) : 1;
          if (op === 'add' && (model.cart.get(sku) ?? 0) >= 10) return false;
          const { before, after } = cartChange(op, sku, quantity);
          const fields: Record<string, string> =
            op === 'remove' ? { sku } : { sku, quantity: String(quantity) };
          if (kind !== 'add via the origin') {
            const res = await send(what, 'origin api', 200, () =>
              ampPost(anyInstance(), `/api/cart/${op}`, { from: 'origin', cookie, fields }),
            );
            if (res === 'unavailable') await settle(what, before, after);
            else model.cart = after.cart;
          } else {
            // A cache page whose browser holds the cookie back: the origin applies the change.
            const post = await send(what, 'cache api', 200, () =>
              ampPost(anyInstance(), '/api/cart/add', { from: 'google-cache', fields }),
            );
            if (post === 'unavailable') {
              await settle(what, before); // nothing can have changed yet
              return true;
            }
            const link = new URL(post.headers['amp-redirect-to']);
            const open = () =>
              send(`${what}, the link`, 'page', 303, () =>
                request(anyInstance())
                  .get(link.pathname + link.search)
                  .set('Cookie', cookie),
              );
            if ((await open()) === 'unavailable') {
              // The person reloads the page once the shop answers again: at most once, in all.
              await untilReady();
              figures.retries++;
              await open();
              await settle(what, before, after);
            } else {
              model.cart = after.cart;
            }
          }
        } else if (kind === 'checkout' || kind === 'checkout via the origin') {
          if (model.cart.size === 0) return false;
          const before = copy(model);
          if (kind === 'checkout') {
            const res = await send(what, 'origin api', 200, () =>
              ampPost(anyInstance(), '/api/checkout', {
                from: 'origin',
                cookie,
                fields: { ...CUSTOMER },
              }),
            );
            if (res === 'unavailable') {
              await settle(what, before, ...placedFrom(before));
            } else {
              model.orders.set(res.body.orderNumber, model.cart);
              model.cart = new Map();
            }
            return true;
          }
          const post = await send(what, 'cache api', 200, () =>
            ampPost(anyInstance(), '/api/checkout', {
              from: 'google-cache',
              fields: { ...CUSTOMER },
            }),
          );
          if (post === 'unavailable') {
            await settle(what, before);
            return true;
          }
          const link = new URL(post.headers['amp-redirect-to']);
          const pending = link.searchParams.get('pending') ?? '';
          const page = await send(`${what}, the confirmation page`, 'page', 200, () =>
            request(anyInstance())
              .get(link.pathname + link.search)
              .set('Cookie', cookie),
          );
          if (page === 'unavailable') {
            await settle(what, before); // the page places nothing
            return true;
          }
          const place = () =>
            send(`${what}, Place order`, 'origin api', 200, () =>
              ampPost(anyInstance(), '/api/checkout/place', {
                from: 'origin',
                cookie,
                fields: { pending },
              }),
            );
          let placed = await place();
          if (placed === 'unavailable') {
            // The person presses "Place order" again: one order, whether the first one went in.
            await untilReady();
            figures.retries++;
            placed = await place();
            if (placed === 'unavailable') {
              await settle(what, before, ...placedFrom(before));
              return true;
            }
            await settle(what, ...placedFrom(before));
          } else {
            model.orders.set(placed.body.orderNumber, model.cart);
            model.cart = new Map();
          }
        } else {
          await send(what, 'page', 200, () =>
            request(anyInstance()).get('/cart').set('Cookie', cookie),
          );
        }
        return true;
      }

      for (let done = 0, attempt = 0; done < FLOWS_PER_SHOPPER; attempt++) {
        const kind = pick(FLOWS);
        if (!(await run(kind, `${kind} (flow ${attempt})`))) continue;
        done++;
        if (++figures.flows === KILL_AFTER_FLOWS) {
          killed = true;
          void outage();
        }
      }

      // The end: the shop's state is exactly the acknowledged (or settled) history.
      await untilReady();
      const final = await actual(sessionId);
      if (!sameModel(model, final, false)) {
        problems.push(`${who} at the end: expected ${summarize(model)}, found ${summarize(final)}`);
      }
    }

    /**
     * Someone who keeps looking while the shoppers shop — through the outage too, without waiting
     * for it to end: their cart page, the home page and the cart badge, on either instance.
     */
    async function watcher(going: () => boolean): Promise<void> {
      const { cookie } = await visitOrigin(anyInstance());
      while (going()) {
        await send('a look at the cart page', 'page', 200, () =>
          request(anyInstance()).get('/cart').set('Cookie', cookie),
        );
        await send('a look at the home page', 'page', 200, () => request(anyInstance()).get('/'));
        await send('the cart badge', 'cache api', 200, () =>
          ampGet(anyInstance(), '/api/cart/summary', { from: 'google-cache', cookie }),
        );
        await new Promise((done) => setTimeout(done, 20));
      }
    }

    let outageDone: Promise<void> = Promise.resolve();
    function outage(): Promise<void> {
      outageDone = (async () => {
        const started = Date.now();
        await redis.stop('SIGKILL');
        await new Promise((done) => setTimeout(done, OUTAGE_MS));
        await redis.restart();
        figures.outageMs = Date.now() - started;
        const restarted = Date.now();
        await untilReady();
        figures.recoveryMs = Date.now() - restarted;
      })();
      return outageDone;
    }

    try {
      let shopping = true;
      const shoppers = Promise.all(Array.from({ length: SHOPPERS }, (_, index) => shopper(index)));
      const watchers = Promise.all(Array.from({ length: WATCHERS }, () => watcher(() => shopping)));
      await shoppers.finally(() => (shopping = false));
      await watchers;
      await outageDone;
    } finally {
      raw.destroy();
    }

    // The same instances serve again, without a restart.
    for (const instance of instances) {
      await request(instance.url).get('/readyz').expect(200);
      expect(instance.logs.map((line) => line.msg)).toContain('Redis is back');
    }
    console.log(
      `Redis outage mid-flow: ${figures.flows} flows from ${SHOPPERS} shoppers (and ${WATCHERS} ` +
        `people looking at pages) over 2 instances, ` +
        `${figures.requests} requests: ${figures.successes} succeeded, ` +
        `${figures.unavailableApi} API 503s (JSON) and ${figures.unavailablePages} page 503s, ` +
        `slowest 503 ${figures.slowest503Ms} ms; Redis down ${figures.outageMs} ms, instances ready ` +
        `again ${figures.recoveryMs} ms after its restart; ${figures.unsure} unsure outcomes checked ` +
        `(${figures.appliedAnyway} had gone through), ${figures.retries} reloads or second clicks; ` +
        `other answers: ${problems.length}; lost or applied twice: 0 of every acknowledged change`,
    );
    expect(problems).toEqual([]);
    expect(figures.flows).toBeGreaterThanOrEqual(1000);
    expect(killed).toBe(true);
    expect(figures.unavailableApi + figures.unavailablePages).toBeGreaterThan(0);
  }, 180_000);
});

/** The outcomes of placing this cart: one new order holding exactly these lines, the cart empty. */
function placedFrom(before: Model): Model[] {
  return [{ cart: new Map(), orders: new Map([...before.orders, ['(new)', before.cart]]) }];
}

/**
 * The same cart, and the same orders; an expected order numbered "(new)" matches the one order
 * the model does not know yet (when `allowNew`).
 */
function sameModel(expected: Model, found: Model, allowNew: boolean): boolean {
  if (!sameLines(expected.cart, found.cart)) return false;
  if (expected.orders.size !== found.orders.size) return false;
  for (const [number, lines] of expected.orders) {
    if (number === '(new)' && allowNew) {
      const unknown = [...found.orders].filter(([n]) => !expected.orders.has(n));
      if (unknown.length !== 1 || !sameLines(lines, unknown[0][1])) return false;
    } else if (!found.orders.has(number) || !sameLines(lines, found.orders.get(number)!)) {
      return false;
    }
  }
  return true;
}

function sameLines(x: Lines, y: Lines): boolean {
  return x.size === y.size && [...x].every(([sku, quantity]) => y.get(sku) === quantity);
}

function linesOf(cart: Cart): Lines {
  return new Map(cart.map((line) => [line.sku, line.quantity]));
}

function copy(model: Model): Model {
  return { cart: new Map(model.cart), orders: new Map(model.orders) };
}

function summarize(model: Model): string {
  const lines = (l: Lines) => [...l].map(([sku, q]) => `${sku}×${q}`).join(',') || 'empty';
  return `cart ${lines(model.cart)}; ${model.orders.size} orders`;
}

/** A small deterministic random source (mulberry32), so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
