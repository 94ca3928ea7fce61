// One way to keep per-visitor state in memory without letting it grow: entries expire after an
// idle time, expired ones are dropped on a timer, and past a cap the least recently used entry
// makes room. Used by the memory stores (sessions, carts, orders, held checkouts, traces).
import { LRUCache } from 'lru-cache';

export interface MemoryLimits {
  maxEntries: number;
  idleTtlMs: number;
  /** How often expired entries are dropped; 0 turns the timer off (tests call purgeStale()). */
  pruneEveryMs: number;
  /** A clock in milliseconds; tests pass a fake one. */
  now?: () => number;
}

export function boundedLru<V extends object>(limits: MemoryLimits): LRUCache<string, V> {
  const now = limits.now ?? (() => performance.now());
  const cache = new LRUCache<string, V>({
    max: limits.maxEntries,
    ttl: limits.idleTtlMs,
    updateAgeOnGet: true,
    perf: { now },
  });
  if (limits.pruneEveryMs > 0) setInterval(() => cache.purgeStale(), limits.pruneEveryMs).unref();
  return cache;
}
