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

/** Applies a change to a cart, returning a new cart or a sentence the shopper understands. */
export function applyCartChange(cart: Cart, change: CartChange, catalog: Catalog): ChangeResult {
  const ref = catalog.findVariant(change.sku);
  if (!ref) return { ok: false, error: 'That product is not in our catalog.' };
  const { product, variant } = ref;
  const label = `${product.name} (${variantLabel(variant)})`;
  const current = cart.find((line) => line.sku === change.sku)?.quantity ?? 0;

  if (change.op === 'remove') {
    if (current === 0) return { ok: true, cart, message: `${label} was not in your cart.` };
    return { ok: true, cart: withQuantity(cart, change.sku, 0), message: `Removed ${label}.` };
  }

  if (current === 0 && cart.length >= MAX_CART_LINES) {
    return { ok: false, error: `Your cart can hold at most ${MAX_CART_LINES} different items.` };
  }
  const limit = maxQuantityFor(variant);
  if (limit === 0) return { ok: false, error: `Sorry, ${label} is out of stock.` };
  const wanted = change.op === 'add' ? current + change.quantity : change.quantity;
  if (wanted > limit) {
    const room = change.op === 'add' ? ` (you already have ${current})` : '';
    return { ok: false, error: `You can have at most ${limit} of ${label} in your cart${room}.` };
  }
  const message =
    change.op === 'add'
      ? `Added ${change.quantity} × ${label} to your cart.`
      : `${label}: quantity set to ${wanted}.`;
  return { ok: true, cart: withQuantity(cart, change.sku, wanted), message };
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
