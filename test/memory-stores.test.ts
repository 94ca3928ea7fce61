// The memory stores (server/stores/memory/): what each keeps, for how long, and how it stays
// bounded. The Redis ones are tested against a real redis-server in redis-stores.test.ts; what
// every store of a kind must do is in helpers/store-contracts.ts.
import { MemoryCartStore } from '../server/stores/memory/cart-store';
import { fakeCatalog } from './helpers/fake-catalog';

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
});
