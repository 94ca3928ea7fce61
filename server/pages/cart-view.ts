// The cart page's view: priced lines with their quantity choices, totals and the shipping rule.
import {
  FREE_SHIPPING_FROM_CENTS,
  formatCents,
  maxQuantityFor,
  variantLabel,
  type PricedCart,
  type PricedLine,
} from '../cart/cart';
import { paths } from '../paths';
import type { CartLineView, CartView, LayoutView, QuantityOption, TotalsView } from './view-models';

export function cartView(cart: PricedCart, layout: LayoutView): CartView {
  const { subtotalCents } = cart;
  const missingCents = FREE_SHIPPING_FROM_CENTS - subtotalCents;
  return {
    ...layout,
    ...totalsView(cart),
    hasLines: cart.lines.length > 0,
    lines: cart.lines.map(cartLine),
    shippingNote:
      missingCents > 0
        ? `Free shipping from ${formatCents(FREE_SHIPPING_FROM_CENTS)}: add ${formatCents(missingCents)} more to get it.`
        : `Your order ships free (free shipping from ${formatCents(FREE_SHIPPING_FROM_CENTS)}).`,
    freeShippingPercent: Math.min(
      100,
      Math.floor((subtotalCents * 100) / FREE_SHIPPING_FROM_CENTS),
    ),
  };
}

/** A priced cart's (or an order's) totals, formatted. */
export function totalsView(
  totals: Pick<PricedCart, 'itemCount' | 'subtotalCents' | 'shippingCents' | 'totalCents'>,
): TotalsView {
  return {
    itemCountLabel: `${totals.itemCount} ${totals.itemCount === 1 ? 'item' : 'items'}`,
    subtotal: formatCents(totals.subtotalCents),
    shipping: totals.shippingCents === 0 ? 'Free' : formatCents(totals.shippingCents),
    total: formatCents(totals.totalCents),
  };
}

export function cartLine({ product, variant, quantity, lineTotalCents }: PricedLine): CartLineView {
  const limit = maxQuantityFor(variant);
  return {
    sku: variant.sku,
    name: product.name,
    href: paths.product(product.slug),
    image: product.image,
    variant: variantLabel(variant),
    quantity,
    unitPrice: formatCents(variant.priceCents),
    lineTotal: formatCents(lineTotalCents),
    quantityOptions: quantityOptions(limit, quantity),
    stockWarning: stockWarning(limit, quantity),
  };
}

/** 1..limit; a quantity above the limit (stock went down since) stays visible and selected. */
function quantityOptions(limit: number, quantity: number): QuantityOption[] {
  const values = Array.from({ length: limit }, (_, i) => i + 1);
  if (quantity > limit) values.push(quantity);
  return values.map((value) => ({ value, selected: value === quantity }));
}

function stockWarning(limit: number, quantity: number): string | undefined {
  if (limit === 0) return 'Now out of stock: please remove it.';
  if (quantity > limit) return `Only ${limit} available now: please lower the quantity.`;
  return undefined;
}
