// What a shared page learns about this shopper, through the requests it makes with credentials
// (amp-list, on the origin and on caches), under the same AMP CORS gate as the cart API:
// - the header's cart badge: how many items are in the cart. An origin page asking without the
//   session cookie gets one here: step 1 of the flow (session.ts); nothing is stored.
// - a product page's "in your cart" part: this product's lines in the cart, with what the
//   quantity and remove forms need.
// Both only read: a cookie that names no stored session simply finds an empty cart.
import { Router, type Request, type RequestHandler } from 'express';
import { priceCart } from '../cart/cart';
import type { CartStore } from '../cart/cart-store';
import { cartSummary } from '../cart/cart-summary';
import type { Catalog } from '../catalog/types';
import type { Config } from '../config';
import { cartLine } from '../pages/cart-view';
import { paths } from '../paths';
import { arrivalOf } from './arrival';
import { issueSessionCookie, signedSessionId } from './session';

export interface CartSummaryApiDeps {
  config: Config;
  catalog: Catalog;
  carts: CartStore;
  corsGate: RequestHandler;
}

export function createCartSummaryApi(deps: CartSummaryApiDeps): Router {
  const { config, catalog, carts } = deps;
  const router = Router();
  const sessionIdOf = (req: Request) => signedSessionId(req, config.sessionSecret);

  router.get(paths.cartSummary, deps.corsGate, async (req, res) => {
    const sessionId = sessionIdOf(req);
    if (sessionId !== undefined) {
      res.json(cartSummary(await carts.get(sessionId), catalog));
      return;
    }
    // Step 1: an origin page without the cookie (a cache page's cookie would be third-party).
    const issued = arrivalOf(req).ampSameOrigin && issueSessionCookie(config, req, res);
    res.json(cartSummary(issued ? [] : undefined, catalog));
  });

  // Same shape as paths.productInCart(slug).
  router.get('/api/cart/product/:slug', deps.corsGate, async (req, res) => {
    const product = catalog.findProduct(String(req.params.slug));
    if (!product) {
      res.status(404).json({ error: 'There is no such product.' });
      return;
    }
    const sessionId = sessionIdOf(req);
    const cart = sessionId === undefined ? [] : await carts.get(sessionId);
    const lines = priceCart(cart, catalog).lines.filter((line) => line.product === product);
    res.json({ items: lines.map(cartLine) });
  });

  return router;
}
