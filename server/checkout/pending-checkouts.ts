// Checkout from a cache page whose browser held the cookie back (step 3 for orders). The details
// the shopper typed must reach the origin, but personal data never goes into a URL (URLs end up in
// logs, history and shared links). So they wait in a store, under a random id, for as long as the
// signed link that carries only that id is valid.
//
// The first session to open the link on the origin (step 4) claims the details: only that session
// is shown them, and only that session can place the order with them (step 5). The order store
// places one order per checkout, however often "Place order" is pressed; once it is placed, a
// small receipt (which session, which order) replaces the details for a while, so a reload, the
// back button or a second tab shows that order again instead of placing another one.
//
// Held in this process (stores/memory/pending-checkouts.ts) or in Redis
// (stores/redis/pending-checkouts.ts).
import { LINK_TTL_SECONDS } from '../amp/signed-link';
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
