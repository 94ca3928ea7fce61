import { MemoryCartStore } from '../server/stores/memory/cart-store';
import { buildOrder, newOrderNumber, ORDER_NUMBER } from '../server/orders/order';
import { MemoryOrderStore } from '../server/stores/memory/order-store';
import { createOrderPlacer, EMPTY_CART } from '../server/orders/place-order';
import type { FlowEvent } from '../server/flow/flow-events';
import { VISITOR_STATE_LIMITS } from '../server/stores/memory/limits';
import { CUSTOMER } from './helpers/customer';
import { fakeCatalog } from './helpers/fake-catalog';

const catalog = fakeCatalog();

describe('buildOrder', () => {
  it('freezes names and prices from the catalog, with the totals of the cart', () => {
    const cart = [
      { sku: 'CL-SLV-100', quantity: 2 },
      { sku: 'CL-GLD-50', quantity: 1 },
    ];
    expect(buildOrder(cart, catalog, CUSTOMER, 'BC-0000-0000', 1234)).toEqual({
      number: 'BC-0000-0000',
      placedAt: 1234,
      lines: [
        {
          sku: 'CL-SLV-100',
          name: 'Classic Clips & Co',
          variant: 'Silver, pack of 100',
          quantity: 2,
          unitPriceCents: 450,
          lineTotalCents: 900,
        },
        {
          sku: 'CL-GLD-50',
          name: 'Classic Clips & Co',
          variant: 'Gold, pack of 50',
          quantity: 1,
          unitPriceCents: 1299,
          lineTotalCents: 1299,
        },
      ],
      itemCount: 3,
      subtotalCents: 2199,
      shippingCents: 495,
      totalCents: 2694,
      customer: CUSTOMER,
    });
  });

  it('has nothing to order for an empty cart, or one whose products left the catalog', () => {
    expect(buildOrder([], catalog, CUSTOMER, 'BC-0000-0000', 0)).toBeUndefined();
    expect(
      buildOrder([{ sku: 'GONE', quantity: 1 }], catalog, CUSTOMER, 'BC-0000-0000', 0),
    ).toBeUndefined();
  });
});

describe('newOrderNumber', () => {
  it('reads BC-XXXX-XXXX without I, L, O or U, and does not repeat', () => {
    const numbers = Array.from({ length: 500 }, newOrderNumber);
    for (const number of numbers) expect(number).toMatch(ORDER_NUMBER);
    expect(numbers.join('')).not.toMatch(/[ILOU]/);
    expect(new Set(numbers).size).toBe(500);
  });
});

describe('createOrderPlacer', () => {
  function setup() {
    const carts = new MemoryCartStore(catalog, VISITOR_STATE_LIMITS);
    const orders = new MemoryOrderStore(VISITOR_STATE_LIMITS, carts);
    const observed: FlowEvent[] = [];
    const observe = (event: FlowEvent) => void observed.push(event);
    const place = createOrderPlacer({ catalog, orders, now: () => 42, observe });
    return { carts, orders, place, observed };
  }

  it('places the session’s cart, empties it, and keeps the order for that session', async () => {
    const { carts, orders, place } = setup();
    await carts.apply('s1', { op: 'add', sku: 'CL-SLV-100', quantity: 3 });
    await carts.apply('s2', { op: 'add', sku: 'CL-GLD-50', quantity: 1 });
    const result = await place('s1', CUSTOMER);
    if (!result.ok) throw new Error(result.error);
    expect(result.order).toMatchObject({ placedAt: 42, itemCount: 3, customer: CUSTOMER });
    expect(await carts.get('s1')).toEqual([]);
    expect(await carts.get('s2')).toEqual([{ sku: 'CL-GLD-50', quantity: 1 }]);
    expect(await orders.find('s1', result.order.number)).toBe(result.order);
  });

  it('an empty cart places nothing', async () => {
    const { orders, place } = setup();
    expect(await place('nobody', CUSTOMER)).toEqual({ ok: false, error: EMPTY_CART });
    expect(orders.size).toBe(0);
  });

  it('two placements at once order the cart once', async () => {
    const { carts, orders, place } = setup();
    await carts.apply('s1', { op: 'add', sku: 'CL-SLV-100', quantity: 1 });
    const results = await Promise.all([place('s1', CUSTOMER), place('s1', CUSTOMER)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(orders.size).toBe(1);
  });

  it('reports an order placed once, however often its held checkout is placed again', async () => {
    const { carts, place, observed } = setup();
    await carts.apply('s1', { op: 'add', sku: 'CL-SLV-100', quantity: 1 });
    const first = await place('s1', CUSTOMER, 'checkout-1');
    const again = await place('s1', CUSTOMER, 'checkout-1');
    expect(first.ok && again.ok && again.order.number === first.order.number).toBe(true);
    expect(observed).toEqual([{ type: 'order-placed' }]);
  });
});
