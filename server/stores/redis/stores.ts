// REDIS_URL set: sessions, carts (and the apply links already used), orders, held checkouts, flow
// traces, contact messages and abuse-limit counts all live in one Redis, shared by every instance,
// through one connection. Keys expire after the same time as in memory.
import { RedisStore } from 'connect-redis';
import type { Catalog } from '../../catalog/types';
import type { Logger } from '../../logger';
import type { ShopStores } from '../shop-stores';
import { RedisCartStore } from './cart-store';
import {
  closeRedisClient,
  connectInBackground,
  createRedisClient,
  isRedisFailure,
  redisAnswers,
  withDeadlines,
} from './client';
import { DEFAULT_KEY_PREFIX, redisKeys } from './keys';
import { RedisOrderStore } from './order-store';
import { RedisPendingCheckouts } from './pending-checkouts';
import { RedisRateLimitStore } from './rate-limit-store';
import { RedisMessageBox } from './message-box';
import { RedisTraceRecords } from './trace-records';

export interface RedisStoresOptions {
  url: string;
  catalog: Catalog;
  /** Sessions, carts and orders untouched this long are forgotten. */
  idleTtlMs: number;
  logger: Logger;
}

export async function createRedisStores(options: RedisStoresOptions): Promise<ShopStores> {
  const { url, catalog, idleTtlMs, logger } = options;
  const client = createRedisClient(url, logger);
  await connectInBackground(client);
  const commands = withDeadlines(client);
  const keys = redisKeys(DEFAULT_KEY_PREFIX);
  const idleTtlSeconds = Math.ceil(idleTtlMs / 1000);
  return {
    carts: new RedisCartStore(commands, catalog, keys, idleTtlMs),
    // A function, so connect-redis uses the idle time (renewed by express-session's touch on
    // every request) rather than the cookie's 30 days.
    sessionStore: new RedisStore({
      client: commands,
      prefix: keys.sessionPrefix,
      ttl: () => idleTtlSeconds,
    }),
    orders: new RedisOrderStore(commands, keys, idleTtlMs),
    pending: new RedisPendingCheckouts(commands, keys),
    traceRecords: new RedisTraceRecords(commands, keys),
    messages: new RedisMessageBox(commands, keys),
    rateLimitStore: (name) => new RedisRateLimitStore(commands, keys.rateLimitPrefix(name)),
    isUnavailable: isRedisFailure,
    readinessChecks: [{ name: 'redis', isUp: () => redisAnswers(client) }],
    close: () => closeRedisClient(client),
  };
}
