// Carts in Redis, shared by every instance. Each operation is one Lua script (cart-scripts.ts), so
// it is atomic however many instances change the same cart at once. The catalog stays here: the
// script is given this SKU's limit and the line cap, and answers with a status that
// `describeChange` words exactly as the in-memory store does.
import {
  CHANGE_STATUSES,
  describeChange,
  MAX_CART_LINES,
  maxQuantityFor,
  UNKNOWN_PRODUCT,
  type Cart,
  type CartChange,
  type ChangeResult,
  type ChangeStatus,
} from '../../cart/cart';
import type { CartStore } from '../../cart/cart-store';
import type { Catalog } from '../../catalog/types';
import type { ScriptReply } from './cart-scripts';
import type { ShopRedisClient } from './client';
import type { RedisKeys } from './keys';

export class RedisCartStore implements CartStore {
  constructor(
    private readonly client: ShopRedisClient,
    private readonly catalog: Catalog,
    private readonly keys: RedisKeys,
    /** Carts are forgotten after this long untouched, like sessions. */
    private readonly idleTtlMs: number,
  ) {}

  async get(sessionId: string): Promise<Cart> {
    return cartOf(await this.client.cartRead(this.keys.cart(sessionId), this.idleTtlMs));
  }

  async apply(sessionId: string, change: CartChange): Promise<ChangeResult> {
    const ref = this.catalog.findVariant(change.sku);
    if (!ref) return { ok: false, error: UNKNOWN_PRODUCT };
    const [status, current, ...cart] = await this.client.cartApply(this.keys.cart(sessionId), {
      op: change.op,
      sku: change.sku,
      quantity: change.op === 'remove' ? 0 : change.quantity,
      limit: maxQuantityFor(ref.variant),
      maxLines: MAX_CART_LINES,
      idleTtlMs: this.idleTtlMs,
    });
    return describeChange(change, ref, {
      status: statusOf(status),
      current: Number(current),
      cart: cartOf(cart),
    });
  }
}

/** The scripts answer a cart as a flat list: sku, quantity, sku, quantity, … */
export function cartOf(flat: ScriptReply): Cart {
  const cart = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    cart.push({ sku: String(flat[i]), quantity: Number(flat[i + 1]) });
  }
  return cart;
}

function statusOf(value: string | number | undefined): ChangeStatus {
  const status = CHANGE_STATUSES.find((known) => known === value);
  if (!status) throw new Error(`The cart script answered an unknown status: ${String(value)}`);
  return status;
}
