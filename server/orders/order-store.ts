// Orders live in server memory like carts: bounded, expiring, least recently used first out. They
// are keyed by the session that placed them, so an order number alone opens nothing: only that
// session (its cookie) can find the order again.
import type { LRUCache } from 'lru-cache';
import { boundedLru, type MemoryLimits } from '../memory/bounded-lru';
import type { Order } from './order';

/** Asynchronous, so a shared store (a database) can stand in for the in-memory one. */
export interface OrderStore {
  save(sessionId: string, order: Order): Promise<void>;
  find(sessionId: string, orderNumber: string): Promise<Order | undefined>;
}

export class MemoryOrderStore implements OrderStore {
  private readonly orders: LRUCache<string, Order>;

  constructor(limits: MemoryLimits) {
    this.orders = boundedLru(limits);
  }

  async save(sessionId: string, order: Order): Promise<void> {
    this.orders.set(keyOf(sessionId, order.number), order);
  }

  async find(sessionId: string, orderNumber: string): Promise<Order | undefined> {
    return this.orders.get(keyOf(sessionId, orderNumber));
  }

  get size(): number {
    return this.orders.size;
  }
}

function keyOf(sessionId: string, orderNumber: string): string {
  return `${sessionId}\n${orderNumber}`;
}
