// Placing an order, wherever the request came from (the checkout API's direct path, or "Place
// order" after a redirect): the session's cart becomes an order, priced from the catalog now, and
// the store keeps it and empties the cart in one step (see order-store.ts).
import type { Catalog } from '../catalog/types';
import type { FlowObserver } from '../flow/flow-events';
import { buildOrder, newOrderNumber, type CustomerDetails, type Order } from './order';
import type { OrderStore } from './order-store';

export type PlaceResult = { ok: true; order: Order } | { ok: false; error: string };

/** `checkoutId`: the held checkout this order is for; placing it twice finds the first order. */
export type PlaceOrder = (
  sessionId: string,
  customer: CustomerDetails,
  checkoutId?: string,
) => Promise<PlaceResult>;

export const EMPTY_CART = 'Your cart is empty, so there is nothing to order yet.';
export const CART_KEPT_CHANGING =
  'Your cart changed while we were placing your order. Please check it and try again.';

export function createOrderPlacer(deps: {
  catalog: Catalog;
  orders: OrderStore;
  now?: () => number;
  /** Told of each order placed (the metrics). */
  observe?: FlowObserver;
}): PlaceOrder {
  const { catalog, orders, now = Date.now, observe } = deps;
  return async (sessionId, customer, checkoutId) => {
    const outcome = await orders.place(
      sessionId,
      (cart) => buildOrder(cart, catalog, customer, newOrderNumber(), now()),
      checkoutId,
    );
    if (outcome === 'empty-cart') return { ok: false, error: EMPTY_CART };
    if (outcome === 'cart-changed') return { ok: false, error: CART_KEPT_CHANGING };
    if (outcome.placedNow) await observe?.({ type: 'order-placed' });
    return { ok: true, order: outcome.order };
  };
}
