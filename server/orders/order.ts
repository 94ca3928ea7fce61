// A demo order, pure: built from the shopper's cart (names and prices from the catalog, frozen at
// the moment of ordering) and the details they typed at checkout. There is no payment.
import { randomBytes } from 'node:crypto';
import { priceCart, variantLabel, type Cart } from '../cart/cart';
import type { Catalog } from '../catalog/types';

/** What the checkout form asks for (validated in checkout/checkout-details.ts). */
export interface CustomerDetails {
  name: string;
  email: string;
  street: string;
  city: string;
  postcode: string;
  country: string;
}

export interface OrderLine {
  sku: string;
  name: string;
  variant: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

export interface Order {
  number: string;
  /** Unix milliseconds. */
  placedAt: number;
  lines: OrderLine[];
  itemCount: number;
  subtotalCents: number;
  shippingCents: number;
  totalCents: number;
  customer: CustomerDetails;
}

// Crockford's base32: no I, L, O or U, so a number read out over the phone survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `BC-XXXX-XXXX`: 40 random bits, easy to read; only its owner can open it anyway. */
export const ORDER_NUMBER = /^BC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

export function newOrderNumber(): string {
  const chars = [...randomBytes(8)].map((byte) => ALPHABET[byte % 32]).join('');
  return `BC-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** The order for this cart, or undefined when there is nothing to order. */
export function buildOrder(
  cart: Cart,
  catalog: Catalog,
  customer: CustomerDetails,
  number: string,
  placedAt: number,
): Order | undefined {
  const priced = priceCart(cart, catalog);
  if (priced.lines.length === 0) return undefined;
  return {
    number,
    placedAt,
    lines: priced.lines.map(({ product, variant, quantity, lineTotalCents }) => ({
      sku: variant.sku,
      name: product.name,
      variant: variantLabel(variant),
      quantity,
      unitPriceCents: variant.priceCents,
      lineTotalCents,
    })),
    itemCount: priced.itemCount,
    subtotalCents: priced.subtotalCents,
    shippingCents: priced.shippingCents,
    totalCents: priced.totalCents,
    customer,
  };
}
