// How much per-visitor state the memory stores keep (sessions, carts and orders alike). Redis keys
// expire after the same idle time.
import type { MemoryLimits } from './bounded-lru';

const DAY_MS = 24 * 60 * 60 * 1000;

export const VISITOR_STATE_LIMITS: MemoryLimits = {
  // ~100k visitors with a cart fit in well under 100 MB (measured by `npm run bench`).
  maxEntries: 100_000,
  // A cart left alone for a week is forgotten.
  idleTtlMs: 7 * DAY_MS,
  pruneEveryMs: 10 * 60 * 1000,
};
