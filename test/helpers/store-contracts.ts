// What every store for orders and held checkouts must do, whatever keeps the state: the same tests
// run against the in-memory stores (orders.test.ts, pending-checkouts.test.ts) and the Redis ones
// (redis-stores.test.ts).
import type { PendingCheckoutStore } from '../../server/checkout/pending-checkouts';
import type { Catalog } from '../../server/catalog/types';
import { buildOrder, newOrderNumber } from '../../server/orders/order';
import type { OrderStore } from '../../server/orders/order-store';
import { CUSTOMER } from './customer';

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

  it('gives them, once, to the session that claimed them only', async () => {
    const pending = store();
    const [owner, other] = [newSession(), newSession()];
    const id = await pending.hold(CUSTOMER);
    expect(await pending.take(id, owner)).toBeUndefined(); // not opened yet
    await pending.claim(id, owner);
    expect(await pending.take(id, other)).toBeUndefined(); // and left where they are
    expect(await pending.take(id, owner)).toEqual(CUSTOMER);
    expect(await pending.take(id, owner)).toBeUndefined();
    expect(await pending.claim(id, owner)).toBe('gone');
    expect(await pending.take('never-held-this-id-0000', owner)).toBeUndefined();
  });

  it('of two simultaneous takes (a double click), exactly one gets the details', async () => {
    const pending = store();
    const owner = newSession();
    const id = await pending.hold(CUSTOMER);
    await pending.claim(id, owner);
    const takes = await Promise.all(Array.from({ length: 10 }, () => pending.take(id, owner)));
    expect(takes.filter((taken) => taken !== undefined)).toEqual([CUSTOMER]);
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

export function orderStoreContract(store: () => OrderStore, catalog: Catalog): void {
  const orderFor = (sku: string) =>
    buildOrder([{ sku, quantity: 2 }], catalog, CUSTOMER, newOrderNumber(), 1_700_000_000_000)!;

  it('finds an order, as it was placed, only for the session that placed it', async () => {
    const orders = store();
    const [sku] = catalog.products[0].variants.map((variant) => variant.sku);
    const order = orderFor(sku);
    await orders.save('alice', order);
    expect(await orders.find('alice', order.number)).toEqual(order);
    expect(await orders.find('mallory', order.number)).toBeUndefined();
    expect(await orders.find('alice', newOrderNumber())).toBeUndefined();
  });
}
