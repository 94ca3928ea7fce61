// Single use for apply URLs in this process (see flow/nonce-store.ts). Entries only need to live
// until the URL expires, so memory is bounded by (URLs applied per TTL), capped.
import type { NonceResult, NonceStore } from '../../flow/nonce-store';

export class MemoryNonceStore implements NonceStore {
  // Insertion order is (close to) expiry order, so pruning only ever looks at the front.
  private readonly used = new Map<string, number>();

  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async consume(nonce: string, expiresAtMs: number): Promise<NonceResult> {
    this.pruneExpired();
    if (this.used.has(nonce)) return 'replayed';
    // Full of unexpired nonces: refuse rather than forget one (forgetting would allow a replay).
    if (this.used.size >= this.maxEntries) return 'busy';
    this.used.set(nonce, expiresAtMs);
    return 'fresh';
  }

  get size(): number {
    return this.used.size;
  }

  private pruneExpired(): void {
    const now = this.now();
    for (const [nonce, expiresAt] of this.used) {
      if (expiresAt > now) break;
      this.used.delete(nonce);
    }
  }
}
