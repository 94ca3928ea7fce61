// Where carts are kept, keyed by session id: in this process (stores/memory/cart-store.ts) or in
// Redis (stores/redis/cart-store.ts). Either way a change is one atomic step (read, compute,
// write), so two requests for the same session can never interleave and lose an update — unlike
// a load-modify-save of a whole session object.
import type { Cart, CartChange, ChangeResult } from './cart';

/** Asynchronous, so a shared store (Redis) can stand in for the in-memory one. */
export interface CartStore {
  get(sessionId: string): Promise<Cart>;
  apply(sessionId: string, change: CartChange): Promise<ChangeResult>;
}
