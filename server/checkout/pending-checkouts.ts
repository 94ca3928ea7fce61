// Checkout from a cache page whose browser held the cookie back (step 3 for orders). The details
// the shopper typed must reach the origin, but personal data never goes into a URL (URLs end up in
// logs, history and shared links). So they wait here, under a random id, for as long as the signed
// link that carries only that id is valid. Once the order is placed the details are dropped; a
// small receipt (which session, which order) stays a while, so a reload or the back button on the
// link shows that order again instead of placing another one.
import type { LRUCache } from 'lru-cache';
import { boundedLru, type MemoryLimits } from '../memory/bounded-lru';
import { LINK_TTL_SECONDS, newNonce } from '../flow/signed-link';
import type { CustomerDetails } from '../orders/order';

export interface Receipt {
  sessionId: string;
  orderNumber: string;
}

type Entry = { customer: CustomerDetails } | { receipt: Receipt };

export const PENDING_CHECKOUT_LIMITS: MemoryLimits = {
  // A waiting entry is well under 1 KB: at most ~10 MB. Full, the oldest makes room (its link
  // then says it has expired).
  maxEntries: 10_000,
  // How long a receipt answers replays of a used link; waiting details only live as long as it.
  idleTtlMs: 60 * 60 * 1000,
  // Abandoned details are dropped within a minute of their link expiring.
  pruneEveryMs: 60 * 1000,
};

/** Asynchronous, so a shared store can stand in for the in-memory one. */
export interface PendingCheckoutStore {
  /** Keeps the details until the link expires; returns the id the link carries. */
  hold(customer: CustomerDetails): Promise<string>;
  /** The details, once: a second take (or an unknown or expired id) finds nothing. */
  take(id: string): Promise<CustomerDetails | undefined>;
  /** Records which order a used link placed, for its replays. */
  recordReceipt(id: string, receipt: Receipt): Promise<void>;
  receipt(id: string): Promise<Receipt | undefined>;
}

export class MemoryPendingCheckouts implements PendingCheckoutStore {
  private readonly entries: LRUCache<string, Entry>;

  constructor(limits: MemoryLimits = PENDING_CHECKOUT_LIMITS) {
    this.entries = boundedLru(limits);
  }

  async hold(customer: CustomerDetails): Promise<string> {
    const id = newNonce();
    this.entries.set(id, { customer }, { ttl: LINK_TTL_SECONDS * 1000 });
    return id;
  }

  async take(id: string): Promise<CustomerDetails | undefined> {
    const entry = this.entries.get(id);
    if (!entry || !('customer' in entry)) return undefined;
    this.entries.delete(id); // in the same step: two requests for one link cannot both get them
    return entry.customer;
  }

  async recordReceipt(id: string, receipt: Receipt): Promise<void> {
    this.entries.set(id, { receipt });
  }

  async receipt(id: string): Promise<Receipt | undefined> {
    const entry = this.entries.get(id);
    return entry && 'receipt' in entry ? entry.receipt : undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}
