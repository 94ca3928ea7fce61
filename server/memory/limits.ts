// How much per-visitor state the server keeps in memory (sessions and carts alike).
import type { MemoryLimits } from './bounded-lru';

const DAY_MS = 24 * 60 * 60 * 1000;

export const VISITOR_STATE_LIMITS: MemoryLimits = {
  // ~100k visitors with a cart fit in well under 100 MB (measured by `npm run bench`).
  maxEntries: 100_000,
  // A cart left alone for a week is forgotten.
  idleTtlMs: 7 * DAY_MS,
  pruneEveryMs: 10 * 60 * 1000,
};

/**
 * Bytes of shared pages (identity, gzip and brotli of each) kept in memory. A product page is
 * ~45 KB in all three; 48 MB holds about a thousand of them. With a 10,000-product catalog the
 * pages people actually visit stay; the others are built again (~10 ms) when next asked for.
 */
export const SHARED_PAGE_BYTES = 48 * 1024 * 1024;
