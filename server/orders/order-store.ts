// Orders live in server memory like carts: bounded, expiring, least recently used first out. They
// are keyed by the session that placed them, so an order number alone opens nothing: only that
// session (its cookie) can find the order again.
//
// Placing an order is ONE step: the order is kept and the cart emptied together, or neither
// happens. Emptying the cart first and then keeping the order (two steps) would lose both if the
// process died in between.
import type { LRUCache } from 'lru-cache';
import type { Cart } from '../cart/cart';
import type { MemoryCartStore } from '../stores/memory/cart-store';
import { boundedLru, type MemoryLimits } from '../stores/memory/bounded-lru';
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

export class MemoryOrderStore implements OrderStore {
  private readonly orders: LRUCache<string, Order>;
  /** Which order each held checkout placed (session + checkout id → order number). */
  private readonly placedBy: LRUCache<string, { number: string }>;

  constructor(
    limits: MemoryLimits,
    private readonly carts: MemoryCartStore,
    private readonly faults: PlacementFaults = {},
  ) {
    this.orders = boundedLru(limits);
    // Kept as long as the orders themselves (as in Redis).
    this.placedBy = boundedLru(limits);
  }

  // No await from the first read to the last write: one step, whatever runs concurrently.
  async place(sessionId: string, make: MakeOrder, checkoutId?: string): Promise<PlaceOutcome> {
    const marker = checkoutId === undefined ? undefined : keyOf(sessionId, checkoutId);
    const before = marker && this.placedBy.get(marker);
    const placed = before && this.orders.get(keyOf(sessionId, before.number));
    if (placed) return { order: placed, placedNow: false };
    const order = make(this.carts.peek(sessionId));
    if (!order) return 'empty-cart';
    this.faults.beforeCommit?.();
    this.orders.set(keyOf(sessionId, order.number), order);
    this.carts.clear(sessionId);
    if (marker) this.placedBy.set(marker, { number: order.number });
    return { order, placedNow: true };
  }

  async find(sessionId: string, orderNumber: string): Promise<Order | undefined> {
    return this.orders.get(keyOf(sessionId, orderNumber));
  }

  get size(): number {
    return this.orders.size;
  }
}

function keyOf(sessionId: string, name: string): string {
  return `${sessionId}\n${name}`;
}
