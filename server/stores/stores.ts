// Where visitor state lives — sessions, carts, used links, orders, checkouts waiting for their
// confirmation, flow traces, contact messages and abuse-limit counts: in this process (the
// default: one instance, nothing to run) or in Redis when REDIS_URL is set (any number of
// instances behind a load balancer). The rest of the shop only sees these interfaces.
import type { Catalog } from '../catalog/types';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { MemoryLimits } from './memory/bounded-lru';
import { MemoryCartStore } from './memory/cart-store';
import { MemoryMessageBox } from './memory/message-box';
import { MemoryNonceStore } from './memory/nonce-store';
import { MemoryOrderStore } from './memory/order-store';
import { MemoryPendingCheckouts, PENDING_CHECKOUT_LIMITS } from './memory/pending-checkouts';
import { BoundedMemoryStore } from './memory/session-store';
import { MemoryTraceRecords } from './memory/trace-records';
import type { ShopStores } from './shop-stores';

export type { ShopStores } from './shop-stores';

export async function createStores(
  config: Config,
  catalog: Catalog,
  limits: MemoryLimits,
  logger: Logger,
): Promise<ShopStores> {
  if (config.redisUrl) {
    // Loaded only when used: the Redis client is ~75 ms of start-up a shop without Redis never needs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createRedisStores } = require('./redis/stores') as typeof import('./redis/stores');
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
