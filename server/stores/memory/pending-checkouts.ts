// Checkouts held in server memory (see checkout/pending-checkouts.ts): one bounded, expiring entry
// per id, the details until their link expires, then the receipt that replaces them.
import type { LRUCache } from 'lru-cache';
import { newNonce } from '../../amp/signed-link';
import {
  PENDING_CHECKOUT_TTL,
  type Claim,
  type PendingCheckoutStore,
  type Receipt,
} from '../../checkout/pending-checkouts';
import type { CustomerDetails } from '../../orders/order';
import { boundedLru, type MemoryLimits } from './bounded-lru';

export const PENDING_CHECKOUT_LIMITS: MemoryLimits = {
  // A waiting entry is well under 1 KB: at most ~10 MB. Full, the oldest makes room (its link
  // then says it has expired).
  maxEntries: 10_000,
  idleTtlMs: PENDING_CHECKOUT_TTL.receiptMs,
  // Abandoned details are dropped within a minute of their link expiring.
  pruneEveryMs: 60 * 1000,
};

type Entry = { customer: CustomerDetails; claimedBy?: string } | { receipt: Receipt };

export class MemoryPendingCheckouts implements PendingCheckoutStore {
  private readonly entries: LRUCache<string, Entry>;

  constructor(limits: MemoryLimits) {
    this.entries = boundedLru(limits);
  }

  async hold(customer: CustomerDetails): Promise<string> {
    const id = newNonce();
    this.entries.set(id, { customer }, { ttl: PENDING_CHECKOUT_TTL.detailsMs });
    return id;
  }

  async claim(id: string, sessionId: string): Promise<Claim> {
    const entry = this.find(id);
    if (!entry || !('customer' in entry)) return 'gone';
    entry.claimedBy ??= sessionId; // changed in place: the entry keeps its expiry
    return entry.claimedBy === sessionId ? { customer: entry.customer } : 'opened-elsewhere';
  }

  async claimedDetails(id: string, sessionId: string): Promise<CustomerDetails | undefined> {
    const entry = this.find(id);
    if (!entry || !('customer' in entry) || entry.claimedBy !== sessionId) return undefined;
    return entry.customer;
  }

  async recordReceipt(id: string, receipt: Receipt): Promise<void> {
    // Replaces the details: one entry per id.
    this.entries.set(id, { receipt }, { ttl: PENDING_CHECKOUT_TTL.receiptMs });
  }

  async receipt(id: string): Promise<Receipt | undefined> {
    const entry = this.find(id);
    return entry && 'receipt' in entry ? entry.receipt : undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  // Reading never extends a record's life: details live exactly as long as their link.
  private find(id: string): Entry | undefined {
    return this.entries.get(id, { updateAgeOnGet: false });
  }
}
