// Checkouts held for cache pages without the cookie, in Redis: step 3 may run on one instance,
// the confirmation page (step 4) on another and "Place order" (step 5) on a third. Each record is
// a plain string with the TTL the in-memory store uses, and every step that must happen once is
// one atomic command:
// - the claim is `SET … NX GET`: the first session wins, and any later one learns who did;
// - the receipt is written before the details go, so a replay always finds one or the other (a
//   crash in between leaves both, and a replay finds the order the checkout already placed).
// The claim is written after the details with the same TTL, so it always outlives them: a take
// that finds this session's claim can trust it, and a missing claim means no details either.
import { newNonce } from '../../amp/signed-link';
import {
  PENDING_CHECKOUT_TTL,
  type Claim,
  type PendingCheckoutStore,
  type Receipt,
} from '../../checkout/pending-checkouts';
import type { CustomerDetails } from '../../orders/order';
import type { ShopRedisClient } from './client';
import { fromJson, toJson } from './json';
import type { RedisKeys } from './keys';

const DETAILS_TTL = { type: 'PX', value: PENDING_CHECKOUT_TTL.detailsMs } as const;
const RECEIPT_TTL = { type: 'PX', value: PENDING_CHECKOUT_TTL.receiptMs } as const;

export class RedisPendingCheckouts implements PendingCheckoutStore {
  constructor(
    private readonly client: ShopRedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async hold(customer: CustomerDetails): Promise<string> {
    const id = newNonce();
    await this.client.set(this.keys.checkout(id).details, toJson(customer), {
      expiration: DETAILS_TTL,
    });
    return id;
  }

  async claim(id: string, sessionId: string): Promise<Claim> {
    const keys = this.keys.checkout(id);
    const customer = fromJson<CustomerDetails>(await this.client.get(keys.details));
    if (!customer) return 'gone';
    // The earlier claimant, or null when this session has just become it.
    const earlier = await this.client.set(keys.claim, sessionId, {
      condition: 'NX',
      GET: true,
      expiration: DETAILS_TTL,
    });
    return earlier === null || earlier === sessionId ? { customer } : 'opened-elsewhere';
  }

  async claimedDetails(id: string, sessionId: string): Promise<CustomerDetails | undefined> {
    const keys = this.keys.checkout(id);
    if ((await this.client.get(keys.claim)) !== sessionId) return undefined;
    return fromJson(await this.client.get(keys.details));
  }

  async recordReceipt(id: string, receipt: Receipt): Promise<void> {
    const keys = this.keys.checkout(id);
    await this.client.set(keys.receipt, toJson(receipt), { expiration: RECEIPT_TTL });
    await this.client.del(keys.details);
  }

  async receipt(id: string): Promise<Receipt | undefined> {
    return fromJson(await this.client.get(this.keys.checkout(id).receipt));
  }
}
