// Where visitor state lives — sessions, carts, used links, orders, checkouts waiting for their
// confirmation, flow traces, contact messages and abuse-limit counts: in this process (the
// default: one instance, nothing to run) or in Redis when REDIS_URL is set (any number of
// instances behind a load balancer). The rest of the shop only sees these interfaces.
import type { Catalog } from '../catalog/types';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { MemoryLimits } from './memory/bounded-lru';
import { createMemoryStores } from './memory/stores';
import type { ShopStores } from './shop-stores';

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
  return createMemoryStores(catalog, limits);
}
