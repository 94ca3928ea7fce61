// Placing an order, wherever the request came from (the checkout API's direct path, or the origin
// GET after a redirect): take the session's cart — emptying it in the same step, so two requests
// can never order it twice — and keep the order for that session.
import type { CartStore } from '../cart/cart-store';
import type { Catalog } from '../catalog/types';
import type { FlowObserver } from '../flow/flow-events';
import { buildOrder, newOrderNumber, type CustomerDetails, type Order } from './order';
import type { OrderStore } from './order-store';

export type PlaceResult = { ok: true; order: Order } | { ok: false; error: string };

export type PlaceOrder = (sessionId: string, customer: CustomerDetails) => Promise<PlaceResult>;

export const EMPTY_CART = 'Your cart is empty, so there is nothing to order yet.';

export function createOrderPlacer(deps: {
  catalog: Catalog;
  carts: CartStore;
  orders: OrderStore;
  now?: () => number;
  /** Told of each order placed (the metrics). */
  observe?: FlowObserver;
}): PlaceOrder {
  const { catalog, carts, orders, now = Date.now, observe } = deps;
  return async (sessionId, customer) => {
    const cart = await carts.take(sessionId);
    const order = buildOrder(cart, catalog, customer, newOrderNumber(), now());
    if (!order) return { ok: false, error: EMPTY_CART };
    await orders.save(sessionId, order);
    observe?.({ type: 'order-placed' });
    return { ok: true, order };
  };
}
