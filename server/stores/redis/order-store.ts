// Orders in Redis, shared by every instance: a confirmation link or page may reach any of them.
// One JSON string per order, under a key that names the session that placed it, so an order
// number alone opens nothing. Like in memory, an order is forgotten after the idle time, and each
// read renews it (GETEX). Placing one is a single script (order-scripts.ts): the order is kept and
// the cart emptied together, or neither.
import type { Order } from '../../orders/order';
import type {
  MakeOrder,
  OrderStore,
  PlaceOutcome,
  PlacementFaults,
} from '../../orders/order-store';
import { cartOf } from './cart-store';
import type { ShopRedisClient } from './client';
import { fromJson, toJson } from './json';
import type { RedisKeys } from './keys';

/** Reading the cart again after a change slipped in between: a few times, then the shopper. */
const MAX_ATTEMPTS = 3;

export class RedisOrderStore implements OrderStore {
  constructor(
    private readonly client: ShopRedisClient,
    private readonly keys: RedisKeys,
    private readonly idleTtlMs: number,
    private readonly faults: PlacementFaults = {},
  ) {}

  async place(sessionId: string, make: MakeOrder, checkoutId?: string): Promise<PlaceOutcome> {
    const cart = this.keys.cart(sessionId);
    const markerKey =
      checkoutId === undefined ? undefined : this.keys.placed(sessionId, checkoutId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const expectedCart = await this.client.cartRead(cart, this.idleTtlMs);
      const order = make(cartOf(expectedCart));
      if (!order) {
        // An empty cart: perhaps because this very checkout was placed a moment ago.
        const before = markerKey && (await this.client.get(markerKey));
        return (before && (await this.placedOrder(sessionId, before))) || 'empty-cart';
      }
      this.faults.beforeCommit?.();
      const [status, number] = await this.client.orderPlace({
        cart,
        orderKey: this.keys.order(sessionId, order.number),
        markerKey,
        expectedCart,
        orderJson: toJson(order),
        orderNumber: order.number,
        ttlMs: this.idleTtlMs,
      });
      if (status === 'placed') return { order, placedNow: true };
      if (status === 'placed-before') {
        return (await this.placedOrder(sessionId, number)) ?? 'empty-cart';
      }
    }
    return 'cart-changed';
  }

  async find(sessionId: string, orderNumber: string): Promise<Order | undefined> {
    const key = this.keys.order(sessionId, orderNumber);
    return fromJson(await this.client.getEx(key, { type: 'PX', value: this.idleTtlMs }));
  }

  private async placedOrder(sessionId: string, number: string): Promise<PlaceOutcome | undefined> {
    const order = await this.find(sessionId, number);
    return order && { order, placedNow: false };
  }
}
