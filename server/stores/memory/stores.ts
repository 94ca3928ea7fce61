// No REDIS_URL: sessions, carts (and the apply links already used), orders, held checkouts, flow
// traces and contact messages all live in this process, each store bounded; abuse-limit counts stay
// in express-rate-limit's own memory store. One instance, nothing to run.
import type { Catalog } from '../../catalog/types';
import type { ShopStores } from '../shop-stores';
import type { MemoryLimits } from './bounded-lru';
import { MemoryCartStore } from './cart-store';
import { MemoryMessageBox } from './message-box';
import { MemoryOrderStore } from './order-store';
import { MemoryPendingCheckouts, PENDING_CHECKOUT_LIMITS } from './pending-checkouts';
import { BoundedMemoryStore } from './session-store';
import { MemoryTraceRecords } from './trace-records';

export function createMemoryStores(catalog: Catalog, limits: MemoryLimits): ShopStores {
  const carts = new MemoryCartStore(catalog, limits);
  const sessions = new BoundedMemoryStore(limits);
  const orders = new MemoryOrderStore(limits, carts);
  const pending = new MemoryPendingCheckouts({ ...PENDING_CHECKOUT_LIMITS, now: limits.now });
  return {
    carts,
    sessionStore: sessions,
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
