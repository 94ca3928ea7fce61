// Checkout from a cache page whose browser held the cookie back (step 3 for orders). The details
// the shopper typed must reach the origin, but personal data never goes into a URL (URLs end up in
// logs, history and shared links). So they wait here, under a random id, for as long as the signed
// link that carries only that id is valid.
//
// The first session to open the link on the origin (step 4) claims the details: only that session
// is shown them, and only that session can place the order with them (step 5). The order store
// places one order per checkout, however often "Place order" is pressed; once it is placed, a
// small receipt (which session, which order) replaces the details for a while, so a reload, the
// back button or a second tab shows that order again instead of placing another one.
import type { LRUCache } from 'lru-cache';
import { boundedLru, type MemoryLimits } from '../stores/memory/bounded-lru';
import { LINK_TTL_SECONDS, newNonce } from '../amp/signed-link';
import type { CustomerDetails } from '../orders/order';

export interface Receipt {
  sessionId: string;
  orderNumber: string;
}

/** What opening a place-order link finds: the details (now this session's), or why not. */
export type Claim = { customer: CustomerDetails } | 'opened-elsewhere' | 'gone';

/** How long each record lives, in milliseconds (the same in memory and in Redis). */
export const PENDING_CHECKOUT_TTL = {
  /** Waiting details (and their claim): exactly as long as the link that names them. */
  detailsMs: LINK_TTL_SECONDS * 1000,
  /** How long a receipt answers replays of a used link. */
  receiptMs: 60 * 60 * 1000,
};

export const PENDING_CHECKOUT_LIMITS: MemoryLimits = {
  // A waiting entry is well under 1 KB: at most ~10 MB. Full, the oldest makes room (its link
  // then says it has expired).
  maxEntries: 10_000,
  idleTtlMs: PENDING_CHECKOUT_TTL.receiptMs,
  // Abandoned details are dropped within a minute of their link expiring.
  pruneEveryMs: 60 * 1000,
};

/** Asynchronous, so a shared store can stand in for the in-memory one. */
export interface PendingCheckoutStore {
  /** Keeps the details until the link expires; returns the id the link carries. */
  hold(customer: CustomerDetails): Promise<string>;
  /** The details for the first session that asks (and again for it only); nothing once taken. */
  claim(id: string, sessionId: string): Promise<Claim>;
  /**
   * The details, for the session that claimed them; another session, or an unknown, expired or
   * used id finds nothing (and another session leaves them where they are).
   */
  claimedDetails(id: string, sessionId: string): Promise<CustomerDetails | undefined>;
  /** Records which order a used link placed, for its replays; then the details go. */
  recordReceipt(id: string, receipt: Receipt): Promise<void>;
  receipt(id: string): Promise<Receipt | undefined>;
}

type Entry = { customer: CustomerDetails; claimedBy?: string } | { receipt: Receipt };

export class MemoryPendingCheckouts implements PendingCheckoutStore {
  private readonly entries: LRUCache<string, Entry>;

  constructor(limits: MemoryLimits = PENDING_CHECKOUT_LIMITS) {
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
