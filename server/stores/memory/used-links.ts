// The record of single-use links already used, in this process (the memory cart store keeps it and
// checks it in the same synchronous step as the change). Entries only need to live until their link
// expires, so memory is bounded by (links used per link lifetime), capped.
import type { LinkUse } from '../../cart/cart-store';

export class UsedLinks {
  // Insertion order is (close to) expiry order, so pruning only ever looks at the front.
  private readonly used = new Map<string, number>();

  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether this link may be used now: 'fresh', already used, or no room to record it. */
  check(nonce: string): 'fresh' | 'replayed' | 'busy' {
    this.pruneExpired();
    if (this.used.has(nonce)) return 'replayed';
    // Full of unexpired links: refuse rather than forget one (forgetting would allow a replay).
    return this.used.size >= this.maxEntries ? 'busy' : 'fresh';
  }

  /** Records a link `check` found fresh, once its change is applied. */
  record(link: LinkUse): void {
    this.used.set(link.nonce, link.expiresAtMs);
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
