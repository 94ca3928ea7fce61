// What a shared page learns about this shopper, through the requests it makes with credentials
// (amp-list, on the origin and on caches), under the same AMP CORS gate as the cart API:
// - the header's cart badge: how many items are in the cart. An origin page asking without the
//   session cookie gets one here: step 1 of the flow (1-session-cookie.ts); nothing is stored.
// - a product page's "in your cart" part: this product's lines in the cart, with what the
//   quantity and remove forms need.
// Both only read: a cookie that names no stored session simply finds an empty cart.
import type { Request, RequestHandler } from 'express';
import { priceCart } from '../cart/cart';
import type { CartStore } from '../cart/cart-store';
import { cartSummary } from '../cart/cart-summary';
import type { Catalog } from '../catalog/types';
import type { Config } from '../config';
import { cartLine } from '../pages/cart-view';
import { issueSessionCookie, signedSessionId } from './1-session-cookie';
import { arrivalOf } from './3-redirect-to-origin';

export interface CartSummaryApiDeps {
  config: Config;
  catalog: Catalog;
  carts: CartStore;
}

/** GET paths.cartSummary, after the AMP CORS gate. */
export function cartSummaryApi(deps: CartSummaryApiDeps): RequestHandler {
  const { config, catalog, carts } = deps;
  return async (req, res) => {
    const sessionId = sessionIdOf(req, config);
    if (sessionId !== undefined) {
      res.json(cartSummary(await carts.get(sessionId), catalog));
      return;
    }
    // Step 1: an origin page without the cookie (a cache page's cookie would be third-party).
    const issued = arrivalOf(req).ampSameOrigin && issueSessionCookie(config, req, res);
    res.json(cartSummary(issued ? [] : undefined, catalog));
  };
}

/** GET paths.productInCartRoute, after the AMP CORS gate. */
export function productInCartApi(deps: CartSummaryApiDeps): RequestHandler {
  const { config, catalog, carts } = deps;
  return async (req, res) => {
    const product = catalog.findProduct(String(req.params.slug));
    if (!product) {
      res.status(404).json({ error: 'There is no such product.' });
      return;
    }
    const sessionId = sessionIdOf(req, config);
    const cart = sessionId === undefined ? [] : await carts.get(sessionId);
    const lines = priceCart(cart, catalog).lines.filter((line) => line.product === product);
    res.json({ items: lines.map(cartLine) });
  };
}

function sessionIdOf(req: Request, config: Config): string | undefined {
  return signedSessionId(req, config.sessionSecret);
}
