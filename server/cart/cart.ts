// Cart arithmetic, pure: a cart is a list of (SKU, quantity); names and prices always come from
// the catalog, never from the client.
import type { Catalog, Product, Variant } from '../catalog/types';

export const MAX_QUANTITY_PER_LINE = 10;
export const MAX_CART_LINES = 20;
export const FREE_SHIPPING_FROM_CENTS = 2500;
export const SHIPPING_CENTS = 495;

export interface CartLine {
  sku: string;
  quantity: number;
}

export type Cart = readonly CartLine[];

/** A change a shopper asks for. Step 2 of the flow: this is what an amp-form submits. */
export type CartChange =
  | { op: 'add'; sku: string; quantity: number }
  | { op: 'set'; sku: string; quantity: number }
  | { op: 'remove'; sku: string };

export type ChangeResult = { ok: true; cart: Cart; message: string } | { ok: false; error: string };

export interface PricedLine {
  product: Product;
  variant: Variant;
  quantity: number;
  lineTotalCents: number;
}

export interface PricedCart {
  lines: PricedLine[];
  itemCount: number;
  subtotalCents: number;
  shippingCents: number;
  totalCents: number;
}

/** The most of one SKU a cart may hold: the per-line cap, never above stock. */
export function maxQuantityFor(variant: Variant): number {
  return Math.min(MAX_QUANTITY_PER_LINE, variant.stock);
}

export const UNKNOWN_PRODUCT = 'That product is not in our catalog.';

/** Applies a change to a cart, returning a new cart or a sentence the shopper understands. */
export function applyCartChange(cart: Cart, change: CartChange, catalog: Catalog): ChangeResult {
  const ref = catalog.findVariant(change.sku);
  if (!ref) return { ok: false, error: UNKNOWN_PRODUCT };
  const current = cart.find((line) => line.sku === change.sku)?.quantity ?? 0;
  const decision = decideChange(change, current, cart.length, maxQuantityFor(ref.variant));
  const after =
    decision.status === 'applied' ? withQuantity(cart, change.sku, decision.quantity) : cart;
  return describeChange(change, ref, { status: decision.status, current, cart: after });
}

/**
 * How a change went. A shared store decides in its own atomic step (the Redis cart script mirrors
 * `decideChange`) and reports a status; `describeChange` turns it into the same words either way.
 */
export const CHANGE_STATUSES = [
  'applied',
  'not-in-cart',
  'cart-full',
  'out-of-stock',
  'over-limit',
] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

export interface ChangeDecision {
  status: ChangeStatus;
  /** The line's quantity once the change is applied (0: the line goes). */
  quantity: number;
}

/** The cart rules on numbers alone: the line's quantity now, the cart's line count, the limit. */
export function decideChange(
  change: CartChange,
  current: number,
  lineCount: number,
  limit: number,
): ChangeDecision {
  if (change.op === 'remove') {
    return { status: current === 0 ? 'not-in-cart' : 'applied', quantity: 0 };
  }
  if (current === 0 && lineCount >= MAX_CART_LINES) return { status: 'cart-full', quantity: 0 };
  if (limit === 0) return { status: 'out-of-stock', quantity: current };
  const wanted = change.op === 'add' ? current + change.quantity : change.quantity;
  if (wanted > limit) return { status: 'over-limit', quantity: current };
  return { status: 'applied', quantity: wanted };
}

export interface ChangeOutcome {
  status: ChangeStatus;
  /** The line's quantity before the change. */
  current: number;
  /** The cart after the change (unchanged when it was refused). */
  cart: Cart;
}

/** The sentence the shopper reads about a change, whichever store applied it. */
export function describeChange(
  change: CartChange,
  { product, variant }: { product: Product; variant: Variant },
  { status, current, cart }: ChangeOutcome,
): ChangeResult {
  const label = `${product.name} (${variantLabel(variant)})`;
  switch (status) {
    case 'not-in-cart':
      return { ok: true, cart, message: `${label} was not in your cart.` };
    case 'cart-full':
      return { ok: false, error: `Your cart can hold at most ${MAX_CART_LINES} different items.` };
    case 'out-of-stock':
      return { ok: false, error: `Sorry, ${label} is out of stock.` };
    case 'over-limit': {
      const room = change.op === 'add' ? ` (you already have ${current})` : '';
      const limit = maxQuantityFor(variant);
      return { ok: false, error: `You can have at most ${limit} of ${label} in your cart${room}.` };
    }
    case 'applied':
      return { ok: true, cart, message: appliedMessage(change, label) };
  }
}

function appliedMessage(change: CartChange, label: string): string {
  if (change.op === 'remove') return `Removed ${label}.`;
  if (change.op === 'add') return `Added ${change.quantity} × ${label} to your cart.`;
  return `${label}: quantity set to ${change.quantity}.`;
}

/** Prices a cart from the catalog; lines whose SKU left the catalog are dropped. */
export function priceCart(cart: Cart, catalog: Catalog): PricedCart {
  const lines: PricedLine[] = [];
  for (const { sku, quantity } of cart) {
    const ref = catalog.findVariant(sku);
    if (!ref) continue;
    lines.push({ ...ref, quantity, lineTotalCents: ref.variant.priceCents * quantity });
  }
  const subtotalCents = lines.reduce((sum, line) => sum + line.lineTotalCents, 0);
  const shippingCents = shippingFor(subtotalCents);
  return {
    lines,
    itemCount: countItems(lines),
    subtotalCents,
    shippingCents,
    totalCents: subtotalCents + shippingCents,
  };
}

/** Shipping rule: free from $25.00, otherwise a flat $4.95; nothing for an empty cart. */
export function shippingFor(subtotalCents: number): number {
  if (subtotalCents === 0 || subtotalCents >= FREE_SHIPPING_FROM_CENTS) return 0;
  return SHIPPING_CENTS;
}

export function countItems(lines: readonly { quantity: number }[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}

export function variantLabel(variant: Variant): string {
  return `${variant.finish}, pack of ${variant.packSize}`;
}

export function formatCents(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

function withQuantity(cart: Cart, sku: string, quantity: number): Cart {
  const others = cart.filter((line) => line.sku !== sku);
  if (quantity === 0) return others;
  const index = cart.findIndex((line) => line.sku === sku);
  const line = { sku, quantity };
  if (index === -1) return [...cart, line];
  return cart.map((existing) => (existing.sku === sku ? line : existing));
}
