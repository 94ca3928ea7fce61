// Single use for apply URLs (step 4): a nonce is consumed the first time its URL is applied, so a
// replay changes nothing. Kept in this process (stores/memory/nonce-store.ts) or in Redis, shared
// by every instance (stores/redis/nonce-store.ts).
export type NonceResult = 'fresh' | 'replayed' | 'busy';

export interface NonceStore {
  consume(nonce: string, expiresAtMs: number): Promise<NonceResult>;
}
