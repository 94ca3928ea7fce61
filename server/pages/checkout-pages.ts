// The checkout page, the page that confirms an order held for a cache page, and the order
// confirmation page. The confirmation is found by (session, order number): anyone else — another
// shopper, a cache, a shared link — gets the 404 page.
import type { RequestHandler } from 'express';
import { priceCart } from '../cart/cart';
import type { ShowConfirmation } from '../checkout/confirm-on-origin';
import { ORDER_NUMBER } from '../orders/order';
import type { OrderStore } from '../orders/order-store';
import { paths } from '../paths';
import { checkoutView, confirmOrderView, orderView } from './checkout-view';
import {
  knownCart,
  layoutView,
  notFoundShower,
  pageSender,
  type PageDeps,
  type SharedPageDeps,
} from './shop-pages';

export interface CheckoutPageDeps extends SharedPageDeps {
  orders: OrderStore;
}

/** The handlers of the checkout and order pages (see routes.ts for their URLs). */
export function checkoutPages(
  deps: CheckoutPageDeps,
): Record<'checkout' | 'order', RequestHandler> {
  const send = pageSender(deps);
  const notFound = notFoundShower(deps);

  const checkoutPage: RequestHandler = (req, res) => {
    const layout = layoutView(deps, req, {
      title: 'Checkout',
      description: 'Place your BestClips order (a demo: no payment, nothing ships).',
      path: paths.checkout,
    });
    const cart = knownCart(req);
    send(res, 200, 'checkout', checkoutView(cart && priceCart(cart, deps.catalog), layout));
  };

  const orderPage: RequestHandler = async (req, res) => {
    const number = String(req.params.number);
    const order = ORDER_NUMBER.test(number)
      ? await deps.orders.find(req.sessionID, number)
      : undefined;
    if (!order) {
      // Not shared: the same URL is its owner's order.
      await notFound(req, res, false);
      return;
    }
    const layout = layoutView(deps, req, {
      title: `Order ${order.number}`,
      description: 'Your BestClips order confirmation.',
      path: paths.order(order.number),
      noCacheCopy: true,
    });
    send(res, 200, 'order', orderView(order, layout));
  };

  return { checkout: checkoutPage, order: orderPage };
}

/**
 * Step 4 for orders, on the origin: this session's cart with the details its link named, and a
 * "Place order" button (step 5). With nothing to order it says so (409), and offers no button.
 */
export function confirmationShower(deps: PageDeps): ShowConfirmation {
  const send = pageSender(deps);
  return (res, pending) => {
    const req = res.req;
    const layout = layoutView(deps, req, {
      title: 'Confirm your order',
      description: 'Check your BestClips order before placing it.',
      // Its own URL names held details: the canonical page is the checkout.
      path: paths.checkout,
      noCacheCopy: true,
    });
    // Without the cookie this is a brand-new session: an empty cart.
    const cart = priceCart(knownCart(req) ?? [], deps.catalog);
    const view = confirmOrderView(cart, pending, layout);
    send(res, view.summary ? 200 : 409, 'confirm-order', view);
  };
}
