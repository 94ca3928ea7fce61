// The checkout page, the page that confirms an order held for a cache page (step 4), and the order
// confirmation page. Checkout shows what will be ordered when the request came with the session
// cookie; a cache copy (fetched without it) cannot know, so it shows the form with a note instead
// — the order is always placed from the cart on the shop's origin.
import { formatCents, variantLabel, type PricedCart } from '../cart/cart';
import { CHECKOUT_MAX_LENGTH } from '../checkout/checkout-details';
import type { PendingOrder } from '../checkout/confirm-on-origin';
import type { Order } from '../orders/order';
import { totalsView } from './cart-view';
import type {
  CheckoutView,
  ConfirmOrderView,
  LayoutView,
  OrderLineView,
  OrderSummaryView,
  OrderView,
} from './view-models';

/** `cart` is undefined when the request did not say whose cart it is. */
export function checkoutView(cart: PricedCart | undefined, layout: LayoutView): CheckoutView {
  const known = cart !== undefined;
  return {
    ...layout,
    showForm: !known || cart.lines.length > 0,
    summary: known ? summaryView(cart) : undefined,
    maxLength: CHECKOUT_MAX_LENGTH,
  };
}

export function confirmOrderView(
  cart: PricedCart,
  pending: PendingOrder,
  layout: LayoutView,
): ConfirmOrderView {
  return {
    ...layout,
    summary: summaryView(cart),
    customer: pending.customer,
    pendingId: pending.id,
  };
}

export function orderView(order: Order, layout: LayoutView): OrderView {
  return {
    ...layout,
    ...totalsView(order),
    orderNumber: order.number,
    placedOn: `${new Date(order.placedAt).toLocaleString('en-US', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'UTC',
    })} UTC`,
    lines: order.lines.map((line) =>
      orderLine(line.name, line.variant, line.quantity, line.lineTotalCents),
    ),
    customer: order.customer,
  };
}

/** What would be ordered from this cart; undefined when nothing would. */
function summaryView(cart: PricedCart): OrderSummaryView | undefined {
  if (cart.lines.length === 0) return undefined;
  return {
    ...totalsView(cart),
    lines: cart.lines.map(({ product, variant, quantity, lineTotalCents }) =>
      orderLine(product.name, variantLabel(variant), quantity, lineTotalCents),
    ),
  };
}

function orderLine(
  name: string,
  variant: string,
  quantity: number,
  lineTotalCents: number,
): OrderLineView {
  return { name, variant, quantity, lineTotal: formatCents(lineTotalCents) };
}
