// What the header's cart badge may say. We only know a shopper by the session cookie their browser
// sends; without it (a cache page whose browser blocks third-party cookies, or the cache's own
// cookie-less copy of a page) the honest answer is "we don't know", never a count — and certainly
// never someone else's.
import type { Catalog } from '../catalog/types';
import { priceCart, type Cart } from './cart';

export type CartSummary = { known: false } | { known: true; count: number };

/** `cart` is undefined when the request did not say whose cart it is (no session cookie). */
export function cartSummary(cart: Cart | undefined, catalog: Catalog): CartSummary {
  if (cart === undefined) return { known: false };
  return { known: true, count: priceCart(cart, catalog).itemCount };
}
