// Carts live in server memory, keyed by session id. Each change is applied in one synchronous
// step (read, compute, write), so two requests for the same session can never interleave and lose
// an update — unlike a load-modify-save of a whole session object.
import type { Catalog } from '../catalog/types';
import { applyCartChange, type Cart, type CartChange, type ChangeResult } from './cart';

export interface CartStore {
  get(sessionId: string): Cart;
  apply(sessionId: string, change: CartChange): ChangeResult;
}

export class MemoryCartStore implements CartStore {
  private readonly carts = new Map<string, Cart>();

  constructor(private readonly catalog: Catalog) {}

  get(sessionId: string): Cart {
    return this.carts.get(sessionId) ?? [];
  }

  apply(sessionId: string, change: CartChange): ChangeResult {
    const result = applyCartChange(this.get(sessionId), change, this.catalog);
    if (result.ok) {
      if (result.cart.length === 0) this.carts.delete(sessionId);
      else this.carts.set(sessionId, result.cart);
    }
    return result;
  }
}
