// The memory stores (server/stores/memory/): what each keeps, for how long, and how it stays
// bounded. The Redis ones are tested against a real redis-server in redis-stores.test.ts; what
// every store of a kind must do is in helpers/store-contracts.ts.
import type session from 'express-session';
import { LINK_TTL_SECONDS } from '../server/amp/signed-link';
import { buildOrder } from '../server/orders/order';
import { MemoryCartStore } from '../server/stores/memory/cart-store';
import { VISITOR_STATE_LIMITS } from '../server/stores/memory/limits';
import { MemoryMessageBox } from '../server/stores/memory/message-box';
import { MemoryOrderStore } from '../server/stores/memory/order-store';
import {
  MemoryPendingCheckouts,
  PENDING_CHECKOUT_LIMITS,
} from '../server/stores/memory/pending-checkouts';
import { BoundedMemoryStore } from '../server/stores/memory/session-store';
import { UsedLinks } from '../server/stores/memory/used-links';
import { MESSAGE } from './helpers/contact-message';
import { CUSTOMER } from './helpers/customer';
import { fakeCatalog } from './helpers/fake-catalog';
import {
  applyOnceContract,
  orderStoreContract,
  pendingCheckoutContract,
} from './helpers/store-contracts';

const catalog = fakeCatalog();

describe('MemoryCartStore', () => {
  const limits = { maxEntries: 3, idleTtlMs: 60_000, pruneEveryMs: 0 };

  it('keeps one cart per session and leaves a cart unchanged on a refused change', async () => {
    const store = new MemoryCartStore(catalog, limits);
    await store.apply('a', { op: 'add', sku: 'CL-GLD-50', quantity: 3 });
    expect((await store.apply('a', { op: 'add', sku: 'CL-GLD-50', quantity: 1 })).ok).toBe(false);
    expect(await store.get('a')).toEqual([{ sku: 'CL-GLD-50', quantity: 3 }]);
    expect(await store.get('b')).toEqual([]);
  });

  it('forgets idle carts and prunes them (fake clock)', async () => {
    let now = 0;
    const store = new MemoryCartStore(catalog, { ...limits, now: () => now });
    await store.apply('a', { op: 'add', sku: 'CL-SLV-100', quantity: 1 });
    now = 59_000;
    expect(await store.get('a')).toHaveLength(1); // a visit refreshes the idle time
    now = 118_000;
    await store.apply('b', { op: 'add', sku: 'CL-SLV-100', quantity: 1 });
    now = 120_000;
    store.prune();
    expect(store.size).toBe(1);
    expect(await store.get('a')).toEqual([]);
  });

  it('keeps at most maxEntries carts, dropping the least recently used', async () => {
    const store = new MemoryCartStore(catalog, limits);
    for (const id of ['a', 'b', 'c', 'd'])
      await store.apply(id, { op: 'add', sku: 'CL-SLV-100', quantity: 1 });
    expect(store.size).toBe(3);
    expect(await store.get('a')).toEqual([]);
  });

  describe('changes by single-use links', () => {
    applyOnceContract(() => new MemoryCartStore(catalog, limits), catalog);

    const change = { op: 'add', sku: 'CL-SLV-100', quantity: 1 } as const;

    it('forgets used links once they have expired (fake clock)', async () => {
      let now = 0;
      const links = new UsedLinks(10, () => now);
      const store = new MemoryCartStore(catalog, limits, links);
      await store.applyOnce('s', change, { nonce: 'a', expiresAtMs: 1000 });
      await store.applyOnce('s', change, { nonce: 'b', expiresAtMs: 2000 });
      now = 1500;
      await store.applyOnce('s', change, { nonce: 'c', expiresAtMs: 3000 });
      expect(links.size).toBe(2);
    });

    it('when full, refuses new links (busy) rather than forget unexpired ones', async () => {
      const store = new MemoryCartStore(catalog, limits, new UsedLinks(2, () => 0));
      expect(await store.applyOnce('s', change, { nonce: 'a', expiresAtMs: 1000 })).toMatchObject({
        ok: true,
      });
      await store.applyOnce('s', change, { nonce: 'b', expiresAtMs: 1000 });
      expect(await store.applyOnce('s', change, { nonce: 'c', expiresAtMs: 1000 })).toBe('busy');
      expect(await store.applyOnce('s', change, { nonce: 'a', expiresAtMs: 1000 })).toBe(
        'replayed',
      );
      expect(await store.get('s')).toEqual([{ sku: 'CL-SLV-100', quantity: 2 }]);
    });
  });
});

describe('MemoryOrderStore', () => {
  orderStoreContract((faults) => {
    const carts = new MemoryCartStore(catalog, VISITOR_STATE_LIMITS);
    return { carts, orders: new MemoryOrderStore(VISITOR_STATE_LIMITS, carts, faults) };
  }, catalog);

  it('is bounded: past the cap, the least recently used order goes', async () => {
    const limits = { maxEntries: 2, idleTtlMs: 60_000, pruneEveryMs: 0 };
    const carts = new MemoryCartStore(catalog, limits);
    const orders = new MemoryOrderStore(limits, carts);
    const numbers = ['BC-0000-0001', 'BC-0000-0002', 'BC-0000-0003'];
    for (const number of numbers) {
      await carts.apply('s', { op: 'add', sku: 'CL-SLV-100', quantity: 1 });
      await orders.place('s', (cart) => buildOrder(cart, catalog, CUSTOMER, number, 0));
    }
    expect(orders.size).toBe(2);
    expect(await orders.find('s', 'BC-0000-0001')).toBeUndefined();
    expect(await orders.find('s', 'BC-0000-0003')).toBeDefined();
  });
});

describe('MemoryPendingCheckouts', () => {
  let now = 0;
  const store = () =>
    new MemoryPendingCheckouts({
      maxEntries: 3,
      idleTtlMs: 60 * 60 * 1000,
      pruneEveryMs: 0,
      now: () => now,
    });
  beforeEach(() => {
    now = 1000; // lru-cache reads a start time of 0 as "never expires"
  });
  /** Moves the fake clock; lru-cache keeps the time it last read for 1 ms of real time. */
  const advance = async (ms: number) => {
    now += ms;
    await new Promise((done) => setTimeout(done, 2));
  };

  describe('does what every pending-checkout store does', () => {
    pendingCheckoutContract(
      () => new MemoryPendingCheckouts({ ...PENDING_CHECKOUT_LIMITS, pruneEveryMs: 0 }),
    );
  });

  it('keeps the details no longer than the link lives, however often they are read', async () => {
    const pending = store();
    const id = await pending.hold(CUSTOMER);
    for (let minute = 1; minute <= 4; minute++) {
      await advance(60 * 1000);
      expect(await pending.claim(id, 's1')).toEqual({ customer: CUSTOMER });
    }
    await advance(LINK_TTL_SECONDS * 1000 - 4 * 60 * 1000 + 1);
    expect(await pending.claim(id, 's1')).toBe('gone');
    expect(await pending.claimedDetails(id, 's1')).toBeUndefined();
  });

  it('keeps a receipt for an hour after the order, then forgets it', async () => {
    const pending = store();
    const id = await pending.hold(CUSTOMER);
    await pending.claim(id, 's1');
    await pending.recordReceipt(id, { sessionId: 's1', orderNumber: 'BC-0000-0001' });
    await advance(30 * 60 * 1000);
    expect(await pending.receipt(id)).toEqual({ sessionId: 's1', orderNumber: 'BC-0000-0001' });
    expect(await pending.claimedDetails(id, 's1')).toBeUndefined();
    await advance(30 * 60 * 1000 + 1);
    expect(await pending.receipt(id)).toBeUndefined();
  });

  it('is bounded: past the cap, the oldest entry goes', async () => {
    const pending = store();
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await pending.hold(CUSTOMER));
    expect(pending.size).toBe(3);
    expect(await pending.claim(ids[0], 's1')).toBe('gone');
    expect(await pending.claim(ids[3], 's1')).toEqual({ customer: CUSTOMER });
  });
});

describe('MemoryMessageBox', () => {
  it('keeps only the most recent messages, oldest first', async () => {
    let now = 1000;
    const box = new MemoryMessageBox({ keep: 3, keepMs: 60_000 }, () => now);
    for (const n of [1, 2, 3, 4, 5]) {
      await box.receive({ ...MESSAGE, message: `#${n}` });
      now++;
    }
    const list = await box.list();
    expect(list.map((m) => m.message)).toEqual(['#3', '#4', '#5']);
    expect(list.map((m) => m.receivedAt)).toEqual([1002, 1003, 1004]);
    expect(new Set(list.map((m) => m.id)).size).toBe(3);
  });

  it('forgets messages older than it keeps them', async () => {
    let now = 1000;
    const box = new MemoryMessageBox({ keep: 3, keepMs: 60_000 }, () => now);
    await box.receive({ ...MESSAGE, message: 'old' });
    now += 30_000;
    await box.receive({ ...MESSAGE, message: 'newer' });
    now += 30_001;
    expect((await box.list()).map((m) => m.message)).toEqual(['newer']);
  });
});

// The in-memory session store keeps a copy of each session's data, never express-session's live
// Session object: that one references its request (and through it the socket and response), so
// keeping it kept every request alive for as long as its session (~28 KB each, as measured by the
// benchmark).
describe('BoundedMemoryStore', () => {
  const LIMITS = { maxEntries: 10, idleTtlMs: 60_000, pruneEveryMs: 0 };

  function sessionData(): session.SessionData {
    const data = {
      cookie: {
        originalMaxAge: 1000,
        expires: new Date('2030-01-01T00:00:00Z'),
        httpOnly: true,
        path: '/',
      },
    } as session.SessionData;
    // Like express-session's Session: the request rides along, not enumerable.
    Object.defineProperty(data, 'req', { value: { socket: 'a whole request' } });
    return data;
  }

  const get = (store: BoundedMemoryStore, sid: string) =>
    new Promise<session.SessionData | null | undefined>((resolve, reject) =>
      store.get(sid, (error, data) => (error ? reject(error) : resolve(data))),
    );

  it('gives back the data, as a fresh object each time, without the request', async () => {
    const store = new BoundedMemoryStore(LIMITS);
    const data = sessionData();
    store.set('sid-1', data);
    const first = await get(store, 'sid-1');
    const second = await get(store, 'sid-1');
    expect(first).toEqual(JSON.parse(JSON.stringify(data)));
    expect(first).not.toBe(data);
    expect(first).not.toBe(second);
    expect((first as { req?: unknown }).req).toBeUndefined();
  });

  it('is not changed by changes to the object it was given or gave out', async () => {
    const store = new BoundedMemoryStore(LIMITS);
    const data = sessionData();
    store.set('sid-1', data);
    data.cookie.path = '/changed';
    (await get(store, 'sid-1'))!.cookie.path = '/changed too';
    expect((await get(store, 'sid-1'))!.cookie.path).toBe('/');
  });

  it('forgets destroyed sessions and knows none it was not given', async () => {
    const store = new BoundedMemoryStore(LIMITS);
    store.set('sid-1', sessionData());
    store.destroy('sid-1');
    expect(await get(store, 'sid-1')).toBeNull();
    expect(await get(store, 'never-set')).toBeNull();
    expect(store.size).toBe(0);
  });
});
