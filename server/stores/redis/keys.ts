// Every Redis key BestClips writes, in one place. A prefix keeps the shop apart from anything else
// in the same Redis (and tests apart from each other); `{sid}` is a hash tag, so a cart's two keys
// (and the session's orders) live in the same slot and one script may touch both, even on a Redis
// Cluster.

export const DEFAULT_KEY_PREFIX = 'bestclips:';

export interface CartKeys {
  /** Hash: SKU → quantity. */
  lines: string;
  /** Sorted set: SKU → position, so lines keep the order they were first added in. */
  order: string;
}

/** A checkout held for a cache page without the cookie (see checkout/pending-checkouts.ts). */
export interface CheckoutKeys {
  /** String (JSON): the details typed at checkout, until the link expires. */
  details: string;
  /** String: the session that opened the link first, the only one that may use the details. */
  claim: string;
  /** String (JSON): which session placed which order with them, for replays. */
  receipt: string;
}

export function redisKeys(prefix: string) {
  return {
    /** express-session's record (connect-redis adds the session id). */
    sessionPrefix: `${prefix}sess:`,
    cart: (sessionId: string): CartKeys => ({
      lines: `${prefix}cart:{${sessionId}}`,
      order: `${prefix}cart:{${sessionId}}:order`,
    }),
    nonce: (nonce: string) => `${prefix}nonce:${nonce}`,
    /** A flow trace: waiting under an apply URL's nonce, or the session's latest. */
    trace: (kind: 'pending' | 'session', id: string) => `${prefix}trace:${kind}:${id}`,
    /** The contact messages, newest first (a capped list). */
    messages: `${prefix}messages`,
    /** express-rate-limit's counters for one limit (the client's key follows). */
    rateLimitPrefix: (limit: string) => `${prefix}limit:${limit}:`,
    /** An order, under the session that placed it: only that session can name the key. */
    order: (sessionId: string, orderNumber: string) =>
      `${prefix}order:{${sessionId}}:${orderNumber}`,
    /** Which order a held checkout placed for this session: a second "Place order" finds it. */
    placed: (sessionId: string, checkoutId: string) =>
      `${prefix}placed:{${sessionId}}:${checkoutId}`,
    checkout: (pendingId: string): CheckoutKeys => ({
      details: `${prefix}checkout:{${pendingId}}`,
      claim: `${prefix}checkout:{${pendingId}}:claim`,
      receipt: `${prefix}checkout:{${pendingId}}:receipt`,
    }),
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
