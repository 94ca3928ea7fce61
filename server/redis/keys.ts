// Every Redis key BestClips writes, in one place. A prefix keeps the shop apart from anything else
// in the same Redis (and tests apart from each other); `{sid}` is a hash tag, so a cart's two keys
// live in the same slot and one script may touch both, even on a Redis Cluster.

export const DEFAULT_KEY_PREFIX = 'bestclips:';

export interface CartKeys {
  /** Hash: SKU → quantity. */
  lines: string;
  /** Sorted set: SKU → position, so lines keep the order they were first added in. */
  order: string;
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
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
