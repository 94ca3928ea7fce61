// Carts in server memory, keyed by session id. Each change is applied in one synchronous step
// (read, compute, write), so two requests for the same session can never interleave. Carts expire
// with the same idle time as sessions and are capped in number, so memory stays bounded. The
// record of used single-use links lives here too, checked and written in the change's own step.
import type { LRUCache } from 'lru-cache';
import { applyCartChange, type Cart, type CartChange, type ChangeResult } from '../../cart/cart';
import type { CartStore, LinkUse, OnceResult } from '../../cart/cart-store';
import type { Catalog } from '../../catalog/types';
import { boundedLru, type MemoryLimits } from './bounded-lru';
import { UsedLinks } from './used-links';

export class MemoryCartStore implements CartStore {
  private readonly carts: LRUCache<string, Cart>;

  constructor(
    private readonly catalog: Catalog,
    limits: MemoryLimits,
    private readonly usedLinks = new UsedLinks(),
  ) {
    this.carts = boundedLru(limits);
  }

  async get(sessionId: string): Promise<Cart> {
    return this.cartOf(sessionId);
  }

  async apply(sessionId: string, change: CartChange): Promise<ChangeResult> {
    return this.applyNow(sessionId, change);
  }

  /** Reads, computes and writes with no await in between: atomic in one process. */
  private applyNow(sessionId: string, change: CartChange): ChangeResult {
    const result = applyCartChange(this.cartOf(sessionId), change, this.catalog);
    if (result.ok) {
      if (result.cart.length === 0) this.carts.delete(sessionId);
      else this.carts.set(sessionId, result.cart);
    }
    return result;
  }

  async applyOnce(sessionId: string, change: CartChange, link: LinkUse): Promise<OnceResult> {
    // Check the link, apply the change and record the link with no await in between: one step.
    const use = this.usedLinks.check(link.nonce);
    if (use !== 'fresh') return use;
    const result = this.applyNow(sessionId, change);
    if (result.ok) this.usedLinks.record(link);
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
