// Orders in server memory like carts: bounded, expiring, least recently used first out, keyed by
// the session that placed them. Placing one keeps the order and empties the cart in one
// synchronous step, with no await in between.
import type { LRUCache } from 'lru-cache';
import type { Order } from '../../orders/order';
import type {
  MakeOrder,
  OrderStore,
  PlacementFaults,
  PlaceOutcome,
} from '../../orders/order-store';
import { boundedLru, type MemoryLimits } from './bounded-lru';
import type { MemoryCartStore } from './cart-store';

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
