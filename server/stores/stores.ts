// Where visitor state lives — sessions, carts, used links, orders, checkouts waiting for their
// confirmation, flow traces, contact messages and abuse-limit counts: in this process (the
// default: one instance, nothing to run) or in Redis when REDIS_URL is set (any number of
// instances behind a load balancer). The rest of the shop only sees these interfaces.
import type session from 'express-session';
import type { Store as RateLimitStore } from 'express-rate-limit';
import { MemoryCartStore, type CartStore } from '../cart/cart-store';
import type { Catalog } from '../catalog/types';
import {
  MemoryPendingCheckouts,
  PENDING_CHECKOUT_LIMITS,
  type PendingCheckoutStore,
} from '../checkout/pending-checkouts';
import type { Config } from '../config';
import { MemoryMessageBox, type MessageBox } from '../contact/message-box';
import { MemoryTraceRecords, type TraceRecords } from '../flow/flow-trace';
import { MemoryNonceStore, type NonceStore } from './nonce-store';
import { BoundedMemoryStore } from './session-store';
import type { ReadinessCheck } from '../health';
import type { Logger } from '../logger';
import type { MemoryLimits } from '../memory/bounded-lru';
import type { LimitName } from '../rate-limits';
import { MemoryOrderStore, type OrderStore } from '../orders/order-store';
import { createRedisStores } from './redis/stores';

export interface ShopStores {
  carts: CartStore;
  sessionStore: session.Store;
  nonces: NonceStore;
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

export async function createStores(
  config: Config,
  catalog: Catalog,
  limits: MemoryLimits,
  logger: Logger,
): Promise<ShopStores> {
  if (config.redisUrl) {
    return createRedisStores({
      url: config.redisUrl,
      catalog,
      idleTtlMs: limits.idleTtlMs,
      logger,
    });
  }
  const carts = new MemoryCartStore(catalog, limits);
  const sessions = new BoundedMemoryStore(limits);
  const orders = new MemoryOrderStore(limits, carts);
  const pending = new MemoryPendingCheckouts({ ...PENDING_CHECKOUT_LIMITS, now: limits.now });
  return {
    carts,
    sessionStore: sessions,
    nonces: new MemoryNonceStore(),
    orders,
    pending,
    traceRecords: new MemoryTraceRecords(),
    messages: new MemoryMessageBox(),
    rateLimitStore: () => undefined,
    isUnavailable: () => false,
    readinessChecks: [],
    close: async () => undefined,
    memory: { carts, sessions, orders, pending },
  };
}
