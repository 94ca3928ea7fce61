// Carts in Redis, shared by every instance. Each operation is one Lua script (cart-scripts.ts), so
// it is atomic however many instances change the same cart at once. The catalog stays here: the
// script is given this SKU's limit and the line cap, and answers with a status that
// `describeChange` words exactly as the in-memory store does. A change by a single-use link checks
// and records the link in the same script (`applyOnce`), under a key that lives until the link
// expires: Redis never runs out of room for it, so it never answers 'busy'.
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
import type { CartStore, LinkUse, OnceResult } from '../../cart/cart-store';
import type { Catalog, VariantRef } from '../../catalog/types';
import type { ApplyArgs, ScriptReply } from './cart-scripts';
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
    const reply = await this.client.cartApply(
      this.keys.cart(sessionId),
      argsOf(change, ref, this.idleTtlMs),
    );
    return resultOf(change, ref, reply);
  }

  async applyOnce(sessionId: string, change: CartChange, link: LinkUse): Promise<OnceResult> {
    const ref = this.catalog.findVariant(change.sku);
    if (!ref) return { ok: false, error: UNKNOWN_PRODUCT };
    const reply = await this.client.cartApplyOnce(
      this.keys.cart(sessionId),
      argsOf(change, ref, this.idleTtlMs),
      { key: this.keys.nonce(link.nonce), ttlMs: Math.max(1, link.expiresAtMs - Date.now()) },
    );
    return reply[0] === 'replayed' ? 'replayed' : resultOf(change, ref, reply);
  }
}

/** What a cart script is told: the change, this SKU's limit and the line cap. */
function argsOf(change: CartChange, ref: VariantRef, idleTtlMs: number): ApplyArgs {
  return {
    op: change.op,
    sku: change.sku,
    quantity: change.op === 'remove' ? 0 : change.quantity,
    limit: maxQuantityFor(ref.variant),
    maxLines: MAX_CART_LINES,
    idleTtlMs,
  };
}

/** A cart script's answer, in the in-memory store's words. */
function resultOf(change: CartChange, ref: VariantRef, reply: ScriptReply): ChangeResult {
  const [status, current, ...cart] = reply;
  return describeChange(change, ref, {
    status: statusOf(status),
    current: Number(current),
    cart: cartOf(cart),
  });
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
