// Where orders are kept: keyed by the session that placed them, so an order number alone opens
// nothing: only that session (its cookie) can find the order again. In this process
// (stores/memory/order-store.ts) or in Redis (stores/redis/order-store.ts).
//
// Placing an order is ONE step: the order is kept and the cart emptied together, or neither
// happens. Emptying the cart first and then keeping the order (two steps) would lose both if the
// process died in between.
import type { Cart } from '../cart/cart';
import type { Order } from './order';

/** Builds the order for a cart (undefined: nothing to order). Pure: it may run more than once. */
export type MakeOrder = (cart: Cart) => Order | undefined;

/**
 * What placing found: the order (placed now, or the one this checkout placed before), an empty
 * cart, or a cart that kept changing while the order was being kept (Redis; the shopper tries
 * again).
 */
export type PlaceOutcome = { order: Order; placedNow: boolean } | 'empty-cart' | 'cart-changed';

/**
 * A fault hook for tests: called after the cart was read and the order built, just before the
 * one step that keeps the order and empties the cart. A hook that throws is a crash right there.
 */
export interface PlacementFaults {
  beforeCommit?(): void;
}

/** Asynchronous, so a shared store (Redis) can stand in for the in-memory one. */
export interface OrderStore {
  /**
   * Turns this session's cart into an order: keeps the order and empties the cart in one atomic
   * step. With `checkoutId` (a held checkout) it happens once per checkout: a second call finds the
   * order the first one placed, whatever the cart holds by then.
   */
  place(sessionId: string, make: MakeOrder, checkoutId?: string): Promise<PlaceOutcome>;
  find(sessionId: string, orderNumber: string): Promise<Order | undefined>;
}
