// Where carts are kept, keyed by session id: in this process (stores/memory/cart-store.ts) or in
// Redis (stores/redis/cart-store.ts). Either way a change is one atomic step (read, compute,
// write), so two requests for the same session can never interleave and lose an update — unlike
// a load-modify-save of a whole session object.
//
// A change that arrives by a single-use link (step 4 of the flow) is applied with `applyOnce`:
// using the link up and applying its change are one atomic step too, so a store that fails, or an
// instance that dies, can never leave a link used up with its change lost (nor apply it twice).
import type { Cart, CartChange, ChangeResult } from './cart';

/** A single-use link: its nonce, and when it expires (the record of it may go then). */
export interface LinkUse {
  nonce: string;
  expiresAtMs: number;
}

/**
 * What `applyOnce` answers: the change's result (a refused change leaves the link unused, so
 * retrying it is harmless); 'replayed' when the link was already used (nothing changed); 'busy'
 * when the record of used links cannot take another (memory only; nothing changed).
 */
export type OnceResult = ChangeResult | 'replayed' | 'busy';

/** Asynchronous, so a shared store (Redis) can stand in for the in-memory one. */
export interface CartStore {
  get(sessionId: string): Promise<Cart>;
  apply(sessionId: string, change: CartChange): Promise<ChangeResult>;
  /** Applies the change of a single-use link, and records the link as used, in one step. */
  applyOnce(sessionId: string, change: CartChange, link: LinkUse): Promise<OnceResult>;
}
