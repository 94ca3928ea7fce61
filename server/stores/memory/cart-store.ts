// Carts in server memory, keyed by session id. Each change is applied in one synchronous step
// (read, compute, write), so two requests for the same session can never interleave. Carts expire
// with the same idle time as sessions and are capped in number, so memory stays bounded.
import type { LRUCache } from 'lru-cache';
import { applyCartChange, type Cart, type CartChange, type ChangeResult } from '../../cart/cart';
import type { CartStore } from '../../cart/cart-store';
import type { Catalog } from '../../catalog/types';
import { boundedLru, type MemoryLimits } from './bounded-lru';

export class MemoryCartStore implements CartStore {
  private readonly carts: LRUCache<string, Cart>;

  constructor(
    private readonly catalog: Catalog,
    limits: MemoryLimits,
  ) {
    this.carts = boundedLru(limits);
  }

  async get(sessionId: string): Promise<Cart> {
    return this.cartOf(sessionId);
  }

  async apply(sessionId: string, change: CartChange): Promise<ChangeResult> {
    // Read, compute and write with no await in between: atomic in one process.
    const result = applyCartChange(this.cartOf(sessionId), change, this.catalog);
    if (result.ok) {
      if (result.cart.length === 0) this.carts.delete(sessionId);
      else this.carts.set(sessionId, result.cart);
    }
    return result;
  }

  /** The cart, synchronously: for the order store, which places an order in one step. */
  peek(sessionId: string): Cart {
    return this.cartOf(sessionId);
  }

  /** Empties the cart, synchronously (the order store, in the same step). */
  clear(sessionId: string): void {
    this.carts.delete(sessionId);
  }

  private cartOf(sessionId: string): Cart {
    return this.carts.get(sessionId) ?? [];
  }

  /** Drops every expired cart now. */
  prune(): void {
    this.carts.purgeStale();
  }

  get size(): number {
    return this.carts.size;
  }
}
