// The checkout page and the order confirmation page. The confirmation is found by (session, order
// number): anyone else — another shopper, a cache, a shared link — gets the 404 page.
import express from 'express';
import { priceCart } from '../cart/cart';
import { ORDER_NUMBER } from '../orders/order';
import type { OrderStore } from '../orders/order-store';
import { paths } from '../paths';
import { checkoutView, orderView } from './checkout-view';
import { knownCart, layoutView, notFoundHandler, pageSender, type PageDeps } from './page-router';

export interface CheckoutPageDeps extends PageDeps {
  orders: OrderStore;
}

export function createCheckoutPages(deps: CheckoutPageDeps): express.Router {
  const router = express.Router();
  const send = pageSender(deps);
  const notFound = notFoundHandler(deps);

  router.get(paths.checkout, (req, res) => {
    const layout = layoutView(deps, req, {
      title: 'Checkout',
      description: 'Place your BestClips order (a demo: no payment, nothing ships).',
      path: paths.checkout,
    });
    const cart = knownCart(req);
    send(res, 200, 'checkout', checkoutView(cart && priceCart(cart, deps.catalog), layout));
  });

  // Same shape as paths.order(number).
  router.get('/orders/:number', async (req, res, next) => {
    const number = req.params.number;
    const order = ORDER_NUMBER.test(number)
      ? await deps.orders.find(req.sessionID, number)
      : undefined;
    if (!order) {
      notFound(req, res, next);
      return;
    }
    const layout = layoutView(deps, req, {
      title: `Order ${order.number}`,
      description: 'Your BestClips order confirmation.',
      path: paths.order(order.number),
      personal: true,
    });
    send(res, 200, 'order', orderView(order, layout));
  });

  return router;
}
