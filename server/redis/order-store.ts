// Orders in Redis, shared by every instance: a confirmation link or page may reach any of them.
// One JSON string per order, under a key that names the session that placed it, so an order
// number alone opens nothing. Like in memory, an order is forgotten after the idle time, and each
// read renews it (GETEX).
import type { Order } from '../orders/order';
import type { OrderStore } from '../orders/order-store';
import type { ShopRedisClient } from './client';
import { fromJson, toJson } from './json';
import type { RedisKeys } from './keys';

export class RedisOrderStore implements OrderStore {
  constructor(
    private readonly client: ShopRedisClient,
    private readonly keys: RedisKeys,
    private readonly idleTtlMs: number,
  ) {}

  async save(sessionId: string, order: Order): Promise<void> {
    await this.client.set(this.keys.order(sessionId, order.number), toJson(order), {
      expiration: { type: 'PX', value: this.idleTtlMs },
    });
  }

  async find(sessionId: string, orderNumber: string): Promise<Order | undefined> {
    const key = this.keys.order(sessionId, orderNumber);
    return fromJson(await this.client.getEx(key, { type: 'PX', value: this.idleTtlMs }));
  }
}
