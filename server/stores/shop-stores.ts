// What the rest of the shop sees of where visitor state lives (stores.ts picks memory or Redis).
import type session from 'express-session';
import type { Store as RateLimitStore } from 'express-rate-limit';
import type { CartStore } from '../cart/cart-store';
import type { PendingCheckoutStore } from '../checkout/pending-checkouts';
import type { MessageBox } from '../contact/message-box';
import type { TraceRecords } from '../flow/flow-trace';
import type { ReadinessCheck } from '../health';
import type { OrderStore } from '../orders/order-store';
import type { LimitName } from '../rate-limits';
import type { MemoryCartStore } from './memory/cart-store';
import type { MemoryOrderStore } from './memory/order-store';
import type { MemoryPendingCheckouts } from './memory/pending-checkouts';
import type { BoundedMemoryStore } from './memory/session-store';

export interface ShopStores {
  carts: CartStore;
  sessionStore: session.Store;
  orders: OrderStore;
  /** Checkout details held for cache pages without the cookie, until the shopper confirms. */
  pending: PendingCheckoutStore;
  /** What the cart page's trace panel shows, kept where every instance can read it. */
  traceRecords: TraceRecords;
  /** Contact messages, one box for every instance. */
  messages: MessageBox;
  /** Where the abuse limits count (see rate-limits.ts): shared by every instance, or undefined for
   * this process's memory. */
  rateLimitStore(name: LimitName): RateLimitStore | undefined;
  /** True for an error that means "the store could not answer": the request gets a 503. */
  isUnavailable(error: unknown): boolean;
  /** What /readyz asks before saying this instance may take traffic. */
  readinessChecks: ReadinessCheck[];
  close(): Promise<void>;
  /** Set when state is in this process: the stores themselves, for their sizes. */
  memory?: {
    carts: MemoryCartStore;
    sessions: BoundedMemoryStore;
    orders: MemoryOrderStore;
    pending: MemoryPendingCheckouts;
  };
}
