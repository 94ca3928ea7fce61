// What every store for carts, orders and held checkouts must do, whatever keeps the state: the
// same tests run against the in-memory stores (memory-stores.test.ts) and the Redis ones
// (redis-stores.test.ts).
import { newNonce } from '../../server/amp/signed-link';
import { MAX_QUANTITY_PER_LINE, type Cart } from '../../server/cart/cart';
import type { CartStore, LinkUse } from '../../server/cart/cart-store';
import type { PendingCheckoutStore } from '../../server/checkout/pending-checkouts';
import type { Catalog } from '../../server/catalog/types';
import { buildOrder, newOrderNumber } from '../../server/orders/order';
import type { OrderStore, PlaceOutcome, PlacementFaults } from '../../server/orders/order-store';
import { CUSTOMER } from './customer';

/** Changes by single-use links (`applyOnce`): each link changes a cart once, and only once. */
export function applyOnceContract(store: () => CartStore, catalog: Catalog): void {
  let session = 0;
  const newSession = () => `apply-once-${++session}`;
  const newLink = (ttlMs = 60_000): LinkUse => ({
    nonce: newNonce(),
    expiresAtMs: Date.now() + ttlMs,
  });
  // A SKU a cart may hold the most of (so a change is refused only by the per-line cap).
  const sku = catalog.products
    .flatMap((product) => product.variants)
    .find((variant) => variant.stock >= MAX_QUANTITY_PER_LINE)!.sku;
  const add = (quantity: number) => ({ op: 'add', sku, quantity }) as const;

  it('applies a link’s change once; a replay, from any session, changes nothing', async () => {
    const carts = store();
    const [owner, other] = [newSession(), newSession()];
    const link = newLink();
    expect(await carts.applyOnce(owner, add(2), link)).toMatchObject({ ok: true });
    expect(await carts.applyOnce(owner, add(2), link)).toBe('replayed');
    expect(await carts.applyOnce(other, add(2), link)).toBe('replayed');
    expect(await carts.get(owner)).toEqual([{ sku, quantity: 2 }]);
    expect(await carts.get(other)).toEqual([]);
    // Another link is another use.
    expect(await carts.applyOnce(owner, add(2), newLink())).toMatchObject({ ok: true });
    expect(await carts.get(owner)).toEqual([{ sku, quantity: 4 }]);
  });

  it('a refused change leaves the link usable: retrying it is harmless', async () => {
    const carts = store();
    const sessionId = newSession();
    const link = newLink();
    await carts.apply(sessionId, { op: 'set', sku, quantity: MAX_QUANTITY_PER_LINE - 1 });
    const refused = await carts.applyOnce(sessionId, add(2), link);
    expect(refused).toMatchObject({ ok: false });
    expect(await carts.applyOnce(sessionId, add(2), link)).toEqual(refused);
    expect(await carts.get(sessionId)).toEqual([{ sku, quantity: MAX_QUANTITY_PER_LINE - 1 }]);
    // Once the cart has room, the same link applies its change, once.
    await carts.apply(sessionId, { op: 'set', sku, quantity: 1 });
    expect(await carts.applyOnce(sessionId, add(2), link)).toMatchObject({ ok: true });
    expect(await carts.applyOnce(sessionId, add(2), link)).toBe('replayed');
    expect(await carts.get(sessionId)).toEqual([{ sku, quantity: 3 }]);
  });

  it('of 20 simultaneous uses of one link, exactly one applies its change', async () => {
    const carts = store();
    const sessionId = newSession();
    const link = newLink();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => carts.applyOnce(sessionId, add(1), link)),
    );
    expect(results.filter((result) => result === 'replayed')).toHaveLength(19);
    expect(results).toContainEqual(expect.objectContaining({ ok: true }));
    expect(await carts.get(sessionId)).toEqual([{ sku, quantity: 1 }]);
  });

  it('forgets a used link once it has expired (it could no longer be opened)', async () => {
    const carts = store();
    const sessionId = newSession();
    const link = newLink(30);
    await carts.applyOnce(sessionId, add(1), link);
    expect(await carts.applyOnce(sessionId, add(1), link)).toBe('replayed');
    await new Promise((done) => setTimeout(done, 60));
    expect(await carts.applyOnce(sessionId, add(1), link)).toMatchObject({ ok: true });
    expect(await carts.get(sessionId)).toEqual([{ sku, quantity: 2 }]);
  });
}

export function pendingCheckoutContract(store: () => PendingCheckoutStore): void {
  let session = 0;
  const newSession = () => `contract-session-${++session}`;

  it('holds the details under an unguessable id', async () => {
    const pending = store();
    const id = await pending.hold(CUSTOMER);
    expect(id).toMatch(/^[\w-]{22}$/);
    expect(await pending.hold(CUSTOMER)).not.toBe(id);
  });

  it('shows them to the first session that opens the link, and to no other', async () => {
    const pending = store();
    const [owner, other] = [newSession(), newSession()];
    const id = await pending.hold(CUSTOMER);
    expect(await pending.claim(id, owner)).toEqual({ customer: CUSTOMER });
    expect(await pending.claim(id, owner)).toEqual({ customer: CUSTOMER }); // a reload
    expect(await pending.claim(id, other)).toBe('opened-elsewhere');
    expect(await pending.claim('never-held-this-id-0000', owner)).toBe('gone');
  });

  it('of many sessions opening one link at once, exactly one is shown the details', async () => {
    const pending = store();
    const id = await pending.hold(CUSTOMER);
    const claims = await Promise.all(
      Array.from({ length: 20 }, () => pending.claim(id, newSession())),
    );
    expect(claims.filter((claim) => claim === 'opened-elsewhere')).toHaveLength(19);
    expect(claims).toContainEqual({ customer: CUSTOMER });
  });

  it('gives them to the session that claimed them only, until the receipt replaces them', async () => {
    const pending = store();
    const [owner, other] = [newSession(), newSession()];
    const id = await pending.hold(CUSTOMER);
    expect(await pending.claimedDetails(id, owner)).toBeUndefined(); // not opened yet
    await pending.claim(id, owner);
    expect(await pending.claimedDetails(id, other)).toBeUndefined(); // and left where they are
    expect(await pending.claimedDetails(id, owner)).toEqual(CUSTOMER);
    expect(await pending.claimedDetails(id, owner)).toEqual(CUSTOMER); // a second click
    await pending.recordReceipt(id, { sessionId: owner, orderNumber: 'BC-0000-0001' });
    expect(await pending.claimedDetails(id, owner)).toBeUndefined();
    expect(await pending.claim(id, owner)).toBe('gone');
    expect(await pending.claimedDetails('never-held-this-id-0000', owner)).toBeUndefined();
  });

  it('keeps a receipt (which session, which order; no personal data) for replays', async () => {
    const pending = store();
    const id = await pending.hold(CUSTOMER);
    const receipt = { sessionId: newSession(), orderNumber: 'BC-0000-0001' };
    await pending.recordReceipt(id, receipt);
    expect(await pending.receipt(id)).toEqual(receipt);
    expect(await pending.receipt('never-held-this-id-0000')).toBeUndefined();
  });
}

/** An order store and the cart store it places orders from; `faults` injects crashes. */
export type OrderStores = (faults?: PlacementFaults) => { orders: OrderStore; carts: CartStore };

export function orderStoreContract(stores: OrderStores, catalog: Catalog): void {
  let session = 0;
  const newSession = () => `order-contract-${++session}`;
  const make = (cart: Cart) => buildOrder(cart, catalog, CUSTOMER, newOrderNumber(), 1_700_000);
  const [sku, otherSku] = catalog.products.flatMap((p) => p.variants.map((v) => v.sku));
  const withCart = async (carts: CartStore, quantity = 2) => {
    const sessionId = newSession();
    await carts.apply(sessionId, { op: 'add', sku, quantity });
    return sessionId;
  };
  const orderOf = (outcome: PlaceOutcome) => {
    if (typeof outcome === 'string') throw new Error(`no order: ${outcome}`);
    return outcome.order;
  };

  it('keeps the order and empties the cart; only the session that placed it finds it', async () => {
    const { orders, carts } = stores();
    const sessionId = await withCart(carts);
    const order = orderOf(await orders.place(sessionId, make));
    expect(order.lines).toMatchObject([{ sku, quantity: 2 }]);
    expect(await carts.get(sessionId)).toEqual([]);
    expect(await orders.find(sessionId, order.number)).toEqual(order);
    expect(await orders.find('mallory', order.number)).toBeUndefined();
    expect(await orders.find(sessionId, newOrderNumber())).toBeUndefined();
  });

  it('an empty cart places nothing', async () => {
    const { orders } = stores();
    expect(await orders.place(newSession(), make)).toBe('empty-cart');
  });

  it('a crash between reading the cart and keeping the order: the cart intact, no order', async () => {
    let crash = true;
    const numbers: string[] = [];
    const { orders, carts } = stores({
      beforeCommit() {
        if (crash) throw new Error('crash');
      },
    });
    const sessionId = await withCart(carts);
    const recording = (cart: Cart) => {
      const order = make(cart);
      if (order) numbers.push(order.number);
      return order;
    };
    await expect(orders.place(sessionId, recording, 'checkout-1')).rejects.toThrow('crash');
    expect(await carts.get(sessionId)).toEqual([{ sku, quantity: 2 }]);
    expect(await orders.find(sessionId, numbers[0])).toBeUndefined();
    // The shopper presses "Place order" again: one order, the cart empty.
    crash = false;
    const order = orderOf(await orders.place(sessionId, recording, 'checkout-1'));
    expect(await carts.get(sessionId)).toEqual([]);
    expect(await orders.find(sessionId, order.number)).toEqual(order);
  });

  it('two placements of one cart at once: one order, the other finds the cart empty', async () => {
    const { orders, carts } = stores();
    const sessionId = await withCart(carts);
    const outcomes = await Promise.all([
      orders.place(sessionId, make),
      orders.place(sessionId, make),
    ]);
    expect(outcomes.filter((outcome) => outcome === 'empty-cart')).toHaveLength(1);
  });

  it('one held checkout placed twice at once (two tabs): one order, both hear of it', async () => {
    const { orders, carts } = stores();
    const sessionId = await withCart(carts);
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => orders.place(sessionId, make, 'checkout-2')),
    );
    const numbers = new Set(outcomes.map((outcome) => orderOf(outcome).number));
    expect(numbers.size).toBe(1);
    // Later, with a new cart: the same checkout still names its one order and orders nothing new.
    await carts.apply(sessionId, { op: 'add', sku: otherSku, quantity: 1 });
    const again = orderOf(await orders.place(sessionId, make, 'checkout-2'));
    expect(numbers).toEqual(new Set([again.number]));
    expect(await carts.get(sessionId)).toEqual([{ sku: otherSku, quantity: 1 }]);
  });
}
